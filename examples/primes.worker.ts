/**
 * The worker module for the pool examples: the reference article's `worker(sub_range)`, and the
 * shared-numpy-array worker. It is TypeScript; the pool loads it through tsx when the program
 * runs under tsx.
 */
import { threadId } from 'node:worker_threads';
import { countPrimesTrialDivision, frombuffer, type SharedArray } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** Counts the primes in `[start, end)` by trial division, as the article's worker does. */
  worker([start, end]: readonly [number, number]): number {
    return countPrimesTrialDivision(start, end);
  },

  /**
   * Wraps the shared array as a `[rows, 10]` float64 matrix (frombuffer + reshape, as the article
   * does in each process) and fills row `index` with this thread's id.
   */
  fillRow(sharedArrayBase: SharedArray<'float64'>, rows: number, index: number): number {
    const mainArray = frombuffer(sharedArrayBase.buffer, { dtype: 'c_double' }).reshape(rows, 10);
    mainArray.row(index).fill(threadId);
    return threadId;
  },
});
