/**
 * The public types a TypeScript user sees. `npm test` type-checks this file (tsc), so a wrong
 * inferred type fails the run; at run time the assertions are no-ops but the values are real.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  DTYPES, DTypeError, JoinableQueue, Queue, ShapeError, SharedNDArray, SimpleQueue, arange, array, dtype, empty, frombuffer, full, ones, zeros,
  type DTypeLike, type NDArrayDescriptor, type NestedArray, type TypedArray,
} from '../../src/index.js';
import { thrown } from '../support/assert.js';

describe('inferred types', () => {
  it('creation functions type their dtype from any spelling, defaulting to float64', () => {
    expectTypeOf(zeros(3)).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(zeros(3, undefined, 'F')).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(zeros(3, 'i4')).toEqualTypeOf<SharedNDArray<'int32'>>();
    expectTypeOf(empty([2], '<f4')).toEqualTypeOf<SharedNDArray<'float32'>>();
    expectTypeOf(ones(2, '?')).toEqualTypeOf<SharedNDArray<'bool'>>();
    expectTypeOf(ones(2, DTYPES.uint16)).toEqualTypeOf<SharedNDArray<'uint16'>>();
    expectTypeOf(full(2, 1.5)).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(full(2, true, undefined, 'F')).toEqualTypeOf<SharedNDArray<'bool'>>();
    expectTypeOf(full(2, 7n)).toEqualTypeOf<SharedNDArray<'int64'>>();
    expectTypeOf(full(2, 7, 'c_short')).toEqualTypeOf<SharedNDArray<'int16'>>();
    expectTypeOf(arange(5)).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(arange(0, 5, 'u1')).toEqualTypeOf<SharedNDArray<'uint8'>>();
    expectTypeOf(arange(0n, 5n)).toEqualTypeOf<SharedNDArray<'int64'>>();
    expectTypeOf(arange(0n, 5n, 'float64')).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(frombuffer(new SharedArrayBuffer(8))).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(frombuffer(new SharedArrayBuffer(8), { dtype: 'c_double' })).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(dtype('|u1')).toEqualTypeOf<'uint8'>();
    expectTypeOf(dtype('L')).toEqualTypeOf<'uint64'>();
  });

  it('array() follows its input: typed arrays, SharedNDArrays, nested numbers, booleans and bigints', () => {
    expectTypeOf(array(new Int16Array(2))).toEqualTypeOf<SharedNDArray<'int16'>>();
    expectTypeOf(array(new Uint8ClampedArray(2))).toEqualTypeOf<SharedNDArray<'uint8c'>>();
    expectTypeOf(array(zeros(2, 'u4'))).toEqualTypeOf<SharedNDArray<'uint32'>>();
    expectTypeOf(array([[1, 2], [3, 4]])).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(array([true, false])).toEqualTypeOf<SharedNDArray<'bool'>>();
    expectTypeOf(array([1n])).toEqualTypeOf<SharedNDArray<'int64'>>();
    expectTypeOf(array([1, 2], 'int8')).toEqualTypeOf<SharedNDArray<'int8'>>();
  });

  it('a dtype held in a variable still type-checks, with the general type', () => {
    const pick = (dt?: DTypeLike) => [zeros(2, dt), ones(2, dt), empty(2, dt), full(2, 1, dt)];
    expectTypeOf(pick('f4')).toEqualTypeOf<SharedNDArray[]>();
  });

  it('elements, views, descriptors and stdlib views keep the dtype', () => {
    const i64 = zeros([2, 2], 'int64');
    expectTypeOf(i64.get(0, 0)).toEqualTypeOf<bigint>();
    expectTypeOf(zeros(2, 'bool').get(0)).toEqualTypeOf<boolean>();
    expectTypeOf(zeros(2, 'f4').get(0)).toEqualTypeOf<number>();
    expectTypeOf(i64.T.row(0).slice('::-1')).toEqualTypeOf<SharedNDArray<'int64'>>();
    expectTypeOf(i64.astype('d')).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(i64.toArray()).toEqualTypeOf<NestedArray<bigint>>();
    expectTypeOf(i64.data).toEqualTypeOf<BigInt64Array>();
    expectTypeOf(i64.toDescriptor()).toEqualTypeOf<NDArrayDescriptor<'int64'>>();
    expectTypeOf(SharedNDArray.fromDescriptor(i64.toDescriptor())).toEqualTypeOf<SharedNDArray<'int64'>>();
    expectTypeOf(zeros(2).toStdlib().dtype).toEqualTypeOf<'float64'>();
    expectTypeOf(zeros(2).toStdlib().data).toEqualTypeOf<Float64Array>();
    expectTypeOf(i64.toStdlib().dtype).toEqualTypeOf<'generic'>();
    expectTypeOf(zeros(2, 'bool').toStdlib().dtype).toEqualTypeOf<'uint8'>();
    expectTypeOf(new SharedNDArray([2], { dtype: 'int32' })).toEqualTypeOf<SharedNDArray<'int32'>>();
    for (const r of i64.rows()) expectTypeOf(r).toEqualTypeOf<SharedNDArray<'int64'>>();
  });

  it('toArray(ndim) types the nesting and checks it; is(dtype) narrows an array of unknown dtype', () => {
    expectTypeOf(zeros(3).toArray(1)).toEqualTypeOf<number[]>();
    expectTypeOf(zeros([2, 2], 'int64').toArray(2)).toEqualTypeOf<bigint[][]>();
    expectTypeOf(zeros([2, 2, 2], 'bool').toArray(3)).toEqualTypeOf<boolean[][][]>();
    expect(zeros([2, 3]).fill(1).toArray(2)).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(zeros([], 'int32').toArray(0)).toBe(0);
    const wrong = thrown(() => zeros([2, 3]).toArray(1));
    expect(wrong).toBeInstanceOf(ShapeError);
    expect(wrong.message).toBe("toArray: invalid argument 'ndim': the array has 2 dimensions (shape (2, 3)), not 1");

    const loaded = zeros(2, 'float32') as SharedNDArray;
    expectTypeOf(loaded.data).toEqualTypeOf<TypedArray>();
    if (loaded.is('f4')) expectTypeOf(loaded.data).toEqualTypeOf<Float32Array>();
    expect(loaded.is('float32')).toBe(true);
    expect(loaded.is('<f4')).toBe(true);
    expect(loaded.is(DTYPES.float32)).toBe(true);
    expect(loaded.is('float64')).toBe(false);
    expect(() => loaded.is('float128' as never)).toThrow(DTypeError);
  });

  it('Queue<T> types its items', () => {
    // every get below has an item waiting: these lines run, and a get on an empty queue would block
    const q = new Queue<{ id: number }>();
    q.put({ id: 1 });
    q.put({ id: 2 });
    expectTypeOf(q.get()).toEqualTypeOf<{ id: number }>();
    expectTypeOf(q.getAsync()).toEqualTypeOf<Promise<{ id: number }>>();
    expectTypeOf(new JoinableQueue<number>().getNowait).returns.toEqualTypeOf<number>();
    const simple = new SimpleQueue<string>();
    simple.put('s');
    expectTypeOf(simple.get()).toEqualTypeOf<string>();
    expectTypeOf(new Queue().getNowait).returns.toEqualTypeOf<unknown>();
    // @ts-expect-error: a Queue<{ id: number }> takes { id } objects
    q.putNowait('one');
  });
});
