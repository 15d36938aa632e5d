// Worker for test/pool/cpython-conformance.thread.test.ts: the module-level functions of CPython's
// Lib/test/_test_multiprocessing.py that its pool tests run, each named after the one it ports.
// Plain .mjs: workers load the compiled dist/.
import { threadId } from 'node:worker_threads';
import { KeyError, ValueError } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

const nap = new Int32Array(new SharedArrayBuffer(4));
/** time.sleep(ms / 1000): blocks the worker, as a Python child's sleep does. */
function sleep(ms) {
  if (ms > 0) Atomics.wait(nap, 0, 0, ms);
}

export default defineWorker({
  /** sqr(x, wait=0.0) */
  sqr(x, wait = 0) {
    sleep(wait);
    return x * x;
  },
  /** mul(x, y) */
  mul(x, y) {
    return x * y;
  },
  /** raise_large_valuerror(wait): an error whose message is 1 MiB */
  raiseLargeValueError(wait) {
    sleep(wait);
    throw new ValueError('x'.repeat(1024 ** 2));
  },
  /** identity(x) */
  identity(x) {
    return x;
  },
  /** Python's int(s) on a string: a ValueError for one that is not an integer literal */
  int(s) {
    if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new ValueError(`invalid literal for int() with base 10: '${s}'`);
    return Number.parseInt(s, 10);
  },
  /** time.sleep, as test_terminate maps it */
  sleep(ms) {
    sleep(ms);
  },
  /** raising(): KeyError("key") */
  raising() {
    throw new KeyError('key');
  },
  /** unpickleable_result(): a function, which structured clone cannot copy */
  unpickleableResult() {
    return () => 42;
  },
  /** _TestPool._test_traceback: raise RuntimeError(123) # some comment */
  traceback() {
    throw new Error('123'); // some comment
  },
  /** sqr with the thread that ran it, for test_pool_worker_lifetime's pids */
  sqrWithThread(x) {
    return [x * x, threadId];
  },
});
