/**
 * Costs of the sync primitives, side by side in one process (benchmark.js):
 * - an uncontended Lock acquire + release against the floor, a bare Atomics.compareExchange +
 *   Atomics.store on one Int32 word;
 * - Queue throughput, items per second delivered to the main thread from 1 and 4 producer
 *   threads, against the same items sent with postMessage.
 *
 * Run: npm run bench   (or: npx tsx bench/sync.bench.ts [--quick])
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import Benchmark from 'benchmark';
import { Lock, Queue, RLock, toDescriptors } from '../src/index.js';

const quick = process.argv.includes('--quick');
const maxTime = quick ? 1 : 4;

async function run(suite: Benchmark.Suite): Promise<Benchmark[]> {
  suite.on('cycle', (e: Benchmark.Event) => process.stderr.write(`  ${String(e.target)}\n`));
  await new Promise((resolve) => suite.on('complete', resolve).run({ async: true }));
  return suite.map((b: Benchmark) => b) as Benchmark[];
}

// --- lock cost
const word = new Int32Array(new SharedArrayBuffer(4));
const lock = new Lock();
const rlock = new RLock();
const locks = await run(new Benchmark.Suite('uncontended acquire + release')
  .add('Atomics.compareExchange + Atomics.store', () => {
    Atomics.compareExchange(word, 0, 0, 1);
    Atomics.store(word, 0, 0);
  }, { maxTime })
  .add('Lock acquire() + release()', () => {
    lock.acquire();
    lock.release();
  }, { maxTime })
  .add('RLock acquire() + release()', () => {
    rlock.acquire();
    rlock.release();
  }, { maxTime }));
console.log('\nuncontended acquire + release, main thread');
console.log('| case | ns per pair | ± | vs compareExchange |\n|---|---:|---:|---:|');
for (const b of locks) {
  console.log(`| ${b.name} | ${(b.stats.mean * 1e9).toFixed(1)} | ${b.stats.rme.toFixed(1)}% | ${(b.stats.mean / locks[0]!.stats.mean).toFixed(2)}× |`);
}

// --- queue throughput
const BATCH = 20_000;
const producerUrl = new URL('./support/producer.mjs', import.meta.url);
/** Producer threads that have loaded and said so, so worker start-up stays out of the timings. */
async function start(producers: number, queue?: Queue): Promise<Worker[]> {
  const workers = Array.from({ length: producers }, () => new Worker(producerUrl, { workerData: toDescriptors({ queue }) }));
  await Promise.all(workers.map((w) => once(w, 'message')));
  return workers;
}

async function viaQueue(producers: number, objects: boolean): Promise<Benchmark.Options> {
  const queue = new Queue(0, { bytes: 1 << 20 });
  const workers = await start(producers, queue);
  return {
    defer: true, maxTime,
    fn: (deferred: Benchmark.Deferred) => {
      for (const w of workers) w.postMessage({ count: BATCH / producers, objects });
      for (let i = 0; i < BATCH; i++) queue.get();
      deferred.resolve();
    },
    onComplete: () => { for (const w of workers) void w.terminate(); },
  };
}

async function viaPostMessage(producers: number, objects: boolean): Promise<Benchmark.Options> {
  const workers = await start(producers);
  let received = 0;
  let done: (() => void) | undefined;
  for (const w of workers) w.on('message', () => { if (++received === BATCH) done?.(); });
  return {
    defer: true, maxTime,
    fn: (deferred: Benchmark.Deferred) => {
      received = 0;
      done = () => deferred.resolve();
      for (const w of workers) w.postMessage({ count: BATCH / producers, objects });
    },
    onComplete: () => { for (const w of workers) void w.terminate(); },
  };
}

const cases: Array<[string, Benchmark.Options]> = [];
for (const objects of [false, true]) {
  for (const producers of [1, 4]) {
    const what = `${producers} producer${producers > 1 ? 's' : ''}, ${objects ? 'small objects' : 'numbers'}`;
    cases.push([`postMessage, ${what}`, await viaPostMessage(producers, objects)]);
    cases.push([`Queue, ${what}`, await viaQueue(producers, objects)]);
  }
}
const queueSuite = new Benchmark.Suite('queue throughput');
for (const [name, options] of cases) queueSuite.add(name, options);
const queues = await run(queueSuite);
console.log(`\nitems per second delivered to the main thread (batches of ${BATCH})`);
console.log('| case | items/s | ± | Queue vs postMessage |\n|---|---:|---:|---:|');
for (let i = 0; i < queues.length; i++) {
  const b = queues[i]!;
  const ratio = b.name!.startsWith('Queue') ? `${(queues[i - 1]!.stats.mean / b.stats.mean).toFixed(2)}×` : '';
  console.log(`| ${b.name} | ${(BATCH / b.stats.mean).toFixed(0)} | ${b.stats.rme.toFixed(1)}% | ${ratio} |`);
}
