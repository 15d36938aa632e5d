/** The suites by name (the names and their order come from src/cli/bench-suites.ts). */
import type { BenchSuiteName } from '../../src/cli/bench-suites.js';
import type { Suite } from '../harness/context.js';

export const SUITE_LOADERS: Record<BenchSuiteName, () => Promise<{ default: Suite }>> = {
  sieve: () => import('./sieve.js'),
  seed: () => import('./seed.js'),
  pool: () => import('./pool.js'),
  zerocopy: () => import('./zerocopy.js'),
  ndarray: () => import('./ndarray.js'),
  sync: () => import('./sync.js'),
  io: () => import('./io.js'),
};
