/**
 * matmul and dot against numpy's own results (fixtures/ops/matmul.json, made by
 * fixtures/ops/generate_matmul.py with Debian's numpy and its reference BLAS): shapes, result
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
import { dot, matmul } from '../../src/ops/matmul.js';

interface OperandSpec { n: number; dtype: 'float32' | 'float64'; shape: number[]; ops: Array<{ op: 'transpose'; axes: number[] | null } | { op: 'slice'; index: Array<string | number> }> }
type Nested = number | Nested[];
interface Case {
  id: string;
  fn: 'matmul' | 'dot';
  a: OperandSpec;
  b: OperandSpec;
  out?: { shape: number[]; dtype: 'float32' | 'float64' | 'int32' };
  result: { shape: number[]; dtype: string; values: Nested } | { error: string; message: string };
}

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/ops/matmul.json', import.meta.url), 'utf8')) as { cases: Case[] };
const UNIT_ROUNDOFF = { float64: 2 ** -53, float32: 2 ** -24 } as const;

function build(spec: OperandSpec): SharedNDArray {
  const values = Array.from({ length: spec.n }, (_, i) => ((i * 7919) % 1000) / 997 - 0.5);
  let x: SharedNDArray = array(values, spec.dtype).reshape(spec.shape);
  for (const op of spec.ops) x = op.op === 'transpose' ? (op.axes ? x.transpose(op.axes) : x.transpose()) : x.slice(...op.index);
  return x;
}

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

/**
 * The model: numpy's matmul rules written out plainly over nested values. Returns the result's
 * shape, its values and |A|·|B| (both flat, C order), k, and the values summed in float64.
 */
function model(a: SharedNDArray, b: SharedNDArray): { shape: number[]; values: number[]; magnitude: number[]; k: number } {
  const aShape = a.ndim === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.ndim === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const nb = Math.max(aBatch.length, bBatch.length);
  const batch = Array.from({ length: nb }, (_, d) => Math.max(aBatch[d - (nb - aBatch.length)] ?? 1, bBatch[d - (nb - bBatch.length)] ?? 1));
  const [m, k] = aShape.slice(-2) as [number, number];
  const n = bShape[bShape.length - 1]!;
  const pick = (own: number[], idx: number[]) => idx.slice(nb - own.length).map((v, d) => (own[d] === 1 ? 0 : v));
  const values: number[] = [], magnitude: number[] = [];
  const total = batch.reduce((x, y) => x * y, 1);
  for (let q = 0; q < total; q++) {
    const idx: number[] = [];
    for (let d = nb - 1, r = q; d >= 0; d--) { idx.unshift(r % batch[d]!); r = Math.floor(r / batch[d]!); }
    const ai = pick(aBatch, idx), bi = pick(bBatch, idx);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, t = 0;
        for (let p = 0; p < k; p++) {
          const x = (a.ndim === 1 ? a.get(p) : a.get(...ai, i, p)) as number;
          const y = (b.ndim === 1 ? b.get(p) : b.get(...bi, p, j)) as number;
          s += x * y;
          t += Math.abs(x * y);
        }
        values.push(s);
        magnitude.push(t);
      }
    }
  }
  return { shape: [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])], values, magnitude, k };
}

function expectClose(got: number[], want: number[], magnitude: number[], k: number, dtype: 'float32' | 'float64', factor: number, id: string): void {
  expect(got.length).toBe(want.length);
  const u = UNIT_ROUNDOFF[dtype];
  for (let i = 0; i < got.length; i++) {
    const bound = factor * (k + 2) * u * magnitude[i]! + Number.MIN_VALUE;
    if (!(Math.abs(got[i]! - want[i]!) <= bound)) expect.fail(`${id}: element ${i}: got ${got[i]}, expected ${want[i]} within ${bound}`);
  }
}

const valuesOf = (r: SharedNDArray | number): number[] => (typeof r === 'number' ? [r] : flat(r.toArray() as Nested));

describe('matmul and dot against numpy', () => {
  it.each(fixtures.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const a = build(c.a), b = build(c.b);
    const f = c.fn === 'matmul' ? matmul : dot;
    const out = c.out ? zeros(c.out.shape, c.out.dtype) : undefined;
    const call = () => f(a, b, out ? { out } : undefined);
    if ('error' in c.result) {
      const Class = c.result.error === 'UFuncTypeError' ? DTypeError : ShapeError;
      expect(call).toThrow(Class);
      expect(call).toThrow(new RegExp(`^${c.fn}: invalid argument '(a|b|options\\.out)'`));
      return;
    }
    const r = call();
    const { shape, dtype, values } = c.result;
    if (shape.length === 0 && !out) {
      expect(typeof r).toBe('number');
    } else {
      const arr = r as SharedNDArray;
      expect(arr.shape).toEqual(shape);
      expect(arr.dtype).toBe(out ? c.out!.dtype : dtype);
      if (out) expect(arr).toBe(out);
    }
    const ref = model(a, b);
    const precision = (out ? c.out!.dtype : dtype) === 'float32' || dtype === 'float32' ? 'float32' : 'float64';
    expectClose(valuesOf(r), flat(values), ref.magnitude, ref.k, precision, 2, c.id);
  });

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

describe('matmul argument errors', () => {
  const m = array([[1, 2], [3, 4]]);
  it.each([
    ['a plain array', () => matmul([[1]] as never, m), ArgumentError, /^matmul: invalid argument 'a': expected a SharedNDArray, got \[\[1\]\]/],
    ['an int32 operand', () => matmul(m, array([[1, 2], [3, 4]], 'int32')), DTypeError, /^matmul: invalid argument 'b': expected a float32 or float64 array, got an int32 array/],
    ['a 0-d operand', () => matmul(zeros([]), m), ShapeError, /^matmul: invalid argument 'a': expected an array of at least 1 dimension/],
    ['a 3-d operand of dot', () => dot(zeros([2, 2, 2]), m), ShapeError, /^dot: invalid argument 'a': dot takes 1-d and 2-d arrays/],
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
