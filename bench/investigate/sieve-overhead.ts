/**
 * Where countPrimes(n) on a started pool spends the time that its kernel does not: the same
 * WheelCounter loop run in this thread (no pool, memory reused) against countPrimes on pools of
 * 1 and 2 workers, interleaved, wall clock and CPU time (every thread), min and median.
 *
 * Run: npm run build --silent && npx tsx bench/investigate/sieve-overhead.ts [n] [--runs N]
 */
import { basePrimes } from '../../src/sieve/kernel.js';
import { firstSievingIndex, SEGMENT_BYTES, wheelExcluded, wheelLayout, wheelSegments, WheelCounter } from '../../src/sieve/wheel-count.js';
import { sharedWasmMemory, wasmWheelKernel } from '../../src/sieve/wheel-wasm.js';
import { countPrimes, Pool, sieveWorkerModule, type SieveWorker } from '../../src/index.js';

const argv = process.argv.slice(2);
const n = argv[0] !== undefined && !argv[0].startsWith('--') ? Number(argv[0]) : 1e9;
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 11;
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function inThread(kernel: ReturnType<typeof wasmWheelKernel>): number {
  const all = basePrimes(Math.floor(Math.sqrt(n)));
  const sieving = all.subarray(firstSievingIndex(all));
  const counter = new WheelCounter(kernel, 0, SEGMENT_BYTES, n, sieving);
  counter.start(0);
  let count = wheelExcluded(n);
  for (let s = 0, segments = wheelSegments(n, SEGMENT_BYTES); s < segments; s++) count += counter.next();
  return count;
}

const all = basePrimes(Math.floor(Math.sqrt(n)));
const kernel = wasmWheelKernel(sharedWasmMemory(wheelLayout(SEGMENT_BYTES, all.length).bytes));
const pools = new Map<number, Pool<SieveWorker>>();
for (const size of [1, 2]) {
  const pool = new Pool<SieveWorker>(sieveWorkerModule(), { size });
  await pool.ready();
  for (let i = 0; i < 3; i++) await countPrimes(1e8, { pool });
  pools.set(size, pool);
}
for (let i = 0; i < 3; i++) inThread(kernel);
const cases: Record<string, () => Promise<number> | number> = {
  'in this thread': () => inThread(kernel),
  'pool of 1': () => countPrimes(n, { pool: pools.get(1)! }),
  'pool of 2': () => countPrimes(n, { pool: pools.get(2)! }),
};
const wall: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
const used: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let r = 0; r < runs; r++) {
  for (const [name, fn] of Object.entries(cases)) {
    const c = cpu();
    const start = performance.now();
    await fn();
    wall[name]!.push((performance.now() - start) / 1000);
    used[name]!.push(cpu() - c);
  }
}
for (const pool of pools.values()) await pool.terminate();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (xs: number[]): string => `min ${(Math.min(...xs) * 1000).toFixed(1)} ms, median ${(median(xs) * 1000).toFixed(1)} ms`;
for (const name of Object.keys(cases)) console.log(`${name.padEnd(16)} wall ${f(wall[name]!)}; CPU ${f(used[name]!)}`);
