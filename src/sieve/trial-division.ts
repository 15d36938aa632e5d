/**
 * The reference article's workload: count primes by trial division, one `check_prime` per number.
 * Deliberately slow (O(n sqrt n)); it is the CPU-bound task the article parallelises.
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

/** The article's `check_prime`, made correct below 2 (the original calls 0 and 1 prime). */
export function checkPrime(n: number): boolean {
  if (n < 2) return false;
  if (n === 2) return true;
  const limit = Math.floor(Math.sqrt(n));
  for (let i = 2; i <= limit; i++) if (n % i === 0) return false;
  return true;
}

/**
 * The number of primes in `[lo, hi)`, by trial division (the article's `worker(start, end)`).
 * @throws {ArgumentError} when `lo` or `hi` is not a safe integer with 0 <= lo <= hi
 */
export function countPrimesTrialDivision(lo: number, hi: number): number {
  const fn = 'countPrimesTrialDivision';
  if (!Number.isSafeInteger(lo) || lo < 0) throw new ArgumentError(`${fn}: invalid argument 'lo': expected an integer >= 0, got ${show(lo)}`);
  if (!Number.isSafeInteger(hi) || hi < lo) throw new ArgumentError(`${fn}: invalid argument 'hi': expected an integer >= lo (${lo}), got ${show(hi)}`);
  let total = 0;
  for (let n = lo; n < hi; n++) if (checkPrime(n)) total++;
  return total;
}
