import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { ArgumentError, BoundedSemaphore, Semaphore, SyncStateError, TimeoutError } from '../../src/index.js';

/** Semaphore and BoundedSemaphore: counting, bounds, errors, and waking exactly as many as released. */

const MAX = 2 ** 31 - 1;

describe('Semaphore on one thread', () => {
  it('counts down on acquire and up on release; at 0 it does not admit', async () => {
    const s = new Semaphore(2);
    expect(s.getValue()).toBe(2);
    expect(s.acquire()).toBe(true);
    expect(s.acquire({ block: false })).toBe(true);
    expect(s.getValue()).toBe(0);
    expect(s.acquire({ block: false })).toBe(false);
    expect(s.acquire({ timeout: 5 })).toBe(false);
    const error = await rejection(s.acquireAsync({ timeout: 5 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('Semaphore.acquireAsync: timed out after 5 ms');
    s.release(2);
    expect(s.getValue()).toBe(2);
    await s.acquireAsync();
    expect(s.getValue()).toBe(1);
    expect(new Semaphore().getValue()).toBe(1);
    expect(new Semaphore(0).acquire({ block: false })).toBe(false);
  });

  it('an unbounded Semaphore may be released past its initial value, up to 2**31 - 1', () => {
    const s = new Semaphore(0);
    s.release();
    s.release(10);
    expect(s.getValue()).toBe(11);
    const full = new Semaphore(MAX);
    const error = thrown(() => full.release());
    expect(error).toBeInstanceOf(SyncStateError);
    expect(error.message).toBe(`Semaphore.release: value ${MAX} + 1 would exceed ${MAX}`);
    expect(full.getValue()).toBe(MAX);
  });

  it('a BoundedSemaphore refuses a release past its initial value, and changes nothing', async () => {
    const s = new BoundedSemaphore(2);
    expect(s).toBeInstanceOf(Semaphore);
    const error = thrown(() => s.release());
    expect(error).toBeInstanceOf(SyncStateError);
    expect(error.message).toBe('BoundedSemaphore.release: semaphore released too many times (value 2 + 1 would exceed its bound 2)');
    s.acquire();
    expect(thrown(() => s.release(2)).message).toBe('BoundedSemaphore.release: semaphore released too many times (value 1 + 2 would exceed its bound 2)');
    expect(s.getValue()).toBe(1);
    s.release();
    expect(s.getValue()).toBe(2);
    expect(thrown(() => new BoundedSemaphore().release())).toBeInstanceOf(SyncStateError);
    expect(thrown(() => new BoundedSemaphore(0).release())).toBeInstanceOf(SyncStateError);
    s.acquire();
    s.acquire();
    expect((await rejection(s.acquireAsync({ timeout: 1 }))).message).toBe('BoundedSemaphore.acquireAsync: timed out after 1 ms');
  });

  it.each([-1, 1.5, Number.NaN, Infinity, MAX + 1, '1', null, 1n])('an initial value of %s is an ArgumentError', (value) => {
    for (const cls of [Semaphore, BoundedSemaphore]) {
      const error = thrown(() => new cls(value as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(new RegExp(`^${cls.name}: invalid argument 'value': expected an integer from 0 to ${MAX}, got `));
    }
  });

  it.each([0, -1, 1.5, Number.NaN, '2', null])('release(%s) is an ArgumentError and changes nothing', (n) => {
    for (const s of [new Semaphore(1), new BoundedSemaphore(3)]) {
      const error = thrown(() => s.release(n as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(new RegExp(`^${s.constructor.name}.release: invalid argument 'n': expected an integer from 1 to ${MAX}, got `));
      expect(s.getValue()).toBe(s instanceof BoundedSemaphore ? 3 : 1);
    }
  });
});
