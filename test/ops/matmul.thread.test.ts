/**
 * matmul and dot split over a pool by row blocks of the result: the blocking and async forms, on
 * the default pool and on a pool of the caller's, give exactly the numbers of the same kernel run
 * on this thread (a row block changes which thread computes an element, not how), for plain
 * matrices, strided views, batches whose blocks cut through a matrix, and float32. Shapes, errors
 * and accuracy against numpy are in matmul.test.ts, but for numpy's fixtures too large to run inline.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { array, zeros } from '../../src/ndarray/create.js';
import type { SharedNDArray } from '../../src/ndarray/ndarray.js';
import { Pool } from '../../src/pool/pool.js';
import { gemm } from '../../src/ops/kernels/matmul.js';
import { dot, dotAsync, matmul, matmulAsync } from '../../src/ops/index.js';
import { MATMUL_INLINE_WORK } from '../../src/ops/matmul.js';
import { checkFixture, fixtures, work } from '../support/matmul.js';
import { PoolStateError } from '../../src/errors.js';

const pattern = (shape: number[], dtype: 'float32' | 'float64' = 'float64', from = 0): SharedNDArray => {
  const size = shape.reduce((x, y) => x * y, 1);
  return array(Array.from({ length: size }, (_, i) => (((i + from) * 7919) % 1000) / 997 - 0.5), dtype).reshape(shape);
};

/** The product of 2-d (or batched, same batch shape) operands by the kernel, on this thread, batch by batch. */
function local(a: SharedNDArray, b: SharedNDArray): number[] {
  const nd = a.ndim;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[nd - 1]!;
  const batches = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const precision = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  const out: number[] = [];
  for (let q = 0; q < batches; q++) {
    const A = (nd > 2 ? a.reshape(batches, m, k).slice(q) : a).copy();
    const B = (nd > 2 ? b.reshape(batches, k, n).slice(q) : b).copy();
    const C = precision === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
    gemm(precision, n, k, { data: A.data as Float64Array, offset: 0, rowStride: k, colStride: 1 }, { data: B.data as Float64Array, offset: 0, rowStride: n, colStride: 1 }, { data: C, offset: 0, rowStride: n, colStride: 1 }, 0, m);
    out.push(...C);
  }
  return out;
}

const values = (x: SharedNDArray | number): number[] => (typeof x === 'number' ? [x] : [...x.copy().data as Float64Array]);

describe('numpy\'s fixtures too large to run inline', () => {
  const large = fixtures.cases.filter((c) => work(c) >= MATMUL_INLINE_WORK);
  it('there are some', () => expect(large.length).toBeGreaterThanOrEqual(2));
  it.each(large.map((c) => [c.id, c] as const))('%s', (_id, c) => checkFixture(c));
});

describe('matmul over a pool', () => {
  const pool = new Pool(new URL('../support/pool-basic.mjs', import.meta.url), { size: 3 });
  afterAll(() => pool.terminate());

  it('the blocking form on the default pool gives the kernel\'s numbers (300 x 200 · 200 x 250)', () => {
    const a = pattern([300, 200]), b = pattern([200, 250], 'float64', 7);
    expect(values(matmul(a, b))).toEqual(local(a, b));
  });

  it('the async form on the default pool, into a strided out', async () => {
    const a = pattern([257, 130]), b = pattern([130, 129], 'float64', 3);
    const big = zeros([257, 258]);
    const out = big.slice(null, '::2');
    await expect(matmulAsync(a, b, { out })).resolves.toBe(out);
    expect(values(out)).toEqual(local(a, b));
  });

  it('on a pool of the caller\'s, blocking and async, transposed and reversed operands', async () => {
    const a = pattern([180, 240]).T, b = pattern([180, 170], 'float64', 5).slice('::-1', null);
    const want = local(a.copy(), b.copy());
    const before = pool.stats().completed;
    expect(values(matmul(a, b, { pool }))).toEqual(want);
    expect(values(await matmulAsync(a, b, { pool }))).toEqual(want);
    // one row block per worker, each form: the product really ran on this pool (a blocking
    // call's replies are counted once the event loop takes them in, hence the wait)
    await vi.waitFor(() => expect(pool.stats().completed - before).toBe(6));
  });

  it('a batch whose row blocks cut through its matrices (5 x 61 x 100 · 5 x 100 x 90, 3 workers)', async () => {
    const a = pattern([5, 61, 100]), b = pattern([5, 100, 90], 'float64', 11);
    const before = pool.stats().completed;
    expect(values(await matmulAsync(a, b, { pool }))).toEqual(local(a, b));
    expect(pool.stats().completed - before).toBe(3);
  });

  it('float32 operands give a float32 result', async () => {
    const a = pattern([150, 160], 'float32'), b = pattern([160, 140], 'float32', 2);
    const r = (await matmulAsync(a, b, { pool })) as SharedNDArray;
    expect(r.dtype).toBe('float32');
    expect(values(r)).toEqual(local(a, b));
  });

  it('dot and dotAsync of matrices on the pool', async () => {
    const a = pattern([400, 300]), b = pattern([300, 40], 'float64', 1);
    const before = pool.stats().completed;
    expect(values(dot(a, b, { pool }))).toEqual(local(a, b));
    expect(values(await dotAsync(a, b, { pool }))).toEqual(local(a, b));
    await vi.waitFor(() => expect(pool.stats().completed - before).toBe(6));
  });

  it('a product below the inline threshold does not touch the pool', async () => {
    const before = pool.stats().completed;
    const a = pattern([120, 120]);
    expect(values(await matmulAsync(a, a, { pool }))).toEqual(local(a, a));
    expect(pool.stats().completed).toBe(before);
  });

  it('a terminated pool is refused', async () => {
    const gone = new Pool(new URL('../support/pool-basic.mjs', import.meta.url), { size: 1 });
    await gone.terminate();
    const a = pattern([200, 200]);
    await expect(matmulAsync(a, a, { pool: gone })).rejects.toThrow(PoolStateError);
  });
});
