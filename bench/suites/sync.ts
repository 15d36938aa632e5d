/**
 * Costs of the sync primitives, side by side:
 * - an uncontended Lock / RLock acquire + release against the floor, a bare
 *   Atomics.compareExchange + Atomics.store on one Int32 word (benchmark.js);
 * - Queue throughput: 20,000 items delivered to the main thread from 1 and 4 producer threads,
 *   against the same items sent with postMessage. Producers are started before timing.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Lock, Queue, RLock, toDescriptors } from 'shared-ndarray';
import type { Suite, SuiteContext } from '../harness/context.js';

const PRODUCER = new URL('../support/producer.mjs', import.meta.url);

/** Producer threads that have loaded and said so, so worker start-up stays out of the timings. */
async function start(producers: number, queue?: Queue): Promise<Worker[]> {
  const workers = Array.from({ length: producers }, () => new Worker(PRODUCER, { workerData: toDescriptors({ queue }) }));
  await Promise.all(workers.map((w) => once(w, 'message')));
  return workers;
}

async function throughput(s: SuiteContext, producers: number, objects: boolean): Promise<void> {
  const BATCH = batch(s);
  const what = `${producers} producer${producers > 1 ? 's' : ''}, ${objects ? 'small objects' : 'numbers'}`;
  const POST = `postMessage, ${what}`;
  const posting = await start(producers);
  try {
    let received = 0;
    let done: (() => void) | undefined;
    for (const w of posting) w.on('message', () => { if (++received === BATCH) done?.(); });
    await s.benchAsync(POST, () => new Promise<void>((resolve) => {
      received = 0;
      done = resolve;
      for (const w of posting) w.postMessage({ count: BATCH / producers, objects });
    }), { peer: true });
  } finally {
    await Promise.all(posting.map((w) => w.terminate()));
  }
  const queue = new Queue(0, { bytes: 1 << 20 });
  const putting = await start(producers, queue);
  try {
    await s.benchAsync(`Queue, ${what}`, async () => {
      for (const w of putting) w.postMessage({ count: BATCH / producers, objects });
      for (let i = 0; i < BATCH; i++) queue.get();
    }, { vs: POST });
  } finally {
    await Promise.all(putting.map((w) => w.terminate()));
  }
}

/** Items per delivery: 20,000, or 4 with --smoke (one per producer of the 4). */
const batch = (s: SuiteContext): number => (s.smoke ? 4 : 20_000);

const suite: Suite = {
  name: 'sync',
  title: 'Lock cost and Queue throughput',
  async run(s) {
    const word = new Int32Array(new SharedArrayBuffer(4));
    const lock = new Lock();
    const rlock = new RLock();
    const FLOOR = 'Atomics.compareExchange + Atomics.store';
    s.group('uncontended acquire + release, main thread');
    await s.bench(FLOOR, () => {
      Atomics.compareExchange(word, 0, 0, 1);
      Atomics.store(word, 0, 0);
    }, { peer: true });
    await s.bench('Lock acquire() + release()', () => {
      lock.acquire();
      lock.release();
    }, { vs: FLOOR });
    await s.bench('RLock acquire() + release()', () => {
      rlock.acquire();
      rlock.release();
    }, { vs: FLOOR });

    s.group(`deliver ${batch(s).toLocaleString('en')} items to the main thread (time for all of them)`);
    for (const objects of [false, true]) {
      for (const producers of [1, 4]) await throughput(s, producers, objects);
    }
    s.compare('Lock / bare compareExchange + store', 'Lock acquire() + release()', FLOOR);
    s.compare('Queue / postMessage, 1 producer, numbers', 'Queue, 1 producer, numbers', 'postMessage, 1 producer, numbers');
    s.compare('Queue / postMessage, 4 producers, small objects', 'Queue, 4 producers, small objects', 'postMessage, 4 producers, small objects');
  },
};
export default suite;
