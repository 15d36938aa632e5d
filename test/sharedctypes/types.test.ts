/**
 * The sharedctypes types a TypeScript user sees. `npm test` type-checks this file (tsc), so a
 * wrong inferred type fails the run (and each @ts-expect-error fails it if the error goes away).
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  Array as SharedCArray, Lock, type RLock, RawArray, RawValue, type SharedArray, type SharedNDArray, SharedValue, type Synchronized,
  type SynchronizedArray, Value,
} from '../../src/index.js';

describe('sharedctypes types', () => {
  it('the typecode gives the dtype, and the lock option the wrapper', () => {
    expectTypeOf(RawValue('i', 7)).toEqualTypeOf<SharedValue<'int32'>>();
    expectTypeOf(Value('d')).toEqualTypeOf<Synchronized<'float64'>>();
    expectTypeOf(Value('d', 1, { lock: new Lock() })).toEqualTypeOf<Synchronized<'float64'>>();
    expectTypeOf(Value('c_double', 1, { lock: false })).toEqualTypeOf<SharedValue<'float64'>>();
    expectTypeOf(RawArray('h', 7)).toEqualTypeOf<SharedArray<'int16'>>();
    expectTypeOf(SharedCArray('Q', [1n])).toEqualTypeOf<SynchronizedArray<'uint64'>>();
    expectTypeOf(SharedCArray('f', 3, { lock: false })).toEqualTypeOf<SharedArray<'float32'>>();
  });

  it('values are numbers, bigints for 64-bit integers, booleans for bool', () => {
    expectTypeOf(RawValue('q').value).toEqualTypeOf<bigint>();
    expectTypeOf(Value('bool').value).toEqualTypeOf<boolean>();
    expectTypeOf(RawValue('d').add(1)).toEqualTypeOf<number>();
    expectTypeOf(RawArray('L', 1).get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(RawArray('i', 1)[0]).toEqualTypeOf<number | undefined>(); // noUncheckedIndexedAccess
    expectTypeOf(SharedCArray('i', 1).toArray()).toEqualTypeOf<number[]>();
    expectTypeOf(RawArray('d', 6).ndarray()).toEqualTypeOf<SharedNDArray<'float64'>>();
    expectTypeOf(Value('i').getObj()).toEqualTypeOf<SharedValue<'int32'>>();
    expectTypeOf(Value('i').getLock()).toEqualTypeOf<Lock | RLock>();
  });

  it('rejects values of the wrong type at compile time', () => {
    const flag = RawValue('bool');
    const big = RawValue('q');
    // @ts-expect-error bool takes booleans
    if (Math.random() > 2) flag.value = 1;
    big.value = 5; // 64-bit integers also take numbers
    // @ts-expect-error no public constructor: use RawValue/Value
    if (Math.random() > 2) new SharedValue();
    // @ts-expect-error 'x' is no typecode
    if (Math.random() > 2) RawValue('x');
  });
});
