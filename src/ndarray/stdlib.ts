import { createRequire } from 'node:module';
import type { DType, ScalarOf, TypedArray, TypedArrayOf } from './dtype.js';
import type { Order } from './layout.js';

/**
 * What `fromStdlib` needs of a `@stdlib/ndarray` ndarray. Declared structurally, not imported
 * from @stdlib/types, so our declarations pull no third-party .d.ts into a user's type check.
 */
export interface StdlibNdarray {
  readonly dtype: unknown;
  readonly data: unknown;
  readonly shape: ArrayLike<number>;
  readonly strides: ArrayLike<number>;
  readonly offset: number;
  get(...indices: number[]): unknown;
}

/** The stdlib dtype our memory is presented as (see STDLIB_DTYPE). */
export interface StdlibDTypeMap {
  int8: 'int8'; uint8: 'uint8'; uint8c: 'uint8c'; int16: 'int16'; uint16: 'uint16'; int32: 'int32'; uint32: 'uint32';
  int64: 'generic'; uint64: 'generic'; float32: 'float32'; float64: 'float64'; bool: 'uint8';
}
interface ItemsizeMap {
  int8: 1; uint8: 1; uint8c: 1; int16: 2; uint16: 2; int32: 4; uint32: 4; int64: null; uint64: null; float32: 4; float64: 8; bool: 1;
}

/**
 * The stdlib ndarray `toStdlib()` returns: structurally the type stdlib's own declarations give
 * (`float64ndarray` for float64, `int32ndarray` for int32, `genericndarray<bigint>` for int64 …),
 * so it can be passed to typed stdlib functions directly.
 */
export interface StdlibView<D extends DType> {
  readonly dtype: StdlibDTypeMap[D];
  readonly data: TypedArrayOf<D>;
  readonly BYTES_PER_ELEMENT: ItemsizeMap[D];
  readonly byteLength: ItemsizeMap[D] extends null ? null : number;
  readonly flags: { [key: string | symbol | number]: boolean | undefined; ROW_MAJOR_CONTIGUOUS?: boolean; COLUMN_MAJOR_CONTIGUOUS?: boolean; READONLY?: boolean };
  readonly length: number;
  readonly ndims: number;
  readonly offset: number;
  readonly order: 'row-major' | 'column-major';
  readonly shape: number[];
  readonly strides: number[];
  get(...indices: number[]): D extends 'bool' ? number : ScalarOf<D>;
  set(...args: Array<number | (D extends 'bool' ? number : ScalarOf<D>)>): StdlibView<D>;
}

type StdlibCtor = (dtype: string, buffer: ArrayLike<unknown>, shape: number[], strides: number[], offset: number, order: string) => unknown;

// a plain require call, so the dependency rule (.dependency-cruiser.mjs) sees what this file loads
const require = createRequire(import.meta.url);
let ctor: StdlibCtor | undefined;

/**
 * stdlib's `bool` arrays refuse a SharedArrayBuffer and stdlib has no 64-bit integer dtype, so bool
 * is shown as `uint8` (0/1) and int64/uint64 as `generic` over the same BigInt64Array/BigUint64Array:
 * still one memory, no copy.
 */
export const STDLIB_DTYPE: Readonly<StdlibDTypeMap> = Object.freeze({
  int8: 'int8', uint8: 'uint8', uint8c: 'uint8c', int16: 'int16', uint16: 'uint16', int32: 'int32',
  uint32: 'uint32', int64: 'generic', uint64: 'generic', float32: 'float32', float64: 'float64', bool: 'uint8',
});

/** A stdlib ndarray over exactly the same elements; stdlib is loaded on first use only. */
export function stdlibView<D extends DType>(dtype: D, data: TypedArray, shape: number[], strides: number[], offset: number, order: Order): StdlibView<D> {
  ctor ??= require('@stdlib/ndarray/ctor') as StdlibCtor;
  // stdlib spells a 0-d array's strides [0], not []
  return ctor(STDLIB_DTYPE[dtype], data, shape, shape.length ? strides : [0], offset, order === 'C' ? 'row-major' : 'column-major') as StdlibView<D>;
}
