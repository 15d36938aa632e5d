/**
 * The ops bench's cases that the addon's vector kernels serve, on the default pool: exp and sin
 * of 256 MiB of float64 into `out` next to a copy of the same bytes, and sum and mean of a 1 GiB
 * matrix along axis 0; against numpy (one thread, /usr/bin/python3), in one process per path: the
 * addon's kernels (the native vector math, the native sumRows), and with SHARED_NDARRAY_NATIVE_MATH=0 the
 * JavaScript and WebAssembly kernels. Medians of many rounds, wall and process CPU per round, and
 * each case's ratio to numpy's, so that a loaded machine moves both sides alike.
 *
 * Run: npm run build --silent && node bench/investigate/ops-native-math.mjs [rounds] [--no-sum]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 15);
const shape = [8192, 4096];
const big = [16384, 8192];
const sums = !process.argv.includes('--no-sum');

if (process.argv[3] === '--child') {
  const sn = await import('../../dist/index.js');
  const a = sn.zeros(shape), out = sn.zeros(shape);
  const d = a.data;
  for (let i = 0; i < d.length; i++) d[i] = ((i * 7919) % 1000) / 997 - 0.5;
  const cases = {
    copy: () => out.data.set(a.data),
    exp: () => sn.expAsync(a, { out }),
    sin: () => sn.sinAsync(a, { out }),
  };
  let m;
  if (process.argv.includes('--sum')) {
    m = sn.zeros(big);
    const e = m.data;
    for (let i = 0; i < e.length; i++) e[i] = ((i * 7919) % 1000) / 997 - 0.5;
    cases.sum0 = () => sn.sumAsync(m, { axis: 0 });
    cases.mean0 = () => sn.meanAsync(m, { axis: 0 });
  }
  const result = {};
  for (const [name, run] of Object.entries(cases)) {
    await run();
    const wall = [], cpu = [];
    for (let r = 0; r < rounds; r++) {
      const c = process.cpuUsage(), t = performance.now();
      await run();
      wall.push(performance.now() - t);
      const u = process.cpuUsage(c);
      cpu.push((u.user + u.system) / 1000);
    }
    const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
    result[name] = { wall: median(wall), cpu: median(cpu) };
  }
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const run = (env) => JSON.parse(execFileSync(process.execPath, [self, String(rounds), '--child', ...(sums ? ['--sum'] : [])], { env: { ...process.env, ...env }, encoding: 'utf8' }));
const numpy = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, time, numpy as np
n = ${shape[0] * shape[1]}
a = ((np.arange(n) * 7919) % 1000) / 997.0 - 0.5
o = np.empty_like(a)
res = {}
cases = [('copy', lambda: np.copyto(o, a)), ('exp', lambda: np.exp(a, out=o)), ('sin', lambda: np.sin(a, out=o))]
if ${sums ? 'True' : 'False'}:
    nb = ${big[0] * big[1]}
    m = (((np.arange(nb) * 7919) % 1000) / 997.0 - 0.5).reshape(${big[0]}, ${big[1]})
    cases += [('sum0', lambda: np.sum(m, axis=0)), ('mean0', lambda: np.mean(m, axis=0))]
for name, f in cases:
    f(); w = []; c = []
    for _ in range(${rounds}):
        t, p = time.perf_counter(), time.process_time(); f(); w.append((time.perf_counter() - t) * 1e3); c.append((time.process_time() - p) * 1e3)
    w.sort(); c.sort(); res[name] = {'wall': w[len(w) // 2], 'cpu': c[len(c) // 2]}
print(json.dumps(res))
`], { encoding: 'utf8' }));
const paths = { native: run({}), wasm: run({ SHARED_NDARRAY_NATIVE_MATH: '0' }) };
console.log(`exp, sin: 256 MiB float64 [${shape}]; sum0, mean0: 1 GiB [${big}]; medians of ${rounds}: wall ms (process CPU ms)`);
console.log('case\tnumpy\tnative\twasm\tnative/numpy\twasm/numpy\tnative/copy');
for (const name of ['copy', 'exp', 'sin', ...(sums ? ['sum0', 'mean0'] : [])]) {
  const n = numpy[name], v = paths.native[name], w = paths.wasm[name];
  const f = (x) => `${x.wall.toFixed(1)} (${x.cpu.toFixed(0)})`;
  console.log([name, f(n), f(v), f(w), (v.wall / n.wall).toFixed(2), (w.wall / n.wall).toFixed(2), (v.wall / paths.native.copy.wall).toFixed(2)].join('\t'));
}
