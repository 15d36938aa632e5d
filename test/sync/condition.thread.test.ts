import { describe, expect, it } from 'vitest';
import { Condition, Lock, zeros } from '../../src/index.js';
import { sleep, sharedSyncPools, until } from '../support/sync.js';

/**
 * Condition: the lock discipline (wait and notify need the lock; wait gives it up and takes it
 * back, however deep an RLock was entered), timeouts, waitFor, and notify(n) waking exactly the
 * n longest waiters among worker threads and async waiters on the main thread.
 */

const syncPool = sharedSyncPools();

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
