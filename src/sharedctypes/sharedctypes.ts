/**
 * Python's `multiprocessing.sharedctypes` functions. `RawValue`/`RawArray` give bare shared
 * memory. Typecodes are Python `array` codes ('i', 'd', ...), numpy or ctypes names ('int32',
 * 'c_double').
 */
import type { DTypeLike, ResolveDType, ScalarInput } from '../ndarray/dtype.js';
import { SharedArray, type SizeOrInit } from './shared-array.js';
import { SharedValue } from './shared-value.js';

/** One shared scalar, zero unless `init` is given (Python's `RawValue`). */
export function RawValue<T extends DTypeLike>(typecode: T, init?: ScalarInput<ResolveDType<T>>): SharedValue<ResolveDType<T>> {
  return SharedValue.create('RawValue', typecode, init);
}

/** A shared array of `size` zeros, or of the given values (Python's `RawArray`). */
export function RawArray<T extends DTypeLike>(typecode: T, sizeOrInit: SizeOrInit<ResolveDType<T>>): SharedArray<ResolveDType<T>> {
  return SharedArray.create('RawArray', typecode, sizeOrInit);
}
