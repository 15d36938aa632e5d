// Run by test/ops/default-pool.thread.test.ts in a child process: uses the default pool the way
// a script would, prints what it saw, and must then exit by itself (idle workers are unref'd).
// Worker thread ids grow by one per thread the process starts, so a probe worker made before and
// after a step tells how many threads the step started.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { add, arange, countPrimes, INLINE_THRESHOLD } from '../../dist/index.js';

async function probe() {
  const worker = new Worker('', { eval: true });
  const id = worker.threadId;
  await worker.terminate();
  return id;
}

const p0 = await probe();
const small = add(arange(10), 1);
const p1 = await probe();
const n = INLINE_THRESHOLD * 4;
const big = add(arange(n), 1);
const p2 = await probe();
const first = await countPrimes(1_000_000);
const p3 = await probe();
const second = await countPrimes(1_000_000);
const p4 = await probe();
console.log(JSON.stringify({
  inlineStarted: p1 - p0 - 1,
  poolStarted: p2 - p1 - 1,
  sieveStarted: p3 - p2 - 1,
  secondSieveStarted: p4 - p3 - 1,
  size: availableParallelism(),
  small: small.get(9),
  big: [big.get(0), big.get(n - 1)],
  counts: [first, second],
}));
