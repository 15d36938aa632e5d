import { ArgumentError, BufferError, DTypeError, NotSharedError, SharedNDArrayError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, dtypeOfTypedArray, type DType, type TypedArray } from './dtype.js';
import { SharedNDArray } from './ndarray.js';
import type { StdlibNdarray } from './stdlib.js';
import { toStored } from './values.js';

export interface FromStdlibOptions {
  /** `true`: copy into fresh shared memory (required when the stdlib array's memory is not shared). */
  copy?: boolean;
}

/**
 * Wraps a `@stdlib/ndarray` ndarray as a SharedNDArray. When its data lives in a
 * SharedArrayBuffer the result views the same memory; otherwise pass `{ copy: true }` to copy it
 * into shared memory (else NotSharedError, so a copy never happens by surprise).
 * @throws {ArgumentError} when `x` is not a stdlib ndarray, or `options` is malformed
 * @throws {DTypeError} when its dtype has no SharedNDArray counterpart
 * @throws {NotSharedError} when its memory is not shared and `copy` is not true
 * @throws {BufferError} when its shape, strides and offset reach outside its data
 * @throws {ValueError} when `copy` is true and an element does not fit the dtype
 */
export function fromStdlib(x: StdlibNdarray, options: FromStdlibOptions = {}): SharedNDArray {
  const fn = 'fromStdlib';
  if (x instanceof SharedNDArray) {
    throw new ArgumentError(`${fn}: invalid argument 'x': this is already a SharedNDArray (use it directly, or copy())`);
  }
  if (typeof x !== 'object' || x === null || !isArrayLike(x.shape) || !isArrayLike(x.strides) || typeof x.offset !== 'number' || x.data == null) {
    throw new ArgumentError(`${fn}: invalid argument 'x': expected a @stdlib/ndarray ndarray, got ${show(x)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError(`${fn}: invalid argument 'options': expected an object, got ${show(options)}`);
  }
  const shape = Array.from(x.shape), strides = Array.from(x.strides);
  const copy = options.copy ?? false;
  if (typeof copy !== 'boolean') throw new ArgumentError(`${fn}: invalid argument 'options.copy': expected a boolean, got ${show(copy)}`);
  const stdlibDType = String(x.dtype);
  const raw = rawStorage(x.data);
  const dtype = ourDType(stdlibDType, raw);
  if (dtype === undefined) {
    throw new DTypeError(`${fn}: stdlib dtype '${stdlibDType}' has no SharedNDArray counterpart; supported: ${Object.keys(DTYPES).join(', ')} (and 'generic' over a BigInt64Array/BigUint64Array)`);
  }
  if (raw && raw.buffer instanceof SharedArrayBuffer && !copy) return wrap(shape, strides, x.offset, dtype, raw);
  if (!copy) {
    throw new NotSharedError(`${fn}: this stdlib ndarray's memory is not a SharedArrayBuffer, so it cannot be wrapped without copying; pass { copy: true } to copy it into shared memory`);
  }
  if (raw) return wrap(shape, strides, x.offset, dtype, raw).copy();
  // 'generic' over a plain Array and the like: read through stdlib's own accessor, in C order.
  const out = new SharedNDArray(shape, { dtype });
  const data = out.data as TypedArray & unknown[];
  const index = new Array<number>(x.shape.length).fill(0);
  for (let k = 0; k < out.size; k++) {
    data[k] = toStored(dtype, x.get(...index), `${fn}: element ${k}`);
    for (let a = index.length - 1; a >= 0 && ++index[a]! === shape[a]; a--) index[a] = 0;
  }
  return out;
}

/** Our view of the stdlib array's own elements; the constructor refuses geometry outside `raw`. */
function wrap(shape: number[], strides: number[], offset: number, dtype: DType, raw: TypedArray): SharedNDArray {
  try {
    // stdlib spells a 0-d array's strides [0], not []; an empty array's offset reaches nothing
    const byteOffset = shape.includes(0) ? 0 : offset * raw.BYTES_PER_ELEMENT;
    return new SharedNDArray(shape, { dtype, buffer: raw, byteOffset, strides: shape.length ? strides : [] });
  } catch (e) {
    if (e instanceof BufferError) throw new BufferError(`fromStdlib: the stdlib array's shape, strides and offset reach outside its data (${e.message})`, { cause: e });
    // same class, but the message names what the user called
    if (e instanceof SharedNDArrayError) throw new (e.constructor as typeof SharedNDArrayError)(`fromStdlib: invalid stdlib ndarray: ${e.message}`, { cause: e });
    throw e;
  }
}

/** The typed array holding the elements, if any (stdlib's BooleanArray wraps a Uint8Array's memory). */
function rawStorage(data: unknown): TypedArray | undefined {
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return data as unknown as TypedArray;
  const d = data as { buffer?: unknown; byteOffset?: unknown; length?: unknown; constructor?: { name?: string } };
  if (d.constructor?.name === 'BooleanArray' && (d.buffer instanceof ArrayBuffer || d.buffer instanceof SharedArrayBuffer)) {
    return new Uint8Array(d.buffer, d.byteOffset as number, d.length as number);
  }
  return undefined;
}

function ourDType(stdlibDType: string, raw: TypedArray | undefined): DType | undefined {
  const natural = raw && dtypeOfTypedArray(raw);
  // 'generic' over a typed array (how toStdlib shows int64/uint64) keeps that array's dtype
  if (stdlibDType === 'generic') return raw ? natural : 'float64';
  if (!Object.hasOwn(DTYPES, stdlibDType)) return undefined;
  const dtype = stdlibDType as DType;
  // stdlib guarantees data matches dtype; bool is stored as bytes
  return raw && dtype !== 'bool' && natural !== dtype ? undefined : dtype;
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}
