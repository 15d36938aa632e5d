// Worker module for test/pool/failures.thread.test.ts: TypeScript with the .mts extension, which the pool's
// workers load through tsx like a .ts module.
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  typed: (x: number): string => `typed ${x}`,
});
