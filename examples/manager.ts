/**
 * The reference article's Manager section: a Manager holds a dict and a list that processes fill
 * through proxies. Four processes each count the primes of a quarter of [2, 1,000,001), put the
 * count in the dict and their range in the list; the main process then reads both. Prints the
 * total, the ranges (sorted), then the seconds the run took.
 *
 * Run: npx tsx examples/manager.ts [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { Manager, Process, divideRange } from 'shared-ndarray';

const CHECK_NUMBERS = Number(process.argv[2] ?? 1_000_000);
const NUM_PROCESSES = 4;

async function run(): Promise<number> {
  await using manager = await Manager.start();
  const counts = manager.dict<number, number>();
  const done = manager.list<string>();
  const processes = divideRange(2, CHECK_NUMBERS + 1, NUM_PROCESSES).map(([start, end]) => new Process<typeof import('./manager.worker.js')>({
    module: new URL('./manager.worker.ts', import.meta.url),
    fn: 'worker',
    args: [start, end, counts, done],
  }));
  for (const process of processes) process.start();
  for (const process of processes) await process.join();
  const total = (await counts.valuesAsync()).reduce((sum, n) => sum + n, 0);
  console.log(total);
  console.log((await done.toArrayAsync()).sort((a, b) => Number(a.slice(1).split(',')[0]) - Number(b.slice(1).split(',')[0])).join(' '));
  return total;
}

const start = performance.now();
await run();
console.log((performance.now() - start) / 1000);
