/**
 * The matmul kernel against a plain triple loop written here, over random shapes that cross every
 * blocking boundary (the register tile, KC, MC, NC and the scratch block of C rows), random strides
 * (transposed, negative steps, a broadcast row), row ranges, and both precisions. The tolerance is
 * the classic bound of a k-term dot product: |C - C_exact| <= k·u·(|A|·|B|), u the unit roundoff
 * of the precision (2^-53 for float64, 2^-24 for float32), checked element by element.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemm, type GemmPrecision, type MatrixOperand } from '../../../src/ops/kernels/matmul.js';

const UNIT_ROUNDOFF: Record<GemmPrecision, number> = { float64: 2 ** -53, float32: 2 ** -24 };

/** A rows x cols matrix of values in [-1, 1) laid out with the given orientation and step signs. */
function matrix(precision: GemmPrecision, rows: number, cols: number, seed: number, layout: { transposed: boolean; flipRows: boolean; flipCols: boolean; pad: number }): MatrixOperand {
  const Ctor = precision === 'float64' ? Float64Array : Float32Array;
  const ld = (layout.transposed ? rows : cols) + layout.pad;
  const data = new Ctor(ld * (layout.transposed ? cols : rows) + 3);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    data[i] = x / 2 ** 31 - 1;
  }
  let rowStride = layout.transposed ? 1 : ld;
  let colStride = layout.transposed ? ld : 1;
  let offset = 1;
  if (layout.flipRows && rows > 0) { offset += (rows - 1) * rowStride; rowStride = -rowStride; }
  if (layout.flipCols && cols > 0) { offset += (cols - 1) * colStride; colStride = -colStride; }
  return { data, offset, rowStride, colStride };
}

const at = (x: MatrixOperand, i: number, j: number): number => x.data[x.offset + i * x.rowStride + j * x.colStride]!;

/** Checks rows [r0, r1) of c against the triple loop, and that nothing else of c's buffer changed. */
function check(precision: GemmPrecision, m: number, n: number, k: number, a: MatrixOperand, b: MatrixOperand, c: MatrixOperand, r0: number, r1: number, before: Float64Array | Float32Array): void {
  const u = UNIT_ROUNDOFF[precision];
  const written = new Uint8Array(before.length);
  // A's row and B's columns copied out once, contiguous and float64: the same products in the
  // same order as read through the strides in the inner loop, without its polymorphic reads
  const bColumns = new Float64Array(n * k);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bColumns[j * k + p] = at(b, p, j);
  const aRow = new Float64Array(k);
  // C as float64 (exact for float32), so that the loops below read one kind of typed array
  const after = Float64Array.from(c.data), unchanged = Float64Array.from(before);
  for (let i = r0; i < r1; i++) {
    for (let p = 0; p < k; p++) aRow[p] = at(a, i, p);
    for (let j = 0; j < n; j++) {
      let exact = 0;
      let magnitude = 0;
      for (let p = 0, q = j * k; p < k; p++, q++) {
        const product = aRow[p]! * bColumns[q]!;
        exact += product;
        magnitude += Math.abs(product);
      }
      const got = after[c.offset + i * c.rowStride + j * c.colStride]!;
      const bound = (k + 2) * u * magnitude + 2 * u * Math.abs(exact) + Number.MIN_VALUE;
      if (!(Math.abs(got - exact) <= bound)) {
        expect.fail(`C[${i}, ${j}] of ${m}x${k} · ${k}x${n} (${precision}): got ${got}, expected ${exact} within ${bound}`);
      }
      written[c.offset + i * c.rowStride + j * c.colStride] = 1;
    }
  }
  for (let e = 0; e < before.length; e++) if (!written[e] && after[e] !== unchanged[e]) expect.fail(`element ${e} outside C's rows ${r0}..${r1} changed`);
}

const layoutArb = fc.record({ transposed: fc.boolean(), flipRows: fc.boolean(), flipCols: fc.boolean(), pad: fc.nat(3) });

describe('gemm', () => {
  it('agrees with a triple loop for random shapes, strides, row ranges and precisions', () => {
    fc.assert(fc.property(
      fc.constantFrom<GemmPrecision>('float64', 'float32'),
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 300 }),
      layoutArb, layoutArb, layoutArb, fc.nat(), fc.nat(), fc.nat(),
      (precision, m, n, k, la, lb, lc, seed, s0, s1) => {
        const a = matrix(precision, m, k, seed, la);
        const b = matrix(precision, k, n, seed + 1, lb);
        const c = matrix(precision, m, n, seed + 2, lc);
        const r0 = s0 % m;
        const r1 = r0 + 1 + (s1 % (m - r0));
        const before = c.data.slice();
        gemm(precision, n, k, a, b, c, r0, r1);
        check(precision, m, n, k, a, b, c, r0, r1, before);
      },
    ), { numRuns: 150 });
  });

  it.each(['float64', 'float32'] as const)('crosses every block boundary of the %s kernel (500 x 260 · 260 x 530)', (precision) => {
    const plain = { transposed: false, flipRows: false, flipCols: false, pad: 0 };
    const a = matrix(precision, 500, 260, 7, plain);
    const b = matrix(precision, 260, 530, 8, { ...plain, transposed: true });
    const c = matrix(precision, 500, 530, 9, plain);
    const before = c.data.slice();
    gemm(precision, 530, 260, a, b, c, 0, 500);
    check(precision, 500, 530, 260, a, b, c, 0, 500, before);
  });

  it.each(['float64', 'float32'] as const)('crosses the scratch block of C rows (%s, 4200 x 3 · 3 x 1030)', (precision) => {
    // B is packed again for each block of C rows held in scratch (8 MiB): 4200 rows of a full-width panel cross it
    const plain = { transposed: false, flipRows: false, flipCols: false, pad: 0 };
    const a = matrix(precision, 4200, 3, 10, plain);
    const b = matrix(precision, 3, 1030, 11, plain);
    const c = matrix(precision, 4200, 1030, 12, { ...plain, flipRows: true });
    const before = c.data.slice();
    gemm(precision, 1030, 3, a, b, c, 0, 4200);
    check(precision, 4200, 1030, 3, a, b, c, 0, 4200, before);
  });

  it('rounds a float64 product once into a float32 C', () => {
    const a = { data: Float64Array.of(1, 2 ** -30), offset: 0, rowStride: 2, colStride: 1 };
    const b = { data: Float64Array.of(1, 1), offset: 0, rowStride: 1, colStride: 1 };
    const c = { data: new Float32Array(1), offset: 0, rowStride: 1, colStride: 1 };
    gemm('float64', 1, 2, a, b, c, 0, 1);
    expect(c.data[0]).toBe(Math.fround(1 + 2 ** -30));
  });

  it('writes zeros for an empty inner dimension (k = 0)', () => {
    const c = { data: new Float64Array(6).fill(5), offset: 0, rowStride: 3, colStride: 1 };
    const empty = { data: new Float64Array(0), offset: 0, rowStride: 0, colStride: 1 };
    gemm('float64', 3, 0, empty, empty, c, 0, 2);
    expect([...c.data]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
