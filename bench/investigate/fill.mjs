// Filling a large float64 array: V8's TypedArray.prototype.fill against the addon's fill (vector
// stores), on fresh huge-page memory (the addon's allocate, as zeros() gets it: the fill pays the
// page faults) and on memory already faulted in, and numpy's zeros + fill and fill alone in the
// same run. Then both by size, from 64 bytes (where the addon's call starts to pay,
// src/ndarray/fill.ts's NATIVE_FILL_MIN) to 256 MiB. The first version of this script in git also
// measured the addon's streaming (non-temporal) stores, since dropped: see src/native/fill.cc.
// Methods alternate run by run so that load on the machine hits them alike; medians of wall and
// CPU time (user + system) per fill.
//   npm run build:native && node --expose-gc bench/investigate/fill.mjs [MiB=1024] [runs=7]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const native = createRequire(import.meta.url)('../../build/Release/shared_ndarray_native.node');
const mib = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 7);
const gc = globalThis.gc ?? (() => { throw new Error('run with --expose-gc'); })();
const pattern = new Uint8Array(new Float64Array([1.5]).buffer);

const methods = {
  'TypedArray.fill': (a) => a.fill(1.5),
  'native fill': (a) => native.fill(a.buffer, a.byteOffset, a.byteLength, pattern),
};

function time(fn) {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = process.cpuUsage(c);
  return { wall, cpu: (cpu.user + cpu.system) / 1e3 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function table(title, results, base) {
  console.log(`\n${title}`);
  console.log('method'.padEnd(34), 'wall ms'.padStart(9), 'cpu ms'.padStart(9), 'wall/base'.padStart(10), 'GB/s'.padStart(7));
  for (const [name, r] of Object.entries(results)) {
    const wall = median(r.map((x) => x.wall)), cpu = median(r.map((x) => x.cpu));
    const b = median(results[base].map((x) => x.wall));
    console.log(name.padEnd(34), wall.toFixed(1).padStart(9), cpu.toFixed(1).padStart(9), (wall / b).toFixed(2).padStart(10), (r.bytes / wall / 1e6).toFixed(1).padStart(7));
  }
}

function numpy(bytes, n) {
  const script = `
import json, time, resource, numpy as np
n = ${bytes} // 8
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
fresh, faulted = [], []
for _ in range(${n}):
    c, t = cpu(), time.perf_counter(); a = np.zeros(n); a.fill(1.5)
    fresh.append({'wall': (time.perf_counter() - t) * 1e3, 'cpu': (cpu() - c) * 1e3})
    c, t = cpu(), time.perf_counter(); a.fill(2.5)
    faulted.append({'wall': (time.perf_counter() - t) * 1e3, 'cpu': (cpu() - c) * 1e3})
    del a
print(json.dumps([fresh, faulted]))`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout);
}

const bytes = mib * 2 ** 20;
const fresh = Object.fromEntries(Object.keys(methods).map((k) => [k, Object.assign([], { bytes })]));
const faulted = Object.fromEntries(Object.keys(methods).map((k) => [k, Object.assign([], { bytes })]));
for (let i = 0; i < runs; i++) {
  for (const [name, fill] of Object.entries(methods)) {
    gc();
    const a = new Float64Array(native.allocate(bytes));
    fresh[name].push(time(() => fill(a)));
    faulted[name].push(time(() => fill(a)));
  }
}
gc(); // numpy's gigabytes must not meet ours
const np = numpy(bytes, runs);
if (np) {
  fresh['numpy zeros + fill'] = Object.assign(np[0], { bytes });
  faulted['numpy fill'] = Object.assign(np[1], { bytes });
}
table(`${mib} MiB float64, fresh huge-page memory (allocate + fill; the fill pays the faults)`, fresh, 'TypedArray.fill');
table(`${mib} MiB float64, memory already faulted in (fill again)`, faulted, 'TypedArray.fill');

// by size, faulted memory, many fills a run: from what size does the addon's call pay?
gc();
for (const size of [64, 256, 512, 1024, 4096, 64 << 10, 1 << 20, 16 << 20, 256 << 20]) {
  const a = new Float64Array(size >= 16 << 20 ? native.allocate(size) : new SharedArrayBuffer(size));
  a.fill(0);
  const reps = Math.max(3, Math.round((64 << 20) / Math.max(size, 4096)));
  const r = Object.fromEntries(Object.keys(methods).map((k) => [k, Object.assign([], { bytes: size * reps })]));
  for (let i = 0; i < 5; i++) {
    for (const [name, fill] of Object.entries(methods)) r[name].push(time(() => { for (let j = 0; j < reps; j++) fill(a); }));
  }
  table(`${size} bytes faulted, ${reps} fills a run`, r, 'TypedArray.fill');
}
