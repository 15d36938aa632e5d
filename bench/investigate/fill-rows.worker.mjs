// bench/investigate/fill-rows.mjs's pool worker: the same rows filled two ways.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { defineWorker } from 'shared-ndarray/worker';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
export default defineWorker({
  viaData(a, start, stop) { const c = a.shape[1]; a.data.fill(1.5, a.offset + start * c, a.offset + stop * c); return stop - start; },
  viaView(a, start, stop) { a.slice(`${start}:${stop}`).fill(1.5); return stop - start; },
  collect() { gc(); return true; },
});
