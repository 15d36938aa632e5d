/**
 * Where one thread's countPrimes time goes, per phase of a segment (pattern copy, group ANDs,
 * small-prime chunks, large primes, count), measured by wrapping the WebAssembly kernel's calls,
 * plus the plain run time of WheelCounter over all segments, against `primesieve -t1`'s user CPU.
 *
 * Run: npx tsx bench/investigate/sieve-profile.ts [n] [--phases]
 */
import { execFileSync } from 'node:child_process';
import { basePrimes } from '../../src/sieve/kernel.js';
import { firstSievingIndex, SEGMENT_BYTES, wheelExcluded, wheelLayout, wheelSegments, WheelCounter, type WheelKernel } from '../../src/sieve/wheel-count.js';
import { sharedWasmMemory, wasmWheelKernel } from '../../src/sieve/wheel-wasm.js';

const n = Number(process.argv[2] ?? 1e9);
const phases = process.argv.includes('--phases');
const arg = (name: string, fallback: number): number => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const runs = arg('--runs', 5);
const peer = !process.argv.includes('--no-peer');
const tuning = { chunkBytes: arg('--chunk', 1 << 15), smallPrimeLimit: arg('--small', 3000) };
const all = basePrimes(Math.floor(Math.sqrt(n)));
const sieving = all.subarray(firstSievingIndex(all));
const segmentBytes = arg('--segment', SEGMENT_BYTES);
const layout = wheelLayout(segmentBytes, sieving.length);
const memory = sharedWasmMemory(layout.bytes);
const raw = wasmWheelKernel(memory);
const t: Record<string, number> = { presieve: 0, small: 0, large: 0, count: 0 };
const now = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const kernel: WheelKernel = phases ? {
  ...raw,
  cross: (at, len, p, s, from, to, sp) => { const a = now(); raw.cross(at, len, p, s, from, to, sp); t[from === 0 ? 'small' : 'large']! += now() - a; },
  presieve: (at, len, src) => { const a = now(); raw.presieve(at, len, src); t.presieve! += now() - a; },
  count: (at, len) => { const a = now(); const c = raw.count(at, len); t.count! += now() - a; return c; },
} : raw;
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const ours: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < runs; r++) {
  const start = cpu();
  const counter = new WheelCounter(kernel, 0, segmentBytes, n, sieving, tuning);
  counter.start(0);
  let count = wheelExcluded(n);
  for (let s = 0, S = wheelSegments(n, segmentBytes); s < S; s++) count += counter.next();
  ours.push(cpu() - start);
  if (r === 0) console.log('count', count);
}
// primesieve's CPU from its own process via /usr/bin/time
for (let r = 0; r < (peer ? runs : 0); r++) {
  const res = execFileSync('sh', ['-c', `/usr/bin/time -f '%U %S' /usr/bin/primesieve ${n} -t1 -q 2>&1 >/dev/null`], { encoding: 'utf8' });
  const [u, s] = res.trim().split(/\s+/).slice(-2).map(Number);
  theirs.push(u! + s!);
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: number[]): number => Math.min(...xs);
console.log(`ours cpu min ${min(ours).toFixed(3)}`);
console.log(`ours cpu median ${med(ours).toFixed(3)} [${ours.map((x) => x.toFixed(3)).join(' ')}]`);
if (peer) {
  console.log(`primesieve -t1 cpu median ${med(theirs).toFixed(3)} [${theirs.map((x) => x.toFixed(3)).join(' ')}]`);
  console.log(`ratio ${(med(ours) / med(theirs)).toFixed(3)}`);
}
if (phases) for (const [k, v] of Object.entries(t)) console.log(k, (v / runs).toFixed(3));
