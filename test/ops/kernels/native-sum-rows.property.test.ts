/**
 * The addon's sumRows (src/native/shared_ndarray_native.cc), which reduce.ts's sumRows hands
 * contiguous float64 columns: at each vector width (AVX-512F's 8 lanes, AVX2's 4, SSE2's 2, as
 * far as this CPU runs them) it gives the JavaScript kernel's bits (the JavaScript kernel run on
 * the same values with columns at stride 2, which it keeps for itself), for any number of rows and
 * columns (across the 4096-column tile and the 32-row leaves), rows forward or backward, NaN,
 * infinities and signed zeros included; it writes only its m accumulators and refuses indices
 * outside either array.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nativeSumRows } from '../../../src/native/addon.js';
import { sumRows } from '../../../src/ops/kernels/reduce.js';

const native = nativeSumRows();

const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 1e300, -1e300, 5e-324) },
);

/** The JavaScript kernel's column sums: the same values with columns at stride 2 (not the native path). */
function reference(x: Float64Array, off: number, n: number, rs: number, m: number): Float64Array {
  const y = new Float64Array(2 * x.length);
  for (let i = 0; i < x.length; i++) y[2 * i] = x[i]!;
  const acc = new Float64Array(m);
  sumRows(y, 2 * off, n, 2 * rs, m, 2, acc, 0);
  return acc;
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the addon\'s sumRows', () => {
  it('loads here', () => {
    expect(native).toBeTypeOf('function');
  });
});

describe.runIf(native !== undefined)('the addon\'s sumRows', () => {
  for (const widest of [8, 4, 2]) {
    it(`gives the JavaScript kernel's bits with at most ${widest} lanes, rows forward or backward`, () => {
      const shapes = fc.oneof(
        fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 })),
        fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 4090, max: 4200 })),
      );
      fc.assert(fc.property(shapes, fc.array(value, { minLength: 1, maxLength: 64 }), fc.boolean(), fc.nat(5), ([n, m], pool, backward, pad) => {
        // x: pad elements, then n rows of m + 1 (a gap column), filled from the pool
        const rs = m + 1;
        // a plain loop: Float64Array.from over an array-like with a map function took most of the test
        const x = new Float64Array(pad + Math.max(n, 1) * rs);
        for (let i = 0; i < x.length; i++) x[i] = pool[(i * 7) % pool.length]!;
        const off = backward ? pad + (Math.max(n, 1) - 1) * rs : pad;
        const step = backward ? -rs : rs;
        const acc = new Float64Array(m + 2).fill(12345);
        native!(x, off, n, step, m, acc, 1, widest);
        const want = reference(x, off, n, step, m);
        return acc[0] === 12345 && acc[m + 1] === 12345 && want.every((v, j) => Object.is(v, acc[1 + j]));
      }), { seed: 0x5a11_2026, numRuns: 120, endOnFailure: true });
    });
  }

  it('refuses indices outside either array', () => {
    const x = new Float64Array(12), acc = new Float64Array(4);
    expect(() => native!(x, 0, 3, 4, 5, acc, 0)).toThrow(RangeError);
    expect(() => native!(x, 1, 3, 4, 4, acc, 0)).toThrow(RangeError);
    expect(() => native!(x, 4, 3, -4, 4, acc, 0)).toThrow(RangeError);
    expect(() => native!(x, 0, 3, 4, 4, acc, 1)).toThrow(RangeError);
    expect(() => native!(x, 0, 3, 4.5, 4, acc, 0)).toThrow(RangeError);
    expect(() => native!(new Float32Array(12) as never, 0, 3, 4, 4, acc, 0)).toThrow(TypeError);
    native!(x, 8, 3, -4, 4, acc, 0);
    native!(x, 0, 0, 4, 4, acc, 0);
    expect([...acc]).toEqual([0, 0, 0, 0]);
  });
});
