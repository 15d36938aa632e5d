import { createRequire } from 'node:module';
import type { DType, TypedArray } from './dtype.js';
import type { Order } from './layout.js';

/**
 * The part of a `@stdlib/ndarray` ndarray this package relies on. Declared here rather than
 * imported so our published types do not depend on how a user's installer lays out @stdlib.
 */
export interface StdlibNdarray {
  readonly dtype: string | { toString(): string };
  readonly data: ArrayLike<unknown> & { readonly buffer?: ArrayBufferLike; readonly byteOffset?: number };
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly order: 'row-major' | 'column-major';
  readonly ndims?: number;
  get(...indices: number[]): unknown;
  set(...args: unknown[]): StdlibNdarray;
}

type StdlibCtor = (dtype: string, buffer: ArrayLike<unknown>, shape: number[], strides: number[], offset: number, order: string) => StdlibNdarray;

let ctor: StdlibCtor | undefined;

/**
 * The stdlib dtype our memory is presented as. stdlib's `bool` arrays refuse a SharedArrayBuffer
 * and stdlib has no 64-bit integer dtype, so bool is shown as `uint8` (0/1) and int64/uint64 as
 * `generic` over the same BigInt64Array/BigUint64Array: still one memory, no copy.
 */
export const STDLIB_DTYPE: Record<DType, string> = {
  int8: 'int8', uint8: 'uint8', uint8c: 'uint8c', int16: 'int16', uint16: 'uint16', int32: 'int32',
  uint32: 'uint32', int64: 'generic', uint64: 'generic', float32: 'float32', float64: 'float64', bool: 'uint8',
};

/** A stdlib ndarray over exactly the same elements; stdlib is loaded on first use only. */
export function stdlibView(dtype: DType, data: TypedArray, shape: number[], strides: number[], offset: number, order: Order): StdlibNdarray {
  ctor ??= createRequire(import.meta.url)('@stdlib/ndarray/ctor') as StdlibCtor;
  // stdlib spells a 0-d array's strides [0], not []
  return ctor(STDLIB_DTYPE[dtype], data, shape, shape.length ? strides : [0], offset, order === 'C' ? 'row-major' : 'column-major');
}
