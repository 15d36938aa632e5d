/**
 * What Lock, RLock, Semaphore, Condition and the synchronised sharedctypes have in common: an
 * acquire/release pair in a blocking and an async form, and the helpers that release on throw
 * (Python's `with lock:`).
 */
import { ArgumentError, OwnerDiedError, TimeoutError } from '../errors.js';
import { show } from '../check.js';
import type { BlockOptions } from './wait.js';

export abstract class Lockable {
  /**
   * Blocks until acquired (Atomics.wait: on the main thread this stalls the event loop; prefer
   * `acquireAsync` there). Returns false if `timeout` ms passed or `block` is false and it is held.
   */
  abstract acquire(options?: BlockOptions): boolean;
  /** Resolves once acquired; rejects with a TimeoutError when `timeout` ms pass first. Never blocks the event loop. */
  abstract acquireAsync(options?: BlockOptions): Promise<void>;
  abstract release(): void;

  /**
   * `using held = lock.hold()`: acquires (TimeoutError if it cannot) and releases at the end of the scope.
   * @throws {TimeoutError} when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} when `options` is malformed
   * @throws {OwnerDiedError} when the previous holder died holding it (the caller now holds it)
   */
  hold(options?: BlockOptions): Disposable {
    if (!this.acquire(options)) throw new TimeoutError(`${this.constructor.name}.hold: not acquired within ${options?.timeout ?? 0} ms`);
    return { [Symbol.dispose]: () => this.release() };
  }

  /**
   * `using held = await lock.holdAsync()`: the async form of `hold`.
   * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   * @throws {OwnerDiedError} (rejects) when the previous holder died holding it (the caller now holds it)
   */
  async holdAsync(options?: BlockOptions): Promise<Disposable> {
    await this.acquireAsync(options);
    return { [Symbol.dispose]: () => this.release() };
  }
}

function checkLockable(fn: string, lock: unknown, body: unknown): void {
  if (!(lock instanceof Lockable)) {
    throw new ArgumentError(`${fn}: invalid argument 'lock': expected a Lock, RLock, Semaphore, Condition or synchronized Value/Array, got ${show(lock)}`);
  }
  if (typeof body !== 'function') throw new ArgumentError(`${fn}: invalid argument 'fn': expected a function, got ${show(body)}`);
}

/** An OwnerDiedError leaves the lock held by us; a helper that owns the acquisition also owns that release. */
function releaseIfOwnerDied(lock: Lockable, error: unknown): never {
  if (error instanceof OwnerDiedError) lock.release();
  throw error;
}

/**
 * Runs `fn` holding `lock` (a blocking acquire), and releases it however `fn` ends. If the previous
 * holder died, the OwnerDiedError is thrown after the lock is released again, and `fn` does not run.
 * @throws {ArgumentError} when `lock` is not lockable, `fn` is not a function, or `fn` returned a promise
 * @throws {TimeoutError} when not acquired within `options.timeout` (or at once, `block: false`)
 * @throws {OwnerDiedError} when the previous holder died holding it (released again; `fn` did not run)
 * @throws {Error} what `fn` threw (after the release)
 */
export function withLock<T>(lock: Lockable, fn: () => T, options?: BlockOptions): T {
  checkLockable('withLock', lock, fn);
  let acquired: boolean;
  try {
    acquired = lock.acquire(options);
  } catch (error) {
    return releaseIfOwnerDied(lock, error);
  }
  if (!acquired) throw new TimeoutError(`withLock: not acquired within ${options?.timeout ?? 0} ms`);
  try {
    const result = fn();
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      throw new ArgumentError('withLock: invalid argument \'fn\': it returned a promise, and the lock would be released before it settles; use withLockAsync');
    }
    return result;
  } finally {
    lock.release();
  }
}

/**
 * `withLock` for async code: acquires with `acquireAsync` and releases when `fn`'s promise settles.
 * @throws {ArgumentError} (rejects) when `lock` is not lockable or `fn` is not a function
 * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
 * @throws {OwnerDiedError} (rejects) when the previous holder died holding it (released again; `fn` did not run)
 * @throws {Error} (rejects) with what `fn` threw or rejected with (after the release)
 */
export async function withLockAsync<T>(lock: Lockable, fn: () => T | Promise<T>, options?: BlockOptions): Promise<T> {
  checkLockable('withLockAsync', lock, fn);
  try {
    await lock.acquireAsync(options);
  } catch (error) {
    return releaseIfOwnerDied(lock, error);
  }
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
