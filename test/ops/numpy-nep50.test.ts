/**
 * numpy's NEP 50 tests (numpy/_core/tests/test_nep50_promotions.py, numpy 2.x), ported: JS
 * numbers and bigints are weak like Python ints and floats. numpy scalars (`np.uint8(1)`) are
 * 0-d arrays here; float16 and complex cases are left out. numpy's OverflowError is a ValueError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, array, equal, greater, greaterEqual, less, lessEqual, notEqual, power, resultType, type SharedNDArray, ValueError,
} from '../../src/index.js';
import type { DType } from '../../src/index.js';
import { params } from '../support/assert.js';

const INTS = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'] as const;
const LIMITS: Record<(typeof INTS)[number], [bigint, bigint]> = {
  int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n], uint16: [0n, 65535n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
};
const big = (d: DType): boolean => d === 'int64' || d === 'uint64';
/** A 0-d array: numpy's scalar of that dtype. */
const scalar = (d: DType, v: bigint | number): SharedNDArray => array(big(d) ? BigInt(v) : Number(v), d).reshape([]);

describe('test_nep50_promotions.py', () => {
  it('test_nep50_examples: a weak int keeps uint8; strong int64 and float64 arrays promote', () => {
    expect(add(scalar('uint8', 1), 2).dtype).toBe('uint8');
    expect(add(array([1], 'uint8'), scalar('int64', 1)).dtype).toBe('int64');
    const wrapped = add(scalar('uint8', 100), 200);
    expect(wrapped.dtype).toBe('uint8');
    expect(wrapped.toArray()).toBe(44);
    const inf = add(scalar('float32', 1), 3e100);
    expect(inf.dtype).toBe('float32');
    expect(inf.toArray()).toBe(Infinity);
    expect(equal(array([0.1], 'float32'), scalar('float64', 0.1)).toArray()).toEqual([false]);
    expect(add(array([0.1], 'float32'), scalar('float64', 0.1)).dtype).toBe('float64');
    expect(add(array([1], 'float32'), scalar('int64', 3)).dtype).toBe('float64');
  });

  it('test_nep50_weak_integers: an array plus its dtype\'s max stays in the dtype (and wraps)', () => {
    for (const dt of INTS) {
      const res = add(scalar(dt, 100), big(dt) ? LIMITS[dt][1] : Number(LIMITS[dt][1]));
      expect(res.dtype).toBe(dt);
    }
  });

  it('test_nep50_weak_integers_with_inexact: a huge int overflows float32 to inf, and is an OverflowError for float64', () => {
    const huge32 = BigInt(Math.fround(3.4028234663852886e38)) * 2n;
    const r = add(scalar('float32', 1), huge32);
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toBe(Infinity);
    const huge64 = BigInt(Number.MAX_VALUE) * 2n;
    expect(() => add(scalar('float64', 1), huge64)).toThrow(ValueError);
  });

  it('test_weak_promotion_scalar_path: uint8 with a weak int, float32 with a weak float', () => {
    for (const op of [add, power]) {
      const r = op(scalar('uint8', 3), 5);
      expect(r.dtype).toBe('uint8');
      expect(r.toArray()).toBe(op === add ? 8 : 243);
      expect(() => op(scalar('uint8', 3), 1000)).toThrow(ValueError);
      const f = op(scalar('float32', 3), 5.5);
      expect(f.dtype).toBe('float32');
      expect(f.toArray()).toBe(Math.fround(op === add ? 8.5 : 3 ** 5.5));
    }
  });

  it('test_nep50_integer_conversion_errors: uint8 + 300 and uint8 + -1 are OverflowErrors naming uint8', () => {
    expect(() => add(array([1], 'uint8'), 300)).toThrow(/uint8/);
    expect(() => add(scalar('uint8', 1), 300)).toThrow(ValueError);
    expect(() => add(scalar('uint8', 1), -1)).toThrow(/-1 is out of bounds for uint8/);
  });

  it('test_nep50_huge_integers: 2**63 fits uint64 but not int64; 2**64 fits neither', () => {
    for (const op of [add, power]) {
      expect(() => op(scalar('int64', 0), 2n ** 63n)).toThrow(ValueError);
      expect(() => op(scalar('uint64', 0), 2n ** 64n)).toThrow(ValueError);
      const res = op(scalar('uint64', 1), 2n ** 63n);
      expect(res.dtype).toBe('uint64');
      expect(res.toArray()).toBe(op === add ? 2n ** 63n + 1n : 1n);
      expect(() => op(scalar('int64', 1), 2n ** 63n)).toThrow(ValueError);
      expect(() => op(scalar('int64', 1), 2n ** 100n)).toThrow(ValueError);
    }
  });

  it('test_expected_promotion: result_type in any order and with any repeats', () => {
    const cases: [DType, DType[], (DType | number)[]][] = [
      ['float32', ['float32'], [0.5, 'uint16', 'int16', 'int8', 0]],
      ['int32', ['int16', 'uint16'], ['int8', 'uint8', 0, 'bool']],
    ];
    for (const [expected, dtypes, optional] of cases) {
      fc.assert(fc.property(fc.array(fc.constantFrom(...dtypes, ...optional)), fc.integer(), (extra, seed) => {
        const all = [...dtypes, ...extra];
        // a deterministic shuffle of `all` from the seed
        let s = seed >>> 0;
        for (let i = all.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [all[i], all[j]] = [all[j]!, all[i]!];
        }
        const arrays = all.filter((x): x is DType => typeof x === 'string');
        const scalars = all.filter((x): x is number => typeof x === 'number');
        expect(resultType(arrays, scalars)).toBe(expected);
      }), params(200));
    }
  });

  it('test_integer_comparison: an int array against a Python int in or out of its range, both ways, exactly', () => {
    const comps = [
      [equal, (x: bigint, y: bigint) => x === y], [notEqual, (x: bigint, y: bigint) => x !== y],
      [lessEqual, (x: bigint, y: bigint) => x <= y], [less, (x: bigint, y: bigint) => x < y],
      [greaterEqual, (x: bigint, y: bigint) => x >= y], [greater, (x: bigint, y: bigint) => x > y],
    ] as const;
    for (const dt of INTS) {
      for (const other of [-200n, -1n, 0n, 9n, 10n, 11n, 2n ** 63n, 200n]) {
        for (const [comp, model] of comps) {
          const val = array(big(dt) ? [10n, 10n] : [10, 10], dt);
          const o = big(dt) || other > 2n ** 53n ? other : Number(other);
          expect(comp(val, o).toArray(), `${dt} ${comp.name} ${other}`).toEqual([model(10n, other), model(10n, other)]);
          expect(comp(o, val).toArray(), `${other} ${comp.name} ${dt}`).toEqual([model(other, 10n), model(other, 10n)]);
        }
      }
    }
  });

  it('test_integer_comparison at the limits of the 64-bit dtypes: exact, not through float64', () => {
    const [, imax] = LIMITS.int64, [, umax] = LIMITS.uint64;
    const i = array([imax, imax - 1n, -(2n ** 63n)], 'int64');
    expect(less(i, 2n ** 63n).toArray()).toEqual([true, true, true]);
    expect(equal(i, 2n ** 63n).toArray()).toEqual([false, false, false]);
    expect(greaterEqual(2n ** 63n, i).toArray()).toEqual([true, true, true]);
    expect(greater(i, -(2n ** 63n) - 1n).toArray()).toEqual([true, true, true]);
    expect(lessEqual(-(2n ** 63n) - 1n, i).toArray()).toEqual([true, true, true]);
    const u = array([umax, 0n], 'uint64');
    expect(greater(u, 2n ** 64n).toArray()).toEqual([false, false]);
    expect(notEqual(u, 2n ** 64n).toArray()).toEqual([true, true]);
    expect(less(2n ** 64n, u).toArray()).toEqual([false, false]);
    expect(greaterEqual(u, -1).toArray()).toEqual([true, true]);
    expect(less(u, -1).toArray()).toEqual([false, false]);
  });

  it('test_integer_comparison_with_cast: a strided uint8 view against -1', () => {
    const arr = array(new Array<number>(10000).fill(1), 'uint8').reshape(100, 100).slice('::2');
    expect((greaterEqual(arr, -1).toArray() as boolean[][]).flat().every((x) => x)).toBe(true);
    expect((less(arr, -1).toArray() as boolean[][]).flat().some((x) => x)).toBe(false);
  });

  it('test_oob_creation: an array of an integer dtype refuses min - 1 and max + 1, and takes min and max', () => {
    for (const dt of INTS) {
      const [lo, hi] = LIMITS[dt];
      const v = (x: bigint): bigint | number => (big(dt) ? x : Number(x));
      expect(() => array([v(lo - 1n)], dt)).toThrow(ValueError);
      expect(() => array([v(hi + 1n)], dt)).toThrow(ValueError);
      expect(array([v(lo)], dt).get(0)).toBe(v(lo));
      expect(array([v(hi)], dt).get(0)).toBe(v(hi));
    }
  });
});
