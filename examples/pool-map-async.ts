/**
 * The reference article's `map_async` version: start the work, close the pool, do something
 * else, then join and collect. Prints the total, then the seconds the run took.
 *
 * Run: npx tsx examples/pool-map-async.ts [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { Pool, divideRange } from 'shared-ndarray';

const CHECK_NUMBERS = Number(process.argv[2] ?? 1_000_000);
const NUM_PROCESSES = 4;

async function run(): Promise<number> {
  const params = divideRange(2, CHECK_NUMBERS + 1, NUM_PROCESSES);
  const pool = new Pool<typeof import('./primes.worker.js')>(new URL('./primes.worker.ts', import.meta.url), { size: NUM_PROCESSES });
  const result = pool.mapAsync('worker', params);
  pool.close();
  // do something else here: the main thread is free while the workers count
  await pool.join();
  const total = (await result.get()).reduce((a, b) => a + b, 0);
  console.log(total);
  return total;
}

const start = performance.now();
await run();
console.log((performance.now() - start) / 1000);
