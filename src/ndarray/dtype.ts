import { DTypeError } from '../errors.js';
import { show } from '../check.js';

/** The dtypes a SharedNDArray can hold: each is one JS typed array over the shared memory. */
export type DType =
  | 'int8' | 'uint8' | 'uint8c' | 'int16' | 'uint16' | 'int32' | 'uint32'
  | 'int64' | 'uint64' | 'float32' | 'float64' | 'bool';

export interface TypedArrayMap {
  int8: Int8Array; uint8: Uint8Array; uint8c: Uint8ClampedArray; int16: Int16Array;
  uint16: Uint16Array; int32: Int32Array; uint32: Uint32Array; int64: BigInt64Array;
  uint64: BigUint64Array; float32: Float32Array; float64: Float64Array; bool: Uint8Array;
}
export type TypedArray = TypedArrayMap[DType];
export type TypedArrayOf<D extends DType> = TypedArrayMap[D];

/** What `get` returns for a dtype: `boolean` for bool, `bigint` for 64-bit integers, else `number`. */
export type ScalarOf<D extends DType> = D extends 'bool' ? boolean : D extends 'int64' | 'uint64' ? bigint : number;
/** What `set`/`fill`/`full` accept: 64-bit integers also take integral numbers, other numeric dtypes bigints. */
export type ScalarInput<D extends DType> = D extends 'bool' ? boolean : number | bigint;
export type Scalar = number | bigint | boolean;

type TypedArrayCtor = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray; readonly BYTES_PER_ELEMENT: number };

export interface DTypeInfo<D extends DType = DType> {
  readonly name: D;
  readonly ctor: TypedArrayCtor;
  readonly itemsize: number;
  /** numpy's kind letter: b(ool), i(nt), u(int), f(loat). */
  readonly kind: 'b' | 'i' | 'u' | 'f';
  /** The numpy `descr` string, as written in .npy headers. */
  readonly descr: string;
  /** Inclusive value range for integer kinds. */
  readonly min?: number | bigint;
  readonly max?: number | bigint;
}

const info = <D extends DType>(name: D, ctor: TypedArrayCtor, kind: DTypeInfo['kind'], descr: string, min?: number | bigint, max?: number | bigint): DTypeInfo<D> =>
  Object.freeze({ name, ctor, itemsize: ctor.BYTES_PER_ELEMENT, kind, descr, min, max });

/** Facts about each dtype (frozen: the library's behaviour depends on them). */
export const DTYPES: { readonly [D in DType]: DTypeInfo<D> } = Object.freeze({
  int8: info('int8', Int8Array, 'i', '|i1', -128, 127),
  uint8: info('uint8', Uint8Array, 'u', '|u1', 0, 255),
  uint8c: info('uint8c', Uint8ClampedArray, 'u', '|u1', 0, 255),
  int16: info('int16', Int16Array, 'i', '<i2', -32768, 32767),
  uint16: info('uint16', Uint16Array, 'u', '<u2', 0, 65535),
  int32: info('int32', Int32Array, 'i', '<i4', -2147483648, 2147483647),
  uint32: info('uint32', Uint32Array, 'u', '<u4', 0, 4294967295),
  int64: info('int64', BigInt64Array, 'i', '<i8', -(2n ** 63n), 2n ** 63n - 1n),
  uint64: info('uint64', BigUint64Array, 'u', '<u8', 0n, 2n ** 64n - 1n),
  float32: info('float32', Float32Array, 'f', '<f4'),
  float64: info('float64', Float64Array, 'f', '<f8'),
  bool: info('bool', Uint8Array, 'b', '|b1'),
});

/**
 * Every spelling the resolver accepts besides the canonical names: numpy type strings and names,
 * Python `array` / ctypes typecodes and ctypes names. A `<`, `=` or `|` byte-order prefix is
 * stripped before lookup (this host is little-endian); `>` and `!` are refused.
 */
const ALIASES = {
  // numpy type strings
  i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64',
  f4: 'float32', f8: 'float64', b1: 'bool', '?': 'bool',
  // numpy names
  byte: 'int8', ubyte: 'uint8', short: 'int16', ushort: 'uint16', intc: 'int32', uintc: 'uint32',
  int: 'int64', int_: 'int64', uint: 'uint64', long: 'int64', ulong: 'uint64', longlong: 'int64',
  ulonglong: 'uint64', intp: 'int64', uintp: 'uint64', single: 'float32', float: 'float64',
  double: 'float64', bool_: 'bool',
  // Python array-module / struct / numpy one-letter typecodes (LP64: 'l' is 8 bytes)
  b: 'int8', B: 'uint8', h: 'int16', H: 'uint16', i: 'int32', I: 'uint32', l: 'int64', L: 'uint64',
  q: 'int64', Q: 'uint64', p: 'int64', P: 'uint64', f: 'float32', d: 'float64',
  // ctypes names, as the reference article writes them (ctypes.c_double)
  c_byte: 'int8', c_ubyte: 'uint8', c_int8: 'int8', c_uint8: 'uint8', c_short: 'int16', c_ushort: 'uint16',
  c_int16: 'int16', c_uint16: 'uint16', c_int: 'int32', c_uint: 'uint32', c_int32: 'int32', c_uint32: 'uint32',
  c_long: 'int64', c_ulong: 'uint64', c_longlong: 'int64', c_ulonglong: 'uint64', c_int64: 'int64',
  c_uint64: 'uint64', c_size_t: 'uint64', c_ssize_t: 'int64', c_float: 'float32', c_double: 'float64',
  c_bool: 'bool',
} as const satisfies Record<string, DType>;

/** numpy dtypes we recognise but cannot hold, so the error can say what they are. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  f2: 'float16', e: 'float16', half: 'float16', float16: 'float16', g: 'longdouble', f16: 'float128',
  longdouble: 'longdouble', c8: 'complex64', c16: 'complex128', F: 'complex64', D: 'complex128',
  complex64: 'complex64', complex128: 'complex128', complex: 'complex128', O: 'object', object: 'object',
  U: 'str', S: 'bytes', str: 'str', bytes: 'bytes', V: 'void (structured)', M: 'datetime64', m: 'timedelta64',
  datetime64: 'datetime64', timedelta64: 'timedelta64',
};

type Unprefixed = DType | keyof typeof ALIASES;
/** Anything `dtype()` accepts, including prefixed numpy strings such as `'<f8'`. */
export type DTypeLike = Unprefixed | `${'<' | '=' | '|'}${Unprefixed}` | DTypeInfo;
/** The canonical dtype a `DTypeLike` resolves to, computed by the type checker. */
export type ResolveDType<S> =
  S extends DTypeInfo ? S['name'] :
  S extends `${'<' | '=' | '|'}${infer R}` ? ResolveDType<R> :
  S extends DType ? S :
  S extends keyof typeof ALIASES ? (typeof ALIASES)[S] : DType;

const SUPPORTED_LIST = Object.keys(DTYPES).join(', ');

/**
 * Each canonical name, by name. A name that arrived in a message is a new string: looked up
 * here it comes back as the interned literal, so the `DTYPES[name]` lookups that follow take the
 * fast path instead of each searching the string table (an array's descriptor, decoded per call).
 */
const CANONICAL = new Map<string, DType>((Object.keys(DTYPES) as DType[]).map((name) => [name, name]));

/**
 * Resolves any accepted spelling to a canonical dtype name, numpy's `np.dtype(x)` for the types
 * we hold.
 * @throws {DTypeError} when `spec` names no dtype, an unsupported one or a big-endian one
 */
export function dtype<S extends DTypeLike>(spec: S): ResolveDType<S> {
  return resolveDType(spec) as ResolveDType<S>;
}

/** `dtype()` for internal callers, whose errors name their own function and argument. */
export function resolveDType(spec: unknown, argName = 'dtype', fn = 'dtype'): DType {
  const canonical = typeof spec === 'string' ? CANONICAL.get(spec) : undefined;
  if (canonical !== undefined) return canonical;
  if (typeof spec === 'object' && spec !== null && 'name' in spec && typeof spec.name === 'string' && Object.hasOwn(DTYPES, spec.name)) {
    return spec.name as DType;
  }
  if (typeof spec !== 'string') {
    throw new DTypeError(`${fn}: invalid argument '${argName}': expected a dtype name such as 'float64', 'f8' or 'd', got ${show(spec)}`);
  }
  const prefixed = spec.length > 1 && '<=|>!'.includes(spec[0]!);
  const body = prefixed ? spec.slice(1) : spec;
  const found = Object.hasOwn(DTYPES, body) ? body as DType : Object.hasOwn(ALIASES, body) ? ALIASES[body as keyof typeof ALIASES] : undefined;
  if (found) {
    // byte order means nothing for one-byte types, so numpy accepts '>u1' and so do we
    if (prefixed && (spec[0] === '>' || spec[0] === '!') && DTYPES[found].itemsize > 1) {
      throw new DTypeError(`${fn}: invalid argument '${argName}': big-endian dtype ${show(spec)} is not supported; JS typed arrays are little-endian on this host (use '<${body}')`);
    }
    return found;
  }
  const what = [body, body.replace(/\d+$/, '')].find((k) => Object.hasOwn(UNSUPPORTED, k));
  if (what) {
    throw new DTypeError(`${fn}: invalid argument '${argName}': dtype ${show(spec)} (${UNSUPPORTED[what]}) is not supported; supported dtypes: ${SUPPORTED_LIST}`);
  }
  throw new DTypeError(`${fn}: invalid argument '${argName}': unknown dtype ${show(spec)}; supported dtypes: ${SUPPORTED_LIST}, numpy strings such as '<f8' or 'i4', and typecodes such as 'd' or 'i'`);
}

/** The dtype that naturally describes an existing typed array (a Node Buffer is uint8). */
export function dtypeOfTypedArray(array: ArrayBufferView): DType | undefined {
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint32Array) return 'uint32';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Uint16Array) return 'uint16';
  if (array instanceof Int8Array) return 'int8';
  if (array instanceof Uint8ClampedArray) return 'uint8c';
  if (array instanceof Uint8Array) return 'uint8';
  if (array instanceof BigInt64Array) return 'int64';
  if (array instanceof BigUint64Array) return 'uint64';
  return undefined;
}

export function isBigIntDType(d: DType): d is 'int64' | 'uint64' {
  return d === 'int64' || d === 'uint64';
}
