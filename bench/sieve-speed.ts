/**
 * countPrimes against primesieve (the C++ program, /usr/bin/primesieve), side by side in one
 * run: for each n and thread count, our call's duration in this warmed-up process (its pool's
 * workers started before the clock) alternates with a primesieve process whose own `--time`
 * figure ("Seconds:") is taken, best and median of several runs each; every count is checked
 * against the known pi(n). CPU time is taken too (ours: this process's, its workers included;
 * primesieve's: its process's task clock, from `perf stat`), which a loaded machine
 * disturbs far less than the wall clock. Then whole processes at 1e9: `node` running countPrimes
 * (start-up, spawning the workers and all) against `primesieve` as a process.
 *
 * Run: npm run build --silent && npx tsx bench/sieve-speed.ts [--quick] [--js] [--runs N] [--n 1e9,1e10] [--no-process]
 *   --quick       n up to 1e9 only, fewer runs
 *   --js          also time the TypeScript kernel (kernel: 'js')
 *   --n           the n to time (default 1e8,1e9,1e10)
 *   --no-process  skip the whole-process comparison
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { countPrimes, Pool, sieveWorkerModule, type SieveWorker } from '../src/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withJs = args.includes('--js');
const runsArg = args.indexOf('--runs');
const RUNS = runsArg !== -1 ? Number(args[runsArg + 1]) : quick ? 3 : 5;
const PRIMESIEVE = '/usr/bin/primesieve';
const KNOWN: Record<string, number> = { 1e8: 5761455, 1e9: 50847534, 1e10: 455052511, 1e11: 4118054813 };
const nArg = args.indexOf('--n');
const NS = nArg !== -1 ? args[nArg + 1]!.split(',').map(Number) : quick ? [1e8, 1e9] : [1e8, 1e9, 1e10];
const THREADS = [1, 2];

const show = (n: number): string => n.toExponential().replace('e+', 'e');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const summary = (xs: number[]): { best: number; median: number } => ({ best: Math.min(...xs), median: median(xs) });

/** primesieve's own time for n on T threads, its process's CPU time, and its count. */
function primesieve(n: number, threads: number): { seconds: number; cpu: number; count: number } {
  const result = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', PRIMESIEVE, String(n), '--count', '--time', `--threads=${threads}`, '--no-status'], { encoding: 'utf8' });
  const out = result.stdout;
  const seconds = /Seconds:\s*([\d.]+)/.exec(out);
  const count = /Primes:\s*(\d+)/.exec(out);
  const cpu = /^([\d.]+),msec,task-clock/m.exec(result.stderr);
  if (!seconds || !count || !cpu) throw new Error(`cannot parse primesieve's output (perf stat must be installed):\n${out}${result.stderr}`);
  return { seconds: Number(seconds[1]), cpu: Number(cpu[1]) / 1000, count: Number(count[1]) };
}

/** CPU seconds of this process so far, every thread (the pool's workers too). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function check(what: string, n: number, count: number): void {
  const want = KNOWN[n];
  if (want !== undefined && count !== want) throw new Error(`${what}: pi(${show(n)}) = ${count}, expected ${want}`);
}

const kernels = withJs ? (['wasm', 'js'] as const) : (['wasm'] as const);

// Pools started (and their workers warmed up) before any clock.
const pools = new Map<number, Pool<SieveWorker>>();
for (const size of THREADS) {
  const pool = new Pool<SieveWorker>(sieveWorkerModule(), { size });
  await pool.ready();
  for (const kernel of kernels) for (let i = 0; i < 3; i++) await countPrimes(1e8, { pool, kernel });
  pools.set(size, pool);
}

interface Row {
  n: number;
  threads: number;
  ours: Record<string, { best: number; median: number }>;
  theirs: { best: number; median: number };
  oursCpu: Record<string, { best: number; median: number }>;
  theirsCpu: { best: number; median: number };
}
const rows: Row[] = [];
for (const n of NS) {
  // 1 and 2 threads, ours and primesieve, all interleaved: the machine is shared, and the
  // speedup should compare runs made under the same load
  const ours = new Map(THREADS.map((t) => [t, { wasm: [] as number[], js: [] as number[] }]));
  const theirs = new Map(THREADS.map((t) => [t, [] as number[]]));
  const oursCpu = new Map(THREADS.map((t) => [t, { wasm: [] as number[], js: [] as number[] }]));
  const theirsCpu = new Map(THREADS.map((t) => [t, [] as number[]]));
  const runs = n >= 1e10 ? Math.max(2, Math.ceil(RUNS / 2) + 1) : RUNS;
  for (let r = 0; r < runs; r++) {
    for (const threads of THREADS) {
      const pool = pools.get(threads)!;
      for (const kernel of kernels) {
        const cpu = cpuSeconds();
        const start = performance.now();
        const count = await countPrimes(n, { pool, kernel });
        ours.get(threads)![kernel].push((performance.now() - start) / 1000);
        oursCpu.get(threads)![kernel].push(cpuSeconds() - cpu);
        check(`countPrimes (${kernel})`, n, count);
      }
      const ps = primesieve(n, threads);
      check('primesieve', n, ps.count);
      theirs.get(threads)!.push(ps.seconds);
      theirsCpu.get(threads)!.push(ps.cpu);
    }
  }
  for (const threads of THREADS) {
    const row: Row = { n, threads, ours: {}, theirs: summary(theirs.get(threads)!), oursCpu: {}, theirsCpu: summary(theirsCpu.get(threads)!) };
    for (const kernel of kernels) {
      row.ours[kernel] = summary(ours.get(threads)![kernel]);
      row.oursCpu[kernel] = summary(oursCpu.get(threads)![kernel]);
    }
    rows.push(row);
    process.stderr.write(`${show(n)} T=${threads}: ${kernels.map((k) => `${k} ${row.ours[k]!.best.toFixed(3)}`).join(', ')}, primesieve ${row.theirs.best.toFixed(3)}\n`);
  }
}
for (const pool of pools.values()) await pool.terminate();

const f = (x: number): string => x.toFixed(3);
console.log(`\ncountPrimes(n) in a warmed-up process, pool workers started before timing, vs primesieve's own --time; best (median) of ${RUNS} runs (${Math.max(2, Math.ceil(RUNS / 2) + 1)} at 1e10), every count checked against pi(n)\n`);
for (const kernel of kernels) {
  console.log(`kernel: ${kernel}\n`);
  console.log('| n | T | ours (s) | primesieve (s) | ratio | ours 2 vs 1 thread | primesieve 2 vs 1 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const speedup = (one: { best: number; median: number }, two: { best: number; median: number }): string =>
    `${(one.best / two.best).toFixed(2)}× (${(one.median / two.median).toFixed(2)}×)`;
  for (const row of rows) {
    const ours = row.ours[kernel]!;
    const one = rows.find((r) => r.n === row.n && r.threads === 1)!;
    const [a, b] = row.threads === 1 ? ['', ''] : [speedup(one.ours[kernel]!, ours), speedup(one.theirs, row.theirs)];
    console.log(`| ${show(row.n)} | ${row.threads} | ${f(ours.best)} (${f(ours.median)}) | ${f(row.theirs.best)} (${f(row.theirs.median)}) | ${(ours.best / row.theirs.best).toFixed(2)} (${(ours.median / row.theirs.median).toFixed(2)}) | ${a} | ${b} |`);
  }
  console.log('\nCPU time (user + system, every thread), best (median)\n');
  console.log('| n | T | ours CPU (s) | primesieve CPU (s) | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) {
    const ours = row.oursCpu[kernel]!;
    console.log(`| ${show(row.n)} | ${row.threads} | ${f(ours.best)} (${f(ours.median)}) | ${f(row.theirsCpu.best)} (${f(row.theirsCpu.median)}) | ${(ours.best / row.theirsCpu.best).toFixed(2)} (${(ours.median / row.theirsCpu.median).toFixed(2)}) |`);
  }
  console.log('');
}
if (args.includes('--no-process')) process.exit(0);

// Whole processes at 1e9: start-up and worker spawning included.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
function wallClock(command: string, argv: string[], n: number): number {
  const start = performance.now();
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const count = Number(/(\d+)\s*$/.exec(result.stdout.trim())?.[1]);
  check(command, n, count);
  return seconds;
}
console.log(`whole processes for n = 1e9, wall clock from spawn to exit, best (median) of ${RUNS}\n`);
console.log('| T | node + countPrimes (s) | primesieve (s) | node -e "" alone (s) |');
console.log('|---:|---:|---:|---:|');
for (const threads of THREADS) {
  const node: number[] = [];
  const ps: number[] = [];
  const empty: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // (a dynamic import: flags such as --input-type would pass on to the workers)
    node.push(wallClock(process.execPath, ['-e',
      `import(${JSON.stringify(entry)}).then(async (m) => console.log(await m.countPrimes(1e9, { threads: ${threads} })));`], 1e9));
    ps.push(wallClock(PRIMESIEVE, ['1e9', '--count', '--quiet', `--threads=${threads}`], 1e9));
    const start = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    empty.push((performance.now() - start) / 1000);
  }
  const [a, b, c] = [summary(node), summary(ps), summary(empty)];
  console.log(`| ${threads} | ${f(a.best)} (${f(a.median)}) | ${f(b.best)} (${f(b.median)}) | ${f(c.best)} (${f(c.median)}) |`);
}
