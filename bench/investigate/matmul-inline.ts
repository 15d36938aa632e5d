/**
 * Where matmul's inline threshold (MATMUL_INLINE_WORK in src/ops/matmul.ts) comes from: square
 * float64 products of side n, blocking form, each run inline on this thread and split over the
 * default pool (2 workers on the project's machine), timed in turns (the two ways alternate every
 * call, median of ROUNDS x CALLS calls), wall time and this process's CPU time (all threads).
 * The pool wins once its round trip (a task per worker, both waking) costs less than the half of
 * the product it takes off this thread.
 *
 * Run: npm run build && npx tsx bench/investigate/matmul-inline.ts
 *
 * 2026-12-06, the 2-core machine under a load average of about 22 (other jobs running):
 *
 * | n | multiply-adds | inline wall | pool wall | inline CPU | pool CPU (all threads) |
 * |---:|---:|---:|---:|---:|---:|
 * | 32 | 32768 | 33 µs | 550 µs | 38 µs | 558 µs |
 * | 64 | 262144 | 137 µs | 681 µs | 144 µs | 695 µs |
 * | 96 | 884736 | 268 µs | 795 µs | 275 µs | 790 µs |
 * | 128 | 2097152 | 398 µs | 695 µs | 404 µs | 703 µs |
 * | 160 | 4096000 | 719 µs | 1016 µs | 725 µs | 1022 µs |
 * | 192 | 7077888 | 1250 µs | 1987 µs | 1260 µs | 1753 µs |
 *
 * Under that load a pool round trip costs 300-700 µs and the pool did not win below 192³; on an
 * idle machine the round trip is about 100 µs (src/ops/plan.ts), which a 128³ product (about
 * 400 µs inline) repays. The threshold, 2^21 multiply-adds (128³), sits there: rerun this on an
 * idle machine to move it.
 */
import { performance } from 'node:perf_hooks';
import { zeros } from '../../src/index.js';
import { defaultPool } from '../../src/pool/default-pool.js';
import { planMatmul } from '../../src/ops/matmul.js';
import { matmulRows } from '../../src/ops/matmul-rows.js';
import { runSync } from '../../src/ops/plan.js';

const ROUNDS = 5;
const CALLS = 40;

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1]!;
}

defaultPool();
console.log('| n | multiply-adds | inline wall | pool wall | inline CPU | pool CPU (all threads) |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const n of [32, 64, 96, 128, 160, 192, 256]) {
  const a = zeros([n, n]).fill(0.5), b = zeros([n, n]).fill(0.25), out = zeros([n, n]);
  const plan = planMatmul('matmul', a, b, { out });
  const inline = () => matmulRows(plan.job, 0, plan.rows);
  // the same job, forced onto the pool whatever its size
  const pooled = () => runSync({ fn: 'matmul', job: plan.job, rows: plan.rows, size: Number.MAX_SAFE_INTEGER, shareable: true }, undefined);
  for (let i = 0; i < 20; i++) { inline(); pooled(); }
  const wall: Record<'inline' | 'pool', number[]> = { inline: [], pool: [] };
  const cpu: Record<'inline' | 'pool', number[]> = { inline: [], pool: [] };
  for (let r = 0; r < ROUNDS * CALLS; r++) {
    for (const [name, f] of (r % 2 ? [['inline', inline], ['pool', pooled]] : [['pool', pooled], ['inline', inline]]) as Array<['inline' | 'pool', () => void]>) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      f();
      wall[name].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / 1000);
    }
  }
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(`| ${n} | ${n ** 3} | ${us(median(wall.inline))} | ${us(median(wall.pool))} | ${us(median(cpu.inline))} | ${us(median(cpu.pool))} |`);
}
process.exit(0);
