// Worker module for test/pool/failures.thread.test.ts: throws while it is imported.
import { defineWorker } from 'shared-ndarray/worker';

throw new Error('pool-throws-at-import: module evaluation failed on purpose');

// eslint-disable-next-line no-unreachable
export default defineWorker({ add: (a, b) => a + b });
