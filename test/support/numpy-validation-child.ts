// Run by test/ops/numpy-validation.test.ts in a child process (under tsx, on src/), with the
// environment it is given (SHARED_NDARRAY_NATIVE_MATH is read once per thread): each public
// function of its inputs, read from stdin as JSON { name: { dtype: base64 of the values' bytes } }.
// Prints the native functions this thread has and the results in the same form, as one JSON line.
import { array, cos, exp, expm1, log, log1p, sin, tanh } from '../../src/index.js';
import { nativeMathFunctions } from '../../src/ops/kernels/native.js';

type DType = 'float32' | 'float64';
const OPS = { exp, sin, cos, log, expm1, log1p, tanh };
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<keyof typeof OPS, Record<DType, string>>;
const out: Record<string, Record<string, string>> = {};
for (const [name, byDtype] of Object.entries(input)) {
  out[name] = {};
  for (const [dtype, base64] of Object.entries(byDtype)) {
    const bytes = Buffer.from(base64, 'base64');
    const xs = dtype === 'float64' ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8) : new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const data = OPS[name as keyof typeof OPS](array(Array.from(xs), dtype as DType)).data as Float64Array | Float32Array;
    out[name]![dtype] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  }
}
process.stdout.write(`${JSON.stringify({ functions: Object.keys(nativeMathFunctions()), out })}\n`);
