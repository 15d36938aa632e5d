/**
 * Reductions over a pool: the same bits on 1 thread, on 2 threads and inline (an array in a plain
 * ArrayBuffer cannot be shared, so it runs on the calling thread), blocking and async, for a full
 * reduction, sums down many rows, long rows, exact integer sums, var/std and NaN-first argmax.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  Pool, SharedNDArray, argmax, argmaxAsync, max, mean, std, stdAsync, sum, sumAsync, var as variance,
} from '../../src/index.js';

const POOL_WORKER = new URL('../support/pool-basic.mjs', import.meta.url);

/**
 * Each seed's pseudo-random doubles (mixed signs and magnitudes), as far as they were asked for:
 * every array of a seed holds a prefix of one sequence, so the values are made once (making them
 * anew for each array, shared and plain, was most of this file's CPU).
 */
const sequences = new Map<number, { values: Float64Array; s: number }>();
function sequence(seed: number, n: number): Float64Array {
  const known = sequences.get(seed) ?? { values: new Float64Array(0), s: seed };
  if (known.values.length < n) {
    const values = new Float64Array(n);
    values.set(known.values);
    let s = known.s;
    for (let i = known.values.length; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      values[i] = ((s / 2 ** 31) - 0.5) * 2 ** ((s % 30) - 15);
    }
    sequences.set(seed, { values, s });
    return values;
  }
  return known.values.subarray(0, n);
}
afterAll(() => sequences.clear());

/** The same pseudo-random doubles in shared or in plain memory. */
function noisy(shape: number[], shared: boolean, seed = 1): SharedNDArray<'float64'> {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new SharedNDArray(shape, { dtype: 'float64', buffer: shared ? new SharedArrayBuffer(n * 8) : new ArrayBuffer(n * 8) });
  a.data.set(sequence(seed, n));
  return a;
}

const values = (r: unknown): unknown => (r instanceof SharedNDArray ? r.toArray() : r);

describe('reductions on a pool', () => {
  const one = new Pool(POOL_WORKER, { size: 1 });
  const two = new Pool(POOL_WORKER, { size: 2 });
  afterAll(async () => { await one.terminate(); await two.terminate(); });

  const cases: Array<[string, number[], (a: SharedNDArray, pool?: Pool) => unknown]> = [
    ['sum of everything', [1 << 20], (a, pool) => sum(a, { pool })],
    ['sum down 2^17 rows of 3', [1 << 17, 3], (a, pool) => sum(a, { axis: 0, pool })],
    ['mean along rows of 2^14, transposed view', [1 << 14, 64], (a, pool) => mean(a.T, { axis: 1, pool })],
    ['var down rows, ddof 1', [1 << 16, 5], (a, pool) => variance(a, { axis: 0, ddof: 1, pool })],
    ['std of a reversed view', [1 << 19], (a, pool) => std(a.slice('::-1'), { pool })],
    ['exact int32 sum along axis 1', [3000, 100], (a, pool) => sum(a.astype('int32'), { axis: 1, pool })],
    ['max down rows', [1 << 16, 4], (a, pool) => max(a, { axis: 0, pool })],
    // many outputs down rows: blocks of whole rows, their partial rows combined pairwise
    ['sum down 3001 rows of 700', [3001, 700], (a, pool) => sum(a, { axis: 0, pool })],
    ['mean down 2^12 rows of 2^10, keepdims', [1 << 12, 1 << 10], (a, pool) => mean(a, { axis: 0, keepdims: true, pool })],
    ['argmax down 5000 rows of 100', [5000, 100], (a, pool) => argmax(a, { axis: 0, pool })],
    ['argmax along 600 rows of 1000 (contiguous runs)', [600, 1000], (a, pool) => argmax(a, { axis: 1, pool })],
  ];
  for (const [name, shape, reduce] of cases) {
    it(`${name}: the same on 1 thread, 2 threads and inline`, () => {
      const inline = values(reduce(noisy(shape, false)));
      const shared = noisy(shape, true);
      expect(values(reduce(shared, one))).toEqual(inline);
      expect(values(reduce(shared, two))).toEqual(inline);
    }, 60_000);
  }

  it('async forms give the blocking forms\' results', async () => {
    const a = noisy([1 << 16, 3], true, 9);
    const before = two.stats().completed;
    expect((await sumAsync(a, { axis: 0, pool: two })).toArray()).toEqual(sum(a, { axis: 0, pool: one }).toArray());
    // its blocks ran as tasks of the pool, not inline
    expect(two.stats().completed - before).toBeGreaterThanOrEqual(2);
    expect(await stdAsync(a, { ddof: 1, pool: two })).toBe(std(a, { ddof: 1, pool: one }));
    expect(await a.meanAsync({ pool: two })).toBe(a.mean({ pool: one }));
  }, 60_000);

  it('argmax finds the first NaN and the first maximum across blocks and threads', async () => {
    const n = 1 << 20;
    const a = noisy([n], true, 3);
    a.data[n - 10] = 1e9;
    a.data[n - 3] = 1e9;
    expect(argmax(a, { pool: two })).toBe(n - 10);
    a.data[n - 7] = Number.NaN;
    a.data[n - 5] = Number.NaN;
    expect(await argmaxAsync(a, { pool: two })).toBe(n - 7);
    expect(argmax(a, { pool: one })).toBe(n - 7);
  }, 60_000);

  it('rejects a pool that is not one', async () => {
    const a = noisy([4], true);
    expect(() => sum(a, { pool: {} as Pool })).toThrow(/sum: invalid argument 'options.pool': expected a Pool/);
    await expect(sumAsync(a, { pool: 3 as unknown as Pool })).rejects.toThrow(/sumAsync: invalid argument 'options.pool'/);
  });
});
