// Child process for test/sync/wait-alive.thread.test.ts: the main thread awaits a Semaphore twice,
// released each time 100 ms later by a worker that does not keep the process alive (unref), so
// only the async wait itself keeps the process running, and nothing keeps it after the last one.
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { Semaphore, fromDescriptors, toDescriptors } from 'shared-ndarray';

if (isMainThread) {
  const sem = new Semaphore(0);
  new Worker(new URL(import.meta.url), { workerData: toDescriptors({ sem }) }).unref();
  for (let i = 1; i <= 2; i++) {
    await sem.acquireAsync();
    console.log(`acquired ${i}`);
  }
} else {
  const { sem } = fromDescriptors(workerData);
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 2; i++) {
    Atomics.wait(sleep, 0, 0, 100);
    sem.release();
  }
}
