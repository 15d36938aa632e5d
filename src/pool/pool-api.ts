/**
 * The public methods that `Pool` (threads of this process) and `ClusterPool` (daemons on any
 * machine, in cluster/) share: argument checks, the map/apply/imap forms and AsyncResult, over a
 * few primitives each pool implements (submit one task, a chunked call, cancel a call). Here, in
 * pool/, so that cluster/ can build on it and pool/ never imports cluster/.
 */
import { ArgumentError, type AbortError } from '../errors.js';
import { checkOptionKeys, positiveInteger, show } from '../check.js';
import type { ArgsOf, FunctionName, ResultOf } from '../worker-module/types.js';
import { AsyncResult, checkCallbacks, type AsyncCallbacks } from './async-result.js';
import { chunksOf, isIterable, iterate, type IterationHost } from './iterate.js';
import { checkCallOptions } from './options.js';

/** What every submitting method takes. */
export interface CallOptions {
  /**
   * Cancels the call: its queued tasks are removed, its running ones stopped (their workers are
   * terminated and replaced), and it rejects with an `AbortError` whose `cause` is the signal's reason.
   */
  signal?: AbortSignal | undefined;
}

export interface ProgressOptions {
  /**
   * `run`/`applyAsync`: called with each `progress(done, total)` the worker function reports, in
   * order. Map-like calls: called with the items done and the items in all after each chunk.
   * A throw is reported as an uncaught exception, like a throwing event listener.
   */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface IterateOptions extends CallOptions {
  /** Items per round trip to a worker; default 1. */
  chunksize?: number;
}

export interface MapOptions extends CallOptions, ProgressOptions {
  /** Items per round trip to a worker. `map` defaults to Python's choice (about 4 chunks per worker); `imap` to 1. */
  chunksize?: number;
}

export type RunOptions = CallOptions & ProgressOptions;

export type AsyncOptions<T> = AsyncCallbacks<T> & CallOptions & ProgressOptions;

export interface MapRowsOptions<Rest extends unknown[]> extends CallOptions, ProgressOptions {
  /** Most rows one task gets; default `ceil(rows / size)`, about one block per worker. */
  rowsPerTask?: number;
  /** Extra arguments passed after `(array, rowStart, rowStop)`. */
  args?: Rest;
}

/** What the shared methods need of a pool's call (the tasks of one method call, cancelled together). */
export interface CallLike {
  /** Set once cancelled: tasks the call submits later (imap's) are refused with it. */
  cancelled: AbortError | undefined;
  /** Stops listening to the caller's signal; undefined when there is none to stop. */
  dispose: (() => void) | undefined;
}

/** Who gets the worker function's progress reports: `run`'s listener, the map forms' item counts, or nobody. */
export type ProgressTarget = 'worker' | 'items' | 'none';

/** The base of Pool and ClusterPool (their shared public methods); not exported from the package by itself. */
export abstract class PoolApi<M, C extends CallLike> {
  /** The pool's name in error messages: `pool.map: ...`, `ClusterPool.map: ...`. */
  protected abstract readonly label: string;

  /** Why `method` may not submit work now (closed, terminated, a bad `fn`); `admitted` work (an imap begun before close) may after close. */
  protected abstract refusal(method: string, fn: unknown, admitted?: boolean): Error | undefined;

  /** A call's bookkeeping; an already-aborted `signal` leaves it cancelled before it submits anything. */
  protected abstract startCall(method: string, options: (CallOptions & ProgressOptions) | undefined, progress: ProgressTarget): C;

  /** Cancels `call` for AsyncResult.cancel(); false when it has finished or was cancelled already. */
  protected abstract cancelCall(call: C, reason: unknown): boolean;

  /** Submits one task, `fn(...args)`; settles with its result. */
  protected abstract submitOne(call: C, fn: unknown, args: unknown[]): Promise<unknown>;

  /** One task per chunk of `chunksize` argument lists (the pool's default when undefined); resolves to all results in order. */
  protected abstract submitChunked(call: C, fn: unknown, argLists: unknown[][], chunksize: number | undefined, onProgress: ProgressOptions['onProgress']): Promise<unknown[]>;

  /** What imap's engine needs of the pool: its window, whether it is closed, how a chunk is submitted and tracked. */
  protected abstract iterationHost(call: C, fn: string): Pick<IterationHost, 'window' | 'closed' | 'submit' | 'track' | 'iterations'>;

  /** Throws what submitting would reject with, for the methods that return at once. */
  protected check(method: string, fn: unknown): void {
    const refusal = this.refusal(method, fn);
    if (refusal) throw refusal;
  }

  /**
   * Runs `fn(...args)` on a worker; resolves to its result (Python's `apply`).
   * @throws {ArgumentError} (rejects) when `fn` is not a function of the worker module, or an argument cannot cross
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {Full} (rejects) a local Pool's, when its queue already holds `maxQueue` waiting tasks
   * @throws {WorkerStartError} (rejects) a local Pool's, when the worker module could not start
   * @throws {NotSharedError} (rejects) a local Pool's, when an argument is an array over non-shared memory
   * @throws {ClusterConnectionError} (rejects) a ClusterPool's, when Redis cannot be reached
   * @throws {WorkerDiedError} (rejects) when the worker died while it ran the task
   * @throws {Error} (rejects) with what `fn` threw, rebuilt as its class
   */
  apply<K extends FunctionName<M>>(fn: K, ...args: ArgsOf<M, K>): Promise<ResultOf<M, K>> {
    try {
      return this.submitOne(this.startCall('apply', undefined, 'none'), fn, args) as Promise<ResultOf<M, K>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `apply` with options (piscina's `run(task, { signal })`): cancellable through `signal`, its
   * `progress()` reports passed to `onProgress`.
   * @throws {ArgumentError} (rejects) when `fn`, `args` or an option is invalid
   * @throws {AbortError} (rejects) when `signal` aborts before the task finishes, or was already aborted
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {Full} (rejects) a local Pool's, when its queue already holds `maxQueue` waiting tasks
   * @throws {WorkerStartError} (rejects) a local Pool's, when the worker module could not start
   * @throws {NotSharedError} (rejects) a local Pool's, when an argument is an array over non-shared memory
   * @throws {ClusterConnectionError} (rejects) a ClusterPool's, when Redis cannot be reached
   * @throws {WorkerDiedError} (rejects) when the worker died while it ran the task
   * @throws {Error} (rejects) with what `fn` threw, rebuilt as its class
   */
  run<K extends FunctionName<M>>(fn: K, args: ArgsOf<M, K>, options?: RunOptions): Promise<ResultOf<M, K>> {
    try {
      this.#runOptions('run', args, options, []);
      return this.submitOne(this.startCall('run', options, 'worker'), fn, args) as Promise<ResultOf<M, K>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #runOptions(method: string, args: unknown, options: RunOptions | undefined, extra: string[]): void {
    checkOptionKeys(`${this.label}.${method}`, 'options', options, ['signal', 'onProgress', ...extra]);
    checkCallOptions(method, options);
    if (!Array.isArray(args)) throw new ArgumentError(`${this.label}.${method}: invalid argument 'args': expected an array of arguments, got ${show(args)}`);
  }

  /**
   * Like `run`, but returns at once with an AsyncResult (which `cancel()` can also cancel).
   * @throws {ArgumentError} when `fn`, `args` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   */
  applyAsync<K extends FunctionName<M>>(fn: K, args: ArgsOf<M, K>, options?: AsyncOptions<ResultOf<M, K>>): AsyncResult<ResultOf<M, K>> {
    this.check('applyAsync', fn);
    this.#runOptions('applyAsync', args, options, ['callback', 'errorCallback']);
    checkCallbacks('applyAsync', options);
    const call = this.startCall('applyAsync', options, 'worker');
    return this.#asyncResult(call, this.submitOne(call, fn, args) as Promise<ResultOf<M, K>>, options);
  }

  #asyncResult<T>(call: C, promise: Promise<T>, callbacks: AsyncCallbacks<T> | undefined): AsyncResult<T> {
    return new AsyncResult(promise, callbacks, (reason) => this.cancelCall(call, reason));
  }

  /**
   * `fn(item)` for every item, in input order (Python's `map`). The first failure rejects (the
   * other chunks go on). With `signal`, aborting cancels every chunk of the call.
   * @throws {ArgumentError} (rejects) when `fn`, `items` or an option is invalid
   * @throws {AbortError} (rejects) when `signal` aborts before the call finishes, or was already aborted
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {Full} (rejects) a local Pool's, when its queue already holds `maxQueue` waiting tasks
   * @throws {WorkerStartError} (rejects) a local Pool's, when the worker module could not start
   * @throws {NotSharedError} (rejects) a local Pool's, when an argument is an array over non-shared memory
   * @throws {ClusterConnectionError} (rejects) a ClusterPool's, when Redis cannot be reached
   * @throws {WorkerDiedError} (rejects) when a worker died while it ran a task
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  map<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]>, options?: MapOptions): Promise<Array<ResultOf<M, K>>> {
    try {
      return this.#mapLike('map', fn, items, false, options) as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * @throws {ArgumentError} when `fn`, `items` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   */
  mapAsync<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]>, options?: MapOptions & AsyncOptions<Array<ResultOf<M, K>>>): AsyncResult<Array<ResultOf<M, K>>> {
    return this.#mapLikeAsync('mapAsync', fn, items, false, options) as AsyncResult<Array<ResultOf<M, K>>>;
  }

  /**
   * `fn(...args)` for every argument list, in input order (Python's `starmap`); options as `map`'s.
   * @throws {ArgumentError} (rejects) when `fn`, `argLists` or an option is invalid
   * @throws {AbortError} (rejects) when `signal` aborts before the call finishes, or was already aborted
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {Full} (rejects) a local Pool's, when its queue already holds `maxQueue` waiting tasks
   * @throws {WorkerStartError} (rejects) a local Pool's, when the worker module could not start
   * @throws {NotSharedError} (rejects) a local Pool's, when an argument is an array over non-shared memory
   * @throws {ClusterConnectionError} (rejects) a ClusterPool's, when Redis cannot be reached
   * @throws {WorkerDiedError} (rejects) when a worker died while it ran a task
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  starmap<K extends FunctionName<M>>(fn: K, argLists: Iterable<ArgsOf<M, K>>, options?: MapOptions): Promise<Array<ResultOf<M, K>>> {
    try {
      return this.#mapLike('starmap', fn, argLists, true, options) as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * @throws {ArgumentError} when `fn`, `argLists` or an option is invalid
   * @throws {PoolStateError} when the pool is closed or terminated
   */
  starmapAsync<K extends FunctionName<M>>(fn: K, argLists: Iterable<ArgsOf<M, K>>, options?: MapOptions & AsyncOptions<Array<ResultOf<M, K>>>): AsyncResult<Array<ResultOf<M, K>>> {
    return this.#mapLikeAsync('starmapAsync', fn, argLists, true, options) as AsyncResult<Array<ResultOf<M, K>>>;
  }

  #mapLike(method: string, fn: unknown, items: unknown, star: boolean, options: MapOptions | undefined): Promise<unknown[]> {
    const lists = this.#argLists(method, items, star);
    const chunksize = this.#mapOptions(method, options);
    return this.submitChunked(this.startCall(method, options, 'items'), fn, lists, chunksize, options?.onProgress);
  }

  #mapLikeAsync(method: string, fn: unknown, items: unknown, star: boolean, options: (MapOptions & AsyncCallbacks<never>) | undefined): AsyncResult<unknown[]> {
    this.check(method, fn);
    const lists = this.#argLists(method, items, star);
    const chunksize = this.#mapOptions(method, options);
    const call = this.startCall(method, options, 'items');
    return this.#asyncResult(call, this.submitChunked(call, fn, lists, chunksize, options?.onProgress), options as AsyncCallbacks<unknown[]>);
  }

  /** Checks a map-like call's options (and an `...Async` form's callbacks); returns its chunksize, if given. */
  #mapOptions(method: string, options: (MapOptions & AsyncCallbacks<never>) | undefined): number | undefined {
    const keys = ['chunksize', 'signal', 'onProgress'];
    checkOptionKeys(`${this.label}.${method}`, 'options', options, method.endsWith('Async') ? [...keys, 'callback', 'errorCallback'] : keys);
    checkCallbacks(method, options);
    checkCallOptions(method, options);
    return options?.chunksize === undefined ? undefined : positiveInteger(`${this.label}.${method}`, 'options.chunksize', options.chunksize);
  }

  #argLists(method: string, items: unknown, star: boolean): unknown[][] {
    const name = star ? 'argLists' : 'items';
    if (items == null || typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError(`${this.label}.${method}: invalid argument '${name}': expected an iterable, got ${show(items)}`);
    }
    const lists: unknown[][] = [];
    let i = 0;
    for (const item of items as Iterable<unknown>) {
      if (star && !Array.isArray(item)) {
        throw new ArgumentError(`${this.label}.${method}: invalid argument 'argLists[${i}]': expected an array of arguments, got ${show(item)}`);
      }
      lists.push(star ? (item as unknown[]) : [item]);
      i++;
    }
    return lists;
  }

  /**
   * Results in input order as they become ready (Python's `imap`). Items are read lazily, with
   * at most twice the pool's threads of chunks in flight, so the input may be long or infinite.
   * As in Python, the call counts as submitted: after `close()` the rest of the input is read and
   * queued at once, and `join()` waits for it. With `signal`, aborting cancels the chunks in
   * flight, stops reading the input, and the iteration throws an AbortError.
   * @throws {ArgumentError} when `fn`, `items` or an option is invalid
   * @throws {AbortError} (from the iteration) when `signal` aborts before the iteration ends
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerDiedError} (from the iteration) when a worker died while it ran a task
   */
  imap<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]> | AsyncIterable<ArgsOf<M, K>[0]>, options?: IterateOptions): AsyncGenerator<ResultOf<M, K>, void, undefined> {
    return this.#iterate('imap', fn, items, options, true) as AsyncGenerator<ResultOf<M, K>, void, undefined>;
  }

  /**
   * Results in the order they finish (Python's `imap_unordered`); otherwise as `imap`.
   * @throws {ArgumentError} when `fn`, `items` or an option is invalid
   * @throws {AbortError} (from the iteration) when `signal` aborts before the iteration ends
   * @throws {PoolStateError} when the pool is closed or terminated
   * @throws {WorkerDiedError} (from the iteration) when a worker died while it ran a task
   */
  imapUnordered<K extends FunctionName<M>>(fn: K, items: Iterable<ArgsOf<M, K>[0]> | AsyncIterable<ArgsOf<M, K>[0]>, options?: IterateOptions): AsyncGenerator<ResultOf<M, K>, void, undefined> {
    return this.#iterate('imapUnordered', fn, items, options, false) as AsyncGenerator<ResultOf<M, K>, void, undefined>;
  }

  #iterate(method: string, fn: unknown, items: unknown, options: IterateOptions | undefined, ordered: boolean): AsyncGenerator<unknown, void, undefined> {
    this.check(method, fn);
    checkOptionKeys(`${this.label}.${method}`, 'options', options, ['chunksize', 'signal']);
    checkCallOptions(method, options);
    if (!isIterable(items)) throw new ArgumentError(`${this.label}.${method}: invalid argument 'items': expected an iterable or async iterable, got ${show(items)}`);
    const chunksize = options?.chunksize === undefined ? 1 : positiveInteger(`${this.label}.${method}`, 'options.chunksize', options.chunksize);
    const call = this.startCall(method, options, 'none');
    return iterate({
      ...this.iterationHost(call, fn as string),
      signal: options?.signal,
      cancelled: () => call.cancelled,
      finished: () => call.dispose?.(),
    }, chunksOf(items, chunksize), ordered);
  }

  /** `await using pool = ...` terminates the pool at the end of the scope, like Python's `with Pool()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }

  abstract terminate(): Promise<void>;
}
