import { getEventListeners } from 'node:events';
import { describe, expect } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { filePool, it, type Track } from '../support/pools.js';
import { type SyncWorker, SYNC_WORKER, until } from '../support/sync.js';
import {
  AbortError, ArgumentError, Full, Lock, OwnerDiedError, Pool, SharedNDArrayError, zeros, type PoolOptions, type SharedNDArray,
} from '../../src/index.js';
import { progress } from '../../src/worker.js';

/**
 * The pool's controls: per-call cancellation (a signal, AsyncResult.cancel), maxQueue,
 * maxTasksPerChild, idleTimeout, progress reports and stats(). Tasks that must be running or
 * queued at a known moment are `gate` tasks, which the test starts and releases through shared
 * memory, so no outcome depends on timing, and tests run concurrently, each over pools of its own
 * (or the shared one, for tests that wait for every task they start).
 */

const BASIC = new URL('../support/pool-basic.mjs', import.meta.url);
const INITIALIZER = new URL('../support/pool-initializer.mjs', import.meta.url);
type Basic = typeof import('../support/pool-basic.mjs');

function basicPool(track: Track, options: PoolOptions = {}): Pool<Basic> {
  return track(new Pool<Basic>(BASIC, { size: 2, ...options }));
}

/**
 * Two workers for the tests of progress reports and argument checks, which wait for every task
 * they start and need no fresh counts (stats() is checked on a pool of its own).
 */
const sharedPool = filePool<Basic>(BASIC, { size: 2 });

/** Cells for gate tasks: [released, thread id of gate 1, of gate 2, ...]. */
class Gates {
  readonly cells: SharedNDArray<'int32'>;

  constructor(count: number) {
    this.cells = zeros([count + 1], 'int32');
  }

  item(i: number): { cells: SharedNDArray<'int32'>; i: number } {
    return { cells: this.cells, i };
  }

  /** The thread running gate `i`, 0 while it has not started. */
  thread(i: number): number {
    return Atomics.load(this.cells.data, i);
  }

  started(...gates: number[]): Promise<void> {
    return until(() => gates.every((i) => this.thread(i) !== 0), `gates ${gates.join(', ')} started`);
  }

  release(): void {
    Atomics.store(this.cells.data, 0, 1);
    Atomics.notify(this.cells.data, 0);
  }
}

/** Runs `size` barrier tasks at once: they only all return on `size` distinct live threads. */
async function liveThreads(pool: Pool<Basic>): Promise<number[]> {
  const counter = zeros([1], 'int32');
  const ids = await Promise.all(Array.from({ length: pool.size }, () => pool.apply('barrier', counter, pool.size)));
  expect(new Set(ids).size).toBe(pool.size);
  return ids;
}

function expectAbortError(error: Error, method: string, reason: unknown): void {
  expect(error).toBeInstanceOf(AbortError);
  expect(error).toBeInstanceOf(SharedNDArrayError);
  expect(error.name).toBe('AbortError');
  expect((error as AbortError).code).toBe('ABORT_ERR');
  expect(error.message).toBe(`pool.${method}: the call was aborted`);
  expect(error.cause).toBe(reason);
}

describe.concurrent('cancelling with a signal', () => {
  it('a queued task is removed and never runs; the running one goes on', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const gates = new Gates(1);
    const counter = zeros([1], 'int32');
    const running = pool.run('gate', [gates.item(1)]);
    await gates.started(1);
    const controller = new AbortController();
    const queued = pool.run('atomicsView', [counter], { signal: controller.signal });
    expect(pool.stats()).toMatchObject({ queued: 1, running: 1 });
    const reason = new Error('changed my mind');
    controller.abort(reason);
    expectAbortError(await rejection(queued), 'run', reason);
    expect(pool.stats()).toMatchObject({ queued: 0, running: 1, cancelled: 1 });
    gates.release();
    expect(await running).toBe(gates.thread(1));
    expect(await pool.apply('square', 3)).toBe(9);
    expect(counter.get(0)).toBe(0);
    // the running worker was not replaced
    expect(await pool.apply('threadId')).toBe(gates.thread(1));
  });

  it('a running task is stopped: its worker is replaced and the pool keeps its size', async ({ track }) => {
    const pool = basicPool(track, { size: 2 });
    const before = await liveThreads(pool);
    const gates = new Gates(1);
    const controller = new AbortController();
    const task = pool.run('gate', [gates.item(1)], { signal: controller.signal });
    await gates.started(1);
    const stopped = gates.thread(1);
    expect(before).toContain(stopped);
    controller.abort('stop');
    expectAbortError(await rejection(task), 'run', 'stop');
    expect(pool.stats()).toMatchObject({ running: 0, cancelled: 1, threads: 2 });
    const after = await liveThreads(pool);
    expect(after).not.toContain(stopped);
    expect(after).toContain(before.find((id) => id !== stopped));
    gates.release();
  });

  it('an already-aborted signal rejects every submitting method at once, and nothing runs', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const counter = zeros([1], 'int32');
    const signal = AbortSignal.abort('early');
    const calls: Array<[string, Promise<unknown>]> = [
      ['run', pool.run('atomicsView', [counter], { signal })],
      ['map', pool.map('atomicsView', [counter, counter], { signal })],
      ['starmap', pool.starmap('atomicsView', [[counter]], { signal })],
      ['mapRows', pool.mapRows('fillRows', zeros([4, 2]), { signal })],
      ['applyAsync', pool.applyAsync('atomicsView', [counter], { signal }).get()],
      ['mapAsync', pool.mapAsync('atomicsView', [counter], { signal }).get()],
      ['starmapAsync', pool.starmapAsync('atomicsView', [[counter]], { signal }).get()],
      ['map', pool.map('atomicsView', [], { signal })],
    ];
    expect(pool.stats()).toMatchObject({ queued: 0, running: 0 });
    for (const [method, call] of calls) expectAbortError(await rejection(call), method, 'early');
    const iteration = pool.imap('atomicsView', [counter], { signal });
    expectAbortError(await rejection(iteration.next()), 'imap', 'early');
    expect(await pool.apply('square', 2)).toBe(4);
    expect(counter.get(0)).toBe(0);
    expect(pool.stats()).toMatchObject({ completed: 1, failed: 0, cancelled: 0 });
  });

  it('aborting a map cancels all its chunks: queued ones never start, running ones stop', async ({ track }) => {
    const pool = basicPool(track, { size: 2 });
    const gates = new Gates(6);
    const controller = new AbortController();
    const map = pool.map('gate', [1, 2, 3, 4, 5, 6].map((i) => gates.item(i)), { chunksize: 1, signal: controller.signal });
    await gates.started(1, 2);
    expect(pool.stats()).toMatchObject({ queued: 4, running: 2 });
    controller.abort();
    const error = await rejection(map);
    expect(error).toBeInstanceOf(AbortError);
    expect((error.cause as Error).name).toBe('AbortError');
    expect(pool.stats()).toMatchObject({ queued: 0, running: 0, cancelled: 6, threads: 2 });
    gates.release();
    const after = await liveThreads(pool);
    expect([3, 4, 5, 6].map((i) => gates.thread(i))).toEqual([0, 0, 0, 0]);
    expect(after).not.toContain(gates.thread(1));
    expect(after).not.toContain(gates.thread(2));
  });

  it('aborting an imap stops its chunks and the iteration throws the AbortError', async ({ track }) => {
    const pool = basicPool(track, { size: 2 });
    const gates = new Gates(8);
    const controller = new AbortController();
    const results = pool.imap('gate', [1, 2, 3, 4, 5, 6, 7, 8].map((i) => gates.item(i)), { signal: controller.signal });
    const first = results.next();
    await gates.started(1, 2);
    controller.abort('enough');
    expectAbortError(await rejection(first), 'imap', 'enough');
    expect(await results.next()).toEqual({ done: true, value: undefined });
    expect(pool.stats()).toMatchObject({ queued: 0, running: 0 });
    gates.release();
    await liveThreads(pool);
    expect([5, 6, 7, 8].map((i) => gates.thread(i))).toEqual([0, 0, 0, 0]);
  });

  it('a finished call stops listening to its signal, whose abort then changes nothing', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const controller = new AbortController();
    const { signal } = controller;
    expect(await pool.map('square', [1, 2], { chunksize: 1, signal })).toEqual([1, 4]);
    expect(await pool.run('square', [3], { signal })).toBe(9);
    await expect(pool.run('fail', ['no'], { signal })).rejects.toThrow('no');
    expect(await pool.applyAsync('square', [4], { signal }).get()).toBe(16);
    for await (const square of pool.imap('square', [5], { signal })) expect(square).toBe(25);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(pool.stats()).toMatchObject({ completed: 5, failed: 1, cancelled: 0, threads: 1 });
  });
});

describe.concurrent('AsyncResult.cancel', () => {
  it('cancels a running applyAsync like its signal would, once', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const gates = new Gates(1);
    const result = pool.applyAsync('gate', [gates.item(1)]);
    await gates.started(1);
    expect(result.cancel('no longer needed')).toBe(true);
    expect(result.cancel('again')).toBe(false);
    expectAbortError(await rejection(result.get()), 'applyAsync', 'no longer needed');
    expect(result.ready()).toBe(true);
    expect(result.successful()).toBe(false);
    gates.release();
    expect(await pool.apply('threadId')).not.toBe(gates.thread(1));
  });

  it('cancels a queued mapAsync with the reason AbortController.abort() gives; a finished result cannot be', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const gates = new Gates(1);
    const running = pool.run('gate', [gates.item(1)]);
    await gates.started(1);
    const errors: unknown[] = [];
    const result = pool.mapAsync('square', [1, 2, 3], { errorCallback: (e) => errors.push(e) });
    expect(result.cancel()).toBe(true);
    const error = await rejection(result.get());
    expect(error).toBeInstanceOf(AbortError);
    expect(error.cause).toBeInstanceOf(DOMException);
    expect((error.cause as DOMException).name).toBe('AbortError');
    expect(errors).toEqual([error]);
    gates.release();
    await running;
    const done = pool.starmapAsync('add', [[1, 2]]);
    expect(await done.get()).toEqual([3]);
    expect(done.cancel()).toBe(false);
    expect(await done.get()).toEqual([3]);
  });
});

describe.concurrent('a cancelled task that holds a Lock', () => {
  it('the next acquirer gets OwnerDiedError, as for any worker death; the pool goes on', async ({ track }) => {
    const pool = track(new Pool<SyncWorker>(SYNC_WORKER, { size: 1 }));
    const lock = new Lock();
    const controller = new AbortController();
    const task = pool.run('ops', [{ lock }, [['lock', 'acquire'], ['worker', 'hang']], true], { signal: controller.signal });
    await until(() => lock.locked(), 'the task holds the lock');
    controller.abort();
    expect(await rejection(task)).toBeInstanceOf(AbortError);
    // the rejection comes once the thread is gone: a blocking acquire right after it recovers the lock
    expect(thrown(() => lock.acquire({ timeout: 5_000 }))).toBeInstanceOf(OwnerDiedError);
    expect(lock.isOwned()).toBe(true);
    lock.release();
    const steps = await pool.apply('ops', { lock }, [['lock', 'acquire'], ['lock', 'release']]);
    expect(steps.map((s) => s.error)).toEqual([undefined, undefined]);
  });
});

describe.concurrent('maxQueue', () => {
  it('refuses work that would take the queue past it with Full, whole calls at a time', async ({ track }) => {
    const pool = basicPool(track, { size: 1, maxQueue: 2 });
    const gates = new Gates(3);
    const running = pool.run('gate', [gates.item(1)]);
    await gates.started(1);
    const queued = [pool.run('gate', [gates.item(2)]), pool.apply('square', 3)];
    expect(pool.stats().queued).toBe(2);
    const full = await rejection(pool.apply('square', 4));
    expect(full).toBeInstanceOf(Full);
    expect(full.message).toBe('pool.apply: the pool\'s queue is full (maxQueue 2; 2 tasks wait, and this call brings 1); wait for some to finish, or raise maxQueue');
    expect(await rejection(pool.map('square', [1, 2], { chunksize: 1 }))).toBeInstanceOf(Full);
    expect(await rejection(pool.applyAsync('square', [5]).get())).toBeInstanceOf(Full);
    expect(pool.stats().queued).toBe(2);
    gates.release();
    expect(await Promise.all([running, ...queued])).toEqual([gates.thread(1), gates.thread(1), 9]);
    expect(await pool.map('square', [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
  });

  it('0 takes work only while a worker is free', async ({ track }) => {
    const pool = basicPool(track, { size: 2, maxQueue: 0 });
    const gates = new Gates(2);
    const running = [pool.run('gate', [gates.item(1)]), pool.run('gate', [gates.item(2)])];
    await gates.started(1, 2);
    expect(await rejection(pool.apply('square', 2))).toBeInstanceOf(Full);
    gates.release();
    await Promise.all(running);
    expect(await pool.map('square', [2, 3], { chunksize: 1 })).toEqual([4, 9]);
  });

  it('an imap is not refused: its window of 2 × size chunks bounds it already', async ({ track }) => {
    const pool = basicPool(track, { size: 1, maxQueue: 0 });
    const squares: number[] = [];
    for await (const square of pool.imap('square', [1, 2, 3, 4])) squares.push(square);
    expect(squares).toEqual([1, 4, 9, 16]);
  });
});

describe.concurrent('maxTasksPerChild', () => {
  it('replaces a worker after that many tasks; the initializer runs again in the new one', async ({ track }) => {
    const counter = zeros([1], 'int32');
    const pool = track(new Pool(INITIALIZER, { size: 1, maxTasksPerChild: 2, initializer: 'countStarts', initargs: [counter] }));
    const seen: Array<[number, string]> = [];
    for (let i = 0; i < 6; i++) seen.push(await pool.apply('whoAmI') as [number, string]);
    const ids = seen.map(([id]) => id);
    expect(seen.every(([, tag]) => tag === 'counted')).toBe(true);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[4]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(3);
    // three workers ran the tasks; the fourth, which replaced the last, starts too
    await until(() => counter.get(0) === 4, 'the fourth worker ran its initializer');
    expect(pool.stats()).toMatchObject({ threads: 1, completed: 6 });
  });

  it('counts a map chunk as one task', async ({ track }) => {
    const pool = basicPool(track, { size: 1, maxTasksPerChild: 2 });
    const tagged = await pool.map('tagged', [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 2 });
    const ids = tagged.map(([, id]) => id);
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(new Set(ids.slice(4)).size).toBe(1);
    expect(ids[0]).not.toBe(ids[4]);
  });
});

describe.concurrent('idleTimeout', () => {
  it('idle workers exit after it and come back, up to size, when work comes', async ({ track }) => {
    const pool = basicPool(track, { size: 2, idleTimeout: 300 });
    const first = await liveThreads(pool);
    await until(() => pool.stats().threads === 0, 'the idle workers exited');
    expect(pool.stats()).toMatchObject({ threads: 0, queued: 0, running: 0 });
    expect(await pool.apply('square', 5)).toBe(5 * 5);
    // both at once: two workers run again, neither of them one that exited
    const second = await liveThreads(pool);
    expect(pool.stats().threads).toBeLessThanOrEqual(2);
    expect(second.some((id) => first.includes(id))).toBe(false);
  });

  it('a worker busy for longer than it is not stopped', async ({ track }) => {
    const pool = basicPool(track, { size: 1, idleTimeout: 20 });
    expect(await pool.apply('sleepThen', 200, 'done')).toBe('done');
    expect(pool.stats()).toMatchObject({ completed: 1, failed: 0 });
  });
});

describe.concurrent('progress', () => {
  it('reaches onProgress of run and applyAsync in order, before the result', async () => {
    const pool = sharedPool();
    const reports: Array<[number, number]> = [];
    const result = await pool.run('progressSteps', [5], { onProgress: (done, total) => reports.push([done, total]) });
    expect(result).toBe(5);
    expect(reports).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    const async: number[] = [];
    await pool.applyAsync('progressSteps', [3], { onProgress: (done) => async.push(done) }).get();
    expect(async).toEqual([1, 2, 3]);
  });

  it('map-like calls report items done of all items, after each chunk', async () => {
    const pool = sharedPool();
    const reports: Array<[number, number]> = [];
    await pool.map('square', [1, 2, 3, 4, 5], { chunksize: 2, onProgress: (done, total) => reports.push([done, total]) });
    expect(reports.map(([, total]) => total)).toEqual([5, 5, 5]);
    expect(reports.map(([done]) => done).sort((a, b) => a - b).at(-1)).toBe(5);
    expect(reports.map(([done]) => done)).toEqual([...reports.map(([done]) => done)].sort((a, b) => a - b));
    const rows: number[] = [];
    await pool.mapRows('fillRows', zeros([4, 2], 'int32'), { rowsPerTask: 1, onProgress: (done) => rows.push(done) });
    expect(rows).toEqual([1, 2, 3, 4]);
  });

  it('refuses bad reports in the worker; outside a pool task progress() does nothing', async () => {
    const pool = sharedPool();
    const error = await rejection(pool.run('progressWith', [1, Number.NaN], { onProgress: () => {} }));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe("progress: invalid argument 'total': expected a finite number >= 0, got NaN");
    expect(await rejection(pool.apply('progressWith', -1, 2))).toBeInstanceOf(ArgumentError);
    expect(await pool.apply('progressWith', 1, 2)).toBeUndefined();
    expect(progress(1, 2)).toBeUndefined();
  });
});

describe.concurrent('stats()', () => {
  it('counts completed, failed and cancelled tasks and summarises their run and wait times', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const empty = pool.stats();
    expect(empty).toMatchObject({ threads: 1, queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 });
    expect(empty.runTime).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 });
    // four 60 ms tasks queued at once on one worker: they wait about 0, 60, 120 and 180 ms
    await Promise.all([1, 2, 3, 4].map((i) => pool.apply('sleepThen', 60, String(i))));
    await rejection(pool.apply('fail', 'counted'));
    const stats = pool.stats();
    expect(stats).toMatchObject({ queued: 0, running: 0, completed: 4, failed: 1, cancelled: 0 });
    const { runTime, waitTime } = stats;
    expect(runTime.count).toBe(5);
    expect(waitTime.count).toBe(5);
    expect(runTime.max).toBeGreaterThanOrEqual(55);
    expect(runTime.p90).toBeGreaterThanOrEqual(55);
    expect(runTime.min).toBeLessThan(runTime.p50);
    for (const t of [runTime, waitTime]) {
      expect(t.min).toBeLessThanOrEqual(t.p50);
      expect(t.p50).toBeLessThanOrEqual(t.p90);
      expect(t.p90).toBeLessThanOrEqual(t.p99);
      expect(t.p99).toBeLessThanOrEqual(t.max);
      expect(t.mean).toBeGreaterThanOrEqual(t.min);
      expect(t.mean).toBeLessThanOrEqual(t.max);
    }
    expect(waitTime.max).toBeGreaterThanOrEqual(170);
  });
});

describe.concurrent('option checks', () => {
  it('refuses bad pool options with ArgumentError naming the option', () => {
    const bad: Array<[PoolOptions, string]> = [
      [{ maxQueue: -1 }, "Pool: invalid argument 'options.maxQueue': expected an integer >= 0 (or Infinity), got -1"],
      [{ maxQueue: 1.5 }, "Pool: invalid argument 'options.maxQueue': expected an integer >= 0 (or Infinity), got 1.5"],
      [{ maxQueue: '3' as never }, "Pool: invalid argument 'options.maxQueue': expected an integer >= 0 (or Infinity), got \"3\""],
      [{ maxTasksPerChild: 0 }, "Pool: invalid argument 'options.maxTasksPerChild': expected a positive integer (or Infinity), got 0"],
      [{ idleTimeout: 0 }, "Pool: invalid argument 'options.idleTimeout': expected a positive integer of milliseconds (or Infinity), got 0"],
      [{ idleTimeout: 2 ** 31 }, `Pool: invalid argument 'options.idleTimeout': expected at most ${2 ** 31 - 1} ms (or Infinity), got ${2 ** 31}`],
      [{ idleTimeout: Number.NaN }, "Pool: invalid argument 'options.idleTimeout': expected a positive integer of milliseconds (or Infinity), got NaN"],
    ];
    for (const [options, message] of bad) {
      const error = thrown(() => new Pool(BASIC, { size: 1, ...options }));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toBe(message);
    }
  });

  it('accepts Infinity for each limit', async ({ track }) => {
    const pool = basicPool(track, { size: 1, maxQueue: Infinity, maxTasksPerChild: Infinity, idleTimeout: Infinity });
    expect(await pool.apply('square', 3)).toBe(9);
  });

  it('refuses a signal that is not an AbortSignal and an onProgress that is not a function', async () => {
    const pool = sharedPool();
    const signal = "pool.run: invalid argument 'options.signal': expected an AbortSignal, got an object";
    expect((await rejection(pool.run('square', [1], { signal: {} as never }))).message).toBe(signal);
    expect((await rejection(pool.run('square', [1], { onProgress: 3 as never }))).message)
      .toBe("pool.run: invalid argument 'options.onProgress': expected a function, got 3");
    expect((await rejection(pool.run('square', 1 as never))).message)
      .toBe("pool.run: invalid argument 'args': expected an array of arguments, got 1");
    expect((await rejection(pool.map('square', [1], { signal: 'x' as never }))).message)
      .toBe("pool.map: invalid argument 'options.signal': expected an AbortSignal, got \"x\"");
    expect((await rejection(pool.mapRows('fillRows', zeros([2, 2]), { onProgress: 'x' as never }))).message)
      .toBe("pool.mapRows: invalid argument 'options.onProgress': expected a function, got \"x\"");
    expect(() => pool.applyAsync('square', [1], { signal: 1 as never })).toThrow("pool.applyAsync: invalid argument 'options.signal'");
    expect(() => pool.imap('square', [1], { signal: null as never })).toThrow("pool.imap: invalid argument 'options.signal': expected an AbortSignal, got null");
    expect(() => pool.imap('square', [1], { onProgress: () => {} } as never)).toThrow("unknown option \"onProgress\"");
  });
});
