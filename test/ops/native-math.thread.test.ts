/**
 * SHARED_NDARRAY_NATIVE_MATH=0 switches the addon's vector math off, on the calling thread and in
 * the pool's workers: exp, log1p and power (of 1 + x, to 2.5) of float64 arrays then give the JavaScript and
 * WebAssembly kernels' bits (exp: the scalar kernel of src/ops/kernels/math.ts exactly; log1p:
 * Math.log1p; power: the elementwise loop's pow), and without the variable they give the addon's
 * (libmvec's log1p and pow; exp ported from the WebAssembly kernel, so the same bits either way). Each mode runs in a child process on dist/
 * (test/support/native-math.mjs), inline (a small array) and on the default pool (a large one).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { vectorMath } from '../../src/native/addon.js';
import { exp } from '../../src/ops/kernels/math.js';
import { pow } from '../../src/ops/kernels/elementwise.js';
import { expTablePairs, vectorRun } from '../../src/ops/kernels/native.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../support/native-math.mjs', import.meta.url));

async function compute(native: boolean): Promise<{ values: number[]; out: Record<'inline' | 'pool', Record<'exp' | 'log1p' | 'power', number[]>> }> {
  const { stdout } = await run(process.execPath, [script], { env: { ...process.env, SHARED_NDARRAY_NATIVE_MATH: native ? '' : '0' }, timeout: 60_000 });
  return JSON.parse(stdout);
}

/** The first index where `got` and `want` differ in bits, or -1. */
const firstDifference = (got: number[], want: number[]): number => got.findIndex((v, i) => !Object.is(v, want[i]));

// concurrent: each mode is a child process of its own
describe.concurrent('SHARED_NDARRAY_NATIVE_MATH', () => {
  it('=0: exp, log1p and power are the JavaScript kernels\' inline and in the workers', async () => {
    const { values, out } = await compute(false);
    for (const where of ['inline', 'pool'] as const) {
      expect(firstDifference(out[where].exp, values.map(exp)), where).toBe(-1);
      expect(firstDifference(out[where].log1p, values.map(Math.log1p)), where).toBe(-1);
      expect(firstDifference(out[where].power, values.map((v) => pow(1 + v, 2.5))), where).toBe(-1);
    }
  });

  it.runIf(vectorMath()?.functions.log1p !== undefined && vectorMath()?.pow !== undefined)('unset: exp, log1p and power are the addon\'s inline and in the workers', async () => {
    const { values, out } = await compute(true);
    const fns = vectorMath(8, expTablePairs())!.functions;
    const native = (name: 'exp' | 'log1p'): number[] => {
      const o = new Float64Array(values.length);
      vectorRun(name, fns[name]!, values.length, o, 0, 1, new Float64Array(values), 0, 1);
      return Array.from(o);
    };
    const o = new Float64Array(values.length);
    vectorMath(8)!.pow!(new Float64Array(values.map((v) => 1 + v)), 0, 1, new Float64Array([2.5]), 0, 0, o, 0, 1, values.length);
    const nativePower = Array.from(o);
    for (const where of ['inline', 'pool'] as const) {
      expect(firstDifference(out[where].exp, native('exp')), where).toBe(-1);
      expect(firstDifference(out[where].log1p, native('log1p')), where).toBe(-1);
      expect(firstDifference(out[where].power, nativePower), where).toBe(-1);
    }
    // log1p's and pow's are other bits than the JavaScript kernels' (else the first test could
    // not fail); exp's are the same (the port's point)
    expect(firstDifference(native('log1p'), values.map(Math.log1p))).not.toBe(-1);
    expect(firstDifference(nativePower, values.map((v) => pow(1 + v, 2.5)))).not.toBe(-1);
    expect(firstDifference(native('exp'), values.map(exp))).toBe(-1);
  });
});
