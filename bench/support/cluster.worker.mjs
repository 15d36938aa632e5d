// The cluster suite's worker module, for its daemons and its local pool alike: a trivial echo (a
// call measures the round trip only) and a row fill of a C-contiguous float64 matrix in place, as
// the alloc suite's fillRows (global row indexes).
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  echo: (x) => x,
  fillRows(a, start, stop) {
    const cols = a.shape[1];
    a.data.fill(1.5, a.offset + start * cols, a.offset + stop * cols);
    return stop - start;
  },
});
