/**
 * Where huge pages start to pay: first touch of fresh memory from a plain `new SharedArrayBuffer`
 * against the addon's huge-page allocation (`allocateHugePages`), at sizes around
 * ndarray/memory.ts's HUGE_PAGE_THRESHOLD. Each run allocates anew, writes every element once
 * (Float64Array.fill) and drops the buffer, the previous run's memory collected first; the runs of
 * the two allocators alternate. Min and median wall time per run, and the ratio of medians.
 *
 * Run: npx tsx bench/investigate/huge-page-threshold.ts [--runs N] [--sizes 1,2,4,...] (MiB)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allocateHugePages } from '../../src/native/addon.js';

const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 15;
const sizes = argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1]!.split(',').map(Number) : [0.25, 1, 2, 4, 8, 16, 32, 64, 128];
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
if (allocateHugePages(1 << 21) === undefined) throw new Error('the native addon does not load: build it first (npm ci)');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const allocators: Record<string, (bytes: number) => SharedArrayBuffer> = {
  'new SharedArrayBuffer': (bytes) => new SharedArrayBuffer(bytes),
  'huge pages (addon)': (bytes) => allocateHugePages(bytes)!,
};
console.log(`first touch of fresh memory, ${runs} runs each: min / median ms\n`);
console.log('| MiB | new SharedArrayBuffer | huge pages (addon) | plain / huge, medians |');
console.log('|---:|---:|---:|---:|');
for (const mib of sizes) {
  const bytes = Math.round(mib * 2 ** 20);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(allocators).map((name) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, allocate] of Object.entries(allocators)) {
      gc();
      const start = performance.now();
      new Float64Array(allocate(bytes)).fill(1.5);
      times[name]!.push(performance.now() - start);
    }
  }
  const [plain, huge] = Object.values(times) as [number[], number[]];
  const f = (xs: number[]): string => `${Math.min(...xs).toFixed(2)} / ${median(xs).toFixed(2)}`;
  console.log(`| ${mib} | ${f(plain)} | ${f(huge)} | ${(median(plain) / median(huge)).toFixed(2)} |`);
}
