/**
 * The suites, in the order they run: the one list the runner's arguments, its help and the
 * performance page go by. It lives with the suites (the package's CLI only launches the runner).
 */
import type { Suite } from '../harness/context.js';

export const SUITES = [
  { name: 'sieve', description: 'countPrimes vs primesieve (1 and 2 threads) and a numpy sieve', load: () => import('./sieve.js') },
  { name: 'seed', description: "the reference article's trial-division count to 1e6 vs its Python code", load: () => import('./seed.js') },
  { name: 'pool', description: 'per-task overhead of pool.apply vs piscina and raw postMessage; map chunking', load: () => import('./pool.js') },
  { name: 'zerocopy', description: 'handing a 1 MB / 100 MB / 1 GB SharedNDArray to a worker vs structured clone', load: () => import('./zerocopy.js') },
  { name: 'ndarray', description: 'element get/set, row fill, view creation vs @stdlib/ndarray and typed arrays', load: () => import('./ndarray.js') },
  { name: 'sync', description: 'Lock cost and Queue throughput vs Atomics and postMessage', load: () => import('./sync.js') },
  { name: 'alloc', description: "a fresh 1 GiB / 4 GiB float64 matrix written once (1 and 2 threads; and as a new process's first), load and save, vs numpy", load: () => import('./alloc.js') },
  { name: 'startup', description: 'cold starts: import, a pool of 2 to first results, a first countPrimes, the CLI vs piscina, raw Workers, primesieve', load: () => import('./startup.js') },
  { name: 'manager', description: 'Manager proxy calls (dict, list, Queue; blocking in a worker, async) vs Python multiprocessing.Manager()', load: () => import('./manager.js') },
  { name: 'io', description: '1 GiB .npy save/load and memory maps vs numpy', load: () => import('./io.js') },
  { name: 'ops', description: 'reductions, elementwise math and matmul vs numpy on the same data, and a streaming copy', load: () => import('./ops.js') },
  { name: 'cluster', description: 'ClusterPool.apply overhead vs the local Pool and raw BullMQ; mapRows over a RedisNDArray and a memmap, 1 and 2 daemons', load: () => import('./cluster.js') },
] as const satisfies ReadonlyArray<{ name: string; description: string; load: () => Promise<{ default: Suite }> }>;

export type SuiteName = (typeof SUITES)[number]['name'];

export const SUITE_NAMES: readonly SuiteName[] = SUITES.map((s) => s.name);
