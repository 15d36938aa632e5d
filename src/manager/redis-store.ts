/**
 * The Redis store: what the manager's thread runs instead of its in-memory objects when the
 * manager was started with a `url`. Proxies reach this thread over the same shared-memory slots as
 * the embedded store (so blocking calls work from any thread); this thread turns each call into
 * Redis commands, and Lua scripts where a call must read and write in one step.
 *
 * Layout under the namespace `ns` (every value is the codec's bytes of one value):
 * - `ns:manager`   set by Manager.start; Manager.connect needs it
 * - `ns:meta`      hash: object id → JSON of its typeid and fixed facts (maxsize, typecode, length)
 * - `ns:ids`       counter for anonymous objects' ids (named ones are `name:<name>`)
 * - `ns:o:<id>`    the object: a hash (dict, Namespace), a list (list, Queue), a hash of owner,
 *                  count and lease expiry (Lock, RLock), a counter (Semaphore), a flag (Event),
 *                  a hash of kind and value (Value), the elements' bytes (Array), a hash of
 *                  waiter token → lease end (Condition), a hash of generation, count and
 *                  broken flag (Barrier)
 * - `ns:u:<id>`    a JoinableQueue's unfinished count; a Condition's waiter tokens in arrival order
 * - `ns:o:lock:<id>` the RLock of a Condition made without a lock
 * - `ns:alive:<m>`, `ns:q:<m>`  a manager that holds registered types' objects: alive while this
 *                  key is (renewed with the leases), and the list of other processes' calls to
 *                  them; each call's answer comes back on its own `ns:r:<uuid>`
 * - channel `ns:wake`: the id of an object whose state may let a waiter through (a release, a
 *   set, a get from a full queue); waiters also poll, since Pub/Sub drops messages on a reconnect.
 *
 * Calls that wait (a Queue's get, a Lock's acquire) wait here, on this thread's event loop, and
 * answer through their slot when they are done, as the embedded store's deferred calls do.
 *
 * @internal
 */
import { createHash, randomUUID } from 'node:crypto';
import { ArgumentError, BrokenBarrierError, Empty, Full, ManagerConnectionError, ManagerStateError, OwnerDiedError, SharedNDArrayError, SyncStateError, KeyError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, type DType, type TypedArray } from '../ndarray/dtype.js';
import { requireOptional } from '../ndarray/stdlib.js';
import { decodeMessage, encodeMessage, toBytes } from './codec.js';
import {
  ArrayObject, BarrierObject, CustomObject, DictObject, EventObject, ListObject, LockObject, NamespaceObject, PROXY_NAMES, QueueObject, SemaphoreObject,
  ValueObject, checkKey, isRef, type Ctx, type Managed,
} from './objects.js';
import { REF } from './protocol.js';
import { decode as decodeError, encode as encodeError } from '../transport/transport.js';
import { safeUrl } from '../redis/url.js';
import type { RedisConfig, RedisTlsOptions } from './redis-options.js';
import { cloneError } from './store.js';

/** The part of ioredis this store uses. */
interface Client {
  status: string;
  connect(): Promise<void>;
  disconnect(): void;
  duplicate(options?: Record<string, unknown>): Client;
  callBuffer(command: string, ...args: (string | Buffer | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | Buffer | number)[]): Promise<unknown>;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  subscribe(channel: string): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  [script: string]: unknown;
}
type RedisCtor = new (url: string, options: Record<string, unknown>) => Client;
type Create = (ctx: Ctx, typeid: string, args: unknown[]) => Managed;

/** How often a waiter looks again when no wake-up came (Pub/Sub drops messages on a reconnect). */
const POLL_MS = 100;
/** A blocking pop waits at most this long per command, so a dead connection is noticed. */
const BLOCK_SLICE_S = 2;

const SCRIPTS = {
  create: [3, `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
redis.call('DEL', KEYS[2], KEYS[3])
local i = 3
while i <= #ARGV do
  local n = tonumber(ARGV[i + 1])
  redis.call(ARGV[i], KEYS[2], unpack(ARGV, i + 2, i + 1 + n))
  i = i + 2 + n
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return false`],
  dictPop: [1, `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then redis.call('HDEL', KEYS[1], ARGV[1]) end
return v`],
  dictPopitem: [1, `
local all = redis.call('HGETALL', KEYS[1])
local n = #all
if n == 0 then return false end
redis.call('HDEL', KEYS[1], all[n - 1])
return {all[n - 1], all[n]}`],
  dictSetdefault: [1, `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return ARGV[2] end
return redis.call('HGET', KEYS[1], ARGV[1])`],
  // replaces the list by ARGV[2..] if it still is what the caller read (ARGV[1]: its digest)
  listReplace: [1, `
local cur = redis.call('LRANGE', KEYS[1], 0, -1)
local parts = {}
for i = 1, #cur do parts[i] = #cur[i] .. ':' .. cur[i] end
if redis.sha1hex(table.concat(parts)) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
local i = 2
while i <= #ARGV do
  local j = math.min(i + 999, #ARGV)
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, j))
  i = j + 1
end
return 1`],
  queuePut: [2, `
local m = tonumber(ARGV[1])
if m > 0 and redis.call('LLEN', KEYS[1]) >= m then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[3])
if ARGV[2] == '1' then redis.call('INCR', KEYS[2]) end
return 1`],
  queueTaskDone: [1, `
local u = tonumber(redis.call('GET', KEYS[1]) or '0')
if u <= 0 then return -1 end
u = redis.call('DECR', KEYS[1])
if u == 0 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return u`],
  // {1}: taken; {2}: taken from a holder whose lease ran out; {0, ms}: held, its lease ends in ms.
  // ARGV[4]: the holds to take at once (1, or what a Condition's wait released)
  lockAcquire: [1, `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = string.format('%d', now + tonumber(ARGV[3]))
local o = redis.call('HGET', KEYS[1], 'o')
if not o then
  redis.call('HSET', KEYS[1], 'o', ARGV[1], 'c', ARGV[4], 'e', until_)
  return {1, 0}
end
if o == ARGV[1] and ARGV[2] == '1' then
  redis.call('HINCRBY', KEYS[1], 'c', ARGV[4])
  redis.call('HSET', KEYS[1], 'e', until_)
  return {1, 0}
end
local e = tonumber(redis.call('HGET', KEYS[1], 'e'))
if e <= now then
  redis.call('HSET', KEYS[1], 'o', ARGV[1], 'c', ARGV[4], 'e', until_)
  return {2, 0}
end
return {0, e - now}`],
  // -1: not held; -2: an RLock held by another; else the holds left
  lockRelease: [1, `
local o = redis.call('HGET', KEYS[1], 'o')
if not o then return -1 end
if ARGV[2] == '1' and o ~= ARGV[1] then return -2 end
local c = redis.call('HINCRBY', KEYS[1], 'c', -1)
if c <= 0 then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[3], ARGV[4])
  return 0
end
return c`],
  lockRenew: [1, `
if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], 'e', string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])))
return 1`],
  // A Condition: KEYS[1] its lock; KEYS[2] a hash of waiter token -> the ms its waiter's lease ends
  // (Redis's clock), or 's' once notified; KEYS[3] the tokens in arrival order.
  // wait: -1 when the caller does not hold the lock; else releases it fully, queues the token and
  // returns the holds it released
  condWait: [3, `
if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then return -1 end
local c = tonumber(redis.call('HGET', KEYS[1], 'c'))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], string.format('%d', now + tonumber(ARGV[3])))
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return c`],
  // 1: notified; 2: dropped as dead (its lease ran out before a notify came: a wake-up all the
  // same, so no notify is lost on it); 0: still waiting, its lease renewed
  condCheck: [1, `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v == 's' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
if not v then return 2 end
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])))
return 0`],
  // a waiter that timed out leaves; 1 if a notify reached it first
  condCancel: [2, `
redis.call('LREM', KEYS[2], 1, ARGV[1])
local v = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
if v == 's' then return 1 end
return 0`],
  // wakes ARGV[2] live waiters (-1: all) in arrival order, skipping (and dropping) those whose
  // lease ran out; -1 when the caller does not hold the lock
  condNotify: [3, `
if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[2])
local woken = 0
while n < 0 or woken < n do
  local token = redis.call('LPOP', KEYS[3])
  if not token then break end
  local v = redis.call('HGET', KEYS[2], token)
  if v and v ~= 's' and tonumber(v) > now then
    redis.call('HSET', KEYS[2], token, 's')
    woken = woken + 1
  else
    redis.call('HDEL', KEYS[2], token)
  end
end
if woken > 0 then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return woken`],
  condRenew: [1, `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v or v == 's' then return 0 end
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])))
return 1`],
  // A Barrier: a hash of g (its generation), n (parties waiting in it), b (1: broken), and r<g> for
  // each generation that reset() ended while parties waited in it.
  // {-1}: broken; {index, generation, 1 if this arrival tripped it}
  barrierArrive: [1, `
if redis.call('HGET', KEYS[1], 'b') == '1' then return {-1, 0, 0} end
local g = tonumber(redis.call('HGET', KEYS[1], 'g'))
local n = tonumber(redis.call('HGET', KEYS[1], 'n'))
if n + 1 == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'n', 0, 'g', g + 1)
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return {n, g, 1}
end
redis.call('HSET', KEYS[1], 'n', n + 1)
return {n, g, 0}`],
  // for a party of generation ARGV[1]: 1 passed, -1 broken (or reset), 0 still waiting
  barrierCheck: [1, `
local g = redis.call('HGET', KEYS[1], 'g')
if g == ARGV[1] then
  if redis.call('HGET', KEYS[1], 'b') == '1' then return -1 end
  return 0
end
if redis.call('HEXISTS', KEYS[1], 'r' .. ARGV[1]) == 1 then return -1 end
return 1`],
  // a party's timeout: breaks the barrier if its generation is still waiting; else its outcome
  barrierBreak: [1, `
local g = redis.call('HGET', KEYS[1], 'g')
if g ~= ARGV[1] then
  if redis.call('HEXISTS', KEYS[1], 'r' .. ARGV[1]) == 1 then return -1 end
  return 1
end
redis.call('HSET', KEYS[1], 'b', 1)
redis.call('PUBLISH', ARGV[2], ARGV[3])
return -1`],
  barrierAbort: [1, `
redis.call('HSET', KEYS[1], 'b', 1)
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`],
  // a new generation; the parties waiting in the old one (or stuck in a broken one) get BrokenBarrierError
  barrierReset: [1, `
local g = tonumber(redis.call('HGET', KEYS[1], 'g'))
if tonumber(redis.call('HGET', KEYS[1], 'n')) > 0 or redis.call('HGET', KEYS[1], 'b') == '1' then
  redis.call('HSET', KEYS[1], 'r' .. g, 1, 'g', g + 1)
end
redis.call('HSET', KEYS[1], 'n', 0, 'b', 0)
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`],
  // a registered type's answer, for a caller that waits on KEYS[1] (gone after a minute if it left)
  reply: [1, `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], 60000)
return 1`],
  semAcquire: [1, `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > 0 then redis.call('DECR', KEYS[1]) return 1 end
return 0`],
  semRelease: [1, `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = tonumber(ARGV[1])
local b = tonumber(ARGV[2])
if b >= 0 and v + n > b then return -1 end
redis.call('INCRBY', KEYS[1], n)
redis.call('PUBLISH', ARGV[3], ARGV[4])
return v + n`],
  eventSet: [1, `
redis.call('SET', KEYS[1], '1')
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`],
  // {1, new value}; {0, kind}: the value is not of the delta's kind; {-1}: a bigint out of int64
  valueAdd: [1, `
local k = redis.call('HGET', KEYS[1], 'k')
if k ~= ARGV[1] then return {0, k or ''} end
if k == 'b' then
  local ok = pcall(redis.call, 'HINCRBY', KEYS[1], 'v', ARGV[2])
  if not ok then return {-1, ''} end
  return {1, redis.call('HGET', KEYS[1], 'v')}
end
local x = tonumber(redis.call('HGET', KEYS[1], 'v')) + tonumber(ARGV[2])
local s
if x ~= x then s = 'nan' elseif x == math.huge then s = 'inf' elseif x == -math.huge then s = '-inf' else s = string.format('%.17g', x) end
redis.call('HSET', KEYS[1], 'v', s)
return {1, s}`],
} as const satisfies Record<string, readonly [number, string]>;
type Script = keyof typeof SCRIPTS;

/** An object's fixed facts, kept in `ns:meta` and cached here. */
interface Meta {
  /** typeid */
  t: string;
  /** Queue maxsize */
  m?: number;
  /** Semaphore bound (BoundedSemaphore's initial value), -1 for none */
  b?: number;
  /** typecode (Value, Array) */
  c?: string;
  /** Array dtype and length */
  d?: DType;
  n?: number;
  /** a Condition's lock: its id and typeid (none: the Condition's own RLock, id `lock:<id>`) */
  l?: string;
  lt?: string;
  /** Barrier parties and default timeout (none: no timeout) */
  p?: number;
  o?: number;
  /** a registered type's object: the id of the manager (RedisBackend) whose process holds it */
  w?: string;
}

/** A value structured clone cannot copy: connectionError turns it into the ArgumentError pack() gives. */
class CloneFailure extends Error {}

/** What a registered type's method threw (a TypeError, say): the caller gets it as it is, not as a Redis failure. */
class MethodFailure {
  constructor(readonly error: unknown) {}
}

function enc(value: unknown): Buffer {
  let bytes: Uint8Array;
  try {
    bytes = toBytes(encodeMessage([value]));
  } catch (error) {
    throw new CloneFailure('cannot clone', { cause: error });
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function dec(bytes: Buffer): unknown {
  return decodeMessage(bytes)[0];
}

/** A dict key as a hash field: Map compares keys with SameValueZero, so -0 is 0. */
function field(fn: string, key: unknown): Buffer {
  const k = checkKey(fn, key);
  return enc(k === 0 ? 0 : k);
}

/** Numbers as text Lua's tonumber reads back to the same double. */
function numberText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return Object.is(x, -0) ? '-0' : String(x);
}

function textNumber(s: string): number {
  if (s === 'nan' || s === '-nan') return Number.NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

function digest(items: readonly Buffer[]): string {
  const hash = createHash('sha1');
  for (const item of items) {
    hash.update(`${item.length}:`);
    hash.update(item);
  }
  return hash.digest('hex');
}

function pairs(buffers: Buffer[]): [Buffer, Buffer][] {
  const out: [Buffer, Buffer][] = [];
  for (let i = 0; i < buffers.length; i += 2) out.push([buffers[i]!, buffers[i + 1]!]);
  return out;
}

/**
 * Errors that are not Redis's answer (a closed socket, a timeout) are ManagerConnectionErrors; so
 * is any error while connecting (a wrong password is Redis's answer, but the manager is unreachable all the same).
 */
function connectionError(fn: string, url: string, error: unknown, connecting = false): unknown {
  if (error instanceof SharedNDArrayError) return error;
  if (error instanceof CloneFailure) return cloneError(fn, error.cause);
  const message = error instanceof Error ? error.message : String(error);
  if (connecting) return new ManagerConnectionError(`${fn}: cannot connect to Redis at ${safeUrl(url)} (${message})`, { cause: error });
  if (error instanceof Error && error.name === 'ReplyError') {
    return new ManagerStateError(`${fn}: Redis refused the call (${message}); were the namespace's keys changed by something other than this package?`, { cause: error });
  }
  return new ManagerConnectionError(`${fn}: Redis at ${safeUrl(url)} did not answer (${message})`, { cause: error });
}

/** options.tls for node:tls (the manager's thread receives Uint8Arrays, tls wants Buffers or strings). */
function tlsOptions(tls: RedisTlsOptions): Record<string, unknown> {
  const buffer = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  const { ca, cert, key, rejectUnauthorized } = tls;
  return {
    ...(ca === undefined ? {} : { ca: Array.isArray(ca) ? ca.map(buffer) : buffer(ca as string | Uint8Array) }),
    ...(cert === undefined ? {} : { cert: buffer(cert) }),
    ...(key === undefined ? {} : { key: buffer(key) }),
    ...(rejectUnauthorized === undefined ? {} : { rejectUnauthorized }),
  };
}

interface Listener {
  readonly id: string;
  readonly promise: Promise<void>;
  cancel(): void;
}

export class RedisBackend {
  readonly #config: RedisConfig;
  readonly #client: Client;
  readonly #subscriber: Client | undefined;
  readonly #blockers: Client[] = [];
  readonly #allBlockers = new Set<Client>();
  readonly #meta = new Map<string, Meta>();
  readonly #listeners = new Map<string, Set<() => void>>();
  /** Locks this thread's callers hold: renewed every third of the lease. */
  readonly #held = new Map<string, Set<string>>();
  /** Condition waiters of this thread: token → the Condition's waiter hash; their leases are renewed too. */
  readonly #waiting = new Map<string, string>();
  /** Registered types' objects that live in this process, served to other processes through `ns:q:<me>`. */
  readonly #custom = new Map<string, CustomObject>();
  #serving = false;
  readonly #renewal: ReturnType<typeof setInterval> | undefined;
  readonly #me = randomUUID();
  readonly #create: Create;
  #closed = false;

  private constructor(config: RedisConfig, client: Client, subscriber: Client | undefined, create: Create) {
    this.#config = config;
    this.#client = client;
    this.#subscriber = subscriber;
    this.#create = create;
    subscriber?.on('message', ((channel: string, id: string) => {
      if (channel === this.#key('wake')) this.#wake(id);
    }) as never);
    this.#renewal = subscriber === undefined ? undefined : setInterval(() => void this.#renew(), Math.max(50, config.lease / 3));
    this.#renewal?.unref();
  }

  static async #connect(fn: string, config: RedisConfig): Promise<Client> {
    const { Redis } = requireOptional(fn, 'ioredis', 'ioredis') as { Redis: RedisCtor };
    const client = new Redis(config.url, {
      lazyConnect: true,
      connectTimeout: config.connectTimeout,
      commandTimeout: config.commandTimeout,
      // a call made while Redis is away fails at once rather than queueing without bound
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times: number) => Math.min(50 * times, 1000),
      keepAlive: 10_000,
      ...(config.tls === undefined ? {} : { tls: tlsOptions(config.tls) }),
    });
    // without a listener, ioredis reports every failed reconnect on stderr; the callers get their errors
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw connectionError(fn, config.url, error, true);
    }
    for (const [name, [numberOfKeys, lua]] of Object.entries(SCRIPTS)) client.defineCommand(name, { numberOfKeys, lua });
    return client;
  }

  /**
   * A backend for the calls that never wait (dict, list, Namespace, Value, Array), made in the
   * thread that started the manager: its async forms then cost one Redis round trip and no thread
   * hop. No subscriber, no leases, and it never deletes the namespace.
   * @throws {ManagerConnectionError} when Redis cannot be reached
   */
  static async direct(fn: string, config: RedisConfig): Promise<RedisBackend> {
    const client = await RedisBackend.#connect(fn, config);
    // like the manager's thread, this connection does not keep the process alive
    const unref = () => (client as { stream?: { unref?: () => void } }).stream?.unref?.();
    unref();
    client.on('connect', unref);
    return new RedisBackend({ ...config, mode: 'connect' }, client, undefined, () => {
      throw new ArgumentError(`${fn}: objects are created by the manager's thread`);
    });
  }

  /**
   * Connects (a client, and a subscriber for wake-ups) and claims or checks the namespace.
   * @throws {OptionalDependencyError} when ioredis is not installed
   * @throws {ManagerConnectionError} when Redis cannot be reached or refuses the credentials
   */
  static async open(config: RedisConfig, create: Create): Promise<RedisBackend> {
    const fn = config.mode === 'start' ? 'Manager.start' : 'Manager.connect';
    const client = await RedisBackend.#connect(fn, config);
    const subscriber = client.duplicate({ commandTimeout: undefined });
    subscriber.on('error', () => {});
    try {
      await subscriber.connect();
      await subscriber.subscribe(`${config.namespace}:wake`);
      const marker = `${config.namespace}:manager`;
      if (config.mode === 'start') {
        await client.call('SET', marker, JSON.stringify({ started: new Date().toISOString() }));
      } else if (await client.call('EXISTS', marker) !== 1) {
        throw new ManagerStateError(`${fn}: no manager was started in namespace ${show(config.namespace)} at ${safeUrl(config.url)}; start one with Manager.start({ url, namespace })`);
      }
    } catch (error) {
      subscriber.disconnect();
      client.disconnect();
      throw connectionError(fn, config.url, error, true);
    }
    return new RedisBackend(config, client, subscriber, create);
  }

  /**
   * Stops renewing leases (a lock held now is taken over once its lease ends) and disconnects. A
   * started manager owns its namespace, as Python's started manager owns its objects: it deletes
   * the namespace's keys first. A connected one leaves them.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#renewal);
    // its registered types' objects die with it (a connected manager leaves the rest): callers learn it at once
    if (this.#serving) await this.#client.call('DEL', this.#key('alive', this.#me), this.#key('q', this.#me)).catch(() => {});
    for (const waiters of this.#listeners.values()) for (const w of waiters) w();
    if (this.#config.mode === 'start') {
      try {
        let cursor = '0';
        do {
          const [next, keys] = await this.#client.call('SCAN', cursor, 'MATCH', `${this.#config.namespace}:*`, 'COUNT', 1000) as [string, string[]];
          if (keys.length > 0) await this.#client.call('UNLINK', ...keys);
          cursor = next;
        } while (cursor !== '0');
      } catch {
        // Redis away: the keys stay, as they do when the process exits without shutdown()
      }
    }
    this.#client.disconnect();
    this.#subscriber?.disconnect();
    for (const b of this.#allBlockers) b.disconnect();
  }

  #key(kind: string, id?: string): string {
    return id === undefined ? `${this.#config.namespace}:${kind}` : `${this.#config.namespace}:${kind}:${id}`;
  }

  #caller(ctx: Ctx): string {
    return `${this.#me}:${ctx.caller}`;
  }

  #run(command: string, ...args: (string | Buffer | number)[]): Promise<unknown> {
    return this.#client.callBuffer(command, ...args);
  }

  #script(name: Script, keys: string[], ...args: (string | Buffer | number)[]): Promise<unknown> {
    return (this.#client[`${name}Buffer`] as (...a: unknown[]) => Promise<unknown>)(...keys, ...args);
  }

  async #metaOf(fn: string, id: string): Promise<Meta> {
    let meta = this.#meta.get(id);
    if (meta === undefined) {
      const json = await this.#client.call('HGET', this.#key('meta'), id);
      if (typeof json !== 'string') throw new ArgumentError(`${fn}: the manager holds no object with id ${show(id)}`);
      meta = JSON.parse(json) as Meta;
      this.#meta.set(id, meta);
    }
    return meta;
  }

  // ---- waiting ----------------------------------------------------------------------------------

  #wake(id: string): void {
    const set = this.#listeners.get(id);
    if (set === undefined) return;
    this.#listeners.delete(id);
    for (const w of set) w();
  }

  /** Resolves at the next wake-up for `id`, or after `ms`. */
  #listen(id: string): Listener {
    let done!: () => void;
    const promise = new Promise<void>((resolve) => { done = resolve; });
    let set = this.#listeners.get(id);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(id, set);
    }
    set.add(done);
    return { id, promise, cancel: () => this.#listeners.get(id)?.delete(done) };
  }

  /**
   * Tries `attempt` until it succeeds or `timeout` ms pass (then undefined). Between tries it
   * waits for a wake-up of `id`, at most `POLL_MS` (or the attempt's `retryIn`).
   */
  async #waitFor<T>(id: string, timeout: number, attempt: () => Promise<{ value?: T; retryIn?: number }>): Promise<{ value?: T } | undefined> {
    const end = performance.now() + timeout;
    for (;;) {
      if (this.#closed) throw new ManagerStateError('the manager is shut down');
      const listener = this.#listen(id);
      let result: { value?: T; retryIn?: number };
      try {
        result = await attempt();
      } catch (error) {
        listener.cancel();
        throw error;
      }
      if ('value' in result) {
        listener.cancel();
        return result;
      }
      const left = end - performance.now();
      if (left <= 0) {
        listener.cancel();
        return undefined;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([listener.promise, new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(1, Math.min(left, POLL_MS, result.retryIn ?? POLL_MS)));
        timer.unref();
      })]);
      clearTimeout(timer);
      listener.cancel();
    }
  }

  async #blocker(): Promise<Client> {
    const free = this.#blockers.pop();
    if (free !== undefined && free.status === 'ready') return free;
    if (free !== undefined) {
      this.#allBlockers.delete(free);
      free.disconnect();
    }
    // no command timeout: a blocking pop waits on purpose; each waits at most BLOCK_SLICE_S, plus a grace
    const client = this.#client.duplicate({ commandTimeout: undefined, blockingTimeout: this.#config.commandTimeout });
    client.on('error', () => {});
    this.#allBlockers.add(client);
    await client.connect();
    return client;
  }

  async #blockingPop(key: string, timeout: number): Promise<Buffer | undefined> {
    const end = performance.now() + timeout;
    const client = await this.#blocker();
    try {
      for (;;) {
        if (this.#closed) throw new ManagerStateError('the manager is shut down');
        const left = end - performance.now();
        if (left <= 0) return undefined;
        const seconds = Math.max(0.001, Math.min(left / 1000, BLOCK_SLICE_S));
        const reply = await client.callBuffer('BLPOP', key, seconds.toFixed(3)) as Buffer[] | null;
        if (reply !== null) return reply[1];
      }
    } finally {
      if (this.#closed) client.disconnect();
      else this.#blockers.push(client);
    }
  }

  async #renew(): Promise<void> {
    try {
      if (this.#serving) await this.#run('SET', this.#key('alive', this.#me), '1', 'PX', this.#config.lease);
      for (const [token, key] of this.#waiting) await this.#script('condRenew', [key], token, this.#config.lease);
    } catch {
      // Redis away: as below
    }
    for (const [id, callers] of this.#held) {
      for (const caller of callers) {
        try {
          if (await this.#script('lockRenew', [this.#key('o', id)], caller, this.#config.lease) === 0) callers.delete(caller);
        } catch {
          // Redis away: the next round tries again (the lease may run out meanwhile, as it would for a dead process)
        }
      }
      if (callers.size === 0) this.#held.delete(id);
    }
  }

  #hold(id: string, caller: string): void {
    let callers = this.#held.get(id);
    if (callers === undefined) {
      callers = new Set();
      this.#held.set(id, callers);
    }
    callers.add(caller);
  }

  // ---- calls ------------------------------------------------------------------------------------

  /** A factory call: the object built (and checked) as the embedded store would, then written to Redis. */
  async create(ctx: Ctx, typeid: string, args: unknown[], name: string | undefined): Promise<string> {
    try {
      return await this.#createObject(ctx, typeid, args, name);
    } catch (error) {
      throw connectionError(ctx.fn, this.#config.url, error);
    }
  }

  async #createObject(ctx: Ctx, typeid: string, args: unknown[], name: string | undefined): Promise<string> {
    const meta: Meta = { t: typeid };
    // a Condition's lock is another object of this namespace, which the thread's own create cannot see
    const object = typeid === 'Condition' ? undefined : this.#create(ctx, typeid, args);
    const commands: (string | Buffer | number)[] = [];
    const push = (command: string, values: (string | Buffer | number)[], chunk: number) => {
      for (let i = 0; i < values.length; i += chunk) {
        const part = values.slice(i, i + chunk);
        commands.push(command, part.length, ...part);
      }
    };
    if (object instanceof DictObject) {
      push('HSET', [...object.map].flatMap(([k, v]) => [field(ctx.fn, k), enc(v)]), 1000);
    } else if (object instanceof NamespaceObject) {
      push('HSET', [...object.attrs].flatMap(([k, v]) => [k, enc(v)]), 1000);
    } else if (object instanceof ListObject) {
      push('RPUSH', object.items.map(enc), 1000);
    } else if (object instanceof QueueObject) {
      meta.m = object.maxsize;
    } else if (object instanceof SemaphoreObject) {
      meta.b = typeid === 'BoundedSemaphore' ? object.value : -1;
      push('SET', [object.value], 1);
    } else if (object instanceof ValueObject) {
      meta.c = object.typecode;
      push('HSET', this.#valueFields(object.value), 4);
    } else if (object instanceof ArrayObject) {
      const data = object.data as unknown as ArrayBufferView & { length: number };
      meta.c = object.typecode;
      meta.d = args[1] as DType;
      meta.n = data.length;
      push('SET', [Buffer.from(data.buffer, data.byteOffset, data.byteLength)], 1);
    } else if (object === undefined) {
      const lock = args[0];
      if (lock !== undefined && lock !== null) {
        const lockMeta = isRef(lock) ? await this.#metaOf(ctx.fn, lock[REF][1]) : undefined;
        if (lockMeta?.t !== 'Lock' && lockMeta?.t !== 'RLock') throw new ArgumentError(`${ctx.fn}: invalid argument 'lock': expected a Lock or RLock proxy of this manager, got ${show(lock)}`);
        meta.l = (lock as { [REF]: [string, string] })[REF][1];
        meta.lt = lockMeta.t;
      }
    } else if (object instanceof BarrierObject) {
      meta.p = object.parties;
      if (args[1] !== undefined && args[1] !== Infinity) meta.o = args[1] as number;
      push('HSET', ['g', 0, 'n', 0, 'b', 0], 6);
    } else if (object instanceof CustomObject) {
      meta.w = this.#me;
    } else if (!(object instanceof LockObject || object instanceof EventObject)) {
      throw new ArgumentError(`${ctx.fn}: the Redis store does not offer ${show(typeid)}`);
    }
    const id = name === undefined ? String(await this.#client.call('INCR', this.#key('ids'))) : `name:${name}`;
    const existing = await this.#script('create', [this.#key('meta'), this.#key('o', id), this.#key('u', id)], id, JSON.stringify(meta), ...commands) as Buffer | null;
    if (existing !== null) {
      const found = JSON.parse(existing.toString()) as Meta;
      if (found.t !== typeid) throw new ArgumentError(`${ctx.fn}: the name ${show(name)} is taken by a ${found.t}, not a ${typeid}`);
      this.#meta.set(id, found);
    } else {
      this.#meta.set(id, meta);
      if (object instanceof CustomObject) await this.#own(id, object);
    }
    return id;
  }

  #valueFields(value: unknown): (string | Buffer)[] {
    if (typeof value === 'number') return ['k', 'n', 'v', numberText(value)];
    if (typeof value === 'bigint') return ['k', 'b', 'v', value.toString()];
    return ['k', 'x', 'v', enc(value)];
  }

  /** The typeid of object `id` if this thread has met it already. */
  knownTypeid(id: string): string | undefined {
    return this.#meta.get(id)?.t;
  }

  /** The typeid of object `id` (one HGET the first time, cached after). */
  async typeidOf(fn: string, id: string): Promise<string> {
    try {
      return (await this.#metaOf(fn, id)).t;
    } catch (error) {
      throw connectionError(fn, this.#config.url, error);
    }
  }

  /**
   * The commonest calls of a known object (a dict's get, set and has, a list's append), sent now
   * with a callback that answers `done` as soon as ioredis has parsed Redis's reply: a caller
   * blocked on the manager's thread gets its answer without the promise hops of `call`. Returns
   * false, sending nothing, for any other call, or arguments `call` must refuse with its error.
   */
  callNow(id: string, method: string, args: unknown[], done: (error: unknown, value?: unknown) => void): boolean {
    const meta = this.#meta.get(id);
    if (meta === undefined) return false;
    const fn = `${PROXY_NAMES[meta.t] ?? meta.t}.${method}`;
    let command: string, commandArgs: (string | Buffer)[], answer: (reply: unknown) => unknown;
    try {
      if (meta.t === 'dict' && (method === 'get' || method === 'has')) {
        command = method === 'get' ? 'HGET' : 'HEXISTS';
        commandArgs = [this.#key('o', id), field(fn, args[0])];
        const fallback = args[1];
        answer = method === 'get' ? (v) => (v === null ? fallback : dec(v as Buffer)) : (n) => n === 1;
      } else if (meta.t === 'dict' && method === 'set') {
        command = 'HSET';
        commandArgs = [this.#key('o', id), field(fn, args[0]), enc(args[1])];
        answer = () => undefined;
      } else if (meta.t === 'list' && method === 'append') {
        command = 'RPUSH';
        commandArgs = [this.#key('o', id), enc(args[0])];
        answer = () => undefined;
      } else {
        return false;
      }
    } catch {
      return false;
    }
    const url = this.#config.url;
    (this.#client.callBuffer as (command: string, ...a: unknown[]) => unknown)(command, ...commandArgs, (error: unknown, reply: unknown) => {
      if (error !== null && error !== undefined) {
        done(connectionError(fn, url, error));
        return;
      }
      let value: unknown;
      try {
        value = answer(reply);
      } catch (failure) {
        done(connectionError(fn, url, failure));
        return;
      }
      done(undefined, value);
    });
    return true;
  }

  /** A proxy's call on object `id`. */
  async call(context: Ctx, id: string, method: string, args: unknown[]): Promise<unknown> {
    let ctx = context;
    try {
      // a known object's command goes out in this call, not a microtask later (the embedded thread's hand-off waits on it)
      const meta = this.#meta.get(id) ?? await this.#metaOf(ctx.fn, id);
      ctx = { ...ctx, fn: `${PROXY_NAMES[meta.t] ?? meta.t}.${method}` };
      const key = this.#key('o', id);
      switch (meta.t) {
        case 'dict': return await this.#dict(ctx, key, method, args);
        case 'list': return await this.#list(ctx, key, method, args);
        case 'Namespace': return await this.#namespace(ctx, key, method, args);
        case 'Queue': case 'JoinableQueue': return await this.#queue(ctx, id, key, meta, method, args);
        case 'Lock': case 'RLock': return await this.#lock(ctx, id, key, meta, method, args);
        case 'Semaphore': case 'BoundedSemaphore': return await this.#semaphore(ctx, id, key, meta, method, args);
        case 'Event': return await this.#event(ctx, id, key, method, args);
        case 'Value': return await this.#value(ctx, key, meta, method, args);
        case 'Array': return await this.#array(ctx, key, meta, method, args);
        case 'Condition': return await this.#condition(ctx, id, key, meta, method, args);
        case 'Barrier': return await this.#barrier(ctx, id, key, meta, method, args);
        default:
          if (meta.w !== undefined && method === 'call') return await this.#customCall(ctx, id, meta, args);
          throw noMethod(ctx, meta.t, method);
      }
    } catch (error) {
      if (error instanceof MethodFailure) throw error.error;
      throw connectionError(ctx.fn, this.#config.url, error);
    }
  }

  async #dict(ctx: Ctx, key: string, method: string, args: unknown[]): Promise<unknown> {
    const fn = ctx.fn;
    switch (method) {
      case 'get': {
        const v = await this.#run('HGET', key, field(fn, args[0])) as Buffer | null;
        return v === null ? args[1] : dec(v);
      }
      case 'set':
        await this.#run('HSET', key, field(fn, args[0]), enc(args[1]));
        return undefined;
      case 'delete':
        if (await this.#run('HDEL', key, field(fn, args[0])) === 0) throw new KeyError(`${fn}: no key ${show(checkKey(fn, args[0]))}`);
        return undefined;
      case 'has': return await this.#run('HEXISTS', key, field(fn, args[0])) === 1;
      case 'len': return await this.#run('HLEN', key);
      case 'clear':
        await this.#run('DEL', key);
        return undefined;
      case 'keys': case 'values': case 'items': case 'copy': {
        const all = pairs(await this.#run('HGETALL', key) as Buffer[]);
        if (method === 'keys') return all.map(([k]) => dec(k));
        if (method === 'values') return all.map(([, v]) => dec(v));
        const items = all.map(([k, v]) => [dec(k), dec(v)] as [unknown, unknown]);
        return method === 'items' ? items : new Map(items);
      }
      case 'update': {
        const d = new DictObject(ctx);
        d.update(ctx, args[0]);
        if (d.map.size > 0) await this.#run('HSET', key, ...[...d.map].flatMap(([k, v]) => [field(fn, k), enc(v)]));
        return undefined;
      }
      case 'pop': {
        const v = await this.#script('dictPop', [key], field(fn, args[0])) as Buffer | null;
        if (v !== null) return dec(v);
        if (args.length > 1) return args[1];
        throw new KeyError(`${fn}: no key ${show(checkKey(fn, args[0]))} (and no default given)`);
      }
      case 'popitem': {
        const pair = await this.#script('dictPopitem', [key]) as [Buffer, Buffer] | null;
        if (pair === null) throw new KeyError(`${fn}: the dictionary is empty`);
        return [dec(pair[0]), dec(pair[1])];
      }
      case 'setdefault': return dec(await this.#script('dictSetdefault', [key], field(fn, args[0]), enc(args[1])) as Buffer);
      default: throw noMethod(ctx, 'dict', method);
    }
  }

  async #readList(key: string): Promise<Buffer[]> {
    return await this.#run('LRANGE', key, 0, -1) as Buffer[];
  }

  /** The embedded store's ListObject over a snapshot: its checks, its answers and its errors. */
  async #listAt(ctx: Ctx, key: string): Promise<ListObject> {
    return new ListObject(ctx, (await this.#readList(key)).map(dec));
  }

  /** Runs a ListObject method on a snapshot and writes the result back if the list did not change meanwhile. */
  async #listMutate(ctx: Ctx, key: string, method: keyof ListObject, args: unknown[]): Promise<unknown> {
    for (;;) {
      const raw = await this.#readList(key);
      const list = new ListObject(ctx, raw.map(dec));
      const result = (list[method] as (...a: unknown[]) => unknown)(ctx, ...args);
      if (await this.#script('listReplace', [key], digest(raw), ...list.items.map(enc)) === 1) return result;
    }
  }

  async #list(ctx: Ctx, key: string, method: string, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'append':
        await this.#run('RPUSH', key, enc(args[0]));
        return undefined;
      case 'extend': {
        const values = args[0];
        if (!Array.isArray(values)) return new ListObject(ctx).extend(ctx, values);
        if (values.length > 0) await this.#run('RPUSH', key, ...values.map(enc));
        return undefined;
      }
      case 'len': return await this.#run('LLEN', key);
      case 'clear':
        await this.#run('DEL', key);
        return undefined;
      case 'get': {
        if (Number.isSafeInteger(args[0])) {
          const v = await this.#run('LINDEX', key, args[0] as number) as Buffer | null;
          if (v !== null) return dec(v);
        }
        return (await this.#listAt(ctx, key)).get(ctx, args[0]);
      }
      case 'set':
        if (Number.isSafeInteger(args[0])) {
          try {
            await this.#run('LSET', key, args[0] as number, enc(args[1]));
            return undefined;
          } catch (error) {
            if (!(error instanceof Error && error.name === 'ReplyError')) throw error;
          }
        }
        return (await this.#listAt(ctx, key)).set(ctx, args[0], args[1]);
      case 'pop': {
        const at = args[0] ?? -1;
        if (at === -1 || at === 0) {
          const v = await this.#run(at === 0 ? 'LPOP' : 'RPOP', key) as Buffer | null;
          if (v !== null) return dec(v);
          return new ListObject(ctx).pop(ctx, at);
        }
        return await this.#listMutate(ctx, key, 'pop', args);
      }
      case 'slice': case 'index': case 'count': case 'includes': {
        const list = await this.#listAt(ctx, key);
        return (list[method] as (...a: unknown[]) => unknown)(ctx, ...args);
      }
      case 'delete': case 'insert': case 'remove': case 'reverse': case 'sort': case 'imul':
        return await this.#listMutate(ctx, key, method, args);
      default: throw noMethod(ctx, 'list', method);
    }
  }

  async #namespace(ctx: Ctx, key: string, method: string, args: unknown[]): Promise<unknown> {
    const name = (): string => {
      if (typeof args[0] !== 'string') throw new ArgumentError(`${ctx.fn}: invalid argument 'name': expected a string, got ${show(args[0])}`);
      return args[0];
    };
    switch (method) {
      case 'get': {
        const v = await this.#run('HGET', key, name()) as Buffer | null;
        return v === null ? undefined : dec(v);
      }
      case 'set':
        await this.#run('HSET', key, name(), enc(args[1]));
        return undefined;
      case 'delete': {
        const n = name();
        if (await this.#run('HDEL', key, n) === 0) throw new KeyError(`${ctx.fn}: the namespace has no attribute ${show(n)}`);
        return undefined;
      }
      case 'has': return await this.#run('HEXISTS', key, name()) === 1;
      case 'toObject':
        return Object.fromEntries(pairs(await this.#run('HGETALL', key) as Buffer[]).map(([k, v]) => [k.toString(), dec(v)]));
      default: throw noMethod(ctx, 'Namespace', method);
    }
  }

  async #queue(ctx: Ctx, id: string, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    const fn = ctx.fn;
    const maxsize = meta.m ?? 0;
    const unfinished = this.#key('u', id);
    switch (method) {
      case 'put': {
        const timeout = args[1] as number;
        const item = enc(args[0]);
        const put = async () => (await this.#script('queuePut', [key, unfinished], maxsize, meta.t === 'JoinableQueue' ? '1' : '0', item) === 1 ? { value: undefined } : {});
        const first = await put();
        if ('value' in first) return undefined;
        if (timeout === 0) throw new Full(`${fn}: the queue is full`);
        if (await this.#waitFor(id, timeout, put) === undefined) throw new Full(`${fn}: the queue stayed full for ${timeout} ms`);
        return undefined;
      }
      case 'get': {
        const timeout = args[0] as number;
        let v = await this.#run('LPOP', key) as Buffer | null;
        if (v === null) {
          if (timeout === 0) throw new Empty(`${fn}: the queue is empty`);
          v = await this.#blockingPop(key, timeout) ?? null;
          if (v === null) throw new Empty(`${fn}: the queue stayed empty for ${timeout} ms`);
        }
        // room for a waiting put
        if (maxsize > 0) await this.#run('PUBLISH', this.#key('wake'), id);
        return dec(v);
      }
      case 'qsize': return await this.#run('LLEN', key);
      case 'empty': return await this.#run('LLEN', key) === 0;
      case 'full': return maxsize > 0 && (await this.#run('LLEN', key) as number) >= maxsize;
      case 'taskDone':
        if (meta.t !== 'JoinableQueue') break;
        if (await this.#script('queueTaskDone', [unfinished], this.#key('wake'), id) === -1) throw new SyncStateError(`${fn}: called more times than there were items put`);
        return undefined;
      case 'join': {
        if (meta.t !== 'JoinableQueue') break;
        const done = async () => (Number(await this.#client.call('GET', unfinished) ?? 0) <= 0 ? { value: true } : {});
        return (await this.#waitFor(id, args[0] as number, done)) !== undefined;
      }
      default: break;
    }
    throw noMethod(ctx, meta.t, method);
  }

  async #lock(ctx: Ctx, id: string, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    const caller = this.#caller(ctx);
    const recursive = meta.t === 'RLock' ? '1' : '0';
    switch (method) {
      case 'acquire': return await this.#acquireLock(ctx, id, key, recursive, args[0] as number, 1);
      case 'release': {
        const left = await this.#script('lockRelease', [key], caller, recursive, this.#key('wake'), id) as number;
        if (left === -1) throw new SyncStateError(`${ctx.fn}: release of an unlocked lock`);
        if (left === -2) throw new SyncStateError(`${ctx.fn}: cannot release an RLock this thread does not hold`);
        if (left === 0) this.#held.get(id)?.delete(caller);
        return undefined;
      }
      case 'locked': return await this.#run('HEXISTS', key, 'o') === 1;
      default: throw noMethod(ctx, meta.t, method);
    }
  }

  /** Takes lock `id` (`count` holds) for ctx's caller, waiting up to `timeout` ms; false when that passes. */
  async #acquireLock(ctx: Ctx, id: string, key: string, recursive: string, timeout: number, count: number): Promise<boolean> {
    const caller = this.#caller(ctx);
    let died = false;
    const take = async () => {
      const [state, left] = await this.#script('lockAcquire', [key], caller, recursive, this.#config.lease, count) as [number, number];
      if (state === 0) return { retryIn: left + 1 };
      died = state === 2;
      return { value: true };
    };
    if (await this.#waitFor(id, timeout, take) === undefined) return false;
    this.#hold(id, caller);
    if (died) {
      throw new OwnerDiedError(`${ctx.fn}: the process that held this lock stopped renewing its lease (it died, or lost Redis) while holding it; this thread holds it now: repair what it guards, then release()`);
    }
    return true;
  }

  async #condition(ctx: Ctx, id: string, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    const lockId = meta.l ?? `lock:${id}`;
    const lockType = meta.lt ?? 'RLock';
    const lockKey = this.#key('o', lockId);
    const order = this.#key('u', id);
    const caller = this.#caller(ctx);
    switch (method) {
      case 'acquire': case 'release': return await this.#lock(ctx, lockId, lockKey, { t: lockType }, method, args);
      case 'wait': {
        const token = `${caller}:${randomUUID()}`;
        const held = await this.#script('condWait', [lockKey, key, order], caller, token, this.#config.lease, this.#key('wake'), lockId) as number;
        if (held === -1) throw new SyncStateError(`${ctx.fn}: cannot wait on a condition whose lock this thread does not hold`);
        this.#held.get(lockId)?.delete(caller);
        this.#waiting.set(token, key);
        let notified: boolean;
        try {
          const check = async () => (await this.#script('condCheck', [key], token, this.#config.lease) === 0 ? {} : { value: true });
          notified = await this.#waitFor(id, args[0] as number, check) !== undefined;
          if (!notified) notified = await this.#script('condCancel', [key, order], token) === 1;
        } catch (error) {
          // Redis away or the manager shut down: the lock cannot be taken back; leave the queue if Redis lets us
          this.#script('condCancel', [key, order], token).catch(() => {});
          throw error;
        } finally {
          this.#waiting.delete(token);
        }
        // as Python's wait: the lock is taken back, with no timeout, whatever woke the waiter (not
        // recursively: a caller that holds it meanwhile, another async call of this thread, goes first)
        await this.#acquireLock(ctx, lockId, lockKey, '0', Infinity, held);
        return notified;
      }
      case 'notify': case 'notifyAll': {
        const n = method === 'notifyAll' ? -1 : args[0] ?? 1;
        if (!Number.isSafeInteger(n) || (method === 'notify' && (n as number) < 0)) throw new ArgumentError(`${ctx.fn}: invalid argument 'n': expected an integer >= 0, got ${show(n)}`);
        if (await this.#script('condNotify', [lockKey, key, order], caller, n as number, this.#key('wake'), id) === -1) {
          throw new SyncStateError(`${ctx.fn}: cannot notify a condition whose lock this thread does not hold`);
        }
        return undefined;
      }
      default: throw noMethod(ctx, 'Condition', method);
    }
  }

  async #barrier(ctx: Ctx, id: string, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    const wake = this.#key('wake');
    switch (method) {
      case 'wait': {
        const given = args[0] as number | undefined;
        const timeout = given === undefined || given === Infinity ? meta.o ?? Infinity : given;
        const [index, generation, tripped] = await this.#script('barrierArrive', [key], meta.p!, wake, id) as [number, number, number];
        if (index === -1) throw new BrokenBarrierError(`${ctx.fn}: the barrier is broken`);
        if (tripped === 1) return index;
        const check = async () => {
          const outcome = await this.#script('barrierCheck', [key], generation) as number;
          return outcome === 0 ? {} : { value: outcome };
        };
        const outcome = (await this.#waitFor(id, timeout, check))?.value ?? await this.#script('barrierBreak', [key], generation, wake, id);
        if (outcome === 1) return index;
        throw new BrokenBarrierError(`${ctx.fn}: the barrier was broken while this thread waited (a timeout, abort() or reset())`);
      }
      case 'abort':
        await this.#script('barrierAbort', [key], wake, id);
        return undefined;
      case 'reset':
        await this.#script('barrierReset', [key], wake, id);
        return undefined;
      case 'nWaiting': {
        const [n, broken] = await this.#client.call('HMGET', key, 'n', 'b') as [string, string];
        return broken === '1' ? 0 : Number(n);
      }
      case 'isBroken': return await this.#client.call('HGET', key, 'b') === '1';
      case 'getParties': return meta.p;
      default: throw noMethod(ctx, 'Barrier', method);
    }
  }

  // ---- registered types -------------------------------------------------------------------------

  /** Object `id` lives here: serve other processes' calls on it (a request list per manager, `ns:q:<me>`). */
  async #own(id: string, object: CustomObject): Promise<void> {
    this.#custom.set(id, object);
    if (this.#serving) return;
    this.#serving = true;
    // the key that says this manager still answers; renewed with the leases, gone when it stops
    await this.#run('SET', this.#key('alive', this.#me), '1', 'PX', this.#config.lease);
    void this.#serve();
  }

  async #serve(): Promise<void> {
    const queue = this.#key('q', this.#me);
    let client: Client | undefined;
    while (!this.#closed) {
      try {
        client ??= await this.#blocker();
        const request = await client.callBuffer('BLPOP', queue, BLOCK_SLICE_S) as Buffer[] | null;
        if (request !== null) void this.#answer(request[1]!);
      } catch {
        // Redis away (or this manager closing): look again shortly, on the same connection, which reconnects by itself
        await new Promise((resolve) => setTimeout(resolve, POLL_MS).unref());
      }
    }
  }

  /** Runs another process's call on one of this process's objects and pushes the answer to its reply key. */
  async #answer(bytes: Buffer): Promise<void> {
    let reply: string | undefined;
    let answer: Buffer;
    try {
      const [replyKey, id, fn, method, args] = dec(bytes) as [string, string, string, unknown, unknown];
      reply = replyKey;
      const object = this.#custom.get(id);
      if (object === undefined) throw new ManagerStateError(`${fn}: the manager that created object ${show(id)} no longer holds it`);
      const ctx: Ctx = { caller: 'remote', fn, defer: () => { throw new ManagerStateError(`${fn}: a registered type's method cannot wait in the manager`); } };
      answer = enc([0, await object.call(ctx, method, args)]);
    } catch (error) {
      try {
        answer = enc([1, encodeError(error instanceof CloneFailure ? new ArgumentError(`the manager cannot copy its answer back: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}`) : error)]);
      } catch {
        answer = enc([1, encodeError(new ArgumentError(`the manager cannot copy its error back: ${String(error)}`))]);
      }
    }
    if (reply === undefined) return;
    try {
      await this.#script('reply', [reply], answer);
    } catch {
      // Redis away: the caller's wait ends with its own error
    }
  }

  /** A proxy's call on a registered type's object: here if it lives here, else through Redis to its process. */
  async #customCall(ctx: Ctx, id: string, meta: Meta, args: unknown[]): Promise<unknown> {
    if (meta.w === this.#me) {
      const object = this.#custom.get(id);
      if (object === undefined) throw new ManagerStateError(`${ctx.fn}: this manager no longer holds object ${show(id)}`);
      try {
        return await object.call(ctx, args[0], args[1]);
      } catch (error) {
        throw new MethodFailure(error);
      }
    }
    const alive = this.#key('alive', meta.w!);
    const gone = () => new ManagerStateError(`${ctx.fn}: the manager that created this ${meta.t} is gone (it shut down, its process ended, or it lost Redis for longer than its lease); a registered type's objects live in that process`);
    if (await this.#run('EXISTS', alive) !== 1) throw gone();
    const reply = this.#key('r', randomUUID());
    await this.#run('RPUSH', this.#key('q', meta.w!), enc([reply, id, ctx.fn, args[0], args[1]]));
    const client = await this.#blocker();
    try {
      for (;;) {
        if (this.#closed) throw new ManagerStateError(`${ctx.fn}: the manager is shut down`);
        const got = await client.callBuffer('BLPOP', reply, BLOCK_SLICE_S) as Buffer[] | null;
        if (got !== null) {
          const [failed, value] = dec(got[1]!) as [number, unknown];
          if (failed === 1) throw new MethodFailure(decodeError(value));
          return value;
        }
        // no answer yet: a slow method is fine while its process lives; a process that is gone answers never
        if (await this.#run('EXISTS', alive) !== 1) throw gone();
      }
    } finally {
      if (this.#closed) client.disconnect();
      else this.#blockers.push(client);
    }
  }

  async #semaphore(ctx: Ctx, id: string, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'acquire': {
        const take = async () => (await this.#script('semAcquire', [key]) === 1 ? { value: true } : {});
        return (await this.#waitFor(id, args[0] as number, take)) !== undefined;
      }
      case 'release': {
        const n = args[0] ?? 1;
        if (!Number.isSafeInteger(n) || (n as number) < 1) throw new ArgumentError(`${ctx.fn}: invalid argument 'n': expected an integer >= 1, got ${show(n)}`);
        if (await this.#script('semRelease', [key], n as number, meta.b ?? -1, this.#key('wake'), id) === -1) {
          throw new SyncStateError(`${ctx.fn}: the semaphore was released too many times (its value would exceed its initial ${meta.b})`);
        }
        return undefined;
      }
      case 'getValue': return Number(await this.#client.call('GET', key) ?? 0);
      default: throw noMethod(ctx, meta.t, method);
    }
  }

  async #event(ctx: Ctx, id: string, key: string, method: string, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'isSet': return await this.#run('EXISTS', key) === 1;
      case 'set':
        await this.#script('eventSet', [key], this.#key('wake'), id);
        return undefined;
      case 'clear':
        await this.#run('DEL', key);
        return undefined;
      case 'wait': {
        const isSet = async () => (await this.#run('EXISTS', key) === 1 ? { value: true } : {});
        return (await this.#waitFor(id, args[0] as number, isSet)) !== undefined;
      }
      default: throw noMethod(ctx, 'Event', method);
    }
  }

  async #readValue(key: string): Promise<unknown> {
    const [kind, v] = await this.#run('HMGET', key, 'k', 'v') as [Buffer, Buffer];
    const k = kind.toString();
    if (k === 'n') return textNumber(v.toString());
    if (k === 'b') return BigInt(v.toString());
    return dec(v);
  }

  async #value(ctx: Ctx, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'get': return await this.#readValue(key);
      case 'set':
        await this.#run('HSET', key, ...this.#valueFields(args[0]));
        return undefined;
      case 'add': {
        const delta = args[0];
        const kind = typeof delta === 'number' ? 'n' : typeof delta === 'bigint' ? 'b' : '';
        for (;;) {
          const [state, text] = kind === '' ? [0, ''] : await this.#script('valueAdd', [key], kind, kind === 'n' ? numberText(delta as number) : String(delta)) as [number, Buffer];
          if (state === 1) return kind === 'n' ? textNumber(text.toString()) : BigInt(text.toString());
          if (state === -1) throw new ArgumentError(`${ctx.fn}: invalid argument 'delta': the sum does not fit a 64-bit integer, which Redis adds atomically`);
          // the embedded store's message, from the value as it is now; should it fit now (set meanwhile), add again
          new ValueObject(meta.c ?? '', await this.#readValue(key)).add(ctx, delta);
        }
      }
      case 'getTypecode': return meta.c;
      default: throw noMethod(ctx, 'Value', method);
    }
  }

  async #array(ctx: Ctx, key: string, meta: Meta, method: string, args: unknown[]): Promise<unknown> {
    const info = DTYPES[meta.d!];
    const make = (n: number) => new (info.ctor as unknown as new (n: number) => TypedArray)(n);
    const length = meta.n!;
    const at = (): number => {
      const i = args[0];
      if (Number.isSafeInteger(i) && (i as number) >= -length && (i as number) < length) return (i as number) < 0 ? (i as number) + length : i as number;
      // out of range or not an index: the embedded store's error
      new ArrayObject(meta.c!, make(length) as unknown as ArrayObject['data']).get(ctx, i);
      throw new ArgumentError(`${ctx.fn}: invalid argument 'index': ${show(i)}`);
    };
    switch (method) {
      case 'get': {
        const i = at();
        const bytes = await this.#run('GETRANGE', key, i * info.itemsize, (i + 1) * info.itemsize - 1) as Buffer;
        const one = make(1);
        new Uint8Array(one.buffer).set(bytes);
        return one[0];
      }
      case 'set': {
        const i = at();
        const one = new ArrayObject(meta.c!, make(1) as unknown as ArrayObject['data']);
        one.set(ctx, 0, args[1]);
        const data = one.data as unknown as ArrayBufferView;
        await this.#run('SETRANGE', key, i * info.itemsize, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        return undefined;
      }
      case 'len': return length;
      case 'toArray': {
        const bytes = await this.#run('GET', key) as Buffer;
        const copy = new Uint8Array(bytes);
        return Array.from(new info.ctor(copy.buffer) as ArrayLike<number | bigint>);
      }
      case 'getTypecode': return meta.c;
      default: throw noMethod(ctx, 'Array', method);
    }
  }
}

function noMethod(ctx: Ctx, typeid: string, method: string): ArgumentError {
  return new ArgumentError(`${ctx.fn}: a ${typeid} has no method ${show(method)}`);
}
