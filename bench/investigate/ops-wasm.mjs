/**
 * Does a WebAssembly SIMD kernel beat the package's JS loop for the memory-bound elementwise
 * operations (`a + b`, `a * b`, `a * b + c` into `out`, float64)? Best case for WebAssembly: the
 * operands already live in one shared WebAssembly.Memory (the package's arrays do not: they are
 * SharedArrayBuffers a module cannot address, so a real kernel would first have to copy them in).
 * The JS side is the loop src/ops/kernels/elementwise.ts generates for contiguous operands.
 * Reports ns per element, median of 9 rounds, for an in-cache size (2^12) and a memory size (2^22),
 * on one thread.
 *
 * Run: node bench/investigate/ops-wasm.mjs
 *
 * One run on the 2-core machine under a load average of 18 (ns per element):
 *
 *   n     op     js (SAB)  js (wasm memory)  wasm simd  js/wasm  wasm with copies (SAB)
 *   2^12  add    3.67      2.93              1.05       3.51     6.53
 *   2^12  a*b+c  4.45      4.86              1.82       2.44     6.80
 *   2^22  add    8.61      10.99             3.90       2.21     12.35
 *   2^22  a*b+c  13.85     12.51             4.37       3.17     18.71
 *
 * WebAssembly SIMD runs these loops 2-3.5x faster than JS over its own memory, but the package's
 * arrays are plain SharedArrayBuffers: copying chunks in and out costs more than SIMD saves (the
 * last column is 1.4-1.8x slower than the JS loop). So the elementwise kernels stay in JS; a
 * WebAssembly kernel would pay only for arrays allocated in a shared WebAssembly.Memory, as the
 * sieve's scratch is.
 */
import initWabt from 'wabt';

const wat = `(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; out[i] = a[i] + b[i], two lanes at a time (n even); addresses in bytes
  (func (export "add") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (local.get $o) (f64x2.add (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $next))))
  ;; out[i] = a[i] * b[i] + c[i]
  (func (export "fma") (param $a i32) (param $b i32) (param $c i32) (param $o i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (local.get $o) (f64x2.add (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b))) (v128.load (local.get $c))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $next))))
)`;

const wabt = await initWabt();
const parsed = wabt.parseWat('ops.wat', wat, { simd: true, threads: true });
const { buffer } = parsed.toBinary({});
const N = 2 ** 22;
const memory = new WebAssembly.Memory({ initial: Math.ceil((4 * N * 8 + 4 * 2048 * 8) / 65536) + 1, maximum: 65536, shared: true });
const { exports } = await WebAssembly.instantiate(await WebAssembly.compile(buffer), { env: { memory } });

const f64 = new Float64Array(memory.buffer);
for (let i = 0; i < 4 * N; i++) f64[i] = (i % 1000) * 0.5;

// the shape of the package's generated contiguous loops
function jsAdd(n, o, oi, a, ai, b, bi) { for (let j = 0; j < n; j++) { const x = a[ai + j], y = b[bi + j]; o[oi + j] = x + y; } }
function jsFma(n, o, oi, a, ai, b, bi, c, ci) { for (let j = 0; j < n; j++) { o[oi + j] = a[ai + j] * b[bi + j] + c[ci + j]; } }

// what a real kernel over the package's arrays would do: copy a chunk of each operand into the
// module's memory (TypedArray.set is a memcpy), run SIMD there, copy the chunk of out back
const CHUNK = 2048;
const scratch = 4 * N;
const s64 = new Float64Array(memory.buffer);
function chunkedAdd(n, o, oi, a, ai, b, bi) {
  for (let j = 0; j < n; j += CHUNK) {
    const m = Math.min(CHUNK, n - j);
    s64.set(a.subarray(ai + j, ai + j + m), scratch);
    s64.set(b.subarray(bi + j, bi + j + m), scratch + CHUNK);
    exports.add(scratch * 8, (scratch + CHUNK) * 8, (scratch + 2 * CHUNK) * 8, m);
    o.set(s64.subarray(scratch + 2 * CHUNK, scratch + 2 * CHUNK + m), oi + j);
  }
}
function chunkedFma(n, o, oi, a, ai, b, bi, c, ci) {
  for (let j = 0; j < n; j += CHUNK) {
    const m = Math.min(CHUNK, n - j);
    s64.set(a.subarray(ai + j, ai + j + m), scratch);
    s64.set(b.subarray(bi + j, bi + j + m), scratch + CHUNK);
    s64.set(c.subarray(ci + j, ci + j + m), scratch + 2 * CHUNK);
    exports.fma(scratch * 8, (scratch + CHUNK) * 8, (scratch + 2 * CHUNK) * 8, (scratch + 3 * CHUNK) * 8, m);
    o.set(s64.subarray(scratch + 3 * CHUNK, scratch + 3 * CHUNK + m), oi + j);
  }
}

function time(f, n) {
  const calls = Math.max(3, Math.round(2 ** 25 / n));
  const rounds = [];
  for (let r = 0; r < 9; r++) {
    const t = process.hrtime.bigint();
    for (let k = 0; k < calls; k++) f();
    rounds.push(Number(process.hrtime.bigint() - t) / calls / n);
  }
  return rounds.sort((x, y) => x - y)[4];
}

// the package's arrays: a plain SharedArrayBuffer (a typed array over a WebAssembly memory's
// growable buffer takes V8's slower length-tracking path, so JS is timed on both)
const plain = new Float64Array(new SharedArrayBuffer(4 * N * 8));
plain.set(f64.subarray(0, 4 * N));

console.log('n\top\tjs (SAB) ns/elem\tjs (wasm memory) ns/elem\twasm simd ns/elem\tjs (SAB)/wasm\twasm with copies (SAB) ns/elem');
for (const n of [2 ** 12, N]) {
  const [a, b, c, o] = [0, 1, 2, 3].map((k) => k * N);
  const rows = [
    ['add', () => jsAdd(n, plain, o, plain, a, plain, b), () => jsAdd(n, f64, o, f64, a, f64, b), () => exports.add(a * 8, b * 8, o * 8, n), () => chunkedAdd(n, plain, o, plain, a, plain, b)],
    ['a*b+c', () => jsFma(n, plain, o, plain, a, plain, b, plain, c), () => jsFma(n, f64, o, f64, a, f64, b, f64, c), () => exports.fma(a * 8, b * 8, c * 8, o * 8, n), () => chunkedFma(n, plain, o, plain, a, plain, b, plain, c)],
  ];
  for (const [name, js, jsw, wasm, copied] of rows) {
    const tj = time(js, n), tjw = time(jsw, n), tw = time(wasm, n), tc = time(copied, n);
    console.log(`2^${Math.log2(n)}\t${name}\t${tj.toFixed(3)}\t${tjw.toFixed(3)}\t${tw.toFixed(3)}\t${(tj / tw).toFixed(2)}\t${tc.toFixed(3)}`);
  }
}
