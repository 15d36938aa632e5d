import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { drainQueueSteps, fillQueueSteps, qsizeSteps, semaphoreSteps } from '../support/cpython-steps.js';
import { filePool, sleep } from '../support/pools.js';
import {
  Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Empty, Event, Full, JoinableQueue, Lock, Queue, RLock,
  RawArray, Semaphore, type SharedArray, SimpleQueue, SyncStateError, TimeoutError, Value, withLock,
} from '../../src/index.js';

/**
 * CPython's own tests of the synchronisation primitives and queues (Lib/test/_test_multiprocessing.py:
 * _TestLock, _TestSemaphore, _TestCondition, _TestEvent, _TestBarrier, _TestQueue, TestSimpleQueue),
 * ported case by case in JS casing (docs/names.md) for the package's own Lock, Queue, ... (the
 * Manager's are test/manager/cpython-conformance.thread.test.ts). Python's child processes are
 * Pool workers running CPython's child functions (test/support/sync-cpython.mjs, which reuses
 * test/support/manager-cpython.mjs's ports); they block as Python's children do, and the main
 * thread takes the async forms where it must stay free to hear them. Timeouts are milliseconds,
 * scaled down (TIMEOUT1 = 0.1 s is 50 ms); a one-element RawArray('i') is CPython's _DummyList.
 */

const WORKER = new URL('../support/sync-cpython.mjs', import.meta.url);
const N = 5;
const TIMEOUT1 = 50;
/** A wait that must return at once, long enough that returning before it is unmistakable. */
const LONG = 10_000;

/**
 * Bunch(N - 1) and the children of the tests of the describe this is called in: a pool of N - 1
 * workers of their own (a test that fails gets a new pool for the next). The tests come in two
 * groups that run side by side, each one test at a time over its own pool: tests of both at once
 * on one pool could each hold some of the workers while waiting for their other children.
 */
function children(): (fn: string, ...args: unknown[]) => Promise<unknown> {
  const workers = filePool(WORKER, { size: N - 1 });
  return (fn, ...args) => workers().apply(fn, ...args);
}

/** assertReachesEventually, bounded by the test's timeout. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(2);
}
/** time.perf_counter() around a call: [result, elapsed ms]. */
function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const result = fn();
  return [result, performance.now() - t0];
}
/** CPython's _DummyList: a shared counter; append adds one, len reads it. */
const dummyList = (): SharedArray<'int32'> => RawArray('i', 1);
const len = (list: SharedArray<'int32'>): number => list.get(0);

async function notify(cond: Condition, n: number | 'all' = 1): Promise<void> {
  await cond.acquireAsync();
  try {
    if (n === 'all') cond.notifyAll();
    else cond.notify(n);
  } finally {
    cond.release();
  }
}

/** The parent's half of test_waitfor and test_waitfor_timeout: `times` increments, each notified. */
async function bumpAndNotify(cond: Condition, state: { value: number }, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await sleep(10);
    await cond.acquireAsync();
    state.value += 1;
    cond.notify();
    cond.release();
  }
}

describe.concurrent('locks, semaphores, conditions and events', () => {
  const apply = children();

  describe.sequential('_TestLock', () => {
    it('test_lock', () => {
      const lock = new Lock();
      expect(lock.acquire()).toBe(true);
      expect(lock.acquire({ block: false })).toBe(false);
      expect(lock.release()).toBeUndefined();
      // Python: ValueError or threading.ThreadError (docs/differences.md: SyncStateError)
      expect(thrown(() => lock.release())).toBeInstanceOf(SyncStateError);
    });

    it('test_rlock', () => {
      const lock = new RLock();
      expect(lock.acquire()).toBe(true);
      expect(lock.acquire()).toBe(true);
      expect(lock.acquire()).toBe(true);
      expect(lock.release()).toBeUndefined();
      expect(lock.release()).toBeUndefined();
      expect(lock.release()).toBeUndefined();
      // Python: AssertionError or RuntimeError
      expect(thrown(() => lock.release())).toBeInstanceOf(SyncStateError);
    });

    it('test_lock_context', () => {
      const lock = new Lock();
      {
        using _held = lock.hold();
        expect(lock.locked()).toBe(true);
      }
      expect(lock.locked()).toBe(false);
      expect(withLock(lock, () => lock.locked())).toBe(true);
    });
  });

  describe.sequential('_TestSemaphore', () => {
    it('test_semaphore', () => {
      const sem = new Semaphore(2);
      semaphoreSteps(sem);
      expect(sem.release()).toBeUndefined();
      expect(sem.getValue()).toBe(3);
      expect(sem.release()).toBeUndefined();
      expect(sem.getValue()).toBe(4);
    });

    it('test_bounded_semaphore (and the over-release CPython leaves commented out)', () => {
      const sem = new BoundedSemaphore(2);
      semaphoreSteps(sem);
      // Python: ValueError (docs/differences.md: SyncStateError)
      expect(thrown(() => sem.release())).toBeInstanceOf(SyncStateError);
      expect(sem.getValue()).toBe(2);
    });

    it('test_timeout', async () => {
      const sem = new Semaphore(0);
      let [result, elapsed] = timed(() => sem.acquire({ block: false }));
      expect(result).toBe(false);
      [result, elapsed] = timed(() => sem.acquire({ block: false, timeout: null }));
      expect(result).toBe(false);
      // block=False ignores the timeout
      [result, elapsed] = timed(() => sem.acquire({ block: false, timeout: LONG }));
      expect(result).toBe(false);
      expect(elapsed).toBeLessThan(LONG / 2);
      [result, elapsed] = timed(() => sem.acquire({ block: true, timeout: TIMEOUT1 }));
      expect(result).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      [result, elapsed] = timed(() => sem.acquire({ timeout: TIMEOUT1 }));
      expect(result).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      // the async form: a TimeoutError, where the blocking one returns False (docs/sync.md)
      expect(await rejection(sem.acquireAsync({ timeout: TIMEOUT1 }))).toBeInstanceOf(TimeoutError);
      expect(await rejection(sem.acquireAsync({ block: false }))).toBeInstanceOf(TimeoutError);
    });
  });

  /** `cond.acquire(); cond.notify(n); cond.release()` (or `notify_all()` for 'all'), from the main thread. */
  describe.sequential('_TestCondition', () => {
    it('test_notify', async () => {
      const cond = new Condition();
      const sleeping = new Semaphore(0), woken = new Semaphore(0);
      const children = [apply('conditionF', cond, sleeping, woken), apply('conditionF', cond, sleeping, woken)];
      // wait for both children to start sleeping
      await sleeping.acquireAsync();
      await sleeping.acquireAsync();
      // check no process/thread has woken up
      await sleep(TIMEOUT1);
      expect(woken.getValue()).toBe(0);
      await notify(cond);
      await until(() => woken.getValue() === 1);
      await sleep(TIMEOUT1);
      expect(woken.getValue()).toBe(1);
      await notify(cond);
      await until(() => woken.getValue() === 2);
      await Promise.all(children);
    });

    it('test_notify_all', async () => {
      const cond = new Condition();
      const sleeping = new Semaphore(0), woken = new Semaphore(0);
      // start some threads/processes which will timeout
      let children = [0, 1, 2, 3].map(() => apply('conditionF', cond, sleeping, woken, TIMEOUT1));
      for (let i = 0; i < 4; i++) await sleeping.acquireAsync();
      // check they have all timed out
      for (let i = 0; i < 4; i++) await woken.acquireAsync();
      expect(woken.getValue()).toBe(0);
      await Promise.all(children);
      children = [0, 1, 2, 3].map(() => apply('conditionF', cond, sleeping, woken));
      for (let i = 0; i < 4; i++) await sleeping.acquireAsync();
      await sleep(TIMEOUT1);
      expect(woken.getValue()).toBe(0);
      await notify(cond, 'all');
      await until(() => woken.getValue() === 4);
      await Promise.all(children);
    });

    it('test_notify_n', async () => {
      const cond = new Condition();
      const sleeping = new Semaphore(0), woken = new Semaphore(0);
      const children = [0, 1, 2, 3].map(() => apply('conditionF', cond, sleeping, woken));
      for (let i = 0; i < 4; i++) await sleeping.acquireAsync();
      await sleep(TIMEOUT1);
      expect(woken.getValue()).toBe(0);
      await notify(cond, 2);
      await until(() => woken.getValue() === 2);
      // notify(n) with more than are waiting wakes them all; one with none waiting is a no-op
      await notify(cond, 4);
      await until(() => woken.getValue() === 4);
      await notify(cond, 3);
      expect(woken.getValue()).toBe(4);
      await Promise.all(children);
    });

    it('test_timeout', () => {
      const cond = new Condition();
      cond.acquire();
      const [res, elapsed] = timed(() => cond.wait(TIMEOUT1));
      cond.release();
      expect(res).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
    });

    it('test_waitfor', async () => {
      const cond = new Condition();
      const state = Value('i', -1);
      const child = apply('waitforF', cond, state);
      await cond.acquireAsync();
      expect(await cond.waitForAsync(() => state.value === 0)).toBe(true);
      expect(state.value).toBe(0);
      cond.release();
      await bumpAndNotify(cond, state, 4);
      expect(await child).toBe(true);
    });

    it('test_waitfor_timeout', async () => {
      const cond = new Condition();
      const state = Value('i', 0);
      const sem = new Semaphore(0);
      const child = apply('waitforTimeoutF', cond, state, sem);
      await sem.acquireAsync({ timeout: 60_000 });
      // Only increment 3 times, so state == 4 is never reached.
      await bumpAndNotify(cond, state, 3);
      expect(await child).toBe(true);
    });

    it('test_wait_result (the SIGINT part does not apply: threads get no signals)', async () => {
      const c = new Condition();
      await c.acquireAsync();
      expect(c.wait(0)).toBe(false);
      expect(c.wait(TIMEOUT1)).toBe(false);
      const child = apply('waitResultF', c);
      // waitAsync resolves when notified (Python's True), rejects with TimeoutError after the timeout
      await c.waitAsync(60_000);
      expect(await rejection(c.waitAsync(0))).toBeInstanceOf(TimeoutError);
      c.release();
      await child;
    });
  });

  describe.sequential('_TestEvent', () => {
    it('test_event', async () => {
      const event = new Event();
      expect(event.isSet()).toBe(false);
      expect(event.wait(0)).toBe(false);
      const [res, elapsed] = timed(() => event.wait(TIMEOUT1));
      expect(res).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      event.set();
      expect(event.isSet()).toBe(true);
      expect(event.wait()).toBe(true);
      expect(event.wait(TIMEOUT1)).toBe(true);
      event.clear();
      expect(event.isSet()).toBe(false);
      const child = apply('eventF', event);
      await event.waitAsync();
      await child;
    });
  });
});

describe.concurrent('barriers and queues', () => {
  const apply = children();

  describe.sequential('_TestBarrier', () => {
    /** Bunch + run_threads: N - 1 workers run `f` with `args` while this thread runs `main`. */
    async function runThreads(f: string, args: unknown[], main: () => Promise<unknown>): Promise<void> {
      const children = Array.from({ length: N - 1 }, () => apply(f, ...args));
      try {
        await main();
      } finally {
        await Promise.all(children);
      }
    }

    it('test_barrier, test_barrier_10', async () => {
      const barrier = new Barrier(N, { timeout: 30_000 });
      for (const passes of [1, 10]) {
        const results = [dummyList(), dummyList()] as const;
        await runThreads('multipass', [barrier, results[0], results[1], passes], async () => {
          for (let i = 0; i < passes; i++) {
            results[0].add(0, 1);
            await barrier.waitAsync();
            results[1].add(0, 1);
            expect(len(results[0])).toBe((i + 1) * N);
            await barrier.waitAsync();
          }
        });
        expect(barrier.nWaiting).toBe(0);
        expect(barrier.broken).toBe(false);
      }
    });

    it('test_wait_return', async () => {
      const barrier = new Barrier(N, { timeout: 30_000 });
      const queue = new Queue<number>();
      await runThreads('waitReturnF', [barrier, queue], async () => queue.put(await barrier.waitAsync()));
      const results = Array.from({ length: N }, () => queue.get());
      expect(results.filter((r) => r === 0)).toHaveLength(1);
      expect(results.sort()).toEqual([0, 1, 2, 3, 4]);
    });

    it('test_action: runs once, in the thread that completes the cycle (workers set their own: functions do not cross)', async () => {
      const results = dummyList();
      const barrier = new Barrier(N, { action: () => { results.add(0, 1); } });
      await runThreads('actionF', [barrier, results], async () => {
        await barrier.waitAsync();
        expect(len(results)).toBe(1);
      });
      expect(len(results)).toBe(1);
    });

    /** The main thread's part of _test_abort_f and _test_abort_and_reset_f. */
    async function abortPart(b: Barrier, results1: SharedArray<'int32'>, results2: SharedArray<'int32'>): Promise<void> {
      try {
        const i = await b.waitAsync();
        if (i === Math.floor(N / 2)) {
          b.abort();
          return;
        }
        await b.waitAsync();
        results1.add(0, 1);
      } catch (error) {
        if (!(error instanceof BrokenBarrierError)) throw error;
        results2.add(0, 1);
      }
    }

    it('test_abort', async () => {
      const b = new Barrier(N, { timeout: 30_000 });
      const results1 = dummyList(), results2 = dummyList();
      await runThreads('abortF', [b, results1, results2], () => abortPart(b, results1, results2));
      expect(len(results1)).toBe(0);
      expect(len(results2)).toBe(N - 1);
      expect(b.broken).toBe(true);
      // a broken barrier refuses every wait until reset
      expect(thrown(() => b.wait())).toBeInstanceOf(BrokenBarrierError);
    });

    it('test_reset', async () => {
      const b = new Barrier(N, { timeout: 30_000 });
      const results1 = dummyList(), results2 = dummyList(), results3 = dummyList();
      await runThreads('resetF', [b, results1, results2, results3], async () => {
        const i = await b.waitAsync();
        if (i === Math.floor(N / 2)) {
          await until(() => b.nWaiting >= N - 1);
          b.reset();
        } else {
          try {
            await b.waitAsync();
            results1.add(0, 1);
          } catch (error) {
            if (!(error instanceof BrokenBarrierError)) throw error;
            results2.add(0, 1);
          }
        }
        await b.waitAsync();
        results3.add(0, 1);
      });
      expect(len(results1)).toBe(0);
      expect(len(results2)).toBe(N - 1);
      expect(len(results3)).toBe(N);
    });

    it('test_abort_and_reset', async () => {
      const b = new Barrier(N, { timeout: 30_000 });
      const barrier2 = new Barrier(N);
      const results1 = dummyList(), results2 = dummyList(), results3 = dummyList();
      await runThreads('abortAndResetF', [b, barrier2, results1, results2, results3], async () => {
        await abortPart(b, results1, results2);
        if ((await barrier2.waitAsync()) === Math.floor(N / 2)) b.reset();
        await barrier2.waitAsync();
        await b.waitAsync();
        results3.add(0, 1);
      });
      expect(len(results1)).toBe(0);
      expect(len(results2)).toBe(N - 1);
      expect(len(results3)).toBe(N);
    });

    it('test_timeout', async () => {
      const b = new Barrier(N, { timeout: 30_000 });
      const results = dummyList();
      await runThreads('timeoutF', [b, results], async () => {
        const i = await b.waitAsync();
        if (i === Math.floor(N / 2)) await sleep(300);
        expect(await rejection(b.waitAsync(100))).toBeInstanceOf(BrokenBarrierError);
        results.add(0, 1);
      });
      expect(len(results)).toBe(b.parties);
    });

    it('test_default_timeout', async () => {
      const b = new Barrier(N, { timeout: 100 });
      const results = dummyList();
      await runThreads('defaultTimeoutF', [b, results], async () => {
        const i = await b.waitAsync(30_000);
        if (i === Math.floor(N / 2)) await sleep(300);
        expect(await rejection(b.waitAsync())).toBeInstanceOf(BrokenBarrierError);
        results.add(0, 1);
      });
      expect(len(results)).toBe(b.parties);
    });

    it('test_single_thread', () => {
      const b = new Barrier(1);
      expect(b.wait()).toBe(0);
      expect(b.wait()).toBe(0);
    });

    it('test_thousand (100 passes; a Queue for the Pipe)', async () => {
      const passes = 100;
      const barrier = new Barrier(N, { timeout: 30_000 });
      const lock = new Lock();
      const conn = new Queue<number>();
      await runThreads('thousandF', [barrier, passes, conn, lock], async () => {
        for (let i = 0; i < passes; i++) {
          await barrier.waitAsync();
          await lock.acquireAsync();
          try {
            conn.put(i);
          } finally {
            lock.release();
          }
        }
      });
      for (let i = 0; i < passes; i++) {
        for (let j = 0; j < N; j++) expect(conn.get()).toBe(i);
      }
    });
  });

  describe.sequential('_TestQueue', () => {
    it('test_put', async () => {
      const MAXSIZE = 6;
      const queue = new Queue<number>(MAXSIZE);
      const childCanStart = new Event(), parentCanContinue = new Event();
      const child = apply('queuePutF', queue, childCanStart, parentCanContinue);
      fillQueueSteps(queue);
      let [error, elapsed] = timed(() => thrown(() => queue.put(7, { block: true, timeout: TIMEOUT1 })));
      expect(error).toBeInstanceOf(Full);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      [error, elapsed] = timed(() => thrown(() => queue.put(7, { block: false, timeout: LONG })));
      expect(error).toBeInstanceOf(Full);
      expect(elapsed).toBeLessThan(LONG / 2);
      [error, elapsed] = timed(() => thrown(() => queue.put(7, { timeout: TIMEOUT1 })));
      expect(error).toBeInstanceOf(Full);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      // the async form throws Full too (docs/sync.md: queues follow Python in both forms)
      expect(await rejection(queue.putAsync(7, { timeout: TIMEOUT1 }))).toBeInstanceOf(Full);
      childCanStart.set();
      await parentCanContinue.waitAsync();
      expect(queue.empty()).toBe(true);
      expect(queue.full()).toBe(false);
      await child;
    });

    it('test_get', async () => {
      const queue = new Queue<number>();
      const childCanStart = new Event(), parentCanContinue = new Event();
      const child = apply('queueGetF', queue, childCanStart, parentCanContinue);
      expect(queue.empty()).toBe(true);
      childCanStart.set();
      await parentCanContinue.waitAsync();
      drainQueueSteps(queue);
      let [error, elapsed] = timed(() => thrown(() => queue.get({ block: true, timeout: TIMEOUT1 })));
      expect(error).toBeInstanceOf(Empty);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      [error, elapsed] = timed(() => thrown(() => queue.get({ block: false, timeout: LONG })));
      expect(error).toBeInstanceOf(Empty);
      expect(elapsed).toBeLessThan(LONG / 2);
      [error, elapsed] = timed(() => thrown(() => queue.get({ timeout: TIMEOUT1 })));
      expect(error).toBeInstanceOf(Empty);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT1 - 5);
      expect(await rejection(queue.getAsync({ timeout: TIMEOUT1 }))).toBeInstanceOf(Empty);
      await child;
    });

    it('test_fork', async () => {
      const queue = new Queue<number>();
      for (let i = 0; i < 10; i++) queue.put(i);
      await apply('queueForkF', queue);
      for (let i = 0; i < 20; i++) expect(queue.get()).toBe(i);
      expect(thrown(() => queue.get({ block: false }))).toBeInstanceOf(Empty);
    });

    it('test_qsize', () => {
      qsizeSteps(new Queue<number>());
    });

    it('test_task_done', async () => {
      const queue = new JoinableQueue<number | null>();
      const children = Array.from({ length: N - 1 }, () => apply('taskDoneF', queue));
      for (let i = 0; i < 10; i++) queue.put(i);
      await queue.joinAsync();
      for (const _ of children) queue.put(null);
      await Promise.all(children);
    });

    it('task_done called too many times (Python: ValueError; here SyncStateError)', () => {
      const q = new JoinableQueue<number>();
      expect(thrown(() => q.taskDone())).toBeInstanceOf(SyncStateError);
      q.put(1);
      q.get();
      q.taskDone();
      expect(thrown(() => q.taskDone())).toBeInstanceOf(SyncStateError);
    });

    it('test_timeout', () => {
      const q = new Queue();
      const [error, elapsed] = timed(() => thrown(() => q.get({ block: true, timeout: 200 })));
      expect(error).toBeInstanceOf(Empty);
      // CPython tolerates 30 ms of clock resolution
      expect(elapsed).toBeGreaterThanOrEqual(170);
    });

    it('test_queue_feeder_donot_stop_onexc: an item that cannot be copied is refused, and the queue goes on', () => {
      const q = new Queue<unknown>();
      expect(thrown(() => q.put(() => 1))).toBeInstanceOf(Error);
      q.put(true);
      expect(q.get({ timeout: 1000 })).toBe(true);
    });

    it('test_closed_queue_put_get_exceptions (Python: ValueError "is closed"; here SyncStateError)', () => {
      for (const q of [new Queue(), new JoinableQueue()]) {
        q.close();
        expect(thrown(() => q.put('foo'))).toBeInstanceOf(SyncStateError);
        expect(thrown(() => q.get())).toBeInstanceOf(SyncStateError);
      }
    });

    it.skip('test_no_import_lock_contention: Python import locks have no JS analogue', () => {});
  });

  describe.sequential('TestSimpleQueue', () => {
    it('test_empty', async () => {
      const queue = new SimpleQueue<boolean>();
      const childCanStart = new Event(), parentCanContinue = new Event();
      const child = apply('simpleQueueEmptyF', queue, childCanStart, parentCanContinue);
      expect(queue.empty()).toBe(true);
      childCanStart.set();
      await parentCanContinue.waitAsync();
      expect(queue.empty()).toBe(false);
      expect(queue.get()).toBe(true);
      expect(queue.get()).toBe(false);
      expect(queue.empty()).toBe(true);
      await child;
    });

    it('test_close: closing twice does not fail', () => {
      const queue = new SimpleQueue();
      queue.close();
      queue.close();
    });
  });
});
