// A plain worker_threads worker (no Pool, no Process) that receives shared objects in workerData.
import { workerData, parentPort } from 'node:worker_threads';
import { fromDescriptors } from 'shared-ndarray';

const { lock, queue, counter } = fromDescriptors(workerData);
for (let i = 0; i < 1000; i++) {
  lock.acquire();
  counter.data[0] += 1;
  lock.release();
}
queue.put(lock.constructor.name);
parentPort.postMessage('done');
