// Worker module of test/cluster/arrays.e2e.test.ts, run by the worker daemons (the built CLI).
// A plain .mjs file: `shared-ndarray` resolves (package self-reference) to the compiled dist/.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** Writes base + element number on rows [start, stop) (global indexes); says which rows and process. */
  fillRows(a, start, stop, base) {
    const cols = a.ndim === 1 ? 1 : a.shape[1];
    for (let r = start; r < stop; r++) {
      if (a.ndim === 1) a.set(r, base + r);
      else for (let c = 0; c < cols; c++) a.set(r, c, base + r * cols + c);
    }
    return [start, stop, process.pid];
  },
  /** A new array of twice the values: a small result travels back by value. */
  twice(a) {
    const out = a.copy();
    const flat = out.reshape(out.size);
    for (let i = 0; i < out.size; i++) flat.set(i, flat.get(i) * 2);
    return out;
  },
  /** The sum of an input, and whether it is writable (a RedisNDArray not split by mapRows arrives whole and read-only). */
  total(a) {
    const flat = a.copy().reshape(a.size);
    let s = 0;
    for (let i = 0; i < a.size; i++) s += flat.get(i);
    return [s, a.writeable];
  },
});
