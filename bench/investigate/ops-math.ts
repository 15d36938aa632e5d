/**
 * Which exp, sin, cos and log kernel for float64 arrays in SharedArrayBuffers, at CPU ns per element on
 * one thread: V8's Math.* called per element, the scalar JS kernels of src/ops/kernels/math.ts
 * inlined into the loop, and the WebAssembly SIMD kernels of src/ops/kernels/math-simd.ts (blocks
 * copied into the module's memory and back, copies included). Also a plain copy of the same bytes
 * (`o.set(a)`): the floor any kernel that reads and writes the arrays pays; and the SIMD path's
 * block copies alone (`block copies`), what it pays on top of its kernels (whose own cost, in L1,
 * bench/investigate/ops-math-kernels.mjs measures). Over 2^22 elements of
 * the ops bench's data (values in [-0.5, 0.5]) and of wider data ([-50, 50]), log over |x| + 0.01; each case runs in
 * rounds interleaved with the others, and the figure is the fastest round (on a shared machine the
 * slower rounds measure the neighbours), with the median in brackets.
 *
 * Run: npx tsx bench/investigate/ops-math.ts
 *
 * Findings that shaped the kernels (scripts/math-wasm.mjs):
 * - V8 compiles one long dependency chain of f64x2 operations per element badly for throughput:
 *   the polynomials use Estrin's scheme, and each loop is a function of its own (sin's loops as
 *   parts of one large function ran 2.5x slower).
 * - A table-free exp (degree-13 polynomial on |r| <= ln2/2) cost as much as the scalar JS kernel;
 *   the 2^(j/128) table read as (value, tail) pairs, one 16-byte load per lane, is 1.5x faster.
 * - A running NaN-propagating f64x2.max over the block (to pick sin's loop) cost more than sin
 *   itself: the range check is a running f64x2.pmax and pmin (one maxpd and one minpd a vector).
 * - Constants: a local set to a constant is folded back into each use, which rebuilds the splat
 *   (three instructions); loaded from a pool in memory they stay in registers (exp's kernel
 *   1.85 -> 1.45 ns per element in L1, sin's 1.35 -> 1.1).
 * - The block copies cost 0.8-0.9 ns per element (V8 copies to or from a shared buffer a word
 *   at a time), a third of exp's time and near half of sin's.
 * (A JS port of fdlibm's log, bit-identical to Math.log, measured 2x slower than Math.log.)
 */
import { cos, exp, sin } from '../../src/ops/kernels/math.js';
import { type SimdMath, simdMath } from '../../src/ops/kernels/math-simd.js';
import { bufferCopy } from '../../src/native/addon.js';

const N = 2 ** 22;
const ROUNDS = 15;

type Run = (n: number, o: Float64Array, a: Float64Array) => void;
/**
 * A loop of its own per function, as the package generates them: one shared loop would not inline
 * `f`, and nor would copies of the same source text (V8 shares their feedback), hence the tag.
 */
const loop = (f: (x: number) => number, tag: string): Run =>
  new Function('f', `/* ${tag} */ return function (n, o, a) { for (let j = 0; j < n; j++) o[j] = f(a[j]); };`)(f) as Run;
const simd = (fn: SimdMath): Run => (n, o, a) => {
  simdMath(fn, n, o, 0, a, 0);
};

/**
 * The SIMD path's block copies alone: 512 elements at a time into a WebAssembly memory and back, no
 * kernel, by TypedArray.set (which V8 runs a word at a time for a shared buffer) and by the native
 * addon's memmove (what math-simd.ts uses when the addon loads).
 */
const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly;
const scratchBuffer = new wasm.Memory({ initial: 1 }).buffer;
const scratch = new Float64Array(scratchBuffer, 4096, 512);
const copy = bufferCopy();
const blockCopiesSet: Run = (n, o, a) => {
  for (let j = 0; j < n; j += 512) {
    scratch.set(a.subarray(j, j + 512));
    o.set(scratch, j);
  }
};
const blockCopiesAddon: Run = (n, o, a) => {
  for (let j = 0; j < n; j += 512) {
    copy!(scratchBuffer, 4096, a.buffer, j * 8, 4096);
    copy!(o.buffer, j * 8, scratchBuffer, 4096, 4096);
  }
};

const cases: Record<string, [Run, ((x: number) => number) | null]> = {
  'copy (o.set)': [(n, o, a) => o.set(a.subarray(0, n)), null],
  'blocks, set': [blockCopiesSet, null],
  ...(copy ? { 'blocks, memmove': [blockCopiesAddon, null] as [Run, null] } : {}),
  'Math.exp': [loop(Math.exp, 'Math.exp'), Math.exp],
  'exp JS kernel': [loop(exp, 'exp'), Math.exp],
  'exp wasm simd': [simd('exp'), Math.exp],
  'Math.sin': [loop(Math.sin, 'Math.sin'), Math.sin],
  'sin JS kernel': [loop(sin, 'sin'), Math.sin],
  'sin wasm simd': [simd('sin'), Math.sin],
  'Math.cos': [loop(Math.cos, 'Math.cos'), Math.cos],
  'cos JS kernel': [loop(cos, 'cos'), Math.cos],
  'cos wasm simd': [simd('cos'), Math.cos],
  // log and log1p read |x| + 0.01 of the same data (see `input`)
  'Math.log': [loop(Math.log, 'Math.log'), Math.log],
  'log wasm simd': [simd('log'), Math.log],
  // what the operations that still call Math cost
  'Math.log1p': [loop(Math.log1p, 'Math.log1p'), Math.log1p],
  'Math.expm1': [loop(Math.expm1, 'Math.expm1'), Math.expm1],
  'Math.tanh': [loop(Math.tanh, 'Math.tanh'), Math.tanh],
};
const input = (name: string, a: Float64Array, positive: Float64Array): Float64Array => (name.includes('log') ? positive : a);

const sab = (): Float64Array => new Float64Array(new SharedArrayBuffer(N * 8));
const out = sab();
for (const [label, scale] of [['[-0.5, 0.5]', 1], ['[-50, 50]', 100]] as const) {
  const a = sab(), positive = sab();
  for (let i = 0; i < N; i++) a[i] = ((((i * 7919) % 1000) / 997) - 0.5) * scale;
  for (let i = 0; i < N; i++) positive[i] = Math.abs(a[i]!) + 0.01;
  const times: Record<string, number[]> = {};
  for (const [name, [run]] of Object.entries(cases)) run(N, out, input(name, a, positive));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, [run]] of Object.entries(cases)) {
      const c = process.cpuUsage();
      run(N, out, input(name, a, positive));
      const d = process.cpuUsage(c);
      times[name] = [...(times[name] ?? []), ((d.user + d.system) * 1000) / N];
    }
  }
  console.log(`data in ${label}: CPU ns per element, one thread, fastest of ${ROUNDS} rounds (median)`);
  for (const [name, [run, reference]] of Object.entries(cases)) {
    const t = times[name]!.sort((x, y) => x - y);
    let check = '';
    if (reference) {
      const x = input(name, a, positive);
      run(N, out, x);
      let worst = 0;
      for (let i = 0; i < N; i += 7) {
        const want = reference(x[i]!);
        worst = Math.max(worst, Math.abs(out[i]! - want) / Math.abs(want));
      }
      check = `  max relative difference from Math ${worst.toExponential(1)}`;
    }
    console.log(`  ${name.padEnd(16)} ${t[0]!.toFixed(2)} (${t[t.length >> 1]!.toFixed(2)})${check}`);
  }
}
