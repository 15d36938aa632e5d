import { ArgumentError, TimeoutError, ValueError } from '../errors.js';
import { show } from '../check.js';
import { MAX_TIMER_MS } from './worker-thread.js';

export interface AsyncCallbacks<T> {
  /** Called with the result when it is ready (Python's `callback`). */
  callback?: ((value: T) => void) | undefined;
  /** Called with the error if the work fails (Python's `error_callback`). */
  errorCallback?: ((error: unknown) => void) | undefined;
}

/** Checks the callbacks of an `...Async` call before its work is queued. */
export function checkCallbacks(method: string, options: AsyncCallbacks<never> | undefined): void {
  for (const name of ['callback', 'errorCallback'] as const) {
    const value = options?.[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new ArgumentError(`pool.${method}: invalid argument 'options.${name}': expected a function, got ${show(value)}`);
    }
  }
}

/**
 * Runs a user's callback. One that throws is reported like a throwing event listener: as an
 * uncaught exception, not as a rejection of a promise nobody holds; the result itself stays
 * collectable. (Module-level: the bundle names each arrow a constructor makes, at a cost per call.)
 */
function report(fn: () => void): void {
  try { fn(); } catch (error) { queueMicrotask(() => { throw error; }); }
}

/**
 * The handle `applyAsync`/`mapAsync`/`starmapAsync` return, after Python's `AsyncResult`: start
 * work, do something else, collect later. A failure that nobody collects is not an unhandled
 * rejection; it waits in `get()`.
 */
export class AsyncResult<T> {
  readonly #promise: Promise<T>;
  readonly #cancel: (reason: unknown) => boolean;
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';

  /** @internal */
  constructor(promise: Promise<T>, callbacks: AsyncCallbacks<T> = {}, cancel: (reason: unknown) => boolean = () => false) {
    this.#promise = promise;
    this.#cancel = cancel;
    promise.then(
      (value) => { this.#state = 'fulfilled'; report(() => callbacks.callback?.(value)); },
      (error: unknown) => { this.#state = 'rejected'; report(() => callbacks.errorCallback?.(error)); },
    );
  }

  /**
   * Cancels the work as its call's `signal` would: queued tasks are removed, running ones stopped
   * (their workers terminated and replaced), and the result rejects with an AbortError whose
   * `cause` is `reason` (by default the DOMException an `AbortController.abort()` gives).
   * Returns whether there was work left to cancel: false once it has finished or was cancelled.
   */
  cancel(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): boolean {
    return this.#cancel(reason);
  }

  /** True once the work has finished, successfully or not. */
  ready(): boolean {
    return this.#state !== 'pending';
  }

  /**
   * Whether the work finished without an error; throws a ValueError if it is not ready yet.
   * @throws {ValueError} when the work has not finished yet
   */
  successful(): boolean {
    if (this.#state === 'pending') throw new ValueError('AsyncResult.successful: the result is not ready yet; await wait() or check ready() first');
    return this.#state === 'fulfilled';
  }

  /**
   * Resolves once the work is done or `timeoutMs` has passed, to `ready()`. Rejects only for a
   * bad `timeoutMs`: the work's own error is for `get()`.
   * @throws {ArgumentError} (rejects) when `timeoutMs` is not a number >= 0
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    await this.#race(timeoutMs).catch((error: unknown) => {
      if (error instanceof ArgumentError) throw error;
    });
    return this.ready();
  }

  /**
   * The result, or the work's error. With `timeoutMs`, rejects with a TimeoutError if the work is
   * not done by then (the work goes on; a later `get()` can still collect it).
   * @throws {TimeoutError} (rejects) when the work is not done within `timeoutMs`
   * @throws {AbortError} (rejects) when the work was cancelled (`cancel()`, or its call's `signal`)
   * @throws {ArgumentError} (rejects) when `timeoutMs` is not a number >= 0
   * @throws {Error} (rejects) with the work's own error (see `Pool.apply`)
   */
  async get(timeoutMs?: number): Promise<T> {
    return this.#race(timeoutMs);
  }

  #race(timeoutMs: number | undefined): Promise<T> {
    if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs >= 0))) {
      return Promise.reject(new ArgumentError(`AsyncResult: invalid argument 'timeoutMs': expected a number >= 0 (or Infinity), got ${show(timeoutMs)}`));
    }
    if (timeoutMs === undefined || timeoutMs === Infinity || this.#state !== 'pending') return this.#promise;
    let timer: NodeJS.Timeout | undefined;
    const deadline = performance.now() + timeoutMs;
    const timeout = new Promise<never>((_, reject) => {
      // setTimeout fires after 1 ms for delays of 2^31 ms or more, so long waits are chained.
      const arm = (delay: number): void => {
        timer = setTimeout(() => {
          const left = deadline - performance.now();
          if (left > 0) arm(left);
          else reject(new TimeoutError(`AsyncResult.get: the result was not ready within ${timeoutMs} ms`));
        }, Math.min(delay, MAX_TIMER_MS));
      };
      arm(timeoutMs);
    });
    return Promise.race([this.#promise, timeout]).finally(() => clearTimeout(timer));
  }
}
