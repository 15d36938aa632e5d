/**
 * numpy's own tests of the ndarray core's views (reshape, transpose, squeeze, ravel, flatten,
 * newaxis, negative strides) and of round/std/var as methods, ported to this package's API. Each
 * `describe` names its source file in numpy (numpy/_core/tests/, numpy 2.x), each `it` the test
 * function. numpy's orders 'A' and 'K', `swapaxes` and `np.shares_memory` have no counterpart
 * here; views are told apart by their buffer.
 */
import { describe, expect, it } from 'vitest';
import {
  arange, array, CopyRequiredError, IndexError, multiply, newaxis, round, ShapeError, type SharedNDArray, std, var as variance, zeros,
} from '../../src/index.js';

const shares = (a: SharedNDArray, b: SharedNDArray): boolean => a.buffer === b.buffer;

describe('test_multiarray.py TestMethods', () => {
  it('test_reshape: C and F order, and of a transposed view', () => {
    const arr = array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]], 'int64');
    const n = (a: SharedNDArray): number[][] => (a.toArray() as bigint[][]).map((r) => r.map(Number));
    expect(n(arr.reshape(2, 6))).toEqual([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
    expect(n(arr.reshape(3, 4))).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(n(arr.reshape([3, 4], { order: 'F' }))).toEqual([[1, 10, 8, 6], [4, 2, 11, 9], [7, 5, 3, 12]]);
    expect(n(arr.T.reshape([3, 4], { order: 'C' }))).toEqual([[1, 4, 7, 10], [2, 5, 8, 11], [3, 6, 9, 12]]);
  });

  it('test_round: half to even, decimals, 0-d arrays, and out', () => {
    const check = (a: SharedNDArray, expected: unknown, decimals = 0): void => {
      expect(a.round({ decimals }).toArray()).toEqual(expected);
      const out = zeros(a.shape, a.dtype);
      const res = a.round({ decimals, out });
      expect(res).toBe(out);
      expect(out.toArray()).toEqual(expected);
    };
    check(array([1, 2, 3], 'int32'), [1, 2, 3]);
    check(array([1.2, 1.5]), [1, 2]);
    check(array(1.5), 2);
    check(array([12.2, 15.5]), [10, 20], -1);
    check(array([12.15, 15.51]), [12.2, 15.5], 1);
  });

  it('test_round_copies: round never returns a view of its input', () => {
    for (const dt of ['uint8', 'int64', 'float64'] as const) {
      const a = arange(3, dt);
      expect(shares(a.round(), a)).toBe(false);
      expect(shares(a.round({ decimals: 2 }), a)).toBe(false);
      expect(shares(a.round({ out: zeros([3], dt) }), a)).toBe(false);
    }
  });

  it('test_squeeze: all length-1 axes, or the ones named; a longer named axis is a ValueError (ShapeError)', () => {
    const a = array([[[1], [2], [3]]]);
    expect(a.squeeze().toArray()).toEqual([1, 2, 3]);
    expect(a.squeeze([0]).toArray()).toEqual([[1], [2], [3]]);
    expect(() => a.squeeze([1])).toThrow(ShapeError);
    expect(a.squeeze([2]).toArray()).toEqual([[1, 2, 3]]);
  });

  it('test_transpose: reversed axes; too few, repeated or too many axes are ValueErrors (ShapeError)', () => {
    const a = array([[1, 2], [3, 4]]);
    expect(a.transpose().toArray()).toEqual([[1, 3], [2, 4]]);
    expect(() => a.transpose(0)).toThrow(ShapeError);
    expect(() => a.transpose(0, 0)).toThrow(ShapeError);
    expect(() => a.transpose(0, 1, 2)).toThrow(ShapeError);
  });

  it('test_flatten: C and F order, F equal to the transpose\'s C', () => {
    const x0 = array([[1, 2, 3], [4, 5, 6]], 'int32');
    const x1 = array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], 'int32');
    expect(x0.flatten().toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x0.flatten('F').toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(x0.flatten('F').toArray()).toEqual(x0.T.flatten().toArray());
    expect(x1.flatten().toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(x1.flatten('F').toArray()).toEqual([1, 5, 3, 7, 2, 6, 4, 8]);
    expect(x1.flatten('F').toArray()).toEqual(x1.T.flatten().toArray());
    expect(shares(x0.flatten(), x0)).toBe(false);
  });

  it('test_ravel: a view when contiguous, a copy otherwise; C and F order over reversed and stepped views', () => {
    let a: SharedNDArray = array([[0, 1], [2, 3]]);
    expect(a.ravel().toArray()).toEqual([0, 1, 2, 3]);
    expect(shares(a.ravel(), a)).toBe(true);
    expect(a.ravel('F').toArray()).toEqual([0, 2, 1, 3]);
    expect(a.ravel().toArray()).toEqual(a.reshape(-1).toArray());
    a = array([[0, 1], [2, 3]], null, 'F');
    expect(a.ravel().toArray()).toEqual([0, 1, 2, 3]);
    expect(shares(a.ravel('F'), a)).toBe(true);
    a = array([[0, 1], [2, 3]]).slice('::-1', ':');
    expect(a.ravel().toArray()).toEqual([2, 3, 0, 1]);
    expect(a.ravel('F').toArray()).toEqual([2, 0, 3, 1]);
    const stepped = arange(10).slice('::2');
    expect(shares(stepped.ravel(), stepped)).toBe(false);
    expect(shares(stepped.ravel('F'), stepped)).toBe(false);
    const rev = arange(4).slice('::-1').reshape(2, 2);
    expect(shares(rev.ravel('C'), rev)).toBe(false);
    expect(rev.ravel('C').toArray()).toEqual([3, 2, 1, 0]);
    for (const order of ['C', 'F'] as const) {
      const z = array(0);
      expect(z.ravel(order).toArray()).toEqual([0]);
      expect(shares(z.ravel(order), z)).toBe(true);
    }
    const b = arange(32).slice('::2').reshape(2, 2, 2, 2);
    const c = b.slice('...', '::2');
    expect(c.ravel('C').toArray()).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(c.ravel('F').toArray()).toEqual([0, 16, 8, 24, 4, 20, 12, 28]);
    const d = b.slice('::2', '...');
    expect(d.ravel('C').toArray()).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(d.ravel('F').toArray()).toEqual([0, 8, 4, 12, 2, 10, 6, 14]);
  });
});

describe('test_multiarray.py TestNewaxis', () => {
  it('test_basic: a scalar times a newaxis view', () => {
    const sk = array([0, -0.1, 0.1]);
    const res = multiply(250, sk.slice(':', newaxis));
    expect(res.shape).toEqual([3, 1]);
    expect(res.ravel().toArray()).toEqual([0, -25, 25]);
  });
});

describe('test_numeric.py TestNonarrayArgs', () => {
  it('test_reshape and test_ravel', () => {
    const arr = array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
    expect(arr.reshape(2, 6).toArray()).toEqual([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
    expect(arr.ravel().toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('test_reshape_copy_arg: a view where one exists, a copy when asked, CopyRequiredError for copy: false without one', () => {
    const arr = arange(24).reshape(2, 3, 4);
    const arrF = arr.copy('F');
    expect(shares(arr.reshape([12, 2]), arr)).toBe(true);
    expect(shares(arr.reshape([12, 2], { order: 'C' }), arr)).toBe(true);
    expect(shares(arrF.reshape([12, 2], { order: 'F' }), arrF)).toBe(true);
    expect(shares(arr.reshape([12, 2], { copy: false }), arr)).toBe(true);
    expect(shares(arr.reshape([12, 2], { copy: true }), arr)).toBe(false);
    expect(shares(arr.reshape([12, 2], { order: 'F', copy: true }), arr)).toBe(false);
    expect(shares(arr.reshape([12, 2], { order: 'F' }), arr)).toBe(false);
    expect(() => arr.reshape([12, 2], { order: 'F', copy: false })).toThrow(CopyRequiredError);
    expect(() => arrF.reshape([12, 2], { order: 'C', copy: false })).toThrow(CopyRequiredError);
  });

  it('test_round: numpy.around to one decimal', () => {
    expect(round(array([1.56, 72.54, 6.35, 3.25]), { decimals: 1 }).toArray()).toEqual([1.6, 72.5, 6.4, 3.2]);
  });

  it('test_squeeze: every length-1 axis, or the one named (negative counts from the end)', () => {
    expect(array([[[1, 1, 1], [2, 2, 2], [3, 3, 3]]]).squeeze().shape).toEqual([3, 3]);
    expect(zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(zeros([1, 3, 1]).squeeze(0).shape).toEqual([3, 1]);
    expect(zeros([1, 3, 1]).squeeze(-1).shape).toEqual([1, 3]);
    expect(zeros([1, 3, 1]).squeeze(2).shape).toEqual([1, 3]);
  });

  it('test_transpose: axes as a list, negative axes', () => {
    const arr = array([[1, 2], [3, 4], [5, 6]]);
    expect(arr.transpose([1, 0]).toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(arr.transpose([-1, -2]).toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
  });

  it('test_std and test_var: over all, along each axis, and NaN of nothing', () => {
    const A = array([[1, 2, 3], [4, 5, 6]]);
    expect(std(A)).toBeCloseTo(1.707825127659933, 12);
    expect(std(A, { axis: 0 }).toArray()).toEqual([1.5, 1.5, 1.5]);
    (std(A, { axis: 1 }).toArray() as number[]).forEach((v) => {
      expect(v).toBeCloseTo(0.81649658, 7);
    });
    expect(Number.isNaN(std(array([] as number[])))).toBe(true);
    expect(variance(A)).toBeCloseTo(2.9166666666666665, 12);
    expect(variance(A, { axis: 0 }).toArray()).toEqual([2.25, 2.25, 2.25]);
    (variance(A, { axis: 1 }).toArray() as number[]).forEach((v) => {
      expect(v).toBeCloseTo(0.66666667, 7);
    });
    expect(Number.isNaN(variance(array([] as number[])))).toBe(true);
  });
});

describe('numpy/lib/tests/test_shape_base.py TestExpandDims', () => {
  it('test_axis_tuple, test_axis_out_of_range, test_repeated_axis', () => {
    const a = zeros([3, 3, 3]);
    expect(a.expandDims([0, 1, 2]).shape).toEqual([1, 1, 1, 3, 3, 3]);
    expect(a.expandDims([0, -1, -2]).shape).toEqual([1, 3, 3, 3, 1, 1]);
    expect(a.expandDims([0, 3, 5]).shape).toEqual([1, 3, 3, 1, 3, 1]);
    expect(a.expandDims([0, -3, -5]).shape).toEqual([1, 1, 3, 1, 3, 3]);
    const s = zeros([1, 2, 3, 4]);
    for (const axis of [-6, 5]) expect(() => s.expandDims(axis)).toThrow(ShapeError);
    expect(() => zeros([3, 3, 3]).expandDims([1, 1])).toThrow(ShapeError);
  });
});

describe('test_indexing.py TestIndexing (basic indexing)', () => {
  const a = array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  it('test_ellipsis_index: a new view of the same memory; ellipsis skips any number of axes; 0-d by ellipsis', () => {
    const v = a.slice('...');
    expect(v).not.toBe(a);
    expect(shares(v, a)).toBe(true);
    expect(v.toArray()).toEqual(a.toArray());
    expect(a.slice(0, '...').toArray()).toEqual(a.row(0).toArray());
    expect(a.slice(0, '...').toArray()).toEqual(a.slice(0, ':').toArray());
    expect(a.slice('...', 0).toArray()).toEqual(a.slice(':', 0).toArray());
    const r = a.slice(0, '...', 1);
    expect(r.shape).toEqual([]);
    expect(r.toArray()).toBe(2);
    const b = array(1);
    b.slice('...').fill(2);
    expect(b.toArray()).toBe(2);
  });

  it('test_single_int_index: rows by positive and negative index; out of range is an IndexError', () => {
    expect(a.row(0).toArray()).toEqual([1, 2, 3]);
    expect(a.row(-1).toArray()).toEqual([7, 8, 9]);
    expect(() => a.slice(1 << 30)).toThrow(IndexError);
    expect(() => a.slice(-(1 << 30))).toThrow(IndexError);
  });

  it('test_slicing_no_floats and the single ellipsis: a float index or two ellipses are IndexErrors', () => {
    expect(() => a.slice(1.5 as never)).toThrow(IndexError);
    expect(() => a.slice('...', '...')).toThrow(IndexError);
  });

  it('test_empty_tuple_index: a 0-d array indexed by nothing gives its element', () => {
    expect(array(5).get()).toBe(5);
    expect(array(5).slice().shape).toEqual([]);
  });
});
