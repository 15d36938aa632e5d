/**
 * Array operations (issue 15) against numpy on the same data in the same run: reductions of a
 * 1 GiB float64 matrix along each axis, `a * b + c` into `out`, `argmax` along rows, `std` of
 * short rows, `exp`, `sin` and `a ** 2.5` of 256 MiB into `out`, matmul at 1024 and 4096 (also against
 * @stdlib/blas's dgemm), and a plain streaming copy as the machine's bandwidth line, of 1 GiB and
 * of the 256 MiB that exp and sin read and write (their floor) (--quick: a sixteenth of each size,
 * matmul at 256 and 1024; --smoke: a 4096th, matmul at 16 and 32).
 *
 * Ours run on the default pool (sized to the machine: 2 workers here) through each operation's
 * Async form where it has one. numpy runs in one Debian /usr/bin/python3 process
 * (bench/peers/numpy_ops.py) with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset; the BLAS it
 * mapped is recorded as a note. Both sides fill their arrays with the same formula.
 *
 * An operation the package does not export yet is a skipped case saying so, never a stand-in.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as pkg from 'shared-ndarray';
import { zeros, type SharedNDArray } from 'shared-ndarray';
import type { Suite, SuiteContext } from '../harness/context.js';
import { formatBytes as gib } from '../harness/format.js';
import { INSTALL, packageVersion, run } from '../harness/peers.js';

const NUMPY_OPS = fileURLToPath(new URL('../peers/numpy_ops.py', import.meta.url));
const SYSTEM_PYTHON = '/usr/bin/python3';
const require = createRequire(import.meta.url);

type AnyFn = (...args: unknown[]) => unknown;

/** The package's `name`, preferring its Async form (the one that runs on the pool), or undefined. */
function op(name: string): { fn: AnyFn; label: string } | undefined {
  const exports = pkg as unknown as Record<string, unknown>;
  const async = exports[`${name}Async`];
  if (typeof async === 'function') return { fn: async as AnyFn, label: `${name}Async` };
  const sync = exports[name];
  return typeof sync === 'function' ? { fn: sync as AnyFn, label: name } : undefined;
}

/** pattern(i) = ((i * 7919) % 1000) / 997 - 0.5 over the flat index from `from`: numpy_ops.py's data. */
function pattern(shape: number[], from = 0): SharedNDArray<'float64'> {
  const a = zeros(shape);
  const d = a.data;
  for (let i = 0; i < d.length; i++) d[i] = (((i + from) * 7919) % 1000) / 997 - 0.5;
  return a;
}

interface PeerCase { key: string; op: string; shape: number[] }
interface NumpyRun { numpy: string; blas: string[]; seconds: Record<string, number[]> }


const suite: Suite = {
  name: 'ops',
  title: 'array operations (reductions, elementwise, matmul) vs numpy on the same data',
  async run(s) {
    const q = s.pick(1, 4, 64);
    const runs = s.pick(3, 2, 1);
    const big = [16384 / q, 8192 / q]; // 1 GiB of float64 (64 MiB with --quick)
    const mid = [8192 / q, 4096 / q]; // 256 MiB (16 MiB)
    const shortRows = [(2 ** 21) / q / q, 16]; // 256 MiB in rows of 16
    const sizes = s.pick([1024, 4096], [256, 1024], [16, 32]);
    const bytes = (shape: number[]) => shape.reduce((x, y) => x * y, 8);

    const peerCases: PeerCase[] = [
      { key: 'copy', op: 'copy', shape: big },
      { key: 'sum0', op: 'sum:0', shape: big }, { key: 'sum1', op: 'sum:1', shape: big },
      { key: 'mean0', op: 'mean:0', shape: big }, { key: 'mean1', op: 'mean:1', shape: big },
      { key: 'argmax1', op: 'argmax:1', shape: big },
      { key: 'fma', op: 'fma', shape: mid },
      { key: 'std1', op: 'std:1', shape: shortRows },
      { key: 'copy256', op: 'copy', shape: mid },
      { key: 'exp', op: 'exp', shape: mid }, { key: 'sin', op: 'sin', shape: mid }, { key: 'power', op: 'power', shape: mid },
      ...sizes.map((n) => ({ key: `matmul${n}`, op: 'matmul', shape: [n, n] })),
    ];
    const numpy = await runNumpy(s, peerCases, runs);
    const threads = availableParallelism();
    s.note(`ours: the default pool (${threads} workers on this machine), through each operation's Async form where it has one`);

    /** numpy's case `key` as a reported peer case named `name`, or a skip saying why. */
    const peer = async (name: string, key: string): Promise<void> => {
      if (typeof numpy === 'string') s.skip(name, numpy, { peer: true });
      else await s.reported(name, async () => numpy.seconds[key]!);
    };
    /** Our case, or a skip when the package does not export the operation yet. */
    const ours = async (name: string, opName: string, call: (f: AnyFn) => unknown, vs: string, detail?: (seconds: number) => string): Promise<void> => {
      const found = op(opName);
      if (!found) {
        s.skip(name, `not available: this build of shared-ndarray has no ${opName}() yet (issue 15)`, { vs });
        return;
      }
      const result = await s.timed(name, () => call(found.fn), { runs, vs, warmup: true });
      result.detail = [`${found.label}()`, ...(detail && result.median !== null ? [detail(result.median)] : [])].join(', ');
    };

    // ---- the bandwidth line --------------------------------------------------------------------
    {
      s.group(`streaming copy of ${gib(bytes(big))} float64: the machine's bandwidth line`, 'GB/s counts bytes read plus bytes written');
      const a = pattern(big);
      const out = zeros(big);
      const vs = `np.copyto (${gib(bytes(big))})`;
      await peer(vs, 'copy');
      const result = await s.timed(`Float64Array.set, 1 thread (${gib(bytes(big))})`, () => out.data.set(a.data), { runs, vs, warmup: true });
      if (result.median !== null) result.detail = `${((2 * bytes(big)) / result.median / 1e9).toFixed(1)} GB/s`;
    }

    // ---- reductions of the 1 GiB matrix ----------------------------------------------------------
    {
      const a = pattern(big);
      const size = `${gib(bytes(big))}, [${big.join(', ')}]`;
      for (const name of ['sum', 'mean'] as const) {
        s.group(`${name} of a ${size} float64 matrix along each axis`);
        for (const axis of [0, 1]) {
          const vs = `np.${name}(a, axis=${axis})`;
          await peer(vs, `${name}${axis}`);
          await ours(`${name}(a, { axis: ${axis} })`, name, (f) => f(a, { axis }), vs, (t) => `${(bytes(big) / t / 1e9).toFixed(1)} GB/s read`);
          s.compare(`${name} axis ${axis} / numpy`, `${name}(a, { axis: ${axis} })`, vs, 1);
        }
      }
      s.group(`argmax of each row of the ${size} matrix`);
      await peer('np.argmax(a, axis=1)', 'argmax1');
      await ours('argmax(a, { axis: 1 })', 'argmax', (f) => f(a, { axis: 1 }), 'np.argmax(a, axis=1)');
      s.compare('argmax axis 1 / numpy', 'argmax(a, { axis: 1 })', 'np.argmax(a, axis=1)', 1);
    }

    // ---- elementwise -----------------------------------------------------------------------------
    {
      const size = `${gib(bytes(mid))}, [${mid.join(', ')}]`;
      s.group(`a * b + c into out, float64 operands of ${size}`, 'numpy: np.multiply(a, b, out=o); np.add(o, c, out=o)');
      const a = pattern(mid), b = pattern(mid, 1), c = pattern(mid, 2), out = zeros(mid);
      const vs = 'np.multiply + np.add into out';
      await peer(vs, 'fma');
      const multiply = op('multiply'), add = op('add');
      if (!multiply || !add) {
        s.skip('multiply + add into out', `not available: this build of shared-ndarray has no ${multiply ? 'add' : 'multiply'}() yet (issue 15)`, { vs });
      } else {
        await s.timed('multiply + add into out', async () => {
          await multiply.fn(a, b, { out });
          await add.fn(out, c, { out });
        }, { runs, vs, warmup: true, detail: `${multiply.label} + ${add.label}` });
      }
      s.compare('a * b + c / numpy', 'multiply + add into out', vs, 1);

      // exp and sin read and write as many bytes as this copy: no kernel gets under it
      s.group(`streaming copy of ${gib(bytes(mid))} float64: the floor for exp and sin`, 'GB/s counts bytes read plus bytes written');
      const copyName = `Float64Array.set, 1 thread (${gib(bytes(mid))})`;
      {
        const vs = `np.copyto (${gib(bytes(mid))})`;
        await peer(vs, 'copy256');
        const result = await s.timed(copyName, () => out.data.set(a.data), { runs, vs, warmup: true });
        if (result.median !== null) result.detail = `${((2 * bytes(mid)) / result.median / 1e9).toFixed(1)} GB/s`;
      }
      for (const name of ['exp', 'sin'] as const) {
        s.group(`${name} of ${size} float64 into out`);
        await peer(`np.${name}(a, out=o)`, name);
        await ours(`${name}(a, { out })`, name, (f) => f(a, { out }), `np.${name}(a, out=o)`);
        s.compare(`${name} / numpy`, `${name}(a, { out })`, `np.${name}(a, out=o)`, 0.6);
        s.compare(`${name} / copy of the same bytes`, `${name}(a, { out })`, copyName);
      }

      {
        // bases in [0.5, 1.5), as numpy_ops.py's: a negative base to 2.5 is NaN, off pow's fast path
        s.group(`a ** 2.5 of ${size} float64 into out`, 'bases in [0.5, 1.5)');
        const base = pattern(mid);
        for (let i = 0; i < base.data.length; i++) base.data[i]! += 1;
        const vs = 'np.power(a, 2.5, out=o)';
        await peer(vs, 'power');
        await ours('power(a, 2.5, { out })', 'power', (f) => f(base, 2.5, { out }), vs);
        s.compare('a ** 2.5 / numpy', 'power(a, 2.5, { out })', vs, 0.6);
      }

      const rows = pattern(shortRows);
      s.group(`std of each row of ${gib(bytes(shortRows))} in rows of ${shortRows[1]}`);
      await peer('np.std(a, axis=1)', 'std1');
      await ours('std(a, { axis: 1 })', 'std', (f) => f(rows, { axis: 1 }), 'np.std(a, axis=1)');
      s.compare('std of short rows / numpy', 'std(a, { axis: 1 })', 'np.std(a, axis=1)', 0.6);
    }

    // ---- matmul ----------------------------------------------------------------------------------
    const dgemm = loadDgemm();
    if (dgemm) s.peerVersion('@stdlib/blas', packageVersion('@stdlib/blas'));
    for (const n of sizes) {
      const flops = 2 * n ** 3;
      const gflops = (t: number): string => `${(flops / t / 1e9).toFixed(1)} GFLOP/s`;
      s.group(`matmul of two ${n} x ${n} float64 matrices into out`, 'GFLOP/s counts 2n³ operations');
      const a = pattern([n, n]), b = pattern([n, n], 1), out = zeros([n, n]);
      const vs = `np.matmul (${n})`;
      await peer(vs, `matmul${n}`);
      const peerCase = typeof numpy === 'string' ? undefined : numpy.seconds[`matmul${n}`];
      if (peerCase) s.note(`np.matmul at ${n}: ${gflops(median(peerCase))}`);
      const ourName = `matmul(a, b, { out }) (${n})`;
      await ours(ourName, 'matmul', (f) => f(a, b, { out }), vs, gflops);
      s.compare(`matmul ${n} / numpy`, ourName, vs, 1);
      // the JavaScript BLAS: @stdlib/blas's dgemm, at the smaller size only (at 4096 it takes minutes)
      if (n === sizes[0]) {
        const stdName = `@stdlib/blas dgemm (${n})`;
        if (!dgemm) s.skip(stdName, `@stdlib/blas is not installed: ${INSTALL.npm('@stdlib/blas')}`, { peer: true });
        else {
          const c = new Float64Array(n * n);
          const result = await s.timed(stdName, () => dgemm('row-major', 'no-transpose', 'no-transpose', n, n, n, 1, a.data, n, b.data, n, 0, c, n), { runs: s.quick ? 1 : 2, peer: true });
          if (result.median !== null) result.detail = gflops(result.median);
          s.compare(`matmul ${n} / @stdlib dgemm`, ourName, stdName, 0.2);
        }
      }
    }
  },
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Dgemm = (order: string, ta: string, tb: string, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number) => Float64Array;

function loadDgemm(): Dgemm | undefined {
  try {
    return require('@stdlib/blas/base/dgemm') as Dgemm;
  } catch {
    return undefined;
  }
}

/** numpy's runs of every case (one process), or why there are none. */
async function runNumpy(s: SuiteContext, cases: PeerCase[], runs: number): Promise<NumpyRun | string> {
  if (!existsSync(SYSTEM_PYTHON)) return `Debian's python3 is not installed: ${INSTALL.python3} ${INSTALL.numpy.replace('apt-get install ', '')}`;
  try {
    // OpenBLAS reads these when numpy loads it: unset, it picks its own kernel and cache sizes
    const out = await run('/usr/bin/env', ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', SYSTEM_PYTHON, NUMPY_OPS, JSON.stringify({ runs, cases })]);
    const result = JSON.parse(out.trim().split('\n').pop() ?? '') as NumpyRun;
    s.peerVersion('python3 (numpy)', `numpy ${result.numpy}`);
    s.note(`numpy's BLAS in this run (the libraries its process mapped): ${result.blas.join(', ') || 'none'}`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/No module named .?numpy/.test(message)) return `python3-numpy is not installed: ${INSTALL.numpy}`;
    throw error;
  }
}

export default suite;
