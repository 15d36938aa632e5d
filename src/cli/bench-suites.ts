/**
 * The benchmark suites `shared-ndarray bench` and `npm run bench` know, in the order they run.
 * The suites themselves live in the repository's bench/suites/ (not in the published package);
 * this list is here so the command can check its arguments and print its help anywhere.
 */
export const BENCH_SUITES = [
  { name: 'sieve', description: 'countPrimes vs primesieve (1 and 2 threads) and a numpy sieve' },
  { name: 'seed', description: "the reference article's trial-division count to 1e6 vs its Python code" },
  { name: 'ndarray', description: 'element get/set, row fill, view creation vs @stdlib/ndarray and typed arrays' },
  { name: 'sync', description: 'Lock cost and Queue throughput vs Atomics and postMessage' },
  { name: 'io', description: '1 GiB .npy save/load and memory maps vs numpy' },
] as const;

export type BenchSuiteName = (typeof BENCH_SUITES)[number]['name'];

export const BENCH_SUITE_NAMES: readonly BenchSuiteName[] = BENCH_SUITES.map((s) => s.name);
