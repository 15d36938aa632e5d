// Run by test/ops/native-math.thread.test.ts in a child process, with and without
// SHARED_NDARRAY_NATIVE_MATH=0: exp, log1p and (1 + x) ** 2.5 of the same 4096 values inline (a
// small array) and on the default pool (an array over the inline threshold), of values where all
// three are finite.
// Prints them as one JSON line.
import { array, exp, expAsync, log1p, log1pAsync, power, powerAsync } from '../../dist/index.js';

const values = Array.from({ length: 4096 }, (_, i) => ((i * 7919) % 1000) / 37 - 0.9);
const big = array(Array.from({ length: 2 ** 18 }, (_, i) => values[i % 4096]));
const small = array(values);
const plusOne = (a) => array(Array.from(a.data, (v) => 1 + v));
const head = (a) => Array.from(a.data.subarray(0, 4096));
const out = {
  inline: { exp: head(exp(small)), log1p: head(log1p(small)), power: head(power(plusOne(small), 2.5)) },
  pool: { exp: head(await expAsync(big)), log1p: head(await log1pAsync(big)), power: head(await powerAsync(plusOne(big), 2.5)) },
};
// exit once the line is out (a pipe takes it asynchronously): the default pool's workers stay up
process.stdout.write(`${JSON.stringify({ values, out })}\n`, () => process.exit(0));
