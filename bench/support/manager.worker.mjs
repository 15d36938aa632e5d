// The manager bench's worker thread: on each { op, n } message it makes `n` blocking calls through
// the proxies (or the shared-memory Queue) it was given, then says it is done. Keys cycle through
// 100 ints and values are ints, as in the Python peer.
import { parentPort, workerData } from 'node:worker_threads';
import { fromDescriptors } from 'shared-ndarray';

const { dict, list, queue, sharedQueue } = fromDescriptors(workerData.shared);
const echo = new Int32Array(workerData.echo);

const OPS = {
  dictSet(n) {
    for (let i = 0; i < n; i++) dict.set(i % 100, i);
  },
  dictGet(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += dict.get(i % 100);
    return sum;
  },
  listAppend(n) {
    for (let i = 0; i < n; i++) list.append(i);
  },
  queuePutGet(n) {
    for (let i = 0; i < n; i++) {
      queue.put(i);
      if (queue.get() !== i) throw new Error('manager Queue: got back another item');
    }
  },
  /** Round trips to the echo thread (futex-echo.worker.mjs): two wake-ups and no work. */
  roundTrip(n) {
    for (let i = 0; i < n; i++) {
      const answered = Atomics.load(echo, 1);
      Atomics.add(echo, 0, 1);
      Atomics.notify(echo, 0);
      Atomics.wait(echo, 1, answered);
    }
  },
  sharedQueuePutGet(n) {
    for (let i = 0; i < n; i++) {
      sharedQueue.put(i);
      if (sharedQueue.get() !== i) throw new Error('shared-memory Queue: got back another item');
    }
  },
};

parentPort.on('message', ({ op, n }) => {
  parentPort.postMessage(OPS[op](n) ?? null);
});
// Loaded: from here on the bench times only the calls.
parentPort.postMessage('ready');
