/**
 * Where the time of one `pool.apply` round trip goes: each way of making a trivial call to one
 * worker, measured in turns (5 rounds of 5,000 calls each, after 2,000 warm-up calls), with
 * - wall: the round trip, per call;
 * - main: the time the main thread's event loop was busy (eventLoopUtilization), per call;
 * - cpu: CPU time of the whole process, all threads (process.cpuUsage), per call.
 * The worker's own CPU time is about cpu - main. Idle time (wall - main) is waiting: for the
 * worker to wake up, run and answer.
 *
 * Run: npm run build && npx tsx bench/investigate/pool-overhead.ts
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Pool } from '../../src/index.js';
import { directProtocol, rawEcho, roundTrip, support, type EchoPool } from '../suites/pool.js';

const CALLS = 5000;
const ROUNDS = 5;

interface Variant { name: string; call: () => PromiseLike<unknown> }

async function measure(v: Variant): Promise<{ wall: number; main: number; cpu: number }> {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) await v.call();
  const wall = (performance.now() - start) * 1000 / CALLS;
  const busy = performance.eventLoopUtilization(elu);
  const used = process.cpuUsage(cpu);
  return { wall, main: (busy.active * 1000) / CALLS, cpu: (used.user + used.system) / CALLS };
}

const raw1 = rawEcho(1);
const raw2 = rawEcho(2);
const send1 = roundTrip(raw1, 1);
const send2 = roundTrip(raw2, 2);
const piscina = new Piscina({ filename: fileURLToPath(support('piscina-echo.mjs')), minThreads: 1, maxThreads: 1 });
const pool: EchoPool = new Pool(support('echo.worker.mjs'), { size: 1 });
await pool.ready();
const direct = await directProtocol();
const variants: Variant[] = [
  { name: 'raw postMessage, 1 reply', call: () => send1(1) },
  { name: 'raw postMessage, 2 replies', call: () => send2(1) },
  { name: 'piscina run', call: () => piscina.run(1) },
  { name: 'pool.apply', call: () => pool.apply('echo', 1) },
  { name: 'protocol sketch', call: () => direct.apply('echo', 1) },
];
const results = new Map<string, Array<{ wall: number; main: number; cpu: number }>>();
for (const v of variants) {
  for (let i = 0; i < 2000; i++) await v.call();
  results.set(v.name, []);
}
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + round) % variants.length]!;
    results.get(v.name)!.push(await measure(v));
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`| per call (median of ${ROUNDS} rounds of ${CALLS}) | wall µs | main thread busy µs | CPU all threads µs |`);
console.log('|---|---:|---:|---:|');
for (const [name, rs] of results) {
  console.log(`| ${name} | ${median(rs.map((r) => r.wall)).toFixed(1)} | ${median(rs.map((r) => r.main)).toFixed(1)} | ${median(rs.map((r) => r.cpu)).toFixed(1)} |`);
}
await Promise.all([raw1.terminate(), raw2.terminate(), piscina.destroy(), pool.terminate(), direct.stop()]);
