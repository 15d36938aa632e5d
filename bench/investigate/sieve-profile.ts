/**
 * One thread of countPrimes without the pool: WheelCounter over every segment on the WebAssembly
 * kernel in this thread, its CPU time alternating with `primesieve -t1`'s (its process's task
 * clock from `perf stat`, so its start-up, about 9 ms, is included), min and median of the runs.
 * With --phases the kernel's calls are wrapped to split the time into the pre-sieve, the small
 * primes (crossing L1 chunks), the large primes (crossing whole segments) and the count; the
 * wrapping costs a little.
 *
 * Run: npx tsx bench/investigate/sieve-profile.ts [n] [--runs N] [--phases] [--no-peer]
 *        [--segment BYTES] [--chunk BYTES] [--small LIMIT]
 */
import { spawnSync } from 'node:child_process';
import { basePrimes } from '../../src/sieve/kernel.js';
import { CHUNK_BYTES, firstSievingIndex, SEGMENT_BYTES, SMALL_PRIME_LIMIT, wheelExcluded, wheelLayout, wheelSegments, WheelCounter, type WheelKernel } from '../../src/sieve/wheel-count.js';
import { sharedWasmMemory, wasmWheelKernel } from '../../src/sieve/wheel-wasm.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const n = argv[0] !== undefined && !argv[0].startsWith('--') ? Number(argv[0]) : 1e9;
const runs = arg('--runs', 5);
const phases = argv.includes('--phases');
const peer = !argv.includes('--no-peer');
const segmentBytes = arg('--segment', SEGMENT_BYTES);
const tuning = { chunkBytes: arg('--chunk', CHUNK_BYTES), smallPrimeLimit: arg('--small', SMALL_PRIME_LIMIT) };

const all = basePrimes(Math.floor(Math.sqrt(n)));
const sieving = all.subarray(firstSievingIndex(all));
const raw = wasmWheelKernel(sharedWasmMemory(wheelLayout(segmentBytes, sieving.length).bytes));
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const spent = { presieve: 0, small: 0, large: 0, count: 0 };
const kernel: WheelKernel = !phases ? raw : {
  ...raw,
  cross: (at, length, primes, states, from, to, spare) => {
    const start = cpu();
    raw.cross(at, length, primes, states, from, to, spare);
    // (a window no longer than a chunk is a chunk, but for the last segment's large primes)
    spent[length <= tuning.chunkBytes ? 'small' : 'large'] += cpu() - start;
  },
  presieve: (at, length, sources) => {
    const start = cpu();
    raw.presieve(at, length, sources);
    spent.presieve += cpu() - start;
  },
  count: (at, length) => {
    const start = cpu();
    const count = raw.count(at, length);
    spent.count += cpu() - start;
    return count;
  },
};

/** primesieve's task clock in seconds, and its count. */
function primesieve(): { cpu: number; count: number } {
  const result = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '/usr/bin/primesieve', String(n), '-t1', '--count', '--no-status'], { encoding: 'utf8' });
  const clock = /^([\d.]+),msec,task-clock/m.exec(result.stderr);
  const count = /Primes:\s*(\d+)/.exec(result.stdout);
  if (!clock || !count) throw new Error(`cannot parse primesieve's output:\n${result.stdout}${result.stderr}`);
  return { cpu: Number(clock[1]) / 1000, count: Number(count[1]) };
}

const ours: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < runs; r++) {
  const start = cpu();
  const counter = new WheelCounter(kernel, 0, segmentBytes, n, sieving, tuning);
  counter.start(0);
  let count = wheelExcluded(n);
  for (let s = 0, segments = wheelSegments(n, segmentBytes); s < segments; s++) count += counter.next();
  ours.push(cpu() - start);
  if (peer) {
    const ps = primesieve();
    if (ps.count !== count) throw new Error(`pi(${n}): ours ${count}, primesieve ${ps.count}`);
    theirs.push(ps.cpu);
  }
  if (r === 0) console.log(`pi(${n}) = ${count}`);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const line = (name: string, xs: number[]): string => `${name}: min ${Math.min(...xs).toFixed(3)} s, median ${median(xs).toFixed(3)} s [${xs.map((x) => x.toFixed(3)).join(' ')}]`;
console.log(line('ours, CPU', ours));
if (peer) {
  console.log(line('primesieve -t1, task clock', theirs));
  console.log(`ratio of medians ${(median(ours) / median(theirs)).toFixed(3)}, of mins ${(Math.min(...ours) / Math.min(...theirs)).toFixed(3)}`);
}
if (phases) for (const [phase, seconds] of Object.entries(spent)) console.log(`${phase}: ${(seconds / runs).toFixed(3)} s per run`);
