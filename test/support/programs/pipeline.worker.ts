import type { SharedNDArray } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** out[r] = (x[r] - mean(x[r])) / std(x[r]), numpy's population std. */
  standardize(x: SharedNDArray<'float64'>, start: number, stop: number, out: SharedNDArray<'float64'>): void {
    for (let r = start; r < stop; r++) {
      const row = x.row(r).data;
      const target = out.row(r).data;
      let mean = 0;
      for (const v of row) mean += v;
      mean /= row.length;
      let variance = 0;
      for (const v of row) variance += (v - mean) ** 2;
      const std = Math.sqrt(variance / row.length);
      for (let c = 0; c < row.length; c++) target[c] = (row[c]! - mean) / std;
    }
  },

  rowTotals(counts: SharedNDArray<'float64'>, start: number, stop: number, totals: SharedNDArray<'float64'>): void {
    for (let r = start; r < stop; r++) {
      let total = 0;
      for (const v of counts.row(r).data) total += v;
      totals.set(r, total);
    }
  },
});
