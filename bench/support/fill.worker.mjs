// The alloc suite's pool worker: writes rows [start, stop) of a C-contiguous float64 matrix in
// place, as an analytics script's workers fill the shared matrix it built.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  fillRows(a, start, stop) {
    const cols = a.shape[1];
    a.data.fill(1.5, a.offset + start * cols, a.offset + stop * cols);
    return stop - start;
  },
});
