/**
 * The worker side of matmul: a job (operands as plain geometry over one batch shape) and the
 * function that computes any range of its rows with the GEMM kernel. Apart from matmul.ts so a
 * worker loads the kernel and not the validation and allocation of the public functions.
 */
import { strided, type Geometry } from './geometry.js';
import { gemm, type GemmPrecision, type MatrixOperand } from './kernels/matmul.js';

/**
 * A product ready to run: every operand over the same batch shape (stride 0 along broadcast batch
 * dimensions, a 1-d operand given its unit dimension with stride 0), its strides ending in the
 * row and column strides of the matrices, so the rows of every batch, batch after batch, are one
 * range to split.
 */
export interface MatmulJob {
  readonly a: Geometry;
  readonly b: Geometry;
  readonly c: Geometry;
  readonly batch: readonly number[];
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** The element offset of flat batch `q` (C order over `batch`) for an operand's strides. */
function batchOffset(batch: readonly number[], strides: readonly number[], offset: number, q: number): number {
  for (let d = batch.length - 1; d >= 0; d--) {
    const len = batch[d]!;
    offset += (q % len) * strides[d]!;
    q = Math.floor(q / len);
  }
  return offset;
}

/** Rows [start, stop) of `c = a @ b`, counted over every batch (row r is row r mod m of batch r div m). */
export function matmulRows(job: MatmulJob, start: number, stop: number): void {
  const { a, b, c, batch, m, n, k } = job;
  const nd = batch.length;
  const precision: GemmPrecision = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  const operand = (g: Geometry, q: number): MatrixOperand => ({
    data: strided(g).data as Float64Array | Float32Array,
    offset: batchOffset(batch, g.strides, g.offset, q),
    rowStride: g.strides[nd]!,
    colStride: g.strides[nd + 1]!,
  });
  // an empty product (m or a batch length 0) has no rows, though the planner hands a job at least one
  const end = Math.min(stop, batch.reduce((x, y) => x * y, 1) * m);
  for (let row = start; row < end;) {
    const q = Math.floor(row / m);
    const r0 = row - q * m;
    const r1 = Math.min(m, r0 + (stop - row));
    gemm(precision, n, k, operand(a, q), operand(b, q), operand(c, q), r0, r1);
    row += r1 - r0;
  }
}
