// The manager bench's floor: a thread that answers each bump of word 0 with a bump of word 1,
// sleeping in Atomics.wait between them, as the manager's thread does between calls. A caller's
// round trip through it is two thread wake-ups and nothing else. Word 2 set: stop.
import { workerData } from 'node:worker_threads';

const words = new Int32Array(workerData);
for (let seen = 0; ;) {
  Atomics.wait(words, 0, seen);
  seen = Atomics.load(words, 0);
  if (Atomics.load(words, 2) !== 0) break;
  Atomics.add(words, 1, 1);
  Atomics.notify(words, 1);
}
