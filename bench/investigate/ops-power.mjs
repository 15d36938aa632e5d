/**
 * `power` of 256 MiB of float64 into `out` on the default pool, against numpy's `np.power` (one
 * thread, /usr/bin/python3) and a plain one-thread `**` loop over the same data: a
 * non-integer exponent (2.5), where every element goes through V8's `Math.pow`, and exponent 2.
 * The ops bench suite has no power case yet; this shows how far power is from the 0.6x bar that
 * issue 15 sets for compute-bound operations. Medians of the rounds.
 *
 * Run: npm run build --silent && node bench/investigate/ops-power.mjs [rounds]
 */
import { execFileSync } from 'node:child_process';
import { empty, zeros } from '../../dist/index.js';
import { powerAsync } from '../../dist/ops/index.js';

const rounds = Number(process.argv[2] ?? 5);
const n = 32 * 2 ** 20;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

const a = zeros([n]);
for (let i = 0; i < n; i++) a.data[i] = 0.5 + (i % 1000) / 100;
const out = empty([n]);

const numpy = (exponent) => Number(execFileSync('/usr/bin/python3', ['-c', `
import numpy as np, time
n = ${n}; a = 0.5 + (np.arange(n) % 1000) / 100; o = np.empty(n); np.power(a, ${exponent}, out=o)
t = []
for _ in range(${rounds}):
    s = time.perf_counter(); np.power(a, ${exponent}, out=o); t.append(time.perf_counter() - s)
t.sort(); print(t[len(t) // 2] * 1000)
`]).toString());

for (const exponent of [2.5, 2]) {
  await powerAsync(a, exponent, { out });
  const ours = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await powerAsync(a, exponent, { out });
    ours.push(performance.now() - start);
  }
  const plain = [];
  const d = a.data, o = out.data;
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) o[i] = d[i] ** exponent;
    plain.push(performance.now() - start);
  }
  const np = numpy(exponent);
  console.log(`power(a, ${exponent}, { out }): ${median(ours).toFixed(1)} ms, np.power ${np.toFixed(1)} ms (${(median(ours) / np).toFixed(2)}x); one-thread ** loop ${median(plain).toFixed(1)} ms`);
}
process.exit(0);
