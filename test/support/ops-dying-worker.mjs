// Worker module for test/ops/worker-death.thread.test.ts: its initializer makes the worker die in
// the middle of an operation's block, the way a real job dies (process.exit in library code, a
// heap over resourceLimits). The operations' kernels call Math.sqrt per element for `sqrt`, so
// replacing it in this worker's global scope reaches into the block.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** From the `after`-th square root on, this worker dies: 'exit' by process.exit, 'oom' by exhausting its heap. */
  dieInSqrt(how, after) {
    const sqrt = Math.sqrt;
    let calls = 0;
    Math.sqrt = (x) => {
      if (++calls < after) return sqrt(x);
      if (how === 'exit') process.exit(7);
      const hoard = [];
      for (;;) hoard.push(new Array(1e5).fill(calls));
    };
  },
  ping() {
    return 'pong';
  },
});
