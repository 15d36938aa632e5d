import { describe, expect, it } from 'vitest';
import {
  Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore, withLockAsync, zeros, type Lockable,
} from '../../src/index.js';
import { expectHonoured, sleep, sleepers, sharedSyncPools, until } from '../support/sync.js';

/**
 * Many threads at once, each test a few seconds at most on two cores, with a pool of four
 * workers: mutual exclusion, semaphore admission, barrier cycles, condition and event wake-ups,
 * and timeouts under load, mixing blocking waits in workers with async waits on this thread.
 */

const syncPool = sharedSyncPools();

const WORKERS = 4;

describe('mutual exclusion', () => {
  it.each([
    ['Lock', () => new Lock()],
    ['RLock', () => new RLock()],
    ['Semaphore(1)', () => new Semaphore(1)],
    ['BoundedSemaphore(1)', () => new BoundedSemaphore(1)],
  ] as Array<[string, () => Lockable]>)('a counter incremented under a %s by eight tasks on four workers ends exact', async (_, make) => {
    const pool = syncPool(WORKERS);
    const lock = make();
    const counter = zeros([1], 'int32');
    const n = 5_000;
    const tasks = Array.from({ length: 2 * WORKERS }, () => pool.apply('increment', lock, counter, n));
    expect(await Promise.all(tasks)).toEqual(Array(2 * WORKERS).fill(n));
    expect(counter.data[0]).toBe(2 * WORKERS * n);
  });

  it('workers blocking and the main thread awaiting the same lock: every increment counts', async () => {
    const pool = syncPool(WORKERS);
    const lock = new Lock();
    const counter = zeros([1], 'int32');
    const n = 5_000;
    const mine = 300;
    const tasks = Array.from({ length: WORKERS }, () => pool.apply('increment', lock, counter, n));
    const a = counter.data;
    for (let i = 0; i < mine; i++) {
      await withLockAsync(lock, async () => {
        const before = a[0]!;
        // yield while holding the lock: no worker may slip in
        await Promise.resolve();
        a[0] = before + 1;
      });
    }
    await Promise.all(tasks);
    expect(a[0]).toBe(WORKERS * n + mine);
  });

  it('without a lock the same increments may race (no loss is asserted, only that the run completes)', async () => {
    const pool = syncPool(WORKERS);
    const counter = zeros([1], 'int32');
    const n = 5_000;
    await Promise.all(Array.from({ length: WORKERS }, () => pool.apply('increment', null, counter, n)));
    expect(counter.data[0]).toBeGreaterThan(0);
    expect(counter.data[0]).toBeLessThanOrEqual(WORKERS * n);
  });
});

describe('semaphore admission', () => {
  it.each([1, 2, 3])('Semaphore(%i) never admits more than that many of four workers at once', async (k) => {
    const pool = syncPool(WORKERS);
    for (const semaphore of [new Semaphore(k), new BoundedSemaphore(k)]) {
      // [inside now, most inside at once]
      const stats = zeros([2], 'int32');
      const rounds = 2_000;
      expect(await Promise.all(Array.from({ length: WORKERS }, () => pool.apply('semaphoreRounds', semaphore, stats, rounds)))).toEqual(Array(WORKERS).fill(rounds));
      expect(stats.data[1]).toBeGreaterThanOrEqual(1);
      expect(stats.data[1]).toBeLessThanOrEqual(k);
      expect(stats.data[0]).toBe(0);
      expect(semaphore.getValue()).toBe(k);
    }
  });
});

describe('barrier cycles', () => {
  /** Checks what barrierCycles returned: no failed check, and distinct indices 0..parties-1 in every cycle. */
  function expectCycles(results: Array<{ indices: number[]; failures: number }>, parties: number, cycles: number): void {
    for (const { indices, failures } of results) {
      expect(failures).toBe(0);
      expect(indices).toHaveLength(cycles);
    }
    for (let cycle = 0; cycle < cycles; cycle++) {
      expect(results.map((r) => r.indices[cycle]).sort()).toEqual(Array.from({ length: parties }, (_, i) => i));
    }
  }

  it('four workers pass 300 cycles together: all reach each cycle, distinct indices, the action once per cycle', async () => {
    const pool = syncPool(WORKERS);
    const barrier = new Barrier(WORKERS);
    const progress = zeros([WORKERS], 'int32');
    const actions = zeros([2], 'int32');
    const cycles = 300;
    const results = await Promise.all(Array.from({ length: WORKERS }, (_, me) => pool.apply('barrierCycles', barrier, progress, actions, me, cycles)));
    expectCycles(results, WORKERS, cycles);
    expect(actions.data[0]).toBe(cycles);
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
  });

  it('four workers blocking and the main thread awaiting as the fifth party, over 100 cycles', async () => {
    const pool = syncPool(WORKERS);
    const parties = WORKERS + 1;
    const barrier = new Barrier(parties);
    const progress = zeros([parties], 'int32');
    const actions = zeros([2], 'int32');
    const cycles = 100;
    const tasks = Array.from({ length: WORKERS }, (_, me) => pool.apply('barrierCycles', barrier, progress, actions, me, cycles));
    // this thread's party (the workers check its progress with everyone's), with its own action
    let cycle = 0;
    barrier.action = () => {
      Atomics.add(actions.data, 0, 1);
      Atomics.store(actions.data, 1, cycle);
    };
    const mine = { indices: [] as number[], failures: 0 };
    for (cycle = 1; cycle <= cycles; cycle++) {
      Atomics.store(progress.data, WORKERS, cycle);
      mine.indices.push(await barrier.waitAsync(10_000));
    }
    expectCycles([...(await Promise.all(tasks)), mine], parties, cycles);
    expect(actions.data[0]).toBe(cycles);
  });
});

describe('condition wake-ups', () => {
  it('over 40 rounds, notify(1), notify(2), notifyAll wake exactly that many of four waiting workers, oldest first', async () => {
    const pool = syncPool(WORKERS);
    const cond = new Condition();
    // [registered, woken, round, failures]
    const counts = zeros([4], 'int32');
    const c = counts.data;
    const rounds = 40;
    const tasks = Array.from({ length: WORKERS }, () => pool.apply('conditionRounds', cond, counts, rounds));
    /** Takes the lock once `ready` holds under it, runs `then` holding it. */
    const whenHolding = async (ready: () => boolean, then: () => void): Promise<void> => {
      for (;;) {
        await cond.acquireAsync();
        try {
          if (ready()) return then();
        } finally {
          cond.release();
        }
        await sleep(1);
      }
    };
    for (let round = 0; round < rounds; round++) {
      const base = WORKERS * round;
      // every waiter of this round registered; the lock is ours, so the last of them waits
      await whenHolding(() => Atomics.load(c, 0) >= base + WORKERS, () => {
        Atomics.store(c, 2, round);
        cond.notify(1);
      });
      await until(() => Atomics.load(c, 1) === base + 1, `round ${round}: one woke`);
      await whenHolding(() => true, () => cond.notify(2));
      await until(() => Atomics.load(c, 1) === base + 3, `round ${round}: three woke`);
      // the woken already wait again for the next round: notifyAll would wake them too, so wake
      // the one left with notify(1), which must pick it as the oldest
      await whenHolding(() => true, () => cond.notify(1));
      await until(() => Atomics.load(c, 1) === base + WORKERS, `round ${round}: all woke`);
      expect(Atomics.load(c, 3)).toBe(0);
    }
    expect(await Promise.all(tasks)).toEqual(Array(WORKERS).fill(rounds));
    expect(Atomics.load(c, 1)).toBe(WORKERS * rounds);
    expect(Atomics.load(c, 3)).toBe(0);
  });

  it('notifyAll wakes every one of four waiting workers, round after round', async () => {
    const pool = syncPool(WORKERS);
    const cond = new Condition(new Lock());
    const counts = zeros([4], 'int32');
    const c = counts.data;
    const rounds = 40;
    const tasks = Array.from({ length: WORKERS }, () => pool.apply('conditionRounds', cond, counts, rounds));
    for (let round = 0; round < rounds; round++) {
      for (;;) {
        await cond.acquireAsync();
        const ready = Atomics.load(c, 0) === WORKERS * (round + 1);
        if (ready) {
          Atomics.store(c, 2, round);
          cond.notifyAll();
        }
        cond.release();
        if (ready) break;
        await sleep(1);
      }
      await until(() => Atomics.load(c, 1) === WORKERS * (round + 1), `round ${round}: all woke`);
    }
    await Promise.all(tasks);
    expect(Atomics.load(c, 3)).toBe(0);
  });
});

describe('event wake-ups', () => {
  it('over 40 rounds, set() wakes all four sleeping workers, also when clear() follows at once', async () => {
    const pool = syncPool(WORKERS);
    const event = new Event();
    const barrier = new Barrier(WORKERS + 1);
    // [woken, waits that returned false]
    const counts = zeros([2], 'int32');
    const rounds = 40;
    const tasks = Array.from({ length: WORKERS }, () => pool.apply('eventRounds', event, barrier, counts, rounds));
    for (let round = 0; round < rounds; round++) {
      await until(() => sleepers(event) === WORKERS, `round ${round}: all four sleep on the event`);
      const main = event.waitAsync(10_000);
      event.set();
      if (round % 2 === 1) event.clear(); // a pulse
      await main;
      await until(() => Atomics.load(counts.data, 0) === WORKERS * (round + 1), `round ${round}: all four woke`);
      event.clear();
      await barrier.waitAsync(10_000);
    }
    expect(await Promise.all(tasks)).toEqual(Array(WORKERS).fill(rounds));
    expect([...counts.data]).toEqual([WORKERS * rounds, 0]);
  });
});

describe('timeouts under load', () => {
  it('four workers each time out 30 times on a held lock while the main thread awaits it: all honoured', async () => {
    const pool = syncPool(WORKERS);
    const lock = new Lock();
    lock.acquire();
    const lists = Array.from({ length: WORKERS }, (_, w) => Array.from({ length: 30 }, (_, i) => (i * 7 + w * 3) % 11));
    const tasks = lists.map((list) => pool.apply('timeouts', lock, 'lock', list));
    const start = performance.now();
    const mine = await lock.acquireAsync({ timeout: 100 }).then(() => 'acquired', (error: Error) => error.name);
    expect(mine).toBe('TimeoutError');
    expectHonoured(performance.now() - start, 100);
    for (const results of await Promise.all(tasks)) {
      for (const { timeout, value, ms } of results) {
        expect(value).toBe(false);
        expectHonoured(ms, timeout);
      }
    }
    lock.release();
  });
});
