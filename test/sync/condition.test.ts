import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  ArgumentError, Condition, Lock, Lockable, RLock, Semaphore, SyncStateError, TimeoutError, withLock, withLockAsync, zeros,
} from '../../src/index.js';
import { sleep, syncPool, until } from '../support/sync.js';

/**
 * Condition: the lock discipline (wait and notify need the lock; wait gives it up and takes it
 * back, however deep an RLock was entered), timeouts, waitFor, and notify(n) waking exactly the
 * n longest waiters among worker threads and async waiters on the main thread.
 */

const TIMEOUT_HELP = 'expected a timeout in milliseconds (a number >= 0, or undefined to wait forever)';

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

describe('Condition across threads', () => {
  /**
   * Starts waiters one at a time, each registered (it took its ordinal under the lock, and the
   * next can only take the lock once the previous one's wait released it) before the next
   * starts. `main` lists the ordinals that are async waiters on this thread instead of workers.
   */
  async function waiters(cond: Condition, count: number, main: number[] = []) {
    const pool = syncPool(count - main.length);
    const counts = zeros([2], 'int32');
    const woke = zeros([count], 'int32');
    const results: Array<Promise<{ ordinal: number; notified: boolean; owned: boolean }>> = [];
    for (let i = 0; i < count; i++) {
      if (main.includes(i)) {
        results.push((async () => {
          await cond.acquireAsync();
          try {
            const ordinal = Atomics.add(counts.data, 0, 1);
            await cond.waitAsync();
            Atomics.store(woke.data, ordinal, 1);
            Atomics.add(counts.data, 1, 1);
            return { ordinal, notified: true, owned: cond.lock.isOwned() };
          } finally {
            cond.release();
          }
        })());
      } else {
        results.push(pool.apply('conditionWaiter', cond, counts, woke, null));
      }
      await until(() => Atomics.load(counts.data, 0) === i + 1, `waiter ${i} is registered`);
    }
    // the last waiter took its ordinal holding the lock: the lock is ours only once it waits
    await cond.acquireAsync();
    cond.release();
    return { counts, woke, results, woken: () => Atomics.load(counts.data, 1) };
  }

  /** Takes the lock, notifies, lets go. */
  async function notify(cond: Condition, n: number): Promise<void> {
    await cond.acquireAsync();
    try {
      cond.notify(n);
    } finally {
      cond.release();
    }
  }

  it.each([
    ['RLock', () => new Condition()],
    ['Lock', () => new Condition(new Lock())],
  ])('over an %s: notify(n) wakes exactly the n longest waiters of four workers, then notifyAll the rest', async (_, make) => {
    const cond = make();
    const { woke, results, woken } = await waiters(cond, 4);
    await notify(cond, 2);
    await until(() => woken() === 2, 'two waiters woke');
    expect([...woke.data]).toEqual([1, 1, 0, 0]);
    // the others stay asleep (a check of the state some time on; it cannot fail by chance)
    await sleep(50);
    expect(woken()).toBe(2);
    await notify(cond, 1);
    await until(() => woken() === 3, 'a third waiter woke');
    expect([...woke.data]).toEqual([1, 1, 1, 0]);
    await notify(cond, 0);
    await sleep(20);
    expect(woken()).toBe(3);
    await cond.acquireAsync();
    cond.notifyAll();
    cond.release();
    const done = await Promise.all(results);
    expect(done.map((r) => r.ordinal)).toEqual([0, 1, 2, 3]);
    expect(done.every((r) => r.notified && r.owned)).toBe(true);
    expect(cond.lock.locked()).toBe(false);
  });

  it('workers blocked in wait() and async waiters on the main thread wake in the order they started waiting', async () => {
    const cond = new Condition();
    const { woke, results, woken } = await waiters(cond, 5, [1, 3]);
    for (let n = 1; n <= 5; n++) {
      await notify(cond, 1);
      await until(() => woken() === n, `${n} waiters woke`);
      expect([...woke.data]).toEqual([0, 1, 2, 3, 4].map((i) => (i < n ? 1 : 0)));
    }
    const done = await Promise.all(results);
    expect(done.map((r) => r.ordinal)).toEqual([0, 1, 2, 3, 4]);
    expect(done.every((r) => r.notified && r.owned)).toBe(true);
  });

  it('notify(n) with more than are waiting wakes them all; a timed-out waiter does not use up a notify', async () => {
    const pool = syncPool(3);
    const cond = new Condition();
    const counts = zeros([2], 'int32');
    const woke = zeros([4], 'int32');
    // ordinal 0 gives up after 30 ms
    const early = pool.apply('conditionWaiter', cond, counts, woke, 30);
    expect(await early).toEqual({ ordinal: 0, notified: false, owned: true });
    const rest = [1, 2].map(() => pool.apply('conditionWaiter', cond, counts, woke, null));
    await until(() => Atomics.load(counts.data, 0) === 3, 'two more waiters registered');
    await notify(cond, 1);
    await until(() => Atomics.load(counts.data, 1) === 2, 'one of them woke');
    expect([...woke.data].slice(0, 3)).toEqual([1, 1, 0]);
    await notify(cond, 10);
    const done = await Promise.all(rest);
    expect(done.map((r) => r.notified)).toEqual([true, true]);
  });

  it('waitFor in a worker re-checks its predicate on every notify until it holds', async () => {
    const pool = syncPool(2);
    const cond = new Condition(new Lock());
    const state = zeros([1], 'int32');
    const waiting = [pool.apply('waitForValue', cond, state, 0, 3, null), pool.apply('waitForValue', cond, state, 0, 3, 10_000)];
    for (let i = 1; i <= 3; i++) {
      await sleep(10);
      await cond.acquireAsync();
      state.data[0] = i;
      cond.notifyAll();
      cond.release();
    }
    expect(await Promise.all(waiting)).toEqual([3, 3]);
    // and gives the predicate's falsy value when it never holds
    expect(await pool.apply('waitForValue', cond, state, 0, 4, 20)).toBe(false);
  });

  it('waitForAsync on the main thread is woken by a worker that changes the state and notifies', async () => {
    const pool = syncPool(1);
    const cond = new Condition();
    const state = zeros([1], 'int32');
    await cond.acquireAsync();
    const waiting = cond.waitForAsync(() => Atomics.load(state.data, 0) === 2 && 'done', 10_000);
    const steps = await pool.apply('ops', { cond, state }, [
      ['cond', 'acquire'], ['worker', 'store', 'state', 0, 1], ['cond', 'notify'], ['cond', 'release'],
      ['cond', 'acquire'], ['worker', 'store', 'state', 0, 2], ['cond', 'notify'], ['cond', 'release'],
    ]);
    expect(steps.every((s) => s.error === undefined)).toBe(true);
    expect(await waiting).toBe('done');
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
  });
});
