// A plain worker_threads worker (no Pool, no Process) that takes a Lock it received through
// workerData, then ends as `workerData.end` says, holding the lock or not. For
// test/sync/liveness.test.ts and scripts that start thousands of them.
import { parentPort, workerData } from 'node:worker_threads';
import { fromDescriptors } from 'shared-ndarray';

const { lock } = fromDescriptors(workerData.objects);
const { end } = workerData;
lock.acquire();
const holding = end.startsWith('hold');
if (!holding) lock.release();
parentPort.postMessage(holding ? 'held' : 'released');
if (end === 'return' || end === 'hold-return') {
  // a moment, so a thread waiting for the lock is asleep before this one ends
  if (holding) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
} else if (end === 'exit' || end === 'hold-exit') {
  process.exit(0);
} else if (end === 'throw') {
  throw new Error('the worker ends with an uncaught exception');
} else if (end === 'stay' || end === 'hold-stay') {
  // until the parent terminates it: no code of this thread runs on the way out
  setInterval(() => {}, 1000);
} else {
  throw new Error(`unknown end ${end}`);
}
