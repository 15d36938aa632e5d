import { defineWorker } from 'shared-ndarray/worker';

const forever = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);

export default defineWorker({
  put(queue, ...items) {
    for (const item of items) queue.put(item);
  },
  /** Takes the lock, signals `held`, then never returns: the test terminates this thread. */
  holdLock(lock, held) {
    lock.acquire();
    held.set();
    forever();
  },
  /** Blocks on the lock (a worker already waiting when the holder dies); puts what happened on `out`. */
  waitForLock(lock, out) {
    try {
      lock.acquire();
      out.put('acquired');
    } catch (error) {
      out.put(error.name);
    }
    lock.release();
  },
  /** Takes the lock, signals `held`, waits for `go`, then throws outside any handler. */
  holdThenCrash(lock, held, go) {
    lock.acquire();
    held.set();
    go.wait();
    throw new Error('crashed holding the lock');
  },
  fail(message) {
    throw Object.assign(new RangeError(message), { code: 'E_TEST' });
  },
  exitWith(code) {
    process.exit(code);
  },
  /** Returns at once, leaving a timer that would keep a plain worker alive for a minute. */
  leaveTimer() {
    setTimeout(() => {}, 60_000);
  },
  spin() {
    forever();
  },
  sleep(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  },
});
