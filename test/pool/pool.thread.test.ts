import { describe, expect, vi } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  ArgumentError, AsyncResult, DTypeError, NotSharedError, Pool, PoolStateError, ShapeError, SharedNDArray,
  SharedNDArrayError, TimeoutError, ValueError, WorkerDiedError, frombuffer, registerKind, zeros, type PoolOptions,
} from '../../src/index.js';
import { decode, encode } from '../../src/transport/transport.js';
import { filePool, it, sleep, type Track } from '../support/pools.js';

/**
 * The worker pool, run from src/ on the main thread; its workers run the compiled dist/ with the
 * worker module test/support/pool-basic.mjs. Failures (worker death, broken modules, process
 * lifetime and signals) are in failures.thread.test.ts.
 */

const BASIC = new URL('../support/pool-basic.mjs', import.meta.url);

type Basic = typeof import('../support/pool-basic.mjs');

/** The functions pool-basic.mjs defines, in its order. */
const FUNCTION_NAMES = Object.keys((await import('../support/pool-basic.mjs')).default);

/** A pool over pool-basic.mjs of its own, for a test that closes, terminates or kills it. */
function basicPool(track: Track, options: PoolOptions = {}): Pool<Basic> {
  return track(new Pool<Basic>(BASIC, { size: 2, ...options }));
}

/** The pool of the tests that leave it idle and whole. */
const shared = filePool<Basic>(BASIC, { size: 2 });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('apply, map, starmap', () => {
  it('apply runs one call and resolves to its result; size is as given', async () => {
    const pool = shared();
    expect(pool.size).toBe(2);
    await pool.ready();
    expect(await pool.apply('add', 2, 3)).toBe(5);
    expect(await pool.apply('square', -7)).toBe(49);
    expect(await pool.apply('asyncDouble', 21)).toBe(42);
    expect(typeof (await pool.apply('threadId'))).toBe('number');
  });

  it('results that are objects, arrays, typed arrays, Maps, bigints and Dates arrive by structured clone', async () => {
    const pool = shared();
    const result = await pool.apply('structured', 3);
    expect(result).toEqual({
      n: 3,
      list: [1, 'two', [3, [4]], null, true],
      floats: new Float64Array([0.5, 3]),
      bytes: new Uint8Array([1, 2, 255]),
      big: 2n ** 64n + 3n,
      map: new Map([['k', new Set([1, 2])]]),
      date: new Date(0),
    });
    expect(result.floats).toBeInstanceOf(Float64Array);
    expect(result.bytes).toBeInstanceOf(Uint8Array);
    expect(result.map.get('k')).toBeInstanceOf(Set);
  });

  it('falsy and special values survive the round trip, alone and in a chunk', async () => {
    const pool = shared();
    const values = [0, -0, '', false, null, undefined, Number.NaN];
    for (const value of values) expect(Object.is(await pool.apply('echo', value), value)).toBe(true);
    const mapped = await pool.map('echo', values, { chunksize: 3 });
    expect(mapped).toHaveLength(values.length);
    for (const [i, value] of mapped.entries()) expect(Object.is(value, values[i])).toBe(true);
  });

  it('map keeps input order, with async functions and with results that are arrays', async () => {
    const pool = shared();
    const items = Array.from({ length: 25 }, (_, i) => i - 5);
    expect(await pool.map('square', items)).toEqual(items.map((x) => x * x));
    expect(await pool.map('asyncDouble', items)).toEqual(items.map((x) => x * 2));
    // Results that are arrays are not flattened into the result list.
    expect(await pool.map('pair', [1, 2, 3], { chunksize: 2 })).toEqual([[1, [1]], [2, [2]], [3, [3]]]);
    // Any iterable: a Set and a generator.
    expect(await pool.map('square', new Set([3, 4]))).toEqual([9, 16]);
    expect(await pool.map('square', (function* () { yield 5; yield 6; })())).toEqual([25, 36]);
  });

  it('map with items of different durations still resolves in input order', async () => {
    const pool = shared();
    const items = [60, 0, 40, 0, 20, 0].map((ms, value) => ({ ms, value }));
    expect(await pool.map('delayed', items, { chunksize: 1 })).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('chunksize counts round trips: a chunk runs on one thread, chunksize = items.length on one thread only', async () => {
    const pool = shared();
    await pool.ready();
    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    const one = await pool.map('tagged', items, { chunksize: items.length });
    expect(one.map(([item]) => item)).toEqual(items);
    expect(new Set(one.map(([, thread]) => thread)).size).toBe(1);

    const pairs = await pool.map('tagged', items, { chunksize: 3 });
    expect(pairs.map(([item]) => item)).toEqual(items);
    // Items of one chunk share a thread: [0, 1, 2], [3, 4, 5], [6, 7].
    for (const [from, to] of [[0, 3], [3, 6], [6, 8]] as const) {
      expect(new Set(pairs.slice(from, to).map(([, thread]) => thread)).size).toBe(1);
    }

    // Without chunksize, 2 items on 2 workers go one per round trip (Python's ~4 chunks per
    // worker): the two barrier calls only both return if they run at once on two threads.
    const counter = zeros([1], 'int32');
    const threads = await pool.starmap('barrier', [[counter, 2], [counter, 2]]);
    expect(new Set(threads).size).toBe(2);
    // 8 items on 2 workers are still 8 round trips (ceil(8 / (2 × 4)) = 1): each pair of barrier
    // calls on one counter returns only if the pair runs at once, which a chunk of 2+ would prevent.
    const counters = [0, 1, 2, 3].map(() => zeros([1], 'int32'));
    const eight = await pool.starmap('barrier', [0, 0, 1, 1, 2, 2, 3, 3].map((i) => [counters[i]!, 2] as [SharedNDArray<'int32'>, number]));
    expect(new Set(eight).size).toBe(2);
  });

  it("a chunk's calls run one after another in the worker, not at once", async () => {
    const pool = shared();
    await pool.ready();
    const started = performance.now();
    expect(await pool.starmap('sleepThen', [[100, 'a'], [100, 'b']], { chunksize: 2 })).toEqual(['a', 'b']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('empty inputs resolve to [] without running anything', async () => {
    const pool = shared();
    expect(await pool.map('square', [])).toEqual([]);
    expect(await pool.map('square', [], { chunksize: 5 })).toEqual([]);
    expect(await pool.starmap('add', [])).toEqual([]);
    expect(await pool.mapAsync('square', []).get()).toEqual([]);
    expect(await pool.starmapAsync('add', []).get()).toEqual([]);
    expect(await collect(pool.imap('square', []))).toEqual([]);
    expect(await collect(pool.imapUnordered('square', []))).toEqual([]);
  });

  it('starmap spreads each argument list, in input order', async () => {
    const pool = shared();
    const argLists: Array<[number, number]> = Array.from({ length: 11 }, (_, i) => [i, 100 * i]);
    expect(await pool.starmap('add', argLists)).toEqual(argLists.map(([a, b]) => a + b));
    expect(await pool.starmap('add', argLists, { chunksize: 4 })).toEqual(argLists.map(([a, b]) => a + b));
    expect(await pool.starmap('sleepThen', [[30, 'a'], [0, 'b'], [10, 'c']])).toEqual(['a', 'b', 'c']);
  });

  it('map, starmap: invalid arguments reject with ArgumentError', async () => {
    const pool = shared();
    const notIterable = await rejection(pool.map('square', 5 as never));
    expect(notIterable).toBeInstanceOf(ArgumentError);
    expect(notIterable.message).toBe("pool.map: invalid argument 'items': expected an iterable, got 5");
    const notArray = await rejection(pool.starmap('add', [[1, 2], 3] as never));
    expect(notArray).toBeInstanceOf(ArgumentError);
    expect(notArray.message).toBe("pool.starmap: invalid argument 'argLists[1]': expected an array of arguments, got 3");
    async function* asyncItems(): AsyncGenerator<number> {
      yield 1;
    }
    const asyncOnly = await rejection(pool.map('square', asyncItems() as never));
    expect(asyncOnly).toBeInstanceOf(ArgumentError);
    expect(asyncOnly.message).toMatch(/^pool\.map: invalid argument 'items': expected an iterable, got /);
    await expect(pool.starmap('add', asyncItems() as never)).rejects.toThrow("pool.starmap: invalid argument 'argLists': expected an iterable");
    for (const chunksize of [0, 1.5, -1]) {
      const bad = await rejection(pool.map('square', [1], { chunksize }));
      expect(bad).toBeInstanceOf(ArgumentError);
      expect(bad.message).toBe(`pool.map: invalid argument 'options.chunksize': expected a positive integer, got ${chunksize}`);
    }
  });

  it('the first failing item rejects map with its error', async () => {
    const pool = shared();
    const error = await rejection(pool.map('failIfNegative', [1, 2, -3, 4]));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('negative item -3');
    const inChunk = await rejection(pool.map('failAsyncIfNegative', [1, -2, 3], { chunksize: 3 }));
    expect(inChunk).toBeInstanceOf(RangeError);
    expect(inChunk.message).toBe('negative item -2');
    expect(await pool.map('failIfNegative', [1, 2])).toEqual([1, 2]);
  });
});

describe('AsyncResult: applyAsync, mapAsync, starmapAsync', () => {
  it('refuses bad timeouts in wait() and get(), ready or not, and bad callbacks before queueing work', async () => {
    const pool = shared();
    const result = pool.applyAsync('add', [1, 2]);
    for (const bad of ['abc', Number.NaN, -1]) {
      expect(await rejection(result.wait(bad as number))).toBeInstanceOf(ArgumentError);
    }
    expect(await result.get()).toBe(3);
    expect(await rejection(result.get('abc' as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => pool.applyAsync('add', [1, 2], { callback: 'no' as never })).message)
      .toBe("pool.applyAsync: invalid argument 'options.callback': expected a function, got \"no\"");
    expect(() => pool.mapAsync('square', [1], { errorCallback: 1 as never })).toThrow(ArgumentError);
  });

  it('refuses unknown option keys instead of ignoring them', async () => {
    const pool = shared();
    await expect(pool.map('square', [1], { chunkSize: 2 } as never)).rejects.toThrow("pool.map: invalid argument 'options': unknown option \"chunkSize\" (expected one of 'chunksize', 'signal', 'onProgress')");
    await expect(pool.map('square', [1], 5 as never)).rejects.toThrow("pool.map: invalid argument 'options': expected an options object, got 5");
    expect(() => pool.imap('square', [1], { size: 1 } as never)).toThrow(ArgumentError);
    await expect(pool.mapRows('fillRows', zeros([2, 2]), { rows: 1 } as never)).rejects.toThrow("unknown option \"rows\"");
    expect(() => pool.applyAsync('add', [1, 2], { onDone: () => {} } as never)).toThrow(ArgumentError);
  });

  it('get() resolves to the result; ready() and successful() follow', async () => {
    const pool = shared();
    const result = pool.applyAsync('add', [2, 3]);
    expect(result).toBeInstanceOf(AsyncResult);
    expect(await result.get()).toBe(5);
    expect(result.ready()).toBe(true);
    expect(result.successful()).toBe(true);
    expect(await result.get()).toBe(5);
    expect(await result.get(0)).toBe(5);
    expect(await result.wait(0)).toBe(true);
    expect(await pool.mapAsync('square', [1, 2, 3]).get()).toEqual([1, 4, 9]);
    expect(await pool.mapAsync('tagged', [1, 2, 3, 4], { chunksize: 4 }).get().then((r) => new Set(r.map(([, t]) => t)).size)).toBe(1);
    expect(await pool.starmapAsync('add', [[1, 2], [3, 4], [5, 6]]).get()).toEqual([3, 7, 11]);
    expect(await pool.starmapAsync('add', [[1, 2], [3, 4], [5, 6]], { chunksize: 2 }).get()).toEqual([3, 7, 11]);
  });

  it('get(timeoutMs) rejects with TimeoutError for a slow task; the work goes on and a later get() has it', async () => {
    const pool = shared();
    const result = pool.applyAsync('sleepThen', [400, 'slow value']);
    const started = performance.now();
    const timeout = await rejection(result.get(50));
    expect(performance.now() - started).toBeLessThan(350);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout).toBeInstanceOf(SharedNDArrayError);
    expect(timeout.message).toBe('AsyncResult.get: the result was not ready within 50 ms');
    expect(result.ready()).toBe(false);
    const notReady = thrown(() => result.successful());
    expect(notReady).toBeInstanceOf(ValueError);
    expect(notReady.message).toContain('not ready yet');
    expect(await result.wait(20)).toBe(false);
    const badTimeout = await rejection(result.get(-1));
    expect(badTimeout).toBeInstanceOf(ArgumentError);
    expect(badTimeout.message).toContain("invalid argument 'timeoutMs'");

    expect(await result.get()).toBe('slow value');
    expect(result.ready()).toBe(true);
    expect(result.successful()).toBe(true);
    expect(await result.wait(10)).toBe(true);
  });

  it('get(timeoutMs) rejects NaN and non-numbers with ArgumentError', async () => {
    const pending = new AsyncResult<number>(new Promise<number>(() => {}));
    for (const timeoutMs of [Number.NaN, '10', null, -0.5]) {
      const error = await rejection(pending.get(timeoutMs as number));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^AsyncResult: invalid argument 'timeoutMs': expected a number >= 0 \(or Infinity\), got /);
    }
  });

  it('a timeout beyond 2^31 - 1 ms is one capped timer, re-armed for the rest; no timer outlives the result', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const pending = new AsyncResult<number>(new Promise<number>(() => {}));
      let timedOut = false;
      const late = rejection(pending.get(2 ** 31 + 1_000)).finally(() => { timedOut = true; });
      await vi.advanceTimersByTimeAsync(1_000);
      // one timer of 2^31 - 1 ms, not a 1 ms timer (what setTimeout does with longer delays) firing over and over
      expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1 - 1_000);
      expect(timedOut).toBe(false); // the first timer fired with 1001 ms still to go, and was re-armed
      await vi.advanceTimersByTimeAsync(1_001);
      const error = await late;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.message).toBe(`AsyncResult.get: the result was not ready within ${2 ** 31 + 1_000} ms`);
      expect(setTimeoutSpy).toHaveBeenCalledTimes(2);

      let resolve: (value: number) => void = () => {};
      const soon = new AsyncResult<number>(new Promise<number>((r) => { resolve = r; }));
      const got = soon.get(60_000);
      expect(vi.getTimerCount()).toBe(1);
      resolve(7);
      expect(await got).toBe(7);
      // the result came first: its timeout timer is gone and cannot hold the process open for a minute
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      // first, or it would put back the fake setTimeout it wraps. vi.restoreAllMocks, not
      // mockRestore: vitest keeps a spy's restore after mockRestore and runs it again after the
      // file, which (where files share a process) left the next file the fake clock's setTimeout
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });

  it('get(Infinity) and wait() with a timeout beyond 2^31 - 1 ms wait for the result instead of timing out', async () => {
    const pool = shared();
    // 50 ms: a timeout that overflowed to setTimeout's 1 ms would be due 49 ms before the reply
    const result = pool.applyAsync('sleepThen', [50, 'eventually']);
    // timeoutMs >= 0 is accepted, so Infinity must mean "no limit", not a 1 ms setTimeout overflow
    expect(await result.get(Infinity)).toBe('eventually');
    const other = pool.applyAsync('sleepThen', [50, 'again']);
    expect(await other.wait(2 ** 31)).toBe(true);
    expect(await other.get()).toBe('again');
  });

  it('wait(timeoutMs) resolves false while pending, then true; it never rejects for a failed task', async () => {
    const pool = shared();
    const result = pool.applyAsync('failAsync', ['late failure']);
    const slow = pool.applyAsync('sleepThen', [300, 'x']);
    expect(await slow.wait(30)).toBe(false);
    expect(await slow.wait()).toBe(true);
    expect(await result.wait()).toBe(true);
    expect(result.ready()).toBe(true);
    expect(result.successful()).toBe(false);
    const error = await rejection(result.get());
    expect(error.message).toBe('late failure');
  });

  it('callback gets the result, errorCallback the error; an uncollected failure is no unhandled rejection', async () => {
    const pool = shared();
    const calls: unknown[] = [];
    const ok = pool.mapAsync('square', [1, 2, 3], {
      callback: (value) => calls.push(['ok', value]),
      errorCallback: (error) => calls.push(['unexpected', error]),
    });
    expect(await ok.get()).toEqual([1, 4, 9]);
    expect(calls).toEqual([['ok', [1, 4, 9]]]);

    const errors: unknown[] = [];
    const failed = pool.applyAsync('fail', ['callback failure'], {
      callback: (value) => errors.push(['unexpected', value]),
      errorCallback: (error) => errors.push(error),
    });
    expect(await failed.wait()).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
    expect((errors[0] as Error).message).toBe('callback failure');
    expect(await rejection(failed.get())).toBe(errors[0]);

    const starred: unknown[] = [];
    const star = pool.starmapAsync('add', [[1, 1], [2, 2]], { callback: (value) => starred.push(value) });
    await star.wait();
    expect(starred).toEqual([[2, 4]]);

    // Never collected: must not surface as an unhandled rejection (vitest would fail the run).
    const ignored = pool.applyAsync('fail', ['nobody collects this']);
    await sleep(100);
    expect(ignored.ready()).toBe(true);
  });

  it('applyAsync, mapAsync, starmapAsync throw synchronously on bad arguments', () => {
    const pool = shared();
    const notArray = thrown(() => pool.applyAsync('add', 1 as never));
    expect(notArray).toBeInstanceOf(ArgumentError);
    expect(notArray.message).toBe("pool.applyAsync: invalid argument 'args': expected an array of arguments, got 1");
    const notString = thrown(() => pool.applyAsync(42 as never, [] as never));
    expect(notString).toBeInstanceOf(ArgumentError);
    expect(notString.message).toBe("pool.applyAsync: invalid argument 'fn': expected the name of a function of the worker module, got 42");
    expect(() => pool.mapAsync('square', 3 as never)).toThrow(ArgumentError);
    expect(() => pool.starmapAsync('add', [5] as never)).toThrow(ArgumentError);
    expect(() => pool.mapAsync('square', [1], { chunksize: 0 })).toThrow("pool.mapAsync: invalid argument 'options.chunksize'");
  });
});

describe('imap, imapUnordered', () => {
  it('imap yields in input order however long each item takes', async () => {
    const pool = shared();
    const items = [80, 0, 50, 0, 20, 0, 0].map((ms, value) => ({ ms, value }));
    expect(await collect(pool.imap('delayed', items))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('imapUnordered yields in completion order: a slow first item arrives last', async () => {
    const pool = shared();
    await pool.ready();
    const items = [{ ms: 500, value: 0 }, { ms: 0, value: 1 }, { ms: 0, value: 2 }, { ms: 0, value: 3 }];
    expect(await collect(pool.imapUnordered('delayed', items))).toEqual([1, 2, 3, 0]);
  });

  it('both take async iterables', async () => {
    const pool = shared();
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 0; i < 6; i++) {
        await sleep(1);
        yield i;
      }
    }
    expect(await collect(pool.imap('square', numbers()))).toEqual([0, 1, 4, 9, 16, 25]);
    expect((await collect(pool.imapUnordered('square', numbers()))).sort((a, b) => a - b)).toEqual([0, 1, 4, 9, 16, 25]);
    expect(await collect(pool.imap('square', numbers(), { chunksize: 4 }))).toEqual([0, 1, 4, 9, 16, 25]);
  });

  it('chunksize: items of one chunk run together on one thread, results stay in order', async () => {
    const pool = shared();
    const results = await collect(pool.imap('tagged', [0, 1, 2, 3, 4, 5, 6], { chunksize: 3 }));
    expect(results.map(([item]) => item)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const [from, to] of [[0, 3], [3, 6], [6, 7]] as const) {
      expect(new Set(results.slice(from, to).map(([, thread]) => thread)).size).toBe(1);
    }
    const all = await collect(pool.imapUnordered('tagged', [0, 1, 2, 3], { chunksize: 4 }));
    expect(all.map(([item]) => item)).toEqual([0, 1, 2, 3]);
    expect(new Set(all.map(([, thread]) => thread)).size).toBe(1);
    expect(() => pool.imap('square', [1], { chunksize: 0 })).toThrow(ArgumentError);
  });

  it('reads the input lazily: break on an infinite input stops reading it and leaves the pool usable', async () => {
    const pool = shared();
    let pulled = 0;
    let closed = false;
    function* naturals(): Generator<number> {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    // Up to the first result, at most 2 × size chunks (here items) are read.
    const first = pool.imap('square', naturals());
    expect((await first.next()).value).toBe(0);
    // at most a window of 2 × size chunks not yet consumed, plus the one just consumed
    expect(pulled).toBeLessThanOrEqual(2 * pool.size + 1);
    await first.return(undefined);
    expect(closed).toBe(true);
    pulled = 0;
    closed = false;

    const seen: number[] = [];
    for await (const value of pool.imap('square', naturals())) {
      seen.push(value);
      if (seen.length === 5) break;
    }
    expect(seen).toEqual([0, 1, 4, 9, 16]);
    expect(closed).toBe(true);
    // At most 2 × size chunks are in flight besides the ones consumed.
    expect(pulled).toBeLessThanOrEqual(5 + 2 * pool.size);

    const unordered: number[] = [];
    for await (const value of pool.imapUnordered('square', naturals(), { chunksize: 2 })) {
      unordered.push(value);
      if (unordered.length === 3) break;
    }
    expect(unordered).toHaveLength(3);
    expect(await pool.apply('add', 1, 1)).toBe(2);
    expect(await pool.map('square', [1, 2, 3])).toEqual([1, 4, 9]);
  });

  it('an error from one item throws from the iterator after the items before it', async () => {
    const pool = shared();
    const seen: number[] = [];
    const error = await rejection((async () => {
      for await (const value of pool.imap('failIfNegative', [1, 2, -3, 4, 5])) seen.push(value);
    })());
    expect(seen).toEqual([1, 2]);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('negative item -3');

    const unordered = await rejection(collect(pool.imapUnordered('failAsyncIfNegative', [1, -2, 3])));
    expect(unordered).toBeInstanceOf(RangeError);
    expect(unordered.message).toBe('negative item -2');
    expect(await collect(pool.imap('square', [2, 3]))).toEqual([4, 9]);
  });

  it('yields a result as soon as it is ready, even while the input is slow to give the next item', async () => {
    const pool = shared();
    // The second item is only given once the first result has been read: a feedback loop that
    // deadlocks an iterator which reads input before it yields.
    let firstResult: (value: number) => void = () => {};
    const seen = new Promise<number>((resolve) => { firstResult = resolve; });
    async function* items(): AsyncGenerator<number> {
      yield 3;
      yield (await seen) + 1;
    }
    const out: number[] = [];
    for await (const value of pool.imap('square', items())) {
      out.push(value);
      if (out.length === 1) firstResult(value);
    }
    expect(out).toEqual([9, 100]);
  });

  it('an error from the input comes after the results of the items read before it', async () => {
    const pool = shared();
    async function* items(): AsyncGenerator<number> {
      yield 1; yield 2; yield 3;
      throw new Error('input broke after 3 items');
    }
    for (const method of ['imap', 'imapUnordered'] as const) {
      const out: number[] = [];
      const error = await rejection((async () => { for await (const v of pool[method]('square', items())) out.push(v); })());
      expect(error.message).toBe('input broke after 3 items');
      expect(out.sort((a, b) => a - b)).toEqual([1, 4, 9]);
    }
  });

  it.concurrent('an imap begun before close() still runs to the end, as in Python; join() waits for all of it', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const early = pool.imap('square', [1, 2, 3]);
    pool.close();
    expect(await collect(early)).toEqual([1, 4, 9]);
    await pool.join();

    const other = basicPool(track, { size: 1 });
    let pulled = 0;
    function* items(): Generator<number> {
      for (let i = 0; i < 40; i++) { pulled++; yield i; }
    }
    const iterator = other.imap('square', items());
    expect((await iterator.next()).value).toBe(0);
    expect(pulled).toBeLessThan(40); // lazy while the pool runs
    other.close();                   // the rest of the input is queued now
    await other.join();              // and finished, though nobody reads the results
    expect(pulled).toBe(40);
    const rest: number[] = [];
    for await (const value of iterator) rest.push(value);
    expect(rest).toEqual(Array.from({ length: 39 }, (_, i) => (i + 1) ** 2));
  });

  it.concurrent('an input that throws after close() fails the iteration, not the process; join() still returns', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    async function* items(): AsyncGenerator<number> {
      yield 1;
      throw new Error('input broke');
    }
    const iterator = pool.imap('square', items());
    pool.close();
    await pool.join();
    const out: number[] = [];
    const error = await rejection((async () => { for await (const v of iterator) out.push(v); })());
    expect(error.message).toBe('input broke');
    expect(out).toEqual([1]);
  });

  it.concurrent('close() while an infinite input is being read keeps the event loop running; break then ends it', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    function* naturals(): Generator<number> {
      for (let i = 0; ; i++) yield i;
    }
    const out: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 5);
    try {
      for await (const value of pool.imap('square', naturals())) {
        out.push(value);
        if (out.length === 3) pool.close();
        if (out.length === 3) await sleep(30);
        if (out.length === 6) break;
      }
      await pool.join();
    } finally {
      clearInterval(timer);
    }
    expect(out).toEqual([0, 1, 4, 9, 16, 25]);
    expect(ticks).toBeGreaterThan(0);
  });

  it('bad arguments throw at the call, before any iteration', () => {
    const pool = shared();
    const notIterable = thrown(() => pool.imap('square', 7 as never));
    expect(notIterable).toBeInstanceOf(ArgumentError);
    expect(notIterable.message).toBe("pool.imap: invalid argument 'items': expected an iterable or async iterable, got 7");
    const notString = thrown(() => (pool as unknown as Pool).imapUnordered(null as unknown as string, [1]));
    expect(notString).toBeInstanceOf(ArgumentError);
    expect(notString.message).toBe("pool.imapUnordered: invalid argument 'fn': expected the name of a function of the worker module, got null");
  });
});

describe.concurrent('close, join, terminate', () => {
  it('close(): later submissions are refused with PoolStateError', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    expect(await pool.apply('add', 1, 2)).toBe(3);
    pool.close();
    pool.close(); // idempotent
    const refused = await rejection(pool.apply('add', 1, 2));
    expect(refused).toBeInstanceOf(PoolStateError);
    expect(refused.message).toBe('pool.apply: the pool is closed (close() was called); it takes no new work');
    const applyAsync = thrown(() => pool.applyAsync('add', [1, 2]));
    expect(applyAsync).toBeInstanceOf(PoolStateError);
    expect(applyAsync.message).toContain('pool.applyAsync: the pool is closed');
    const mapAsync = thrown(() => pool.mapAsync('square', [1]));
    expect(mapAsync).toBeInstanceOf(PoolStateError);
    expect(mapAsync.message).toContain('pool.mapAsync: the pool is closed');
    expect(() => pool.starmapAsync('add', [[1, 2]])).toThrow(PoolStateError);
    await expect(pool.map('square', [1, 2])).rejects.toThrow(PoolStateError);
    await expect(pool.map('square', [])).rejects.toThrow(PoolStateError);
    await expect(pool.starmap('add', [[1, 2]])).rejects.toThrow(PoolStateError);
    await expect(pool.mapRows('fillRows', zeros([2, 2]))).rejects.toThrow(PoolStateError);
    expect(() => pool.imap('square', [1])).toThrow('pool.imap: the pool is closed');
    await pool.join();
  });

  it('join() before close() rejects with PoolStateError', async () => {
    const pool = shared();
    const error = await rejection(pool.join());
    expect(error).toBeInstanceOf(PoolStateError);
    expect(error.message).toBe('pool.join: the pool is still running; call close() or terminate() first');
    expect(await pool.apply('add', 2, 2)).toBe(4);
  });

  it('close() + join() waits for all queued work; the pool then says it is closed, not terminated', async ({ track }) => {
    const pool = basicPool(track);
    const settled: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((value) => pool.apply('sleepThen', 120, value).then((v) => {
      settled.push(v);
      return v;
    }));
    const viaMap = pool.map('asyncDouble', [1, 2, 3]);
    pool.close();
    await pool.join();
    // Every task had settled before join() resolved: five 120 ms tasks on two workers.
    expect(settled.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await Promise.all(tasks)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await viaMap).toEqual([2, 4, 6]);
    const after = await rejection(pool.apply('add', 1, 1));
    expect(after).toBeInstanceOf(PoolStateError);
    expect(after.message).toBe('pool.apply: the pool is closed (close() was called); it takes no new work');
    await pool.join(); // a second join is harmless
  });

  it('terminate() rejects running and queued tasks and returns promptly, even from an infinite loop', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    await pool.ready();
    const running = pool.apply('spin');
    const queued = pool.apply('add', 1, 2);
    const queuedMap = pool.map('square', [1, 2, 3]);
    // Handlers attached now: the tasks reject while terminate() is awaited.
    const outcomes = [running, queued, queuedMap].map(rejection);
    await sleep(100); // the worker is inside `for (;;) {}` by now
    const started = performance.now();
    await pool.terminate();
    expect(performance.now() - started).toBeLessThan(2_000);
    for (const outcome of outcomes) {
      const error = await outcome;
      expect(error).toBeInstanceOf(PoolStateError);
      expect(error.message).toBe('pool.terminate() was called before this task finished');
    }
    const after = await rejection(pool.apply('add', 1, 1));
    expect(after).toBeInstanceOf(PoolStateError);
    expect(after.message).toContain('terminated');
    await pool.terminate(); // idempotent
    await pool.join(); // join after terminate resolves at once
  });

  it('terminate() ends a join() that waits for an infinite loop', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const spinning = rejection(pool.apply('spin'));
    pool.close();
    let joined = false;
    const join = pool.join().then(() => { joined = true; });
    await sleep(150);
    expect(joined).toBe(false);
    await pool.terminate();
    await join;
    expect(joined).toBe(true);
    expect(await spinning).toBeInstanceOf(PoolStateError);
  });

  it('terminate() right after the constructor, while workers still start, resolves and refuses work', async ({ track }) => {
    const pool = basicPool(track);
    const queued = rejection(pool.apply('add', 1, 2));
    await pool.terminate();
    expect(await queued).toBeInstanceOf(PoolStateError);
  });

  it('await pool[Symbol.asyncDispose]() terminates the pool', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    await pool.ready();
    const running = rejection(pool.apply('sleepThen', 5_000, 'never'));
    const started = performance.now();
    await pool[Symbol.asyncDispose]();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await running).toBeInstanceOf(PoolStateError);
    await expect(pool.apply('add', 1, 1)).rejects.toThrow('pool.apply: the pool is terminated');
  });
});

describe('zero copy: SharedNDArrays cross as views of the same memory', () => {
  it('mapRows: each worker fills its rows with its threadId, and the main thread sees the writes', async () => {
    const pool = shared();
    await pool.ready();
    const matrix = zeros([5, 3]);
    const blocks = await pool.mapRows('fillRows', matrix);
    // Default rowsPerTask: the 5 rows split evenly, one block per worker.
    expect(blocks.map(({ start, stop }) => [start, stop])).toEqual([[0, 3], [3, 5]]);
    // Both blocks were handed out at once to the two idle workers.
    expect(new Set(blocks.map((b) => b.threadId)).size).toBe(2);
    for (const { start, stop, threadId } of blocks) {
      expect(threadId).toBeGreaterThan(0);
      for (let r = start; r < stop; r++) expect(matrix.row(r).toArray()).toEqual([threadId, threadId, threadId]);
    }
  });

  it('mapRows: explicit rowsPerTask, args forwarding, strided views, rows = 0', async () => {
    const pool = shared();
    const matrix = zeros([10, 2], 'int32');
    const blocks = await pool.mapRows('rowArgs', matrix, { rowsPerTask: 4, args: ['x', 7, { y: [1] }] });
    expect(blocks).toEqual([
      [[10, 2], 0, 4, 'x', 7, { y: [1] }],
      [[10, 2], 4, 7, 'x', 7, { y: [1] }],
      [[10, 2], 7, 10, 'x', 7, { y: [1] }],
    ]);
    expect(await pool.mapRows('rowArgs', matrix, { rowsPerTask: 10 })).toEqual([[[10, 2], 0, 10]]);
    expect(await pool.mapRows('rowArgs', matrix, { rowsPerTask: 100 })).toEqual([[[10, 2], 0, 10]]);
    expect((await pool.mapRows('rowArgs', matrix, { rowsPerTask: 1 })).map((b) => [b[1], b[2]]))
      .toEqual(Array.from({ length: 10 }, (_, i) => [i, i + 1]));

    // A strided view: only the even rows of the underlying matrix are written.
    const even = matrix.slice('::2');
    const written = await pool.mapRows('fillRows', even, { rowsPerTask: 2 });
    expect(written.map(({ start, stop }) => [start, stop])).toEqual([[0, 2], [2, 4], [4, 5]]);
    for (let r = 0; r < 10; r++) {
      const row = matrix.row(r).toArray() as number[];
      if (r % 2 === 1) expect(row).toEqual([0, 0]);
      else expect(row[0]).toBeGreaterThan(0);
    }

    expect(await pool.mapRows('fillRows', zeros([0, 3]))).toEqual([]);
    expect(await pool.mapRows('rowArgs', zeros([3]), { rowsPerTask: 2 })).toEqual([[[3], 0, 2], [[3], 2, 3]]);
  });

  it('mapRows: a 0-d array is a ShapeError, a non-ndarray and bad options are ArgumentErrors', async () => {
    const pool = shared();
    const scalar = zeros([]);
    expect(scalar.ndim).toBe(0);
    const zeroD = await rejection(pool.mapRows('fillRows', scalar));
    expect(zeroD).toBeInstanceOf(ShapeError);
    expect(zeroD.message).toBe("pool.mapRows: invalid argument 'array': expected at least one axis to split, got a 0-d array");
    const notArray = await rejection(pool.mapRows('fillRows', [[1, 2]] as never));
    expect(notArray).toBeInstanceOf(ArgumentError);
    expect(notArray.message).toBe("pool.mapRows: invalid argument 'array': expected a SharedNDArray, got [[1, 2]]");
    const rowsPerTask = await rejection(pool.mapRows('fillRows', zeros([2, 2]), { rowsPerTask: 0 }));
    expect(rowsPerTask).toBeInstanceOf(ArgumentError);
    expect(rowsPerTask.message).toBe("pool.mapRows: invalid argument 'options.rowsPerTask': expected a positive integer, got 0");
    const args = await rejection(pool.mapRows('rowArgs', zeros([2, 2]), { args: 'x' as never }));
    expect(args).toBeInstanceOf(ArgumentError);
    expect(args.message).toBe("pool.mapRows: invalid argument 'options.args': expected an array, got \"x\"");
  });

  it("a worker's Atomics write and the view it returns are the caller's memory", async () => {
    const pool = shared();
    const array = zeros([4], 'int32');
    array.set(2, 5);
    const result = await pool.apply('atomicsView', array);
    expect(result.previous).toBe(0);
    expect(result.isShared).toBe(true);
    expect(result.isNDArray).toBe(true);
    // The worker's Atomics.add landed in our memory; no data came back in a message.
    expect(array.get(0)).toBe(1);
    expect(result.view).toBeInstanceOf(SharedNDArray);
    expect(result.view.isShared).toBe(true);
    expect(result.view.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(result.view.buffer.byteLength).toBe(array.buffer.byteLength);
    expect([result.view.dtype, result.view.shape, result.view.offset]).toEqual(['int32', [3], 1]);
    expect(result.view.toArray()).toEqual([0, 5, 0]);
    // The returned view aliases the original in both directions: same memory, not a copy.
    result.view.set(0, 9);
    expect(array.get(1)).toBe(9);
    array.set(3, 8);
    expect(result.view.get(2)).toBe(8);
    expect(Atomics.load(new Int32Array(result.view.buffer), 0)).toBe(1);

    // Many concurrent Atomics.adds from both workers on one cell: none lost.
    const results = await pool.mapAsync('atomicsView', Array.from({ length: 20 }, () => array), { chunksize: 1 }).get();
    expect(array.get(0)).toBe(21);
    expect(results.map((r) => r.previous).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('two arguments over one buffer arrive in the worker over one SharedArrayBuffer object', async () => {
    const pool = shared();
    const a = zeros([2, 3]);
    expect(await pool.apply('sameBuffer', a, a.T)).toEqual([true, true]);
    expect(await pool.apply('sameBuffer', a, zeros([2, 3]))).toEqual([false, true]);
  });

  it('SharedNDArrays nested in objects, arrays, Maps and Sets cross both ways as views', async () => {
    const pool = shared();
    const a = zeros([3], 'int32');
    const b = zeros([2], 'int32');
    const m = zeros([1], 'int32');
    const result = await pool.apply('nested', { obj: { a }, list: [1, a.slice('1:')], map: new Map([['m', m]]) });
    expect(a.toArray()).toEqual([11, 22, 0]);
    expect(m.toArray()).toEqual([33]);
    expect(b.toArray()).toEqual([0, 0]);
    expect(result.same).toBe(true);
    expect(result.types).toEqual([true, true, true]);

    const [backA, { deeper }] = result.back;
    expect(backA).toBeInstanceOf(SharedNDArray);
    expect(backA.toArray()).toEqual([11, 22, 0]);
    backA.set(2, 99);
    expect(a.get(2)).toBe(99);
    const backM = deeper.get('m');
    expect(backM).toBeInstanceOf(SharedNDArray);
    backM!.set(0, -1);
    expect(m.get(0)).toBe(-1);
    const [fromSet] = [...result.set];
    expect(fromSet).toBeInstanceOf(SharedNDArray);
    // Views in one result message share one buffer object, as structured clone does.
    expect(fromSet!.buffer).toBe(backA.buffer);
    // An array the worker made in shared memory arrives as a SharedNDArray too.
    expect(result.fresh).toBeInstanceOf(SharedNDArray);
    expect(result.fresh.isShared).toBe(true);
    expect(result.fresh.toArray()).toEqual([0, 44]);
  });

  it('repeated references, cycles, Map keys and null-prototype objects cross as structured clone has them', async () => {
    const pool = shared();
    const a = zeros([2], 'int32');
    const list: unknown[] = [a];
    list.push(list);
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = a;
    const input: Record<string, unknown> = { twice: [a, a], list, keyed: new Map([[a, 'key']]), bare };
    input.self = input;
    const out = (await pool.apply('echo', input)) as {
      twice: SharedNDArray[]; list: unknown[]; keyed: Map<unknown, string>; bare: { a: SharedNDArray }; self: unknown;
    };
    expect(out.self).toBe(out);
    expect(out.list[1]).toBe(out.list);
    const [first, second] = out.twice;
    expect(first).toBeInstanceOf(SharedNDArray);
    // One array passed twice arrives as one array, like any object under structured clone.
    expect(second).toBe(first);
    expect(out.list[0]).toBe(first);
    expect([...out.keyed.keys()]).toEqual([first]);
    expect([...out.keyed.keys()][0]).toBe(first);
    expect(out.bare.a).toBe(first);
    first!.set(1, 7);
    expect(a.get(1)).toBe(7);
  });

  it('registerKind refuses a second kind under a taken name; a kind this thread does not know fails to decode', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const kind = {
      name: 'test-point',
      is: (value: unknown): value is Point => value instanceof Point,
      encode: (point: Point) => ({ x: point.x }),
      decode: ({ x }: { x: number }) => new Point(x),
    };
    registerKind(kind);
    registerKind(kind); // the same kind again is harmless
    const back = decode(structuredClone(encode({ p: new Point(3) }))) as { p: Point };
    expect(back.p).toBeInstanceOf(Point);
    expect(back.p.x).toBe(3);
    for (const name of ['test-point', 'ndarray', 'error']) {
      const clash = thrown(() => registerKind({ ...kind, name }));
      expect(clash).toBeInstanceOf(ArgumentError);
      expect(clash.message).toBe(`registerKind: invalid argument 'kind': a kind named "${name}" is already registered`);
    }
    const unknown = thrown(() => decode({ list: [['__sharedNdarrayTransport', 'no-such-kind', 1]] }));
    expect(unknown).toBeInstanceOf(ArgumentError);
    expect(unknown.message).toBe('decode: a value of kind "no-such-kind" arrived, but no such kind is registered in this thread');
  });

  it('an ndarray over a plain ArrayBuffer is refused with NotSharedError, not copied, both ways', async () => {
    const pool = shared();
    const plain = frombuffer(new ArrayBuffer(16));
    expect(plain.isShared).toBe(false);
    for (const task of [
      pool.apply('echo', plain),
      pool.apply('echo', { deep: [new Map([['k', plain]])] }),
      pool.mapRows('fillRows', plain.reshape(2, 1)),
      pool.map('echo', [zeros([1]), plain]),
      pool.apply('returnPlainNDArray'),
    ]) {
      const error = await rejection(task);
      expect(error).toBeInstanceOf(NotSharedError);
      expect(error.message).toContain('backed by a plain ArrayBuffer');
    }
    expect(plain.toArray()).toEqual([0, 0]);
    expect(await pool.apply('add', 1, 2)).toBe(3);
  });
});

describe('errors from workers', () => {
  it('keeps cause, Node system-error fields and AggregateError.errors', async () => {
    const pool = shared();
    const error = await rejection(pool.apply('failWithCause'));
    expect(error.message).toBe('outer');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe('inner');
    expect(error).toMatchObject({ errno: -2, path: '/nope', syscall: 'open', code: 'ENOENT' });
    const aggregate = await rejection(pool.apply('failAggregate'));
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.message).toBe('several');
    const inner = (aggregate as AggregateError).errors as Error[];
    expect(inner.map((e) => [e.constructor.name, e.message])).toEqual([['RangeError', 'a'], ['Error', 'b']]);
  });

  it('a result that cannot be decoded rejects its task; the host process and the pool go on', async () => {
    const pool = shared();
    const error = await rejection(pool.apply('returnTagged', 'no-such-kind'));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe('decode: a value of kind "no-such-kind" arrived, but no such kind is registered in this thread');
    expect(await pool.apply('add', 1, 2)).toBe(3);
    // a result's own array is data, even one laid out as the transport lays out an encoded value
    expect(await pool.apply('returnLookalike', 'no-such-kind')).toEqual(['__sharedNdarrayTransport', 'no-such-kind', 1]);
  });

  it('calls every function as a method of its definition, through apply and map alike', async () => {
    const pool = shared();
    expect(await pool.apply('viaThis', 1)).toBe(2);
    expect(await pool.map('viaThis', [1, 2])).toEqual([2, 3]);
    expect(await collect(pool.imap('viaThis', [5]))).toEqual([6]);
  });

  it("an exception rejects with the worker's message, name and stack", async () => {
    const pool = shared();
    for (const fn of ['fail', 'failAsync'] as const) {
      const error = await rejection(pool.apply(fn, `boom from ${fn}`));
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(SharedNDArrayError);
      expect(error.name).toBe('Error');
      expect(error.message).toBe(`boom from ${fn}`);
      expect(error.stack).toContain(`boom from ${fn}`);
      expect(error.stack).toContain('pool-basic.mjs');
      expect(error.stack).toMatch(new RegExp(`at (Object\\.)?${fn} `));
    }
  });

  it('a thrown TypeError arrives as a TypeError; an unknown class keeps its name', async () => {
    const pool = shared();
    const error = await rejection(pool.apply('failType', 'wrong type'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe('TypeError');
    expect(error.message).toBe('wrong type');
    const custom = await rejection(pool.apply('failCustomName'));
    expect(custom.name).toBe('CustomError');
    expect(custom.message).toBe('custom');
  });

  it("the library's own error classes arrive as those classes", async () => {
    const pool = shared();
    const error = await rejection(pool.apply('failLibrary'));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error).toBeInstanceOf(SharedNDArrayError);
    expect(error.name).toBe('ArgumentError');
    expect(error.message).toBe("frombuffer: invalid argument 'options': expected an object, got null");
    expect(error.stack).toContain('pool-basic.mjs');
    const dtype = await rejection(pool.apply('failDType'));
    expect(dtype).toBeInstanceOf(DTypeError);
    expect(dtype.message).toContain('unknown dtype "no-such-dtype"');
  });

  it('error.code is preserved', async () => {
    const pool = shared();
    const error = await rejection(pool.apply('failWithCode', 'E_POOL_TEST'));
    expect((error as Error & { code?: unknown }).code).toBe('E_POOL_TEST');
    expect(error.message).toBe('failed with E_POOL_TEST');
    const numeric = await rejection(pool.apply('failWithCode', 42));
    expect((numeric as Error & { code?: unknown }).code).toBe(42);
  });

  it('errors inside results and arguments are rebuilt as their classes too', async () => {
    const pool = shared();
    const [type, { deep }] = await pool.apply('errorsInResult');
    expect(type).toBeInstanceOf(TypeError);
    expect(type.message).toBe('inner type');
    expect(deep).toBeInstanceOf(ArgumentError);
    expect(deep.message).toBe('inner argument');
    expect(await pool.apply('describeErrors', [new RangeError('r'), new ArgumentError('a')])).toEqual([
      [true, false, 'RangeError', 'RangeError', 'r'],
      [true, true, 'ArgumentError', 'ArgumentError', 'a'],
    ]);
    const builtins = [ReferenceError, SyntaxError, EvalError, URIError, TypeError, Error];
    expect(await pool.apply('describeErrors', builtins.map((E) => new E(E.name.toLowerCase()))))
      .toEqual(builtins.map((E) => [true, false, E.name, E.name, E.name.toLowerCase()]));
  });

  it('an unknown function name rejects with ArgumentError listing the defined names; the pool goes on', async () => {
    const pool = shared();
    const untyped = pool as unknown as Pool;
    const error = await rejection(untyped.apply('nope', 1));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe(`Pool: invalid argument 'fn': the worker module ${BASIC.href} has no function "nope" (it defines ${FUNCTION_NAMES.map((n) => `'${n}'`).join(', ')})`);
    await expect(untyped.map('nope', [1, 2])).rejects.toThrow('has no function "nope"');
    await expect(collect(untyped.imap('nope', [1]))).rejects.toThrow(ArgumentError);
    // The protocol's own chunk runner is not a user function.
    await expect(untyped.apply('__sharedNdarrayChunk', 'add', [[1, 2]])).rejects.toThrow('has no function "__sharedNdarrayChunk"');
    expect(await pool.apply('add', 1, 2)).toBe(3);
  });

  it('a non-string or empty fn is rejected with ArgumentError', async () => {
    const pool = shared() as unknown as Pool;
    for (const fn of [42, '', undefined, null, Symbol('s'), () => 1]) {
      const error = await rejection(pool.apply(fn as unknown as string));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^pool\.apply: invalid argument 'fn': expected the name of a function of the worker module, got /);
    }
    const seven = 7 as unknown as string;
    await expect(pool.map(seven, [1])).rejects.toThrow("pool.map: invalid argument 'fn'");
    await expect(pool.starmap(seven, [[1]])).rejects.toThrow("pool.starmap: invalid argument 'fn'");
    await expect(pool.mapRows(seven, zeros([2, 2]))).rejects.toThrow("pool.mapRows: invalid argument 'fn'");
  });

  it('an argument that cannot be cloned rejects that task only, with an ArgumentError naming it', async () => {
    const pool = shared();
    const error = await rejection(pool.apply('echo', () => 1));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(/^pool\.apply: invalid argument 'args\[0\]': /);
    const inMap = await rejection(pool.map('echo', [1, Symbol('s')]));
    expect(inMap.message).toMatch(/^pool\.map: invalid argument 'items': /);
    const inStarmap = await rejection(pool.starmap('add', [[1, 2], [3, (() => 4) as never]]));
    expect(inStarmap.message).toMatch(/^pool\.starmap: invalid argument 'argLists': /);
    const inRows = await rejection(pool.mapRows('rowArgs' as never, zeros([2, 2]) as never, { args: [() => 0] } as never));
    expect(inRows.message).toMatch(/^pool\.mapRows: invalid argument 'options\.args\[0\]': /);
    expect(await pool.apply('echo', [1, 'a'])).toEqual([1, 'a']);
  });

  it('worker deaths reject with WorkerDiedError (details in failures.thread.test.ts)', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const error = await rejection(pool.apply('exit', 9));
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.message).toContain('exited with code 9');
  });
});
