// Worker module for test/pool/failures.thread.test.ts: a default definition and a named one (say, re-exported
// from another module). The default export is the one the pool uses.
import { defineWorker } from 'shared-ndarray/worker';

export const other = defineWorker({ other: () => 'other' });
export default defineWorker({ main: (x) => `main ${x}` });
