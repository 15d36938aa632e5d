/**
 * The reduction kernels' fast paths against the plain loops they replace: the contiguous
 * argmax/argmin (chunked, four running extremes, a NaN check per chunk) must give the index the
 * element-by-element scan gives, for runs that cross chunk boundaries and hold NaN, infinities of
 * both signs, ±0 and ties; and the row sums must not depend on how the columns are cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argExtremum, sumRows } from '../../../src/ops/kernels/reduce.js';

/** numpy's argmax/argmin, one element at a time: the first extreme, or the first NaN. */
function reference(x: ArrayLike<number>, sign: 1 | -1): number {
  let m = x[0]!, at = 0;
  if (Number.isNaN(m)) return 0;
  for (let i = 1; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) return i;
    if (sign === 1 ? v > m : v < m) { m = v; at = i; }
  }
  return at;
}

const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1, -1, 1e308, -1e308);
const element = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) }, { weight: 1, arbitrary: special });

describe('contiguous argmax and argmin', () => {
  it('give the plain scan\'s index, NaN, infinities, ±0 and ties included', () => {
    fc.assert(fc.property(fc.array(element, { minLength: 1, maxLength: 1300 }), fc.nat(8), (values, pad) => {
      // the run sits at an offset inside a larger array, as a row of a matrix does
      const x = new Float64Array(values.length + 2 * pad).fill(Number.NaN);
      x.set(values, pad);
      expect(argExtremum(x, pad, values.length, 1, 1)).toBe(reference(values, 1));
      expect(argExtremum(x, pad, values.length, 1, -1)).toBe(reference(values, -1));
    }), { numRuns: 300 });
  });

  it('of integer and float32 arrays, and with the only NaN in the last chunk or the tail', () => {
    const n = 256 * 3 + 17;
    const ints = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) - 500);
    expect(argExtremum(ints, 0, n, 1, 1)).toBe(reference(ints, 1));
    expect(argExtremum(ints, 0, n, 1, -1)).toBe(reference(ints, -1));
    const floats = Float32Array.from(ints, (v) => v / 3);
    expect(argExtremum(floats, 0, n, 1, 1)).toBe(reference(floats, 1));
    for (const at of [n - 1, 256 * 3 - 1, 256 * 2 + 5]) {
      const x = Float64Array.from(ints);
      x[at] = Number.NaN;
      expect([argExtremum(x, 0, n, 1, 1), argExtremum(x, 0, n, 1, -1)]).toEqual([at, at]);
    }
    // infinities of both signs in one chunk sum to NaN with no NaN there: the chunk still counts
    const inf = new Float64Array(n).fill(1);
    inf[3] = Number.POSITIVE_INFINITY;
    inf[4] = Number.NEGATIVE_INFINITY;
    expect([argExtremum(inf, 0, n, 1, 1), argExtremum(inf, 0, n, 1, -1)]).toEqual([3, 4]);
  });
});

describe('row sums', () => {
  it('give each column the same bits however the columns are cut', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 39 }), (rows, cols, cut) => {
      const x = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 1e3);
      const whole = new Float64Array(cols);
      sumRows(x, 0, rows, cols, cols, 1, whole, 0);
      const k = Math.min(cut, cols);
      const parts = new Float64Array(cols);
      sumRows(x, 0, rows, cols, k, 1, parts, 0);
      if (k < cols) sumRows(x, k, rows, cols, cols - k, 1, parts, k);
      expect([...parts]).toEqual([...whole]);
    }), { numRuns: 100 });
  });
});
