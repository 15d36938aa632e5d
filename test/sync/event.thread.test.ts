import { describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { Event, TimeoutError } from '../../src/index.js';
import { outcomes, sleepers, sharedSyncPools, until } from '../support/sync.js';

/** Event: the flag, timeouts, and set() waking every waiter, in workers and on the main thread. */

const syncPool = sharedSyncPools();

describe('Event across threads', () => {
  it('set() wakes every waiter: four workers blocked in wait() and two async waiters on the main thread', async () => {
    const pool = syncPool(4);
    const event = new Event();
    const workers = [0, 1, 2, 3].map(() => pool.apply('ops', { event }, [['event', 'wait']]));
    await until(() => sleepers(event) === 4, 'all four workers sleep in wait()');
    const main = [event.waitAsync(), event.waitAsync(10_000)];
    event.set();
    for (const results of await Promise.all(workers)) expect(outcomes(results)).toEqual([true]);
    await Promise.all(main);
  });

  it('a worker sets the event the main thread awaits, and sees the main thread clear it', async () => {
    const pool = syncPool(1);
    const event = new Event();
    const waiting = event.waitAsync(10_000);
    expect(outcomes(await pool.apply('ops', { event }, [['event', 'set']]))).toEqual([undefined]);
    await waiting;
    event.clear();
    expect(outcomes(await pool.apply('ops', { event }, [['event', 'isSet'], ['event', 'wait', 10]]))).toEqual([false, false]);
  });

  it('set() then clear() at once still wakes every waiter with true (the flag was set while they waited)', async () => {
    const pool = syncPool(3);
    const event = new Event();
    const workers = [0, 1, 2].map(() => pool.apply('ops', { event }, [['event', 'wait', 5_000]]));
    await until(() => sleepers(event) === 3, 'all three workers sleep in wait()');
    const main = event.waitAsync(5_000).then(() => true, (error: unknown) => error);
    event.set();
    event.clear();
    for (const results of await Promise.all(workers)) expect(outcomes(results)).toEqual([true]);
    expect(await main).toBe(true);
    expect(event.isSet()).toBe(false);
  });

  it('set() then clear() before a waiter starts does not count for it', async () => {
    const event = new Event();
    event.set();
    event.clear();
    expect(event.wait(5)).toBe(false);
    expect(await rejection(event.waitAsync(5))).toBeInstanceOf(TimeoutError);
  });
});
