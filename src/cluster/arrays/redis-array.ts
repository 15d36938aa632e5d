/**
 * An n-d array held in Redis, in blocks of rows, so that every machine of a cluster can read and
 * write the rows it works on. Layout under the namespace `ns`:
 * - `ns:ndarray:<name>`                  JSON of { dtype, shape, rowsPerBlock, gen }
 * - `ns:ndarray:<name>:<gen>:<block>`    the C-order bytes of rows [block*rpb, (block+1)*rpb)
 *
 * One key per block rather than one string for the whole array: a Redis string holds at most
 * 512 MB, a block key spreads over a Redis Cluster's slots, and a block that was never written is
 * simply absent (zeros). Within a block, rows are read with GETRANGE and written with SETRANGE, so
 * a task whose rows do not line up with blocks writes only its own bytes: two tasks writing
 * neighbouring rows of one block never overwrite each other's, and a retried task writes the
 * same bytes again (idempotent). `gen` is drawn at creation, so the blocks of a deleted array of
 * the same name are never read as this one's.
 */
import { randomBytes } from 'node:crypto';
import { ArgumentError, ClusterConnectionError, DTypeError, KeyError, SharedNDArrayError, ShapeError, ValueError } from '../../errors.js';
import { checkOptionKeys, positiveInteger, show, showShape } from '../../check.js';
import { DTYPES, resolveDType, type DType, type DTypeLike, type ResolveDType } from '../../ndarray/dtype.js';
import { parseShape, sizeOf } from '../../ndarray/layout.js';
import { SharedNDArray } from '../../ndarray/ndarray.js';
import { zeros } from '../../ndarray/create.js';
import { requireOptional } from '../../ndarray/stdlib.js';
import { checkRedisUrl, safeUrl } from '../../redis/url.js';

/** The part of an ioredis client the arrays use; the cluster passes its own connection. */
export interface RedisClientLike {
  callBuffer(command: string, ...args: (string | Buffer | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | Buffer | number)[]): Promise<unknown>;
  disconnect(): void;
}

/** Target size of one block when `rowsPerBlock` is not given: large enough that a round trip moves a lot, small enough that no command holds Redis for long. */
export const BLOCK_BYTES = 1 << 20;

/** What a reference to a Redis array carries (JSON-safe): enough to read and write its rows. */
export interface RedisArrayInfo {
  readonly namespace: string;
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly rowsPerBlock: number;
  readonly gen: string;
}

const NAME_RE = /^[^\s*?[\]]+$/;

/** @throws {ArgumentError} */
export function checkName(fn: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME_RE.test(value)) {
    throw new ArgumentError(`${fn}: invalid argument '${what}': expected a non-empty string without spaces or glob characters (* ? [ ]), got ${show(value)}`);
  }
  return value;
}

const metaKey = (info: { namespace: string; name: string }): string => `${info.namespace}:ndarray:${info.name}`;
const blockKey = (info: RedisArrayInfo, block: number): string => `${metaKey(info)}:${info.gen}:${block}`;
const rowBytesOf = (info: { dtype: DType; shape: readonly number[] }): number => sizeOf(info.shape.slice(1)) * DTYPES[info.dtype].itemsize;

/** Redis's own errors and lost connections become ClusterConnectionError; this package's errors pass. */
export async function redisCall<T>(fn: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SharedNDArrayError) throw error;
    throw new ClusterConnectionError(`${fn}: Redis failed while ${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

/**
 * The pieces of rows [start, stop) in their blocks: for each block, the block's index, the byte
 * range [from, to) inside the block, and where those bytes sit in the rows' C-order bytes.
 */
function* blockPieces(info: RedisArrayInfo, start: number, stop: number): Generator<{ block: number; from: number; to: number; at: number }> {
  const rowBytes = rowBytesOf(info);
  if (stop <= start || rowBytes === 0) return;
  const rpb = info.rowsPerBlock;
  for (let b = Math.floor(start / rpb); b * rpb < stop; b++) {
    const first = Math.max(start, b * rpb), last = Math.min(stop, (b + 1) * rpb);
    yield { block: b, from: (first - b * rpb) * rowBytes, to: (last - b * rpb) * rowBytes, at: (first - start) * rowBytes };
  }
}

/**
 * Reads rows [start, stop) of the array into `into`, their C-order bytes (length
 * (stop - start) * rowBytes). Blocks are fetched concurrently on one connection (pipelined); a
 * block or a tail of one that was never written stays as `into` had it, zeros for fresh memory.
 */
export async function readRowsInto(client: RedisClientLike, info: RedisArrayInfo, start: number, stop: number, into: Uint8Array): Promise<void> {
  const calls: Promise<void>[] = [];
  for (const { block, from, to, at } of blockPieces(info, start, stop)) {
    calls.push(client.callBuffer('GETRANGE', blockKey(info, block), from, to - 1).then((got) => {
      into.set((got as Buffer).subarray(0, to - from), at);
    }));
  }
  await Promise.all(calls);
}

/** Writes rows [start, stop) from `from`, their C-order bytes, with SETRANGE per block (see the top of the file). */
export async function writeRowsFrom(client: RedisClientLike, info: RedisArrayInfo, start: number, stop: number, from: Uint8Array): Promise<void> {
  const calls: Promise<unknown>[] = [];
  for (const piece of blockPieces(info, start, stop)) {
    const bytes = Buffer.from(from.buffer, from.byteOffset + piece.at, piece.to - piece.from);
    calls.push(client.call('SETRANGE', blockKey(info, piece.block), piece.from, bytes));
  }
  await Promise.all(calls);
}

/** Reads the array's facts; KeyError when no array of that name exists. */
export async function readInfo(fn: string, client: RedisClientLike, namespace: string, name: string): Promise<RedisArrayInfo> {
  const raw = await redisCall(fn, `reading the array ${show(name)}`, () => client.call('GET', metaKey({ namespace, name })));
  if (raw === null || raw === undefined) throw new KeyError(`${fn}: no array named ${show(name)} in namespace ${show(namespace)}`);
  const meta = JSON.parse(String(raw)) as Omit<RedisArrayInfo, 'namespace' | 'name'>;
  return { namespace, name, dtype: meta.dtype, shape: meta.shape, rowsPerBlock: meta.rowsPerBlock, gen: meta.gen };
}

export interface RedisConnectOptions {
  /** `redis://[user:password@]host:port/db`, or `rediss://…` for TLS. */
  url: string;
  /** The prefix of the array's keys; default `'shared-ndarray'`. A cluster's arrays must be in its namespace. */
  namespace?: string;
  /** How long to wait for Redis to accept the connection, in ms; default 5 000. */
  connectTimeout?: number;
  /** How long to wait for Redis to answer a command, in ms; default 5 000. */
  commandTimeout?: number;
}

export interface RedisNDArrayCreateOptions<T extends DTypeLike = DTypeLike> extends RedisConnectOptions {
  shape: number | readonly number[];
  /** Default 'float64'. */
  dtype?: T;
  /** Rows per Redis key; default: as many as fit in 1 MiB (at least 1). */
  rowsPerBlock?: number;
}

export interface RedisNDArrayFromArrayOptions extends RedisConnectOptions {
  rowsPerBlock?: number;
}

const CONNECT_KEYS = ['url', 'namespace', 'connectTimeout', 'commandTimeout'];

function checkMs(fn: string, name: string, value: unknown): number {
  if (value === undefined) return 5_000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new ArgumentError(`${fn}: invalid argument 'options.${name}': expected a number of milliseconds from 1 to ${2 ** 31 - 1}, got ${show(value)}`);
  }
  return value;
}

type RedisCtor = new (url: string, options: Record<string, unknown>) => RedisClientLike & {
  connect(): Promise<void>;
  on(event: string, listener: (...args: never[]) => void): unknown;
};

/**
 * A connection that fails fast: no offline queue and no retried commands, so a command to a Redis
 * that is down rejects at once, and one that does not answer rejects after `commandTimeout`.
 * @throws {ClusterConnectionError} (rejects) when Redis does not accept the connection in time
 * @internal Also what the cluster may use for the arrays' commands.
 */
export async function connectRedis(fn: string, url: string, connectTimeout = 5_000, commandTimeout = 5_000): Promise<RedisClientLike> {
  const { Redis } = requireOptional(fn, 'ioredis', 'ioredis') as { Redis: RedisCtor };
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout,
    commandTimeout,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times: number) => Math.min(50 * times, 1000),
  });
  // without a listener, ioredis reports every failed reconnect on stderr; callers get their errors
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new ClusterConnectionError(`${fn}: cannot connect to Redis at ${safeUrl(url)} (${(error as Error)?.message ?? String(error)})`, { cause: error });
  }
  return client;
}

function parseConnect(fn: string, options: unknown, extra: readonly string[]): { url: string; namespace: string; connectTimeout: number; commandTimeout: number } {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: invalid argument 'options': expected { url, ... }, got ${show(options)}`);
  checkOptionKeys(fn, 'options', options, [...CONNECT_KEYS, ...extra]);
  const o = options as RedisConnectOptions;
  return {
    url: checkRedisUrl(fn, 'options.url', o.url),
    namespace: checkName(fn, 'options.namespace', o.namespace ?? 'shared-ndarray'),
    connectTimeout: checkMs(fn, 'connectTimeout', o.connectTimeout),
    commandTimeout: checkMs(fn, 'commandTimeout', o.commandTimeout),
  };
}

/**
 * An n-d array held in Redis in blocks of rows, which every machine of a cluster can read and
 * write: pass it to `ClusterPool.mapRows` and each task fetches only its rows, and writes them
 * back in place. Also usable alone, as an array store reachable from any process.
 *
 * ```ts
 * const a = await RedisNDArray.create('m', { url, shape: [10_000, 1_000], dtype: 'float32' });
 * await a.writeRows(0, block);             // block: a SharedNDArray of shape [k, 1000]
 * const rows = await a.readRows(100, 200); // a SharedNDArray of shape [100, 1000]
 * await a.close();
 * ```
 *
 * Every method is a network call, hence async. A Redis that is down or does not answer is a
 * ClusterConnectionError within the command timeout.
 */
export class RedisNDArray<D extends DType = DType> {
  readonly #client: RedisClientLike;
  readonly #owned: boolean;
  readonly #info: RedisArrayInfo;
  #closed = false;

  /** @internal Use `create`, `open` or `fromArray`. */
  constructor(client: RedisClientLike, info: RedisArrayInfo, owned: boolean) {
    this.#client = client;
    this.#info = info;
    this.#owned = owned;
  }

  /**
   * A new zero-filled array named `name` in `options.namespace`. Nothing is written but its facts:
   * blocks are created by the first write to them, and read as zeros until then.
   * @throws {ArgumentError} when `name` or an option is invalid
   * @throws {DTypeError} when `options.dtype` names no supported dtype
   * @throws {ShapeError} when `options.shape` is not a list of lengths, or is 0-d (an array in Redis has rows)
   * @throws {ValueError} (rejects) when an array of that name exists in the namespace
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   * @throws {OptionalDependencyError} when ioredis is not installed
   */
  static async create<T extends DTypeLike = 'float64'>(name: string, options: RedisNDArrayCreateOptions<T>): Promise<RedisNDArray<ResolveDType<T>>> {
    const fn = 'RedisNDArray.create';
    checkName(fn, 'name', name);
    const c = parseConnect(fn, options, ['shape', 'dtype', 'rowsPerBlock']);
    const dtype = resolveDType(options.dtype ?? 'float64', 'options.dtype', fn) as ResolveDType<T>;
    if (options.shape === undefined) throw new ArgumentError(`${fn}: invalid argument 'options.shape': required (the shape of the new array)`);
    const shape = parseShape([typeof options.shape === 'number' ? [options.shape] : options.shape], fn, 'options.shape');
    return RedisNDArray.#make(fn, name, c, dtype, shape, options.rowsPerBlock);
  }

  static async #make<D extends DType>(fn: string, name: string, c: ReturnType<typeof parseConnect>, dtype: D, shape: readonly number[], rowsPerBlock: unknown): Promise<RedisNDArray<D>> {
    if (shape.length === 0) throw new ShapeError(`${fn}: an array in Redis is stored by rows, so it needs at least one axis; got shape ()`);
    const rowBytes = rowBytesOf({ dtype, shape });
    const rpb = rowsPerBlock === undefined ? Math.max(1, Math.floor(BLOCK_BYTES / Math.max(1, rowBytes))) : positiveInteger(fn, 'options.rowsPerBlock', rowsPerBlock);
    const client = await connectRedis(fn, c.url, c.connectTimeout, c.commandTimeout);
    const info: RedisArrayInfo = { namespace: c.namespace, name, dtype, shape: [...shape], rowsPerBlock: rpb, gen: randomBytes(8).toString('hex') };
    try {
      const ok = await redisCall(fn, `creating the array ${show(name)}`, () =>
        client.call('SET', metaKey(info), JSON.stringify({ dtype, shape, rowsPerBlock: rpb, gen: info.gen }), 'NX'));
      if (ok === null) throw new ValueError(`${fn}: an array named ${show(name)} exists in namespace ${show(c.namespace)}: open it, or delete it first`);
    } catch (error) {
      client.disconnect();
      throw error;
    }
    return new RedisNDArray<D>(client, info, true);
  }

  /**
   * The array named `name` in `options.namespace`, as some process created it.
   * @throws {ArgumentError} when `name` or an option is invalid
   * @throws {KeyError} (rejects) when no array of that name exists
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   * @throws {OptionalDependencyError} when ioredis is not installed
   */
  static async open<D extends DType = DType>(name: string, options: RedisConnectOptions): Promise<RedisNDArray<D>> {
    const fn = 'RedisNDArray.open';
    checkName(fn, 'name', name);
    const c = parseConnect(fn, options, []);
    const client = await connectRedis(fn, c.url, c.connectTimeout, c.commandTimeout);
    try {
      return new RedisNDArray<D>(client, await readInfo(fn, client, c.namespace, name), true);
    } catch (error) {
      client.disconnect();
      throw error;
    }
  }

  /**
   * A new array in Redis holding a copy of `array` (any layout; rows are stored in C order).
   * @throws {ArgumentError} when `name`, `array` or an option is invalid
   * @throws {ShapeError} when `array` is 0-d
   * @throws {ValueError} (rejects) when an array of that name exists in the namespace
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   * @throws {OptionalDependencyError} when ioredis is not installed
   */
  static async fromArray<D extends DType>(name: string, array: SharedNDArray<D>, options: RedisNDArrayFromArrayOptions): Promise<RedisNDArray<D>> {
    const fn = 'RedisNDArray.fromArray';
    checkName(fn, 'name', name);
    if (!(array instanceof SharedNDArray)) throw new ArgumentError(`${fn}: invalid argument 'array': expected a SharedNDArray, got ${show(array)}`);
    const c = parseConnect(fn, options, ['rowsPerBlock']);
    const made = await RedisNDArray.#make(fn, name, c, array.dtype, array.shape, options.rowsPerBlock);
    try {
      await made.writeRows(0, array);
    } catch (error) {
      await made.delete().catch(() => {});
      throw error;
    }
    return made;
  }

  get name(): string { return this.#info.name; }
  get namespace(): string { return this.#info.namespace; }
  get dtype(): D { return this.#info.dtype as D; }
  get shape(): readonly number[] { return this.#info.shape; }
  get ndim(): number { return this.#info.shape.length; }
  get size(): number { return sizeOf(this.#info.shape); }
  get itemsize(): number { return DTYPES[this.#info.dtype].itemsize; }
  get nbytes(): number { return this.size * this.itemsize; }
  /** Rows per Redis key. */
  get rowsPerBlock(): number { return this.#info.rowsPerBlock; }
  get closed(): boolean { return this.#closed; }

  /** @internal What a cluster task's reference carries. */
  get info(): RedisArrayInfo { return this.#info; }

  #check(fn: string): void {
    if (this.#closed) throw new ValueError(`${fn}: the RedisNDArray ${show(this.#info.name)} is closed`);
  }

  #range(fn: string, start: unknown, stop: unknown): [number, number] {
    const rows = this.#info.shape[0]!;
    const s = start ?? 0, e = stop ?? rows;
    if (!Number.isSafeInteger(s) || (s as number) < 0 || (s as number) > rows) {
      throw new ArgumentError(`${fn}: invalid argument 'start': expected an integer row from 0 to ${rows}, got ${show(start)}`);
    }
    if (!Number.isSafeInteger(e) || (e as number) < (s as number) || (e as number) > rows) {
      throw new ArgumentError(`${fn}: invalid argument 'stop': expected an integer row from ${s as number} to ${rows}, got ${show(stop)}`);
    }
    return [s as number, e as number];
  }

  /**
   * Rows [start, stop) (default: all) as a new SharedNDArray of shape [stop - start, ...shape[1:]].
   * @throws {ValueError} when the array is closed
   * @throws {ArgumentError} when `start` or `stop` is not a row in range
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   */
  async readRows(start?: number, stop?: number): Promise<SharedNDArray<D>> {
    const fn = 'RedisNDArray.readRows';
    this.#check(fn);
    const [s, e] = this.#range(fn, start, stop);
    const out = zeros([e - s, ...this.#info.shape.slice(1)], this.#info.dtype) as SharedNDArray<D>;
    await redisCall(fn, `reading rows ${s}..${e} of ${show(this.#info.name)}`, () =>
      readRowsInto(this.#client, this.#info, s, e, new Uint8Array(out.buffer, out.byteOffset, out.nbytes)));
    return out;
  }

  /**
   * Writes `rows` (a SharedNDArray of shape [k, ...shape[1:]] and this dtype, any layout) as rows
   * [start, start + k). Only those bytes change, so writers of other rows are never overwritten.
   * @throws {ValueError} when the array is closed
   * @throws {ArgumentError} when `start` is not a row in range, or `rows` is not a SharedNDArray
   * @throws {ShapeError} when `rows` has not the shape of rows of this array, or goes past its end
   * @throws {DTypeError} when `rows` has another dtype
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   */
  async writeRows(start: number, rows: SharedNDArray<D>): Promise<void> {
    const fn = 'RedisNDArray.writeRows';
    this.#check(fn);
    if (!(rows instanceof SharedNDArray)) throw new ArgumentError(`${fn}: invalid argument 'rows': expected a SharedNDArray, got ${show(rows)}`);
    const [s] = this.#range(fn, start, this.#info.shape[0]);
    const tail = this.#info.shape.slice(1);
    if (rows.ndim !== this.#info.shape.length || rows.shape.slice(1).some((n, i) => n !== tail[i]) || s + rows.shape[0]! > this.#info.shape[0]!) {
      throw new ShapeError(`${fn}: invalid argument 'rows': expected shape (k, ${tail.join(', ')}) with start + k <= ${this.#info.shape[0]}, got ${showShape(rows.shape)} at row ${s}`);
    }
    if (rows.dtype !== this.#info.dtype) {
      throw new DTypeError(`${fn}: invalid argument 'rows': expected ${this.#info.dtype} elements, got ${rows.dtype} (convert with astype)`);
    }
    const c = rows.isContiguous('C') ? rows : rows.copy('C');
    await redisCall(fn, `writing rows ${s}..${s + rows.shape[0]!} of ${show(this.#info.name)}`, () =>
      writeRowsFrom(this.#client, this.#info, s, s + rows.shape[0]!, new Uint8Array(c.buffer, c.byteOffset, c.nbytes)));
  }

  /**
   * The whole array, as a new SharedNDArray in this process.
   * @throws {ValueError} when the array is closed
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   */
  async toArray(): Promise<SharedNDArray<D>> {
    return this.readRows(0, this.#info.shape[0]);
  }

  /**
   * Deletes the array's keys from Redis, then closes this handle. Others' handles to it then fail
   * with KeyError where they check (a cluster task does), or read zeros.
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   */
  async delete(): Promise<void> {
    const fn = 'RedisNDArray.delete';
    this.#check(fn);
    const info = this.#info;
    const blocks = Math.ceil(info.shape[0]! / info.rowsPerBlock);
    await redisCall(fn, `deleting ${show(info.name)}`, async () => {
      // the facts first: from then on nobody opens it, and a recreated array has a new gen
      await this.#client.call('DEL', metaKey(info));
      const keys: string[] = [];
      for (let b = 0; b < blocks; b++) {
        keys.push(blockKey(info, b));
        if (keys.length === 1000 || b === blocks - 1) await this.#client.call('UNLINK', ...keys.splice(0));
      }
    });
    await this.close();
  }

  /** Lets go of the connection (when this handle opened it). The data stays in Redis. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) this.#client.disconnect();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toString(): string {
    return `RedisNDArray(${show(this.#info.name)}, shape=${showShape(this.#info.shape)}, dtype=${this.#info.dtype})`;
  }
}
