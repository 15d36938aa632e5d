import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { ArgumentError, Barrier, BrokenBarrierError } from '../../src/index.js';
import { TIMEOUT_HELP } from '../support/sync.js';

/**
 * Barrier: parties, nWaiting, broken; distinct arrival indices; the action run once per cycle by
 * the completing thread; and every way a cycle breaks (timeout, abort, reset, a failing action)
 * reaching every waiter as a BrokenBarrierError, with workers and the main thread as parties.
 */

const BROKEN_WHILE_WAITING = 'the barrier was broken while this thread waited (a timeout, abort(), reset() or a failing action)';
const BROKEN = 'the barrier is broken (reset() it to use it again)';

describe('Barrier on one thread', () => {
  it('parties, nWaiting and broken; a one-party barrier releases at once and runs its action every time', async () => {
    let runs = 0;
    const barrier = new Barrier(1, { action: () => { runs++; } });
    expect(barrier.parties).toBe(1);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
    expect(barrier.wait()).toBe(0);
    expect(barrier.wait(0)).toBe(0);
    expect(await barrier.waitAsync()).toBe(0);
    expect(runs).toBe(3);
    expect(new Barrier(5).parties).toBe(5);
  });

  it.each([
    ['0', [0], "Barrier: invalid argument 'parties': expected a positive integer, got 0"],
    ['-2', [-2], "Barrier: invalid argument 'parties': expected a positive integer, got -2"],
    ['1.5', [1.5], "Barrier: invalid argument 'parties': expected a positive integer, got 1.5"],
    ['"2"', ['2'], "Barrier: invalid argument 'parties': expected a positive integer, got \"2\""],
    ['2 ** 31', [2 ** 31], "Barrier: invalid argument 'parties': expected a positive integer, got 2147483648"],
    ['2, { action: 5 }', [2, { action: 5 }], "Barrier: invalid argument 'options.action': expected a function, got 5"],
    ['2, { timeout: -1 }', [2, { timeout: -1 }], `Barrier: invalid argument 'options.timeout': ${TIMEOUT_HELP}, got -1`],
    ['2, { actoin: () => {} }', [2, { actoin: () => {} }], "Barrier: invalid argument 'options': unknown option \"actoin\" (expected one of 'action', 'timeout')"],
    ['2, 5', [2, 5], "Barrier: invalid argument 'options': expected an options object, got 5"],
  ] as Array<[string, unknown[], string]>)('new Barrier(%s) is an ArgumentError', (_, args, message) => {
    const error = thrown(() => new Barrier(...(args as [number])));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe(message);
  });

  it('bad wait timeouts are ArgumentErrors, the async form rejecting', async () => {
    const barrier = new Barrier(1);
    for (const [timeout, shown] of [[-1, '-1'], [Number.NaN, 'NaN'], ['5', '"5"']] as const) {
      const error = thrown(() => barrier.wait(timeout as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toBe(`Barrier.wait: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
      let promise: Promise<number> | undefined;
      expect(() => { promise = barrier.waitAsync(timeout as never); }).not.toThrow();
      expect((await rejection(promise!)).message).toBe(`Barrier.waitAsync: invalid argument 'timeout': ${TIMEOUT_HELP}, got ${shown}`);
    }
    expect(barrier.broken).toBe(false);
  });

  it('a lone waiter that times out breaks the barrier; later waits throw at once until reset()', async () => {
    const barrier = new Barrier(2);
    const error = thrown(() => barrier.wait(10));
    expect(error).toBeInstanceOf(BrokenBarrierError);
    expect(error.message).toBe(`Barrier.wait: ${BROKEN_WHILE_WAITING}`);
    expect(barrier.broken).toBe(true);
    expect(barrier.nWaiting).toBe(0);
    expect(thrown(() => barrier.wait(1000)).message).toBe(`Barrier.wait: ${BROKEN}`);
    expect((await rejection(barrier.waitAsync(1000))).message).toBe(`Barrier.waitAsync: ${BROKEN}`);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const asyncError = await rejection(barrier.waitAsync(10));
    expect(asyncError).toBeInstanceOf(BrokenBarrierError);
    expect(asyncError.message).toBe(`Barrier.waitAsync: ${BROKEN_WHILE_WAITING}`);
    expect(barrier.broken).toBe(true);
  });

  it('the default timeout of the constructor applies to wait() without a timeout', () => {
    const barrier = new Barrier(2, { timeout: 10 });
    const start = performance.now();
    expect(thrown(() => barrier.wait())).toBeInstanceOf(BrokenBarrierError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(9);
  });

  it('abort() breaks it and reset() restores it, without anyone waiting', () => {
    const barrier = new Barrier(1);
    barrier.abort();
    expect(barrier.broken).toBe(true);
    expect(thrown(() => barrier.wait())).toBeInstanceOf(BrokenBarrierError);
    barrier.reset();
    expect(barrier.wait()).toBe(0);
    barrier.reset(); // on an intact barrier: nothing changes
    expect(barrier.broken).toBe(false);
    expect(barrier.wait()).toBe(0);
  });

  it('an action that throws: the completing thread gets its error, the barrier is broken', () => {
    const boom = new Error('boom');
    const barrier = new Barrier(1, { action: () => { throw boom; } });
    expect(thrown(() => barrier.wait())).toBe(boom);
    expect(barrier.broken).toBe(true);
    barrier.action = undefined;
    barrier.reset();
    expect(barrier.wait()).toBe(0);
  });
});
