// The same worker module as w.worker.ts, as JavaScript.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  twice: (x) => 2 * x,
  noop() {},
});
