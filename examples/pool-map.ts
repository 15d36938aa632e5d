/**
 * The reference article's process-pool version: split [2, 1,000,001) into sub-ranges with
 * divideRange, count each in a pool worker with `map`, and sum. Prints the total, then the seconds
 * the run took.
 *
 * Run: npx tsx examples/pool-map.ts [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { Pool, divideRange } from 'shared-ndarray';

const CHECK_NUMBERS = Number(process.argv[2] ?? 1_000_000);
const NUM_PROCESSES = 4;

async function run(): Promise<number> {
  const params = divideRange(2, CHECK_NUMBERS + 1, NUM_PROCESSES);
  const pool = new Pool<typeof import('./primes.worker.js')>(new URL('./primes.worker.ts', import.meta.url), { size: NUM_PROCESSES });
  try {
    const result = await pool.map('worker', params);
    const total = result.reduce((a, b) => a + b, 0);
    console.log(total);
    return total;
  } finally {
    pool.close();
    await pool.join();
  }
}

const start = performance.now();
await run();
console.log((performance.now() - start) / 1000);
