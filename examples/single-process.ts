/**
 * The reference article's single-process version: count the primes up to 1,000,000 by trial
 * division, print the count, then the seconds one run takes (the article's `timeit`, number=1).
 *
 * Run: npx tsx examples/single-process.ts [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { countPrimesTrialDivision } from 'shared-ndarray';

const CHECK_NUMBERS = Number(process.argv[2] ?? 1_000_000);

function run(): number {
  return countPrimesTrialDivision(2, CHECK_NUMBERS + 1);
}

console.log(run());
const start = performance.now();
run();
console.log((performance.now() - start) / 1000);
