import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { ArgumentError, Event, TimeoutError } from '../../src/index.js';
import { sleepers, syncPool, until, type StepResult } from '../support/sync.js';

/** Event: the flag, timeouts, and set() waking every waiter, in workers and on the main thread. */

const TIMEOUT_HELP = 'expected a timeout in milliseconds (a number >= 0, or undefined to wait forever)';

const outcomes = (results: StepResult[]): unknown[] => results.map((r) => (r.error === undefined ? r.value : r.error));

describe('Event on one thread', () => {
  it('set/clear/isSet; wait returns true at once when set and false after the timeout when not', async () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    expect(event.wait(0)).toBe(false);
    expect(event.wait(5)).toBe(false);
    event.set();
    event.set();
    expect(event.isSet()).toBe(true);
    expect(event.wait()).toBe(true);
    expect(event.wait(null)).toBe(true);
    expect(event.wait(0)).toBe(true);
    await event.waitAsync();
    await event.waitAsync(0);
    event.clear();
    event.clear();
    expect(event.isSet()).toBe(false);
    const error = await rejection(event.waitAsync(5));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Event.waitAsync: timed out after 5 ms');
    expect((await rejection(event.waitAsync(0))).message).toBe('Event.waitAsync: timed out after 0 ms');
  });

  it('bad timeouts are ArgumentErrors', async () => {
    const event = new Event();
    event.set(); // even when no wait would be needed
    for (const [timeout, shown] of [[-1, '-1'], [Number.NaN, 'NaN'], ['1', '"1"'], [true, 'true']] as const) {
      const error = thrown(() => event.wait(timeout as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toBe(`Event.wait: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
      expect((await rejection(event.waitAsync(timeout as never))).message).toBe(`Event.waitAsync: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
    }
  });

  it('waitAsync resolves when another async task sets the event', async () => {
    const event = new Event();
    const waiting = event.waitAsync(10_000);
    setTimeout(() => event.set(), 10);
    await waiting;
    expect(event.isSet()).toBe(true);
  });
});

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
