/**
 * How long a TypeScript worker module takes to start, against the same module in JavaScript:
 * a pool of 2 from `new Pool` to `ready()` and a `Process` from `start()` to `join()`, wall and
 * CPU time (process.cpuUsage: every thread of the process), each variant in its own process,
 * interleaved, median of the rounds:
 * - .ts under tsx: the module compiled once on the main thread (worker-module/compile-ts.ts);
 * - .ts under tsx, SHARED_NDARRAY_TS_CACHE=0: each worker registers tsx to load it (before);
 * - .mjs under node: the compiled-JavaScript baseline.
 *
 * Run: npm run build && node bench/investigate/ts-worker-startup.mjs [rounds]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 7);
const main = fileURLToPath(new URL('./ts-startup/main.mjs', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const variants = [
  { name: '.ts under tsx, compiled once (now)', args: [tsx, main, 'ts'], env: {} },
  { name: '.ts under tsx, tsx in each worker (before)', args: [tsx, main, 'ts'], env: { SHARED_NDARRAY_TS_CACHE: '0' } },
  { name: '.mjs under node', args: [main, 'mjs'], env: {} },
];
// once each, untimed: the compile cache and the OS's file cache are warm for every variant
for (const v of variants) execFileSync(process.execPath, v.args, { env: { ...process.env, ...v.env } });
const runs = variants.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (const [i, v] of variants.entries()) {
    runs[i].push(JSON.parse(execFileSync(process.execPath, v.args, { env: { ...process.env, ...v.env }, encoding: 'utf8' })));
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log(`| variant (median of ${rounds}) | pool of 2 ready: wall | CPU | Process start→join: wall | CPU |`);
console.log('| --- | --- | --- | --- | --- |');
for (const [i, v] of variants.entries()) {
  const m = (k) => `${(median(runs[i].map((x) => x[k])) / 1000).toFixed(2)} s`;
  console.log(`| ${v.name} | ${m('poolWall')} | ${m('poolCpu')} | ${m('processWall')} | ${m('processCpu')} |`);
}
