/**
 * The benchmark suites `shared-ndarray bench` and `npm run bench` know, in the order they run.
 * The suites themselves live in the repository's bench/suites/ (not in the published package);
 * this list is here so the command can check its arguments and print its help anywhere.
 */
export const BENCH_SUITES = [
  { name: 'sieve', description: 'countPrimes vs primesieve (1 and 2 threads) and a numpy sieve' },
  { name: 'seed', description: "the reference article's trial-division count to 1e6 vs its Python code" },
  { name: 'pool', description: 'per-task overhead of pool.apply vs piscina and raw postMessage; map chunking' },
  { name: 'zerocopy', description: 'handing a 1 MB / 100 MB / 1 GB SharedNDArray to a worker vs structured clone' },
  { name: 'ndarray', description: 'element get/set, row fill, view creation vs @stdlib/ndarray and typed arrays' },
  { name: 'sync', description: 'Lock cost and Queue throughput vs Atomics and postMessage' },
  { name: 'io', description: '1 GiB .npy save/load and memory maps vs numpy' },
] as const;

export type BenchSuiteName = (typeof BENCH_SUITES)[number]['name'];

export const BENCH_SUITE_NAMES: readonly BenchSuiteName[] = BENCH_SUITES.map((s) => s.name);
