import { describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { Barrier, BrokenBarrierError } from '../../src/index.js';
import { outcomes, sharedSyncPools, until } from '../support/sync.js';

/**
 * Barrier: parties, nWaiting, broken; distinct arrival indices; the action run once per cycle by
 * the completing thread; and every way a cycle breaks (timeout, abort, reset, a failing action)
 * reaching every waiter as a BrokenBarrierError, with workers and the main thread as parties.
 */

const syncPool = sharedSyncPools();

const BROKEN_WHILE_WAITING = 'the barrier was broken while this thread waited (a timeout, abort(), reset() or a failing action)';

describe('Barrier across threads', () => {
  /** `count` workers wait at `barrier` (with `timeout`); resolves once they all do. */
  async function waitingWorkers(barrier: Barrier, count: number, timeout: number | null = null) {
    const pool = syncPool(count);
    const tasks = Array.from({ length: count }, () => pool.apply('ops', { barrier }, [['barrier', 'wait', timeout]]));
    await until(() => barrier.nWaiting === count, `${count} workers wait at the barrier`);
    return { pool, tasks: Promise.all(tasks).then((all) => all.map((results) => results[0]!)) };
  }

  it('three workers and the main thread: distinct indices 0..3, the action run once, by the completing thread', async () => {
    let runs = 0;
    const barrier = new Barrier(4, { action: () => { runs++; } });
    const { tasks } = await waitingWorkers(barrier, 3);
    expect(barrier.nWaiting).toBe(3);
    const mine = await barrier.waitAsync(10_000);
    const theirs = (await tasks).map((r) => r.value);
    expect(mine).toBe(3);
    expect([...theirs, mine].sort()).toEqual([0, 1, 2, 3]);
    expect(runs).toBe(1);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });

  it('a waiter that times out breaks the cycle for every waiter', async () => {
    const barrier = new Barrier(4);
    const { tasks } = await waitingWorkers(barrier, 2);
    const error = await rejection(barrier.waitAsync(20));
    expect(error).toBeInstanceOf(BrokenBarrierError);
    for (const r of await tasks) {
      expect(r.error).toBe('BrokenBarrierError');
      expect(r.message).toBe(`Barrier.wait: ${BROKEN_WHILE_WAITING}`);
    }
    expect(barrier.broken).toBe(true);
  });

  it('a worker whose wait times out breaks the cycle for the main thread waiting without one', async () => {
    const pool = syncPool(1);
    const barrier = new Barrier(3);
    const waiting = rejection(barrier.waitAsync());
    const results = await pool.apply('ops', { barrier }, [['barrier', 'wait', 30]]);
    expect(outcomes(results)).toEqual(['BrokenBarrierError']);
    expect(results[0]!.ms).toBeGreaterThanOrEqual(29);
    expect(await waiting).toBeInstanceOf(BrokenBarrierError);
  });

  it('abort() wakes every waiter with BrokenBarrierError and keeps the barrier broken until reset()', async () => {
    const barrier = new Barrier(3);
    const { pool, tasks } = await waitingWorkers(barrier, 2);
    barrier.abort();
    expect((await tasks).map((r) => r.error)).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
    expect(barrier.broken).toBe(true);
    expect(barrier.nWaiting).toBe(0);
    expect(outcomes(await pool.apply('ops', { barrier }, [['barrier', 'wait'], ['worker', 'get', 'barrier', 'broken']]))).toEqual(['BrokenBarrierError', true]);
    barrier.reset();
    // a full cycle works again
    const again = [0, 1].map(() => pool.apply('ops', { barrier }, [['barrier', 'wait', 10_000]]));
    const mine = await barrier.waitAsync(10_000);
    const theirs = (await Promise.all(again)).map((r) => r[0]!.value);
    expect([mine, ...theirs].sort()).toEqual([0, 1, 2]);
  });

  it('reset() with threads waiting: they get BrokenBarrierError; the barrier is usable at once', async () => {
    const barrier = new Barrier(3);
    const { pool, tasks } = await waitingWorkers(barrier, 2);
    barrier.reset();
    expect((await tasks).map((r) => r.error)).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
    const again = [0, 1].map(() => pool.apply('ops', { barrier }, [['barrier', 'wait', 10_000]]));
    await barrier.waitAsync(10_000);
    expect((await Promise.all(again)).map((r) => r[0]!.error)).toEqual([undefined, undefined]);
  });

  it("the completing thread's failing action: it gets the error, the workers a BrokenBarrierError", async () => {
    const boom = new Error('action failed');
    const barrier = new Barrier(3, { action: () => { throw boom; } });
    const { tasks } = await waitingWorkers(barrier, 2);
    expect(await rejection(barrier.waitAsync(10_000))).toBe(boom);
    expect((await tasks).map((r) => r.error)).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
    expect(barrier.broken).toBe(true);
  });

  it("a barrier's default timeout crosses with it", async () => {
    const pool = syncPool(1);
    const barrier = new Barrier(2, { timeout: 25 });
    const results = await pool.apply('ops', { barrier }, [['barrier', 'wait']]);
    expect(outcomes(results)).toEqual(['BrokenBarrierError']);
    expect(results[0]!.ms).toBeGreaterThanOrEqual(24);
    expect(results[0]!.ms).toBeLessThan(5_000);
  });
});
