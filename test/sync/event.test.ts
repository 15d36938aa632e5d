import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { ArgumentError, Event, TimeoutError } from '../../src/index.js';
import { TIMEOUT_HELP } from '../support/sync.js';

/** Event: the flag, timeouts, and set() waking every waiter, in workers and on the main thread. */

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
