// Worker side of shared-numpy-array.ts: wrap the same shared memory, fill this worker's row.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { frombuffer } from 'shared-ndarray';

const { sharedArrayBase, numWorkers, index } = workerData;
const array = frombuffer(sharedArrayBase, { dtype: 'c_double' }).reshape(numWorkers, 10);
array.row(index).fill(threadId);
parentPort.postMessage(threadId);
