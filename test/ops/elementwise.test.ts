/**
 * The elementwise operations' public boundary: typed errors with messages naming the argument,
 * methods on SharedNDArray, the async forms, clip's missing bounds, round's decimals, 0-d and
 * empty arrays, and non-shared memory (which runs inline). Values are in fixtures.test.ts and
 * elementwise.property.test.ts; the pool in default-pool.thread.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  add, addAsync, ArgumentError, arange, array, clip, DTypeError, divide, frombuffer, greater, multiply, ReadOnlyError, round,
  SharedNDArray, ShapeError, sqrt, subtract, ValueError, where, zeros,
} from '../../src/index.js';

describe('errors', () => {
  it('shapes that do not broadcast: ShapeError naming the operands', () => {
    expect(() => add(zeros([2, 3]), zeros([2]))).toThrow(ShapeError);
    expect(() => add(zeros([2, 3]), zeros([2]))).toThrow("add: operands could not be broadcast together: a (2, 3), b (2,) (axis -1 has lengths 3 and 2)");
  });
  it('out of another shape: ShapeError (operands broadcast up to out, as numpy, but out not to them)', () => {
    expect(() => add(zeros([2, 3]), 1, { out: zeros([3, 2]) })).toThrow(/a \(2, 3\), b \(\), options.out \(3, 2\)/);
    expect(() => add(zeros([2, 3]), 1, { out: zeros([3]) })).toThrow(/'options.out': expected shape \(2, 3\)/);
    expect(add(zeros([3]), 1, { out: zeros([2, 3]) }).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });
  it('out whose dtype the result does not cast to under same_kind: DTypeError', () => {
    expect(() => sqrt(arange(4, 'int32'), { out: zeros([4], 'int32') })).toThrow(DTypeError);
    expect(() => add(zeros([2]), zeros([2]), { out: zeros([2], 'int64') })).toThrow("add: invalid argument 'options.out': cannot cast the float64 result to int64 with numpy's casting rule 'same_kind'");
  });
  it('a read-only out: ReadOnlyError', () => {
    const out = new SharedNDArray([2], { buffer: new SharedArrayBuffer(16), readonly: true });
    expect(() => add(zeros([2]), 1, { out })).toThrow(ReadOnlyError);
  });
  it('operands that are not arrays or scalars, unknown options, a pool that is not one: ArgumentError', () => {
    expect(() => add([1, 2] as never, 1)).toThrow("add: invalid argument 'a': expected a SharedNDArray or a number, bigint or boolean, got [1, 2]");
    expect(() => add(zeros([2]), '1' as never)).toThrow(ArgumentError);
    expect(() => add(zeros([2]), 1, { outt: 1 } as never)).toThrow(/unknown option "outt"/);
    expect(() => add(zeros([2]), 1, { pool: {} as never })).toThrow("add: invalid argument 'options.pool': expected a Pool, got an object");
    expect(() => add(zeros([2]), 1, { out: [0, 0] as never })).toThrow(ArgumentError);
  });
  it('a scalar out of the result range, or a number past 2^53 for a 64-bit result: ValueError', () => {
    expect(() => add(arange(3, 'uint8'), -1)).toThrow("add: invalid argument 'b': integer -1 is out of bounds for uint8 [0, 255] (numpy raises OverflowError)");
    expect(() => add(arange(3, 'int64'), 2 ** 60)).toThrow(ValueError);
    expect(add(arange(3, 'int64'), 2n ** 60n).get(1)).toBe(2n ** 60n + 1n);
  });
  it('bool subtract: DTypeError, as numpy', () => {
    expect(() => subtract(array([true]), array([false]))).toThrow(/boolean subtract/);
  });
  it('round with bad decimals: ArgumentError', () => {
    expect(() => round(zeros([2]), { decimals: 1.5 })).toThrow("round: invalid argument 'options.decimals': expected an integer from -400 to 400, got 1.5");
  });
  it('the async forms reject instead of throwing', async () => {
    const p = addAsync(zeros([2, 3]), zeros([2]));
    await expect(p).rejects.toThrow(ShapeError);
  });
});

describe('forms and shapes', () => {
  it('methods on SharedNDArray call the functions with the array first', async () => {
    const a = array([1, 4, 9]);
    expect(a.sqrt().toArray()).toEqual([1, 2, 3]);
    expect(a.add(1).toArray()).toEqual([2, 5, 10]);
    expect((await a.multiplyAsync(2)).toArray()).toEqual([2, 8, 18]);
    expect(a.clip(2, null).toArray()).toEqual([2, 4, 9]);
    expect(a.round({ decimals: -1 }).toArray()).toEqual([0, 0, 10]);
    expect(a.greater(3).dtype).toBe('bool');
  });
  it('a * b + c into out, as functions or methods, makes no temporary', () => {
    const a = arange(12).reshape(3, 4), b = arange(12).reshape(3, 4), c = arange(4), out = zeros([3, 4]);
    // an input copied because it overlaps out would go through copy(); a fresh result would not be out
    const made = vi.spyOn(SharedNDArray.prototype, 'copy');
    const before = out.buffer;
    try {
      expect(add(multiply(a, b, { out }), c, { out })).toBe(out);
      expect(a.multiply(b, { out }).add(c, { out })).toBe(out);
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
    expect(out.buffer).toBe(before);
    expect(out.toArray()).toEqual([[0, 2, 6, 12], [16, 26, 38, 52], [64, 82, 102, 124]]);
  });
  it('clip with one bound is maximum or minimum', () => {
    expect(clip(array([1, 5, 9]), null, 4).toArray()).toEqual([1, 4, 4]);
    expect(clip(array([1, 5, 9]), 4, undefined).toArray()).toEqual([4, 5, 9]);
  });
  it('an empty view inside a larger buffer: nothing is written', () => {
    const base = arange(6);
    add(base.slice('2:2'), 10, { out: base.slice('3:3') });
    add(base.reshape(2, 3).slice(null, '1:1'), 5, { out: base.reshape(2, 3).slice(null, '2:2') });
    expect(base.toArray()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('0-d and empty operands', () => {
    expect(add(array(2).reshape([]), 3).toArray()).toBe(5);
    expect(add(zeros([0, 3]), zeros([3])).shape).toEqual([0, 3]);
    expect(divide(zeros([0]), 1).dtype).toBe('float64');
  });
  it('scalars alone give a 0-d array of their default dtype', () => {
    const r = add(1, 2);
    expect(r.shape).toEqual([]);
    expect(r.dtype).toBe('int64');
  });
  it('arrays over plain (non-shared) memory work too, inline', () => {
    const a = frombuffer(new Float64Array([1, 2, 3, 4]).buffer);
    expect(a.isShared).toBe(false);
    expect(add(a, a).toArray()).toEqual([2, 4, 6, 8]);
    expect(greater(a, 2).toArray()).toEqual([false, false, true, true]);
  });
  it('where broadcasts its condition', () => {
    expect(where(array([true, false]), array([[1, 2], [3, 4]]), -1).toArray()).toEqual([[1, -1], [3, -1]]);
  });
});
