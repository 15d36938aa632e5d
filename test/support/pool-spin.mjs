// Worker module for test/pool/spin-wait.thread.test.ts: what a worker that polls for its next
// call (the pool's spinWait) must still do, and its spin-wait flags, read from where the pool put
// them. A plain .mjs, like pool-basic.mjs: vitest does not transform worker code.
import { threadId, workerData } from 'node:worker_threads';
import { defineWorker, progress } from 'shared-ndarray/worker';

/** The worker's SpinWaitData (src/worker-module/protocol.ts): { micros, states, slot, cpus }. */
const spin = workerData.__sharedNdarraySpinWait;

let timerFired = false;
let armedAt = 0;
/** Whether the microtask the last tick() queued has yet to run, and how many such have run. */
let queued = false;
let turns = 0;

export default defineWorker({
  /** The spin wait this worker got, and its flags as this call sees them. */
  spinWait() {
    return { ...spin, flags: Array.from(spin.states), threadId };
  },
  /** Arms a timer of 0 ms; tick() says whether it has fired. */
  arm() {
    timerFired = false;
    armedAt = performance.now();
    setTimeout(() => {
      timerFired = true;
    }, 0);
    return threadId;
  },
  /**
   * Queues a microtask unless the last one has yet to run, which lingers `ms` when it runs: long
   * enough for the caller's next call to be waiting when the worker's event loop could go on.
   * Says whether the last call's microtask had yet to run (this call came by polling, with no turn
   * of the event loop since), how many have run (the turns), whether the timer arm() set has
   * fired, and whether it was due (armed over 2 ms ago).
   */
  tick(ms) {
    const polled = queued;
    if (!queued) {
      queued = true;
      queueMicrotask(() => {
        queued = false;
        turns++;
        const end = performance.now() + ms;
        while (performance.now() < end) {
          // lingering: the caller's next call arrives meanwhile
        }
      });
    }
    return { polled, turns, timerFired, due: performance.now() - armedAt > 2 };
  },
  double(x) {
    return 2 * x;
  },
  async doubleLater(x) {
    await null;
    return 2 * x;
  },
  /** Milliseconds from the call to the line after its first await: how long its microtask waited. */
  async awaitDelay() {
    const start = performance.now();
    await null;
    return performance.now() - start;
  },
  async doubleAfterTimer(x) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return 2 * x;
  },
  fail(x) {
    throw new RangeError(`refused ${x}`);
  },
  async failLater(x) {
    await null;
    throw new TypeError(`refused later ${x}`);
  },
  /** Reports progress(1, 2) and progress(2, 2) before it answers. */
  reportDouble(x) {
    progress(1, 2);
    progress(2, 2);
    return 2 * x;
  },
  /** Reports progress(1, 1) after an await, then answers x. */
  async reportLater(x) {
    await null;
    progress(1, 1);
    return x;
  },
  /** Whether this call runs in a pool task's context, where progress() reports go (src/worker-module/progress.ts). */
  inTask() {
    return globalThis[Symbol.for('shared-ndarray.task-context')]?.getStore() !== undefined;
  },
  exit(code) {
    process.exit(code);
  },
});
