// An analytics script over a [20000, 1000] float64 matrix: pool workers fill it in parallel, then
// reduce it by blocks of rows; the result is checked against the same computation on one thread.
import { Pool, zeros } from 'shared-ndarray';
import { value } from './formula.js';

const ROWS = 20_000;
const COLS = 1_000;

const pool = new Pool<typeof import('./analytics.worker.js')>(new URL('./analytics.worker.js', import.meta.url), { size: 2 });
try {
  const m = zeros([ROWS, COLS]);
  await pool.mapRows('fillRows', m);
  const blocks = await pool.mapRows('stats', m);
  const columnSums = new Array<number>(COLS).fill(0);
  let max = -Infinity;
  let maxRow = -1;
  for (const block of blocks) {
    block.columnSums.forEach((s, c) => { columnSums[c]! += s; });
    if (block.max > max) ({ max, maxRow } = block);
  }
  const parallel = { columnSums, total: columnSums.reduce((a, b) => a + b, 0), max, maxRow };

  // the same on one thread, from the formula, checking each cell the workers wrote on the way
  const shared = m.data;
  let filledRight = true;
  const sums = new Array<number>(COLS).fill(0);
  let plainMax = -Infinity;
  let plainMaxRow = -1;
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const x = value(r, c);
      if (shared[r * COLS + c] !== x) filledRight = false;
      sums[c]! += x;
      if (x > plainMax) {
        plainMax = x;
        plainMaxRow = r;
      }
    }
  }
  const single = { columnSums: sums, total: sums.reduce((a, b) => a + b, 0), max: plainMax, maxRow: plainMaxRow };
  console.log(JSON.stringify({
    shape: m.shape,
    blocks: blocks.length,
    filledRight,
    same: JSON.stringify(parallel) === JSON.stringify(single),
    total: parallel.total,
    max: parallel.max,
    maxRow: parallel.maxRow,
  }));
} finally {
  pool.close();
  await pool.join();
}
