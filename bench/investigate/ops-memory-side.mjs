/**
 * The ops suite's memory-bound cases side by side, alternating in every round so that a loaded
 * machine slows each side alike: numpy (one persistent Debian /usr/bin/python3, OPENBLAS_CORETYPE
 * and OPENBLAS_L2_SIZE unset), this package's dist/ (Async forms on its default pool, as the suite
 * runs them) and, given a second build's dist/ directory, that build too (say main's, to show a
 * change before and after). The data and shapes are the suite's: a streaming copy, sum/mean along
 * each axis and argmax of rows of a [16384, 8192] float64 matrix (1 GiB), and a * b + c into out
 * over [8192, 4096] (256 MiB, multiply then add). Prints median wall and CPU ms per call (CPU:
 * every thread of the process, so both workers; numpy: its process time) and the smallest wall
 * time of each side, the run least disturbed by other processes. The builds' results are
 * checked equal first.
 *
 * Run: npm run build && node bench/investigate/ops-memory-side.mjs [rounds] [cases] [before-dist]
 *   cases: comma-separated from copy,sum0,sum1,mean0,argmax1,fma (default all)
 *   before-dist: a directory holding another build's dist/ (its path must contain /dist/), e.g.
 *   `git worktree add /tmp/before main && (cd /tmp/before && npm ci)`, then /tmp/before/dist
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const pkg = await import(new URL('../../dist/index.js', import.meta.url).href);
const beforeDir = process.argv[4];
const before = beforeDir ? await import(`${beforeDir.replace(/\/$/, '')}/index.js`) : undefined;
const ROUNDS = Number(process.argv[2] ?? 5);
const CASES = (process.argv[3] ?? 'copy,sum0,sum1,mean0,argmax1,fma').split(',');
const big = [16384, 8192], mid = [8192, 4096];
const PY = `
import sys, time, json, numpy as np
def pattern(shape, frm=0):
    out = np.empty(shape); flat = out.reshape(-1); C = 1 << 22
    for s in range(0, flat.size, C):
        i = np.arange(s + frm, min(s + C, flat.size) + frm, dtype=np.int64)
        flat[s:s + i.size] = ((i * 7919) % 1000) / 997.0 - 0.5
    return out
big, mid = (16384, 8192), (8192, 4096)
A = pattern(big); O = np.empty(big); O.fill(0)
a, b, c, o = pattern(mid), pattern(mid, 1), pattern(mid, 2), np.empty(mid); o.fill(0)
def fma():
    np.multiply(a, b, out=o); np.add(o, c, out=o)
ops = {'copy': lambda: np.copyto(O, A), 'sum0': lambda: A.sum(axis=0), 'sum1': lambda: A.sum(axis=1), 'mean0': lambda: A.mean(axis=0), 'argmax1': lambda: A.argmax(axis=1), 'fma': fma}
print('ready', flush=True)
for line in sys.stdin:
    f = ops[line.strip()]
    t0 = time.perf_counter(); c0 = time.process_time(); f()
    print(json.dumps([(time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3]), flush=True)
`;
const py = spawn('/usr/bin/env', ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', '/usr/bin/python3', '-c', PY], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
await lines.next();
const numpy = async (k) => { py.stdin.write(`${k}\n`); return JSON.parse((await lines.next()).value); };
function pattern(shape, from = 0) {
  const x = pkg.zeros(shape); const d = x.data;
  for (let i = 0; i < d.length; i++) d[i] = (((i + from) * 7919) % 1000) / 997 - 0.5;
  return x;
}
const wrap = (lib, x) => (lib === pkg ? x : new lib.SharedNDArray(x.shape, { dtype: x.dtype, buffer: x.buffer }));
const A = pattern(big), O = pkg.zeros(big);
const a = pattern(mid), b = pattern(mid, 1), c = pattern(mid, 2), o = pkg.zeros(mid);
const calls = (lib) => {
  const [Aw, aw, bw, cw, ow] = [A, a, b, c, o].map((x) => wrap(lib, x));
  return {
    copy: async () => O.data.set(A.data),
    sum0: () => lib.sumAsync(Aw, { axis: 0 }), sum1: () => lib.sumAsync(Aw, { axis: 1 }),
    mean0: () => lib.meanAsync(Aw, { axis: 0 }), argmax1: () => lib.argmaxAsync(Aw, { axis: 1 }),
    fma: async () => { await lib.multiplyAsync(aw, bw, { out: ow }); await lib.addAsync(ow, cw, { out: ow }); },
  };
};
const ours = { this: calls(pkg), ...(before ? { before: calls(before) } : {}) };
const sides = ['numpy', 'this', ...(before ? ['before'] : [])];
const time = async (f) => {
  const c0 = process.cpuUsage(), t0 = performance.now();
  await f();
  const wall = performance.now() - t0, cpu = process.cpuUsage(c0);
  return [wall, (cpu.user + cpu.system) / 1000];
};
const median = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const f1 = (x) => x.toFixed(1);
if (before) {
  for (const k of ['sum0', 'mean0', 'argmax1'].filter((c) => CASES.includes(c))) {
    const [x, y] = [(await ours.before[k]()).toArray(), (await ours.this[k]()).toArray()];
    console.log(`${k}: both builds give the same values: ${x.every((v, i) => Object.is(v, y[i]))}`);
  }
}
console.log(`${ROUNDS} rounds; per side: median wall / median cpu (min wall), ms; then wall ratios to numpy (medians, mins)`);
console.log(['case', ...sides, ...sides.slice(1).flatMap((s) => [`${s}/numpy`, `${s}/numpy min`]), ...(before ? ['this/before cpu'] : [])].join('\t'));
for (const k of CASES) {
  const t = Object.fromEntries(sides.map((s) => [s, { wall: [], cpu: [] }]));
  const once = (s) => (s === 'numpy' ? numpy(k) : time(ours[s][k]));
  for (const s of sides) await once(s);
  for (let r = 0; r < ROUNDS; r++) {
    // each side first, second and last in turn
    for (let j = 0; j < sides.length; j++) {
      const s = sides[(r + j) % sides.length];
      const [wall, cpu] = await once(s);
      t[s].wall.push(wall);
      t[s].cpu.push(cpu);
    }
  }
  const m = (s) => median(t[s].wall), lo = (s) => Math.min(...t[s].wall);
  console.log([
    k, ...sides.map((s) => `${f1(m(s))} / ${f1(median(t[s].cpu))} (${f1(lo(s))})`),
    ...sides.slice(1).flatMap((s) => [(m(s) / m('numpy')).toFixed(2), (lo(s) / lo('numpy')).toFixed(2)]),
    ...(before ? [(median(t.this.cpu) / median(t.before.cpu)).toFixed(2)] : []),
  ].join('\t'));
}
py.stdin.end();
process.exit(0);
