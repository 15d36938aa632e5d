/**
 * exp, sin, cos, power and std of rows of 16 against numpy, as CPU time per element: ours inline
 * on the calling thread (arrays in plain ArrayBuffers, which the planner never sends to the pool)
 * and on the default pool (process CPU of every thread, so its overhead counts), numpy in one
 * process (bench/investigate/ops-math-numpy.py), all on 2^22 float64 elements of the ops bench's
 * data, medians of 7. On a loaded machine CPU time is steadier than wall time.
 *
 * Run: npm run build --silent && node bench/investigate/ops-math-cpu.mjs
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as sn from '../../dist/index.js';

const N = 2 ** 22;
const numpy = JSON.parse(execFileSync('/usr/bin/python3', [fileURLToPath(new URL('./ops-math-numpy.py', import.meta.url))], { encoding: 'utf8' }).trim().split('\n').pop());

/** A float64 array of `shape` over a SharedArrayBuffer (`shared`) or a plain ArrayBuffer. */
function make(shape, shared, add = 0) {
  const bytes = N * 8;
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const a = new sn.SharedNDArray(shape, { dtype: 'float64', buffer });
  const d = a.data;
  for (let i = 0; i < N; i++) d[i] = ((i * 7919) % 1000) / 997 - 0.5 + add;
  return a;
}

const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
async function measure(run) {
  await run();
  const times = [];
  for (let r = 0; r < 7; r++) {
    const c = cpu();
    await run();
    times.push(((cpu() - c) * 1000) / N);
  }
  return times.sort((x, y) => x - y)[3];
}

console.log(`CPU ns per element, 2^22 float64, median of 7 (numpy ${numpy.numpy}, one thread)`);
console.log('case\tnumpy\tours inline\tours on the pool (all threads)');
for (const shared of [false, true]) {
  const a = make([N], shared), pos = make([N], shared, 0.51), out = make([N], shared), rows = make([N / 16, 16], shared);
  const cases = {
    exp: () => sn.exp(a, { out }),
    sin: () => sn.sin(a, { out }),
    cos: () => sn.cos(a, { out }),
    'power 2': () => sn.power(a, 2, { out }),
    'power 2.5': () => sn.power(pos, 2.5, { out }),
    'std rows of 16': () => sn.std(rows, { axis: 1 }),
  };
  for (const [name, run] of Object.entries(cases)) (cases[name] = await measure(run));
  if (!shared) globalThis.inline = cases;
  else for (const name of Object.keys(cases)) console.log(`${name}\t${numpy.ns[name]}\t${globalThis.inline[name].toFixed(2)}\t${cases[name].toFixed(2)}`);
}
process.exit(0);
