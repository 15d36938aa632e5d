/**
 * What the embedded manager's thread holds: one class per typeid, with Python's semantics. Calls
 * arrive already decoded; a method returns its result, throws (the caller gets the error, class
 * and all), or, for a call that must wait (a Lock's acquire, a Queue's get), returns DEFERRED after
 * `ctx.defer` and answers later through the Waiter.
 *
 * @internal
 */
import { isDeepStrictEqual } from 'node:util';
import { ArgumentError, BrokenBarrierError, Empty, Full, IndexError, KeyError, SyncStateError, ValueError } from '../errors.js';
import { show } from '../check.js';
import { REF } from './protocol.js';

export const DEFERRED: unique symbol = Symbol('deferred');

/** How messages name each typeid's proxy class: `DictProxy.pop`. */
export const PROXY_NAMES: Readonly<Record<string, string>> = {
  dict: 'DictProxy', list: 'ListProxy', Namespace: 'NamespaceProxy', Queue: 'QueueProxy', JoinableQueue: 'JoinableQueueProxy',
  Lock: 'LockProxy', RLock: 'RLockProxy', Semaphore: 'SemaphoreProxy', BoundedSemaphore: 'BoundedSemaphoreProxy',
  Condition: 'ConditionProxy', Event: 'EventProxy', Barrier: 'BarrierProxy', Value: 'ValueProxy', Array: 'ArrayProxy',
};


export interface Waiter {
  readonly caller: string;
  /** True once answered: a waiter that timed out is skipped by whatever still lists it. */
  readonly settled: boolean;
  /** Its timeout no longer applies (a Condition waiter that was notified waits for the lock without one). */
  clearTimeout(): void;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface Ctx {
  readonly caller: string;
  /** `DictProxy.pop`: how messages name the call. */
  readonly fn: string;
  /** Answers later: `onTimeout` runs once `timeout` ms pass with the waiter unsettled. */
  defer(timeout: number, onTimeout: (waiter: Waiter) => void): Waiter;
}

export type Key = string | number | bigint | boolean | null | undefined;

export function checkKey(fn: string, key: unknown): Key {
  const type = typeof key;
  if (key === null || key === undefined || type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean') return key as Key;
  throw new ArgumentError(`${fn}: invalid argument 'key': expected a string, number, bigint, boolean, null or undefined (keys are compared by value, and objects are copies), got ${show(key)}`);
}

/** Python's `==` on copies: structural equality. */
export function equal(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) || (typeof a === 'object' && typeof b === 'object' && isDeepStrictEqual(a, b));
}

function rank(value: unknown): number {
  switch (typeof value) {
    case 'number': case 'bigint': case 'boolean': return 0;
    case 'string': return 1;
    default: return Array.isArray(value) ? 2 : 3;
  }
}

/** Python's `<` over the values sort() meets: numbers, strings, arrays of those (lexicographic). */
export function compare(fn: string, a: unknown, b: unknown): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb || ra === 3) {
    throw new ArgumentError(`${fn}: '<' is not supported between ${show(a)} and ${show(b)} (sort compares numbers with numbers, strings with strings, arrays with arrays)`);
  }
  if (ra === 2) {
    const x = a as unknown[], y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compare(fn, x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  const x = typeof a === 'boolean' ? Number(a) : a as number, y = typeof b === 'boolean' ? Number(b) : b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

function index(fn: string, i: unknown, length: number, what = 'list'): number {
  if (!Number.isSafeInteger(i)) throw new ArgumentError(`${fn}: invalid argument 'index': expected an integer, got ${show(i)}`);
  const at = (i as number) < 0 ? (i as number) + length : i as number;
  if (at < 0 || at >= length) throw new IndexError(`${fn}: ${what} index ${i} out of range for length ${length}`);
  return at;
}

/** Python's slice bounds: clamped, negatives from the end. */
function bound(fn: string, name: string, i: unknown, length: number, fallback: number): number {
  if (i === undefined || i === null) return fallback;
  if (!Number.isSafeInteger(i)) throw new ArgumentError(`${fn}: invalid argument '${name}': expected an integer or undefined, got ${show(i)}`);
  const n = i as number;
  return n < 0 ? Math.max(0, n + length) : Math.min(n, length);
}

export interface Managed {
  readonly typeid: string;
}

export class DictObject implements Managed {
  readonly typeid = 'dict';
  readonly map = new Map<Key, unknown>();

  constructor(ctx: Ctx, init?: unknown) {
    if (init !== undefined) this.update(ctx, init, 'init');
  }

  get(ctx: Ctx, key: unknown, fallback?: unknown): unknown {
    const k = checkKey(ctx.fn, key);
    return this.map.has(k) ? this.map.get(k) : fallback;
  }

  set(ctx: Ctx, key: unknown, value: unknown): void {
    this.map.set(checkKey(ctx.fn, key), value);
  }

  delete(ctx: Ctx, key: unknown): void {
    const k = checkKey(ctx.fn, key);
    if (!this.map.delete(k)) throw new KeyError(`${ctx.fn}: no key ${show(k)}`);
  }

  has(ctx: Ctx, key: unknown): boolean {
    return this.map.has(checkKey(ctx.fn, key));
  }

  keys(): Key[] {
    return [...this.map.keys()];
  }

  values(): unknown[] {
    return [...this.map.values()];
  }

  items(): [Key, unknown][] {
    return [...this.map.entries()];
  }

  update(ctx: Ctx, other: unknown, name = 'other'): void {
    let entries: Iterable<unknown>;
    if (other instanceof Map || Array.isArray(other)) entries = other instanceof Map ? other.entries() : other;
    else if (typeof other === 'object' && other !== null && (Object.getPrototypeOf(other) === Object.prototype || Object.getPrototypeOf(other) === null)) entries = Object.entries(other);
    else throw new ArgumentError(`${ctx.fn}: invalid argument '${name}': expected a plain object, a Map or an array of [key, value] pairs, got ${show(other)}`);
    const pairs: [Key, unknown][] = [];
    for (const pair of entries) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new ArgumentError(`${ctx.fn}: invalid argument '${name}': expected [key, value] pairs, got ${show(pair)}`);
      pairs.push([checkKey(ctx.fn, pair[0]), pair[1]]);
    }
    for (const [k, v] of pairs) this.map.set(k, v);
  }

  pop(ctx: Ctx, key: unknown, ...fallback: unknown[]): unknown {
    const k = checkKey(ctx.fn, key);
    if (this.map.has(k)) {
      const value = this.map.get(k);
      this.map.delete(k);
      return value;
    }
    if (fallback.length > 0) return fallback[0];
    throw new KeyError(`${ctx.fn}: no key ${show(k)} (and no default given)`);
  }

  popitem(ctx: Ctx): [Key, unknown] {
    let last: [Key, unknown] | undefined;
    for (const entry of this.map) last = entry;
    if (last === undefined) throw new KeyError(`${ctx.fn}: the dictionary is empty`);
    this.map.delete(last[0]);
    return last;
  }

  setdefault(ctx: Ctx, key: unknown, fallback?: unknown): unknown {
    const k = checkKey(ctx.fn, key);
    if (this.map.has(k)) return this.map.get(k);
    this.map.set(k, fallback);
    return fallback;
  }

  clear(): void {
    this.map.clear();
  }

  len(): number {
    return this.map.size;
  }

  copy(): Map<Key, unknown> {
    return new Map(this.map);
  }
}

export class ListObject implements Managed {
  readonly typeid = 'list';
  items: unknown[];

  constructor(ctx: Ctx, init?: unknown) {
    if (init !== undefined && !Array.isArray(init)) throw new ArgumentError(`${ctx.fn}: invalid argument 'init': expected an array, got ${show(init)}`);
    this.items = init === undefined ? [] : [...init];
  }

  get(ctx: Ctx, i: unknown): unknown {
    return this.items[index(ctx.fn, i, this.items.length)];
  }

  set(ctx: Ctx, i: unknown, value: unknown): void {
    this.items[index(ctx.fn, i, this.items.length, 'list assignment')] = value;
  }

  delete(ctx: Ctx, i: unknown): void {
    this.items.splice(index(ctx.fn, i, this.items.length, 'list assignment'), 1);
  }

  append(_ctx: Ctx, value: unknown): void {
    this.items.push(value);
  }

  extend(ctx: Ctx, values: unknown): void {
    if (!Array.isArray(values)) throw new ArgumentError(`${ctx.fn}: invalid argument 'values': expected an array, got ${show(values)}`);
    for (const v of values) this.items.push(v);
  }

  insert(ctx: Ctx, i: unknown, value: unknown): void {
    if (!Number.isSafeInteger(i)) throw new ArgumentError(`${ctx.fn}: invalid argument 'index': expected an integer, got ${show(i)}`);
    this.items.splice(bound(ctx.fn, 'index', i, this.items.length, 0), 0, value);
  }

  pop(ctx: Ctx, i: unknown = -1): unknown {
    if (this.items.length === 0) throw new IndexError(`${ctx.fn}: pop from empty list`);
    return this.items.splice(index(ctx.fn, i, this.items.length, 'pop'), 1)[0];
  }

  remove(ctx: Ctx, value: unknown): void {
    const at = this.items.findIndex((x) => equal(x, value));
    if (at === -1) throw new ValueError(`${ctx.fn}: ${show(value)} is not in the list`);
    this.items.splice(at, 1);
  }

  index(ctx: Ctx, value: unknown, start?: unknown, stop?: unknown): number {
    const n = this.items.length;
    const from = bound(ctx.fn, 'start', start, n, 0), to = bound(ctx.fn, 'stop', stop, n, n);
    for (let i = from; i < to; i++) if (equal(this.items[i], value)) return i;
    throw new ValueError(`${ctx.fn}: ${show(value)} is not in the list`);
  }

  count(_ctx: Ctx, value: unknown): number {
    let n = 0;
    for (const x of this.items) if (equal(x, value)) n++;
    return n;
  }

  includes(_ctx: Ctx, value: unknown): boolean {
    return this.items.some((x) => equal(x, value));
  }

  reverse(): void {
    this.items.reverse();
  }

  sort(ctx: Ctx, options?: { reverse?: boolean }): void {
    const reverse = options?.reverse === true;
    // a copy sorted, so a comparison that throws leaves the list as it was (Python's sort may not)
    const sorted = [...this.items].sort((a, b) => compare(ctx.fn, a, b) * (reverse ? -1 : 1));
    this.items = sorted;
  }

  slice(ctx: Ctx, start?: unknown, stop?: unknown, step?: unknown): unknown[] {
    const n = this.items.length;
    if (step === undefined || step === null || step === 1) return this.items.slice(bound(ctx.fn, 'start', start, n, 0), bound(ctx.fn, 'stop', stop, n, n));
    if (!Number.isSafeInteger(step) || step === 0) throw new ArgumentError(`${ctx.fn}: invalid argument 'step': expected a non-zero integer, got ${show(step)}`);
    const s = step as number;
    const out: unknown[] = [];
    if (s > 0) {
      for (let i = bound(ctx.fn, 'start', start, n, 0); i < bound(ctx.fn, 'stop', stop, n, n); i += s) out.push(this.items[i]);
    } else {
      const first = start === undefined || start === null ? n - 1 : Math.min(n - 1, (start as number) < 0 ? (start as number) + n : start as number);
      const last = stop === undefined || stop === null ? -1 : (stop as number) < 0 ? Math.max(-1, (stop as number) + n) : stop as number;
      for (let i = first; i > last; i += s) out.push(this.items[i]);
    }
    return out;
  }

  /** Python's `l *= n`: the items `n` times in a row (none for n <= 0). */
  imul(ctx: Ctx, n: unknown): void {
    if (!Number.isSafeInteger(n)) throw new ArgumentError(`${ctx.fn}: invalid argument 'n': expected an integer, got ${show(n)}`);
    const times = n as number;
    if (times > 1 && this.items.length * times > 2 ** 32 - 1) throw new ArgumentError(`${ctx.fn}: invalid argument 'n': ${times} copies of ${this.items.length} items exceed an array's length`);
    const once = this.items;
    this.items = times <= 0 ? [] : Array.from({ length: times }, () => once).flat(1);
  }

  len(): number {
    return this.items.length;
  }

  clear(): void {
    this.items = [];
  }
}

export class NamespaceObject implements Managed {
  readonly typeid = 'Namespace';
  readonly attrs = new Map<string, unknown>();

  constructor(ctx: Ctx, init?: unknown) {
    if (init === undefined) return;
    if (typeof init !== 'object' || init === null || Array.isArray(init)) throw new ArgumentError(`${ctx.fn}: invalid argument 'init': expected a plain object of attributes, got ${show(init)}`);
    for (const [k, v] of Object.entries(init)) this.attrs.set(k, v);
  }

  #name(ctx: Ctx, name: unknown): string {
    if (typeof name !== 'string') throw new ArgumentError(`${ctx.fn}: invalid argument 'name': expected a string, got ${show(name)}`);
    return name;
  }

  get(ctx: Ctx, name: unknown): unknown {
    return this.attrs.get(this.#name(ctx, name));
  }

  set(ctx: Ctx, name: unknown, value: unknown): void {
    this.attrs.set(this.#name(ctx, name), value);
  }

  delete(ctx: Ctx, name: unknown): void {
    const n = this.#name(ctx, name);
    if (!this.attrs.delete(n)) throw new KeyError(`${ctx.fn}: the namespace has no attribute ${show(n)}`);
  }

  has(ctx: Ctx, name: unknown): boolean {
    return this.attrs.has(this.#name(ctx, name));
  }

  toObject(): Record<string, unknown> {
    return Object.fromEntries(this.attrs);
  }
}

/** Waiters in arrival order; a settled one (timed out) is skipped. */
class WaitList {
  readonly #waiting: Waiter[] = [];

  add(waiter: Waiter): void {
    this.#waiting.push(waiter);
  }

  remove(waiter: Waiter): void {
    const at = this.#waiting.indexOf(waiter);
    if (at !== -1) this.#waiting.splice(at, 1);
  }

  shift(): Waiter | undefined {
    for (;;) {
      const w = this.#waiting.shift();
      if (w === undefined || !w.settled) return w;
    }
  }

  get length(): number {
    return this.#waiting.length;
  }
}

export class QueueObject implements Managed {
  readonly items: unknown[] = [];
  readonly #getters = new WaitList();
  readonly #putters: { waiter: Waiter; item: unknown }[] = [];
  readonly #joiners = new WaitList();
  unfinished = 0;
  readonly maxsize: number;

  constructor(ctx: Ctx, readonly typeid: 'Queue' | 'JoinableQueue', maxsize: unknown = 0) {
    if (typeof maxsize !== 'number' || !Number.isSafeInteger(maxsize)) throw new ArgumentError(`${ctx.fn}: invalid argument 'maxsize': expected an integer (0 or less for no limit, as in Python), got ${show(maxsize)}`);
    this.maxsize = Math.max(0, maxsize);
  }

  #full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  #admit(item: unknown): void {
    this.unfinished++;
    const getter = this.#getters.shift();
    if (getter !== undefined) getter.resolve(item);
    else this.items.push(item);
  }

  put(ctx: Ctx, item: unknown, timeout: number): unknown {
    if (!this.#full() && this.#putters.length === 0) {
      this.#admit(item);
      return undefined;
    }
    if (timeout === 0) throw new Full(`${ctx.fn}: the queue is full`);
    const entry = {
      waiter: ctx.defer(timeout, (w) => {
        this.#putters.splice(this.#putters.indexOf(entry), 1);
        w.reject(new Full(`${ctx.fn}: the queue stayed full for ${timeout} ms`));
      }),
      item,
    };
    this.#putters.push(entry);
    return DEFERRED;
  }

  get(ctx: Ctx, timeout: number): unknown {
    if (this.items.length > 0) {
      const item = this.items.shift();
      const putter = this.#putters.shift();
      if (putter !== undefined) {
        this.#admit(putter.item);
        putter.waiter.resolve(undefined);
      }
      return item;
    }
    if (timeout === 0) throw new Empty(`${ctx.fn}: the queue is empty`);
    const waiter = ctx.defer(timeout, (w) => {
      this.#getters.remove(w);
      w.reject(new Empty(`${ctx.fn}: the queue stayed empty for ${timeout} ms`));
    });
    this.#getters.add(waiter);
    return DEFERRED;
  }

  qsize(): number {
    return this.items.length;
  }

  empty(): boolean {
    return this.items.length === 0;
  }

  full(): boolean {
    return this.#full();
  }

  taskDone(ctx: Ctx): void {
    if (this.unfinished === 0) throw new SyncStateError(`${ctx.fn}: called more times than there were items put`);
    if (--this.unfinished === 0) for (let w = this.#joiners.shift(); w !== undefined; w = this.#joiners.shift()) w.resolve(true);
  }

  join(ctx: Ctx, timeout: number): unknown {
    if (this.unfinished === 0) return true;
    if (timeout === 0) return false;
    this.#joiners.add(ctx.defer(timeout, (w) => {
      this.#joiners.remove(w);
      w.resolve(false);
    }));
    return DEFERRED;
  }
}

/** Lock and RLock: Python's manager holds a threading.Lock / RLock per object. */
export class LockObject implements Managed {
  owner: string | undefined;
  count = 0;
  readonly #waiters: { waiter: Waiter; count: number; granted: () => void }[] = [];

  constructor(readonly typeid: 'Lock' | 'RLock') {}

  get recursive(): boolean {
    return this.typeid === 'RLock';
  }

  /** Takes the lock for `caller` now if it can. */
  tryTake(caller: string): boolean {
    if (this.count === 0) {
      this.owner = caller;
      this.count = 1;
      return true;
    }
    if (this.recursive && this.owner === caller) {
      this.count++;
      return true;
    }
    return false;
  }

  /** Queues `waiter`: once the lock is its (`count` holds deep), `granted` runs. */
  enqueue(waiter: Waiter, count: number, granted: () => void): void {
    this.#waiters.push({ waiter, count, granted });
  }

  dequeue(waiter: Waiter): void {
    const at = this.#waiters.findIndex((e) => e.waiter === waiter);
    if (at !== -1) this.#waiters.splice(at, 1);
  }

  acquire(ctx: Ctx, timeout: number): unknown {
    if (this.tryTake(ctx.caller)) return true;
    if (timeout === 0) return false;
    const waiter = ctx.defer(timeout, (w) => {
      this.dequeue(w);
      w.resolve(false);
    });
    this.enqueue(waiter, 1, () => waiter.resolve(true));
    return DEFERRED;
  }

  /** Releases fully (`all`) or once; hands the lock to the next waiter when free. Returns the holds released. */
  releaseFor(fn: string, caller: string, all = false): number {
    if (this.count === 0) throw new SyncStateError(`${fn}: release of an unlocked lock`);
    if (this.recursive && this.owner !== caller) throw new SyncStateError(`${fn}: cannot release an RLock this thread does not hold`);
    const held = all ? this.count : 1;
    this.count -= held;
    if (this.count === 0) {
      this.owner = undefined;
      for (;;) {
        const next = this.#waiters.shift();
        if (next === undefined) break;
        if (next.waiter.settled) continue;
        this.owner = next.waiter.caller;
        this.count = next.count;
        next.granted();
        break;
      }
    }
    return held;
  }

  release(ctx: Ctx): void {
    this.releaseFor(ctx.fn, ctx.caller);
  }

  locked(): boolean {
    return this.count > 0;
  }

  isOwned(ctx: Ctx): boolean {
    return this.count > 0 && this.owner === ctx.caller;
  }
}

export class SemaphoreObject implements Managed {
  value: number;
  readonly #initial: number;
  readonly #waiters = new WaitList();

  constructor(ctx: Ctx, readonly typeid: 'Semaphore' | 'BoundedSemaphore', value: unknown = 1) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 2 ** 31 - 1) {
      throw new ArgumentError(`${ctx.fn}: invalid argument 'value': expected an integer from 0 to ${2 ** 31 - 1}, got ${show(value)}`);
    }
    this.value = value;
    this.#initial = value;
  }

  acquire(ctx: Ctx, timeout: number): unknown {
    if (this.value > 0 && this.#waiters.length === 0) {
      this.value--;
      return true;
    }
    if (timeout === 0) return false;
    this.#waiters.add(ctx.defer(timeout, (w) => {
      this.#waiters.remove(w);
      w.resolve(false);
    }));
    return DEFERRED;
  }

  release(ctx: Ctx, n: unknown = 1): void {
    if (!Number.isSafeInteger(n) || (n as number) < 1) throw new ArgumentError(`${ctx.fn}: invalid argument 'n': expected an integer >= 1, got ${show(n)}`);
    if (this.typeid === 'BoundedSemaphore' && this.value + (n as number) > this.#initial) {
      throw new SyncStateError(`${ctx.fn}: the semaphore was released too many times (its value would exceed its initial ${this.#initial})`);
    }
    this.value += n as number;
    while (this.value > 0) {
      const w = this.#waiters.shift();
      if (w === undefined) break;
      this.value--;
      w.resolve(true);
    }
  }

  getValue(): number {
    return this.value;
  }
}

export class ConditionObject implements Managed {
  readonly typeid = 'Condition';
  readonly #waiters: { notified(): void }[] = [];

  constructor(readonly lock: LockObject) {}

  acquire(ctx: Ctx, timeout: number): unknown {
    return this.lock.acquire(ctx, timeout);
  }

  release(ctx: Ctx): void {
    this.lock.release(ctx);
  }

  #check(ctx: Ctx, what: string): void {
    if (this.lock.count === 0 || this.lock.owner !== ctx.caller) throw new SyncStateError(`${ctx.fn}: cannot ${what} a condition whose lock this thread does not hold`);
  }

  /** Releases the lock, waits for a notify (or the timeout), takes the lock back, answers true (false on timeout). */
  wait(ctx: Ctx, timeout: number): unknown {
    this.#check(ctx, 'wait on');
    const held = this.lock.releaseFor(ctx.fn, ctx.caller, true);
    const relock = (result: boolean) => {
      if (this.lock.count === 0) {
        this.lock.owner = ctx.caller;
        this.lock.count = held;
        waiter.resolve(result);
      } else {
        this.lock.enqueue(waiter, held, () => waiter.resolve(result));
      }
    };
    const entry = {
      notified: () => {
        waiter.clearTimeout();
        relock(true);
      },
    };
    const waiter = ctx.defer(timeout, () => {
      this.#waiters.splice(this.#waiters.indexOf(entry), 1);
      relock(false);
    });
    this.#waiters.push(entry);
    return DEFERRED;
  }

  notify(ctx: Ctx, n: unknown = 1): void {
    this.#check(ctx, 'notify');
    if (!Number.isSafeInteger(n) || (n as number) < 0) throw new ArgumentError(`${ctx.fn}: invalid argument 'n': expected an integer >= 0, got ${show(n)}`);
    for (const entry of this.#waiters.splice(0, n as number)) entry.notified();
  }

  notifyAll(ctx: Ctx): void {
    this.#check(ctx, 'notify');
    for (const entry of this.#waiters.splice(0)) entry.notified();
  }
}

export class EventObject implements Managed {
  readonly typeid = 'Event';
  flag = false;
  readonly #waiters = new WaitList();

  isSet(): boolean {
    return this.flag;
  }

  set(): void {
    this.flag = true;
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) w.resolve(true);
  }

  clear(): void {
    this.flag = false;
  }

  wait(ctx: Ctx, timeout: number): unknown {
    if (this.flag) return true;
    if (timeout === 0) return false;
    this.#waiters.add(ctx.defer(timeout, (w) => {
      this.#waiters.remove(w);
      w.resolve(false);
    }));
    return DEFERRED;
  }
}

export class BarrierObject implements Managed {
  readonly typeid = 'Barrier';
  readonly parties: number;
  readonly #timeout: number;
  #waiting: Waiter[] = [];
  broken = false;

  constructor(ctx: Ctx, parties: unknown, timeout: unknown = Infinity) {
    if (!Number.isSafeInteger(parties) || (parties as number) < 1) throw new ArgumentError(`${ctx.fn}: invalid argument 'parties': expected an integer >= 1, got ${show(parties)}`);
    this.parties = parties as number;
    this.#timeout = timeout as number;
  }

  #break(): void {
    this.broken = true;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) if (!w.settled) w.reject(new BrokenBarrierError('Barrier.wait: the barrier was broken while this thread waited (a timeout, abort(), reset() or a failing action)'));
  }

  wait(ctx: Ctx, timeout: number | undefined): unknown {
    if (this.broken) throw new BrokenBarrierError(`${ctx.fn}: the barrier is broken`);
    const index = this.#waiting.length;
    if (index + 1 === this.parties) {
      const waiting = this.#waiting;
      this.#waiting = [];
      waiting.forEach((w, i) => {
        w.resolve(i);
      });
      return index;
    }
    const ms = timeout === undefined || timeout === Infinity ? this.#timeout : timeout;
    this.#waiting.push(ctx.defer(ms, () => this.#break()));
    return DEFERRED;
  }

  abort(): void {
    this.#break();
  }

  reset(): void {
    if (this.#waiting.length > 0) this.#break();
    this.broken = false;
  }

  nWaiting(): number {
    return this.#waiting.length;
  }

  isBroken(): boolean {
    return this.broken;
  }

  getParties(): number {
    return this.parties;
  }
}

export class ValueObject implements Managed {
  readonly typeid = 'Value';

  constructor(readonly typecode: string, public value: unknown) {}

  get(): unknown {
    return this.value;
  }

  set(_ctx: Ctx, value: unknown): void {
    this.value = value;
  }

  /** Adds `delta` and returns the new value, in one step. */
  add(ctx: Ctx, delta: unknown): unknown {
    if (typeof this.value === 'number' && typeof delta === 'number') this.value = this.value + delta;
    else if (typeof this.value === 'bigint' && typeof delta === 'bigint') this.value = this.value + delta;
    else throw new ArgumentError(`${ctx.fn}: invalid argument 'delta': expected ${typeof this.value === 'bigint' ? 'a bigint' : 'a number'} to add to the value ${show(this.value)}, got ${show(delta)}`);
    return this.value;
  }

  getTypecode(): string {
    return this.typecode;
  }
}

export class ArrayObject implements Managed {
  readonly typeid = 'Array';

  constructor(readonly typecode: string, readonly data: { [i: number]: number | bigint; length: number; slice(): unknown }) {}

  get(ctx: Ctx, i: unknown): unknown {
    return this.data[index(ctx.fn, i, this.data.length, 'array')];
  }

  set(ctx: Ctx, i: unknown, value: unknown): void {
    const at = index(ctx.fn, i, this.data.length, 'array');
    const bigint = typeof this.data[0] === 'bigint' || this.data instanceof BigInt64Array || this.data instanceof BigUint64Array;
    if (bigint ? typeof value !== 'bigint' : typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ValueError(`${ctx.fn}: invalid argument 'value': expected ${bigint ? 'a bigint' : 'a number'} for an array of typecode ${show(this.typecode)}, got ${show(value)}`);
    }
    this.data[at] = bigint ? value as bigint : Number(value);
  }

  len(): number {
    return this.data.length;
  }

  toArray(): unknown {
    return Array.from(this.data as ArrayLike<number | bigint>);
  }

  getTypecode(): string {
    return this.typecode;
  }
}

/** A registered type's instance, and the methods its proxies may call. */
export class CustomObject implements Managed {
  constructor(readonly typeid: string, readonly instance: Record<string, unknown>, readonly exposed: ReadonlySet<string>) {}

  call(_ctx: Ctx, method: unknown, args: unknown): unknown {
    const fn = `${this.typeid}.${String(method)}`;
    if (typeof method !== 'string' || !this.exposed.has(method)) {
      throw new ArgumentError(`${fn}: ${show(method)} is not a method the manager exposes for typeid ${show(this.typeid)} (exposed: ${[...this.exposed].map((m) => show(m)).join(', ') || 'none'})`);
    }
    const f = this.instance[method];
    if (typeof f !== 'function') throw new ArgumentError(`${fn}: ${show(method)} of typeid ${show(this.typeid)} is not a function`);
    return (f as (...a: unknown[]) => unknown).apply(this.instance, args as unknown[]);
  }
}

/** Whether a stored value is a reference to another managed object. */
export function isRef(value: unknown): value is { [REF]: [string, string] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)[REF]);
}
