// Worker module for test/pool/failures.thread.test.ts: not valid JavaScript, on purpose.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  add(a, b) {
    return a + ;
  },
});
