/**
 * The proxies: what `manager.dict()` and the other factories return. Each method of Python's
 * proxy is here in JS casing, twice: a blocking form (`d.get(k)`, for worker threads, as Python's
 * proxies block) and an async form (`d.getAsync(k)`) that never blocks the event loop, as the
 * package's locks and queues have. Arguments and results are copies; a proxy inside a value
 * stays a live proxy. Proxies cross Pool, Process and `toDescriptors` boundaries as live proxies
 * (kind.ts registers them with the transport).
 */
import { ArgumentError, IndexError, SyncStateError, TimeoutError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { blockTimeout, checkTimeout, type BlockOptions } from '../sync/wait.js';
import { PROXY, setReviver, type ProxyRef, type Store } from './store.js';

/** Keys of a managed dict: compared by value, so primitives only. */
export type Key = string | number | bigint | boolean | null | undefined;

function timedOut(fn: string, timeout: number): TimeoutError {
  return new TimeoutError(`${fn}: timed out after ${timeout} ms`);
}

function checkPredicate(fn: string, predicate: unknown): void {
  if (typeof predicate !== 'function') throw new ArgumentError(`${fn}: invalid argument 'predicate': expected a function, got ${show(predicate)}`);
}

/**
 * Python iterates a ListProxy or ArrayProxy by `__getitem__` with 0, 1, 2, … until IndexError:
 * one call an item, so the loop sees changes made meanwhile.
 */
function* byIndex<T>(proxy: BaseProxy, fn: string): Generator<T, void, undefined> {
  for (let i = 0; ; i++) {
    let item: T;
    try {
      item = proxy.remote('get', [i], fn) as T;
    } catch (error) {
      if (error instanceof IndexError) return;
      throw error;
    }
    yield item;
  }
}

async function* byIndexAsync<T>(proxy: BaseProxy, fn: string): AsyncGenerator<T, void, undefined> {
  for (let i = 0; ; i++) {
    let item: T;
    try {
      item = await proxy.remoteAsync('get', [i], fn) as T;
    } catch (error) {
      if (error instanceof IndexError) return;
      throw error;
    }
    yield item;
  }
}

/** What every proxy shares: the store it calls and the object's typeid and id. */
export abstract class BaseProxy {
  declare readonly [PROXY]: ProxyRef;

  /** @internal */
  constructor(ref: ProxyRef) {
    Object.defineProperty(this, PROXY, { value: ref });
  }

  /** The manager's name for the type: `'dict'`, `'Lock'`, a registered typeid. */
  get typeid(): string {
    return this[PROXY].typeid;
  }

  /** The object's id in its manager: a number for an anonymous object, `name:…` for a named one. */
  get id(): string {
    return this[PROXY].id;
  }

  /** Python's `repr()` of a proxy: `<EventProxy object, typeid 'Event' at 3>`. */
  toString(): string {
    return `<${this.constructor.name} object, typeid '${this.typeid}' at ${this.id}>`;
  }

  /** @internal */
  remote(method: string, args: unknown[], fn = `${this.constructor.name}.${method}`): unknown {
    const ref = this[PROXY];
    return ref.store.callSync(fn, ref.id, method, args);
  }

  /** @internal */
  remoteAsync(method: string, args: unknown[], fn = `${this.constructor.name}.${method}Async`): Promise<unknown> {
    try {
      const ref = this[PROXY];
      return ref.store.callAsync(fn, ref.id, method, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** Python's DictProxy: `d[k]` is `get(k)`, `d[k] = v` is `set(k, v)`, `del d[k]` is `delete(k)`, `k in d` is `has(k)`. */
export class DictProxy<K extends Key = Key, V = unknown> extends BaseProxy {
  /** The value of `key`, or `fallback` (default undefined) when it has none. */
  get(key: K, fallback?: V): V | undefined {
    return this.remote('get', [key, fallback]) as V | undefined;
  }

  getAsync(key: K, fallback?: V): Promise<V | undefined> {
    return this.remoteAsync('get', [key, fallback]) as Promise<V | undefined>;
  }

  set(key: K, value: V): void {
    this.remote('set', [key, value]);
  }

  setAsync(key: K, value: V): Promise<void> {
    return this.remoteAsync('set', [key, value]) as Promise<void>;
  }

  /** @throws {KeyError} when the dict has no `key` */
  delete(key: K): void {
    this.remote('delete', [key]);
  }

  deleteAsync(key: K): Promise<void> {
    return this.remoteAsync('delete', [key]) as Promise<void>;
  }

  has(key: K): boolean {
    return this.remote('has', [key]) as boolean;
  }

  hasAsync(key: K): Promise<boolean> {
    return this.remoteAsync('has', [key]) as Promise<boolean>;
  }

  keys(): K[] {
    return this.remote('keys', []) as K[];
  }

  keysAsync(): Promise<K[]> {
    return this.remoteAsync('keys', []) as Promise<K[]>;
  }

  values(): V[] {
    return this.remote('values', []) as V[];
  }

  valuesAsync(): Promise<V[]> {
    return this.remoteAsync('values', []) as Promise<V[]>;
  }

  items(): [K, V][] {
    return this.remote('items', []) as [K, V][];
  }

  itemsAsync(): Promise<[K, V][]> {
    return this.remoteAsync('items', []) as Promise<[K, V][]>;
  }

  /** Adds every pair of a plain object, a Map or an array of [key, value] pairs. */
  update(other: Record<string, V> | Map<K, V> | readonly (readonly [K, V])[]): void {
    this.remote('update', [other]);
  }

  updateAsync(other: Record<string, V> | Map<K, V> | readonly (readonly [K, V])[]): Promise<void> {
    return this.remoteAsync('update', [other]) as Promise<void>;
  }

  /**
   * Removes `key` and returns its value; returns `fallback` when there is none and one is given.
   * @throws {KeyError} when the dict has no `key` and no fallback is given
   */
  pop(key: K, ...fallback: [] | [V]): V {
    return this.remote('pop', [key, ...fallback]) as V;
  }

  popAsync(key: K, ...fallback: [] | [V]): Promise<V> {
    return this.remoteAsync('pop', [key, ...fallback]) as Promise<V>;
  }

  /**
   * Removes and returns the last inserted pair.
   * @throws {KeyError} when the dict is empty
   */
  popitem(): [K, V] {
    return this.remote('popitem', []) as [K, V];
  }

  popitemAsync(): Promise<[K, V]> {
    return this.remoteAsync('popitem', []) as Promise<[K, V]>;
  }

  /** The value of `key`; when it has none, sets it to `fallback` (default undefined) and returns that. */
  setdefault(key: K, fallback?: V): V {
    return this.remote('setdefault', [key, fallback]) as V;
  }

  setdefaultAsync(key: K, fallback?: V): Promise<V> {
    return this.remoteAsync('setdefault', [key, fallback]) as Promise<V>;
  }

  clear(): void {
    this.remote('clear', []);
  }

  clearAsync(): Promise<void> {
    return this.remoteAsync('clear', []) as Promise<void>;
  }

  /** Python's `len(d)`. */
  len(): number {
    return this.remote('len', []) as number;
  }

  lenAsync(): Promise<number> {
    return this.remoteAsync('len', []) as Promise<number>;
  }

  /** A copy of the contents, as a Map (keys keep their types). */
  copy(): Map<K, V> {
    return this.remote('copy', []) as Map<K, V>;
  }

  copyAsync(): Promise<Map<K, V>> {
    return this.remoteAsync('copy', []) as Promise<Map<K, V>>;
  }

  /**
   * Python's `iter(d)`: the keys as they are now, one at a time. Each step checks the dict's size
   * against the size at the start, as Python's dict iterator does.
   * @throws {SyncStateError} from `next()` when the dict changed size during the iteration (Python's RuntimeError)
   */
  [Symbol.iterator](): IterableIterator<K> {
    const fn = 'DictProxy iterator';
    const keys = this.remote('keys', [], fn) as K[];
    const size = keys.length;
    let i = 0;
    const it: IterableIterator<K> = {
      next: () => {
        if (i >= size) return { value: undefined, done: true };
        if (this.remote('len', [], fn) !== size) throw changedSize(fn);
        return { value: keys[i++]!, done: false };
      },
      [Symbol.iterator]: () => it,
    };
    return it;
  }

  /** `for await (const k of d)`: as `[Symbol.iterator]`, with the async calls; the keys are read at the first step. */
  async *[Symbol.asyncIterator](): AsyncGenerator<K, void, undefined> {
    const fn = 'DictProxy iterator';
    const keys = await this.remoteAsync('keys', [], fn) as K[];
    for (const key of keys) {
      if (await this.remoteAsync('len', [], fn) !== keys.length) throw changedSize(fn);
      yield key;
    }
  }
}

/** sort()'s options: `{ reverse }` only, since Python's `key=` is a function, which cannot be sent to the manager. */
function checkSort(fn: string, options: unknown): { reverse?: boolean } | undefined {
  checkOptionKeys(fn, 'options', options as object | undefined, ['reverse']);
  const reverse = (options as { reverse?: unknown } | undefined)?.reverse;
  if (reverse !== undefined && typeof reverse !== 'boolean') throw new ArgumentError(`${fn}: invalid argument 'options.reverse': expected a boolean, got ${show(reverse)}`);
  return options as { reverse?: boolean } | undefined;
}

function changedSize(fn: string): SyncStateError {
  return new SyncStateError(`${fn}: dictionary changed size during iteration`);
}

/** Python's ListProxy: `l[i]` is `get(i)`, `l[i] = v` is `set(i, v)`, `l[a:b]` is `slice(a, b)`; indices may be negative. */
export class ListProxy<T = unknown> extends BaseProxy {
  /** A copy of the whole list (Python's `l[:]`). */
  toArray(): T[] {
    return this.remote('slice', [], 'ListProxy.toArray') as T[];
  }

  toArrayAsync(): Promise<T[]> {
    return this.remoteAsync('slice', [], 'ListProxy.toArrayAsync') as Promise<T[]>;
  }

  /** Python's `l.copy()`: a plain array, as `toArray()`. */
  copy(): T[] {
    return this.remote('slice', [], 'ListProxy.copy') as T[];
  }

  copyAsync(): Promise<T[]> {
    return this.remoteAsync('slice', [], 'ListProxy.copyAsync') as Promise<T[]>;
  }

  /** Python's `l *= n`, in place in one step: `n` copies of the items in a row (0 or less: none). */
  imul(n: number): void {
    this.remote('imul', [n]);
  }

  imulAsync(n: number): Promise<void> {
    return this.remoteAsync('imul', [n]) as Promise<void>;
  }

  /** Python's `iter(l)`: item by item (one call each), so the loop sees changes made meanwhile. */
  [Symbol.iterator](): Generator<T, void, undefined> {
    return byIndex<T>(this, 'ListProxy iterator');
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return byIndexAsync<T>(this, 'ListProxy iterator');
  }

  /** @throws {IndexError} when `index` is out of range */
  get(index: number): T {
    return this.remote('get', [index]) as T;
  }

  getAsync(index: number): Promise<T> {
    return this.remoteAsync('get', [index]) as Promise<T>;
  }

  /** @throws {IndexError} when `index` is out of range */
  set(index: number, value: T): void {
    this.remote('set', [index, value]);
  }

  setAsync(index: number, value: T): Promise<void> {
    return this.remoteAsync('set', [index, value]) as Promise<void>;
  }

  /** Python's `del l[i]`. @throws {IndexError} when `index` is out of range */
  delete(index: number): void {
    this.remote('delete', [index]);
  }

  deleteAsync(index: number): Promise<void> {
    return this.remoteAsync('delete', [index]) as Promise<void>;
  }

  append(value: T): void {
    this.remote('append', [value]);
  }

  appendAsync(value: T): Promise<void> {
    return this.remoteAsync('append', [value]) as Promise<void>;
  }

  extend(values: readonly T[]): void {
    this.remote('extend', [values]);
  }

  extendAsync(values: readonly T[]): Promise<void> {
    return this.remoteAsync('extend', [values]) as Promise<void>;
  }

  /** Inserts before `index` (clamped to the list, as in Python). */
  insert(index: number, value: T): void {
    this.remote('insert', [index, value]);
  }

  insertAsync(index: number, value: T): Promise<void> {
    return this.remoteAsync('insert', [index, value]) as Promise<void>;
  }

  /** Removes and returns the item at `index` (default the last). @throws {IndexError} when the list is empty or `index` out of range */
  pop(index?: number): T {
    return this.remote('pop', [index]) as T;
  }

  popAsync(index?: number): Promise<T> {
    return this.remoteAsync('pop', [index]) as Promise<T>;
  }

  /** Removes the first item equal to `value` (compared by value). @throws {ValueError} when there is none */
  remove(value: T): void {
    this.remote('remove', [value]);
  }

  removeAsync(value: T): Promise<void> {
    return this.remoteAsync('remove', [value]) as Promise<void>;
  }

  /** The first index of `value` in `[start, stop)`. @throws {ValueError} when it is not there */
  index(value: T, start?: number, stop?: number): number {
    return this.remote('index', [value, start, stop]) as number;
  }

  indexAsync(value: T, start?: number, stop?: number): Promise<number> {
    return this.remoteAsync('index', [value, start, stop]) as Promise<number>;
  }

  count(value: T): number {
    return this.remote('count', [value]) as number;
  }

  countAsync(value: T): Promise<number> {
    return this.remoteAsync('count', [value]) as Promise<number>;
  }

  /** Python's `value in l`. */
  includes(value: T): boolean {
    return this.remote('includes', [value]) as boolean;
  }

  includesAsync(value: T): Promise<boolean> {
    return this.remoteAsync('includes', [value]) as Promise<boolean>;
  }

  reverse(): void {
    this.remote('reverse', []);
  }

  reverseAsync(): Promise<void> {
    return this.remoteAsync('reverse', []) as Promise<void>;
  }

  /**
   * Sorts in place: numbers with numbers, strings with strings, arrays lexicographically. Python's
   * `key=` is a function, which cannot be sent to the manager; sort copies instead.
   * @throws {ArgumentError} when two items cannot be compared (the list is left as it was)
   */
  sort(options?: { reverse?: boolean }): void {
    this.remote('sort', [checkSort('ListProxy.sort', options)]);
  }

  sortAsync(options?: { reverse?: boolean }): Promise<void> {
    try {
      return this.remoteAsync('sort', [checkSort('ListProxy.sortAsync', options)]) as Promise<void>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A copy of `l[start:stop:step]`. */
  slice(start?: number | null, stop?: number | null, step?: number | null): T[] {
    return this.remote('slice', [start, stop, step]) as T[];
  }

  sliceAsync(start?: number | null, stop?: number | null, step?: number | null): Promise<T[]> {
    return this.remoteAsync('slice', [start, stop, step]) as Promise<T[]>;
  }

  len(): number {
    return this.remote('len', []) as number;
  }

  lenAsync(): Promise<number> {
    return this.remoteAsync('len', []) as Promise<number>;
  }

  clear(): void {
    this.remote('clear', []);
  }

  clearAsync(): Promise<void> {
    return this.remoteAsync('clear', []) as Promise<void>;
  }
}

/** Python's `repr` of a copied value, for a Namespace's `str`. */
function pyRepr(value: unknown): string {
  switch (typeof value) {
    case 'string': return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
    case 'boolean': return value ? 'True' : 'False';
    case 'undefined': return 'None';
    case 'number': return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
    case 'bigint': return String(value);
    default:
      if (value === null) return 'None';
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
      if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
      if (value instanceof BaseProxy) return value.toString();
      if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
      return String(value);
  }
}

/** Names a Namespace proxy keeps for itself; any other property is an attribute of the namespace. */
const LOCAL = new Set(['then', 'constructor', 'toJSON', 'typeid', 'id', 'remote', 'remoteAsync', 'call', 'callAsync', 'asymmetricMatch', '$$typeof', 'nodeType', 'tagName']);

/**
 * Python's NamespaceProxy: `ns.x` reads the attribute (blocking; undefined when unset), `ns.x = v`
 * writes it. The methods (`get`, `set`, `delete`, `has`, `toObject`, and their async forms) are
 * for names that clash with them and for the main thread.
 */
export class NamespaceProxy extends BaseProxy {
  /** @internal */
  constructor(ref: ProxyRef) {
    super(ref);
    // biome-ignore lint/correctness/noConstructorReturn: attribute access is the point of a Namespace
    return new Proxy(this, {
      get(target, property, receiver) {
        if (typeof property === 'symbol' || property in target || LOCAL.has(property) || property.startsWith('_')) return Reflect.get(target, property, receiver);
        return target.get(property);
      },
      set(target, property, value, receiver) {
        // Python's NamespaceProxy keeps names that start with _ on the proxy, not in the manager
        if (typeof property === 'string' && property.startsWith('_')) return Reflect.set(target, property, value, receiver);
        if (typeof property === 'symbol' || property in target) {
          throw new ArgumentError(`NamespaceProxy: cannot assign ${String(property)}: it names a method of the proxy; use ns.set(${show(String(property))}, value)`);
        }
        target.set(property, value);
        return true;
      },
      deleteProperty(target, property) {
        if (typeof property === 'string' && property.startsWith('_')) return Reflect.deleteProperty(target, property);
        if (typeof property === 'symbol' || property in target) return false;
        target.delete(property);
        return true;
      },
      has(target, property) {
        if (typeof property === 'string' && property.startsWith('_')) return property in target;
        return typeof property === 'symbol' || property in target ? true : target.has(property);
      },
    });
  }

  get(name: string): unknown {
    return this.remote('get', [name]) as unknown;
  }

  getAsync(name: string): Promise<unknown> {
    return this.remoteAsync('get', [name]) as Promise<unknown>;
  }

  set(name: string, value: unknown): void {
    this.remote('set', [name, value]);
  }

  setAsync(name: string, value: unknown): Promise<void> {
    return this.remoteAsync('set', [name, value]) as Promise<void>;
  }

  /** @throws {KeyError} when the namespace has no such attribute */
  delete(name: string): void {
    this.remote('delete', [name]);
  }

  deleteAsync(name: string): Promise<void> {
    return this.remoteAsync('delete', [name]) as Promise<void>;
  }

  has(name: string): boolean {
    return this.remote('has', [name]) as boolean;
  }

  hasAsync(name: string): Promise<boolean> {
    return this.remoteAsync('has', [name]) as Promise<boolean>;
  }

  /** Python's `str(ns)`: `Namespace(a=1, name='Bob')`, the attributes sorted, those starting with _ left out. */
  override toString(): string {
    const shown = Object.entries(this.toObject()).filter(([name]) => !name.startsWith('_')).map(([name, value]) => `${name}=${pyRepr(value)}`);
    return `Namespace(${shown.sort().join(', ')})`;
  }

  /** A copy of every attribute. */
  toObject(): Record<string, unknown> {
    return this.remote('toObject', []) as Record<string, unknown>;
  }

  toObjectAsync(): Promise<Record<string, unknown>> {
    return this.remoteAsync('toObject', []) as Promise<Record<string, unknown>>;
  }
}
/** A Namespace proxy with its attributes typed: `manager.Namespace({ n: 0 })` is a `Namespace<{ n: number }>`. */
export type Namespace<T extends object = Record<string, unknown>> = NamespaceProxy & T;

/** Python's queue proxy (`queue.Queue` in the manager). */
export class QueueProxy<T = unknown> extends BaseProxy {
  /**
   * Adds `item`, waiting for room; Full when `block` is false or `timeout` ms pass.
   * @throws {Full} when there is no room within `options.timeout` (or at once, `block: false`)
   */
  put(item: T, options?: BlockOptions): void {
    this.remote('put', [item, blockTimeout(`${this.constructor.name}.put`, options)]);
  }

  putAsync(item: T, options?: BlockOptions): Promise<void> {
    try {
      return this.remoteAsync('put', [item, blockTimeout(`${this.constructor.name}.putAsync`, options)]) as Promise<void>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Removes and returns the oldest item, waiting for one.
   * @throws {Empty} when no item comes within `options.timeout` (or at once, `block: false`)
   */
  get(options?: BlockOptions): T {
    return this.remote('get', [blockTimeout(`${this.constructor.name}.get`, options)]) as T;
  }

  getAsync(options?: BlockOptions): Promise<T> {
    try {
      return this.remoteAsync('get', [blockTimeout(`${this.constructor.name}.getAsync`, options)]) as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @throws {Full} when there is no room now */
  putNowait(item: T): void {
    this.remote('put', [item, 0], `${this.constructor.name}.putNowait`);
  }

  /** @throws {Empty} when the queue is empty */
  getNowait(): T {
    return this.remote('get', [0], `${this.constructor.name}.getNowait`) as T;
  }

  qsize(): number {
    return this.remote('qsize', []) as number;
  }

  qsizeAsync(): Promise<number> {
    return this.remoteAsync('qsize', []) as Promise<number>;
  }

  empty(): boolean {
    return this.remote('empty', []) as boolean;
  }

  emptyAsync(): Promise<boolean> {
    return this.remoteAsync('empty', []) as Promise<boolean>;
  }

  full(): boolean {
    return this.remote('full', []) as boolean;
  }

  fullAsync(): Promise<boolean> {
    return this.remoteAsync('full', []) as Promise<boolean>;
  }
}

export class JoinableQueueProxy<T = unknown> extends QueueProxy<T> {
  /** Blocks until every item put was marked done; false when `timeout` ms pass first. */
  join(timeout?: number | null): boolean {
    return this.remote('join', [checkTimeout('JoinableQueueProxy.join', 'timeout', timeout)]) as boolean;
  }

  /** @throws {TimeoutError} (rejects) when items are still unfinished after `timeout` ms */
  async joinAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('JoinableQueueProxy.joinAsync', 'timeout', timeout);
    if (!(await this.remoteAsync('join', [ms]))) throw timedOut('JoinableQueueProxy.joinAsync', ms);
  }

  /** @throws {SyncStateError} when called more times than items were put */
  taskDone(): void {
    this.remote('taskDone', []);
  }

  taskDoneAsync(): Promise<void> {
    return this.remoteAsync('taskDone', []) as Promise<void>;
  }
}

/** What Lock, RLock, Semaphore and Condition proxies share: acquire, release, `hold`. */
abstract class AcquirerProxy extends BaseProxy {
  /** Takes it, waiting as `options` allow; true when taken. */
  acquire(options?: BlockOptions): boolean {
    return this.remote('acquire', [blockTimeout(`${this.constructor.name}.acquire`, options)]) as boolean;
  }

  /** @throws {TimeoutError} (rejects) when it is not taken within `options.timeout` (or at once, `block: false`) */
  async acquireAsync(options?: BlockOptions): Promise<void> {
    const fn = `${this.constructor.name}.acquireAsync`;
    const ms = blockTimeout(fn, options);
    if (!(await this.remoteAsync('acquire', [ms]))) throw timedOut(fn, ms);
  }

  release(): void {
    this.remote('release', []);
  }

  releaseAsync(): Promise<void> {
    return this.remoteAsync('release', []) as Promise<void>;
  }

  /** `using held = lock.hold()`: acquired now, released at the end of the block. */
  hold(options?: BlockOptions): Disposable {
    if (!this.acquire(options)) throw timedOut(`${this.constructor.name}.hold`, blockTimeout(`${this.constructor.name}.hold`, options));
    return { [Symbol.dispose]: () => this.release() };
  }

  /** `await using held = await lock.holdAsync()`. */
  async holdAsync(options?: BlockOptions): Promise<AsyncDisposable> {
    await this.acquireAsync(options);
    return { [Symbol.asyncDispose]: () => this.releaseAsync() };
  }
}

export class LockProxy extends AcquirerProxy {
  locked(): boolean {
    return this.remote('locked', []) as boolean;
  }

  lockedAsync(): Promise<boolean> {
    return this.remoteAsync('locked', []) as Promise<boolean>;
  }
}

/** An RLock: its holder may take it again; only its holder may release it. */
export class RLockProxy extends LockProxy {}

export class SemaphoreProxy extends AcquirerProxy {
  /** Adds `n` (default 1), waking as many waiters. */
  override release(n = 1): void {
    this.remote('release', [n]);
  }

  override releaseAsync(n = 1): Promise<void> {
    return this.remoteAsync('release', [n]) as Promise<void>;
  }

  getValue(): number {
    return this.remote('getValue', []) as number;
  }

  getValueAsync(): Promise<number> {
    return this.remoteAsync('getValue', []) as Promise<number>;
  }
}

/** @throws {SyncStateError} from release() when it would exceed the initial value */
export class BoundedSemaphoreProxy extends SemaphoreProxy {}

export class ConditionProxy extends AcquirerProxy {
  /** Releases the lock, waits for a notify or `timeout` ms, takes the lock back; false on timeout. */
  wait(timeout?: number | null): boolean {
    return this.remote('wait', [checkTimeout('ConditionProxy.wait', 'timeout', timeout)]) as boolean;
  }

  /** @throws {TimeoutError} (rejects) when no notify comes within `timeout` ms (the lock is held again either way) */
  async waitAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('ConditionProxy.waitAsync', 'timeout', timeout);
    if (!(await this.remoteAsync('wait', [ms]))) throw timedOut('ConditionProxy.waitAsync', ms);
  }

  /** Waits until `predicate()` is truthy (it runs here, with the lock held); returns its last value. */
  waitFor<R>(predicate: () => R, timeout?: number | null): R {
    checkPredicate('ConditionProxy.waitFor', predicate);
    const ms = checkTimeout('ConditionProxy.waitFor', 'timeout', timeout);
    const end = performance.now() + ms;
    let result = predicate();
    while (!result) {
      const left = end - performance.now();
      if (left <= 0) break;
      this.wait(ms === Infinity ? null : left);
      result = predicate();
    }
    return result;
  }

  async waitForAsync<R>(predicate: () => R | Promise<R>, timeout?: number | null): Promise<R> {
    checkPredicate('ConditionProxy.waitForAsync', predicate);
    const ms = checkTimeout('ConditionProxy.waitForAsync', 'timeout', timeout);
    const end = performance.now() + ms;
    let result = await predicate();
    while (!result) {
      const left = end - performance.now();
      if (left <= 0) break;
      if (!(await this.remoteAsync('wait', [ms === Infinity ? Infinity : left]))) {
        result = await predicate();
        break;
      }
      result = await predicate();
    }
    return result;
  }

  notify(n?: number): void {
    this.remote('notify', [n]);
  }

  notifyAsync(n?: number): Promise<void> {
    return this.remoteAsync('notify', [n]) as Promise<void>;
  }

  notifyAll(): void {
    this.remote('notifyAll', []);
  }

  notifyAllAsync(): Promise<void> {
    return this.remoteAsync('notifyAll', []) as Promise<void>;
  }
}

export class EventProxy extends BaseProxy {
  /** Waits until the flag is set; false when `timeout` ms pass first. */
  wait(timeout?: number | null): boolean {
    return this.remote('wait', [checkTimeout('EventProxy.wait', 'timeout', timeout)]) as boolean;
  }

  /** @throws {TimeoutError} (rejects) when the flag is not set within `timeout` ms */
  async waitAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('EventProxy.waitAsync', 'timeout', timeout);
    if (!(await this.remoteAsync('wait', [ms]))) throw timedOut('EventProxy.waitAsync', ms);
  }

  isSet(): boolean {
    return this.remote('isSet', []) as boolean;
  }

  isSetAsync(): Promise<boolean> {
    return this.remoteAsync('isSet', []) as Promise<boolean>;
  }

  set(): void {
    this.remote('set', []);
  }

  setAsync(): Promise<void> {
    return this.remoteAsync('set', []) as Promise<void>;
  }

  clear(): void {
    this.remote('clear', []);
  }

  clearAsync(): Promise<void> {
    return this.remoteAsync('clear', []) as Promise<void>;
  }
}

export class BarrierProxy extends BaseProxy {
  /**
   * Waits for `parties` threads; returns this thread's arrival index (0 to parties - 1).
   * @throws {BrokenBarrierError} when the barrier is or becomes broken (a timeout, abort, reset)
   */
  wait(timeout?: number | null): number {
    return this.remote('wait', [timeout === undefined || timeout === null ? undefined : checkTimeout('BarrierProxy.wait', 'timeout', timeout)]) as number;
  }

  waitAsync(timeout?: number | null): Promise<number> {
    try {
      return this.remoteAsync('wait', [timeout === undefined || timeout === null ? undefined : checkTimeout('BarrierProxy.waitAsync', 'timeout', timeout)]) as Promise<number>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get parties(): number {
    return this.remote('getParties', [], 'BarrierProxy.parties') as number;
  }

  get nWaiting(): number {
    return this.remote('nWaiting', [], 'BarrierProxy.nWaiting') as number;
  }

  get broken(): boolean {
    return this.remote('isBroken', [], 'BarrierProxy.broken') as boolean;
  }

  abort(): void {
    this.remote('abort', []);
  }

  abortAsync(): Promise<void> {
    return this.remoteAsync('abort', []) as Promise<void>;
  }

  reset(): void {
    this.remote('reset', []);
  }

  resetAsync(): Promise<void> {
    return this.remoteAsync('reset', []) as Promise<void>;
  }
}

/** Python's ValueProxy: `get()`, `set(v)` and the `value` property (blocking). */
export class ValueProxy<T = unknown> extends BaseProxy {
  get value(): T {
    return this.remote('get', [], 'ValueProxy.value') as T;
  }

  set value(value: T) {
    this.remote('set', [value], 'ValueProxy.value');
  }

  get(): T {
    return this.remote('get', []) as T;
  }

  getAsync(): Promise<T> {
    return this.remoteAsync('get', []) as Promise<T>;
  }

  set(value: T): void {
    this.remote('set', [value]);
  }

  setAsync(value: T): Promise<void> {
    return this.remoteAsync('set', [value]) as Promise<void>;
  }

  /** Adds `delta` and returns the new value, in one step (no lock needed). */
  add(delta: T): T {
    return this.remote('add', [delta]) as T;
  }

  addAsync(delta: T): Promise<T> {
    return this.remoteAsync('add', [delta]) as Promise<T>;
  }
}

/** Python's ArrayProxy (an `array.array` in the manager). */
export class ArrayProxy<T extends number | bigint = number> extends BaseProxy {
  /** @throws {IndexError} when `index` is out of range */
  get(index: number): T {
    return this.remote('get', [index]) as T;
  }

  getAsync(index: number): Promise<T> {
    return this.remoteAsync('get', [index]) as Promise<T>;
  }

  /** @throws {IndexError} when `index` is out of range @throws {ValueError} when `value` does not fit */
  set(index: number, value: T): void {
    this.remote('set', [index, value]);
  }

  setAsync(index: number, value: T): Promise<void> {
    return this.remoteAsync('set', [index, value]) as Promise<void>;
  }

  len(): number {
    return this.remote('len', []) as number;
  }

  lenAsync(): Promise<number> {
    return this.remoteAsync('len', []) as Promise<number>;
  }

  /** A copy of the elements (Python's `a[:]`). */
  toArray(): T[] {
    return this.remote('toArray', []) as T[];
  }

  toArrayAsync(): Promise<T[]> {
    return this.remoteAsync('toArray', []) as Promise<T[]>;
  }

  /** Python's `iter(a)`: element by element (one call each), as for a ListProxy. */
  [Symbol.iterator](): Generator<T, void, undefined> {
    return byIndex<T>(this, 'ArrayProxy iterator');
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return byIndexAsync<T>(this, 'ArrayProxy iterator');
  }
}

/**
 * A registered type's proxy: `p.call('method', ...args)` and `p.callAsync(...)`, and, as a
 * shorthand, `p.method(...args)` (blocking) and `p.methodAsync(...args)`.
 */
export class AutoProxy extends BaseProxy {
  /** @internal */
  constructor(ref: ProxyRef) {
    super(ref);
    // biome-ignore lint/correctness/noConstructorReturn: methods of the registered type are looked up by name
    return new Proxy(this, {
      get(target, property, receiver) {
        if (typeof property === 'symbol' || property in target || LOCAL.has(property)) return Reflect.get(target, property, receiver);
        if (property.endsWith('Async') && property.length > 5) return (...args: unknown[]) => target.callAsync(property.slice(0, -5), ...args);
        return (...args: unknown[]) => target.call(property, ...args);
      },
    });
  }

  call(method: string, ...args: unknown[]): unknown {
    return super.remote('call', [method, args], `${this.typeid}.${method}`);
  }

  callAsync(method: string, ...args: unknown[]): Promise<unknown> {
    return super.remoteAsync('call', [method, args], `${this.typeid}.${method}Async`);
  }
}

/** A registered type's proxy, with its methods typed from the class: `manager.create<Counter>('Counter')`. */
export type Custom<T> = AutoProxy & {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Awaited<R> : never;
} & {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? `${K & string}Async` : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

const CLASSES: Readonly<Record<string, new (ref: ProxyRef) => BaseProxy>> = {
  dict: DictProxy, list: ListProxy, Namespace: NamespaceProxy, Queue: QueueProxy, JoinableQueue: JoinableQueueProxy,
  Lock: LockProxy, RLock: RLockProxy, Semaphore: SemaphoreProxy, BoundedSemaphore: BoundedSemaphoreProxy,
  Condition: ConditionProxy, Event: EventProxy, Barrier: BarrierProxy, Value: ValueProxy, Array: ArrayProxy,
};

export const BUILTIN_TYPEIDS: readonly string[] = Object.keys(CLASSES);

/** The proxy for object `id` of `store`. */
export function makeProxy(store: Store, typeid: string, id: string): BaseProxy {
  const cls = Object.hasOwn(CLASSES, typeid) ? CLASSES[typeid]! : AutoProxy;
  return new cls({ store, typeid, id });
}

setReviver(makeProxy);
