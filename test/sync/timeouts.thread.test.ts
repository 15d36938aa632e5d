import { describe, expect, it } from 'vitest';
import {
  Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, Lock, RLock, Semaphore, TimeoutError, withLock, withLockAsync,
} from '../../src/index.js';
import {
  expectHonoured, sharedSyncPools, ticking, timed, timedAsync,
} from '../support/sync.js';

/**
 * Every timeout is honoured: never earlier than asked (less 1 ms of rounding), and not much later
 * (SLACK_MS on this noisy machine), for the blocking forms on the main thread and in workers and
 * for the async forms, which must also leave the event loop running while they wait.
 *
 * The blocking forms on the main thread run one at a time: they block the event loop. The async
 * forms and the workers' blocking forms wait without blocking it, so they run concurrently.
 */

const syncPool = sharedSyncPools();

const TIMEOUTS = [0, 1, 5, 20, 60];

let held = 0;

/**
 * A Lock or RLock held by a worker (which keeps it) until `release` is called. Under a name of its
 * own: tests that run at once keep theirs in the same worker.
 */
async function heldByWorker<L extends Lock | RLock>(lock: L): Promise<{ lock: L; release(): Promise<unknown> }> {
  const pool = syncPool(1);
  const name = `lock${++held}`;
  await pool.apply('ops', { [name]: lock }, [[name, 'acquire'], ['worker', 'keep', name]]);
  return { lock, release: () => pool.apply('ops', {}, [[name, 'release']]) };
}

describe('blocking forms on the main thread', () => {
  it.each([
    ['Lock.acquire (held by this thread)', () => { const l = new Lock(); l.acquire(); return (t: number) => l.acquire({ timeout: t }); }, false],
    ['Semaphore.acquire (at 0)', () => { const s = new Semaphore(0); return (t: number) => s.acquire({ timeout: t }); }, false],
    ['BoundedSemaphore.acquire (at 0)', () => { const s = new BoundedSemaphore(0); return (t: number) => s.acquire({ timeout: t }); }, false],
    ['Event.wait (unset)', () => { const e = new Event(); return (t: number) => e.wait(t); }, false],
    ['Condition.wait', () => { const c = new Condition(); c.acquire(); return (t: number) => c.wait(t); }, false],
    ['Condition.waitFor', () => { const c = new Condition(new Lock()); c.acquire(); return (t: number) => c.waitFor(() => 0, t); }, 0],
    ['Barrier.wait (throws)', () => {
      const b = new Barrier(2);
      return (t: number) => { try { return b.wait(t); } catch (error) { b.reset(); return (error as Error).name; } };
    }, 'BrokenBarrierError'],
    ['withLock (TimeoutError)', () => {
      const l = new Lock(); l.acquire();
      return (t: number) => { try { return withLock(l, () => 1, { timeout: t }); } catch (error) { return (error as Error).name; } };
    }, 'TimeoutError'],
    ['Lock.hold (TimeoutError)', () => {
      const l = new Lock(); l.acquire();
      return (t: number) => { try { return l.hold({ timeout: t }); } catch (error) { return (error as Error).name; } };
    }, 'TimeoutError'],
  ] as Array<[string, () => (timeout: number) => unknown, unknown]>)('%s', (_, setup, expected) => {
    const call = setup();
    for (const timeout of TIMEOUTS) {
      const { value, ms } = timed(() => call(timeout));
      expect(value).toBe(expected);
      expectHonoured(ms, timeout);
    }
  });

  it('RLock.acquire (held by a worker)', async () => {
    const { lock, release } = await heldByWorker(new RLock());
    for (const timeout of TIMEOUTS) {
      const { value, ms } = timed(() => lock.acquire({ timeout }));
      expect(value).toBe(false);
      expectHonoured(ms, timeout);
    }
    await release();
    expect(lock.acquire({ timeout: 1000 })).toBe(true);
    lock.release();
  });
});

describe.concurrent('async forms on the main thread: honoured, and the event loop keeps running', () => {
  it.each([
    ['Lock.acquireAsync', () => { const l = new Lock(); l.acquire(); return (t: number) => l.acquireAsync({ timeout: t }); }, TimeoutError],
    ['Semaphore.acquireAsync', () => { const s = new Semaphore(0); return (t: number) => s.acquireAsync({ timeout: t }); }, TimeoutError],
    ['Event.waitAsync', () => { const e = new Event(); return (t: number) => e.waitAsync(t); }, TimeoutError],
    ['Condition.waitAsync', () => { const c = new Condition(); c.acquire(); return (t: number) => c.waitAsync(t); }, TimeoutError],
    ['Condition.waitForAsync', () => { const c = new Condition(); c.acquire(); return (t: number) => c.waitForAsync(() => false, t); }, TimeoutError],
    ['Barrier.waitAsync', () => {
      const b = new Barrier(3);
      return (t: number) => b.waitAsync(t).finally(() => b.reset());
    }, BrokenBarrierError],
    ['withLockAsync', () => { const l = new Lock(); l.acquire(); return (t: number) => withLockAsync(l, () => 1, { timeout: t }); }, TimeoutError],
    ['Lock.holdAsync', () => { const l = new Lock(); l.acquire(); return (t: number) => l.holdAsync({ timeout: t }); }, TimeoutError],
  ] as Array<[string, () => (timeout: number) => Promise<unknown>, new () => Error]>)('%s', async (_, setup, errorClass) => {
    const call = setup();
    for (const timeout of [...TIMEOUTS, 100]) {
      const { value: { error, ms }, ticks } = await ticking(() => timedAsync(() => call(timeout)));
      expect(error).toBeInstanceOf(errorClass);
      expectHonoured(ms, timeout);
      // a 5 ms interval ticked while a 100 ms wait was pending: nothing blocked the thread. A
      // blocked one ticks at most once (libuv runs a late interval once, not per missed period);
      // a loaded machine may run the loop only a few times in 100 ms, so 2 and not more
      if (timeout === 100) expect(ticks).toBeGreaterThanOrEqual(2);
    }
  });

  it('RLock.acquireAsync (held by a worker)', async () => {
    const { lock, release } = await heldByWorker(new RLock());
    for (const timeout of [...TIMEOUTS, 100]) {
      const { value: { error, ms }, ticks } = await ticking(() => timedAsync(() => lock.acquireAsync({ timeout })));
      expect(error).toBeInstanceOf(TimeoutError);
      expectHonoured(ms, timeout);
      if (timeout === 100) expect(ticks).toBeGreaterThanOrEqual(2);
    }
    await release();
  });

  it('timeouts longer than a timer can hold (2**31 ms and more) wait instead of firing at once', async () => {
    const { lock, release } = await heldByWorker(new Lock());
    const event = new Event();
    const semaphore = new Semaphore(0);
    const waits = [lock.acquireAsync({ timeout: 2 ** 31 }), event.waitAsync(2 ** 32 + 5), semaphore.acquireAsync({ timeout: 1e12 })];
    let settled = 0;
    for (const wait of waits) void wait.then(() => settled++, () => settled++);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(0);
    await release();
    event.set();
    semaphore.release();
    await Promise.all(waits);
    lock.release();
  });
});

describe.concurrent('blocking forms in workers', () => {
  it.each([
    ['Lock (held by the main thread)', 'lock', () => { const l = new Lock(); l.acquire(); return l; }, false],
    ['RLock (held by the main thread)', 'rlock', () => { const l = new RLock(); l.acquire(); return l; }, false],
    ['Semaphore at 0', 'semaphore', () => new Semaphore(0), false],
    ['Event', 'event', () => new Event(), false],
    ['Condition.wait', 'condition', () => new Condition(), false],
    ['Condition.waitFor', 'waitFor', () => new Condition(new Lock()), 0],
    ['Barrier.wait', 'barrier', () => new Barrier(2), 'BrokenBarrierError'],
  ] as Array<[string, string, () => unknown, unknown]>)('%s', async (_, what, make, expected) => {
    // the file's four workers: these tests run at once
    const pool = syncPool(4);
    const results = await pool.apply('timeouts', make(), what, TIMEOUTS);
    expect(results.map((r) => r.timeout)).toEqual(TIMEOUTS);
    for (const { timeout, value, ms } of results) {
      expect(value).toBe(expected);
      expectHonoured(ms, timeout);
    }
  });

  it('four workers timing out at once, on the same lock, each honour their own timeout', async () => {
    const pool = syncPool(4);
    const lock = new Lock();
    lock.acquire();
    const lists = [[5, 40, 15], [30, 0, 10], [20, 20, 1], [60, 5, 25]];
    const all = await Promise.all(lists.map((list) => pool.apply('timeouts', lock, 'lock', list)));
    for (const results of all) {
      for (const { timeout, value, ms } of results) {
        expect(value).toBe(false);
        expectHonoured(ms, timeout);
      }
    }
    lock.release();
  });
});
