/**
 * Property tests of the reductions against a plain model written here: the view's elements read
 * with `get` into nested JS arrays, each output gathered by brute force over the reduced indices
 * (C order) and reduced with ordinary JS arithmetic. Random shapes (0-d to 3-d, axes of length 0
 * to 5), random views (a permutation of the axes, then a reversed or stepped axis), random axis
 * sets (none, one, negative, lists), keepdims. Data are small integers (as float64, int32, int8
 * or bool) so that sums and products are exact whatever the order; mean/var/std compare to 1e-12.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, type DType, type SharedNDArray } from '../../src/index.js';
import * as ops from '../../src/ops/reductions.js';

const params = (numRuns: number) => ({ seed: 0x5eed_0015, numRuns });

const prodOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const total = prodOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < total; k++) {
    out.push([...idx]);
    for (let j = shape.length - 1; j >= 0; j--) {
      if (++idx[j]! < shape[j]!) break;
      idx[j] = 0;
    }
  }
  return out;
}

type Name = 'sum' | 'prod' | 'mean' | 'var' | 'std' | 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all';

/** The model: one reduction of a list of numbers (in C order), as numpy defines it. */
function model(name: Name, xs: number[], ddof: number): number | boolean | undefined {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  switch (name) {
    case 'sum': return xs.reduce((a, b) => a + b, 0);
    case 'prod': return xs.reduce((a, b) => a * b, 1);
    case 'mean': return mean;
    case 'var': return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - ddof, 0);
    case 'std': return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - ddof, 0));
    case 'min': return n === 0 ? undefined : Math.min(...xs);
    case 'max': return n === 0 ? undefined : Math.max(...xs);
    case 'argmin': return n === 0 ? undefined : xs.indexOf(Math.min(...xs));
    case 'argmax': return n === 0 ? undefined : xs.indexOf(Math.max(...xs));
    case 'any': return xs.some((x) => x !== 0);
    case 'all': return xs.every((x) => x !== 0);
  }
}

const FNS = {
  sum: ops.sum, prod: ops.prod, mean: ops.mean, var: ops.var, std: ops.std, min: ops.min, max: ops.max,
  argmin: ops.argmin, argmax: ops.argmax, any: ops.any, all: ops.all,
} as Record<Name, (a: SharedNDArray, o: object) => unknown>;

const arbCase = fc.record({
  shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 }),
  dtype: fc.constantFrom<DType>('float64', 'int32', 'int8', 'bool', 'float32', 'uint16'),
  seed: fc.integer({ min: 0, max: 2 ** 30 }),
  perm: fc.integer({ min: 0, max: 5 }),
  flip: fc.integer({ min: -1, max: 2 }),
  step: fc.boolean(),
  axisPick: fc.integer({ min: 0, max: 7 }),
  keepdims: fc.boolean(),
  ddof: fc.constantFrom(0, 1),
  name: fc.constantFrom<Name>('sum', 'prod', 'mean', 'var', 'std', 'min', 'max', 'argmin', 'argmax', 'any', 'all'),
});

/** A view of a fresh array: axes permuted, one axis reversed or stepped. */
function makeView(shape: number[], dtype: DType, seed: number, perm: number, flip: number, step: boolean): SharedNDArray {
  let s = seed;
  const next = (): number => { s = (s * 1103515245 + 12345) % 2 ** 31; return s; };
  const values = Array.from({ length: prodOf(shape) }, () => {
    const v = (next() % 5) - 2;
    return dtype === 'bool' ? v > 0 : dtype === 'uint16' ? v + 2 : v;
  });
  let a = array(values, dtype).reshape(shape);
  const n = shape.length;
  if (n > 1) {
    const axes = [...Array(n).keys()];
    for (let i = 0; i < perm % n; i++) axes.push(axes.shift()!);
    if (perm >= 3) axes.reverse();
    a = a.transpose(axes);
  }
  if (n > 0 && flip >= 0) {
    const spec = Array.from({ length: n }, (_, i) => (i === flip % n ? (step ? '::-2' : '::-1') : null));
    a = a.slice(...spec);
  }
  return a;
}

function pickAxis(name: Name, ndim: number, pick: number): number | number[] | undefined {
  if (pick === 0 || ndim === 0) return undefined;
  if (name === 'argmin' || name === 'argmax' || pick <= 2) return (pick % ndim) - (pick % 2 === 0 ? ndim : 0);
  const list = [...Array(ndim).keys()].filter((i) => (pick >> (i % 3)) & 1);
  return pick === 7 ? [] : list;
}

describe('reductions against a nested-array model', () => {
  it('give the model\'s values, shapes and dtypes for random views, axes and keepdims', () => {
    fc.assert(fc.property(arbCase, (c) => {
      const a = makeView(c.shape, c.dtype, c.seed, c.perm, c.flip, c.step);
      const ndim = a.ndim;
      const axis = pickAxis(c.name, ndim, c.axisPick);
      const reduced = axis === undefined ? [...Array(ndim).keys()] : (Array.isArray(axis) ? axis : [axis]).map((x) => (x + ndim) % ndim);
      const kept = [...Array(ndim).keys()].filter((i) => !reduced.includes(i));
      const options = { ...(axis === undefined ? {} : { axis }), ...(c.keepdims ? { keepdims: true } : {}), ...(c.name === 'var' || c.name === 'std' ? { ddof: c.ddof } : {}) };
      const fn = FNS[c.name];
      const outShape = kept.map((i) => a.shape[i]!);
      const read = (idx: number[]): number => { const v = a.get(...idx); return typeof v === 'boolean' ? Number(v) : Number(v); };
      const expected = indices(outShape).map((o) => {
        const xs = indices(reduced.map((i) => a.shape[i]!)).map((r) => {
          const idx = new Array<number>(ndim);
          kept.forEach((k, j) => { idx[k] = o[j]!; });
          reduced.forEach((k, j) => { idx[k] = r[j]!; });
          return read(idx);
        });
        return model(c.name, xs, c.ddof);
      });
      // numpy refuses an empty run of an identityless reduction even with no outputs
      const emptyRun = reduced.some((i) => a.shape[i] === 0) && ['min', 'max', 'argmin', 'argmax'].includes(c.name);
      if (expected.includes(undefined) || emptyRun) {
        expect(() => fn(a, options)).toThrow(/empty|zero-size/);
        return;
      }
      const got = fn(a, options);
      const whole = axis === undefined && !c.keepdims;
      const values = whole ? [got] : (got as SharedNDArray).toArray();
      if (!whole) {
        const shape = c.keepdims ? a.shape.map((d, i) => (reduced.includes(i) ? 1 : d)) : outShape;
        expect((got as SharedNDArray).shape).toEqual(shape);
      }
      const flat = ([values] as unknown[]).flat(Infinity) as unknown[];
      expect(flat.length).toBe(expected.length);
      flat.forEach((v, i) => {
        const e = expected[i]!;
        const h = typeof v === 'bigint' || typeof v === 'boolean' ? (typeof e === 'boolean' ? v : Number(v)) : v;
        if (typeof e === 'number' && ['mean', 'var', 'std'].includes(c.name) && Number.isFinite(e)) {
          expect(Math.abs((h as number) - e)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)) * (c.dtype === 'float32' ? 1e5 : 1));
        } else {
          // integer products have no -0 (numpy's neither); the float model's -0 equals 0 here
          expect(typeof h === 'number' ? h + 0 : h).toEqual(typeof e === 'number' ? e + 0 : e);
        }
      });
    }), params(1500));
  });
});
