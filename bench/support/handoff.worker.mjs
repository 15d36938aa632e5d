// The zerocopy suite's pool worker: it is handed a SharedNDArray (a view of the caller's memory,
// not a copy), reads one element to show it has the data, and hands the array back.
import { readlinkSync } from 'node:fs';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  handoff(array) {
    if (array.size > 0 && array.data[array.offset] !== 1) throw new Error('handoff: the array did not arrive filled with 1');
    return array;
  },
  /** For bench/investigate/handoff-split.mjs: the pool's cost of a call, with no array. */
  echo: (x) => x,
  /** For bench/investigate/handoff-split.mjs: this thread's kernel id, to pin it (Linux). */
  threadId: () => Number(readlinkSync('/proc/thread-self').split('/').pop()),
});
