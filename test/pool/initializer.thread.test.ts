import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Lock, Pool, Queue, WorkerStartError, fromDescriptors, toDescriptors, zeros } from '../../src/index.js';
import { SLOT_BITS, reserveIdentity } from '../../src/sync/liveness.js';

const MODULE = new URL('../support/pool-initializer.mjs', import.meta.url);

describe('Pool initializer (Python\'s initializer/initargs)', () => {
  it('runs once per worker with shared initargs, which tasks then use', async () => {
    const lock = new Lock();
    const counter = zeros([1], 'int32');
    const pool = new Pool(MODULE, { size: 2, initializer: 'init', initargs: [lock, counter, 'ready'] });
    try {
      const tags = await Promise.all([1, 2, 3, 4].map(() => pool.apply('bump', 500)));
      expect(tags).toEqual(['ready', 'ready', 'ready', 'ready']);
      expect(counter.get(0)).toBe(2000);
    } finally {
      await pool.terminate();
    }
  });

  it('an initializer that throws or does not exist fails the start', async () => {
    // both at once: their workers start side by side
    const throwing = new Pool(MODULE, { size: 1, initializer: 'init', initargs: [null, null, 'throw'] });
    const missing = new Pool(MODULE, { size: 1, initializer: 'nope' });
    await Promise.all([
      (async () => {
        await expect(throwing.apply('bump', 1)).rejects.toThrow(WorkerStartError);
        await expect(throwing.ready()).rejects.toThrow('initializer refused');
        await throwing.terminate();
      })(),
      (async () => {
        await expect(missing.ready()).rejects.toThrow(`the worker module ${MODULE.href} has no function "nope" (it defines 'init', 'countStarts', 'whoAmI', 'bump')`);
        await missing.terminate();
      })(),
    ]);
  });

  it('initargs structured clone cannot copy fail the start without leaking the workers\' liveness slots', async () => {
    const slot = (id: number): number => id & ((1 << SLOT_BITS) - 1);
    const probe = reserveIdentity();
    probe.markDead();
    const pool = new Pool(MODULE, { size: 1, initializer: 'init', initargs: [() => 1] });
    await expect(pool.ready()).rejects.toThrow(WorkerStartError);
    await pool.terminate();
    const next = reserveIdentity();
    next.markDead();
    expect(slot(next.id)).toBe(slot(probe.id));
  });

  it('refuses bad options', () => {
    expect(() => new Pool(MODULE, { initializer: 3 as never })).toThrow("Pool: invalid argument 'options.initializer': expected the name of a function of the worker module, got 3");
    expect(() => new Pool(MODULE, { initializer: 'init', initargs: 'x' as never })).toThrow("Pool: invalid argument 'options.initargs': expected an array of arguments, got \"x\"");
    expect(() => new Pool(MODULE, { initargs: [] })).toThrow("Pool: invalid argument 'options.initargs': given without options.initializer");
  });
});

describe('toDescriptors / fromDescriptors: shared objects for a plain worker_threads Worker', () => {
  it('a raw worker gets the same Lock, Queue and array through workerData', async () => {
    const lock = new Lock();
    const queue = new Queue();
    const counter = zeros([1], 'int32');
    const workers = [1, 2].map(() => new Worker(new URL('../support/raw-worker.mjs', import.meta.url), { workerData: toDescriptors({ lock, queue, counter }) }));
    await Promise.all(workers.map((w) => once(w, 'exit')));
    expect(counter.get(0)).toBe(2000);
    expect([queue.get(), queue.get()]).toEqual(['Lock', 'Lock']);
    const back = fromDescriptors<{ lock: Lock }>(toDescriptors({ lock }));
    expect(back.lock).toBeInstanceOf(Lock);
    expect(back.lock.acquire({ block: false })).toBe(true);
    expect(lock.locked()).toBe(true);
    back.lock.release();
  });
});
