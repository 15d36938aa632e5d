import { describe, expect, it } from 'vitest';
import { filePool } from '../support/pools.js';
import { JoinableQueue, Pool, Queue, SimpleQueue, SyncStateError, WorkerDiedError, zeros } from '../../src/index.js';

const WORKER = new URL('../support/queue-worker.mjs', import.meta.url);
/**
 * One worker for the tests that wait for each task they start; a worker that dies in a task is
 * replaced at once, so each test finds it whole. The many-producers test has a pool of its own.
 */
const shared = filePool(WORKER, { size: 1 });

// Each test has its own queues: they run concurrently.
describe.concurrent('queues across threads', () => {
  it('each queue kind arrives in a worker as the same kind over the same memory', async () => {
    const pool = shared();
    for (const q of [new Queue(), new SimpleQueue(), new JoinableQueue()]) {
      q.put(7);
      expect(await pool.apply('describe', q)).toBe(q.constructor.name);
      expect(q.get()).toBe(`${q.constructor.name} got 7`);
    }
  });

  it('a worker putting { result: array } is refused too, not delivered as { result: { dtype } }', async () => {
    const pool = shared();
    const q = new Queue();
    expect(await pool.apply('putShared', q, zeros(2))).toMatch(/^ArgumentError: Queue\.put: invalid argument 'item': item\.result is a SharedNDArray, which lives in shared memory/);
    expect(q.empty()).toBe(true);
  });

  it('a thread that dies inside a put or get: the queue goes on if it adds up, and is refused for good if not', async () => {
    const pool = shared();
    const fine = new Queue();
    fine.put('kept');
    await expect(pool.apply('dieInside', fine, false)).rejects.toThrow(WorkerDiedError);
    expect(fine.get({ timeout: 5000 })).toBe('kept');
    fine.put('again');
    expect(fine.get()).toBe('again');

    const broken = new Queue();
    broken.put(1);
    await expect(pool.apply('dieInside', broken, true)).rejects.toThrow(WorkerDiedError);
    const message = 'Queue.get: a thread was terminated inside a put or get of this queue and left its contents inconsistent; the queue cannot be used any more';
    expect(() => broken.get({ timeout: 5000 })).toThrow(new SyncStateError(message));
    expect(() => broken.put(2)).toThrow(SyncStateError);
    await expect(broken.getAsync()).rejects.toThrow(SyncStateError);
  });

  it('many producers × many consumers through a small ring lose and duplicate nothing', async () => {
    const PRODUCERS = 3;
    const CONSUMERS = 3;
    const EACH = 3000;
    const pool = new Pool(WORKER, { size: PRODUCERS + CONSUMERS });
    try {
      // 2 KiB: items wrap around the ring many times, and producers block on a full ring.
      const q = new JoinableQueue(0, { bytes: 2048 });
      const consumers = Array.from({ length: CONSUMERS }, () => pool.apply('consume', q, -1));
      // The main thread consumes too, asynchronously; every consumer stops at the first -1 it takes.
      const mine: number[] = [];
      const mainConsumer = (async () => {
        for (;;) {
          const item = await q.getAsync();
          const id = item instanceof Float64Array ? item[0]! : typeof item === 'object' ? (item as { id: number }).id : item as number;
          if (id === -1) return;
          mine.push(id);
          q.taskDone();
        }
      })();
      const produced = await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => pool.apply('produceMixed', q, p + 1, EACH)));
      expect(produced).toEqual(new Array(PRODUCERS).fill(EACH));
      await q.joinAsync(20_000);
      for (let c = 0; c <= CONSUMERS; c++) await q.putAsync(-1);
      await mainConsumer;
      const perConsumer = [...(await Promise.all(consumers)) as number[][], mine];
      const taken = perConsumer.flat();
      expect(taken).toHaveLength(PRODUCERS * EACH);
      const expected = new Set<number>();
      for (let p = 1; p <= PRODUCERS; p++) for (let i = 0; i < EACH; i++) expected.add(p * 1_000_000 + i);
      expect(new Set(taken)).toEqual(expected);
      expect(taken.reduce((a, b) => a + b, 0)).toBe([...expected].reduce((a, b) => a + b, 0));
      // Each producer's items come out in its order, whoever takes them.
      for (const list of perConsumer) {
        for (let p = 1; p <= PRODUCERS; p++) {
          const own = list.filter((id) => Math.floor(id / 1_000_000) === p);
          expect(own).toEqual([...own].sort((a, b) => a - b));
        }
      }
    } finally {
      await pool.terminate();
    }
  }, 60_000);
});
