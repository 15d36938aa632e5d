/**
 * The worker module of the cluster example: what every daemon runs on its threads. The same
 * module serves a local Pool unchanged.
 */
import { countPrimesTrialDivision, type SharedNDArray } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** Counts the primes in `[start, end)` by trial division, as the article's worker does. */
  worker([start, end]: readonly [number, number]): number {
    return countPrimesTrialDivision(start, end);
  },

  /**
   * Fills rows [start, stop) of the matrix with their element numbers (row * columns + column).
   * `start` and `stop` are global row indexes, on a cluster as on a local pool. Returns the
   * process id, so the caller sees which daemons took part.
   */
  fillRows(matrix: SharedNDArray<'float64'>, start: number, stop: number): number {
    const cols = matrix.shape[1]!;
    for (let r = start; r < stop; r++) {
      const row = matrix.row(r);
      for (let c = 0; c < cols; c++) row.set(c, r * cols + c);
    }
    return process.pid;
  },
});
