/**
 * `power` of 32 Mi elements into `out` on the default pool, against numpy's `np.power` (one
 * thread, /usr/bin/python3) on the same data: float64 `a ** 2.5` (the ops bench suite's case,
 * where each element goes through the addon's pow, libmvec's, or without it V8's `Math.pow`),
 * `a ** 2` (a product either way), `a ** b` with an array exponent, and float32 `a ** 2.5`.
 * Prints wall and CPU time (process-wide: every thread's) as ratios to numpy's, and the plain
 * one-thread `**` loop for scale. Medians of the rounds. Bases in [0.5, 10.5), exponents of
 * `b` in [0.5, 3.5).
 *
 * Run: npm run build --silent && node bench/investigate/ops-power.mjs [rounds]
 * (SHARED_NDARRAY_NATIVE_MATH=0 in the environment: the JavaScript loop instead of the addon)
 */
import { execFileSync } from 'node:child_process';
import { empty, zeros } from '../../dist/index.js';
import { powerAsync } from '../../dist/ops/index.js';

const rounds = Number(process.argv[2] ?? 5);
const n = 32 * 2 ** 20;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

const a = zeros([n]);
for (let i = 0; i < n; i++) a.data[i] = 0.5 + (i % 1000) / 100;
const b = zeros([n]);
for (let i = 0; i < n; i++) b.data[i] = 0.5 + (i % 997) / 332;
const a32 = a.astype('float32');
const out = empty([n]);
const out32 = empty([n], 'float32');

/** numpy's median wall and CPU milliseconds for `expr` (over a, b, a32 and outs o, o32). */
const numpy = (expr) => JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, numpy as np, time
n = ${n}; a = 0.5 + (np.arange(n) % 1000) / 100; b = 0.5 + (np.arange(n) % 997) / 332
a32 = a.astype(np.float32); o = np.empty(n); o32 = np.empty(n, np.float32)
${expr}
w, c = [], []
for _ in range(${rounds}):
    s, p = time.perf_counter(), time.process_time(); ${expr}
    w.append(time.perf_counter() - s); c.append(time.process_time() - p)
w.sort(); c.sort(); print(json.dumps([w[len(w) // 2] * 1000, c[len(c) // 2] * 1000]))
`]).toString());

const cases = [
  ['a ** 2.5', () => powerAsync(a, 2.5, { out }), 'np.power(a, 2.5, out=o)', (i) => a.data[i] ** 2.5],
  ['a ** 2', () => powerAsync(a, 2, { out }), 'np.power(a, 2, out=o)', (i) => a.data[i] ** 2],
  ['a ** b', () => powerAsync(a, b, { out }), 'np.power(a, b, out=o)', (i) => a.data[i] ** b.data[i]],
  ['float32 a ** 2.5', () => powerAsync(a32, 2.5, { out: out32 }), 'np.power(a32, np.float32(2.5), out=o32)', (i) => a32.data[i] ** 2.5],
];

for (const [name, ours, theirs, plainElement] of cases) {
  await ours();
  const wall = [], cpu = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now(), used = process.cpuUsage();
    await ours();
    const c = process.cpuUsage(used);
    wall.push(performance.now() - start);
    cpu.push((c.user + c.system) / 1000);
  }
  const o = out.data;
  const start = performance.now();
  for (let i = 0; i < n; i++) o[i] = plainElement(i);
  const plain = performance.now() - start;
  const [npWall, npCpu] = numpy(theirs);
  console.log(`${name}: ${median(wall).toFixed(1)} ms (CPU ${median(cpu).toFixed(1)}), ${theirs} ${npWall.toFixed(1)} ms (CPU ${npCpu.toFixed(1)}): ` +
    `${(median(wall) / npWall).toFixed(2)}x wall, ${(median(cpu) / npCpu).toFixed(2)}x CPU; one-thread ** loop ${plain.toFixed(0)} ms`);
}
process.exit(0);
