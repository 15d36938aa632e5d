import { TimeoutError, ValueError, show } from '../errors.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The handle `applyAsync`/`mapAsync`/`starmapAsync` return, after Python's `AsyncResult`: start
 * work, do something else, collect later. A failure that nobody collects is not an unhandled
 * rejection; it waits in `get()`.
 */
export class AsyncResult<T> {
  readonly #promise: Promise<T>;
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';

  /** @internal */
  constructor(promise: Promise<T>, callbacks: { callback?: ((value: T) => void) | undefined; errorCallback?: ((error: unknown) => void) | undefined } = {}) {
    this.#promise = promise;
    promise.then(
      (value) => { this.#state = 'fulfilled'; callbacks.callback?.(value); },
      (error: unknown) => { this.#state = 'rejected'; callbacks.errorCallback?.(error); },
    );
  }

  /** True once the work has finished, successfully or not. */
  ready(): boolean {
    return this.#state !== 'pending';
  }

  /** Whether the work finished without an error; throws a ValueError if it is not ready yet. */
  successful(): boolean {
    if (this.#state === 'pending') throw new ValueError('AsyncResult.successful: the result is not ready yet; await wait() or check ready() first');
    return this.#state === 'fulfilled';
  }

  /**
   * Resolves once the work is done or `timeoutMs` has passed, to `ready()`. Never rejects: the
   * work's own error is for `get()`.
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    await this.#race(timeoutMs).catch(() => {});
    return this.ready();
  }

  /**
   * The result, or the work's error. With `timeoutMs`, rejects with a TimeoutError if the work is
   * not done by then (the work goes on; a later `get()` can still collect it).
   */
  async get(timeoutMs?: number): Promise<T> {
    return this.#race(timeoutMs);
  }

  #race(timeoutMs: number | undefined): Promise<T> {
    if (timeoutMs === undefined || this.#state !== 'pending') return this.#promise;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      return Promise.reject(new ValueError(`AsyncResult: invalid argument 'timeoutMs': expected a number >= 0 (or Infinity), got ${show(timeoutMs)}`));
    }
    if (timeoutMs === Infinity) return this.#promise;
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
