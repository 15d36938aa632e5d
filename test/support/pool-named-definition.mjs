// Worker module for test/pool/failures.thread.test.ts: exactly one definition, as a named export.
import { defineWorker } from 'shared-ndarray/worker';

export const helper = 42;
export const functions = defineWorker({ named: (x) => `named ${x}` });
