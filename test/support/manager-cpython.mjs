// Worker for test/manager/cpython-conformance.thread.test.ts: the child functions of CPython's
// Lib/test/_test_multiprocessing.py, each named after the one it ports. Proxies arrive live and
// every call here blocks, as a Python child process's proxy calls do. Plain .mjs: workers load
// the compiled dist/.
import { BrokenBarrierError } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

const nap = new Int32Array(new SharedArrayBuffer(4));
/** time.sleep(ms / 1000), without an event loop. */
function sleep(ms) {
  Atomics.wait(nap, 0, 0, ms);
}

function check(condition, what) {
  if (!condition) throw new Error(`assertion failed: ${what}`);
}

const N = 5;

/**
 * The first half of CPython's _test_abort_f and _test_abort_and_reset_f: the party at N / 2 aborts
 * the barrier between two waits, so the others see it broken.
 */
function abortAtHalf(barrier, results1, results2) {
  try {
    const i = barrier.wait();
    if (i === Math.floor(N / 2)) throw new RangeError('late');
    barrier.wait();
    results1.append(true);
  } catch (error) {
    if (error instanceof BrokenBarrierError) results2.append(true);
    else if (error instanceof RangeError) barrier.abort();
    else throw error;
  }
}

export default defineWorker({
  /** _TestCondition.f: cond.acquire(); sleeping.release(); cond.wait(timeout); woken.release(); cond.release() */
  conditionF(cond, sleeping, woken, timeout) {
    cond.acquire();
    sleeping.release();
    cond.wait(timeout);
    woken.release();
    cond.release();
  },
  /** _TestCondition._test_waitfor_f */
  waitforF(cond, state) {
    cond.acquire();
    state.value = 0;
    cond.notify();
    const result = cond.waitFor(() => state.value === 4);
    cond.release();
    return result && state.value === 4;
  },
  /** _TestCondition._test_waitfor_timeout_f: true when wait_for gave up after its timeout */
  waitforTimeoutF(cond, state, sem) {
    sem.release();
    cond.acquire();
    const expected = 100;
    const t0 = performance.now();
    const result = cond.waitFor(() => state.value === 4, expected);
    const dt = performance.now() - t0;
    cond.release();
    return !result && dt >= expected - 10;
  },
  /** _TestCondition._test_wait_result */
  waitResultF(c) {
    c.acquire();
    c.notify();
    c.release();
  },
  /** _TestEvent._test_event */
  eventF(event) {
    sleep(100);
    event.set();
  },
  /** _TestBarrier.multipass */
  multipass(barrier, results0, results1, n) {
    const m = barrier.parties;
    check(m === N, 'barrier.parties == N');
    for (let i = 0; i < n; i++) {
      results0.append(true);
      check(results1.len() === i * m, 'len(results[1]) == i * m');
      barrier.wait();
      results1.append(true);
      check(results0.len() === (i + 1) * m, 'len(results[0]) == (i + 1) * m');
      barrier.wait();
    }
    check(barrier.nWaiting === 0, 'barrier.n_waiting == 0');
    check(!barrier.broken, 'not barrier.broken');
  },
  /** _TestBarrier._test_wait_return_f */
  waitReturnF(barrier, queue) {
    queue.put(barrier.wait());
  },
  /** _TestBarrier._test_abort_f */
  abortF(barrier, results1, results2) {
    abortAtHalf(barrier, results1, results2);
  },
  /** _TestBarrier._test_reset_f */
  resetF(barrier, results1, results2, results3) {
    const i = barrier.wait();
    if (i === Math.floor(N / 2)) {
      while (barrier.nWaiting < N - 1) sleep(1);
      barrier.reset();
    } else {
      try {
        barrier.wait();
        results1.append(true);
      } catch (error) {
        if (!(error instanceof BrokenBarrierError)) throw error;
        results2.append(true);
      }
    }
    barrier.wait();
    results3.append(true);
  },
  /** _TestBarrier._test_abort_and_reset_f */
  abortAndResetF(barrier, barrier2, results1, results2, results3) {
    abortAtHalf(barrier, results1, results2);
    if (barrier2.wait() === Math.floor(N / 2)) barrier.reset();
    barrier2.wait();
    barrier.wait();
    results3.append(true);
  },
  /** _TestBarrier._test_timeout_f (1.0 s late and a 0.5 s wait scaled to 300 and 100 ms) */
  timeoutF(barrier, results) {
    const i = barrier.wait();
    if (i === Math.floor(N / 2)) sleep(300);
    try {
      barrier.wait(100);
    } catch (error) {
      if (!(error instanceof BrokenBarrierError)) throw error;
      results.append(true);
    }
  },
  /** _TestBarrier._test_default_timeout_f */
  defaultTimeoutF(barrier, results) {
    const i = barrier.wait(30_000);
    if (i === Math.floor(N / 2)) sleep(300);
    try {
      barrier.wait();
    } catch (error) {
      if (!(error instanceof BrokenBarrierError)) throw error;
      results.append(true);
    }
  },
  /** _TestQueue._test_put */
  queuePutF(queue, childCanStart, parentCanContinue) {
    childCanStart.wait();
    for (let i = 0; i < 6; i++) queue.get();
    parentCanContinue.set();
  },
  /** _TestQueue._test_get */
  queueGetF(queue, childCanStart, parentCanContinue) {
    childCanStart.wait();
    for (const i of [2, 3, 4, 5]) queue.put(i);
    parentCanContinue.set();
  },
  /** _TestQueue._test_fork */
  queueForkF(queue) {
    for (let i = 10; i < 20; i++) queue.put(i);
  },
  /** _TestQueue._test_task_done: for obj in iter(q.get, None): q.task_done() */
  taskDoneF(q) {
    for (let obj = q.get(); obj !== null; obj = q.get()) {
      sleep(5);
      q.taskDone();
    }
  },
  // TestSyncManagerTypes' children
  syncEvent(obj) {
    check(obj.isSet(), 'obj.is_set()');
    obj.wait();
    obj.clear();
    obj.wait(1);
  },
  syncLock(obj) {
    obj.acquire();
  },
  syncRlock(obj) {
    obj.acquire();
    obj.release();
  },
  syncSemaphore(obj) {
    obj.acquire();
  },
  syncCondition(obj) {
    obj.acquire();
    obj.release();
  },
  syncBarrier(obj) {
    check(obj.parties === 5, 'obj.parties == 5');
    obj.reset();
  },
  syncQueue(obj) {
    check(obj.qsize() === 2, 'obj.qsize() == 2');
    check(obj.full(), 'obj.full()');
    check(!obj.empty(), 'not obj.empty()');
    check(obj.get() === 5, 'obj.get() == 5');
    check(!obj.empty(), 'not obj.empty()');
    check(obj.get() === 6, 'obj.get() == 6');
    check(obj.empty(), 'obj.empty()');
  },
  syncList(obj) {
    check(obj.get(0) === 5, 'obj[0] == 5');
    check(obj.count(5) === 1, 'obj.count(5) == 1');
    check(obj.index(5) === 0, 'obj.index(5) == 0');
    obj.sort();
    obj.reverse();
    for (const _x of obj);
    check(obj.len() === 1, 'len(obj) == 1');
    check(obj.pop(0) === 5, 'obj.pop(0) == 5');
  },
  syncDict(obj) {
    check(obj.len() === 1, 'len(obj) == 1');
    check(obj.get('foo') === 5, "obj['foo'] == 5");
    check(obj.get('foo') === 5, "obj.get('foo') == 5");
    check(JSON.stringify(obj.items()) === '[["foo",5]]', "list(obj.items()) == [('foo', 5)]");
    check(JSON.stringify(obj.keys()) === '["foo"]', "list(obj.keys()) == ['foo']");
    check(JSON.stringify(obj.values()) === '[5]', 'list(obj.values()) == [5]');
    const copy = obj.copy();
    check(copy.size === 1 && copy.get('foo') === 5, "obj.copy() == {'foo': 5}");
    const item = obj.popitem();
    check(item[0] === 'foo' && item[1] === 5, "obj.popitem() == ('foo', 5)");
  },
  syncValue(obj) {
    check(obj.value === 1, 'obj.value == 1');
    check(obj.get() === 1, 'obj.get() == 1');
    obj.set(2);
  },
  syncArray(obj) {
    check(obj.get(0) === 0, 'obj[0] == 0');
    check(obj.get(1) === 1, 'obj[1] == 1');
    check(obj.len() === 2, 'len(obj) == 2');
    check(JSON.stringify([...obj]) === '[0,1]', 'list(obj) == [0, 1]');
  },
  syncNamespace(obj) {
    check(obj.x === 0, 'obj.x == 0');
    check(obj.y === 1, 'obj.y == 1');
  },
});
