// Python's own pattern: submit a task, then block the main thread on what the task will do.
// The pool must not need this thread's event loop to start its workers or hand them the task.
import { describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { ArgumentError, Empty, Event, Pool, Queue, WorkerStartError } from '../../src/index.js';

const QUEUE_WORKER = new URL('../support/queue-worker.mjs', import.meta.url);
const SYNC_WORKER = new URL('../support/sync-worker.mjs', import.meta.url);
const BROKEN = new URL('../support/pool-throws-at-import.mjs', import.meta.url);

describe('a main thread that blocks right after submitting', () => {
  it('applyAsync then a blocking q.get() on a fresh pool returns the items (no await in between)', async () => {
    const pool = new Pool(QUEUE_WORKER, { size: 2 });
    try {
      const q = new Queue();
      const result = pool.applyAsync('produce', [q, 0, 3]);
      const get = (): unknown => q.get({ timeout: 20_000 });
      expect([get(), get(), get()]).toEqual([0, 1, 2]);
      expect(await result.get()).toBe(3);
    } finally {
      await pool.terminate();
    }
  });

  it('one task per worker, all submitted before the first blocking get, all run', async () => {
    const pool = new Pool(QUEUE_WORKER, { size: 2 });
    try {
      const q = new Queue();
      const tasks = [0, 10].map((start) => pool.apply('produce', q, start, start + 2));
      const got = Array.from({ length: 4 }, () => q.get({ timeout: 20_000 }) as number);
      expect(got.sort((a, b) => a - b)).toEqual([0, 1, 10, 11]);
      expect(await Promise.all(tasks)).toEqual([2, 2]);
    } finally {
      await pool.terminate();
    }
  });

  it('more tasks than workers, then blocking gets on what all of them put: the queued tasks start while the main thread blocks', async () => {
    const pool = new Pool(QUEUE_WORKER, { size: 2 });
    try {
      const q = new Queue();
      const starts = [0, 10, 20, 30, 40, 50, 60];
      const tasks = starts.map((start) => pool.apply('produce', q, start, start + 2));
      const async = pool.applyAsync('produce', [q, 70, 72]);
      // before the fix the third task never started: Empty after the timeout
      const got = Array.from({ length: 16 }, () => q.get({ timeout: 20_000 }) as number);
      expect(got.sort((a, b) => a - b)).toEqual([...starts, 70].flatMap((start) => [start, start + 1]));
      expect(await Promise.all(tasks)).toEqual(starts.map(() => 2));
      expect(await async.get()).toBe(2);
      // the pool goes on as usual
      expect(await pool.apply('produce', q, 0, 3)).toBe(3);
      expect([q.get(), q.get(), q.get(), q.empty()]).toEqual([0, 1, 2, true]);
    } finally {
      await pool.terminate();
    }
  });

  it('a blocking get keeps its timeout while the queued task waits for a busy worker, and gets the item once the worker frees', async () => {
    const pool = new Pool(QUEUE_WORKER, { size: 1 });
    try {
      const [jobs, items] = [new Queue(), new Queue()];
      const consumer = pool.apply('consume', jobs, -1);
      const producer = pool.apply('produce', items, 7, 8);
      const started = performance.now();
      expect(() => items.get({ timeout: 300 })).toThrow(Empty);
      expect(performance.now() - started).toBeGreaterThanOrEqual(295);
      expect(performance.now() - started).toBeLessThan(3_000);
      // the worker finishes the consumer while this thread blocks, and takes the producer
      jobs.put(5);
      jobs.put(-1);
      expect(items.get({ timeout: 20_000 })).toBe(7);
      expect(await consumer).toEqual([5]);
      expect(await producer).toBe(1);
    } finally {
      await pool.terminate();
    }
  });

  it('an Event set by a task wakes a blocking wait() on the main thread', async () => {
    const pool = new Pool(SYNC_WORKER, { size: 1 });
    try {
      const event = new Event();
      const task = pool.apply('setEvent', event);
      expect(event.wait(20_000)).toBe(true);
      await task;
    } finally {
      await pool.terminate();
    }
  });

  it('an unknown function sent before the worker is up is refused by the worker with the same error', async () => {
    const pool = new Pool(QUEUE_WORKER, { size: 1 });
    try {
      const error = await rejection(pool.apply('nope' as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(new RegExp(`^Pool: invalid argument 'fn': the worker module ${QUEUE_WORKER.href} has no function "nope" \\(it defines 'produce', `));
      await pool.ready();
      const again = await rejection(pool.apply('nope' as never));
      expect(again.message).toBe(error.message);
    } finally {
      await pool.terminate();
    }
  });

  it('a task handed to a worker whose module fails to load rejects with the WorkerStartError', async () => {
    const pool = new Pool(BROKEN, { size: 1 });
    const error = await rejection(pool.apply('add' as never, 1, 2));
    expect(error).toBeInstanceOf(WorkerStartError);
    await pool.terminate();
  });

  it('terminate() right after submitting, before any worker is up, rejects the task and returns', async () => {
    const pool = new Pool(QUEUE_WORKER, { size: 2 });
    const task = rejection(pool.apply('produce', new Queue(), 0, 1));
    await pool.terminate();
    expect((await task).name).toBe('PoolStateError');
  });
});
