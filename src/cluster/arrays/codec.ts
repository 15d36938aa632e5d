/**
 * How a cluster task's arguments and results cross machines. A SharedNDArray cannot: its memory is
 * this process's. So each array becomes something every machine can reach:
 * - a memmap (or a view of one) → a reference to its file, which the daemon maps again (the path
 *   must name the same file on every machine: a shared filesystem) and writes in place;
 * - a RedisNDArray → a reference to its keys; for the array `mapRows` splits, the daemon fetches
 *   only the task's rows and writes exactly those back in `commit()`;
 * - any other SharedNDArray of at most MAX_BY_VALUE_BYTES → its `.npy` bytes (a copy: writes to it
 *   on the daemon stay there);
 * - a larger one → UnreachableArrayError, naming the two stores above.
 * Everything else is copied with structured clone (v8.serialize), as the local Pool's arguments
 * are. The encoded form is JSON-safe, so BullMQ carries it as job data.
 */
import { resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { ArgumentError, UnreachableArrayError } from '../../errors.js';
import { show, showShape } from '../../check.js';
import { DTYPES, type DType } from '../../ndarray/dtype.js';
import { extent } from '../../ndarray/layout.js';
import { zeros } from '../../ndarray/create.js';
import { SharedNDArray } from '../../ndarray/ndarray.js';
import { findShared } from '../../transport/registry.js';
import { memmap, mappedFileOf } from '../../io/memmap.js';
import { flush } from '../../io/native.js';
import { fromNpyBytes, toNpyBytes } from '../../io/npy.js';
import { readInfo, readRowsInto, redisCall, RedisNDArray, writeRowsFrom, type RedisArrayInfo, type RedisClientLike } from './redis-array.js';

/** Arrays up to this many bytes travel by value, as `.npy` bytes in the job; larger ones must be a memmap or a RedisNDArray. */
export const MAX_BY_VALUE_BYTES = 1 << 20;

/** What both sides of a cluster give the codec. */
export interface ArrayContext {
  /** A connection to the cluster's Redis (ioredis). Needed to decode RedisNDArray references. */
  readonly redis?: RedisClientLike;
  /** The cluster's key namespace: a RedisNDArray must live in it (its keys are `<namespace>:ndarray:...`). */
  readonly namespace: string;
}

/** The rows of one argument that a `mapRows` task works on: GLOBAL row indexes [start, stop). */
export interface RowsWindow {
  /** Position of the split array in the arguments (0 for `mapRows(fn, array, ...)`). */
  readonly index: number;
  readonly start: number;
  readonly stop: number;
}

interface Geometry {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** One array of the arguments, as it crosses. */
export type ArrayRef =
  /** `dtype`: .npy has one spelling ('|u1') for uint8 and uint8c, so the dtype travels beside it. */
  | { readonly kind: 'npy'; readonly bytes: string; readonly dtype: DType }
  | (Geometry & {
    readonly kind: 'memmap';
    /** Absolute path. */
    readonly path: string;
    readonly mode: 'r' | 'r+';
    /** The mapped data: file bytes [fileOffset, fileOffset + byteLength). */
    readonly fileOffset: number;
    readonly byteLength: number;
    /** Byte of the view's element [0, ..., 0] from the start of the mapped data. */
    readonly byteOffset: number;
  })
  | { readonly kind: 'redis'; readonly info: RedisArrayInfo };

/** Arguments or a result, ready for BullMQ: JSON-safe. */
export interface Encoded {
  readonly v: 1;
  /** base64 of v8.serialize of the value, each array replaced by a placeholder `{ [REF]: i }`. */
  readonly value: string;
  readonly arrays: readonly ArrayRef[];
}

export interface EncodeOptions {
  /** The argument that `mapRows` splits: it is written in place, so it may not travel by value. */
  readonly rowsIndex?: number;
}

/** The placeholder's key; unlikely to clash with a user's field names. */
const REF = '__sharedNdarrayClusterRef';

const MIB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;

/** Walks arrays, plain objects, Maps and Sets, replacing each leaf that `leaf` replaces. */
function walk(value: unknown, leaf: (v: object) => unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const replaced = leaf(value);
  if (replaced !== value) return replaced;
  if (Array.isArray(value)) return value.map((v) => walk(v, leaf));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [walk(k, leaf), walk(v, leaf)]));
  if (value instanceof Set) return new Set([...value].map((v) => walk(v, leaf)));
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
    for (const key of Object.keys(value)) out[key] = walk((value as Record<string, unknown>)[key], leaf);
    return out;
  }
  return value;
}

function refOf(fn: string, array: SharedNDArray | RedisNDArray, where: string, ctx: ArrayContext, inPlace: boolean): ArrayRef {
  if (array instanceof RedisNDArray) {
    if (array.namespace !== ctx.namespace) {
      throw new ArgumentError(`${fn}: ${where} is a RedisNDArray in namespace ${show(array.namespace)}, but this cluster's keys are in ${show(ctx.namespace)}: create the array with { namespace: ${show(ctx.namespace)} }`);
    }
    return { kind: 'redis', info: array.info };
  }
  const mapped = mappedFileOf(array);
  // a copy-on-write map's changes are this process's own: the file does not hold them
  if (mapped !== undefined && mapped.mode !== 'c') {
    return {
      kind: 'memmap', path: resolve(mapped.filename), mode: mapped.mode === 'r' ? 'r' : 'r+',
      fileOffset: mapped.fileOffset, byteLength: mapped.byteLength, byteOffset: array.byteOffset - mapped.byteOffset,
      dtype: array.dtype, shape: array.shape, strides: array.strides,
    };
  }
  const what = `${where} (a SharedNDArray of ${array.dtype}, shape ${showShape(array.shape)}, ${MIB(array.nbytes)})`;
  const stores = 'a memmap of a .npy file on a path every machine sees (createMemmap / openMemmap on a shared filesystem), or a RedisNDArray (RedisNDArray.fromArray)';
  if (inPlace) {
    throw new UnreachableArrayError(`${fn}: ${what} is in this process's memory, but mapRows on a cluster writes rows in place on other machines: use ${stores}`);
  }
  if (array.nbytes > MAX_BY_VALUE_BYTES) {
    throw new UnreachableArrayError(`${fn}: ${what} is in this process's memory and too large to travel by value (at most ${MIB(MAX_BY_VALUE_BYTES)}): use ${stores}`);
  }
  const npy = toNpyBytes(fn, array);
  return { kind: 'npy', bytes: Buffer.from(npy.buffer, npy.byteOffset, npy.length).toString('base64'), dtype: array.dtype };
}

function encode(fn: string, value: unknown, root: string, ctx: ArrayContext, rowsIndex: number | undefined): Encoded {
  const arrays: ArrayRef[] = [];
  const seen = new Map<object, number>();
  const top = Array.isArray(value) ? value : undefined;
  const replaced = walk(value, (v) => {
    if (!(v instanceof SharedNDArray) && !(v instanceof RedisNDArray)) return v;
    let i = seen.get(v);
    if (i === undefined) {
      const index = top?.indexOf(v) ?? -1;
      const where = index >= 0 ? `${root}[${index}]` : `an array in ${root}`;
      arrays.push(refOf(fn, v, where, ctx, index >= 0 && index === rowsIndex));
      i = arrays.length - 1;
      seen.set(v, i);
    }
    return { [REF]: i };
  });
  const shared = findShared(replaced, root);
  if (shared !== undefined) {
    throw new ArgumentError(`${fn}: ${shared.path} is ${shared.what}, which lives in this process's memory and cannot reach another machine (arrays can: a SharedNDArray, a memmap, a RedisNDArray)`);
  }
  let bytes: Buffer;
  try {
    bytes = serialize(replaced);
  } catch (cause) {
    throw new ArgumentError(`${fn}: ${root} cannot be copied to another machine: ${(cause as Error).message}`, { cause });
  }
  return { v: 1, value: bytes.toString('base64'), arrays };
}

/**
 * The arguments of a cluster task, JSON-safe (see the top of this file for what each array becomes).
 * @throws {UnreachableArrayError} when an array is too large to travel by value and is neither a memmap nor a RedisNDArray, or is the array `mapRows` splits and is neither
 * @throws {ArgumentError} when a RedisNDArray is in another namespace, or a value cannot be copied (a function, a Lock)
 */
export async function encodeArgs(args: readonly unknown[], ctx: ArrayContext, options: EncodeOptions = {}): Promise<Encoded> {
  if (!Array.isArray(args)) throw new ArgumentError(`encodeArgs: invalid argument 'args': expected an array, got ${show(args)}`);
  return encode('encodeArgs', args, 'args', ctx, options.rowsIndex);
}

/**
 * A task's result, for its way back: the same rules as the arguments.
 * @throws {UnreachableArrayError} when the result holds a large array that is in this process's memory only
 * @throws {ArgumentError} when the result cannot be copied
 */
export async function encodeResult(value: unknown, ctx: ArrayContext): Promise<Encoded> {
  return encode('encodeResult', value, 'the result', ctx, undefined);
}

function checkEncoded(fn: string, encoded: unknown): Encoded {
  const e = encoded as Partial<Encoded> | null;
  if (typeof e !== 'object' || e === null || e.v !== 1 || typeof e.value !== 'string' || !Array.isArray(e.arrays)) {
    throw new ArgumentError(`${fn}: invalid argument 'encoded': expected what encodeArgs or encodeResult returned, got ${show(encoded)}`);
  }
  return e as Encoded;
}

interface Opened {
  array: SharedNDArray;
  commit?: () => Promise<void>;
}

/**
 * The bytes [from, to) of a memmap reference's mapped data that rows [start, stop) of its view
 * touch (all rows without `rows`); undefined when they touch none.
 */
export function byteSpan(ref: Geometry & { readonly byteOffset: number }, rows?: { start: number; stop: number }): [number, number] | undefined {
  const { shape, strides } = ref;
  const itemsize = DTYPES[ref.dtype].itemsize;
  const start = rows?.start ?? 0;
  const window = shape.length === 0 ? shape : [(rows?.stop ?? shape[0]!) - start, ...shape.slice(1)];
  const span = extent(window, strides, shape.length === 0 ? 0 : start * strides[0]!);
  return span && [ref.byteOffset + span[0] * itemsize, ref.byteOffset + (span[1] + 1) * itemsize];
}

async function open(fn: string, ref: ArrayRef, ctx: ArrayContext, rows: { start: number; stop: number } | undefined): Promise<Opened> {
  switch (ref.kind) {
    case 'npy': {
      const a = fromNpyBytes(fn, Buffer.from(ref.bytes, 'base64'), 'an array sent by value');
      return { array: a.dtype === ref.dtype ? a : new SharedNDArray(a.shape, { dtype: ref.dtype, buffer: a.buffer, strides: a.strides }) };
    }
    case 'memmap': {
      // mapped as bytes, so the view's own geometry (strides, offset) is rebuilt exactly
      const m = memmap(ref.path, { dtype: 'uint8', mode: ref.mode, offset: ref.fileOffset, shape: [ref.byteLength] });
      const array = new SharedNDArray(ref.shape, {
        dtype: ref.dtype, buffer: m.buffer, byteOffset: m.byteOffset + ref.byteOffset, strides: ref.strides, readonly: ref.mode === 'r',
      });
      if (ref.mode === 'r') return { array };
      // msync of the pages the task could write: its rows of the split array, else the whole view
      const span = byteSpan(ref, rows);
      return { array, commit: async () => { if (span) flush(m.buffer as SharedArrayBuffer, m.byteOffset + span[0], span[1] - span[0]); } };
    }
    case 'redis': {
      const client = ctx.redis;
      if (client === undefined) throw new ArgumentError(`${fn}: invalid argument 'ctx.redis': a RedisNDArray arrived, and decoding it needs a Redis connection`);
      const info = await readInfo(fn, client, ref.info.namespace, ref.info.name);
      if (info.gen !== ref.info.gen) {
        throw new ArgumentError(`${fn}: the RedisNDArray ${show(ref.info.name)} was deleted and created anew since this task was submitted`);
      }
      // full shape, touched only on the task's rows: large anonymous memory is committed on first
      // touch, so only those rows become resident, while row(r) takes the global index r
      const array = zeros(info.shape, info.dtype);
      const rowBytes = array.nbytes / Math.max(1, info.shape[0]!) || 0;
      const start = rows?.start ?? 0, stop = rows?.stop ?? info.shape[0]!;
      const bytesOf = (): Uint8Array => new Uint8Array(array.buffer, array.byteOffset + start * rowBytes, (stop - start) * rowBytes);
      await redisCall(fn, `reading rows ${start}..${stop} of ${show(info.name)}`, () => readRowsInto(client, info, start, stop, bytesOf()));
      if (rows === undefined) {
        // not split by mapRows: an input, read whole; writing it back whole would undo other tasks' rows
        return { array: new SharedNDArray(info.shape, { dtype: info.dtype, buffer: array.buffer, readonly: true }) };
      }
      return {
        array,
        commit: () => redisCall(fn, `writing rows ${start}..${stop} of ${show(info.name)}`, () => writeRowsFrom(client, info, start, stop, bytesOf())),
      };
    }
    default:
      throw new ArgumentError(`${fn}: invalid argument 'encoded': an array reference of unknown kind ${show((ref as { kind: unknown }).kind)}`);
  }
}

async function decode(fn: string, encoded: unknown, ctx: ArrayContext, rows: RowsWindow | undefined): Promise<{ value: unknown; commit(): Promise<void> }> {
  const e = checkEncoded(fn, encoded);
  const value = deserialize(Buffer.from(e.value, 'base64'));
  const windowRef = rows === undefined || !Array.isArray(value) ? undefined : (value[rows.index] as Record<string, unknown> | undefined)?.[REF];
  const opened: Opened[] = [];
  for (let i = 0; i < e.arrays.length; i++) {
    const ref = e.arrays[i]!;
    const windowed = rows !== undefined && windowRef === i && ref.kind !== 'npy';
    if (windowed) {
      const n = (ref.kind === 'redis' ? ref.info.shape : ref.shape)[0] ?? 0;
      if (!Number.isSafeInteger(rows.start) || !Number.isSafeInteger(rows.stop) || rows.start < 0 || rows.stop < rows.start || rows.stop > n) {
        throw new ArgumentError(`${fn}: invalid argument 'rows': expected 0 <= start <= stop <= ${n}, got [${show(rows.start)}, ${show(rows.stop)})`);
      }
    }
    opened.push(await open(fn, ref, ctx, windowed ? rows : undefined));
  }
  const restored = walk(value, (v) => {
    const i = (v as Record<string, unknown>)[REF];
    return typeof i === 'number' && Object.keys(v).length === 1 ? opened[i]!.array : v;
  });
  let committed: Promise<void> | undefined;
  return {
    value: restored,
    // once per decode: a second call would flush or write the same bytes again, which is harmless but wasted
    commit: () => (committed ??= Promise.all(opened.map((o) => o.commit?.())).then(() => undefined)),
  };
}

/**
 * The daemon's side of `encodeArgs`. With `rows`, the argument at `rows.index` (the array that
 * `mapRows` splits) is, for a RedisNDArray, fetched only on rows [start, stop) into memory of the
 * array's full shape, so `array.row(r)` works for those global rows; `commit()` writes exactly
 * those rows back (idempotent: a retried task writes the same bytes). A RedisNDArray that is not
 * split arrives whole and read-only. Memmaps are mapped again and written in place; `commit()`
 * flushes the pages under the view's bytes, for the split array only those of rows [start, stop).
 * By-value arrays are local copies.
 * @throws {ArgumentError} when `encoded` is not what encodeArgs returned, or `rows` is out of range
 * @throws {KeyError} (rejects) when a RedisNDArray no longer exists
 * @throws {OSError} when a memmap's file cannot be mapped on this machine
 * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
 */
export async function decodeArgs(encoded: unknown, ctx: ArrayContext, rows?: RowsWindow): Promise<{ args: unknown[]; commit(): Promise<void> }> {
  const { value, commit } = await decode('decodeArgs', encoded, ctx, rows);
  if (!Array.isArray(value)) throw new ArgumentError(`decodeArgs: invalid argument 'encoded': it holds ${show(value)}, not an argument list`);
  return { args: value, commit };
}

/**
 * The submitting side's half of `encodeResult`: a by-value array comes back as a local array, a
 * memmap reference as a fresh map of the same file, a RedisNDArray as a read-only local copy.
 * @throws {ArgumentError} when `encoded` is not what encodeResult returned
 */
export async function decodeResult(encoded: unknown, ctx: ArrayContext): Promise<unknown> {
  return (await decode('decodeResult', encoded, ctx, undefined)).value;
}
