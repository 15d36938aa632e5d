// The floor for a blocking Redis call (bench suite manager, Redis cases): a thread that owns a raw
// ioredis client and makes one SET for each bump of word 0, then bumps word 1. Its event loop
// waits for the bump with Atomics.waitAsync, so the socket is served meanwhile, as the manager's
// thread does. A caller that bumps word 0 and sleeps on word 1 in Atomics.wait makes the cheapest
// blocking round trip to Redis that Node allows: a thread hop each way around a raw client's
// round trip.
import { workerData, parentPort } from 'node:worker_threads';
import { Redis } from 'ioredis';

const { words: buffer, url } = workerData;
const words = new Int32Array(buffer);
const client = new Redis(url);
await client.ping();
parentPort.postMessage('ready');
// runs until the bench terminates it
for (let seen = 0, i = 0; ;) {
  const wait = Atomics.waitAsync(words, 0, seen);
  if (wait.async) await wait.value;
  seen = Atomics.load(words, 0);
  await client.set(`k${i++ % 100}`, String(i));
  Atomics.add(words, 1, 1);
  Atomics.notify(words, 1);
}
