import { describe, expect, it } from 'vitest';
import { Event, Semaphore, zeros } from '../../src/index.js';
import { outcomes, sleep, sharedSyncPools, until } from '../support/sync.js';

/** Semaphore and BoundedSemaphore: counting, bounds, errors, and waking exactly as many as released. */

const syncPool = sharedSyncPools();

describe('Semaphore across threads', () => {
  it('Semaphore(2) admits two workers and no third', async () => {
    const pool = syncPool(3);
    const s = new Semaphore(2);
    const inside = zeros([1], 'int32');
    const leave = new Event();
    const holders = [0, 1].map(() => pool.apply('ops', { s, inside, leave }, [
      ['s', 'acquire'], ['worker', 'add', 'inside', 0, 1], ['leave', 'wait'], ['s', 'release'],
    ]));
    await until(() => inside.data[0] === 2, 'two workers are inside');
    expect(s.getValue()).toBe(0);
    const third = await pool.apply('ops', { s }, [['s', 'acquire', { timeout: 50 }]]);
    expect(outcomes(third)).toEqual([false]);
    expect(third[0]!.ms).toBeGreaterThanOrEqual(49);
    leave.set();
    const done = (await Promise.all(holders)).map(outcomes);
    for (const results of done) expect(results).toEqual([true, expect.any(Number), true, undefined]);
    expect(done.map((results) => results[1]).sort()).toEqual([0, 1]);
    expect(s.getValue()).toBe(2);
  });

  it('release(n) lets exactly n blocked waiters through (workers and an async waiter on the main thread)', async () => {
    const pool = syncPool(3);
    const s = new Semaphore(0);
    const through = zeros([1], 'int32');
    const workers = [0, 1, 2].map(() => pool.apply('ops', { s, through }, [['s', 'acquire'], ['worker', 'add', 'through', 0, 1]]));
    let mainThrough = false;
    const main = s.acquireAsync().then(() => { mainThrough = true; });
    const passed = (): number => through.data[0]! + (mainThrough ? 1 : 0);
    s.release(2);
    await until(() => passed() === 2, 'two waiters got through');
    expect(s.getValue()).toBe(0);
    await sleep(50);
    expect(passed()).toBe(2);
    s.release();
    await until(() => passed() === 3, 'a third waiter got through');
    s.release(1);
    await Promise.all([...workers, main]);
    expect(passed()).toBe(4);
    expect(s.getValue()).toBe(0);
  });
});
