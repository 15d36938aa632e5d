/**
 * A pool of worker threads after Python's `multiprocessing.Pool`. Each worker runs one task at a
 * time; tasks wait in one FIFO queue. SharedNDArrays in arguments and results cross as views of
 * the same memory (see `transport/`), everything else by structured clone.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { ArgumentError, PoolStateError, ShapeError, WorkerStartError } from '../errors.js';
import { checkOptionKeys, positiveInteger, show } from '../check.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import type { WorkerFunction } from '../worker-module/define.js';
import '../register-kinds.js';
import { AsyncResult, checkCallbacks, type AsyncCallbacks } from './async-result.js';
import { compiledModule } from '../worker-module/compiled.js';
import { noSuchFunction, resolveModule } from '../worker-module/resolve.js';
import { chunksOf, isIterable, iterate } from './iterate.js';
import { checkInitializer, checkResourceLimits } from './options.js';
import { encode } from '../transport/transport.js';
import { divideRange } from './partition.js';
import { reserveIdentity } from '../sync/liveness.js';
import { MAX_TIMER_MS, startWorker, type WorkerThread } from './threads-adapter.js';
import type { ArgsOf, FunctionName, ResultOf, RowArgs } from '../worker-module/types.js';


export interface PoolOptions {
  /** Number of worker threads; default `os.availableParallelism()`. */
  size?: number;
  /** Per-worker V8 heap limits (worker_threads' `resourceLimits`); a worker that exceeds them dies and is replaced. */
  resourceLimits?: ResourceLimits;
  /** Milliseconds a worker may take to load its module; default 10000 (env THREADS_WORKER_INIT_TIMEOUT). */
  startTimeout?: number;
  /**
   * A function of the worker module each worker runs once when it starts, with `initargs`
   * (Python's `initializer`): the place to hand every worker a Lock, Queue or Value. A throw
   * fails the start, like a module that does not load.
   */
  initializer?: string;
  initargs?: readonly unknown[];
}

export interface MapOptions {
  /** Items per round trip to a worker. `map` defaults to Python's choice (about 4 chunks per worker); `imap` to 1. */
  chunksize?: number;
}

export type AsyncOptions<T> = AsyncCallbacks<T>;

export interface MapRowsOptions<Rest extends unknown[]> {
  /** Most rows one task gets; default `ceil(rows / size)`, about one block per worker. */
  rowsPerTask?: number;
  /** Extra arguments passed after `(array, rowStart, rowStop)`. */
  args?: Rest;
}

interface Task {
  /** The pool method it came from, for error messages. */
  method: string;
  fn: string;
  args: readonly unknown[];
  /** Set for a chunk: `args` is then a list of argument lists, run in one round trip. */
  chunk: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type State = 'running' | 'closed' | 'terminated';

/**
 * postMessage's DataCloneError (a function, a symbol, a class with private state among the
 * arguments) as the ArgumentError of the method, naming the argument that could not be copied.
 */
function uncloneable(task: Task, error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'DataCloneError') return error;
  const lists = task.chunk ? (task.args as unknown[][]) : [task.args];
  for (const args of lists) {
    for (let i = 0; i < args.length; i++) {
      try {
        structuredClone(encode(args[i]));
      } catch (cause) {
        const name = /^(map|mapAsync|imap|imapUnordered)$/.test(task.method) ? 'items'
          : task.method.startsWith('starmap') ? 'argLists'
            : task.method === 'mapRows' ? (i === 0 ? 'array' : `options.args[${i - 3}]`) : `args[${i}]`;
        return new ArgumentError(`pool.${task.method}: invalid argument '${name}': ${(cause as Error).message} (arguments cross by structured clone, shared objects as themselves; functions, symbols and class instances with private state cannot)`, { cause });
      }
    }
  }
  return error;
}

const MAX_FAILED_RESTARTS = 3;

/**
 * ```ts
 * const pool = new Pool<typeof import('./fill.worker.js')>(new URL('./fill.worker.js', import.meta.url));
 * await pool.mapRows('fillRows', matrix);
 * await pool.close(); await pool.join();
 * ```
 */
export class Pool<M = Record<string, WorkerFunction>> {
  /** Number of workers the pool keeps running. */
  readonly size: number;
  readonly #module: string;
  readonly #entry: URL;
  readonly #options: PoolOptions;
  #state: State = 'running';
  /** Set when a worker failed to start: the module is broken, so every task fails with this. */
  #broken: WorkerStartError | undefined;
  readonly #queue: Task[] = [];
  #queueHead = 0;
  readonly #idle: WorkerThread[] = [];
  readonly #busy = new Map<WorkerThread, Task>();
  /** Every thread, started or starting; idle and busy ones included. */
  readonly #threads = new Set<WorkerThread>();
  /** join() or terminate() is stopping the workers: none is started or restarted again. */
  #stopped = false;
  /** Whether any worker has started: a module that loaded once is not broken by one failed restart. */
  #everStarted = false;
  #failedRestarts = 0;
  #pending = 0;
  #drained: Array<() => void> = [];
  /** Running imap/imapUnordered calls: each queues the rest of its input when the pool closes. */
  readonly #iterations = new Set<() => void>();
  readonly #ready: Promise<void>;
  #exited: Promise<void> | undefined;

  /**
   * @throws {ArgumentError} when `workerModule` names no existing file, or an option is invalid
   */
  constructor(workerModule: URL | string, options: PoolOptions = {}) {
    checkOptionKeys('Pool', 'options', options, ['size', 'resourceLimits', 'startTimeout', 'initializer', 'initargs']);
    checkInitializer(options.initializer, options.initargs);
    this.#module = resolveModule(workerModule, 'Pool', 'workerModule').href;
    this.size = options.size === undefined ? availableParallelism() : positiveInteger('Pool', 'options.size', options.size);
    if (options.startTimeout !== undefined && positiveInteger('Pool', 'options.startTimeout', options.startTimeout) > MAX_TIMER_MS) {
      throw new ArgumentError(`Pool: invalid argument 'options.startTimeout': expected at most ${MAX_TIMER_MS} ms, got ${options.startTimeout}`);
    }
    checkResourceLimits(options.resourceLimits);
    this.#options = { ...options };
    this.#entry = compiledModule('./worker-entry.js', import.meta.url);
    const starts: Promise<void>[] = [];
    for (let i = 0; i < this.size; i++) starts.push(this.#spawn());
    this.#ready = Promise.all(starts).then(() => {
      if (this.#broken) throw this.#broken;
    });
    this.#ready.catch(() => {});
  }

  /**
   * Resolves when every worker has loaded its module (rejects with a WorkerStartError if one
   * could not). Tasks never need this; benchmarks use it to keep start-up out of their timings.
   * @throws {WorkerStartError} (rejects) when a worker could not load the module
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Starts one worker. It takes tasks at once: calls posted before its module has loaded wait in
   * its port, so they run even if this thread blocks right after submitting (a blocking
   * `queue.get()` for what the task will put). Resolves when the start attempt is over.
   */
  #spawn(): Promise<void> {
    // The worker's identity for dead-owner recovery of shared locks (see sync/liveness.ts).
    const identity = reserveIdentity();
    let thread: WorkerThread | undefined;
    try {
      thread = startWorker(this.#entry, {
        workerData: {
          module: this.#module,
          identity: { table: identity.table, id: identity.id },
          initializer: this.#options.initializer,
          initargs: encode(this.#options.initargs ?? []),
        },
        onExit: identity.markDead,
        resourceLimits: this.#options.resourceLimits,
        startTimeout: this.#options.startTimeout,
        onDeath: (error) => { if (thread) this.#onDeath(thread, error); },
      });
    } catch (error) {
      this.#startFailed(undefined, error);
      return Promise.resolve();
    }
    const started = thread;
    this.#threads.add(started);
    this.#idle.push(started);
    this.#dispatch();
    return started.started.then(() => {
      if (this.#stopped) return;
      if (this.#broken) {
        // another worker found the module broken; this one has no work to do
        this.#threads.delete(started);
        const index = this.#idle.indexOf(started);
        if (index !== -1) this.#idle.splice(index, 1);
        void started.terminate();
        return;
      }
      this.#everStarted = true;
      this.#failedRestarts = 0;
      if (!this.#busy.has(started)) started.unref();
    }, (error: unknown) => this.#startFailed(started, error));
  }

  /** A worker that could not start: its task goes back to the queue, or the pool is broken. */
  #startFailed(thread: WorkerThread | undefined, error: unknown): void {
    let task: Task | undefined;
    if (thread !== undefined) {
      this.#threads.delete(thread);
      const index = this.#idle.indexOf(thread);
      if (index !== -1) this.#idle.splice(index, 1);
      task = this.#busy.get(thread);
      this.#busy.delete(thread);
    }
    if (this.#stopped) return;
    if (task !== undefined) {
      // it never ran: the worker's functions are exposed only after its module and initializer
      if (this.#queueHead > 0) this.#queue[--this.#queueHead] = task;
      else this.#queue.unshift(task);
    }
    // A replacement that fails once (say, a start timeout on a busy machine) is tried again;
    // a module that never loaded, or fails three restarts in a row, is broken.
    if (this.#everStarted && ++this.#failedRestarts < MAX_FAILED_RESTARTS) {
      void this.#spawn();
      return;
    }
    this.#broken ??= new WorkerStartError(`Pool: worker module ${this.#module} could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    this.#rejectQueued(this.#broken);
  }

  #onDeath(thread: WorkerThread, error: Error): void {
    const index = this.#idle.indexOf(thread);
    if (index !== -1) this.#idle.splice(index, 1);
    const task = this.#busy.get(thread);
    this.#busy.delete(thread);
    this.#threads.delete(thread);
    if (task) task.reject(error);
    if (!this.#stopped && !this.#broken) void this.#spawn();
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queueHead < this.#queue.length) {
      const task = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = undefined as never;
      if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
        this.#queue.splice(0, this.#queueHead);
        this.#queueHead = 0;
      }
      const thread = this.#idle.pop()!;
      // a thread still starting checks the name itself (see exposeFunctions)
      if (thread.functions !== undefined && !thread.functions.has(task.fn)) {
        this.#idle.push(thread);
        task.reject(noSuchFunction('Pool', 'fn', this.#module, task.fn, thread.functions));
        continue;
      }
      this.#run(thread, task);
    }
  }

  #run(thread: WorkerThread, task: Task): void {
    this.#busy.set(thread, task);
    thread.ref();
    const call = task.chunk
      ? thread.callChunk(task.fn, task.args as unknown[][])
      : thread.call(task.fn, task.args);
    call.then(
      (value) => this.#finish(thread, task, () => task.resolve(value)),
      (error: unknown) => this.#finish(thread, task, () => task.reject(uncloneable(task, error))),
    );
  }

  #finish(thread: WorkerThread, task: Task, settle: () => void): void {
    // A worker that died was already taken out and its task rejected.
    if (this.#busy.get(thread) !== task) return;
    this.#busy.delete(thread);
    settle();
    // a thread still starting stays ref'd until it is up, so ready() cannot be left pending
    if (thread.functions !== undefined) thread.unref();
    this.#idle.push(thread);
    this.#dispatch();
  }

  #rejectQueued(error: unknown): void {
    while (this.#queueHead < this.#queue.length) {
      const task = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = undefined as never;
      task.reject(error);
    }
    this.#queue.length = 0;
    this.#queueHead = 0;
  }

  /** Queues one task; the promise settles with the worker's result or error. */
  #submit(method: string, fn: unknown, args: readonly unknown[], chunk: boolean, admitted = false): Promise<unknown> {
    const refusal = this.#refusal(method, fn, admitted);
    if (refusal) return Promise.reject(refusal);
    return this.#track(new Promise<unknown>((resolve, reject) => {
      this.#queue.push({ method, fn: fn as string, args, chunk, resolve, reject });
      this.#dispatch();
    }));
  }

  /** Why `method` may not queue work now; `admitted` work (an imap begun before close) may after close. */
  #refusal(method: string, fn: unknown, admitted = false): Error | undefined {
    if (this.#state === 'terminated' || (this.#state === 'closed' && !admitted)) {
      return new PoolStateError(`pool.${method}: the pool is ${this.#state === 'closed' ? 'closed (close() was called)' : 'terminated'}; it takes no new work`);
    }
    if (this.#broken) return this.#broken;
    if (typeof fn !== 'string' || fn === '') {
      return new ArgumentError(`pool.${method}: invalid argument 'fn': expected the name of a function of the worker module, got ${show(fn)}`);
    }
    return undefined;
  }

  /** Throws what `#submit` would reject with, for the methods that return an AsyncResult. */
  #check(method: string, fn: unknown): void {
    const refusal = this.#refusal(method, fn);
    if (refusal) throw refusal;
  }

  #chunked(method: string, fn: unknown, argLists: unknown[][], chunksize: number): Promise<unknown[]> {
    if (argLists.length === 0) {
      const refusal = this.#refusal(method, fn);
      return refusal ? Promise.reject(refusal) : Promise.resolve([]);
    }
    const tasks: Promise<unknown>[] = [];
    for (let i = 0; i < argLists.length; i += chunksize) {
      const task = this.#submit(method, fn, argLists.slice(i, i + chunksize), true);
      task.catch(() => {});
      tasks.push(task);
    }
    return Promise.all(tasks).then((chunks) => (chunks as unknown[][]).flat(1));
  }

  #chunksize(method: string, options: (MapOptions & AsyncOptions<never>) | undefined, count: number): number {
    checkOptionKeys(`pool.${method}`, 'options', options, method.endsWith('Async') ? ['chunksize', 'callback', 'errorCallback'] : ['chunksize']);
    checkCallbacks(method, options);
    if (options?.chunksize !== undefined) return positiveInteger(`pool.${method}`, 'options.chunksize', options.chunksize);
    // Python's default: about four chunks per worker, so no worker idles long at the end.
    return Math.max(1, Math.ceil(count / (this.size * 4)));
  }

  #argLists(method: string, items: unknown, star: boolean): unknown[][] {
    const name = star ? 'argLists' : 'items';
    if (items == null || typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError(`pool.${method}: invalid argument '${name}': expected an iterable, got ${show(items)}`);
    }
    const lists: unknown[][] = [];
    let i = 0;
    for (const item of items as Iterable<unknown>) {
      if (star && !Array.isArray(item)) {
        throw new ArgumentError(`pool.${method}: invalid argument 'argLists[${i}]': expected an array of arguments, got ${show(item)}`);
      }
      lists.push(star ? (item as unknown[]) : [item]);
      i++;
    }
    return lists;
  }

  /**
   * Runs `fn(...args)` in a worker; resolves to its result (Python's `apply`).
   * @throws {ArgumentError} (rejects) when `fn` is not a function of the worker module
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {WorkerStartError} (rejects) when the worker module could not start
   * @throws {WorkerDiedError} (rejects) when the worker died while it ran the task
   * @throws {NotSharedError} (rejects) when an argument is an array over non-shared memory
   * @throws {Error} (rejects) with what `fn` threw, rebuilt as its class
   */
  apply<K extends FunctionName<M>>(fn: K, ...args: ArgsOf<M, K>): Promise<ResultOf<M, K>> {
    return this.#submit('apply', fn, args, false) as Promise<ResultOf<M, K>>;
  }

  /**
   * Like `apply`, but returns at once with an AsyncResult.
   * @throws {ArgumentError} when `fn`, `args` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerStartError} when the worker module could not start
   */
  applyAsync<K extends FunctionName<M>>(fn: K, args: ArgsOf<M, K>, options?: AsyncOptions<ResultOf<M, K>>): AsyncResult<ResultOf<M, K>> {
    this.#check('applyAsync', fn);
    checkOptionKeys('pool.applyAsync', 'options', options, ['callback', 'errorCallback']);
    checkCallbacks('applyAsync', options);
    if (!Array.isArray(args)) throw new ArgumentError(`pool.applyAsync: invalid argument 'args': expected an array of arguments, got ${show(args)}`);
    return new AsyncResult(this.apply(fn, ...args), options);
  }

  /**
   * `fn(item)` for every item, in input order (Python's `map`). The first failure rejects.
   * @throws {ArgumentError} (rejects) when `fn`, `items` or an option is invalid
   * @throws {NotSharedError} (rejects) when an argument is an array over non-shared memory
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {WorkerStartError} (rejects) when the worker module could not start
   * @throws {WorkerDiedError} (rejects) when a worker died while it ran a task
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  map<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]>, options?: MapOptions): Promise<Array<ResultOf<M, K>>> {
    try {
      const lists = this.#argLists('map', items, false);
      return this.#chunked('map', fn, lists, this.#chunksize('map', options, lists.length)) as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * @throws {ArgumentError} when `fn`, `items` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerStartError} when the worker module could not start
   */
  mapAsync<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]>, options?: MapOptions & AsyncOptions<Array<ResultOf<M, K>>>): AsyncResult<Array<ResultOf<M, K>>> {
    this.#check('mapAsync', fn);
    const lists = this.#argLists('mapAsync', items, false);
    return new AsyncResult(this.#chunked('mapAsync', fn, lists, this.#chunksize('mapAsync', options, lists.length)) as Promise<Array<ResultOf<M, K>>>, options);
  }

  /**
   * `fn(...args)` for every argument list, in input order (Python's `starmap`).
   * @throws {ArgumentError} (rejects) when `fn`, `argLists` or an option is invalid
   * @throws {NotSharedError} (rejects) when an argument is an array over non-shared memory
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {WorkerStartError} (rejects) when the worker module could not start
   * @throws {WorkerDiedError} (rejects) when a worker died while it ran a task
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  starmap<K extends FunctionName<M>>(fn: K, argLists: Iterable<ArgsOf<M, K>>, options?: MapOptions): Promise<Array<ResultOf<M, K>>> {
    try {
      const lists = this.#argLists('starmap', argLists, true);
      return this.#chunked('starmap', fn, lists, this.#chunksize('starmap', options, lists.length)) as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * @throws {ArgumentError} when `fn`, `argLists` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerStartError} when the worker module could not start
   */
  starmapAsync<K extends FunctionName<M>>(fn: K, argLists: Iterable<ArgsOf<M, K>>, options?: MapOptions & AsyncOptions<Array<ResultOf<M, K>>>): AsyncResult<Array<ResultOf<M, K>>> {
    this.#check('starmapAsync', fn);
    const lists = this.#argLists('starmapAsync', argLists, true);
    return new AsyncResult(this.#chunked('starmapAsync', fn, lists, this.#chunksize('starmapAsync', options, lists.length)) as Promise<Array<ResultOf<M, K>>>, options);
  }

  /**
   * Results in input order as they become ready (Python's `imap`). Items are read lazily, with at
   * most `2 × size` chunks in flight, so the input may be long or infinite. As in Python, the call
   * counts as submitted: after `close()` the rest of the input is read and queued at once, and
   * `join()` waits for it.
   * @throws {ArgumentError} when `fn`, `items` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerStartError} when the worker module could not start
   * @throws {WorkerDiedError} (from the iteration) when a worker died while it ran a task
   */
  imap<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]> | AsyncIterable<ArgsOf<M, K>[0]>, options?: MapOptions): AsyncGenerator<ResultOf<M, K>, void, undefined> {
    return this.#iterate('imap', fn, items, options, true) as AsyncGenerator<ResultOf<M, K>, void, undefined>;
  }

  /**
   * Results in the order they finish (Python's `imap_unordered`); otherwise as `imap`.
   * @throws {ArgumentError} when `fn`, `items` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerStartError} when the worker module could not start
   * @throws {WorkerDiedError} (from the iteration) when a worker died while it ran a task
   */
  imapUnordered<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]> | AsyncIterable<ArgsOf<M, K>[0]>, options?: MapOptions): AsyncGenerator<ResultOf<M, K>, void, undefined> {
    return this.#iterate('imapUnordered', fn, items, options, false) as AsyncGenerator<ResultOf<M, K>, void, undefined>;
  }

  #iterate(method: string, fn: unknown, items: unknown, options: MapOptions | undefined, ordered: boolean): AsyncGenerator<unknown, void, undefined> {
    this.#check(method, fn);
    checkOptionKeys(`pool.${method}`, 'options', options, ['chunksize']);
    if (!isIterable(items)) throw new ArgumentError(`pool.${method}: invalid argument 'items': expected an iterable or async iterable, got ${show(items)}`);
    const chunksize = options?.chunksize === undefined ? 1 : positiveInteger(`pool.${method}`, 'options.chunksize', options.chunksize);
    return iterate({
      window: this.size * 2,
      closed: () => this.#state === 'closed',
      submit: (chunk) => this.#submit(method, fn, chunk.map((item) => [item]), true, true) as Promise<unknown[]>,
      track: (work) => { void this.#track(work); },
      iterations: this.#iterations,
    }, chunksOf(items, chunksize), ordered);
  }

  /** Counts `work` as pending, so `join()` waits for it. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#pending++;
    return work.finally(() => this.#settled());
  }

  #settled(): void {
    if (--this.#pending === 0) for (const wake of this.#drained.splice(0)) wake();
  }

  /**
   * Splits the first axis of `array` into row blocks and runs `fn(array, rowStart, rowStop,
   * ...args)` on each in the workers, which see the array's own memory. Resolves to the results
   * in row order.
   * @throws {ArgumentError} (rejects) when `fn`, `array` or an option is invalid
   * @throws {ShapeError} (rejects) when `array` is 0-d
   * @throws {NotSharedError} (rejects) when `array` is over non-shared memory
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {WorkerStartError} (rejects) when the worker module could not start
   * @throws {WorkerDiedError} (rejects) when a worker died while it ran a task
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  mapRows<K extends FunctionName<M>>(fn: K, array: ArgsOf<M, K>[0], options: MapRowsOptions<RowArgs<M, K>> = {}): Promise<Array<ResultOf<M, K>>> {
    try {
      if (!((array as unknown) instanceof SharedNDArray)) {
        throw new ArgumentError(`pool.mapRows: invalid argument 'array': expected a SharedNDArray, got ${show(array)}`);
      }
      const matrix = array as SharedNDArray;
      if (matrix.ndim === 0) throw new ShapeError('pool.mapRows: invalid argument \'array\': expected at least one axis to split, got a 0-d array');
      const rows = matrix.shape[0]!;
      checkOptionKeys('pool.mapRows', 'options', options, ['rowsPerTask', 'args']);
      const rowsPerTask = options.rowsPerTask === undefined
        ? Math.max(1, Math.ceil(rows / this.size))
        : positiveInteger('pool.mapRows', 'options.rowsPerTask', options.rowsPerTask);
      const extra = options.args ?? [];
      if (!Array.isArray(extra)) throw new ArgumentError(`pool.mapRows: invalid argument 'options.args': expected an array, got ${show(extra)}`);
      const blocks = rows === 0 ? [] : divideRange(0, rows, Math.ceil(rows / rowsPerTask));
      const argLists = blocks.map(([start, stop]) => [array, start, stop, ...extra]);
      return this.#chunked('mapRows', fn, argLists, 1) as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** No more work will be submitted; queued work still runs (Python's `close`). */
  close(): void {
    if (this.#state !== 'running') return;
    this.#state = 'closed';
    for (const drain of this.#iterations) drain();
  }

  /**
   * Waits for all submitted work to finish, then stops the workers (Python's `join`). The pool
   * must be closed or terminated first.
   * @throws {PoolStateError} (rejects) when the pool is still running
   */
  async join(): Promise<void> {
    if (this.#state === 'running') {
      throw new PoolStateError('pool.join: the pool is still running; call close() or terminate() first');
    }
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
    await this.#stopWorkers();
  }

  /**
   * Stops every worker now. Queued and running tasks reject with a PoolStateError. Resolves when
   * the threads have exited (Python's `terminate`).
   */
  async terminate(): Promise<void> {
    if (this.#state !== 'terminated') {
      this.#state = 'terminated';
      const error = new PoolStateError('pool.terminate() was called before this task finished');
      this.#rejectQueued(error);
      for (const task of this.#busy.values()) task.reject(error);
    }
    await this.#stopWorkers();
  }

  #stopWorkers(): Promise<void> {
    this.#exited ??= (async () => {
      this.#stopped = true;
      const threads = [...this.#threads];
      this.#threads.clear();
      this.#idle.length = 0;
      this.#busy.clear();
      await Promise.allSettled(threads.map((thread) => thread.terminate()));
    })();
    return this.#exited;
  }

  /** `await using pool = new Pool(...)` terminates the pool at the end of the scope, like Python's `with Pool()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}
