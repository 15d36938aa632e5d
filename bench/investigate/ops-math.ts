/**
 * Which exp kernel for float64 arrays in SharedArrayBuffers: V8's Math.exp called per element, the
 * JS kernel of src/ops/kernels/math.ts inlined into the loop, or a WebAssembly SIMD (f64x2) kernel
 * with the same algorithm (the 2^(j/128) table read lane by lane, 2^k added into the exponent
 * bits) that has to copy each chunk into its own memory and the results back out (a module cannot
 * address the package's SharedArrayBuffers). Also Math.sin against the JS sin kernel. Reports CPU
 * ns per element, one thread, median of 9 rounds, over 2^22 elements of the ops bench's data
 * (values in [-0.5, 0.5]) and of wider data ([-50, 50]).
 *
 * Run: npx tsx bench/investigate/ops-math.ts
 *
 * One run on the 2-core machine under a load average of about 13 (other jobs running; repeated
 * runs move by up to 1.5x, the order stays):
 *
 *   data          copy  Math.exp  exp (JS)  exp (wasm simd + copies)  Math.sin  sin (JS)
 *   [-0.5, 0.5]   0.42  5.75      4.17      3.57                      3.80      2.91
 *   [-50, 50]     0.38  14.89     6.91      3.70                      9.85      6.98
 *
 * The JS kernels beat Math's calls by 1.3-2x; the WebAssembly one, two lanes wide and paying two
 * copies per element, is only 1.15-1.9x faster than the JS kernel, and would need a module, a
 * memory per thread and a float32 variant for that; numpy's AVX-512 loops (8 lanes, fused
 * multiply-add) run at memory speed, about 0.7 ns per element. The package uses the JS kernels.
 * (A JS port of fdlibm's log, bit-identical to Math.log, measured 2x slower than Math.log: log
 * keeps Math's.)
 */
import initWabt from 'wabt';
import { EXP2_H, EXP2_TAIL } from '../../src/ops/kernels/exp-table.js';
import { exp, sin } from '../../src/ops/kernels/math.js';

const N = 2 ** 22;
const CHUNK = 512; // elements per copy: 4 KiB in, 4 KiB out, in L1

// memory layout (bytes): H table at 0, tail table at 1024, the chunk at 4096
const wat = `(module
  (import "env" "memory" (memory 1))
  ;; exp of n doubles at $p in place (n even); returns nonzero if a lane was outside |x| < 708
  ;; (or NaN): the caller redoes that chunk with the scalar kernel
  (func (export "exp") (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $x v128) (local $z v128) (local $kd v128) (local $r v128) (local $r2 v128)
    (local $h v128) (local $t v128) (local $scale v128) (local $bad v128) (local $j0 i32) (local $j1 i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $bad (v128.const i64x2 0 0))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $bad (v128.or (local.get $bad)
        (v128.not (f64x2.lt (f64x2.abs (local.get $x)) (f64x2.splat (f64.const 708))))))
      (local.set $z (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 184.6649652337873)))
                               (f64x2.splat (f64.const 6755399441055744))))
      (local.set $kd (f64x2.sub (local.get $z) (f64x2.splat (f64.const 6755399441055744))))
      (local.set $r (f64x2.sub (f64x2.sub (local.get $x)
                      (f64x2.mul (local.get $kd) (f64x2.splat (f64.const 0.0054152123475432745))))
                      (f64x2.mul (local.get $kd) (f64x2.splat (f64.const 5.812982117197185e-13)))))
      (local.set $j0 (i32.shl (i32.and (i32x4.extract_lane 0 (local.get $z)) (i32.const 127)) (i32.const 3)))
      (local.set $j1 (i32.shl (i32.and (i32x4.extract_lane 2 (local.get $z)) (i32.const 127)) (i32.const 3)))
      (local.set $h (v128.load64_lane 1 (local.get $j1) (v128.load64_zero (local.get $j0))))
      (local.set $t (v128.load64_lane offset=1024 1 (local.get $j1) (v128.load64_zero offset=1024 (local.get $j0))))
      ;; 2^k: k = ki >> 7 added into the exponent bits (mod 2^64, so a negative k works)
      (local.set $scale (i64x2.add (local.get $h) (i64x2.shl (i64x2.shr_s (local.get $z) (i32.const 7)) (i32.const 52))))
      (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
      (local.set $t (f64x2.add (f64x2.add (f64x2.add (local.get $t) (local.get $r))
          (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const ${1 / 6}))))))
          (f64x2.mul (f64x2.mul (local.get $r2) (local.get $r2))
                     (f64x2.add (f64x2.splat (f64.const ${1 / 24})) (f64x2.mul (local.get $r) (f64x2.splat (f64.const ${1 / 120})))))))
      (v128.store (local.get $p) (f64x2.add (local.get $scale) (f64x2.mul (local.get $scale) (local.get $t))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (i32.ne (i64x2.all_true (i64x2.eq (local.get $bad) (v128.const i64x2 0 0))) (i32.const 1)))
)`;

const wabt = await initWabt();
const bytes = wabt.parseWat('ops-math.wat', wat, { simd: true }).toBinary({}).buffer;
// the project's TypeScript has no DOM lib, so no WebAssembly types: the little used here, typed
const wasm = (globalThis as unknown as { WebAssembly: {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (b: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
} }).WebAssembly;
const memory = new wasm.Memory({ initial: 1 });
const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
const wasmExp = instance.exports.exp as (p: number, n: number) => number;
const heap = new Float64Array(memory.buffer);
heap.set(EXP2_H, 0);
heap.set(EXP2_TAIL, 128);
const SCRATCH = 4096;

function chunkedExp(n: number, o: Float64Array, a: Float64Array): void {
  const at = SCRATCH / 8;
  for (let j = 0; j < n; j += CHUNK) {
    const m = Math.min(CHUNK, n - j);
    heap.set(a.subarray(j, j + m), at);
    if (m % 2 === 1) heap[at + m] = 0;
    if (wasmExp(SCRATCH, m + (m % 2)) !== 0) {
      for (let i = j; i < j + m; i++) o[i] = exp(a[i]!);
      continue;
    }
    o.set(heap.subarray(at, at + m), j);
  }
}

/**
 * A loop of its own per function, as the package generates them: one shared loop would not inline
 * `f`, and nor would copies of the same source text (V8 shares their feedback), hence the tag.
 */
const loop = (f: (x: number) => number, tag: string) =>
  new Function('f', `/* ${tag} */ return function (n, o, a) { for (let j = 0; j < n; j++) o[j] = f(a[j]); };`)(f) as (n: number, o: Float64Array, a: Float64Array) => void;
const cases: Record<string, (n: number, o: Float64Array, a: Float64Array) => void> = {
  'copy (o.set)': (n, o, a) => o.set(a.subarray(0, n)),
  'Math.exp': loop(Math.exp, 'Math.exp'),
  'exp kernel (JS)': loop(exp, 'exp'),
  'exp wasm simd + copies': chunkedExp,
  'Math.sin': loop(Math.sin, 'Math.sin'),
  'sin kernel (JS)': loop(sin, 'sin'),
};

const sab = (): Float64Array => new Float64Array(new SharedArrayBuffer(N * 8));
const out = sab();
for (const [label, scale] of [['[-0.5, 0.5]', 1], ['[-50, 50]', 100]] as const) {
  const a = sab();
  for (let i = 0; i < N; i++) a[i] = ((((i * 7919) % 1000) / 997) - 0.5) * scale;
  console.log(`data in ${label}: CPU ns per element, one thread, median of 9`);
  const reference = new Float64Array(N);
  for (let i = 0; i < N; i++) reference[i] = Math.exp(a[i]!);
  for (const [name, run] of Object.entries(cases)) {
    run(N, out, a);
    const times: number[] = [];
    for (let r = 0; r < 9; r++) {
      const c = process.cpuUsage();
      run(N, out, a);
      const d = process.cpuUsage(c);
      times.push(((d.user + d.system) * 1000) / N);
    }
    times.sort((x, y) => x - y);
    let check = '';
    if (name.startsWith('exp')) {
      let worst = 0;
      for (let i = 0; i < N; i += 97) worst = Math.max(worst, Math.abs(out[i]! - reference[i]!) / reference[i]!);
      check = `  (max relative difference from Math.exp ${worst.toExponential(1)})`;
    }
    console.log(`  ${name.padEnd(24)} ${times[4]!.toFixed(2)}${check}`);
  }
}
