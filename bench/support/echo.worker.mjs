// The pool bench's worker module: a trivial function, so a call measures the round trip only.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  echo: (x) => x,
});
