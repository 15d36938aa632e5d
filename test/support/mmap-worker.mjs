// Worker module for test/io/native.thread.test.ts: pool workers writing arrays that live in memory-mapped
// files. A plain .mjs because vitest does not transform worker code; `shared-ndarray` resolves to
// the compiled dist/, and so does the deep import of the low-level native API.
import { threadId } from 'node:worker_threads';
import { defineWorker } from 'shared-ndarray/worker';
import { flush, mappingCount } from '../../dist/io/native.js';

export default defineWorker({
  /** Row r gets r * 1000 + column: values that say where they were written. */
  fillRows(array, start, stop) {
    for (let r = start; r < stop; r++) {
      const row = array.row(r);
      for (let c = 0; c < row.shape[0]; c++) row.set(c, r * 1000 + c);
    }
    return threadId;
  },
  /** Fills the rows, then flushes the whole mapped buffer from this worker (the addon loads here too). */
  fillRowsAndFlush(array, start, stop) {
    for (let r = start; r < stop; r++) array.row(r).fill(-(r + 1));
    return flush(array.buffer);
  },
  /** The addon's registry is per process: a worker sees the main thread's mappings. */
  mappingCount() {
    return mappingCount();
  },
});
