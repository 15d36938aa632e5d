/**
 * The cost of one `pool.apply` round trip with a trivial function, against a raw worker_threads
 * postMessage round trip, and the sieve's speedup on all cores over one thread, measured side by
 * side in one process (benchmark.js for the round trips).
 *
 * Run: npm run bench   (or: npx tsx bench/pool.bench.ts [--quick])
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import Benchmark from 'benchmark';
import { Pool, countPrimes, sieve, sieveWorkerModule, type SieveWorker } from '../src/index.js';

const quick = process.argv.includes('--quick');
const maxTime = quick ? 1 : 4;

const pool = new Pool(new URL('./support/echo.worker.mjs', import.meta.url), { size: 1 });
await pool.ready();
const raw = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));", { eval: true });

const suite = new Benchmark.Suite('round trip of a trivial call to one worker');
suite
  .add('worker_threads postMessage round trip', {
    defer: true, maxTime,
    fn: (deferred: Benchmark.Deferred) => { raw.once('message', () => deferred.resolve()); raw.postMessage(1); },
  })
  .add('pool.apply round trip', {
    defer: true, maxTime,
    fn: (deferred: Benchmark.Deferred) => { void pool.apply('echo', 1).then(() => deferred.resolve()); },
  })
  .on('cycle', (e: Benchmark.Event) => process.stderr.write(`  ${String(e.target)}\n`));
await new Promise((resolve) => suite.on('complete', resolve).run({ async: true }));
const [base, ours] = suite.map((b: Benchmark) => b) as Benchmark[];
console.log(`\n${suite.name}`);
console.log('| case | µs per call | ± | time vs postMessage |\n|---|---:|---:|---:|');
for (const b of [base!, ours!]) {
  console.log(`| ${b.name} | ${(b.stats.mean * 1e6).toFixed(1)} | ${b.stats.rme.toFixed(1)}% | ${(b.stats.mean / base!.stats.mean).toFixed(2)}× |`);
}
await pool.terminate();
await raw.terminate();

// Sieve speedup: pools started before the clock, best of a few runs each (the machine is noisy).
const threads = availableParallelism();
const runs = quick ? 2 : 5;
const pools = new Map<number, Pool<SieveWorker>>();
for (const size of new Set([1, threads])) {
  const p = new Pool<SieveWorker>(sieveWorkerModule(), { size });
  await p.ready();
  pools.set(size, p);
}
async function best(fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    min = Math.min(min, performance.now() - start);
  }
  return min / 1000;
}
console.log(`\nsieve on ${threads} threads vs 1 (best of ${runs}, workers started before timing)`);
console.log(`| call | 1 thread (s) | ${threads} threads (s) | speedup |\n|---|---:|---:|---:|`);
for (const n of quick ? [1e8] : [1e8, 1e9]) {
  for (const [name, fn] of [['countPrimes', countPrimes], ['sieve', sieve]] as const) {
    const one = await best(() => fn(n, { pool: pools.get(1)! }));
    const all = await best(() => fn(n, { pool: pools.get(threads)! }));
    console.log(`| ${name}(${n.toExponential().replace('e+', 'e')}) | ${one.toFixed(3)} | ${all.toFixed(3)} | ${(one / all).toFixed(2)}× |`);
  }
}
for (const p of pools.values()) await p.terminate();
