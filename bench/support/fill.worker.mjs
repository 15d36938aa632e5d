// The alloc suite's pool worker: writes rows [start, stop) of a C-contiguous float64 matrix in
// place through a view of those rows, as an analytics script's workers fill the shared matrix it
// built. `collect` lets the suite free the gigabytes a worker's views still hold between runs:
// memory shared with a worker is freed only once that worker's isolate has collected its views too.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { defineWorker } from 'shared-ndarray/worker';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

export default defineWorker({
  fillRows(a, start, stop) {
    a.slice(`${start}:${stop}`).fill(1.5);
    return stop - start;
  },
  collect() {
    gc();
    return true;
  },
});
