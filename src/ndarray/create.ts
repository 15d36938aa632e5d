import { ArgumentError, BufferError, DTypeError, ShapeError } from '../errors.js';
import { show } from '../check.js';
import {
  DTYPES, dtypeOfTypedArray, isBigIntDType, resolveDType, type DType, type DTypeLike, type ResolveDType, type Scalar,
  type ScalarInput, type TypedArray,
} from './dtype.js';
import { contiguousStrides, parseOrder, parseShape, sizeOf, type Order } from './layout.js';
import { allocate, typedArrayOver } from './memory.js';
import { SharedNDArray, bufferRegion, viewOf } from './ndarray.js';
import { toStored, type Stored } from './values.js';

/** A shape: one length for a 1-d array, or an array of lengths (`[]` is 0-d). */
export type ShapeLike = number | readonly number[];

interface Request { fn: string; shape: number[]; dtype: DType; order: Order }

/** Validates the arguments every creation function shares, before any memory is allocated. */
function request(fn: string, shape: unknown, dtype: unknown, order: unknown): Request {
  return {
    fn,
    shape: parseShape([typeof shape === 'number' ? [shape] : shape], fn),
    dtype: resolveDType(dtype ?? 'float64', 'dtype', fn),
    order: parseOrder(order, fn),
  };
}

function allocateFor<D extends DType>({ fn, shape, dtype, order }: Request): SharedNDArray<D> {
  return viewOf(dtype as D, allocate(dtype, sizeOf(shape), fn), shape, contiguousStrides(shape, order), 0);
}

/**
 * A new array of zeros in fresh shared memory (numpy's `zeros`; default dtype float64).
 * @throws {ArgumentError} when `shape` is not a length or lengths, or `order` is not C or F
 * @throws {ShapeError} when a length is negative or not an integer
 * @throws {DTypeError} when `dtype` names no supported dtype
 * @throws {BufferError} when the memory cannot be allocated
 */
export function zeros(shape: ShapeLike, dtype?: undefined, order?: Order): SharedNDArray<'float64'>;
export function zeros<T extends DTypeLike>(shape: ShapeLike, dtype: T, order?: Order): SharedNDArray<ResolveDType<T>>;
export function zeros(shape: ShapeLike, dtype?: DTypeLike, order?: Order): SharedNDArray;
export function zeros(shape: ShapeLike, dtype?: DTypeLike, order?: Order): SharedNDArray {
  return allocateFor(request('zeros', shape, dtype, order));
}

/**
 * numpy's `empty`. SharedArrayBuffer memory is always zero-filled by the engine, so unlike numpy
 * the elements are zeros, at the same cost.
 * @throws {ArgumentError} when `shape` is not a length or lengths, or `order` is not C or F
 * @throws {ShapeError} when a length is negative or not an integer
 * @throws {DTypeError} when `dtype` names no supported dtype
 * @throws {BufferError} when the memory cannot be allocated
 */
export function empty(shape: ShapeLike, dtype?: undefined, order?: Order): SharedNDArray<'float64'>;
export function empty<T extends DTypeLike>(shape: ShapeLike, dtype: T, order?: Order): SharedNDArray<ResolveDType<T>>;
export function empty(shape: ShapeLike, dtype?: DTypeLike, order?: Order): SharedNDArray;
export function empty(shape: ShapeLike, dtype?: DTypeLike, order?: Order): SharedNDArray {
  return allocateFor(request('empty', shape, dtype, order));
}

/**
 * A new array of ones (`true` for bool, `1n` for 64-bit integers).
 * @throws {ArgumentError} when `shape` is not a length or lengths, or `order` is not C or F
 * @throws {ShapeError} when a length is negative or not an integer
 * @throws {DTypeError} when `dtype` names no supported dtype
 * @throws {BufferError} when the memory cannot be allocated
 */
export function ones(shape: ShapeLike, dtype?: undefined, order?: Order): SharedNDArray<'float64'>;
export function ones<T extends DTypeLike>(shape: ShapeLike, dtype: T, order?: Order): SharedNDArray<ResolveDType<T>>;
export function ones(shape: ShapeLike, dtype?: DTypeLike, order?: Order): SharedNDArray;
export function ones(shape: ShapeLike, dtype?: DTypeLike, order?: Order): SharedNDArray {
  const req = request('ones', shape, dtype, order);
  const one: Scalar = req.dtype === 'bool' ? true : isBigIntDType(req.dtype) ? 1n : 1;
  return allocateFor<DType>(req).fill(one as never);
}

/**
 * A new array filled with `value`. Without a dtype it follows the value: boolean → bool,
 * bigint → int64, number → float64.
 * @throws {ArgumentError} when `shape`, `order` or the type of `value` is invalid
 * @throws {ShapeError} when a length is negative or not an integer
 * @throws {DTypeError} when `dtype` names no supported dtype
 * @throws {ValueError} when `value` does not fit the dtype
 * @throws {BufferError} when the memory cannot be allocated
 */
export function full(shape: ShapeLike, value: boolean, dtype?: undefined, order?: Order): SharedNDArray<'bool'>;
export function full(shape: ShapeLike, value: bigint, dtype?: undefined, order?: Order): SharedNDArray<'int64'>;
export function full(shape: ShapeLike, value: number, dtype?: undefined, order?: Order): SharedNDArray<'float64'>;
export function full<T extends DTypeLike>(shape: ShapeLike, value: ScalarInput<ResolveDType<T>>, dtype: T, order?: Order): SharedNDArray<ResolveDType<T>>;
export function full(shape: ShapeLike, value: Scalar, dtype?: DTypeLike, order?: Order): SharedNDArray;
export function full(shape: ShapeLike, value: Scalar, dtype?: DTypeLike, order?: Order): SharedNDArray {
  const req = request('full', shape, dtype ?? scalarDType(value, 'full', 'value'), order);
  toStored(req.dtype, value, 'full: invalid argument \'value\'');
  return allocateFor(req).fill(value as never);
}

function scalarDType(value: unknown, fn: string, argName: string): DType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number') return 'float64';
  throw new ArgumentError(`${fn}: invalid argument '${argName}': expected a number, bigint or boolean, got ${show(value)}`);
}

/**
 * Evenly spaced values in `[start, stop)` (numpy's `arange`). The default dtype is float64 (int64
 * for bigint arguments): JS numbers are doubles, so integers stay exact up to 2^53. A dtype may be
 * given as the last argument: `arange(10, 'int32')`. Values follow numpy's formula: the first two
 * are computed in the target dtype and the rest continue their difference, so
 * `arange(0, 5, 1.5, 'int32')` is `[0, 1, 2, 3]` as in numpy.
 * @throws {ArgumentError} when the bounds are not finite numbers (or all bigints), or `step` is zero
 * @throws {DTypeError} when `dtype` names no supported dtype
 * @throws {ShapeError} when the range has more elements than can be indexed
 * @throws {ValueError} when a value does not fit the dtype
 * @throws {BufferError} when the memory cannot be allocated
 */
export function arange<T extends DTypeLike = 'float64'>(stop: number, dtype?: T): SharedNDArray<ResolveDType<T>>;
export function arange<T extends DTypeLike = 'float64'>(start: number, stop: number, dtype?: T): SharedNDArray<ResolveDType<T>>;
export function arange<T extends DTypeLike = 'float64'>(start: number, stop: number, step: number, dtype?: T): SharedNDArray<ResolveDType<T>>;
export function arange<T extends DTypeLike = 'int64'>(stop: bigint, dtype?: T): SharedNDArray<ResolveDType<T>>;
export function arange<T extends DTypeLike = 'int64'>(start: bigint, stop: bigint, dtype?: T): SharedNDArray<ResolveDType<T>>;
export function arange<T extends DTypeLike = 'int64'>(start: bigint, stop: bigint, step: bigint, dtype?: T): SharedNDArray<ResolveDType<T>>;
export function arange(...args: unknown[]): SharedNDArray {
  const fn = 'arange';
  const isDTypeArg = (a: unknown) => typeof a === 'string' || (typeof a === 'object' && a !== null);
  const dtypeArg = args.length > 1 && isDTypeArg(args[args.length - 1]) ? args.pop() : undefined;
  while (args.length && args[args.length - 1] === undefined) args.pop();
  if (args.length < 1 || args.length > 3) throw new ArgumentError(`${fn}: expected (stop), (start, stop) or (start, stop, step), got ${args.length} numeric arguments`);
  const big = args.every((a) => typeof a === 'bigint');
  if (!big && !args.every((a) => typeof a === 'number' && Number.isFinite(a))) {
    throw new ArgumentError(`${fn}: invalid arguments: expected finite numbers (or all bigints), got ${show(args)}`);
  }
  const [start, stop, step] = args.length === 1 ? [big ? 0n : 0, args[0], big ? 1n : 1] : [args[0], args[1], args[2] ?? (big ? 1n : 1)];
  if (step === 0 || step === 0n) throw new ArgumentError(`${fn}: invalid argument 'step': must not be zero`);
  const dtype = resolveDType(dtypeArg ?? (big ? 'int64' : 'float64'), 'dtype', fn);
  let length: number;
  if (big) {
    const [a, b, s] = [start as bigint, stop as bigint, step as bigint];
    const span = s > 0n ? b - a : a - b, st = s > 0n ? s : -s;
    length = span > 0n ? Number((span + st - 1n) / st) : 0;
  } else {
    length = Math.max(0, Math.ceil(((stop as number) - (start as number)) / (step as number)));
  }
  if (!Number.isSafeInteger(length)) throw new ShapeError(`${fn}: maximum allowed size exceeded: (${show(args)}) would give ${length} elements`);
  const out = allocateFor<DType>({ fn, shape: [length], dtype, order: 'C' });
  const data = out.data as TypedArray & Stored[];
  const where = `${fn}: element`;
  if (big) {
    for (let i = 0; i < length; i++) data[i] = toStored(dtype, (start as bigint) + BigInt(i) * (step as bigint), where);
    return out;
  }
  // numpy: first = start, delta = (start + step) - start, both taken in the target dtype
  const integral = DTYPES[dtype].kind !== 'f';
  const first = integral ? Math.trunc(start as number) : start as number;
  const delta = (integral ? Math.trunc((start as number) + (step as number)) : (start as number) + (step as number)) - first;
  // toStored of a number for a float dtype is the number itself: without the call, 17M float64
  // elements take 10-20 ms instead of 150-270 ms (memory already faulted in)
  if (!integral) for (let i = 0; i < length; i++) data[i] = first + i * delta;
  else for (let i = 0; i < length; i++) data[i] = toStored(dtype, first + i * delta, where);
  return out;
}

/** The dtype a typed array type maps to, for `array()`'s result type. */
export type DTypeOfTypedArray<A> =
  A extends Float64Array ? 'float64' : A extends Float32Array ? 'float32' : A extends Int32Array ? 'int32' :
  A extends Uint32Array ? 'uint32' : A extends Int16Array ? 'int16' : A extends Uint16Array ? 'uint16' :
  A extends Int8Array ? 'int8' : A extends Uint8ClampedArray ? 'uint8c' : A extends Uint8Array ? 'uint8' :
  A extends BigInt64Array ? 'int64' : A extends BigUint64Array ? 'uint64' : DType;

type Nested<T> = T | readonly Nested<T>[];

/**
 * A new shared array holding a copy of `input`: nested JS arrays (rectangular), a typed array, a
 * SharedNDArray, nested typed arrays or SharedNDArrays, or a scalar (0-d). Without a dtype:
 * typed arrays and SharedNDArrays keep theirs (when all parts agree), booleans give bool,
 * bigints int64, numbers float64. Every value is checked like `set` does.
 * @throws {ArgumentError} when `input` is a raw buffer, or holds other than numbers, bigints, booleans
 * @throws {ShapeError} when nested input is ragged
 * @throws {DTypeError} when `dtype` names no supported dtype, or none can be inferred from mixed values
 * @throws {ValueError} when a value does not fit the dtype
 * @throws {BufferError} when the memory cannot be allocated
 */
export function array<T extends DTypeLike>(input: unknown, dtype: T, order?: Order): SharedNDArray<ResolveDType<T>>;
export function array<D extends DType>(input: SharedNDArray<D>): SharedNDArray<D>;
export function array<A extends TypedArray>(input: A): SharedNDArray<DTypeOfTypedArray<A>>;
export function array(input: Nested<boolean>): SharedNDArray<'bool'>;
export function array(input: Nested<bigint>): SharedNDArray<'int64'>;
export function array(input: Nested<number>): SharedNDArray<'float64'>;
export function array(input: unknown, dtype?: DTypeLike | null, order?: Order): SharedNDArray;
export function array(input: unknown, dtype?: DTypeLike | null, order?: Order): SharedNDArray {
  const fn = 'array';
  const layout = parseOrder(order, fn);
  const given = dtype == null ? undefined : resolveDType(dtype, 'dtype', fn);
  if (input instanceof SharedNDArray) return input.astype(given ?? input.dtype, layout);
  if (input instanceof DataView || input instanceof ArrayBuffer || input instanceof SharedArrayBuffer) {
    throw new ArgumentError(`${fn}: invalid argument 'input': got ${show(input)}; use frombuffer() to view raw bytes`);
  }
  const own = ArrayBuffer.isView(input) ? dtypeOfTypedArray(input) : undefined;
  if (own && (given ?? own) === own) {
    // same dtype: one memcpy instead of a check per element
    const out = allocateFor<DType>({ fn, shape: [(input as TypedArray).length], dtype: own, order: 'C' });
    (out.data as Float64Array).set(input as Float64Array);
    return out;
  }
  // The dtypes of typed arrays and SharedNDArrays met on the way, and whether plain JS scalars were.
  const sources = new Set<DType | 'js'>();
  const unwrap = (x: unknown) => (x instanceof SharedNDArray ? x.toArray() : x);
  const shape: number[] = [];
  for (let x: unknown = input; isSequence(x); x = unwrap(x[0])) {
    shape.push(x.length);
    if (x.length === 0) break;
  }
  const flat: unknown[] = [];
  // `inherited`: the dtype of the SharedNDArray this part was unwrapped from, if any
  const walk = (x: unknown, depth: number, inherited?: DType): void => {
    if (x instanceof SharedNDArray) {
      walk(x.toArray(), depth, x.dtype);
      return;
    }
    if (depth === shape.length) {
      if (isSequence(x)) throw new ShapeError(`${fn}: ragged nested input: expected a scalar at depth ${depth}, got ${show(x)}`);
      flat.push(x);
      return;
    }
    if (!isSequence(x) || x.length !== shape[depth]) {
      throw new ShapeError(`${fn}: ragged nested input: expected a sequence of length ${shape[depth]} at depth ${depth}, got ${show(x)}`);
    }
    if (depth === shape.length - 1) sources.add(inherited ?? (ArrayBuffer.isView(x) ? dtypeOfTypedArray(x)! : 'js'));
    for (let i = 0; i < x.length; i++) walk(x[i], depth + 1, inherited);
  };
  walk(input, 0);
  const single = sources.size === 1 ? [...sources][0] : undefined;
  const resolved = given ?? (single && single !== 'js' ? single : inferDType(flat, fn));
  const out = allocateFor<DType>({ fn, shape, dtype: resolved, order: 'C' });
  const data = out.data as TypedArray & Stored[];
  for (let i = 0; i < flat.length; i++) data[i] = toStored(resolved, flat[i], `${fn}: element ${i}`);
  return layout === 'F' ? out.copy('F') : out;
}

function isSequence(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function inferDType(values: readonly unknown[], fn: string): DType {
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size === 0 || (kinds.size === 1 && kinds.has('number'))) return 'float64';
  if (kinds.size === 1 && kinds.has('boolean')) return 'bool';
  if (kinds.size === 1 && kinds.has('bigint')) return 'int64';
  const bad = values.find((v) => !['number', 'boolean', 'bigint'].includes(typeof v));
  if (bad !== undefined || kinds.has('undefined')) {
    throw new ArgumentError(`${fn}: invalid argument 'input': elements must be numbers, bigints or booleans, got ${show(bad)}`);
  }
  throw new DTypeError(`${fn}: cannot infer one dtype for a mix of ${[...kinds].sort().join(' and ')} values; pass a dtype`);
}

export interface FromBufferOptions<T extends DTypeLike = 'float64'> {
  /** Element type (default 'float64'). */
  dtype?: T;
  /** Number of elements; -1 (default) takes everything after `offset`. */
  count?: number;
  /** Start, in bytes, from the start of the buffer or view. */
  offset?: number;
}

/**
 * A 1-d array that views `buffer` without copying (numpy's `frombuffer`). A SharedArrayBuffer,
 * or a typed array / DataView / Buffer over one, gives a shared array whose writes are seen
 * through the buffer and back. A plain ArrayBuffer is viewed too, but `isShared` is false and the
 * array cannot go to a worker without a copy. Views of typed arrays start at their `byteOffset`.
 * Unlike numpy, `offset` must be aligned to the item size: typed arrays cannot address unaligned
 * elements.
 * @throws {ArgumentError} when `buffer` is not a buffer or view, or `options` is malformed
 * @throws {DTypeError} when `options.dtype` names no supported dtype
 * @throws {BufferError} when `offset` or `count` reach past the buffer, or `offset` is unaligned
 */
export function frombuffer<T extends DTypeLike = 'float64'>(
  buffer: ArrayBufferLike | ArrayBufferView, options: FromBufferOptions<T> = {},
): SharedNDArray<ResolveDType<T>> {
  const fn = 'frombuffer';
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: invalid argument 'options': expected an object, got ${show(options)}`);
  const [buf, start, length] = bufferRegion(buffer, fn, 'buffer');
  const dtype = resolveDType(options.dtype ?? 'float64', 'options.dtype', fn);
  const { itemsize } = DTYPES[dtype];
  const offset = options.offset ?? 0, count = options.count ?? -1;
  if (!Number.isSafeInteger(offset)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.offset': expected a nonnegative integer number of bytes, got ${show(offset)}`);
  }
  if (offset < 0 || offset > length) {
    throw new BufferError(`${fn}: invalid argument 'options.offset': must be from 0 to the buffer length ${length}, got ${offset}`);
  }
  if ((start + offset) % itemsize !== 0) {
    throw new BufferError(`${fn}: offset ${offset} (byte ${start + offset} of the underlying buffer) is not aligned to ${dtype}'s item size ${itemsize}; JS typed arrays cannot view unaligned elements`);
  }
  const available = length - offset;
  let n: number;
  if (count === -1) {
    if (available % itemsize !== 0) {
      throw new BufferError(`${fn}: buffer size ${available} (after offset ${offset}) must be a multiple of ${dtype}'s item size ${itemsize}`);
    }
    n = available / itemsize;
  } else if (Number.isSafeInteger(count) && count >= 0) {
    if (count * itemsize > available) {
      throw new BufferError(`${fn}: buffer is smaller than requested size: count ${count} × ${itemsize} bytes = ${count * itemsize} bytes, but only ${available} bytes follow offset ${offset}`);
    }
    n = count;
  } else {
    throw new ArgumentError(`${fn}: invalid argument 'options.count': expected -1 or a nonnegative integer, got ${show(count)}`);
  }
  return viewOf(dtype, typedArrayOver(dtype, buf, fn), [n], [1], (start + offset) / itemsize) as SharedNDArray<ResolveDType<T>>;
}
