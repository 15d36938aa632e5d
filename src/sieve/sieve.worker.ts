/** The sieve's worker module: the kernels, exposed to the pool. */
import { threadId } from 'node:worker_threads';
import type { SharedNDArray } from '../ndarray/ndarray.js';
import { defineWorker } from '../worker.js';
import { collectPrimes, countOnes, sieveSegment } from './kernel.js';
import { countPrimesTrialDivision } from './trial-division.js';

type Flags = SharedNDArray<'bool' | 'uint8'>;

function tick(progress: SharedNDArray<'int32'> | null): void {
  if (progress) Atomics.add(progress.data, 0, 1);
}

export default defineWorker({
  /** Sieves rows `[start, stop)` of the flag matrix in place; returns how many primes they hold. */
  sieveRows(flags: Flags, start: number, stop: number, n: number, primes: SharedNDArray<'int32'>, progress: SharedNDArray<'int32'> | null): number {
    const cols = flags.shape[1]!;
    const data = flags.data;
    const base = primes.data;
    let count = 0;
    for (let r = start; r < stop; r++) {
      sieveSegment(data, r * cols, cols, r * cols, n, base);
      count += countOnes(data, r * cols, cols);
      tick(progress);
    }
    return count;
  },

  /**
   * Count-only: sieves segments `[first, last)` of `[0, n]` one after another in scratch row
   * `row`, so memory stays one segment per worker whatever n is.
   */
  countSegments(scratch: Flags, row: number, rowStop: number, n: number, primes: SharedNDArray<'int32'>, segments: number, progress: SharedNDArray<'int32'> | null): number {
    const cols = scratch.shape[1]!;
    const data = scratch.data;
    const base = primes.data;
    const rows = scratch.shape[0]!;
    let count = 0;
    for (let r = row; r < rowStop; r++) {
      // Segment s goes to scratch row s % rows: each task owns its own scratch rows.
      for (let s = r; s < segments; s += rows) {
        sieveSegment(data, r * cols, cols, s * cols, n, base);
        count += countOnes(data, r * cols, cols);
        tick(progress);
      }
    }
    return count;
  },

  /** Writes the primes of rows `[start, stop)` into `out` from `offset`. */
  writePrimes(flags: Flags, start: number, stop: number, out: SharedNDArray<'int32' | 'float64'>, offset: number): number {
    const cols = flags.shape[1]!;
    return collectPrimes(flags.data, start * cols, (stop - start) * cols, start * cols, out.data, offset) - offset;
  },

  /** The article's pool worker: counts primes in `[lo, hi)` by trial division. */
  countPrimesTrialDivision([lo, hi]: readonly [number, number]): number {
    return countPrimesTrialDivision(lo, hi);
  },

  /** The id of the thread that runs this call (for the examples). */
  threadId: (): number => threadId,
});
