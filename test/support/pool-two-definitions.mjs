// Worker module for test/pool/failures.thread.test.ts: two definitions and no default export.
import { defineWorker } from 'shared-ndarray/worker';

export const first = defineWorker({ one: () => 1 });
export const second = defineWorker({ two: () => 2 });
