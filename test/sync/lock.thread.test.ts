import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { Event, Lock, RLock, SyncStateError } from '../../src/index.js';
import { sharedSyncPools, ticking, values } from '../support/sync.js';

/**
 * Lock and RLock: their Python semantics on one thread and across worker threads (ownership,
 * re-entry, who may release), the argument checks with their exact messages, and the helpers
 * that release for the caller (withLock, withLockAsync, hold, holdAsync).
 */

const syncPool = sharedSyncPools();

describe('locks across threads', () => {
  it('a Lock held by the main thread is seen held in a worker, which may release it (Python allows any thread)', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    lock.acquire();
    const results = await pool.apply('ops', { lock }, [
      ['lock', 'locked'], ['lock', 'isOwned'], ['lock', 'acquire', { timeout: 30 }], ['lock', 'acquire', { block: false }], ['lock', 'release'],
    ]);
    expect(values(results)).toEqual([true, false, false, false, undefined]);
    expect(results[2]!.ms).toBeGreaterThanOrEqual(29);
    expect(lock.locked()).toBe(false);
    expect(lock.acquire({ block: false })).toBe(true);
    lock.release();
  });

  it('an RLock is owned by the thread that acquired it: another thread can neither enter nor release it', async () => {
    const pool = syncPool(1);
    const lock = new RLock();
    lock.acquire();
    lock.acquire();
    const results = await pool.apply('ops', { lock }, [
      ['lock', 'locked'], ['lock', 'isOwned'], ['lock', 'acquire', { timeout: 20 }], ['lock', 'release'],
    ]);
    expect(results.map((r) => r.value ?? r.error)).toEqual([true, false, false, 'SyncStateError']);
    expect(results[3]!.message).toBe('RLock.release: cannot release un-acquired lock (this thread does not hold it)');
    // the worker's failed release changed nothing: still held twice by this thread
    lock.release();
    expect(lock.isOwned()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
    // and a worker owns it the same way: it enters three times and must leave three times
    const inWorker = await pool.apply('ops', { lock }, [
      ['lock', 'acquire'], ['lock', 'acquire'], ['lock', 'acquire', { block: false }], ['lock', 'release'], ['lock', 'release'], ['lock', 'isOwned'],
    ]);
    expect(values(inWorker)).toEqual([true, true, true, undefined, undefined, true]);
    expect(lock.locked()).toBe(true);
    expect(lock.isOwned()).toBe(false);
    expect(thrown(() => lock.release())).toBeInstanceOf(SyncStateError);
    expect(values(await pool.apply('ops', { lock }, [['lock', 'release'], ['lock', 'locked']]))).toEqual([undefined, false]);
  });

  it('acquireAsync on the main thread waits, without blocking the event loop, for a worker to release', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    const held = new Event();
    const go = new Event();
    const task = pool.apply('ops', { lock, held, go }, [['lock', 'acquire'], ['held', 'set'], ['go', 'wait'], ['lock', 'release']]);
    await held.waitAsync(10_000);
    const { ticks } = await ticking(async () => {
      const acquiring = lock.acquireAsync({ timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(lock.isOwned()).toBe(false);
      go.set();
      await acquiring;
    });
    expect(values(await task)).toEqual([true, undefined, true, undefined]);
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(lock.isOwned()).toBe(true);
    lock.release();
  });
});
