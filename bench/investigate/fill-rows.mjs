// The alloc bench's 2-worker case side by side: a pool of 2 fills the rows of fresh zeros (huge
// pages) through the typed array (`a.data.fill`, V8's element-at-a-time fill, what the bench's
// worker did before) and through a row view's `fill` (the addon's, what it does now), and one
// thread fills the whole array; alternating, medians of wall and process CPU time (all threads,
// the kernel's page faults included), each run's wall time listed.
//   npm run build && node --expose-gc bench/investigate/fill-rows.mjs [MiB=1024] [runs=5]
import { Pool, zeros } from 'shared-ndarray';
const gc = globalThis.gc;
const mib = Number(process.argv[2] ?? 1024), runs = Number(process.argv[3] ?? 5);
const rows = mib * 2 ** 20 / 8 / 1024;
const pool = new Pool(new URL('./fill-rows.worker.mjs', import.meta.url), { size: 2 });
await pool.ready();
const r = { viaData: [], viaView: [], oneThread: [] };
for (let i = 0; i < runs; i++) {
  for (const k of Object.keys(r)) {
    gc(); await Promise.all([pool.apply('collect'), pool.apply('collect')]); gc();
    const c = process.cpuUsage(), t = performance.now();
    if (k === 'oneThread') zeros([rows, 1024]).fill(1.5); else await pool.mapRows(k, zeros([rows, 1024]));
    const wall = performance.now() - t, cu = process.cpuUsage(c);
    r[k].push([wall, (cu.user + cu.system) / 1e3]);
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [k, v] of Object.entries(r)) console.log(k.padEnd(10), 'wall', med(v.map((x) => x[0])).toFixed(0), 'cpu', med(v.map((x) => x[1])).toFixed(0), JSON.stringify(v.map((x) => x[0].toFixed(0))));
await pool.terminate();
