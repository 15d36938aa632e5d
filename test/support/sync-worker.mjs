import { defineWorker } from 'shared-ndarray/worker';
import { withLock } from 'shared-ndarray';

export default defineWorker({
  /** Adds 1 to counter[0] n times, each under the lock (or racing, without one). */
  increment(lock, counter, n) {
    const a = counter.data;
    for (let i = 0; i < n; i++) {
      if (lock) withLock(lock, () => { a[0] = a[0] + 1; });
      else a[0] = a[0] + 1;
    }
    return n;
  },
  /** Takes the lock, says so, and never lets go: the test kills this worker. */
  holdForever(lock, held) {
    lock.acquire();
    held.set();
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
  /** Takes the lock and dies holding it. */
  holdAndExit(lock) {
    lock.acquire();
    process.exit(3);
  },
  acquire(lock, timeout) {
    try {
      return lock.acquire({ timeout });
    } catch (error) {
      lock.release();
      return error.name;
    }
  },
});
