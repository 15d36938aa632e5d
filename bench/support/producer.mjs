// A producer thread for the queue bench: on each { count, objects } message it sends `count`
// items to the main thread, through the shared Queue it was given or by postMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { fromDescriptors } from 'shared-ndarray';

const { queue } = fromDescriptors(workerData);
const item = (i, objects) => (objects ? { id: i, name: `item ${i}` } : i);
parentPort.on('message', ({ count, objects }) => {
  if (queue) for (let i = 0; i < count; i++) queue.put(item(i, objects));
  else for (let i = 0; i < count; i++) parentPort.postMessage(item(i, objects));
});
// Loaded: from here on the bench times only the items.
parentPort.postMessage('ready');
