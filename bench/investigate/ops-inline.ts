/**
 * Where the planner's inline threshold (src/ops/plan.ts INLINE_THRESHOLD) comes from: a float64
 * `add` of n contiguous elements into `out`, blocking form, run inline (one thread) and on a pool
 * of `availableParallelism()` workers, in turns for n = 2^10 .. 2^20. Reports per call the median
 * over 7 rounds of wall time and of the process's CPU time (all threads). The threshold is the n
 * from which the pool's wall time is below the inline one.
 *
 * Run: npm run build --silent && npx tsx bench/investigate/ops-inline.ts [add|exp|sin...] [from] [to] (log2 n)
 */
import { availableParallelism } from 'node:os';
import { arange, empty, Pool } from '../../src/index.js';
import type { SharedNDArray } from '../../src/index.js';
import { runSync, type Job } from '../../src/ops/plan.js';
import type { ElementwiseJob } from '../../src/ops/ops.worker.js';

const ROUNDS = 7;
/** `add` (memory-bound) or a unary function such as `exp` or `sin` (compute-bound), from argv. */
const OP = (process.argv[2] ?? 'add') as ElementwiseJob['op'];
const FROM = Number(process.argv[3] ?? 10), TO = Number(process.argv[4] ?? 20);
const pool = new Pool('shared-ndarray:built-in', { size: availableParallelism() });
await pool.ready();

const geometry = (a: SharedNDArray) => ({ dtype: a.dtype, buffer: a.buffer, offset: a.offset, strides: [1] });

function timeIt(f: () => void, calls: number): [wall: number, cpu: number] {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) f();
  const wall = ((performance.now() - t0) * 1000) / calls;
  const c = process.cpuUsage(cpu0);
  return [wall, (c.user + c.system) / calls];
}

const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);

console.log(`${OP}, pool of ${pool.size}; per call, µs\nn\tinline wall\tinline cpu\tpool wall\tpool cpu`);
for (let log = FROM; log <= TO; log++) {
  const n = 2 ** log;
  const a = arange(n), b = arange(n), out = empty([n]);
  const operands = OP === 'add' ? [geometry(a), geometry(b)] : [geometry(a)];
  const ew: ElementwiseJob = { op: OP, p: 0, shape: [n], compute: 'float64', out: geometry(out), operands };
  const job: Job = { fn: 'elementwise', job: ew, rows: n, size: n, shareable: true };
  const calls = Math.max(5, Math.round(2 ** 22 / n));
  const inline: number[][] = [], pooled: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    inline.push(timeIt(() => runSync(job, pool, Infinity), calls));
    pooled.push(timeIt(() => runSync(job, pool, 0), calls));
  }
  console.log(`2^${log}\t${median(inline.map((x) => x[0]!))}\t${median(inline.map((x) => x[1]!))}\t${median(pooled.map((x) => x[0]!))}\t${median(pooled.map((x) => x[1]!))}`);
}
await pool.terminate();
