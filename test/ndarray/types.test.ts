/**
 * The public types a TypeScript user sees. `npm test` type-checks this file (tsc), so a wrong
 * inferred type fails the run; at run time the assertions are no-ops but the values are real.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  DTYPES, SharedNDArray, arange, array, dtype, empty, frombuffer, full, ones, zeros,
  type DTypeLike, type NDArrayDescriptor, type NestedArray,
} from '../../src/index.js';

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
});
