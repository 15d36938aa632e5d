import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  ArgumentError, Condition, Lock, Lockable, RLock, Semaphore, SyncStateError, TimeoutError, withLock, withLockAsync,
} from '../../src/index.js';
import { TIMEOUT_HELP } from '../support/sync.js';

/**
 * Condition: the lock discipline (wait and notify need the lock; wait gives it up and takes it
 * back, however deep an RLock was entered), timeouts, waitFor, and notify(n) waking exactly the
 * n longest waiters among worker threads and async waiters on the main thread.
 */

describe('Condition on one thread', () => {
  it('defaults to an RLock; takes a Lock or an RLock; refuses anything else', () => {
    expect(new Condition().lock).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(new Condition(lock).lock).toBe(lock);
    for (const bad of [5, {}, new Semaphore(), null]) {
      const error = thrown(() => new Condition(bad as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^Condition: invalid argument 'lock': expected a Lock or an RLock, got /);
    }
  });

  it('acquire/release/hold go to its lock', async () => {
    const cond = new Condition(new Lock());
    expect(cond.acquire()).toBe(true);
    expect(cond.lock.locked()).toBe(true);
    expect(cond.acquire({ block: false })).toBe(false);
    cond.release();
    await cond.acquireAsync();
    cond.release();
    const held = cond.hold();
    expect(cond.lock.locked()).toBe(true);
    held[Symbol.dispose]();
    (await cond.holdAsync())[Symbol.dispose]();
    expect(cond.lock.locked()).toBe(false);
  });

  it('is a Lockable: withLock, withLockAsync and hold take its lock', async () => {
    const cond = new Condition();
    expect(cond).toBeInstanceOf(Lockable);
    expect(withLock(cond, () => {
      cond.notifyAll(); // allowed: the lock is held
      return cond.lock.isOwned();
    })).toBe(true);
    expect(cond.lock.locked()).toBe(false);
    expect(await withLockAsync(cond, async () => {
      await Promise.resolve();
      return cond.wait(0);
    })).toBe(false);
    expect(cond.lock.locked()).toBe(false);
    const plain = new Condition(new Lock());
    plain.acquire();
    const error = thrown(() => plain.hold({ timeout: 1 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Condition.hold: not acquired within 1 ms');
    plain.release();
  });

  it('wait, waitFor and notify without the lock are SyncStateErrors', async () => {
    for (const cond of [new Condition(), new Condition(new Lock())]) {
      const waitError = thrown(() => cond.wait(0));
      expect(waitError).toBeInstanceOf(SyncStateError);
      expect(waitError.message).toBe("Condition.wait: cannot wait on un-acquired lock (acquire the condition's lock first)");
      expect((await rejection(cond.waitAsync(0))).message).toBe("Condition.waitAsync: cannot wait on un-acquired lock (acquire the condition's lock first)");
      for (const timeout of [undefined, 10, 0]) {
        // with a falsy predicate (Python's wait_for calls wait at least once, even for timeout 0)
        expect(thrown(() => cond.waitFor(() => false, timeout)).message).toBe("Condition.waitFor: cannot wait on un-acquired lock (acquire the condition's lock first)");
        expect((await rejection(cond.waitForAsync(() => false, timeout))).message).toBe("Condition.waitForAsync: cannot wait on un-acquired lock (acquire the condition's lock first)");
      }
      const notifyError = thrown(() => cond.notify());
      expect(notifyError).toBeInstanceOf(SyncStateError);
      expect(notifyError.message).toBe("Condition.notify: cannot notify on un-acquired lock (acquire the condition's lock first)");
      expect(thrown(() => cond.notifyAll())).toBeInstanceOf(SyncStateError);
      expect(cond.lock.locked()).toBe(false);
    }
  });

  it('wait(timeout) returns false after the timeout, holding the lock again; an RLock at its former depth', () => {
    const cond = new Condition();
    cond.acquire();
    cond.acquire();
    expect(cond.wait(10)).toBe(false);
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(cond.lock.locked()).toBe(false);
    expect(thrown(() => cond.release())).toBeInstanceOf(SyncStateError);
    const plain = new Condition(new Lock());
    plain.acquire();
    expect(plain.wait(0)).toBe(false);
    expect(plain.lock.locked()).toBe(true);
    plain.release();
  });

  it('waitAsync(timeout) rejects with TimeoutError, holding the lock again', async () => {
    const cond = new Condition();
    await cond.acquireAsync();
    const error = await rejection(cond.waitAsync(10));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Condition.waitAsync: timed out after 10 ms');
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(cond.lock.locked()).toBe(false);
  });

  it('waitFor returns a truthy predicate value at once, and the last falsy value after the timeout', () => {
    const cond = new Condition();
    cond.acquire();
    expect(cond.waitFor(() => 'ready')).toBe('ready');
    let calls = 0;
    expect(cond.waitFor(() => { calls++; return 0; }, 10)).toBe(0);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(cond.waitFor(() => '', 0)).toBe('');
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
  });

  it('waitForAsync resolves with a truthy predicate value and rejects with TimeoutError when it stays falsy', async () => {
    const cond = new Condition();
    await cond.acquireAsync();
    expect(await cond.waitForAsync(() => 42)).toBe(42);
    const error = await rejection(cond.waitForAsync(() => null, 10));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Condition.waitForAsync: timed out after 10 ms');
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
  });

  it('bad timeouts, predicates and notify counts are ArgumentErrors', async () => {
    const cond = new Condition();
    cond.acquire();
    for (const [timeout, shown] of [[-1, '-1'], [Number.NaN, 'NaN'], ['5', '"5"'], [{}, 'an object']] as const) {
      expect(thrown(() => cond.wait(timeout as never)).message).toBe(`Condition.wait: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
      expect((await rejection(cond.waitAsync(timeout as never))).message).toBe(`Condition.waitAsync: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
      expect(thrown(() => cond.waitFor(() => false, timeout as never)).message).toBe(`Condition.waitFor: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
      expect((await rejection(cond.waitForAsync(() => false, timeout as never))).message).toBe(`Condition.waitForAsync: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
    }
    const predicate = thrown(() => cond.waitFor(5 as never));
    expect(predicate).toBeInstanceOf(ArgumentError);
    expect(predicate.message).toBe("Condition.waitFor: invalid argument 'predicate': expected a function, got 5");
    expect((await rejection(cond.waitForAsync('x' as never))).message).toBe("Condition.waitForAsync: invalid argument 'predicate': expected a function, got \"x\"");
    for (const n of [-1, 1.5, Number.NaN, '1', -Infinity]) {
      const error = thrown(() => cond.notify(n as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^Condition\.notify: invalid argument 'n': expected an integer >= 0 or Infinity, got /);
    }
    cond.notify(0);
    cond.notify(5);
    cond.notify(Infinity);
    // none of that let go of the lock
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(cond.lock.locked()).toBe(false);
  });
});
