/**
 * Checks SharedNDArray against numpy 1.24's own answers, recorded in fixtures/numpy/views.json by
 * fixtures/numpy/generate.py (regenerate with `/usr/bin/python3 fixtures/numpy/generate.py`; this
 * test only reads the committed JSON and needs no python).
 *
 * For each case the input is rebuilt with the package exactly as numpy built it, the same
 * operation is applied, and shape, dtype, values, contiguity flags and view-vs-copy are compared.
 * "View" means what numpy's `np.shares_memory(result, root)` says: here the result must use the
 * root's buffer and every element written through the result must change exactly one element of
 * the root (and the one with the value we read). "Copy" means the buffer differs and writes
 * through the result leave the root alone. Empty results share no memory in numpy's sense, so
 * their view-ness is not checked.
 *
 * numpy's exceptions map onto the package's typed errors (see ERRORS below). Places where the
 * package deliberately differs from numpy are adapted and marked "deliberate".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BufferError, CopyRequiredError, DTYPES, DTypeError, IndexError, ShapeError, type SharedNDArray, arange, array, dtype,
  frombuffer, newaxis,
  type DType, type DTypeLike, type FromBufferOptions, type IndexSpec, type Scalar, type ScalarInput,
} from '../../src/index.js';

// ---- fixture types --------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type IndexJson = number | string | { newaxis: true };
type Op = { op: 'transpose'; axes: number[] | null } | { op: 'slice'; index: IndexJson[] };

interface Input {
  make: 'arange' | 'list';
  dtype: DType;
  n?: number;
  shape?: number[];
  order?: 'C' | 'F';
  values?: Json;
  ops?: Op[];
  expr: string;
}
interface ArrayResult {
  shape: number[];
  dtype: DType;
  values: Json;
  /** np.shares_memory(result, root); null for empty results. */
  view: boolean | null;
  c_contiguous?: boolean;
  f_contiguous?: boolean;
}
interface ScalarResult { scalar: true; dtype: DType; values: Json }
interface ErrorResult { error: string; message: string }
type Result = ArrayResult | ScalarResult | ErrorResult;

interface Case { id: string; input: Input; result: Result }
interface ReshapeCase extends Case { newshape: number[]; order: 'C' | 'F' }
interface SliceCase extends Case { index: IndexJson[] }
interface TransposeCase extends Case { axes: number[] | null }
interface RavelCase extends Case { method: 'ravel' | 'flatten'; order: 'C' | 'F' }
interface AxisCase extends Case { axis: number | number[] | null }
interface AstypeCase extends Case { group: string; to: string }
interface FromBufferCase { id: string; bytes: string; dtype?: string; count?: number; offset?: number; result: Result }
interface Fixtures {
  meta: { numpy: string };
  reshape: ReshapeCase[];
  slice: SliceCase[];
  transpose: TransposeCase[];
  ravel: RavelCase[];
  squeeze: AxisCase[];
  expand_dims: AxisCase[];
  frombuffer: FromBufferCase[];
  astype: AstypeCase[];
  dtype: {
    accepted: { spelling: string; name: DType }[];
    refused: { spelling: string; numpy: string }[];
    rejected: { spelling: string; error: string; message: string }[];
  };
}

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/numpy/views.json', import.meta.url), 'utf8')) as Fixtures;

/**
 * numpy exception → the package's class. numpy raises ValueError or AxisError for shape and axis
 * problems (ShapeError here), IndexError for bad indices (IndexError here; numpy's ValueError for
 * a zero slice step is also an IndexError here, as a malformed index spec), ValueError for
 * frombuffer's buffer/count/offset problems (BufferError here).
 */
const ERRORS = {
  reshape: ShapeError, ravel: ShapeError, slice: IndexError, transpose: ShapeError, squeeze: ShapeError, expand_dims: ShapeError,
  frombuffer: BufferError,
} as const;

// ---- helpers --------------------------------------------------------------------------------

const isError = (r: Result): r is ErrorResult => 'error' in r;
const isScalar = (r: Result): r is ScalarResult => 'scalar' in r;

/** Fixture values → what `toArray()` gives: bigints for 64-bit integers, NaN/±Infinity for floats. */
function decode(x: Json, d: DType): unknown {
  if (Array.isArray(x)) return x.map((v) => decode(v, d));
  if (d === 'int64' || d === 'uint64') return BigInt(x as number | string);
  if (typeof x === 'string') {
    const special = { nan: NaN, inf: Infinity, '-inf': -Infinity }[x];
    if (special === undefined) throw new Error(`bad fixture value ${JSON.stringify(x)} for ${d}`);
    return special;
  }
  return x;
}

function toSpec(item: IndexJson): IndexSpec {
  return typeof item === 'object' ? newaxis : item;
}

function applyOps(x: SharedNDArray, ops: readonly Op[] = []): SharedNDArray {
  for (const op of ops) {
    x = op.op === 'transpose' ? (op.axes === null ? x.transpose() : x.transpose(op.axes)) : x.slice(...op.index.map(toSpec));
  }
  return x;
}

/** The input's root array (owner of the memory) and the operand derived from it, as numpy built them. */
function build(input: Input): { root: SharedNDArray; x: SharedNDArray } {
  const root = input.make === 'arange'
    ? arange(input.n!, input.dtype).reshape(input.shape!, { order: input.order ?? 'C' })
    : array(decode(input.values ?? null, input.dtype), input.dtype);
  expect(root.dtype).toBe(input.dtype);
  return { root, x: applyOps(root, input.ops) };
}

function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((d) => d === 0)) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    yield [...idx];
    let k = shape.length - 1;
    for (; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/** Some value of `d` different from `v`. */
function other(d: DType, v: Scalar): Scalar {
  if (typeof v === 'boolean') return !v;
  const info = DTYPES[d];
  if (typeof v === 'bigint') return v === info.max ? v - 1n : v + 1n;
  if (info.kind === 'f') return v === 12345.5 ? 1.5 : 12345.5;
  return v === info.max ? v - 1 : v + 1;
}

function write(a: SharedNDArray, idx: readonly number[], value: Scalar): void {
  a.set(...([...idx, value] as [...number[], ScalarInput<DType>]));
}

/** View: every element of `result` aliases exactly one element of `root`. Copy: none does. */
function checkSharing(result: SharedNDArray, root: SharedNDArray, shares: boolean): void {
  const before = flat(root.toArray());
  if (shares) {
    expect(result.buffer, 'a view uses the root buffer').toBe(root.buffer);
    for (const idx of indices(result.shape)) {
      const v = result.get(...idx);
      write(result, idx, other(result.dtype, v));
      const after = flat(root.toArray());
      const changed = after.flatMap((w, i) => (Object.is(w, before[i]) ? [] : [i]));
      expect(changed, `writing result[${idx}] changes one root element`).toHaveLength(1);
      expect(before[changed[0]!]).toBe(v);
      write(result, idx, v);
    }
  } else {
    expect(result.buffer, 'a copy has its own buffer').not.toBe(root.buffer);
    for (const idx of indices(result.shape)) write(result, idx, other(result.dtype, result.get(...idx)));
  }
  expect(flat(root.toArray())).toEqual(before);
}

function checkArray(actual: SharedNDArray, exp: ArrayResult, root: SharedNDArray, flags = true): void {
  expect(actual.shape).toEqual(exp.shape);
  expect(actual.dtype).toBe(exp.dtype);
  expect(actual.toArray()).toEqual(decode(exp.values, exp.dtype));
  if (flags) {
    expect(actual.isContiguous('C'), 'C_CONTIGUOUS').toBe(exp.c_contiguous);
    expect(actual.isContiguous('F'), 'F_CONTIGUOUS').toBe(exp.f_contiguous);
  }
  if (exp.view !== null) checkSharing(actual, root, exp.view);
}

/** Runs one fixture case: numpy's error → our typed error, else compare the array result. */
function check(c: Case, group: keyof typeof ERRORS, op: (x: SharedNDArray) => SharedNDArray): SharedNDArray | undefined {
  const { root, x } = build(c.input);
  if (isError(c.result)) {
    expect(() => op(x), `numpy: ${c.result.error}: ${c.result.message}`).toThrow(ERRORS[group]);
    return undefined;
  }
  if (isScalar(c.result)) throw new Error(`unexpected scalar result for ${group}`);
  const actual = op(x);
  checkArray(actual, c.result, root);
  return actual;
}

// ---- tests ----------------------------------------------------------------------------------

describe(`numpy ${fixtures.meta.numpy} fixtures`, () => {
  it('has cases for every operation', () => {
    for (const key of ['reshape', 'slice', 'transpose', 'ravel', 'squeeze', 'expand_dims', 'frombuffer', 'astype'] as const) {
      expect(fixtures[key].length, key).toBeGreaterThan(10);
    }
    for (const key of ['accepted', 'refused', 'rejected'] as const) expect(fixtures.dtype[key].length, `dtype.${key}`).toBeGreaterThan(10);
  });

  describe('reshape', () => {
    for (const c of fixtures.reshape) {
      it(c.id, () => {
        const opts = { order: c.order };
        check(c, 'reshape', (x) => x.reshape(c.newshape, opts));
        if (isError(c.result) || isScalar(c.result)) return;
        const { root, x } = build(c.input);
        // copy: false must succeed exactly where numpy gives a view; copy: true always copies.
        if (c.result.view === true) checkArray(x.reshape(c.newshape, { ...opts, copy: false }), c.result, root);
        if (c.result.view === false) expect(() => x.reshape(c.newshape, { ...opts, copy: false })).toThrow(CopyRequiredError);
        const copied = x.reshape(c.newshape, { ...opts, copy: true });
        expect(copied.toArray()).toEqual(decode(c.result.values, c.result.dtype));
        if (c.result.view !== null) checkSharing(copied, root, false);
      });
    }
  });

  describe('slice (basic indexing)', () => {
    for (const c of fixtures.slice) {
      it(c.id, () => {
        const specs = c.index.map(toSpec);
        if (isScalar(c.result)) {
          // deliberate: an all-integer index gives numpy a scalar, but slice() gives a 0-d view
          // (get() is the scalar accessor), so expect the same value in a 0-d view of the root.
          const { root, x } = build(c.input);
          const actual = x.slice(...specs);
          expect(actual.shape).toEqual([]);
          expect(actual.dtype).toBe(c.result.dtype);
          expect(actual.toArray()).toEqual(decode(c.result.values, c.result.dtype));
          checkSharing(actual, root, true);
          return;
        }
        check(c, 'slice', (x) => x.slice(...specs));
      });
    }
  });

  describe('transpose', () => {
    for (const c of fixtures.transpose) {
      it(c.id, () => {
        const actual = check(c, 'transpose', (x) => (c.axes === null ? x.transpose() : x.transpose(c.axes)));
        if (actual && c.axes === null) {
          const { x } = build(c.input);
          expect(x.T.shape).toEqual(actual.shape);
          expect(x.T.toArray()).toEqual(actual.toArray());
        }
      });
    }
  });

  describe('ravel and flatten', () => {
    for (const c of fixtures.ravel) {
      it(c.id, () => {
        check(c, 'ravel', (x) => (c.method === 'flatten' ? x.flatten(c.order) : x.ravel(c.order)));
      });
    }
  });

  describe('squeeze', () => {
    for (const c of fixtures.squeeze) {
      it(c.id, () => {
        check(c, 'squeeze', (x) => (c.axis === null ? x.squeeze() : x.squeeze(c.axis)));
      });
    }
  });

  describe('expandDims', () => {
    for (const c of fixtures.expand_dims) {
      it(c.id, () => {
        check(c, 'expand_dims', (x) => x.expandDims(c.axis!));
      });
    }
  });

  describe('frombuffer', () => {
    const refused = new Set(fixtures.dtype.refused.map((r) => r.spelling));
    const layouts = [
      { name: 'SharedArrayBuffer', pad: 0 },
      { name: 'Uint8Array at byteOffset 8 of a SharedArrayBuffer', pad: 8 },
    ];
    for (const c of fixtures.frombuffer) {
      for (const layout of layouts) {
        it(`${c.id} [${layout.name}]`, () => {
          const bytes = Buffer.from(c.bytes, 'hex');
          const sab = new SharedArrayBuffer(layout.pad + bytes.length);
          const whole = new Uint8Array(sab);
          whole.set(bytes, layout.pad);
          const source = layout.pad === 0 ? sab : new Uint8Array(sab, layout.pad);
          const opts: FromBufferOptions<DTypeLike> = {};
          if (c.dtype !== undefined) opts.dtype = c.dtype as DTypeLike;
          if (c.count !== undefined) opts.count = c.count;
          if (c.offset !== undefined) opts.offset = c.offset;
          const run = () => frombuffer(source, opts);
          const r = c.result;
          if (isError(r)) {
            expect(run, `numpy: ${r.error}: ${r.message}`).toThrow(ERRORS.frombuffer);
            return;
          }
          if (isScalar(r)) throw new Error('unexpected scalar result');
          if (c.dtype !== undefined && refused.has(c.dtype)) {
            // deliberate: numpy reads big-endian data; the package refuses non-native byte orders.
            expect(run).toThrow(DTypeError);
            return;
          }
          const { itemsize } = DTYPES[dtype(r.dtype)];
          if ((c.offset ?? 0) % itemsize !== 0) {
            // deliberate: numpy views unaligned elements; JS typed arrays cannot, so the package refuses.
            expect(run).toThrow(BufferError);
            return;
          }
          const actual = run();
          expect(actual.shape).toEqual(r.shape);
          expect(actual.dtype).toBe(r.dtype);
          expect(actual.toArray()).toEqual(decode(r.values, r.dtype));
          expect(actual.isContiguous('C')).toBe(r.c_contiguous);
          expect(actual.isContiguous('F')).toBe(r.f_contiguous);
          expect(actual.buffer).toBe(sab);
          expect(actual.byteOffset).toBe(layout.pad + (c.offset ?? 0));
          // a view of the bytes: a write through element i changes exactly that element's bytes
          const before = Uint8Array.from(whole);
          for (const [i] of indices(actual.shape)) {
            const v = actual.get(i!);
            write(actual, [i!], other(actual.dtype, v));
            const start = actual.byteOffset + i! * itemsize;
            const changed = [...whole].flatMap((b, k) => (b === before[k] ? [] : [k]));
            expect(changed.length).toBeGreaterThan(0);
            expect(changed.every((k) => k >= start && k < start + itemsize)).toBe(true);
            write(actual, [i!], v);
          }
          expect(whole).toEqual(before);
        });
      }
    }
  });

  describe('astype', () => {
    for (const c of fixtures.astype) {
      it(c.id, () => {
        const { root, x } = build(c.input);
        const r = c.result;
        if (isError(r) || isScalar(r)) throw new Error('astype fixtures are all arrays');
        const actual = x.astype(c.to as DTypeLike);
        // numpy's astype defaults to order='K' (keep the operand's layout); the package has no 'K'
        // and lays copies out in C order, so contiguity flags are not compared here. Always a copy.
        checkArray(actual, r, root, false);
        expect(actual.isContiguous('C')).toBe(true);
        checkSharing(actual, root, false);
      });
    }
  });

  describe('dtype()', () => {
    for (const { spelling, name } of fixtures.dtype.accepted) {
      it(`np.dtype(${JSON.stringify(spelling)}).name == ${JSON.stringify(name)}`, () => {
        expect(dtype(spelling as DTypeLike)).toBe(name);
      });
    }
    for (const { spelling, numpy } of fixtures.dtype.refused) {
      it(`refuses ${JSON.stringify(spelling)} (numpy: ${numpy})`, () => {
        expect(() => dtype(spelling as DTypeLike)).toThrow(DTypeError);
      });
    }
    for (const { spelling, error } of fixtures.dtype.rejected) {
      it(`rejects ${JSON.stringify(spelling)} like numpy (${error})`, () => {
        expect(() => dtype(spelling as DTypeLike)).toThrow(DTypeError);
      });
    }
  });
});
