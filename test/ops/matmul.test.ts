/**
 * matmul and dot against numpy's own results (fixtures/ops/matmul.json, made by
 * fixtures/ops/generate_matmul.py with Debian's numpy and its reference BLAS; the products large
 * enough for the pool are checked in matmul.thread.test.ts): shapes, result
 * dtypes, values and refusals, over transposed, reversed and broadcast views. Values agree within
 * 2·(k + 2)·u·(|A|·|B|) element by element (u the unit roundoff of the result's precision, 2^-53
 * or 2^-24): numpy and this package are each within (k + 2)·u·(|A|·|B|) of the exact product.
 * Then what the fixtures cannot show: writing into `out` (strided, overlapping an operand), the
 * argument errors, and a fast-check comparison with a plain model over random n-d batches.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError } from '../../src/errors.js';
import { array, zeros } from '../../src/ndarray/create.js';
import { SharedNDArray } from '../../src/ndarray/ndarray.js';
import { dot, matmul } from '../../src/ops/index.js';
import { MATMUL_INLINE_WORK } from '../../src/ops/matmul.js';
import { checkFixture, expectClose, fixtures, model, valuesOf, work } from '../support/matmul.js';

describe('matmul and dot against numpy', () => {
  // the larger products run on the pool: matmul.thread.test.ts checks those
  it.each(fixtures.cases.filter((c) => work(c) < MATMUL_INLINE_WORK).map((c) => [c.id, c] as const))('%s', (_id, c) => checkFixture(c));

  it('the fixtures were made by numpy and cover the refusals', () => {
    const meta = (JSON.parse(readFileSync(new URL('../../fixtures/ops/matmul.json', import.meta.url), 'utf8')) as { meta: { numpy: string } }).meta;
    expect(meta.numpy).toMatch(/^\d+\.\d+/);
    expect(fixtures.cases.filter((c) => 'error' in c.result).length).toBeGreaterThanOrEqual(5);
  });
});

describe('matmul out', () => {
  it('writes into a strided view of a larger array and leaves the rest alone', () => {
    const a = array([[1, 2], [3, 4], [5, 6]]);
    const b = array([[1, 0, 2], [0, 1, 3]]);
    const big = zeros([6, 8]).fill(-1);
    const out = big.slice('::2', '1:7:2');
    expect(matmul(a, b, { out })).toBe(out);
    expect(out.toArray()).toEqual([[1, 2, 8], [3, 4, 18], [5, 6, 28]]);
    let untouched = 0;
    for (let i = 0; i < big.size; i++) if (big.data[i] === -1) untouched++;
    expect(untouched).toBe(48 - 9);
  });

  it('gives numpy\'s result when out is an operand (a = a @ b in place)', () => {
    const a = array([[1, 2], [3, 4]]);
    const b = array([[0, 1], [1, 0]]);
    matmul(a, b, { out: a });
    expect(a.toArray()).toEqual([[2, 1], [4, 3]]);
    const c = array([[1, 2], [3, 4]]);
    matmul(c, c.T, { out: c.T });
    // c.T becomes c @ c.T = [[5, 11], [11, 25]], which is symmetric
    expect(c.toArray()).toEqual([[5, 11], [11, 25]]);
  });

  it('into a 0-d out for two vectors', () => {
    const out = zeros([]);
    expect(matmul(array([1, 2, 3]), array([4, 5, 6]), { out })).toBe(out);
    expect(out.get()).toBe(32);
  });
});

describe('the dot method', () => {
  it('a.dot(b) is dot(a, b)', () => {
    const a = array([[1, 2], [3, 4]]);
    expect((a.dot(array([1, 1])) as SharedNDArray).toArray()).toEqual([3, 7]);
    expect(array([1, 2]).dot(array([3, 4]))).toBe(11);
  });
});

describe('matmul argument errors', () => {
  const m = array([[1, 2], [3, 4]]);
  it.each([
    ['a plain array', () => matmul([[1]] as never, m), ArgumentError, /^matmul: invalid argument 'a': expected a SharedNDArray, got \[\[1\]\]/],
    ['an int32 operand', () => matmul(m, array([[1, 2], [3, 4]], 'int32')), DTypeError, /^matmul: invalid argument 'b': expected a float32 or float64 array, got an int32 array/],
    ['a 0-d operand', () => matmul(zeros([]), m), ShapeError, /^matmul: invalid argument 'a': expected an array of at least 1 dimension/],
    ['a 3-d operand of dot', () => dot(zeros([2, 2, 2]), m), ShapeError, /^dot: invalid argument 'a': dot takes 1-d and 2-d arrays/],
    ['a pool that is not one', () => matmul(m, m, { pool: {} as never }), ArgumentError, /^matmul: invalid argument 'options.pool': expected a Pool, got an object/],
    ['an unknown option', () => matmul(m, m, { output: m } as never), ArgumentError, /^matmul: invalid argument 'options': unknown option "output"/],
    ['a read-only out', () => matmul(m, m, { out: new SharedNDArray([2, 2], { readonly: true }) }), ArgumentError, /^matmul: invalid argument 'options.out': the array is read-only/],
  ] as const)('%s', (_name, call, Class, message) => {
    expect(call).toThrow(Class);
    expect(call).toThrow(message);
  });
});

describe('matmul against the model', () => {
  const dims = fc.integer({ min: 0, max: 6 });
  it('agrees over random shapes with batches, broadcast batch dimensions, 1-d operands and reversed views', () => {
    fc.assert(fc.property(
      fc.record({ m: dims, k: dims, n: dims, batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }) }),
      fc.record({ aOneD: fc.boolean(), bOneD: fc.boolean(), aDrop: fc.nat(2), bDrop: fc.nat(2), aBroadcast: fc.boolean(), flip: fc.boolean() }),
      fc.constantFrom('float32', 'float64'), fc.constantFrom('float32', 'float64'),
      ({ m, k, n, batch }, o, da, db) => {
        const aBatch = o.aBroadcast ? batch.map(() => 1) : batch.slice(Math.min(o.aDrop, batch.length));
        const bBatch = batch.slice(Math.min(o.bDrop, batch.length));
        const aShape = o.aOneD ? [k] : [...aBatch, m, k];
        const bShape = o.bOneD ? [k] : [...bBatch, k, n];
        const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
        let a: SharedNDArray = array(Array.from({ length: size(aShape) }, (_, i) => Math.sin(i + 1)), da).reshape(aShape);
        const b: SharedNDArray = array(Array.from({ length: size(bShape) }, (_, i) => Math.cos(i * 3)), db).reshape(bShape);
        if (o.flip) a = a.slice(...aShape.map(() => '::-1'));
        const ref = model(a, b);
        const r = matmul(a, b);
        const dtype = da === 'float32' && db === 'float32' ? 'float32' : 'float64';
        if (ref.shape.length === 0) expect(typeof r).toBe('number');
        else {
          expect((r as SharedNDArray).shape).toEqual(ref.shape);
          expect((r as SharedNDArray).dtype).toBe(dtype);
        }
        expectClose(valuesOf(r), ref.values, ref.magnitude, ref.k, dtype, 1, 'property');
      },
    ), { numRuns: 200 });
  });
});
