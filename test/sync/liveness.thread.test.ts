import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { Lock, OwnerDiedError, toDescriptors } from '../../src/index.js';
import { LivenessTable } from '../../src/sync/liveness.js';

/**
 * Threads the package did not start (a plain worker_threads Worker given a Lock) take a liveness
 * slot on first use. They used to keep it for the life of the process, so after 4095 of them
 * every acquire() threw SyncStateError, even with one thread alive. Now a slot comes back when
 * its thread ends, whichever way: the thread's own 'exit' (return, process.exit, an uncaught
 * exception), or, for terminate(), the creating thread's watch on the Workers it starts. The
 * tables here have 16 slots instead of 4096 (4 for the many threads below, each a worker start),
 * so a few threads run the table out unless slots come back; the mechanism is the same (the full
 * size: scripts in the report of issue 12). The tests run concurrently, each over a table of its own.
 */

const WORKER = new URL('../support/liveness-worker.mjs', import.meta.url);
type End = 'return' | 'exit' | 'throw' | 'stay' | 'hold-return' | 'hold-exit' | 'hold-stay';

/** A Lock whose owners are recorded in a fresh table of `slots` slots. */
function lockInTable(slots: number): { lock: Lock; table: LivenessTable } {
  const table = new LivenessTable(undefined, slots);
  return { lock: Lock.fromDescriptor({ buffer: new SharedArrayBuffer(4), index: 0, table: table.buffer }), table };
}

/** Slots with an owner: taken, or alive. */
function slotsInUse(table: LivenessTable): number {
  return table.words.subarray(3 * table.slots + 1).filter((owner) => owner !== 0).length;
}

/** Starts a plain Worker with `lock`, waits for its report, then for it to end as `end` says. */
async function runWorker(lock: Lock, end: End): Promise<string> {
  const worker = new Worker(WORKER, { workerData: { objects: toDescriptors({ lock }), end } });
  // not events.once: it rejects on the 'error' that 'throw' emits on purpose
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.on('error', () => {});
  const report = new Promise<string>((resolve) => worker.once('message', resolve));
  if (end.endsWith('stay')) {
    await report;
    await worker.terminate();
  }
  await exited;
  return report;
}

describe.concurrent('liveness slots of threads the package did not start', () => {
  it('come back when the thread ends, however it ends: 8 threads through a table of 4 slots', async () => {
    // 3 slots to take (slot 0 is no thread's): 2 threads of each end, so two ends that kept
    // their slots would run the table out, and one would be left in slotsInUse
    const { lock, table } = lockInTable(4);
    const ends: End[] = ['return', 'exit', 'throw', 'stay'];
    let next = 0;
    const reports: string[] = [];
    // two at a time: the table never holds more than two of them, the main thread and nothing else
    await Promise.all([0, 1].map(async () => {
      while (next < 8) reports.push(await runWorker(lock, ends[next++ % ends.length]!));
    }));
    expect(reports).toEqual(Array(8).fill('released'));
    expect(slotsInUse(table)).toBe(0);
    expect(lock.acquire({ timeout: 1000 })).toBe(true);
    expect(slotsInUse(table)).toBe(1); // this thread's, taken now
    lock.release();
  }, 60_000);

  it.each([
    ['returns', 'hold-return'],
    ['calls process.exit', 'hold-exit'],
    ['is terminated', 'hold-stay'],
  ] as Array<[string, End]>)('a thread that %s holding the lock: the next acquirer gets OwnerDiedError, and its slot comes back', async (_, end) => {
    const { lock, table } = lockInTable(16);
    expect(await runWorker(lock, end)).toBe('held');
    expect(slotsInUse(table)).toBe(0);
    const error = thrown(() => lock.acquire({ timeout: 5000 }));
    expect(error).toBeInstanceOf(OwnerDiedError);
    expect(lock.isOwned()).toBe(true);
    lock.release();
    expect(lock.acquire({ timeout: 0 })).toBe(true);
    lock.release();
  }, 30_000);

  it('a thread blocked on the lock is woken with OwnerDiedError when the holder returns (its own exit hook: this thread is asleep)', async () => {
    const { lock } = lockInTable(16);
    const worker = new Worker(WORKER, { workerData: { objects: toDescriptors({ lock }), end: 'hold-return' } });
    const exited = once(worker, 'exit');
    await once(worker, 'message');
    // blocks this thread's event loop: only the worker's own exit hook can wake it
    const error = thrown(() => lock.acquire({ timeout: 10_000 }));
    expect(error).toBeInstanceOf(OwnerDiedError);
    lock.release();
    await exited;
  }, 30_000);
});
