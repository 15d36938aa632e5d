/**
 * The memory-bound operations of the ops suite, side by side with numpy, in CPU time as well as
 * wall time (on a loaded machine wall time says little; CPU time per call still shows whether a
 * kernel streams at the bandwidth line): sum and mean along each axis, argmax of rows, and
 * `a * b + c` into out, over a float64 matrix (default [4096, 8192], 256 MiB), on pools of 1 and
 * of `availableParallelism()` workers (blocking forms), and numpy in one /usr/bin/python3 process.
 * Each figure is the median per call over the runs, in ms.
 *
 * Run: npx tsx bench/investigate/ops-memory.ts [rows] [cols] [runs] [cases, comma-separated]
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { add, argmax, mean, multiply, Pool, sum, zeros, type SharedNDArray } from '../../src/index.js';

const rows = Number(process.argv[2] ?? 4096), cols = Number(process.argv[3] ?? 8192);
const RUNS = Number(process.argv[4] ?? 5);
const CASES = (process.argv[5] ?? 'sum0,sum1,mean0,argmax1,fma').split(',');
const shape = [rows, cols];

function pattern(from = 0): SharedNDArray<'float64'> {
  const a = zeros(shape);
  const d = a.data;
  for (let i = 0; i < d.length; i++) d[i] = (((i + from) * 7919) % 1000) / 997 - 0.5;
  return a;
}

const a = pattern(), b = pattern(1), c = pattern(2), out = zeros(shape);
type Pooled = { pool: Pool };
const run: Record<string, (o: Pooled) => unknown> = {
  sum0: (o) => sum(a, { axis: 0, ...o }),
  sum1: (o) => sum(a, { axis: 1, ...o }),
  mean0: (o) => mean(a, { axis: 0, ...o }),
  argmax1: (o) => argmax(a, { axis: 1, ...o }),
  fma: (o) => { multiply(a, b, { out, ...o }); add(out, c, { out, ...o }); },
};

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;

function time(f: () => unknown): [wall: number, cpu: number] {
  const walls: number[] = [], cpus: number[] = [];
  f();
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    f();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return [median(walls), median(cpus)];
}

const NUMPY = `
import json, sys, time, numpy as np
rows, cols, runs, cases = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(',')
def pattern(frm=0):
    i = np.arange(rows * cols, dtype=np.int64) + frm
    return (((i * 7919) % 1000) / 997.0 - 0.5).reshape(rows, cols)
a, b, c, out = pattern(), pattern(1), pattern(2), np.empty((rows, cols))
def fma():
    np.multiply(a, b, out=out); np.add(out, c, out=out)
ops = {'sum0': lambda: a.sum(axis=0), 'sum1': lambda: a.sum(axis=1), 'mean0': lambda: a.mean(axis=0),
       'argmax1': lambda: a.argmax(axis=1), 'fma': fma}
res = {}
for k in cases:
    f = ops[k]; f(); w = []; p = []
    for _ in range(runs):
        t0 = time.perf_counter(); c0 = time.process_time(); f()
        w.append((time.perf_counter() - t0) * 1e3); p.append((time.process_time() - c0) * 1e3)
    res[k] = [sorted(w)[len(w) // 2], sorted(p)[len(p) // 2]]
print(json.dumps(res))
`;
const numpy = JSON.parse(execFileSync('/usr/bin/env', ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', '/usr/bin/python3', '-c', NUMPY, String(rows), String(cols), String(RUNS), CASES.join(',')], { encoding: 'utf8' })) as Record<string, [number, number]>;

const threads = availableParallelism();
const pools = [new Pool('shared-ndarray:built-in', { size: 1 }), new Pool('shared-ndarray:built-in', { size: threads })];
await Promise.all(pools.map((p) => p.ready()));
console.log(`[${shape.join(', ')}] float64, ${RUNS} runs, median ms per call (wall / cpu of all threads)`);
console.log(['case', 'numpy wall', 'numpy cpu', '1 thread wall', '1 thread cpu', `${threads} threads wall`, `${threads} threads cpu`, 'cpu ratio 1t', `wall ratio ${threads}t`].join('\t'));
for (const k of CASES) {
  const [w1, c1] = time(() => run[k]!({ pool: pools[0]! }));
  const [wn, cn] = time(() => run[k]!({ pool: pools[1]! }));
  const [nw, nc] = numpy[k]!;
  console.log([k, nw, nc, w1, c1, wn, cn, c1 / nc, wn / nw].map((x) => (typeof x === 'number' ? x.toFixed(x < 10 ? 2 : 1) : x)).join('\t'));
}
await Promise.all(pools.map((p) => p.terminate()));
