/**
 * One workload of bench/investigate/pool-overhead.md's instruction counts, for callgrind: a raw
 * Worker echoing a SharedArrayBuffer view, or a pool of 1 worker running pool.apply(echo, 1) or
 * pool.apply(handoff, a), WARM calls (default 8000) and then N more. Per round trip =
 * (Ir at N=10000 - Ir at N=2000) / 8000:
 *
 *   npm run build && THREADS_WORKER_INIT_TIMEOUT=900000 valgrind --tool=callgrind \
 *     --smc-check=all-non-file node bench/investigate/call-instructions.mjs handoff 10000
 *
 * (add node's --perf-basic-prof to name the JIT code through /tmp/perf-PID.map).
 */
import { Worker } from 'node:worker_threads';
import { Pool, zeros } from '../../dist/index.js';

const mode = process.argv[2] ?? 'handoff';
const N = Number(process.argv[3] ?? 10000);
const WARM = Number(process.env.WARM ?? 8000);
const a = zeros([2 ** 20], 'uint8').fill(1);
let call;
let done;
if (mode === 'raw') {
  const raw = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));", { eval: true });
  let answer;
  raw.on('message', (m) => answer(m));
  call = () => new Promise((resolve) => { answer = resolve; raw.postMessage(a.data); });
  done = () => raw.terminate();
} else {
  const pool = new Pool(new URL('../../dist/bench/support/handoff.worker.mjs', import.meta.url), { size: 1 });
  await pool.ready();
  call = mode === 'echo' ? () => pool.apply('echo', 1) : () => pool.apply('handoff', a);
  done = () => pool.terminate();
}
for (let i = 0; i < WARM; i++) await call();
const cpu = process.cpuUsage();
const start = performance.now();
for (let i = 0; i < N; i++) await call();
const used = process.cpuUsage(cpu);
console.log(`${mode}: ${((performance.now() - start) * 1000 / N).toFixed(1)} µs wall, ${((used.user + used.system) / N).toFixed(1)} µs CPU per call`);
await done();
