/** `shared-ndarray/sieve`: the parallel prime sieve and the reference article's trial division. */
export { sieve, countPrimes, primes, sieveWorkerModule, MAX_SIEVE_N } from './sieve.js';
export type { SieveOptions, SieveWorker } from './sieve.js';
export { checkPrime, countPrimesTrialDivision } from './trial-division.js';
