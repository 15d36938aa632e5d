import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  ArgumentError, Lock, Lockable, RLock, Semaphore, SyncStateError, TimeoutError, withLock, withLockAsync,
} from '../../src/index.js';
import { TIMEOUT_HELP } from '../support/sync.js';

/**
 * Lock and RLock: their Python semantics on one thread and across worker threads (ownership,
 * re-entry, who may release), the argument checks with their exact messages, and the helpers
 * that release for the caller (withLock, withLockAsync, hold, holdAsync).
 */

describe('Lock on one thread', () => {
  it('acquire/release/locked, and a second acquire of a held lock fails without blocking', () => {
    const lock = new Lock();
    expect(lock).toBeInstanceOf(Lockable);
    expect(lock.locked()).toBe(false);
    expect(lock.acquire()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.isOwned()).toBe(true);
    // not re-entrant: its own holder cannot take it again
    expect(lock.acquire({ block: false })).toBe(false);
    expect(lock.acquire({ timeout: 0 })).toBe(false);
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.isOwned()).toBe(false);
    expect(lock.acquire({ block: false })).toBe(true);
    lock.release();
    expect(lock.acquire({ timeout: null })).toBe(true);
    lock.release();
    expect(lock.acquire({})).toBe(true);
    lock.release();
  });

  it('releasing an unlocked lock throws SyncStateError, and leaves it usable', () => {
    const lock = new Lock();
    const error = thrown(() => lock.release());
    expect(error).toBeInstanceOf(SyncStateError);
    expect(error.message).toBe('Lock.release: release unlocked lock');
    lock.acquire();
    lock.release();
    expect(thrown(() => lock.release())).toBeInstanceOf(SyncStateError);
    expect(lock.locked()).toBe(false);
  });

  it('acquireAsync resolves at once on a free lock and rejects with TimeoutError on a held one', async () => {
    const lock = new Lock();
    await expect(lock.acquireAsync()).resolves.toBeUndefined();
    const error = await rejection(lock.acquireAsync({ timeout: 20 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Lock.acquireAsync: timed out after 20 ms');
    const now = await rejection(lock.acquireAsync({ block: false }));
    expect(now).toBeInstanceOf(TimeoutError);
    expect(now.message).toBe('Lock.acquireAsync: timed out after 0 ms');
    expect(lock.locked()).toBe(true);
    lock.release();
  });

  it('acquireAsync on the same thread waits for a release by another async task', async () => {
    const lock = new Lock();
    lock.acquire();
    let acquired = false;
    const waiting = lock.acquireAsync().then(() => { acquired = true; });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acquired).toBe(false);
    lock.release();
    await waiting;
    expect(acquired).toBe(true);
    expect(lock.locked()).toBe(true);
    lock.release();
  });

  it.each([
    ['a negative timeout', { timeout: -1 }, `invalid argument 'options.timeout': ${TIMEOUT_HELP}, got -1`],
    ['a NaN timeout', { timeout: Number.NaN }, `invalid argument 'options.timeout': ${TIMEOUT_HELP}, got NaN`],
    ['a string timeout', { timeout: '10' }, `invalid argument 'options.timeout': ${TIMEOUT_HELP}, got "10"`],
    ['a bigint timeout', { timeout: 10n }, `invalid argument 'options.timeout': ${TIMEOUT_HELP}, got 10n`],
    ['a number for options', 100, "invalid argument 'options': expected an options object like { timeout: 100 }, got 100"],
    ['a boolean for options (Python-style blocking)', false, "invalid argument 'options': expected an options object like { timeout: 100 }, got false"],
    ['null for options', null, "invalid argument 'options': expected an options object like { timeout: 100 }, got null"],
    ['an array for options', [1], "invalid argument 'options': expected an options object like { timeout: 100 }, got [1]"],
    ['an unknown option', { timout: 5 }, "invalid argument 'options': unknown option \"timout\" (expected 'block', 'timeout')"],
    ['a non-boolean block', { block: 0 }, "invalid argument 'options.block': expected a boolean, got 0"],
  ])('%s is an ArgumentError, for every acquire form of every lock kind', async (_, options, message) => {
    for (const lock of [new Lock(), new RLock(), new Semaphore(1)]) {
      const name = lock.constructor.name;
      const sync = thrown(() => lock.acquire(options as never));
      expect(sync).toBeInstanceOf(ArgumentError);
      expect(sync.message).toBe(`${name}.acquire: ${message}`);
      const async = await rejection(lock.acquireAsync(options as never));
      expect(async).toBeInstanceOf(ArgumentError);
      expect(async.message).toBe(`${name}.acquireAsync: ${message}`);
      // nothing was taken
      expect(lock.acquire({ block: false })).toBe(true);
      lock.release();
    }
  });

  it('two Lock objects over one descriptor are one lock', () => {
    const a = new Lock();
    const b = Lock.fromDescriptor(a.toDescriptor());
    a.acquire();
    expect(b.locked()).toBe(true);
    expect(b.acquire({ block: false })).toBe(false);
    b.release(); // any thread, any object may release a Lock
    expect(a.locked()).toBe(false);
  });
});

describe('RLock on one thread', () => {
  it('is re-entrant: free again only after as many releases as acquires', async () => {
    const lock = new RLock();
    expect(lock.acquire()).toBe(true);
    expect(lock.acquire({ block: false })).toBe(true);
    expect(lock.acquire({ timeout: 0 })).toBe(true);
    await lock.acquireAsync();
    await lock.acquireAsync({ timeout: 0 });
    for (let i = 0; i < 4; i++) {
      lock.release();
      expect(lock.locked()).toBe(true);
      expect(lock.isOwned()).toBe(true);
    }
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.isOwned()).toBe(false);
  });

  it('releasing an RLock this thread does not hold throws SyncStateError', () => {
    const lock = new RLock();
    const error = thrown(() => lock.release());
    expect(error).toBeInstanceOf(SyncStateError);
    expect(error.message).toBe('RLock.release: cannot release un-acquired lock (this thread does not hold it)');
    lock.acquire();
    lock.release();
    expect(thrown(() => lock.release())).toBeInstanceOf(SyncStateError);
    expect(lock.acquire({ block: false })).toBe(true);
    lock.release();
  });
});

describe('withLock, withLockAsync, hold, holdAsync', () => {
  it('withLock runs fn holding the lock and releases it after a return or a throw', () => {
    for (const lock of [new Lock(), new RLock(), new Semaphore(1)]) {
      expect(withLock(lock, () => {
        expect(lock.acquire({ block: false })).toBe(lock instanceof RLock);
        if (lock instanceof RLock) lock.release();
        return 7;
      })).toBe(7);
      expect(lock.acquire({ block: false })).toBe(true);
      lock.release();
      const boom = new Error('boom');
      expect(thrown(() => withLock(lock, () => { throw boom; }))).toBe(boom);
      expect(lock.acquire({ block: false })).toBe(true);
      lock.release();
    }
  });

  it('withLock on a held lock: TimeoutError after the timeout, fn not run', () => {
    const lock = new Lock();
    lock.acquire();
    let ran = false;
    const error = thrown(() => withLock(lock, () => { ran = true; }, { timeout: 10 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('withLock: not acquired within 10 ms');
    expect(thrown(() => withLock(lock, () => { ran = true; }, { block: false })).message).toBe('withLock: not acquired within 0 ms');
    expect(ran).toBe(false);
    lock.release();
  });

  it('withLock refuses an fn that returns a promise, after releasing the lock', () => {
    const lock = new Lock();
    const error = thrown(() => withLock(lock, () => Promise.resolve(1)));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe("withLock: invalid argument 'fn': it returned a promise, and the lock would be released before it settles; use withLockAsync");
    expect(lock.locked()).toBe(false);
  });

  it('withLock and withLockAsync check their arguments', async () => {
    const lock = new Lock();
    const notLock = thrown(() => withLock({} as never, () => 1));
    expect(notLock).toBeInstanceOf(ArgumentError);
    expect(notLock.message).toBe("withLock: invalid argument 'lock': expected a Lock, RLock, Semaphore, Condition or synchronized Value/Array, got an object");
    expect(thrown(() => withLock(lock, 5 as never)).message).toBe("withLock: invalid argument 'fn': expected a function, got 5");
    expect((await rejection(withLockAsync(null as never, () => 1))).message)
      .toBe("withLockAsync: invalid argument 'lock': expected a Lock, RLock, Semaphore, Condition or synchronized Value/Array, got null");
    expect((await rejection(withLockAsync(lock, 'x' as never))).message).toBe("withLockAsync: invalid argument 'fn': expected a function, got \"x\"");
    expect(thrown(() => withLock(lock, () => 1, { timeout: -5 })).message).toBe(`Lock.acquire: invalid argument 'options.timeout': ${TIMEOUT_HELP}, got -5`);
    expect(lock.locked()).toBe(false);
  });

  it('withLockAsync holds the lock across awaits, releases after a rejection, and times out with TimeoutError', async () => {
    const lock = new Lock();
    const order: string[] = [];
    const first = withLockAsync(lock, async () => {
      order.push('first in');
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('first out');
      return 1;
    });
    const second = withLockAsync(lock, () => { order.push('second'); return 2; });
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(order).toEqual(['first in', 'first out', 'second']);
    const boom = new Error('boom');
    expect(await rejection(withLockAsync(lock, async () => { throw boom; }))).toBe(boom);
    expect(lock.locked()).toBe(false);
    lock.acquire();
    const error = await rejection(withLockAsync(lock, () => 3, { timeout: 15 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Lock.acquireAsync: timed out after 15 ms');
    lock.release();
  });

  it('hold/holdAsync return a Disposable that releases; hold throws TimeoutError when not acquired', async () => {
    const lock = new Lock();
    const held = lock.hold();
    expect(lock.locked()).toBe(true);
    const error = thrown(() => lock.hold({ timeout: 5 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Lock.hold: not acquired within 5 ms');
    expect(thrown(() => lock.hold({ block: false })).message).toBe('Lock.hold: not acquired within 0 ms');
    held[Symbol.dispose]();
    expect(lock.locked()).toBe(false);
    const heldAsync = await lock.holdAsync();
    expect(lock.locked()).toBe(true);
    expect(await rejection(lock.holdAsync({ timeout: 5 }))).toBeInstanceOf(TimeoutError);
    heldAsync[Symbol.dispose]();
    expect(lock.locked()).toBe(false);
    const rlock = new RLock();
    const outer = rlock.hold();
    const inner = rlock.hold();
    inner[Symbol.dispose]();
    expect(rlock.isOwned()).toBe(true);
    outer[Symbol.dispose]();
    expect(rlock.locked()).toBe(false);
  });
});
