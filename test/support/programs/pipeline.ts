// numpy → pool → numpy: reads x.npy (float64) and counts.npy (int64, numpy's default integer)
// that numpy wrote in the directory given as argv[2], standardizes the rows of x and totals the
// rows of counts on pool workers, and saves z.npy and totals.npy for numpy to check.
import { join } from 'node:path';
import { load, Pool, save, zeros } from 'shared-ndarray';

const dir = process.argv[2]!;
const x = await load(join(dir, 'x.npy'), { dtype: 'float64' });
const counts = await load(join(dir, 'counts.npy'), { dtype: 'int64' });
// int64 elements are bigints: JS numbers, refusing any count a float64 would not hold exactly
const countsAsNumbers = counts.astype('float64', { exact: true });

const pool = new Pool<typeof import('./pipeline.worker.js')>(new URL('./pipeline.worker.js', import.meta.url), { size: 2 });
try {
  const z = zeros([x.shape[0]!, x.shape[1]!]);
  const totals = zeros([counts.shape[0]!]);
  await Promise.all([
    pool.mapRows('standardize', x, { args: [z] }),
    pool.mapRows('rowTotals', countsAsNumbers, { args: [totals] }),
  ]);
  await save(join(dir, 'z.npy'), z);
  await save(join(dir, 'totals.npy'), totals);
  console.log(JSON.stringify({ x: x.shape, countsDtype: counts.dtype, z: z.shape, totals: totals.shape }));
} finally {
  pool.close();
  await pool.join();
}
