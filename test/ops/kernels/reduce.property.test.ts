/**
 * The reduction kernels' fast paths against the plain loops they replace: the contiguous
 * argmax/argmin (eight elements a step, compared with the running best only, a step walked again
 * when one of them is larger or NaN) must give the index the element-by-element scan gives, for
 * runs of any length (steps and a tail) that hold NaN, infinities of both signs, ±0 and ties, and
 * for sorted runs (every step walked again, or none); the row sums must follow their documented
 * pairwise tree bit for bit (two columns a step or one) and not depend on how the columns are cut.
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

  it('of sorted runs, where every step or no step is walked again', () => {
    for (const n of [1, 7, 8, 9, 64, 1001]) {
      const up = Float64Array.from({ length: n }, (_, i) => i - 500);
      const down = up.map((v) => -v);
      expect([argExtremum(up, 0, n, 1, 1), argExtremum(up, 0, n, 1, -1)]).toEqual([n - 1, 0]);
      expect([argExtremum(down, 0, n, 1, 1), argExtremum(down, 0, n, 1, -1)]).toEqual([0, n - 1]);
      // a NaN after the run has risen in the same step: the NaN is the answer
      if (n > 3) {
        up[n - 2] = Number.NaN;
        expect([argExtremum(up, 0, n, 1, 1), argExtremum(up, 0, n, 1, -1)]).toEqual([n - 2, n - 2]);
      }
    }
  });
});

/**
 * sumRows' order for one column, written out plainly: halves down to blocks of at most ROW_LEAF
 * (32) rows; a block adds eight rows at a time as a tree, then four, then one, in order, into a
 * sum that starts at 0; halves add left + right.
 */
function rowTree(v: ArrayLike<number>, lo: number, n: number): number {
  if (n > 32) {
    const h = Math.floor(n / 2);
    return rowTree(v, lo, h) + rowTree(v, lo + h, n - h);
  }
  let acc = 0, r = lo;
  const end = lo + n;
  for (; r + 7 < end; r += 8) acc += ((v[r]! + v[r + 1]!) + (v[r + 2]! + v[r + 3]!)) + ((v[r + 4]! + v[r + 5]!) + (v[r + 6]! + v[r + 7]!));
  for (; r + 3 < end; r += 4) acc += (v[r]! + v[r + 1]!) + (v[r + 2]! + v[r + 3]!);
  for (; r < end; r++) acc += v[r]!;
  return acc;
}

describe('row sums', () => {
  it('follow the pairwise tree over the rows, bit for bit, for contiguous and strided columns', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 2 }), fc.integer(), (rows, cols, cs, seed) => {
      const rs = cols * cs + 1;
      const x = new Float64Array(rows * rs);
      let state = seed >>> 0;
      for (let i = 0; i < x.length; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        x[i] = (state / 2 ** 32 - 0.5) * 10 ** ((state & 7) - 3);
      }
      const acc = new Float64Array(cols + 2).fill(Number.NaN);
      sumRows(x, 1, rows, rs, cols, cs, acc, 1);
      const expected = [...Array(cols).keys()].map((j) => rowTree(Array.from({ length: rows }, (_, r) => x[1 + r * rs + j * cs]!), 0, rows));
      expect([...acc.subarray(1, cols + 1)]).toEqual(expected);
      // nothing outside the columns is written
      expect([acc[0], acc[cols + 1]]).toEqual([Number.NaN, Number.NaN]);
    }), { numRuns: 150 });
  });

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
