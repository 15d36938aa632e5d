import { threadId } from 'node:worker_threads';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** Fills rows [start, stop) of a 2-d array with row * 1000 + column, and says who did it. */
  fillRows(a, start, stop) {
    for (let r = start; r < stop; r++) for (let c = 0; c < a.shape[1]; c++) a.set(r, c, r * 1000 + c);
    return threadId;
  },
  /** Tries to write a read-only array; returns the error's name. */
  tryWrite(a) {
    try {
      a.fill(1);
      return 'wrote';
    } catch (error) {
      return error.name;
    }
  },
});
