/**
 * The matmul kernel: C = A · B for one block of C's rows, over typed arrays and element strides.
 * It knows nothing of pools, descriptors or SharedNDArray; the planner hands each worker a row
 * range of C and this computes it, so any strides (transposed, negative, broadcast) come for free
 * through the packing step.
 *
 * The arithmetic is a GotoBLAS-style GEMM in WebAssembly SIMD (scripts/matmul-wasm.mjs writes it):
 * B is packed into NR-column panels of KC rows (one panel, about L2-sized, reused by every row block),
 * A into MR-row panels of MC x KC (L2), and the register-blocked macro-kernel accumulates MR x NR
 * tiles of C in a scratch block that is copied out (and converted to C's dtype) at the end. Tiny
 * products skip the packing and run as plain loops.
 */
import { MATMUL_TILES, MATMUL_WASM_BASE64 } from './matmul-wasm-bytes.js';

/** A 2-d operand: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface MatrixOperand {
  data: Float64Array | Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** The precision the products are summed in: float64 unless every operand is float32 (numpy's result dtype). */
export type GemmPrecision = 'float64' | 'float32';

/** Below this many multiply-adds the packing costs more than it saves. */
export const LOOP_KERNEL_MAX_WORK = 16 * 16 * 16;

const KC = 256;
/** Rows of A packed at once (its packed block is about 240 KiB in float64: L2-resident). */
const MC_TARGET = 120;
/** Columns of B packed at once (a KC x NC float64 panel is about 1 MiB). */
const NC_TARGET = 512;
/**
 * Bytes of C accumulated in scratch before the copy out: B is packed again for each such block of
 * rows, so the more rows the less packing (8 MiB holds 2048 rows of a float64 NC panel).
 */
const C_SCRATCH_BYTES = 8 << 20;

interface Blocking { MR: number; NR: number; MC: number; NC: number; bytes: number }

const BLOCKING: Record<GemmPrecision, Blocking> = {
  float64: blocking(MATMUL_TILES.f64, 8),
  float32: blocking(MATMUL_TILES.f32, 4),
};

function blocking({ MR, NR }: { MR: number; NR: number }, bytes: number): Blocking {
  return { MR, NR, MC: Math.max(MR, Math.floor(MC_TARGET / MR) * MR), NC: Math.max(NR, Math.floor(NC_TARGET / NR) * NR), bytes };
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

type MacroKernel = (ap: number, bp: number, cp: number, mc: number, nc: number, kc: number, ldc: number) => void;

/** One thread's WebAssembly instance and its scratch memory, grown on demand and then kept. */
interface Workspace {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm: Record<GemmPrecision, MacroKernel>;
  f64: Float64Array;
  f32: Float32Array;
}

const PAGE = 65536;
let workspace: Workspace | undefined;

function getWorkspace(bytes: number): Workspace {
  if (!workspace) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) throw new Error('shared-ndarray: this runtime has no WebAssembly');
    const memory = new api.Memory({ initial: Math.ceil(bytes / PAGE), maximum: 65536 });
    const module = new api.Module(Buffer.from(MATMUL_WASM_BASE64, 'base64'));
    const { exports } = new api.Instance(module, { env: { memory } });
    workspace = {
      memory,
      gemm: { float64: exports.gemm_f64 as MacroKernel, float32: exports.gemm_f32 as MacroKernel },
      f64: new Float64Array(memory.buffer),
      f32: new Float32Array(memory.buffer),
    };
  }
  const have = workspace.memory.buffer.byteLength;
  if (have < bytes) {
    workspace.memory.grow(Math.ceil((bytes - have) / PAGE));
    workspace.f64 = new Float64Array(workspace.memory.buffer);
    workspace.f32 = new Float32Array(workspace.memory.buffer);
  }
  return workspace;
}

/**
 * Writes rows [rowStart, rowEnd) of C = A · B, where A is m x k and B is k x n (m is implied by
 * the row range). C may have another dtype than the precision (a float32 `out` of a float64
 * product); values are rounded once, when stored. C must not overlap A or B.
 */
export function gemm(
  precision: GemmPrecision, n: number, k: number,
  a: MatrixOperand, b: MatrixOperand, c: MatrixOperand, rowStart: number, rowEnd: number,
): void {
  const rows = rowEnd - rowStart;
  if (rows <= 0 || n <= 0) return;
  if (k === 0) {
    for (let i = rowStart; i < rowEnd; i++) for (let j = 0; j < n; j++) c.data[c.offset + i * c.rowStride + j * c.colStride] = 0;
    return;
  }
  if (rows * n * k <= LOOP_KERNEL_MAX_WORK) {
    gemmLoops(precision, n, k, a, b, c, rowStart, rowEnd);
    return;
  }
  const { MR, NR, MC, NC, bytes } = BLOCKING[precision];
  const ncMax = Math.min(NC, roundUp(n, NR));
  const rcMax = Math.min(Math.max(MC, Math.floor(C_SCRATCH_BYTES / (ncMax * bytes) / MC) * MC), roundUp(rows, MR));
  const kcMax = Math.min(KC, k);
  // scratch layout, in elements: [packed A block | packed B panel | C rows]
  const apAt = 0;
  const bpAt = apAt + MC * kcMax;
  const cAt = bpAt + kcMax * ncMax;
  const ws = getWorkspace((cAt + rcMax * ncMax) * bytes);
  const s = precision === 'float64' ? ws.f64 : ws.f32;
  const kernel = ws.gemm[precision];
  for (let i0 = rowStart; i0 < rowEnd; i0 += rcMax) {
    const rc = Math.min(rcMax, rowEnd - i0);
    for (let j0 = 0; j0 < n; j0 += ncMax) {
      const nc = Math.min(ncMax, n - j0);
      const ncPad = roundUp(nc, NR);
      s.fill(0, cAt, cAt + roundUp(rc, MR) * ncPad);
      for (let p0 = 0; p0 < k; p0 += kcMax) {
        const kc = Math.min(kcMax, k - p0);
        packB(s, bpAt, b, p0, kc, j0, nc, NR);
        for (let ic = 0; ic < rc; ic += MC) {
          const mc = Math.min(MC, rc - ic);
          const mcPad = roundUp(mc, MR);
          packA(s, apAt, a, i0 + ic, mc, p0, kc, MR);
          kernel(apAt * bytes, bpAt * bytes, (cAt + ic * ncPad) * bytes, mcPad, ncPad, kc, ncPad);
        }
      }
      const out = c.data;
      for (let i = 0; i < rc; i++) {
        const from = cAt + i * ncPad;
        let to = c.offset + (i0 + i) * c.rowStride + j0 * c.colStride;
        if (c.colStride === 1) {
          out.set(s.subarray(from, from + nc), to);
        } else {
          for (let j = 0; j < nc; j++, to += c.colStride) out[to] = s[from + j]!;
        }
      }
    }
  }
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/** A[i0 : i0 + mc, p0 : p0 + kc] into MR-row panels, element [p][r] of each, zero rows past mc. */
function packA(s: Float64Array | Float32Array, at: number, a: MatrixOperand, i0: number, mc: number, p0: number, kc: number, MR: number): void {
  const { data, rowStride, colStride } = a;
  for (let ir = 0; ir < mc; ir += MR) {
    const panel = at + ir * kc;
    const live = Math.min(MR, mc - ir);
    for (let r = 0; r < MR; r++) {
      let to = panel + r;
      if (r >= live) {
        for (let p = 0; p < kc; p++, to += MR) s[to] = 0;
        continue;
      }
      let from = a.offset + (i0 + ir + r) * rowStride + p0 * colStride;
      for (let p = 0; p < kc; p++, to += MR, from += colStride) s[to] = data[from]!;
    }
  }
}

/** B[p0 : p0 + kc, j0 : j0 + nc] into NR-column panels, element [p][c] of each, zero columns past nc. */
function packB(s: Float64Array | Float32Array, at: number, b: MatrixOperand, p0: number, kc: number, j0: number, nc: number, NR: number): void {
  const { data, rowStride, colStride } = b;
  for (let jr = 0; jr < nc; jr += NR) {
    const panel = at + jr * kc;
    const live = Math.min(NR, nc - jr);
    for (let p = 0; p < kc; p++) {
      let to = panel + p * NR;
      let from = b.offset + (p0 + p) * rowStride + (j0 + jr) * colStride;
      let c = 0;
      for (; c < live; c++, to++, from += colStride) s[to] = data[from]!;
      for (; c < NR; c++, to++) s[to] = 0;
    }
  }
}

/** Plain loops for products too small to pack; sums in the precision's width like the kernel. */
export function gemmLoops(
  precision: GemmPrecision, n: number, k: number,
  a: MatrixOperand, b: MatrixOperand, c: MatrixOperand, rowStart: number, rowEnd: number,
): void {
  const round = precision === 'float32' ? Math.fround : (x: number) => x;
  for (let i = rowStart; i < rowEnd; i++) {
    const aRow = a.offset + i * a.rowStride;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let ai = aRow;
      let bi = b.offset + j * b.colStride;
      for (let p = 0; p < k; p++, ai += a.colStride, bi += b.rowStride) sum = round(sum + round(a.data[ai]! * b.data[bi]!));
      c.data[c.offset + i * c.rowStride + j * c.colStride] = sum;
    }
  }
}
