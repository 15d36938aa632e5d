/**
 * exp, log, sin and cos of contiguous float64 runs through the WebAssembly SIMD kernels
 * (scripts/math-wasm.mjs writes them): a module cannot address the package's SharedArrayBuffers
 * (nor, on Node 20, wrap one in a WebAssembly.Memory or import two memories), so each block of
 * elements is copied into this thread's scratch memory, computed there in place, and copied out.
 * The copies go through the native addon's memmove when it loads: TypedArray.set, the fallback,
 * copies to and from a shared buffer a word at a time (a relaxed-atomic loop, not memcpy), about
 * 0.4 ns per element each way even in L1, a third of exp's time, where memmove takes a third of
 * that (`blocks, set` and `blocks, memmove` in bench/investigate/ops-math.ts). From memory the
 * copies cost what the bytes cost, about what o.set(a) costs (0.5 ns per element here).
 *
 * Lanes the vector code refuses (exp: |x| >= 708 or NaN; log: all but the positive normal
 * doubles; sin and cos: NaN past pi/4, infinities, |x| >= 2^19 pi/2, arguments next to a multiple
 * of pi/2) are recomputed by the scalar kernels of ./math.ts (which hand the special
 * values to Math) or by Math.log. exp gives the scalar kernel's bits; log, sin and cos are within
 * 1 ULP of Math's (test/ops/kernels/math-simd.property.test.ts).
 */
import { type BufferCopy, bufferCopy } from '../../native/addon.js';
import { MATH_WASM_BASE64 } from './math-wasm-bytes.js';
import { EXP2_H, EXP2_TAIL } from './exp-table.js';
import { cos, exp, sin } from './math.js';

/**
 * Elements per block, computed in place: with the addon's memmove 4096 (32 KiB each way, which cost
 * 10-15% less per element than 512: fewer calls), with TypedArray.set 512 (larger blocks measured
 * slower there).
 */
const CHUNK = 4096, CHUNK_SET = 512;
/** Below this many elements the copies and the call cost more than the scalar loop. */
export const SIMD_MIN = 32;

type Kernel = (p: number, n: number) => number;

interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

export type SimdMath = 'exp' | 'log' | 'sin' | 'cos';

interface Workspace {
  memory: ArrayBuffer;
  heap: Float64Array;
  kernels: Record<SimdMath, Kernel>;
  /** The native addon's memmove, or undefined without the addon (then TypedArray.set). */
  copy: BufferCopy | undefined;
}

/**
 * Byte address of the block in the module's memory; below it sit exp's table of (2^(j/128), tail)
 * pairs (bytes 0-2047) and the loops' constants (2048-4095, the module's data segment).
 */
const BLOCK = 4096;

/** This thread's instance (each worker builds its own on first use), or null without WebAssembly. */
let workspace: Workspace | null | undefined;

function getWorkspace(): Workspace | null {
  if (workspace === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) {
      workspace = null;
      return null;
    }
    const memory = new api.Memory({ initial: 1 });
    const { exports } = new api.Instance(new api.Module(Buffer.from(MATH_WASM_BASE64, 'base64')), { env: { memory } });
    const table = new Float64Array(memory.buffer, 0, 2 * EXP2_H.length);
    for (let j = 0; j < EXP2_H.length; j++) {
      table[2 * j] = EXP2_H[j]!;
      table[2 * j + 1] = EXP2_TAIL[j]!;
    }
    workspace = {
      memory: memory.buffer,
      heap: new Float64Array(memory.buffer, BLOCK, CHUNK),
      copy: bufferCopy(),
      kernels: { exp: exports.exp as Kernel, log: exports.log as Kernel, sin: exports.sin as Kernel, cos: exports.cos as Kernel },
    };
  }
  return workspace;
}

/**
 * The lanes each vector loop refuses, by the same test: exp's and log's are cheap to repeat, so
 * only those lanes are recomputed; sin's and cos's (which depend on the reduction) redo the block.
 */
const REFUSED: Partial<Record<SimdMath, (x: number) => boolean>> = {
  exp: (x) => !(Math.abs(x) < 708),
  log: (x) => !(x >= 2.2250738585072014e-308 && x <= Number.MAX_VALUE),
};
const SCALAR: Record<SimdMath, (x: number) => number> = { exp, log: Math.log, sin, cos };

/**
 * o[oi + j] = fn(a[ai + j]) for j < n. Returns false (and writes nothing) when this runtime has no
 * WebAssembly; the caller's scalar loop then runs.
 */
export function simdMath(fn: SimdMath, n: number, o: Float64Array, oi: number, a: Float64Array, ai: number): boolean {
  const ws = getWorkspace();
  if (ws === null) return false;
  const { heap, copy, memory } = ws;
  const kernel = ws.kernels[fn];
  const scalar = SCALAR[fn];
  const chunk = copy ? CHUNK : CHUNK_SET;
  for (let j = 0; j < n; j += chunk) {
    const m = Math.min(chunk, n - j);
    const padded = (m + 3) & ~3;
    if (copy) copy(memory, BLOCK, a.buffer, a.byteOffset + (ai + j) * 8, m * 8);
    else heap.set(a.subarray(ai + j, ai + j + m));
    for (let t = m; t < padded; t++) heap[t] = 0;
    if (kernel(BLOCK, padded) !== 0) {
      const refused = REFUSED[fn];
      if (refused) {
        for (let t = 0; t < m; t++) {
          const x = a[ai + j + t]!;
          if (refused(x)) heap[t] = scalar(x);
        }
      } else {
        for (let t = 0; t < m; t++) heap[t] = scalar(a[ai + j + t]!);
      }
    }
    if (copy) copy(o.buffer, o.byteOffset + (oi + j) * 8, memory, BLOCK, m * 8);
    else o.set(heap.subarray(0, m), oi + j);
  }
  return true;
}
