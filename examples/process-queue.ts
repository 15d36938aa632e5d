/**
 * The reference article's "processes and a queue" version: split [2, 1,000,001) into four
 * sub-ranges, start one Process per range, each putting its count on a shared Queue; join them
 * all, then sum what the queue holds. Prints the total, then the seconds the run took.
 *
 * Run: npx tsx examples/process-queue.ts [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { Process, Queue, divideRange } from 'shared-ndarray';

const CHECK_NUMBERS = Number(process.argv[2] ?? 1_000_000);
const NUM_PROCESSES = 4;

async function run(): Promise<number> {
  const params = divideRange(2, CHECK_NUMBERS + 1, NUM_PROCESSES);
  const resultMq = new Queue();
  const processes = params.map(([start, end]) => new Process<typeof import('./process.worker.js')>({
    module: new URL('./process.worker.ts', import.meta.url),
    fn: 'worker',
    args: [start, end, resultMq],
  }));
  for (const process of processes) process.start();
  for (const process of processes) await process.join();
  let total = 0;
  for (let i = 0; i < NUM_PROCESSES; i++) total += resultMq.get() as number;
  console.log(total);
  return total;
}

const start = performance.now();
await run();
console.log((performance.now() - start) / 1000);
