/**
 * `Manager`: Python's `multiprocessing.Manager()`. It holds dicts, lists, Namespaces, queues,
 * locks and values in one place and hands out proxies to them that work from any thread of the
 * process: pass a proxy to a Pool task, a Process or a raw worker, and it arrives as a live proxy
 * to the same object.
 *
 * `Manager.start()` runs the objects in a thread of this process (the embedded store): proxies
 * reach it over shared memory, so a call from a worker costs microseconds, and nothing needs to
 * be installed. `Manager.start({ url, namespace })` runs the same thread over Redis instead
 * (redis-store.ts), and `Manager.connect` reaches those objects from other processes.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ArgumentError, ManagerStateError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { resolveTypecode } from '../sharedctypes/typecode.js';
import { compiledModule } from '../worker-module/compiled.js';
import { resolveModule } from '../worker-module/resolve.js';
import { decode } from '../transport/transport.js';
import { embeddedStore } from './embedded.js';
import './kind.js';
import {
  DEAD, DEFAULT_SLOTS, DEFAULT_SLOT_BYTES, DOORBELL, FREED, SHUT_DOWN, SLOT_BYTES, SLOT_COUNT, STATE, S_STATE, controlWords, slotBase,
  type EmbeddedDescriptor,
} from './protocol.js';
import {
  type ArrayProxy, type BarrierProxy, type BoundedSemaphoreProxy, type ConditionProxy, type DictProxy, type EventProxy, type JoinableQueueProxy, type ListProxy, LockProxy,
  type QueueProxy, type RLockProxy, type SemaphoreProxy, type ValueProxy, makeProxy, type AutoProxy, type Custom, type Key, type Namespace,
} from './proxies.js';
import type { Store } from './store.js';
import type { RedisDirectStore } from './redis-direct.js';
import { REDIS_OPTION_KEYS, redisConfig, type RedisConfig, type RedisOptions } from './redis-options.js';

/** node:crypto costs several ms of CPU to load: loaded by the first Manager, not with the package. */
const randomUUID = (): string => (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomUUID();

/** `Manager.connect()` options: the Redis-backed manager to reach. */
export type ConnectOptions = RedisOptions & Pick<ManagerOptions, 'slots' | 'slotBytes'>;

/**
 * `Manager.start()` options. With `url`, the objects live in Redis (the Redis store, see
 * docs/manager.md) under `namespace`, and `Manager.connect` from other processes reaches them.
 */
export interface ManagerOptions extends Partial<RedisOptions> {
  /**
   * Calls that can be in flight at once, from all threads together, counting calls that wait in
   * the manager (a get on an empty queue, an acquire of a held lock); more wait for a free slot.
   * Default 256.
   */
  slots?: number;
  /** Bytes of each slot; a larger request or answer goes in several chunks. Default 8 KiB. */
  slotBytes?: number;
}

/** `{ name }`: the object of that name, created on first use (then `init` applies) and shared by name after. */
export interface NameOptions {
  name?: string;
}

export interface RegisterOptions {
  /** The module that exports the class: a file URL or an absolute path, as for Pool. */
  module: URL | string;
  /** The export that is the class; default `'default'`. */
  export?: string;
  /** Methods proxies may call; default every method whose name does not start with `_` (Python's `exposed`). */
  exposed?: readonly string[];
}

function checkName(fn: string, options: NameOptions | undefined): string | undefined {
  checkOptionKeys(fn, 'options', options, ['name']);
  const name = options?.name;
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ArgumentError(`${fn}: invalid argument 'options.name': expected a non-empty string, got ${show(name)}`);
  return name;
}

function checkSize(fn: string, name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value as number;
}

/** Every slot DEAD and every caller woken: what the manager's thread does as it stops. */
function bury(control: Int32Array): void {
  Atomics.store(control, STATE, SHUT_DOWN);
  for (let slot = 0; slot < control[SLOT_COUNT]!; slot++) {
    const index = slotBase(slot) + S_STATE;
    Atomics.store(control, index, DEAD);
    Atomics.notify(control, index);
  }
  Atomics.add(control, FREED, 1);
  Atomics.notify(control, FREED);
}

export class Manager {
  #store: Store;
  /** A Redis-backed manager's store in this thread (redis-direct.ts). */
  #direct: RedisDirectStore | undefined;
  readonly #worker: Worker | undefined;
  readonly #control: Int32Array | undefined;
  #shutdown: Promise<void> | undefined;

  private constructor(store: Store, worker: Worker | undefined, control: Int32Array | undefined) {
    this.#store = store;
    this.#worker = worker;
    this.#control = control;
  }

  /**
   * Starts a manager. With no options its objects live in a thread of this process; with `url`
   * they live in Redis under `namespace` (created if new, adopted with its objects if not), where
   * `Manager.connect` from other processes and machines reaches them. A started manager owns its
   * namespace: its `shutdown()` deletes the namespace's keys, as Python's objects die with their manager.
   * @throws {ArgumentError} (rejects) when an option is invalid
   * @throws {ManagerConnectionError} (rejects) when Redis cannot be reached or refuses the credentials
   * @throws {OptionalDependencyError} (rejects) with `url`, when ioredis is not installed
   */
  static async start(options?: ManagerOptions): Promise<Manager> {
    const redis = options?.url === undefined ? undefined : redisConfig('Manager.start', options as RedisOptions, 'start');
    return Manager.#launch('Manager.start', options, redis);
  }

  /**
   * Reaches the Redis-backed manager that `Manager.start({ url, namespace })` started, from another
   * process or machine: `manager.dict('results')` there is the same object as here. Its
   * `shutdown()` disconnects this process and leaves the objects to the starting manager.
   * @throws {ArgumentError} (rejects) when an option is invalid or `url` is missing
   * @throws {ManagerStateError} (rejects) when no manager was started in that namespace
   * @throws {ManagerConnectionError} (rejects) when Redis cannot be reached or refuses the credentials
   * @throws {OptionalDependencyError} (rejects) when ioredis is not installed
   */
  static async connect(options: ConnectOptions): Promise<Manager> {
    if (typeof options !== 'object' || options === null || options.url === undefined) {
      throw new ArgumentError(`Manager.connect: invalid argument 'options': expected { url, namespace? } of a Redis-backed manager, got ${show(options)}`);
    }
    return Manager.#launch('Manager.connect', options, redisConfig('Manager.connect', options, 'connect'));
  }

  static async #launch(fn: string, options: ManagerOptions | undefined, redis: RedisConfig | undefined): Promise<Manager> {
    checkOptionKeys(fn, 'options', options, redis === undefined ? ['slots', 'slotBytes'] : ['slots', 'slotBytes', ...REDIS_OPTION_KEYS]);
    const slots = checkSize(fn, 'options.slots', options?.slots, 1, 4096, DEFAULT_SLOTS);
    const slotBytes = checkSize(fn, 'options.slotBytes', options?.slotBytes, 64, 2 ** 24, DEFAULT_SLOT_BYTES);
    const control = new SharedArrayBuffer(4 * controlWords(slots));
    const words = new Int32Array(control);
    words[SLOT_COUNT] = slots;
    words[SLOT_BYTES] = slotBytes;
    const descriptor: EmbeddedDescriptor = { kind: 'embedded', key: randomUUID(), control, data: new SharedArrayBuffer(slots * slotBytes) };
    const worker = new Worker(compiledModule('./server.js', import.meta.url), { workerData: { ...descriptor, redis }, name: 'shared-ndarray manager' });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: unknown) => {
        if (message === 'ready') resolve();
        else reject(decode((message as { error: unknown }).error));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new ManagerStateError(`${fn}: the manager's thread exited (code ${code}) before it was ready`)));
    });
    worker.removeAllListeners();
    // the thread marks every slot dead as it stops; should it end any other way, do it here, so no caller waits forever
    worker.once('exit', () => bury(words));
    // the manager's thread does not keep the process alive, as Python's manager is shut down at exit
    worker.unref();
    const manager = new Manager(embeddedStore(descriptor), worker, words);
    if (redis === undefined) return manager;
    try {
      const [{ RedisBackend }, { RedisDirectStore }] = await Promise.all([import('./redis-store.js'), import('./redis-direct.js')]);
      manager.#direct = new RedisDirectStore(embeddedStore(descriptor), await RedisBackend.direct(fn, redis));
      manager.#store = manager.#direct;
    } catch (error) {
      await manager.shutdown();
      throw error;
    }
    return manager;
  }

  /** Whether `shutdown()` was called (or the manager's thread ended). */
  get shutDown(): boolean {
    return this.#control !== undefined && Atomics.load(this.#control, STATE) === SHUT_DOWN;
  }

  #create<P>(fn: string, typeid: string, args: unknown[], name?: string): P {
    const id = this.#store.callSync(fn, '', 'create', [typeid, args, name, fn]) as string;
    return makeProxy(this.#store, typeid, id) as P;
  }

  /** `init` or a name: `manager.dict('results')` is `manager.dict(undefined, { name: 'results' })`. */
  #initOrName(fn: string, init: unknown, options: NameOptions | undefined): [unknown, string | undefined] {
    if (typeof init === 'string') {
      if (options !== undefined) throw new ArgumentError(`${fn}: invalid argument 'options': a name was given as the first argument already`);
      return [undefined, checkName(fn, { name: init })];
    }
    return [init, checkName(fn, options)];
  }

  /**
   * A shared dict, filled from `init` (a plain object, a Map or [key, value] pairs).
   * @throws {ArgumentError} when `init` is not one of those, or its keys are not primitives
   */
  dict<K extends Key = string, V = unknown>(init?: Record<string, V> | Map<K, V> | readonly (readonly [K, V])[] | string, options?: NameOptions): DictProxy<K, V> {
    const [value, name] = this.#initOrName('Manager.dict', init, options);
    return this.#create('Manager.dict', 'dict', value === undefined ? [] : [value], name);
  }

  /** A shared list, a copy of `init`. */
  list<T = unknown>(init?: readonly T[] | string, options?: NameOptions): ListProxy<T> {
    const [value, name] = this.#initOrName('Manager.list', init, options);
    return this.#create('Manager.list', 'list', value === undefined ? [] : [value], name);
  }

  /** A shared Namespace with `init`'s attributes: `ns.x` reads one, `ns.x = v` writes one. */
  Namespace<T extends object = Record<string, unknown>>(init?: Partial<T> | string, options?: NameOptions): Namespace<Partial<T>> {
    const [value, name] = this.#initOrName('Manager.Namespace', init, options);
    return this.#create('Manager.Namespace', 'Namespace', value === undefined ? [] : [value], name);
  }

  /** A queue of at most `maxsize` items (0: no limit). */
  Queue<T = unknown>(maxsize = 0, options?: NameOptions): QueueProxy<T> {
    return this.#create('Manager.Queue', 'Queue', [maxsize], checkName('Manager.Queue', options));
  }

  JoinableQueue<T = unknown>(maxsize = 0, options?: NameOptions): JoinableQueueProxy<T> {
    return this.#create('Manager.JoinableQueue', 'JoinableQueue', [maxsize], checkName('Manager.JoinableQueue', options));
  }

  Lock(options?: NameOptions): LockProxy {
    return this.#create('Manager.Lock', 'Lock', [], checkName('Manager.Lock', options));
  }

  RLock(options?: NameOptions): RLockProxy {
    return this.#create('Manager.RLock', 'RLock', [], checkName('Manager.RLock', options));
  }

  Semaphore(value = 1, options?: NameOptions): SemaphoreProxy {
    return this.#create('Manager.Semaphore', 'Semaphore', [value], checkName('Manager.Semaphore', options));
  }

  BoundedSemaphore(value = 1, options?: NameOptions): BoundedSemaphoreProxy {
    return this.#create('Manager.BoundedSemaphore', 'BoundedSemaphore', [value], checkName('Manager.BoundedSemaphore', options));
  }

  /** A Condition over `lock` (a Lock or RLock proxy of this manager), or over a new RLock. */
  Condition(lock?: LockProxy, options?: NameOptions): ConditionProxy {
    if (lock !== undefined && !(lock instanceof LockProxy)) {
      throw new ArgumentError(`Manager.Condition: invalid argument 'lock': expected a Lock or RLock proxy of this manager, got ${show(lock)}`);
    }
    return this.#create('Manager.Condition', 'Condition', lock === undefined ? [] : [lock], checkName('Manager.Condition', options));
  }

  Event(options?: NameOptions): EventProxy {
    return this.#create('Manager.Event', 'Event', [], checkName('Manager.Event', options));
  }

  /** A Barrier for `parties` threads; `timeout` is the default for its waits. (Python's `action` is a function, which cannot be sent.) */
  Barrier(parties: number, options?: NameOptions & { timeout?: number | null }): BarrierProxy {
    checkOptionKeys('Manager.Barrier', 'options', options, ['name', 'timeout']);
    const timeout = options?.timeout;
    if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || !(timeout >= 0))) {
      throw new ArgumentError(`Manager.Barrier: invalid argument 'options.timeout': expected a timeout in milliseconds (a number >= 0), got ${show(timeout)}`);
    }
    return this.#create('Manager.Barrier', 'Barrier', [parties, timeout ?? Infinity], checkName('Manager.Barrier', { name: options?.name }));
  }

  /** Python's manager Value: holds `value` as given (the typecode is kept, as in Python, not enforced). */
  Value<T = number>(typecode: string, value: T, options?: NameOptions): ValueProxy<T> {
    resolveTypecode(typecode, 'Manager.Value');
    return this.#create('Manager.Value', 'Value', [typecode, value], checkName('Manager.Value', options));
  }

  /** Python's manager Array: an `array.array(typecode, sequence)` in the manager. */
  Array(typecode: string, sequence: readonly bigint[], options?: NameOptions): ArrayProxy<bigint>;
  Array(typecode: string, sequence: readonly number[] | number, options?: NameOptions): ArrayProxy<number>;
  Array(typecode: string, sequence: readonly (number | bigint)[] | number, options?: NameOptions): ArrayProxy<number> | ArrayProxy<bigint> {
    const dtype = resolveTypecode(typecode, 'Manager.Array');
    if (!Array.isArray(sequence) && !(Number.isSafeInteger(sequence) && (sequence as number) >= 0)) {
      throw new ArgumentError(`Manager.Array: invalid argument 'sequence': expected an array of numbers or a length, got ${show(sequence)}`);
    }
    return this.#create('Manager.Array', 'Array', [typecode, dtype, sequence], checkName('Manager.Array', options));
  }

  /**
   * Python's `BaseManager.register`: the manager loads `options.module` and, for each
   * `create(typeid, ...args)`, builds `new (its export)(...args)`; the proxy calls its methods.
   * With Redis, the objects live in this process, and other processes' proxies call them through
   * Redis until this manager shuts down or its process ends (then they throw ManagerStateError).
   * @throws {ArgumentError} (rejects) when the typeid is taken or invalid, or the module or export cannot be loaded
   */
  async register(typeid: string, options: RegisterOptions): Promise<void> {
    const fn = 'Manager.register';
    if (typeof typeid !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(typeid)) throw new ArgumentError(`${fn}: invalid argument 'typeid': expected an identifier, got ${show(typeid)}`);
    if (Object.hasOwn(Manager.prototype, typeid) || typeid === 'dict' || typeid === 'list') throw new ArgumentError(`${fn}: invalid argument 'typeid': ${show(typeid)} is a built-in typeid`);
    if (options === undefined) throw new ArgumentError(`${fn}: invalid argument 'options': expected { module, export?, exposed? }, got undefined`);
    checkOptionKeys(fn, 'options', options, ['module', 'export', 'exposed']);
    const url = resolveModule(options.module, fn, 'options.module');
    const name = options.export ?? 'default';
    if (typeof name !== 'string') throw new ArgumentError(`${fn}: invalid argument 'options.export': expected a string, got ${show(name)}`);
    const exposed = options.exposed;
    if (exposed !== undefined && (!Array.isArray(exposed) || !exposed.every((m) => typeof m === 'string'))) {
      throw new ArgumentError(`${fn}: invalid argument 'options.exposed': expected an array of method names, got ${show(exposed)}`);
    }
    await this.#store.callAsync(fn, '', 'register', [typeid, url.href, name, exposed === undefined ? undefined : [...exposed]]);
  }

  /**
   * An object of a registered type: `new (its class)(...args)` in the manager, and its proxy.
   * @throws {ArgumentError} when `typeid` is not registered, or the constructor throws
   */
  create<T = Record<string, (...args: never[]) => unknown>>(typeid: string, ...args: unknown[]): Custom<T> {
    if (typeof typeid !== 'string') throw new ArgumentError(`Manager.create: invalid argument 'typeid': expected a string, got ${show(typeid)}`);
    return this.#create<AutoProxy>(`Manager.create`, typeid, args) as Custom<T>;
  }

  /**
   * Stops the manager: its objects are gone, and every call through its proxies, in any thread,
   * throws a ManagerStateError (calls waiting at that moment too). Calling it again is a no-op.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#stop();
    return this.#shutdown;
  }

  async #stop(): Promise<void> {
    const worker = this.#worker, control = this.#control;
    if (worker === undefined || control === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // unref'd, its exit alone would not keep this process alive until the await below returns
    worker.ref();
    Atomics.store(control, STATE, SHUT_DOWN);
    Atomics.add(control, DOORBELL, 1);
    Atomics.notify(control, DOORBELL);
    await Promise.all([exited, this.#direct?.close()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}
