/**
 * numpy's own reduction and matmul tests, ported to this package's API: each `describe` names its
 * source file in numpy (numpy/_core/tests/, numpy 2.x) and each `it` the test function it ports.
 * Left out: dtypes this package lacks (float16, complex, object, timedelta), `where=` and
 * `initial=` (not supported), and numpy's warnings (the NaN or Infinity is checked instead).
 * The arrays here are small, so every call runs inline on this thread.
 */
import { describe, expect, it } from 'vitest';
import {
  add, all, any, arange, argmax, argmin, array, dot, DTypeError, matmul, max, mean, min, prod, ShapeError, SharedNDArray, std, sum,
  ValueError, var as variance, zeros,
} from '../../src/index.js';
import type { DType } from '../../src/index.js';

const FLOATS = ['float32', 'float64'] as const;
const SIGNED = ['int8', 'int16', 'int32', 'int64'] as const;
const UNSIGNED = ['uint8', 'uint16', 'uint32', 'uint64'] as const;
const INTS = [...SIGNED, ...UNSIGNED] as const;

function arr(values: readonly (number | boolean)[], dtype: DType): SharedNDArray {
  const big = dtype === 'int64' || dtype === 'uint64';
  return array(values.map((v) => (big ? BigInt(v) : v)), dtype);
}
const flat = (a: SharedNDArray): number[] => (a.ravel().toArray() as (number | bigint | boolean)[]).map(Number);
const repeat = <T>(xs: readonly T[], n: number): T[] => xs.flatMap((x) => new Array<T>(n).fill(x));
/** A deterministic array of distinct-ish doubles of `shape` (numpy's tests draw random normals). */
function noisy(shape: number[], seed = 7): SharedNDArray<'float64'> {
  const a = zeros(shape);
  let s = seed;
  const d = a.data;
  for (let i = 0; i < d.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    d[i] = s / 2 ** 31 - 0.5;
  }
  return a;
}

describe('test_multiarray.py TestArgmaxArgminCommon', () => {
  const sizes = [[], [3], [3, 2], [2, 3], [3, 3], [2, 3, 4], [4, 3, 2], [1, 2, 3, 4], [2, 3, 4, 1], [3, 4, 1, 2], [4, 1, 2, 3], [64], [128], [256]];
  it('test_np_argmin_argmax_keepdims: keepdims gives the reshaped result, and out receives it', () => {
    for (const size of sizes) {
      const a = noisy(size);
      for (const axis of [...Array.from({ length: 2 * size.length }, (_, i) => i - size.length), null]) {
        for (const method of [argmax, argmin]) {
          const newShape = axis === null ? size.map(() => 1) : size.map((d, i) => (i === (axis + size.length) % size.length ? 1 : d));
          const orig = axis === null ? array(method(a) as number, 'int64').reshape(newShape) : (method(a, { axis }) as SharedNDArray).reshape(newShape);
          const res = method(a, { axis, keepdims: true }) as SharedNDArray;
          expect(res.shape).toEqual(newShape);
          expect(res.toArray()).toEqual(orig.toArray());
          const outarray = zeros(res.shape, 'int64');
          const res1 = method(a, { axis, out: outarray, keepdims: true });
          expect(res1).toBe(outarray);
          expect(outarray.toArray()).toEqual(res.toArray());
        }
      }
    }
  });
});

describe('test_multiarray.py TestArgmax and TestArgmin', () => {
  const usg: [number[], number, number][] = [
    [[1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], 0, 8],
    [[3, 3, 3, 3, 2, 2, 2, 2], 0, 4],
    [[0, 1, 2, 3, 4, 5, 6, 7], 7, 0],
    [[7, 6, 5, 4, 3, 2, 1, 0], 0, 7],
  ];
  const sg: [number[], number, number][] = [...usg, [[1, 2, 3, 4, -4, -3, -2, -1], 3, 4], [[1, 2, 3, 4, -1, -2, -3, -4], 3, 7]];
  const nan: [number[], number, number][] = [
    [[0, 1, 2, 3, NaN], 4, 4],
    [[0, 1, 2, NaN, 3], 3, 3],
    [[NaN, 0, 1, 2, 3], 0, 0],
    [[NaN, 0, NaN, 2, 3], 0, 0],
    ...[2, 4, 8, 16, 32].map((w): [number[], number, number] => [[...new Array<number>(w * 5 - 1).fill(1), NaN], w * 5 - 1, w * 5 - 1]),
  ];
  const bools: [boolean[], number, number][] = [
    [[false, false, false, false, true], 4, 0],
    [[false, false, false, true, false], 3, 0],
    [[true, false, false, false, false], 0, 1],
    [[true, false, true, false, false], 0, 1],
  ];
  const cases: [SharedNDArray, number, number][] = [
    ...usg.flatMap(([d, mx, mn]) => UNSIGNED.map((t): [SharedNDArray, number, number] => [arr(d, t), mx, mn])),
    ...sg.flatMap(([d, mx, mn]) => [...SIGNED, ...FLOATS].map((t): [SharedNDArray, number, number] => [arr(d, t), mx, mn])),
    ...nan.flatMap(([d, mx, mn]) => FLOATS.map((t): [SharedNDArray, number, number] => [array(d, t), mx, mn])),
    ...bools.map(([d, mx, mn]): [SharedNDArray, number, number] => [array(d), mx, mn]),
  ];

  it('test_combinations: the first extreme or first NaN, also repeated 129 times and padded by 513 (SIMD tails)', () => {
    for (const [a, mx, mn] of cases) {
      const v = a.toArray() as (number | bigint | boolean)[];
      const label = `${a.dtype} ${String(v.map(String))}`;
      expect(argmax(a), label).toBe(mx);
      expect(argmin(a), label).toBe(mn);
      const maxv = max(a), minv = min(a);
      expect(Object.is(Number(v[mx]), Number(maxv)) || v[mx] === maxv, label).toBe(true);
      expect(Object.is(Number(v[mn]), Number(minv)) || v[mn] === minv, label).toBe(true);
      const rep = array(repeat(v, 129), a.dtype);
      expect(argmax(rep), label).toBe(mx * 129);
      expect(argmin(rep), label).toBe(mn * 129);
      expect(argmax(array([...v, ...new Array(513).fill(minv)], a.dtype)), label).toBe(mx);
      expect(argmin(array([...v, ...new Array(513).fill(maxv)], a.dtype)), label).toBe(mn);
    }
  });

  it('test_maximum_signed_integers and test_minimum_signed_integers: the extremes of each signed dtype', () => {
    const lims = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 } as const;
    for (const dt of ['int8', 'int16', 'int32'] as const) {
      const a = array([1, lims[dt] - 1, -lims[dt]], dt);
      expect(argmax(a)).toBe(1);
      expect(argmin(a)).toBe(2);
      const r = array(repeat(a.toArray() as number[], 129), dt);
      expect(argmax(r)).toBe(129);
      expect(argmin(r)).toBe(258);
    }
    const a = array([1n, 2n ** 63n - 1n, -(2n ** 63n)], 'int64');
    expect(argmax(a)).toBe(1);
    expect(argmin(a)).toBe(2);
    const r = array(repeat(a.toArray() as bigint[], 129), 'int64');
    expect(argmax(r)).toBe(129);
    expect(argmin(r)).toBe(258);
  });

  it('test_output_shape and axis errors: out of the wrong shape is a ValueError (ShapeError), an axis out of range an AxisError', () => {
    const a = zeros([10, 5]);
    expect(() => argmax(a, { axis: -1, out: zeros([11], 'int64') })).toThrow(ShapeError);
    expect(() => argmax(a, { axis: -1, out: zeros([1, 10], 'int64') })).toThrow(ShapeError);
    expect(argmax(a, { axis: -1, out: zeros([10], 'int64') }).shape).toEqual([10]);
    // numpy needs an out that casts safely to intp: int32 is fine, float64 a TypeError (DTypeError)
    expect(argmax(a, { axis: -1, out: zeros([10], 'int32') }).dtype).toBe('int32');
    expect(() => argmax(a, { axis: -1, out: zeros([10]) })).toThrow(DTypeError);
    expect(() => argmin(a, { axis: -1, out: zeros([10], 'uint64') })).toThrow(DTypeError);
    expect(() => argmax(a, { axis: 2 })).toThrow(ShapeError);
    expect(() => argmin(a, { axis: -3 })).toThrow(ShapeError);
  });

  it('argmax of an empty array is a ValueError; of an empty axis too, but not of zero outputs', () => {
    expect(() => argmax(zeros([0]))).toThrow(ValueError);
    expect(() => argmin(zeros([0, 3]), { axis: 0 })).toThrow(ValueError);
    expect(argmin(zeros([0, 3]), { axis: 1 }).shape).toEqual([0]);
  });
});

describe('test_ufunc.py TestUfunc (reductions)', () => {
  it('test_zerosize_reduction: sum 0, prod 1, any false, all true; max and min of nothing are ValueErrors', () => {
    const a = array([] as number[]);
    expect(sum(a)).toBe(0);
    expect(prod(a)).toBe(1);
    expect(any(a)).toBe(false);
    expect(all(a)).toBe(true);
    expect(() => max(a)).toThrow(ValueError);
    expect(() => min(a)).toThrow(ValueError);
  });

  it('test_axis_out_of_bounds: any and all of a 1-d array along axis 1 or -2 are AxisErrors', () => {
    const a = array([false, false]);
    for (const axis of [1, -2]) {
      expect(() => all(a, { axis })).toThrow(ShapeError);
      expect(() => any(a, { axis })).toThrow(ShapeError);
    }
  });

  it('test_scalar_reduction: sum, prod, any, all, max, min of a 0-d array take axis=0', () => {
    expect(sum(array(3, 'int64'), { axis: 0 }).toArray()).toBe(3n);
    expect(prod(array(3.5), { axis: 0 }).toArray()).toBe(3.5);
    expect(any(array(true), { axis: 0 }).toArray()).toBe(true);
    expect(all(array(false), { axis: 0 }).toArray()).toBe(false);
    expect(max(array(3, 'int64'), { axis: 0 }).toArray()).toBe(3n);
    expect(min(array(2.5), { axis: 0 }).toArray()).toBe(2.5);
    const f32 = array(2.5, 'float32');
    for (const f of [prod, sum, max, min]) expect((f(f32, { axis: 0 }) as SharedNDArray).dtype).toBe('float32');
    expect(any(array(0, 'int64'), { axis: 0 }).dtype).toBe('bool');
    expect(sum(array(5), { axis: -1 }).toArray()).toBe(5);
    expect(argmin(array(5), { axis: -1 }).toArray()).toBe(0n);
    // but not mean, var or std, nor an axis list or an axis beyond -1..0
    expect(() => mean(array(5), { axis: 0 })).toThrow(ShapeError);
    expect(() => variance(array(5), { axis: 0 })).toThrow(ShapeError);
    expect(() => sum(array(5), { axis: [0] })).toThrow(ShapeError);
    expect(() => sum(array(5), { axis: 1 })).toThrow(ShapeError);
  });

  describe('test_identityless_reduction: minimum over views of every layout, along every axis set, with and without out', () => {
    const C = (): SharedNDArray => zeros([2, 3, 4]);
    const layouts: [string, () => SharedNDArray][] = [
      ['C', C],
      ['F', () => zeros([2, 3, 4], undefined, 'F')],
      ['mixed', () => zeros([2, 4, 3]).transpose(0, 2, 1)],
      ['reversed', () => C().slice('::-1', '::-1', '::-1')],
      ['not contiguous', () => zeros([3, 5, 4]).transpose(0, 2, 1).slice('1:', '1:', '1:')],
    ];
    const axesList: (number | number[] | null)[] = [null, [0, 1], [0, 2], [1, 2], 0, 1, 2, []];
    for (const [name, make] of layouts) {
      it(name, () => {
        for (const pos of [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
          const a = make();
          a.fill(1);
          a.set(...(pos as [number, number, number]), 0);
          for (const axis of axesList) {
            const reduced = axis === null ? [0, 1, 2] : typeof axis === 'number' ? [axis] : axis;
            const kept = [0, 1, 2].filter((i) => !reduced.includes(i));
            const expected = zeros(kept.map((i) => a.shape[i]!)).fill(1);
            expected.set(...kept.map((i) => pos[i]!), 0);
            const res = min(a, { axis: axis === null ? null : axis, keepdims: false, out: undefined }) as SharedNDArray | number;
            const got = typeof res === 'number' ? res : res.toArray();
            expect(got, `${name} ${String(pos)} ${JSON.stringify(axis)}`).toEqual(expected.toArray());
            const out = zeros(expected.shape).fill(NaN);
            min(a, { axis, out });
            expect(out.toArray()).toEqual(expected.toArray());
          }
        }
      });
    }
  });

  it('test_reduce_zero_axis: an identityless reduction errs exactly where a reduced run is empty', () => {
    const cases = (n: number, m: number): [number[], number | number[]][] => [
      [[n, m], 1], [[m, n], 0], [[n >> 1, n >> 1, m], 2], [[n >> 1, m, n >> 1], 1],
      [[n, m >> 1, m >> 1], [1, 2]], [[m >> 1, n, m >> 1], [0, 2]],
      [[Math.floor(m / 3), Math.floor(m / 3), Math.floor(m / 3), n >> 1, n >> 1], [0, 1, 2]],
      [[10, m, n], [0, 1]], [[10, n, m], [0, 2]], [[m, 10, n], 0], [[10, m, n], 1], [[10, n, m], 2],
    ];
    // numpy's 30 is 12 here: the same cases, small enough to run inline (unit tests start no threads)
    for (const [n, m, ok] of [[12, 12, true], [0, 12, true], [12, 0, false], [0, 0, false]] as const) {
      for (const [shape, axis] of cases(n, m)) {
        const call = (): unknown => max(zeros(shape), { axis });
        if (ok) expect(call, `${String(shape)} ${String(axis)}`).not.toThrow();
        else expect(call, `${String(shape)} ${String(axis)}`).toThrow(ValueError);
        // every combination is fine for a reduction with an identity
        expect(() => sum(zeros(shape), { axis })).not.toThrow();
      }
    }
    expect(() => max(array([] as number[]))).toThrow(ValueError);
    expect(max(zeros([0, 0]), { axis: [] }).shape).toEqual([0, 0]);
  });

  it('test_reduce_noncontig_output: a strided out receives the sums and nothing beside it changes (gh-8036)', () => {
    const x = arange(7 * 13 * 8, 'int16').reshape(7, 13, 8).slice('4:6', '1:11:6', '1:5').transpose(1, 2, 0);
    const yBase = arange(16, 'int16').reshape(4, 4);
    const y = yBase.slice('::2', ':');
    const before = yBase.toArray() as number[][];
    const r0 = sum(x, { axis: 2, out: y.copy().astype('int64') });
    // numpy computes in out's dtype; here the int64 sum must cast same_kind into int16 out: it does
    const r1 = sum(x, { axis: 2, out: y });
    expect(r1).toBe(y);
    expect(flat(r1)).toEqual(flat(r0));
    const after = yBase.toArray() as number[][];
    expect(after[1]).toEqual(before[1]);
    expect(after[3]).toEqual(before[3]);
  });

  it('test_reduce_wrong_dimension_output: out must have the result\'s exact shape, never broadcast to it (gh-15144)', () => {
    const a = arange(12).reshape(4, 3);
    for (const f of [sum, min]) {
      for (const keepdims of [true, false]) {
        const correct = f(a, { axis: 0, keepdims }) as SharedNDArray;
        for (const shape of [[], [1], [3], [1, 1], [1, 3], [4, 3]]) {
          const out = zeros(shape);
          if (shape.length !== correct.shape.length || shape.some((d, i) => d !== correct.shape[i])) {
            expect(() => f(a, { axis: 0, out, keepdims })).toThrow(ShapeError);
          } else {
            expect(f(a, { axis: 0, out, keepdims })).toBe(out);
            expect(out.toArray()).toEqual(correct.toArray());
          }
        }
      }
    }
  });

  it('test_reduce_output_does_not_broadcast_input', () => {
    const a = zeros([1, 10]).fill(1);
    const correct = zeros([1, 1]);
    sum(a, { axis: -1, out: correct, keepdims: true });
    sum(a, { axis: -1, out: correct.slice(':', 0), keepdims: false });
    expect(flat(correct)).toEqual([10]);
    const incorrect = zeros([3, 1]);
    expect(() => sum(a, { axis: -1, out: incorrect, keepdims: true })).toThrow(ShapeError);
    expect(() => sum(a, { axis: -1, out: incorrect.slice(':', 0), keepdims: false })).toThrow(ShapeError);
  });

  it('out of a kind the result does not cast to under same_kind: DTypeError (numpy\'s ufuncs; see differences.md for reductions)', () => {
    expect(() => mean(array([[1, 2]]), { axis: 1, out: zeros([1], 'int32') })).toThrow(DTypeError);
    expect(() => sum(array([[1.5, 2]]), { axis: 1, out: zeros([1], 'int64') })).toThrow(DTypeError);
  });
});

describe('test_multiarray.py TestStats', () => {
  const eye = (dtype: DType): SharedNDArray => {
    const a = zeros([3, 3], dtype);
    for (let i = 0; i < 3; i++) a.set(i, i, (dtype === 'int64' || dtype === 'uint64' ? 1n : dtype === 'bool' ? true : 1) as never);
    return a;
  };
  const funcs = [mean, variance, std];

  it('test_keepdims: keepdims keeps every reduced axis as a 1', () => {
    const mat = eye('float64');
    for (const f of funcs) {
      for (const axis of [0, 1]) {
        const res = f(mat, { axis, keepdims: true }) as SharedNDArray;
        expect(res.ndim).toBe(2);
        expect(res.shape[axis]).toBe(1);
      }
      expect((f(mat, { keepdims: true }) as SharedNDArray).shape).toEqual([1, 1]);
    }
  });

  it('test_out: out receives the result; out of the wrong shape is a ValueError (ShapeError)', () => {
    const mat = eye('float64');
    for (const f of funcs) {
      const out = zeros([3]);
      const tgt = f(mat, { axis: 1 }) as SharedNDArray;
      expect(f(mat, { axis: 1, out })).toBe(out);
      expect(out.toArray()).toEqual(tgt.toArray());
      expect(() => f(mat, { axis: 1, out: zeros([2]) })).toThrow(ShapeError);
      expect(() => f(mat, { axis: 1, out: zeros([2, 2]) })).toThrow(ShapeError);
    }
  });

  it('test_dtype_from_input: integers give float64, floats keep theirs', () => {
    for (const f of funcs) {
      for (const c of INTS) {
        expect((f(eye(c), { axis: 1 }) as SharedNDArray).dtype, `${f.name} ${c}`).toBe('float64');
        expect(typeof f(eye(c))).toBe('number');
      }
      for (const c of FLOATS) {
        expect((f(eye(c), { axis: 1 }) as SharedNDArray).dtype, `${f.name} ${c}`).toBe(c);
        expect((f(eye(c), { keepdims: true }) as SharedNDArray).dtype).toBe(c);
      }
    }
    expect(mean(eye('bool'), { axis: 1 }).dtype).toBe('float64');
  });

  it('test_dtype_from_dtype: a float dtype asked for is the result\'s', () => {
    for (const f of funcs) {
      for (const c of FLOATS) {
        expect((f(eye('float64'), { axis: 1, dtype: c }) as SharedNDArray).dtype).toBe(c);
        expect((f(eye('int32'), { axis: 1, dtype: c }) as SharedNDArray).dtype).toBe(c);
      }
    }
  });

  it('test_ddof: var * (n - ddof) and std * sqrt(n - ddof) do not depend on ddof', () => {
    const rmat = noisy([4, 5]);
    const dim = 5;
    const tv = flat(variance(rmat, { axis: 1 })).map((v) => v * dim);
    const ts = flat(std(rmat, { axis: 1 })).map((v) => v * Math.sqrt(dim));
    for (const ddof of [0, 1, 2]) {
      const rv = flat(variance(rmat, { axis: 1, ddof })).map((v) => v * (dim - ddof));
      const rs = flat(std(rmat, { axis: 1, ddof })).map((v) => v * Math.sqrt(dim - ddof));
      for (let i = 0; i < 4; i++) {
        expect(rv[i]).toBeCloseTo(tv[i]!, 7);
        expect(rs[i]).toBeCloseTo(ts[i]!, 7);
      }
    }
  });

  it('test_ddof_too_big: ddof >= n gives no negative result (Infinity, or NaN for constant rows)', () => {
    const rmat = noisy([4, 5]);
    for (const f of [variance, std]) {
      for (const ddof of [5, 6]) {
        const r = flat(f(rmat, { axis: 1, ddof }) as SharedNDArray);
        expect(r.every((v) => !(v < 0))).toBe(true);
        expect(r.every((v) => v === Infinity)).toBe(true);
      }
    }
  });

  it('test_empty: NaN along an empty axis or over an empty array; an empty result along a full one', () => {
    const A = zeros([0, 3]);
    for (const f of funcs) {
      expect(flat(f(A, { axis: 0 }) as SharedNDArray).every(Number.isNaN)).toBe(true);
      expect(Number.isNaN(f(A) as number)).toBe(true);
      expect((f(A, { axis: 1 }) as SharedNDArray).shape).toEqual([0]);
    }
  });

  it('test_mean_values and test_var_values: mean * n is the sum; var is the mean of squared deviations', () => {
    const rmat = noisy([4, 5]);
    for (const axis of [0, 1]) {
      const tgt = flat(sum(rmat, { axis }));
      const res = flat(mean(rmat, { axis })).map((v) => v * rmat.shape[axis]!);
      res.forEach((v, i) => {
      expect(v).toBeCloseTo(tgt[i]!, 12);
    });
      const m = mean(rmat, { axis, keepdims: true }) as SharedNDArray;
      const dev = flat(mean(rmat.subtract(m).multiply(rmat.subtract(m)), { axis }));
      flat(variance(rmat, { axis })).forEach((v, i) => {
      expect(v).toBeCloseTo(dev[i]!, 12);
    });
    }
    expect(mean(rmat) * 20).toBeCloseTo(sum(rmat), 12);
  });

  it('test_mean_axis_error: an axis out of range is an AxisError (ShapeError), not an IndexError (gh-15817)', () => {
    expect(() => mean(arange(10), { axis: 2 })).toThrow(ShapeError);
  });

  it('test_python_type: mean, std and var of one element', () => {
    for (const x of [array([1]), array([1n]), array([1], 'float32')]) {
      expect(Number(mean(x))).toBe(1);
      expect(Number(std(x))).toBe(0);
      expect(Number(variance(x))).toBe(0);
    }
  });
});

describe('test_multiarray.py MatmulCommon / TestMatmul', () => {
  it('test_exceptions: mismatched shapes, scalars and stacks that do not broadcast are ValueErrors (ShapeError)', () => {
    const dims: [number[], number[]][] = [
      [[1], [2]], [[2, 1], [2]], [[2], [1, 2]], [[1, 2], [3, 1]], [[1], []], [[], [1]], [[1, 1], []], [[], [1, 1]], [[2, 2, 1], [3, 1, 2]],
    ];
    for (const dt of FLOATS) {
      for (const [d1, d2] of dims) expect(() => matmul(zeros(d1, dt).fill(1), zeros(d2, dt).fill(1)), `${String(d1)} @ ${String(d2)}`).toThrow(ShapeError);
    }
  });

  it('test_shapes: stacks broadcast; vector @ vector is a scalar', () => {
    for (const dt of FLOATS) {
      for (const [d1, d2] of [[[1, 1], [2, 1, 1]], [[2, 1, 1], [1, 1]], [[2, 1, 1], [2, 1, 1]]]) {
        expect((matmul(zeros(d1!, dt), zeros(d2!, dt)) as SharedNDArray).shape).toEqual([2, 1, 1]);
      }
      expect(typeof matmul(zeros([2], dt), zeros([2], dt))).toBe('number');
    }
  });

  it('test_result_types: float32 and float64 keep their dtype', () => {
    for (const dt of FLOATS) {
      const m = zeros([1, 1], dt).fill(1), v = zeros([1], dt).fill(1);
      for (const [x, y] of [[m, v], [v, m], [m, m]]) expect((matmul(x!, y!) as SharedNDArray).dtype).toBe(dt);
    }
  });

  it('test_scalar_output, test_vector_vector_values, test_vector_matrix_values, test_matrix_vector_values', () => {
    for (const dt of FLOATS) {
      const v1 = array([2], dt), v2 = array([3, 4], dt).reshape(1, -1);
      expect(flat(matmul(v1, v2) as SharedNDArray)).toEqual([6, 8]);
      expect(flat(matmul(v2.T, v1) as SharedNDArray)).toEqual([6, 8]);
      const a = array([1, 2], dt), b = array([3, 4], dt).reshape(-1, 1);
      expect(flat(matmul(a, b) as SharedNDArray)).toEqual([11]);
      expect((matmul(b, a.reshape(1, -1)) as SharedNDArray).toArray()).toEqual([[3, 6], [4, 8]]);
      const vec = array([1, 2], dt), mat1 = array([[1, 2], [3, 4]], dt);
      const mat2 = array([[[1, 2], [3, 4]], [[1, 2], [3, 4]]], dt);
      expect((matmul(vec, mat1) as SharedNDArray).toArray()).toEqual([7, 10]);
      expect((matmul(vec, mat2) as SharedNDArray).toArray()).toEqual([[7, 10], [7, 10]]);
      expect((matmul(mat1, vec) as SharedNDArray).toArray()).toEqual([5, 11]);
      expect((matmul(mat2, vec) as SharedNDArray).toArray()).toEqual([[5, 11], [5, 11]]);
    }
  });

  it('test_matrix_matrix_values: values through transposed and reversed views', () => {
    for (const dt of FLOATS) {
      const m1 = array([[1, 2], [3, 4]], dt), m2 = array([[1, 0], [1, 1]], dt);
      expect((matmul(m1, m2) as SharedNDArray).toArray()).toEqual([[3, 2], [7, 4]]);
      expect((matmul(m2, m1) as SharedNDArray).toArray()).toEqual([[1, 2], [4, 6]]);
      expect((matmul(m1.T, m2.slice('::-1')) as SharedNDArray).toArray()).toEqual([[4, 1], [6, 2]]);
    }
  });
});

describe('test_ufunc.py TestUfunc sums', () => {
  it('test_sum_stability: 500 tenths sum to 50 (float32 to 4 places, float64 to 13)', () => {
    expect(Math.abs(sum(zeros([500], 'float32').fill(1).divide(10).astype('float32')) - 50)).toBeLessThan(1.5e-4);
    expect(Math.abs(Number(sum(zeros([500]).fill(1).divide(10))) - 50)).toBeLessThan(1.5e-13);
  });

  it('test_sum: 1..v for many v, forward and reversed; ones through every step', () => {
    for (const dt of ['int64', 'float32', 'float64'] as const) {
      for (const v of [0, 1, 2, 7, 8, 9, 15, 16, 19, 127, 128, 1024, 1235]) {
        const tgt = (v * (v + 1)) / 2;
        const d = arange(1, v + 1).astype(dt);
        expect(Number(sum(d)), `${dt} ${v}`).toBe(tgt);
        expect(Number(sum(d.slice('::-1'))), `${dt} ${v} reversed`).toBe(tgt);
      }
      const d = zeros([500], dt).fill((dt === 'int64' ? 1n : 1) as never);
      for (const [spec, want] of [['::2', 250], ['1::2', 250], ['::3', 167], ['1::3', 167], ['::-2', 250], ['-1::-2', 250], ['::-3', 167], ['-1::-3', 167]] as const) {
        expect(Number(sum(d.slice(spec))), `${dt} ${spec}`).toBe(want);
      }
    }
  });
});

describe('test_multiarray.py TestMethods reductions', () => {
  it('test_sum: bools sum to their count, through steps both ways', () => {
    const d = array(new Array<boolean>(101).fill(true));
    expect(sum(d)).toBe(101n);
    expect(sum(d.slice('::2'))).toBe(51n);
    expect(sum(d.slice('::-2'))).toBe(51n);
  });

  it('test_any_and_all_result_dtype: bool for every dtype', () => {
    for (const dt of [...INTS, ...FLOATS, 'bool'] as const) {
      const a = zeros([3], dt);
      expect(any(a, { keepdims: true }).dtype).toBe('bool');
      expect(all(a, { keepdims: true }).dtype).toBe('bool');
      expect(typeof any(a)).toBe('boolean');
    }
  });

  it('test_prod: along each axis for 16- and 32-bit integers and floats', () => {
    const ba = [1, 2, 10, 11, 6, 5, 4];
    const ba2 = [[1, 2, 3, 4], [5, 6, 7, 9], [10, 3, 4, 5]];
    for (const ct of ['int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'] as const) {
      expect(flat(prod(array(ba, ct), { axis: 0 }))).toEqual([26400]);
      expect(flat(prod(array(ba2, ct), { axis: 0 }))).toEqual([50, 36, 84, 180]);
      expect(flat(prod(array(ba2, ct), { axis: -1 }))).toEqual([24, 1890, 600]);
    }
  });
});

describe('float32 products (numpy 2.4\'s values)', () => {
  it('multiply in float32 steps, as numpy\'s float32 loop: overflow and underflow where numpy\'s do', () => {
    expect(prod(array([1e-30, 1e-30, 1e30, 1e30], 'float32'))).toBe(0);
    expect(prod(array([1e30, 1e30, 1e-30, 1e-30], 'float32'))).toBe(Infinity);
    expect(prod(array([1.1, 1.3, 1.7, 1.9, 2.3, 2.9, 3.1], 'float32'))).toBe(95.50498962402344);
    const down = array([[1e30, 1e30], [1e30, 1e-30], [1e-30, 1e-30], [1e-30, 1e30]], 'float32');
    expect(flat(prod(down, { axis: 0 }))).toEqual([Infinity, 1]);
    expect(flat(prod(down.T, { axis: 1 }))).toEqual([Infinity, 1]);
  });
});

describe('test_multiarray.py TestClip', () => {
  it('test_max_or_min and test_nan: one bound, and NaN elements kept', () => {
    const val = arange(8);
    expect(flat(val.clip(3, null)).every((x) => x >= 3)).toBe(true);
    expect(flat(val.clip(null, 4)).every((x) => x <= 4)).toBe(true);
    const r = flat(array([-2, NaN, 0.5, 3, 0.25, NaN]).clip(-1, 1));
    expect(r).toEqual([-1, NaN, 0.5, 1, 0.25, NaN]);
  });
});

describe('test_numeric.py TestNonarrayArgs reductions', () => {
  const A = array([[1, 2, 3], [4, 5, 6]]);
  it('test_mean: over all and along each axis; NaN of nothing', () => {
    expect(mean(A)).toBe(3.5);
    expect(mean(A, { axis: 0 }).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(mean(A, { axis: 1 }).toArray()).toEqual([2, 5]);
    expect(Number.isNaN(mean(array([] as number[])))).toBe(true);
  });

  it('test_prod and test_sum: along the last axis, and with keepdims', () => {
    expect(flat(prod(array([[1, 2, 3, 4], [5, 6, 7, 9], [10, 3, 4, 5]]), { axis: -1 }))).toEqual([24, 1890, 600]);
    expect(sum(array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), { axis: 1, keepdims: true }).toArray()).toEqual([[6], [15], [24]]);
  });
});

describe('test_multiarray.py TestMatmul', () => {
  /** The plain product of nested arrays (numpy's np.dot of 1-d and 2-d operands). */
  function model(a: SharedNDArray, b: SharedNDArray): number | number[] | number[][] {
    const A = a.ndim === 1 ? [a.toArray() as number[]] : (a.toArray() as number[][]);
    const B = b.ndim === 1 ? (b.toArray() as number[]).map((x) => [x]) : (b.toArray() as number[][]);
    const C = A.map((row) => B[0] === undefined && row.length === 0 ? [] : (B[0] ?? []).map((_, j) => row.reduce((s, x, k) => s + x * B[k]![j]!, 0)));
    const cols = b.ndim === 2 ? b.shape[1]! : 1;
    const full = A.map((row, i) => (C[i]!.length === cols ? C[i]! : new Array<number>(cols).fill(row.length === 0 ? 0 : NaN)));
    if (a.ndim === 1 && b.ndim === 1) return full[0]![0]!;
    if (a.ndim === 1) return full[0]!;
    if (b.ndim === 1) return full.map((r) => r[0]!);
    return full;
  }
  const value = (r: unknown): unknown => (r instanceof SharedNDArray ? r.toArray() : r);

  it('test_out_arg: out receives the product; an int32 out of a float product is a TypeError (DTypeError)', () => {
    const a = zeros([5, 2]).fill(1), b = array([[1, 3], [5, 7]]);
    const out = zeros([5, 2]);
    expect(matmul(a, b, { out })).toBe(out);
    expect(out.toArray()).toEqual(model(a, b));
    expect(() => matmul(a, b, { out: zeros([5, 2], 'int32') })).toThrow(DTypeError);
  });

  it('test_empty_out: an empty stack gives an empty result, and out does not broadcast', () => {
    const arr = zeros([0, 1, 1]).fill(1);
    expect((matmul(arr, arr) as SharedNDArray).shape).toEqual([0, 1, 1]);
    expect(() => matmul(arr, arr, { out: zeros([1, 1, 1]) })).toThrow(ShapeError);
  });

  it('test_out_contiguous: out through strided, stepped and transposed views', () => {
    const a = zeros([5, 2]).fill(1), b = array([[1, 3], [5, 7]]), v = array([1, 3]);
    const tgt = model(a, b), tgtMv = model(a, v);
    let out = zeros([5, 2, 2]).fill(1);
    expect(value(matmul(a, b, { out: out.slice('...', 0) }))).toEqual(tgt);
    expect(value(matmul(a, v, { out: out.slice(':', 0, 0) }))).toEqual(tgtMv);
    expect(value(matmul(v, a.T, { out: out.slice(':', 0, 0) }))).toEqual(tgtMv);
    out = zeros([10, 2]).fill(1);
    expect(value(matmul(a, b, { out: out.slice('::2', ':') }))).toEqual(tgt);
    out = zeros([5, 2]).fill(1);
    matmul(b.T, a.T, { out: out.T });
    expect(out.toArray()).toEqual(tgt);
  });

  it('test_dot_equivalent: matmul equals dot (and the plain product) for every layout, empty ones included', () => {
    const m1 = arange(15).reshape(5, 3), m2 = arange(21).reshape(3, 7), m3 = arange(30).reshape(5, 6).slice(':', '::2');
    const vc = arange(10), vr = arange(6), m0 = zeros([3, 0]);
    const cases: [SharedNDArray, SharedNDArray][] = [
      [m1, m2], [m2.T, m1.T], [m2.T.copy(), m1.T], [m2.T, m1.T.copy()],
      [m1, m1.T], [m1.T, m1], [m1, m3.T], [m3, m1.T], [m3, m3.T], [m3.T, m3],
      [m3, m2], [m2.T, m3.T], [m2.T.copy(), m3.T],
      [m1, vr.slice(':3')], [vc.slice(':5'), m1], [m1.T, vc.slice(':5')], [vr.slice(':3'), m1.T],
      [m1, vr.slice('::2')], [vc.slice('::2'), m1], [m1.T, vc.slice('::2')], [vr.slice('::2'), m1.T],
      [m3, vr.slice(':3')], [vc.slice(':5'), m3], [m3.T, vc.slice(':5')], [vr.slice(':3'), m3.T],
      [m3, vr.slice('::2')], [vc.slice('::2'), m3], [m3.T, vc.slice('::2')], [vr.slice('::2'), m3.T],
      [m0, m0.T], [m0.T, m0], [m1, m0], [m0.T, m1.T],
    ];
    for (const [x, y] of cases) {
      const r1 = value(matmul(x, y));
      expect(r1, `${String(x.shape)} @ ${String(y.shape)}`).toEqual(value(dot(x, y)));
      expect(r1).toEqual(value(matmul(x.copy(), y.copy())));
      expect(r1).toEqual(model(x, y));
    }
  });

  it('test_dot_equivalent_matrix_matrix_blastypes: every mix of C/F, contiguous or not, for both operands and out', () => {
    for (const dt of FLOATS) {
      const m1 = arange(15).reshape(5, 3).astype(dt), m2 = arange(21).reshape(3, 7).astype(dt);
      const want = value(dot(m1, m2));
      const modes = [['C', true], ['F', true], ['C', false], ['F', false]] as const;
      const apply = (m: SharedNDArray, [order, contiguous]: (typeof modes)[number]): SharedNDArray => {
        if (contiguous) return m.copy(order);
        const r = zeros([m.shape[0]! * 2, m.shape[1]! * 2], dt, order).slice('::2', '::2');
        add(m, 0, { out: r });
        return r;
      };
      for (const x of modes) {
        for (const y of modes) {
          for (const o of modes) {
            const out = apply(zeros([5, 7], dt), o);
            matmul(apply(m1, x), apply(m2, y), { out });
            expect(out.toArray(), `${dt} ${String(x)} ${String(y)} ${String(o)}`).toEqual(want);
          }
        }
      }
    }
  });
});
