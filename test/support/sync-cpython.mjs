// Worker for test/sync/cpython-conformance.thread.test.ts: CPython's child functions of
// Lib/test/_test_multiprocessing.py, as test/support/manager-cpython.mjs ports them, run on the
// package's own primitives. Every argument arrives as the shared object itself; a one-element
// RawArray('i') stands for CPython's _DummyList (a shared int counter under a lock), so it is
// handed to the functions as a list with append() and len(). Plain .mjs: workers load dist/.
import { SharedArray } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';
import manager from './manager-cpython.mjs';

/** _DummyList over a one-element int32 RawArray: append counts, len reads the count. */
function asList(arg) {
  if (!(arg instanceof SharedArray) || arg.length !== 1) return arg;
  return { append: () => { arg.add(0, 1); }, len: () => arg.get(0) };
}

const wrapped = Object.fromEntries(Object.entries(manager).map(([name, f]) => [name, (...args) => f(...args.map(asList))]));

export default defineWorker({
  ...wrapped,
  /**
   * _TestBarrier._test_action_f. Functions cannot cross threads, so the worker gives its Barrier
   * the action (AppendTrue(results)) that CPython's pickled barrier carries.
   */
  actionF(barrier, results) {
    barrier.action = () => results.add(0, 1);
    barrier.wait();
    if (results.get(0) !== 1) throw new Error('RuntimeError: len(results) != 1');
  },
  /** _TestBarrier._test_thousand_f, with a Queue for the Pipe: barrier.wait(); with lock: conn.send(i) */
  thousandF(barrier, passes, queue, lock) {
    for (let i = 0; i < passes; i++) {
      barrier.wait();
      lock.acquire();
      try {
        queue.put(i);
      } finally {
        lock.release();
      }
    }
  },
  /** TestSimpleQueue._test_empty: queue.put(queue.empty()) twice */
  simpleQueueEmptyF(queue, childCanStart, parentCanContinue) {
    childCanStart.wait();
    try {
      queue.put(queue.empty());
      queue.put(queue.empty());
    } finally {
      parentCanContinue.set();
    }
  },
  /** _TestValue._test: sv.value = cv[2] for each value */
  valueF(values, newValues) {
    values.forEach((sv, i) => { sv.value = newValues[i]; });
  },
  /** _TestArray.f: seq[i] += seq[i - 1] */
  arrayF(seq) {
    for (let i = 1; i < seq.length; i++) seq[i] += seq[i - 1];
  },
});
