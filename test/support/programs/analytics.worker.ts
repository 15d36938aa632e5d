import type { SharedNDArray } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';
import { value } from './formula.js';

export interface BlockStats {
  columnSums: number[];
  max: number;
  /** The first row of the block holding `max`. */
  maxRow: number;
}

export default defineWorker({
  fillRows(m: SharedNDArray<'float64'>, start: number, stop: number): void {
    const cols = m.shape[1]!;
    for (let r = start; r < stop; r++) {
      const row = m.row(r).data;
      for (let c = 0; c < cols; c++) row[c] = value(r, c);
    }
  },

  stats(m: SharedNDArray<'float64'>, start: number, stop: number): BlockStats {
    const cols = m.shape[1]!;
    const columnSums = new Array<number>(cols).fill(0);
    let max = -Infinity;
    let maxRow = -1;
    for (let r = start; r < stop; r++) {
      const row = m.row(r).data;
      for (let c = 0; c < cols; c++) {
        const x = row[c]!;
        columnSums[c]! += x;
        if (x > max) {
          max = x;
          maxRow = r;
        }
      }
    }
    return { columnSums, max, maxRow };
  },
});
