// Worker for test/process/cpython-conformance.thread.test.ts: the child functions of CPython's
// _TestProcess and _TestSubclassingProcess (Lib/test/_test_multiprocessing.py). Plain .mjs:
// workers load dist/.
import { threadId } from 'node:worker_threads';
import { Process } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

const nap = new Int32Array(new SharedArrayBuffer(4));
/** time.sleep(ms / 1000), blocking the thread as a Python child's sleep does; forever without ms. */
function sleep(ms) {
  Atomics.wait(nap, 0, 0, ms);
}

export default defineWorker({
  /** _TestProcess._test: q.put(args[1:]); q.put(current_process().pid) */
  test(q, ...args) {
    q.put(args);
    q.put(threadId);
  },
  /** _TestProcess._test_terminate: time.sleep(100), and longer */
  testTerminate() {
    sleep();
  },
  /** _TestProcess._test_sleep */
  testSleep(ms) {
    sleep(ms);
  },
  /** _TestProcess._test_recursion: children start their own children */
  async testRecursion(wconn, id) {
    wconn.put(id);
    if (id.length < 2) {
      for (let i = 0; i < 2; i++) {
        const p = new Process({ module: new URL(import.meta.url), fn: 'testRecursion', args: [wconn, [...id, i]] });
        p.start();
        await p.join();
      }
    }
  },
  /** _TestSubclassingProcess: sys.exit(reason) */
  sysExit(reason) {
    process.exit(reason);
  },
  /** _TestSubclassingProcess._test_stderr_flush: 1/0 # MARKER, an uncaught error */
  testStderrFlush() {
    throw new RangeError('division by zero'); // MARKER
  },
});
