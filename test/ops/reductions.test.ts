/**
 * The reductions beyond the fixtures: the errors, `out`, accuracy against exact sums, integer
 * wrap-around, and that splitting the reduced run into blocks (what the pool does for few outputs)
 * gives the very bits of the unsplit kernels, whichever way the jobs are cut.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, ReadOnlyError, ShapeError, SharedNDArray, ValueError, arange, array, zeros,
} from '../../src/index.js';
import { pairwiseSum, sumRows } from '../../src/ops/kernels/reduce.js';
import { combine, runUnits, units } from '../../src/ops/reduce-plan.js';
import * as ops from '../../src/ops/reductions.js';

/**
 * Zeros in a plain ArrayBuffer: memory no worker can share, so the reductions below run inline on
 * this thread whatever their size (pools are the thread tests' business).
 */
function plain<D extends 'float64' | 'int32'>(shape: number[], dtype: D): SharedNDArray<D> {
  const n = shape.reduce((x, y) => x * y, 1);
  return new SharedNDArray(shape, { dtype, buffer: new ArrayBuffer(n * (dtype === 'int32' ? 4 : 8)) }) as SharedNDArray<D>;
}

/** Deterministic pseudo-random doubles of mixed sign and magnitude (sums that cancel). */
function noisy(n: number, seed = 1): SharedNDArray<'float64'> {
  const a = plain([n], 'float64');
  const d = a.data;
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    d[i] = ((s / 2 ** 31) - 0.5) * 2 ** ((s % 40) - 20);
  }
  return a;
}

/** The exact sum of doubles, rounded once: every double is a multiple of 2^-1074, so bigints hold it. */
function exactSum(xs: Iterable<number>): number {
  const SHIFT = 1074n;
  let total = 0n;
  const view = new DataView(new ArrayBuffer(8));
  for (const x of xs) {
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const exp = Number((bits >> 52n) & 0x7ffn), frac = bits & ((1n << 52n) - 1n);
    const mant = exp === 0 ? frac : frac | (1n << 52n);
    const scaled = mant << BigInt(Math.max(exp - 1, 0));
    total += bits >> 63n ? -scaled : scaled;
  }
  // round total * 2^-1074 to a double: exact to 2^53 in the division below by splitting
  const neg = total < 0n, m = neg ? -total : total;
  const len = m.toString(2).length;
  const shift = Math.max(len - 60, 0);
  const value = Number(m >> BigInt(shift)) * 2 ** (shift - Number(SHIFT));
  return neg ? -value : value;
}

describe('reduction errors', () => {
  const a = arange(12).reshape(3, 4);
  it('name the axis that is out of bounds, repeated, or a list for argmax', () => {
    expect(() => ops.sum(a, { axis: 2 })).toThrow(ShapeError);
    expect(() => ops.sum(a, { axis: 2 })).toThrow(/axis 2 is out of bounds for array of dimension 2/);
    expect(() => ops.sum(a, { axis: [1, -1] })).toThrow(/'axis'/);
    expect(() => ops.sum(a, { axis: 1.5 })).toThrow(ArgumentError);
    expect(() => ops.argmax(a, { axis: [0] as unknown as number })).toThrow(/argmax: invalid argument 'axis'/);
  });
  it('refuse an out of the wrong shape, of a dtype the result cannot cast to, or read-only', () => {
    expect(() => ops.sum(a, { axis: 0, out: zeros([3]) })).toThrow(ShapeError);
    expect(() => ops.sum(a, { axis: 0, out: zeros([1, 4]) })).toThrow(/expected shape \(4,\), got \(1, 4\)/);
    expect(() => ops.sum(a, { axis: 0, out: zeros([4], 'int32') })).toThrow(DTypeError);
    expect(() => ops.mean(arange(4, 'int32'), { axis: 0, out: zeros([], 'int64') })).toThrow(/same_kind/);
    const ro = new SharedNDArray([4], { buffer: new SharedArrayBuffer(32), readonly: true });
    expect(() => ops.sum(a, { axis: 0, out: ro })).toThrow(ReadOnlyError);
    expect(() => ops.sum(a, { out: [1] as unknown as SharedNDArray })).toThrow(ArgumentError);
  });
  it('refuse a bad dtype, ddof or option', () => {
    expect(() => ops.sum(a, { dtype: 'float16' as 'float32' })).toThrow(DTypeError);
    expect(() => ops.mean(a, { dtype: 'int32' as 'float32' })).toThrow(/mean: invalid argument 'dtype': expected a float dtype/);
    expect(() => ops.var(a, { ddof: Number.NaN })).toThrow(/ddof/);
    expect(() => ops.sum(a, { axes: 0 } as ops.ReduceOptions)).toThrow(/unknown option "axes"/);
    expect(() => ops.min(a, { dtype: 'int32' } as ops.ReduceOptions)).toThrow(ArgumentError);
    expect(() => ops.sum([1, 2] as unknown as SharedNDArray)).toThrow(/sum: invalid argument 'a': expected a SharedNDArray/);
  });
  it('refuse min, max, argmin and argmax of nothing, but not sum, prod, any, all or mean', () => {
    const e = zeros([0, 3]);
    expect(() => ops.max(e)).toThrow(ValueError);
    expect(() => ops.argmin(e, { axis: 0 })).toThrow(/argmin of an empty sequence/);
    expect(ops.max(e, { axis: 1 }).shape).toEqual([0]);
    expect([ops.sum(e), ops.prod(e), ops.any(e), ops.all(e)]).toEqual([0, 1, false, true]);
    expect(ops.mean(e)).toBeNaN();
    expect(ops.var(arange(1), { ddof: 1 })).toBeNaN();
    expect(ops.var(arange(2), { ddof: 2 })).toBe(Infinity);
  });
});

describe('out', () => {
  it('receives the result, cast same_kind, through any strides, and is returned', () => {
    const a = arange(12).reshape(3, 4);
    const out = zeros([4, 2], 'float32');
    const col = out.slice('::-1', 1);
    const returned: SharedNDArray = ops.sum(a, { axis: 0, out: col });
    expect(returned).toBe(col);
    expect(out.toArray()).toEqual([[0, 21], [0, 18], [0, 15], [0, 12]]);
    const i = zeros([3, 1], 'int32');
    ops.argmax(a, { axis: 1, keepdims: true, out: i as unknown as SharedNDArray });
    expect(i.toArray()).toEqual([[3], [3], [3]]);
    const b = zeros([], 'bool');
    expect(ops.any(a, { out: b }).get()).toBe(true);
  });
});

describe('integers', () => {
  it('sum and multiply exactly into int64, wrapping modulo 2^64 as numpy does', () => {
    const big = array([2n ** 62n, 2n ** 62n, 2n ** 62n], 'int64');
    expect(ops.sum(big)).toBe(BigInt.asIntN(64, 3n * 2n ** 62n));
    expect(ops.prod(array([2n ** 40n, 2n ** 40n], 'int64'))).toBe(0n);
    expect(ops.prod(arange(1, 21, 'int32'))).toBe(2432902008176640000n);
    expect(ops.sum(array([4294967295, 4294967295], 'uint32'))).toBe(8589934590n);
    expect(ops.sum(arange(300, 'int32'), { dtype: 'int8' })).toBe(Number(BigInt.asIntN(8, 44850n)));
    const u = array([2n ** 64n - 1n, 1n, 2n ** 63n], 'uint64');
    expect([ops.max(u), ops.min(u), ops.argmax(u)]).toEqual([2n ** 64n - 1n, 1n, 0]);
    expect(ops.sum(u)).toBe(BigInt.asUintN(64, 2n ** 64n + 2n ** 63n));
  });
  it('sums of int32 past 2^53 stay exact', () => {
    const n = 2 ** 22 + 3;
    const a = plain([n], 'int32');
    a.data.fill(2 ** 31 - 1);
    expect(ops.sum(a)).toBe(BigInt(n) * (2n ** 31n - 1n));
  });
});

describe('accuracy', () => {
  it('a long float64 sum equals numpy\'s pairwise sum bit for bit, and is close to the exact sum', () => {
    const a = noisy(300_001);
    const got = ops.sum(a);
    expect(got).toBe(pairwiseSum(a.data, 0, a.size, 1));
    const exact = exactSum(a.data);
    const naive = a.data.reduce((x, y) => x + y, 0);
    expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.abs(naive - exact));
    expect(Math.abs(got - exact)).toBeLessThan(1e-9 * Math.abs(exact) + 1e-300);
  });
  it('summing down many rows (axis 0) is pairwise: no less accurate than adding rows in order', () => {
    const n = 50_000, m = 3;
    const a = noisy(n * m, 7).reshape(n, m);
    const got = ops.sum(a, { axis: 0 }).toArray() as number[];
    for (let j = 0; j < m; j++) {
      const col = Array.from({ length: n }, (_, i) => a.get(i, j));
      const exact = exactSum(col);
      const inOrder = col.reduce((x, y) => x + y, 0);
      expect(Math.abs(got[j]! - exact)).toBeLessThanOrEqual(Math.abs(inOrder - exact));
    }
  });
  it('var is two-pass: no cancellation for data far from zero', () => {
    const a = plain([1000], 'float64');
    a.data.forEach((_, i) => { a.data[i] = 1e9 + (i % 2); });
    expect(ops.var(a)).toBe(0.25);
    expect(ops.std(a, { ddof: 1 })).toBeCloseTo(Math.sqrt(250 / 999), 15);
  });
});

describe('blocks of the reduced run', () => {
  it('combine to the unsplit kernel\'s bits, however the jobs cut the outputs', () => {
    const n = 1 << 18;
    const full = ops.prepare('sum', noisy(n, 3), undefined, ['axis']);
    expect(full.plan.depth).toBeGreaterThan(0);
    const x = noisy(n, 3);
    expect(ops.sum(x)).toBe(pairwiseSum(x.data, 0, n, 1));

    const rows = noisy(n * 3, 5).reshape(n, 3);
    const p = ops.prepare('sum', rows, { axis: 0 }, ['axis']);
    expect(p.plan.rows).toBe(true);
    expect(p.plan.depth).toBeGreaterThan(0);
    const expected = new Float64Array(3);
    sumRows(rows.data, 0, n, 3, 3, 1, expected, 0);
    const data = ops.rawData(p.source, 'test');
    const total = units(p.plan);
    for (const cuts of [[0, total], [0, 1, total], [0, 5, 6, total - 1, total], [...Array(total + 1).keys()]]) {
      const acc = ops.allocateAccumulators(p.plan, false, false) as Float64Array;
      for (let k = 1; k < cuts.length; k++) runUnits(p.plan, data, acc, undefined, cuts[k - 1]!, cuts[k]!);
      expect([...combine(p.plan, data, acc)]).toEqual([...expected]);
    }
    expect(ops.sum(rows, { axis: 0 }).toArray()).toEqual([...expected]);

    // many outputs down rows: the rows split too (whole rows stream), still the unsplit bits
    const wide = noisy(1000 * 300, 6).reshape(1000, 300);
    const q = ops.prepare('sum', wide, { axis: 0 }, ['axis']);
    expect([q.plan.rows, q.plan.depth]).toEqual([true, 3]);
    const unsplit = new Float64Array(300);
    sumRows(wide.data, 0, 1000, 300, 300, 1, unsplit, 0);
    expect(ops.sum(wide, { axis: 0 }).toArray()).toEqual([...unsplit]);
  });
  it('keep the first extreme and the first NaN across blocks', () => {
    const n = 1 << 18;
    const a = plain([n], 'float64');
    a.data[n - 5] = 7;
    a.data[n - 1] = 7;
    a.data[3] = -1;
    expect([ops.argmax(a), ops.argmin(a), ops.max(a), ops.min(a)]).toEqual([n - 5, 3, 7, -1]);
    a.data[n - 3] = Number.NaN;
    a.data[n - 2] = Number.NaN;
    expect([ops.argmax(a), ops.argmin(a)]).toEqual([n - 3, n - 3]);
    expect(ops.max(a)).toBeNaN();
    const m = plain([n, 2], 'float64');
    m.set(n - 2, 1, Number.NaN);
    m.set(5, 1, 3);
    expect(ops.argmax(m, { axis: 0 }).toArray()).toEqual([0n, BigInt(n - 2)]);
    expect(ops.max(m, { axis: 0 }).toArray()).toEqual([0, Number.NaN]);
  });
});
