/**
 * Property tests of the elementwise operations against a plain model written here: nested JS
 * arrays, numpy broadcasting by index arithmetic on them, and exact arithmetic (bigints for
 * integers, then wrapped to the result dtype; floats rounded once to float32 where the result is
 * float32). Inputs are random shapes that broadcast, random dtypes and values, and random views
 * (transposed, reversed, stepped); some calls write into an `out` of another dtype the result
 * casts to under `same_kind`, or into one of the inputs itself. The result dtype comes from
 * `resultType`, which fixtures.test.ts checks against numpy; here the values are the question.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, array, maximum, multiply, less, subtract, where, zeros } from '../../src/index.js';
import type { DType, SharedNDArray } from '../../src/index.js';
import { canCastSameKind, resultType } from '../../src/ops/dtypes.js';

const params = (numRuns: number) => ({ seed: 0x0e1e_2026, numRuns });

type V = number | bigint | boolean;
type Nested = V | Nested[];
const INT_BITS: Partial<Record<DType, [number, boolean]>> = {
  int8: [8, true], uint8: [8, false], int16: [16, true], uint16: [16, false], int32: [32, true], uint32: [32, false], int64: [64, true], uint64: [64, false],
};
const DTYPES: DType[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** An element of `dtype` in the model's exact domain: bigint for integers and bools, number for floats. */
const exact = (v: V, dtype: DType): bigint | number => (isFloat(dtype) ? Number(v) : typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v));

/** `x` as an element of `dtype`, numpy's unsafe cast (wrapping integers). */
function castTo(x: bigint | number, dtype: DType): V {
  const bits = INT_BITS[dtype];
  if (dtype === 'bool') return x !== 0n && x !== 0;
  if (bits) {
    const [n, signed] = bits;
    const b = typeof x === 'bigint' ? x : BigInt(Math.trunc(x));
    const w = signed ? BigInt.asIntN(n, b) : BigInt.asUintN(n, b);
    return n === 64 ? w : Number(w);
  }
  const f = Number(x);
  return dtype === 'float32' ? Math.fround(f) : f;
}

type Op = 'add' | 'subtract' | 'multiply' | 'maximum' | 'less';
const FNS = { add, subtract, multiply, maximum, less };

function model(op: Op, x: bigint | number, y: bigint | number, floaty: boolean): bigint | number | boolean {
  if (floaty || typeof x === 'number' || typeof y === 'number') {
    const a = Number(x), b = Number(y);
    if (op === 'add') return a + b;
    if (op === 'subtract') return a - b;
    if (op === 'multiply') return a * b;
    if (op === 'less') return a < b;
    return a >= b || Number.isNaN(a) ? a : b;
  }
  const a = x as bigint, b = y as bigint;
  if (op === 'add') return a + b;
  if (op === 'subtract') return a - b;
  if (op === 'multiply') return a * b;
  if (op === 'less') return a < b;
  // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
  return b > a ? b : a;
}

/** The element of `nested` (shape `shape`) that broadcasting to `target` puts at `idx`. */
function at(nested: Nested, shape: readonly number[], idx: readonly number[], target: readonly number[]): V {
  let v = nested;
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) v = (v as Nested[])[shape[i] === 1 ? 0 : idx[lead + i]!]!;
  return v as V;
}

function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [[]];
  for (const len of shape) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < len; i++) next.push([...prefix, i]);
    out.splice(0, out.length, ...next);
  }
  return out;
}

function getAt(a: SharedNDArray, idx: number[]): V {
  return a.get(...idx) as V;
}

const elementOf = (dtype: DType): fc.Arbitrary<V> => {
  if (dtype === 'bool') return fc.boolean();
  const bits = INT_BITS[dtype];
  if (bits) {
    const [n, signed] = bits;
    const lo = signed ? -(2n ** BigInt(n - 1)) : 0n, hi = signed ? 2n ** BigInt(n - 1) - 1n : 2n ** BigInt(n) - 1n;
    return fc.bigInt({ min: lo, max: hi }).map((b) => (n === 64 ? b : Number(b)));
  }
  return fc.oneof(fc.double({ noDefaultInfinity: false }), fc.integer({ min: -100, max: 100 })).map((v) => (dtype === 'float32' ? Math.fround(v) : v));
};

/** A base shape and two shapes that broadcast to it, with dims dropped or set to 1. */
const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 }).chain((base) =>
  fc.tuple(fc.constant(base), ...[0, 1].map(() => fc.tuple(fc.integer({ min: 0, max: base.length }), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length })).map(([drop, ones]) => base.slice(drop).map((len, i) => (ones[i + drop] ? 1 : len))))));

/** An array of `shape` and `dtype` with random values, as a random view: plain, reversed along axis 0, or a transpose of its transpose. */
const arrayOf = (shape: number[], dtype: DType) => fc.tuple(
  fc.array(elementOf(dtype), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }),
  fc.constantFrom('plain', 'reversed', 'transposed'),
).map(([flat, view]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  let a: SharedNDArray;
  if (view === 'transposed' && shape.length >= 2) {
    // lay the values out transposed in memory, then view them in shape: strides not C order
    const t = array(flat.slice(0, n), dtype).reshape([...shape].reverse());
    a = t.T;
  } else {
    a = array(flat.slice(0, n), dtype).reshape(shape);
    if (view === 'reversed' && shape.length >= 1) a = a.slice('::-1');
  }
  return a;
});

describe('elementwise ops against a nested-array model', () => {
  it('broadcasting, promotion and values, with views of any strides and out of another dtype', () => {
    const input = shapes.chain(([base, s1, s2]) => fc.tuple(
      fc.constant(base as number[]), fc.constantFrom<Op>('add', 'subtract', 'multiply', 'maximum', 'less'),
      fc.constantFrom(...DTYPES).chain((d) => arrayOf(s1 as number[], d)),
      fc.constantFrom(...DTYPES).chain((d) => arrayOf(s2 as number[], d)),
      fc.constantFrom(...DTYPES, null),
    ));
    fc.assert(fc.property(input, ([, op, a, b, outDtype]) => {
      const result = op === 'less' ? 'bool' : resultType([a.dtype, b.dtype]);
      if (op === 'subtract' && result === 'bool') return;
      // numpy broadcasting, by hand: align at the last axis, a length 1 takes the other's
      const ndim = Math.max(a.ndim, b.ndim);
      const shape = Array.from({ length: ndim }, (_, i) => {
        const la = a.shape[a.ndim - ndim + i] ?? 1, lb = b.shape[b.ndim - ndim + i] ?? 1;
        return la === 1 ? lb : la;
      });
      const useOut = outDtype !== null && canCastSameKind(result, outDtype);
      const out = useOut ? zeros(shape, outDtype) : undefined;
      const got = FNS[op](a, b, { out });
      expect(got.dtype).toBe(useOut ? outDtype : result);
      expect(got.shape).toEqual(shape);
      const floaty = result === 'float32' || result === 'float64';
      const na = a.toArray() as Nested, nb = b.toArray() as Nested;
      for (const idx of indices(shape)) {
        const x = exact(at(na, a.shape, idx, shape), a.dtype), y = exact(at(nb, b.shape, idx, shape), b.dtype);
        let v = model(op, x, y, floaty);
        if (typeof v === 'boolean') v = v ? 1n : 0n;
        const want = castTo(exact(castTo(v, result), result), got.dtype);
        const have = getAt(got, idx);
        if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(have as number)).toBe(true);
        else expect(have, `${op}(${a.dtype}, ${b.dtype}) at [${idx}]`).toEqual(want);
      }
    }), params(300));
  });

  it('out that is one of the inputs (the very same view) is updated in place correctly', () => {
    const input = fc.tuple(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), fc.constantFrom<DType>('int32', 'float64', 'int64', 'uint8'))
      .chain(([shape, d]) => fc.tuple(arrayOf(shape, d), arrayOf(shape, d)));
    fc.assert(fc.property(input, ([a, b]) => {
      const before = a.toArray() as Nested, nb = b.toArray() as Nested;
      add(a, b, { out: a });
      for (const idx of indices(a.shape)) {
        const x = exact(at(before, a.shape, idx, a.shape), a.dtype), y = exact(at(nb, b.shape, idx, a.shape), b.dtype);
        const want = castTo(typeof x === 'number' ? x + (y as number) : x + (y as bigint), a.dtype);
        if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(getAt(a, idx) as number)).toBe(true);
        else expect(getAt(a, idx)).toEqual(want);
      }
    }), params(100));
  });

  it('out overlapping an input at an offset reads the input as it was (numpy copies it)', () => {
    const a = array([1, 2, 3, 4, 5, 6], 'int32');
    add(a.slice('1:'), a.slice(':-1'), { out: a.slice('1:') });
    expect(a.toArray()).toEqual([1, 3, 5, 7, 9, 11]);
    const b = array([1, 2, 3, 4, 5, 6], 'int32');
    add(b.slice(':-1'), 10, { out: b.slice('1:') });
    expect(b.toArray()).toEqual([1, 11, 12, 13, 14, 15]);
  });

  it('where picks by numpy truthiness of any dtype', () => {
    const cond = array([0, Number.NaN, -0, 2.5]);
    // two Python ints and no array among a and b: int64, as numpy
    expect(where(cond, 1, 0).toArray()).toEqual([0n, 1n, 0n, 1n]);
    expect(where(cond, array([1, 1, 1, 1], 'int8'), 0).toArray()).toEqual([0, 1, 0, 1]);
  });
});
