/**
 * The embedded manager's thread: it holds every object and answers the calls that the slots of
 * shared memory carry (protocol.ts). After serving it polls the doorbell a little while (unless
 * such polls failed lately, spin.ts), then sleeps on it; a call that must wait (a Lock held
 * elsewhere, an empty Queue) is answered when it can be, or when its timeout passes.
 *
 * @internal
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArgumentError, ValueError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, type DType } from '../ndarray/dtype.js';
import { encode } from '../transport/transport.js';
import { decodeAt, encodeMessage, toBytes, type Encoded } from './codec.js';
import {
  ArrayObject, BarrierObject, ConditionObject, CustomObject, DEFERRED, DictObject, EventObject, ListObject, LockObject,
  NamespaceObject, PROXY_NAMES, QueueObject, SemaphoreObject, ValueObject, isRef, type Ctx, type Managed, type Waiter,
} from './objects.js';
import {
  ACK, DEAD, DOORBELL, FREED, MORE, NEXT, REPLY, REQUEST, SERVER_SLEEPING, SERVING, SHUT_DOWN, SLOT_BYTES, SLOT_COUNT, STATE,
  REF, S_FLAGS, S_LENGTH, S_SEQ, S_STATE, S_WAITING, pendingBase, slotBase, type EmbeddedDescriptor, type Reply, type Request,
} from './protocol.js';
import type { RedisBackend } from './redis-store.js';
import type { RedisConfig } from './redis-options.js';
import { Spinner, spinWhile } from '../sync/spin.js';

const { control: controlBuffer, data: dataBuffer, redis } = workerData as EmbeddedDescriptor & { redis?: RedisConfig };
const control = new Int32Array(controlBuffer);
const data = Buffer.from(dataBuffer);
const slots = control[SLOT_COUNT]!;
const slotBytes = control[SLOT_BYTES]!;
const pending = pendingBase(slots);
const pendingWords = Math.ceil(slots / 32);
/** How long it polls for the next call before it sleeps, in ms (unless `idle` says not to). */
const SPIN_MS = 0.05;
const idle = new Spinner(SPIN_MS);

const objects = new Map<string, Managed>();
/** With a `url`, the objects live in Redis and this thread carries the calls there (redis-store.ts). */
let backend: RedisBackend | undefined;
let anonymous = 0;

interface Registered {
  readonly cls: new (...args: unknown[]) => Record<string, unknown>;
  readonly exposed: ReadonlySet<string>;
}
const registered = new Map<string, Registered>();

/** Request chunks received so far, per slot. */
const partial = new Map<number, Uint8Array[]>();
/** Reply bytes still to send, per slot. */
const outgoing = new Map<number, Uint8Array>();

interface Timer {
  readonly at: number;
  readonly fire: () => void;
  cancelled: boolean;
}
const timers = new Set<Timer>();
/** Calls answered asynchronously (a registered type's async method, `register`, every call to Redis). */
let pendingAsync = 0;
/** Ends the loop's current async wait, when an async call is answered (so the loop spins again at once). */
let kick: (() => void) | undefined;

function wake(slot: number): void {
  const base = slotBase(slot);
  if (Atomics.load(control, base + S_WAITING) !== 0) Atomics.notify(control, base + S_STATE);
}

/** Writes the next chunk of the slot's outgoing reply. */
function sendChunk(slot: number): void {
  const bytes = outgoing.get(slot)!;
  const base = slotBase(slot);
  const length = Math.min(bytes.length, slotBytes);
  data.set(length === bytes.length ? bytes : bytes.subarray(0, length), slot * slotBytes);
  if (length < bytes.length) outgoing.set(slot, bytes.subarray(length));
  else outgoing.delete(slot);
  control[base + S_LENGTH] = length;
  control[base + S_FLAGS] = length < bytes.length ? MORE : 0;
  Atomics.store(control, base + S_STATE, REPLY);
  wake(slot);
}

function reply(slot: number, message: Reply): void {
  if (Atomics.load(control, STATE) === SHUT_DOWN) return;
  let encoded: Encoded;
  try {
    encoded = encodeMessage(message);
  } catch (error) {
    encoded = encodeMessage([1, encode(new ArgumentError(`the manager cannot copy its answer back: ${error instanceof Error ? error.message : String(error)}`))]);
  }
  if (typeof encoded === 'string' && encoded.length * 3 <= slotBytes) {
    // the common case: the text fits the slot whatever its characters, written there directly
    const base = slotBase(slot);
    control[base + S_LENGTH] = data.write(encoded, slot * slotBytes, slotBytes);
    control[base + S_FLAGS] = 0;
    Atomics.store(control, base + S_STATE, REPLY);
    wake(slot);
    return;
  }
  outgoing.set(slot, toBytes(encoded));
  sendChunk(slot);
}

function fail(slot: number, error: unknown): void {
  reply(slot, [1, encode(error)]);
}

function settle(slot: number, value: unknown): void {
  if (value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function') {
    pendingAsync++;
    (value as Promise<unknown>).then((v) => reply(slot, [0, v]), (e: unknown) => fail(slot, e)).finally(() => {
      pendingAsync--;
      // back to the loop within this microtask checkpoint: its caller's next call is due in microseconds
      kick?.();
    });
  } else {
    reply(slot, [0, value]);
  }
}

/** The answer to a call that `backend.callNow` sent to Redis. */
function answered(slot: number, error: unknown, value: unknown): void {
  pendingAsync--;
  if (error === undefined) reply(slot, [0, value]);
  else fail(slot, error);
  kick?.();
}

function makeCtx(slot: number, caller: string, fn: string): Ctx {
  return {
    caller,
    fn,
    defer(timeout, onTimeout) {
      let timer: Timer | undefined;
      const waiter: Waiter = {
        caller,
        settled: false,
        clearTimeout() {
          if (timer !== undefined) timer.cancelled = true;
        },
        resolve(value) {
          if (waiter.settled) return;
          (waiter as { settled: boolean }).settled = true;
          waiter.clearTimeout();
          reply(slot, [0, value]);
        },
        reject(error) {
          if (waiter.settled) return;
          (waiter as { settled: boolean }).settled = true;
          waiter.clearTimeout();
          fail(slot, error);
        },
      };
      if (timeout !== Infinity) {
        timer = { at: performance.now() + timeout, fire: () => onTimeout(waiter), cancelled: false };
        timers.add(timer);
      }
      return waiter;
    },
  };
}


function create(ctx: Ctx, typeid: string, args: unknown[]): Managed {
  switch (typeid) {
    case 'dict': return new DictObject(ctx, args[0]);
    case 'list': return new ListObject(ctx, args[0]);
    case 'Namespace': return new NamespaceObject(ctx, args[0]);
    case 'Queue': case 'JoinableQueue': return new QueueObject(ctx, typeid, args[0]);
    case 'Lock': case 'RLock': return new LockObject(typeid);
    case 'Semaphore': case 'BoundedSemaphore': return new SemaphoreObject(ctx, typeid, args[0]);
    case 'Condition': {
      const lock = args[0];
      if (lock === undefined || lock === null) return new ConditionObject(new LockObject('RLock'));
      const target = isRef(lock) ? objects.get(lock[REF][1]) : undefined;
      if (!(target instanceof LockObject)) throw new ArgumentError(`${ctx.fn}: invalid argument 'lock': expected a Lock or RLock proxy of this manager, got ${show(lock)}`);
      return new ConditionObject(target);
    }
    case 'Event': return new EventObject();
    case 'Barrier': return new BarrierObject(ctx, args[0], args[1] ?? Infinity);
    case 'Value': return new ValueObject(args[0] as string, args[1]);
    case 'Array': {
      const [typecode, dtype, sequence] = args as [string, DType, unknown];
      try {
        const ctor = DTYPES[dtype].ctor as unknown as new (values: unknown) => ArrayObject['data'];
        const values = Array.isArray(sequence) && dtype === 'bool' ? sequence.map((v) => (v ? 1 : 0)) : sequence;
        return new ArrayObject(typecode, new ctor(typeof values === 'number' ? values : values as unknown[]));
      } catch (error) {
        throw new ValueError(`${ctx.fn}: invalid argument 'sequence': its values do not fit typecode ${show(typecode)} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
    }
    default: {
      const type = registered.get(typeid);
      if (type === undefined) throw new ArgumentError(`${ctx.fn}: unknown typeid ${show(typeid)}: register it first with manager.register(${show(typeid)}, { module, export })`);
      return new CustomObject(typeid, new type.cls(...args), type.exposed);
    }
  }
}

/** Public methods of a class and its ancestors (Python's `public_methods`: names not starting with `_`). */
function publicMethods(cls: { prototype: object }): Set<string> {
  const names = new Set<string>();
  for (let proto = cls.prototype; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && !name.startsWith('_') && typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return names;
}

async function register(typeid: string, moduleUrl: string, exportName: string, exposed: string[] | undefined): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    throw new ArgumentError(`Manager.register: invalid argument 'options.module': the manager could not load ${moduleUrl}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const cls = mod[exportName];
  if (typeof cls !== 'function') {
    throw new ArgumentError(`Manager.register: invalid argument 'options.export': ${moduleUrl} exports no class named ${show(exportName)} (its exports: ${Object.keys(mod).map((k) => show(k)).join(', ') || 'none'})`);
  }
  registered.set(typeid, { cls: cls as Registered['cls'], exposed: new Set(exposed ?? publicMethods(cls as { prototype: object })) });
}

function managerCall(context: Ctx, method: string, args: unknown[]): unknown {
  let ctx = context;
  switch (method) {
    case 'create': {
      const [typeid, createArgs, name, fn] = args as [string, unknown[], string | undefined, string];
      ctx = { ...ctx, fn };
      if (name !== undefined) {
        const id = `name:${name}`;
        const existing = objects.get(id);
        if (existing !== undefined) {
          if (existing.typeid !== typeid) throw new ArgumentError(`${ctx.fn}: the name ${show(name)} is taken by a ${existing.typeid}, not a ${typeid}`);
          return id;
        }
        objects.set(id, create(ctx, typeid, createArgs));
        return id;
      }
      const id = String(++anonymous);
      objects.set(id, create(ctx, typeid, createArgs));
      return id;
    }
    case 'register': {
      const [typeid, moduleUrl, exportName, exposed] = args as [string, string, string, string[] | undefined];
      return register(typeid, moduleUrl, exportName, exposed);
    }
    case 'typeidOf': {
      const object = objects.get(args[0] as string);
      return object?.typeid;
    }
    default:
      throw new ArgumentError(`unknown manager operation ${show(method)}`);
  }
}

/** Methods of the objects that other objects call, never a proxy. */
const INTERNAL = new Set(['constructor', 'tryTake', 'enqueue', 'dequeue', 'releaseFor']);

/** Runs the request in the slot's bytes [start, end) (or in `bytes`, a request that came in chunks). */
function handle(slot: number, bytes: Buffer, start: number, end: number): void {
  let request: Request;
  try {
    request = decodeAt(bytes, start, end) as Request;
  } catch (error) {
    fail(slot, new ArgumentError(`the manager received a malformed request: ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  const id = request[0], method = request[1];
  const object = id === '' ? undefined : objects.get(id);
  const type = id === '' ? 'Manager' : PROXY_NAMES[object?.typeid ?? ''] ?? object?.typeid ?? 'proxy';
  const ctx = makeCtx(slot, request[2], `${type}.${method}`);
  // the call's own arguments follow [id, method, caller]: the context takes the caller's place
  (request as unknown[])[2] = ctx;
  try {
    if (backend !== undefined) {
      const args = request.slice(3);
      if (id !== '') {
        if (backend.callNow(id, method, args, (error, value) => answered(slot, error, value))) pendingAsync++;
        else settle(slot, backend.call(ctx, id, method, args));
      }
      else if (method === 'create') {
        const [typeid, createArgs, name, fn] = args as [string, unknown[], string | undefined, string];
        settle(slot, backend.create({ ...ctx, fn }, typeid, createArgs, name));
      } else if (method === 'register') {
        // the class loads here as for the embedded store; its objects live in this process (redis-store.ts serves them)
        settle(slot, managerCall(ctx, method, args));
      } else throw new ArgumentError(`Manager.${method}: not offered by a Redis-backed manager`);
      return;
    }
    if (id === '') {
      settle(slot, managerCall(ctx, method, request.slice(3)));
      return;
    }
    if (object === undefined) throw new ArgumentError(`${ctx.fn}: the manager holds no object with id ${show(id)}`);
    const f = (object as unknown as Record<string, unknown>)[method];
    if (typeof f !== 'function' || INTERNAL.has(method)) throw new ArgumentError(`${ctx.fn}: a ${object.typeid} has no method ${show(method)}`);
    const result = Reflect.apply(f as (...a: unknown[]) => unknown, object, request.slice(2));
    if (result !== DEFERRED) settle(slot, result);
  } catch (error) {
    fail(slot, error);
  }
}

/** Serves one slot that was marked as having something for the server. */
function serveSlot(slot: number): void {
  const base = slotBase(slot);
  const state = Atomics.load(control, base + S_STATE);
  if (state === NEXT) {
    sendChunk(slot);
    return;
  }
  if (state !== REQUEST) return;
  const start = slot * slotBytes;
  const end = start + control[base + S_LENGTH]!;
  const chunks = partial.get(slot);
  if ((control[base + S_FLAGS]! & MORE) !== 0) {
    if (chunks === undefined) partial.set(slot, [new Uint8Array(data.subarray(start, end))]);
    else chunks.push(new Uint8Array(data.subarray(start, end)));
    Atomics.store(control, base + S_STATE, ACK);
    wake(slot);
    return;
  }
  Atomics.store(control, base + S_STATE, SERVING);
  if (chunks === undefined) {
    // read in place: the slot is the server's until it replies
    handle(slot, data, start, end);
    return;
  }
  partial.delete(slot);
  chunks.push(data.subarray(start, end));
  const whole = Buffer.concat(chunks);
  handle(slot, whole, 0, whole.length);
}

/** Slot `a` was handed over before slot `b` (the sequence wraps around at 2^32). */
const handedBefore = (a: number, b: number): number => (control[slotBase(a) + S_SEQ]! - control[slotBase(b) + S_SEQ]!) | 0;

/**
 * Serves every slot marked as having something for the server, in the order callers handed them
 * over. Every pending mark is collected before any is served: a caller sets its marks in the order
 * of its calls, so a later call's mark is never seen without an earlier one's.
 */
function serve(): void {
  const found: number[] = [];
  for (let word = 0; word < pendingWords; word++) {
    if (Atomics.load(control, pending + word) === 0) continue;
    let bits = Atomics.exchange(control, pending + word, 0);
    while (bits !== 0) {
      const low = bits & -bits;
      bits ^= low;
      found.push(word * 32 + 31 - Math.clz32(low));
    }
  }
  if (found.length > 1) found.sort(handedBefore);
  for (const slot of found) serveSlot(slot);
}

/** Fires the timers that are due; returns ms until the next one (Infinity for none). */
function runTimers(): number {
  if (timers.size === 0) return Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const timer of timers) {
    if (timer.cancelled) timers.delete(timer);
    else if (timer.at <= now) {
      timers.delete(timer);
      timer.fire();
    } else next = Math.min(next, timer.at - now);
  }
  return next;
}

/** After shutdown (or a crash here): every slot DEAD, every caller woken. */
function bury(): void {
  Atomics.store(control, STATE, SHUT_DOWN);
  for (let slot = 0; slot < slots; slot++) {
    const base = slotBase(slot);
    Atomics.store(control, base + S_STATE, DEAD);
    Atomics.notify(control, base + S_STATE);
  }
  Atomics.add(control, FREED, 1);
  Atomics.notify(control, FREED);
}

/** The loop's Atomics.waitAsync on the doorbell, until a ring wakes it (see `waitAsync`). */
let parked: Promise<unknown> | undefined;

/**
 * Sleeps until the doorbell rings after `bell`, `untilTimer` ms pass or an async call is answered
 * (a kick), with the event loop running, which answers a Redis-backed manager's calls and a
 * registered type's async methods. A wait that a kick or a timer ends leaves its waitAsync parked
 * for the next wait, so no waiters pile up between two rings.
 */
async function waitAsync(bell: number, untilTimer: number): Promise<void> {
  if (parked === undefined) {
    const wait = Atomics.waitAsync(control, DOORBELL, bell);
    if (!wait.async) return;
    parked = wait.value.then(() => { parked = undefined; });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([parked, new Promise<void>((resolve) => {
      kick = resolve;
      if (untilTimer !== Infinity) timer = setTimeout(resolve, untilTimer);
    })]);
  } finally {
    kick = undefined;
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function loop(): Promise<void> {
  // a pending waitAsync does not keep a thread's event loop alive: this timer does, while the loop runs
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  try {
    for (;;) {
      if (Atomics.load(control, STATE) === SHUT_DOWN) break;
      // read before serving: a caller that rings after this makes the wait below return at once
      const bell = Atomics.load(control, DOORBELL);
      serve();
      const untilTimer = runTimers();
      if (Atomics.load(control, DOORBELL) !== bell) continue;
      // not while async work is out: a spin would hold up the event loop that brings its answer
      const budget = pendingAsync === 0 ? Math.min(idle.budget(), untilTimer) : 0;
      if (budget > 0) {
        const rang = spinWhile(control, DOORBELL, bell, budget) !== bell;
        // a spin that ran into a timer's time is no failure
        if (budget === SPIN_MS) idle.spun(rang);
        if (rang) continue;
      }
      Atomics.store(control, SERVER_SLEEPING, 1);
      // a caller that rang before it saw SERVER_SLEEPING did not notify: look once more
      if (Atomics.load(control, DOORBELL) === bell) {
        if (pendingAsync > 0 || backend !== undefined) await waitAsync(bell, untilTimer);
        else Atomics.wait(control, DOORBELL, bell, untilTimer);
      }
      Atomics.store(control, SERVER_SLEEPING, 0);
    }
  } finally {
    clearInterval(keepAlive);
  }
}

if (redis !== undefined) {
  try {
    const { RedisBackend } = await import('./redis-store.js');
    backend = await RedisBackend.open(redis, create);
  } catch (error) {
    parentPort!.postMessage({ error: encode(error) });
    bury();
    parentPort!.close();
  }
}
if (redis === undefined || backend !== undefined) {
  parentPort!.postMessage('ready');
  try {
    await loop();
  } finally {
    bury();
    await backend?.close();
    parentPort!.close();
  }
}
