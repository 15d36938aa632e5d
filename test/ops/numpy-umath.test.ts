/**
 * numpy's own ufunc tests, ported to this package's API: each `describe` names its source file in
 * numpy (numpy/_core/tests/, numpy 2.x) and each `it` the test function it ports. Where numpy
 * tests a dtype this package lacks (float16, complex, object, longdouble) or an operation it does
 * not have (divmod, floor_divide, fmod), that part is left out; the rest keeps numpy's values.
 * numpy's `assert_equal` treats NaN as equal to NaN and, for scalars, checks the sign of zero:
 * `same` below does both for every element.
 */
import { describe, expect, it } from 'vitest';
import {
  abs, add, arange, array, ceil, clip, DTypeError, divide, equal, exp, floor, greater, greaterEqual, less, lessEqual, log,
  maximum, minimum, mod, multiply, negative, newaxis, notEqual, power, prod, round, ShapeError, type SharedNDArray, sqrt, subtract, sum,
  ValueError, where, zeros,
} from '../../src/index.js';
import type { DType } from '../../src/index.js';

type Num = number | bigint | boolean;
const FLOATS = ['float32', 'float64'] as const;
const SIGNED = ['int8', 'int16', 'int32', 'int64'] as const;
const UNSIGNED = ['uint8', 'uint16', 'uint32', 'uint64'] as const;
const INTS = [...SIGNED, ...UNSIGNED] as const;

const big = (d: DType): boolean => d === 'int64' || d === 'uint64';

/** An array of `dtype` from JS numbers (bigints for 64-bit integer dtypes). */
function arr(values: readonly number[], dtype: DType): SharedNDArray {
  const big = dtype === 'int64' || dtype === 'uint64';
  return array(values.map((v) => (big ? BigInt(v) : v)), dtype);
}

/** The array's elements as numbers (64-bit integers converted), flat in C order. */
const flat = (a: SharedNDArray): number[] => (a.ravel().toArray() as Num[]).map(Number);

/** numpy's assert_equal: NaN equals NaN, and zeros must agree in sign. */
function same(got: SharedNDArray, want: readonly number[], label = ''): void {
  const g = flat(got);
  expect(g.length, label).toBe(want.length);
  for (let i = 0; i < g.length; i++) {
    if (!Object.is(g[i], want[i])) expect.fail(`${label} [${i}]: got ${Object.is(g[i], -0) ? '-0' : g[i]}, numpy ${Object.is(want[i], -0) ? '-0' : want[i]}`);
  }
}

/** The nearest representable neighbour of 0 below it in `dtype` (np.nextafter(0, -1)). */
const belowZero = (dtype: 'float32' | 'float64'): number => (dtype === 'float32' ? -(2 ** -149) : -Number.MIN_VALUE);

describe('test_umath.py TestRemainder', () => {
  it('test_remainder_basic: sign of the divisor, |rem| < |divisor|, for every pair of integer and float dtypes', () => {
    const dtypes = [...INTS, ...FLOATS] as const;
    const signs = (d: DType): number[] => (d.startsWith('uint') ? [1] : [1, -1]);
    for (const d1 of dtypes) {
      for (const d2 of dtypes) {
        for (const s1 of signs(d1)) {
          for (const s2 of signs(d2)) {
            const a = arr([s1 * 71], d1), b = arr([s2 * 19], d2);
            // int64 with uint64 computes in float64, as numpy
            let rem: number;
            try {
              rem = flat(mod(a, b))[0]!;
            } catch (error) {
              throw new Error(`${d1} % ${d2} (${s1}, ${s2}): ${String(error)}`);
            }
            const div = Math.floor((s1 * 71) / (s2 * 19));
            expect(div * s2 * 19 + rem, `${d1} % ${d2} (${s1}, ${s2})`).toBe(s1 * 71);
            if (s2 === -1) expect(rem > -19 && rem <= 0).toBe(true);
            else expect(rem < 19 && rem >= 0).toBe(true);
          }
        }
      }
    }
  });

  it('test_float_remainder_exact: Python\'s divmod for every small integer pair, signed zeros included', () => {
    const dividend: number[] = [], divisor: number[] = [];
    for (let i = -127; i < 128; i++) {
      for (let j = -127; j < 128; j++) {
        if (j === 0) continue;
        dividend.push(i);
        divisor.push(j);
      }
    }
    // Python's a % b for ints, then numpy's sign of a zero remainder: the divisor's
    const want = dividend.map((a, k) => {
      const b = divisor[k]!;
      const r = ((a % b) + b) % b;
      return r === 0 ? (b < 0 ? -0 : 0) : r;
    });
    for (const dt of FLOATS) same(mod(array(dividend, dt), array(divisor, dt)), want, dt);
  });

  it('test_float_remainder_roundoff: 78 * 6e-8 % 6e-8 keeps the divisor\'s sign and magnitude (gh-6127)', () => {
    for (const d1 of FLOATS) {
      for (const d2 of FLOATS) {
        for (const s1 of [1, -1]) {
          for (const s2 of [1, -1]) {
            const a = array([s1 * 78 * 6e-8], d1), b = array([s2 * 6e-8], d2);
            const rem = flat(mod(a, b))[0]!, bv = flat(b)[0]!;
            if (s2 === -1) expect(bv < rem && rem <= 0, `${d1} ${d2} ${s1} ${s2}: ${rem}`).toBe(true);
            else expect(bv > rem && rem >= 0, `${d1} ${d2} ${s1} ${s2}: ${rem}`).toBe(true);
          }
        }
      }
    }
  });

  it('test_float_remainder_corner_cases: magnitude next to zero, NaN from zero divisors, infinities and NaNs', () => {
    for (const dt of FLOATS) {
      const b = array([1], dt);
      const a = array([belowZero(dt)], dt);
      expect(flat(mod(a, b))[0]! <= 1).toBe(true);
      expect(flat(mod(negative(a), negative(b)))[0]! >= -1).toBe(true);
      const x = array([1, Infinity, Infinity, Infinity, 1, NaN, NaN], dt);
      const y = array([0, 1, Infinity, 0, NaN, 0, 1], dt);
      same(mod(x, y), [NaN, NaN, NaN, NaN, NaN, NaN, NaN], dt);
    }
  });
});

describe('test_umath.py TestDivisionIntegerOverflowsAndDivideByZero', () => {
  it('test_signed_division_overflow: min % -1 is 0 in every signed dtype', () => {
    const mins = { int8: -128, int16: -32768, int32: -(2 ** 31) } as const;
    for (const dt of ['int8', 'int16', 'int32'] as const) {
      const r = mod(array([mins[dt]], dt), -1);
      expect(r.dtype).toBe(dt);
      same(r, [0], dt);
    }
    const r = mod(array([-(2n ** 63n)], 'int64'), array([-1n], 'int64'));
    expect(r.toArray()).toEqual([0n]);
  });

  it('test_divide_by_zero: x % 0 is 0 for every integer dtype, array or scalar divisor', () => {
    for (const dt of INTS) {
      same(mod(arr([1, 5], dt), arr([0, 0], dt)), [0, 0], dt);
      same(mod(arr([1, 5], dt), 0), [0, 0], dt);
    }
  });
});

describe('test_umath.py TestPower', () => {
  it('test_power_float: x**0, x**1, x**2, x**-1, x**0.5', () => {
    const x = array([1, 2, 3]);
    same(power(x, 0), [1, 1, 1]);
    same(power(x, 1), [1, 2, 3]);
    same(power(x, 2), [1, 4, 9]);
    const y = x.copy();
    power(y, 2, { out: y });
    same(y, [1, 4, 9]);
    expect(flat(power(x, -1))).toEqual([1, 0.5, 1 / 3]);
    expect(flat(power(x, 0.5))).toEqual([1, Math.SQRT2, Math.sqrt(3)]);
    for (const dt of FLOATS) {
      for (let n = 0; n <= 11; n++) {
        const inp = arange(n, dt);
        const out = zeros([n], dt);
        sqrt(inp, { out });
        same(out, flat(inp).map((v) => (dt === 'float32' ? Math.fround(Math.sqrt(v)) : Math.sqrt(v))), `${dt} ${n}`);
      }
    }
  });

  it('test_fast_power: an int16 array to a 1-element 3-d power broadcasts to (1, 1, 3)', () => {
    const x = array([1, 2, 3], 'int16');
    const res = power(x, 2);
    same(res, [1, 4, 9]);
    expect(res.buffer).not.toBe(x.buffer);
    same(x, [1, 2, 3]);
    expect(power(x, array([[[2]]], 'int64')).shape).toEqual([1, 1, 3]);
  });

  it('test_integer_power: 15 ** 15 in int64', () => {
    const a = array([15n, 15n], 'int64');
    expect(power(a, a).toArray()).toEqual([437893890380859375n, 437893890380859375n]);
  });

  it('test_integer_power_with_integer_zero_exponent: x ** 0 is 1', () => {
    for (const dt of SIGNED) same(power(arr(Array.from({ length: 20 }, (_, i) => i - 10), dt), 0), new Array<number>(20).fill(1), dt);
    for (const dt of UNSIGNED) same(power(arr(Array.from({ length: 10 }, (_, i) => i), dt), 0), new Array<number>(10).fill(1), dt);
  });

  it('test_integer_power_of_1 and test_integer_power_of_zero: 1 ** x is 1, 0 ** x (x > 0) is 0', () => {
    for (const dt of INTS) {
      const r = power(1, arr([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], dt));
      expect(r.dtype).toBe(dt);
      same(r, new Array<number>(10).fill(1), dt);
      same(power(0, arr([1, 2, 3, 4, 5, 6, 7, 8, 9], dt)), new Array<number>(9).fill(0), dt);
    }
  });

  it('test_integer_to_negative_power: ValueError for any negative integer exponent', () => {
    for (const dt of SIGNED) {
      const a = arr([0, 1, 2, 3], dt), b = arr([0, 1, 2, -3], dt);
      const one = arr([1], dt).reshape([]), minusone = arr([-1], dt).reshape([]);
      expect(() => power(a, b), dt).toThrow(ValueError);
      expect(() => power(a, minusone), dt).toThrow(ValueError);
      expect(() => power(one, b), dt).toThrow(ValueError);
      expect(() => power(one, minusone), dt).toThrow(ValueError);
      expect(() => power(a, -1), dt).toThrow(ValueError);
    }
  });

  it('test_float_to_inf_power: C99 pow at the infinities (JS Math.pow differs at 1 ** inf)', () => {
    for (const dt of FLOATS) {
      const a = array([1, 1, 2, 2, -2, -2, Infinity, -Infinity], dt);
      const b = array([Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity], dt);
      same(power(a, b), [1, 1, Infinity, 0, Infinity, 0, Infinity, 0], dt);
    }
  });

  it('test_power_fast_paths: x ** 2 and x ** 0.5 within 1 ULP (gh-26055)', () => {
    for (const dt of FLOATS) {
      const r = flat(power(array([0, 1.1, 2, 12e12, -10, Infinity, -Infinity], dt), 2));
      const x11 = dt === 'float32' ? Math.fround(1.1) : 1.1;
      const want = [0, x11 * x11, 4, 1.44e26, 100, Infinity, Infinity].map((v) => (dt === 'float32' ? Math.fround(v) : v));
      for (let i = 0; i < want.length; i++) expect(Math.abs(r[i]! - want[i]!) <= Math.abs(want[i]!) * (dt === 'float32' ? 2 ** -23 : 2 ** -52) || r[i] === want[i]).toBe(true);
      const s = flat(power(array([0, 1.1, 2, 12e12], dt), 0.5));
      const sq = flat(sqrt(array([0, 1.1, 2, 12e12], dt)));
      for (let i = 0; i < 4; i++) expect(Math.abs(s[i]! - sq[i]!) <= sq[i]! * (dt === 'float32' ? 2 ** -23 : 2 ** -52)).toBe(true);
    }
  });
});

describe('test_umath.py TestMaximum and TestMinimum', () => {
  it('test_float_nans: NaN in either operand gives NaN', () => {
    const arg1 = array([0, NaN, NaN]), arg2 = array([NaN, 0, NaN]);
    same(maximum(arg1, arg2), [NaN, NaN, NaN]);
    same(minimum(arg1, arg2), [NaN, NaN, NaN]);
  });

  it('test_strided_array: views with steps, and out through a stepped view', () => {
    const arr1 = array([-4, 1, 10, 0, NaN, -NaN, Infinity, -Infinity]);
    const arr2 = array([-2, -1, NaN, 1, 0, NaN, 1, -3]);
    same(maximum(arr1, arr2), [-2, 1, NaN, 1, NaN, NaN, Infinity, -3]);
    same(maximum(arr1.slice('::2'), arr2.slice('::2')), [-2, NaN, NaN, Infinity]);
    same(maximum(arr1.slice(':4'), arr2.slice('::2')), [-2, NaN, 10, 1]);
    same(maximum(arr1.slice('::3'), arr2.slice(':3')), [-2, 0, NaN]);
    let out = array([1, 1, 1, 1, 1, 1, 1, 1]);
    same(maximum(arr1.slice(':6:2'), arr2.slice('::3'), { out: out.slice('::3') }), [-2, 10, NaN]);
    same(out, [-2, 1, 1, 10, 1, 1, NaN, 1]);
    same(minimum(arr1, arr2), [-4, -1, NaN, 0, NaN, NaN, 1, -Infinity]);
    same(minimum(arr1.slice('::2'), arr2.slice('::2')), [-4, NaN, NaN, 1]);
    same(minimum(arr1.slice(':4'), arr2.slice('::2')), [-4, NaN, 0, 0]);
    same(minimum(arr1.slice('::3'), arr2.slice(':3')), [-4, -1, NaN]);
    out = array([1, 1, 1, 1, 1, 1, 1, 1]);
    same(minimum(arr1.slice(':6:2'), arr2.slice('::3'), { out: out.slice('::3') }), [-4, 1, NaN]);
    same(out, [-4, 1, 1, 1, 1, 1, NaN, 1]);
  });

  it('test_precision: the extremes against -inf and +inf, neighbours, NaN', () => {
    const cases = { float32: [3.4028234663852886e38, 0.10000000149011612, 0.10000000894069672], float64: [Number.MAX_VALUE, 0.1, 0.10000000000000002] } as const;
    for (const dt of FLOATS) {
      const [max, d1, next] = cases[dt];
      same(maximum(array([-max], dt), array([-Infinity], dt)), [-max], dt);
      same(maximum(array([max], dt), array([-Infinity], dt)), [max], dt);
      same(maximum(array([d1], dt), array([next], dt)), [next], dt);
      same(maximum(array([max], dt), array([NaN], dt)), [NaN], dt);
      same(minimum(array([-max], dt), array([Infinity], dt)), [-max], dt);
      same(minimum(array([d1], dt), array([next], dt)), [d1], dt);
      same(minimum(array([-max], dt), array([NaN], dt)), [NaN], dt);
    }
  });
});

describe('test_umath.py TestAbsoluteNegative', () => {
  it('test_abs_neg_blocked: abs and negative of NaN, infinities, signed zeros, through strides', () => {
    for (const dt of FLOATS) {
      const x = array([NaN, -NaN, Infinity, -Infinity, -0, 0, -1, 1], dt);
      same(abs(x), [NaN, NaN, Infinity, Infinity, 0, 0, 1, 1], dt);
      same(negative(x), [NaN, NaN, -Infinity, Infinity, 0, -0, 1, -1], dt);
      same(abs(x.slice('::-2')), [1, 0, Infinity, NaN], dt);
    }
  });

  it('test_lower_align and abs of the most negative integer: it stays negative, as in C', () => {
    same(abs(array([-128, -127, 127], 'int8')), [-128, 127, 127]);
    same(abs(array([-32768], 'int16')), [-32768]);
    same(abs(array([-(2 ** 31)], 'int32')), [-(2 ** 31)]);
    expect(abs(array([-(2n ** 63n)], 'int64')).toArray()).toEqual([-(2n ** 63n)]);
    same(negative(array([-128], 'int8')), [-128]);
    expect(negative(array([-(2n ** 63n)], 'int64')).toArray()).toEqual([-(2n ** 63n)]);
  });

  it('negative of bools is a TypeError in numpy (DTypeError here); of unsigned integers it wraps', () => {
    expect(() => negative(array([true, false]))).toThrow(DTypeError);
    same(negative(array([1, 0, 255], 'uint8')), [255, 0, 1]);
    expect(negative(array([1n], 'uint64')).toArray()).toEqual([2n ** 64n - 1n]);
  });
});

describe('test_umath.py TestRoundingFunctions', () => {
  it('test_output_dtype: floor and ceil keep bool, float and integer dtypes (numpy >= 2.3)', () => {
    for (const f of [floor, ceil]) {
      for (const dt of ['bool', 'float64', 'float32', 'int64', 'uint32'] as const) {
        const a = arange(4, 'int32').astype(dt);
        const r = f(a);
        expect(r.dtype).toBe(dt);
        expect(r.toArray()).toEqual(a.toArray());
      }
    }
  });

  it('floor and ceil of halves, signed zeros, NaN and the infinities', () => {
    const x = array([-1.5, -0.5, -0, 0, 0.5, 1.5, NaN, Infinity, -Infinity]);
    same(floor(x), [-2, -1, -0, 0, 0, 1, NaN, Infinity, -Infinity]);
    same(ceil(x), [-1, -0, -0, 0, 1, 2, NaN, Infinity, -Infinity]);
  });
});

describe('test_umath.py TestSpecialFloats', () => {
  it('test_sqrt_values: sqrt of NaN, inf, signed zeros, and of negatives (NaN)', () => {
    for (const dt of FLOATS) {
      same(sqrt(array([NaN, Infinity, 0, -0, -Infinity, -1], dt)), [NaN, Infinity, 0, -0, NaN, NaN], dt);
    }
  });

  it('test_log_values: log of 0 is -inf, of negatives NaN, of inf inf', () => {
    for (const dt of FLOATS) same(log(array([NaN, Infinity, 0, -0, -Infinity, -1, 1], dt)), [NaN, Infinity, -Infinity, -Infinity, NaN, NaN, 0], dt);
  });

  it('test_exp_values: exp of NaN, the infinities and zeros; overflow and underflow', () => {
    for (const dt of FLOATS) {
      same(exp(array([NaN, Infinity, -Infinity, 0, -0], dt)), [NaN, Infinity, 0, 1, 1], dt);
      same(exp(array([1000, -1000], dt)), [Infinity, 0], dt);
    }
  });
});

describe('test_umath.py TestDivision', () => {
  it('test_division_int: integer true division gives float64', () => {
    const x = array([5, 10, 90, 100, -5, -10, -90, -100, -120], 'int32');
    const r = divide(x, 100);
    expect(r.dtype).toBe('float64');
    same(r, [0.05, 0.1, 0.9, 1, -0.05, -0.1, -0.9, -1, -1.2]);
  });

  it('integer division by zero: inf, -inf, NaN (numpy warns)', () => {
    for (const dt of SIGNED) same(divide(arr([1, -1, 0], dt), arr([0, 0, 0], dt)), [Infinity, -Infinity, NaN], dt);
  });
});

describe('test_umath.py TestComparisons and integer arithmetic (wrap-around, NEP 50)', () => {
  it('integer overflow wraps in every integer dtype', () => {
    same(add(array([127], 'int8'), 1), [-128]);
    same(subtract(array([0], 'uint8'), 1), [255]);
    same(multiply(array([2 ** 16], 'int32'), array([2 ** 16], 'int32')), [0]);
    same(multiply(array([0xffffffff], 'uint32'), array([0xffffffff], 'uint32')), [1]);
    expect(add(array([2n ** 63n - 1n], 'int64'), 1n).toArray()).toEqual([-(2n ** 63n)]);
    expect(multiply(array([2n ** 63n], 'uint64'), 2n).toArray()).toEqual([0n]);
  });

  it('a Python int out of the array\'s range is an OverflowError (ValueError here)', () => {
    expect(() => add(array([1], 'uint8'), -1)).toThrow(ValueError);
    expect(() => add(array([1], 'int8'), 128)).toThrow(ValueError);
    expect(() => add(array([1n], 'uint64'), -1n)).toThrow(ValueError);
  });

  it('shapes that do not broadcast: ValueError (ShapeError here)', () => {
    expect(() => add(zeros([3]), zeros([4]))).toThrow(ShapeError);
    expect(() => add(zeros([2, 1]), zeros([8, 4, 3]))).toThrow(ShapeError);
    expect(add(zeros([2, 1]), zeros([8, 1, 3])).shape).toEqual([8, 2, 3]);
  });
});

describe('test_umath.py TestComparisons', () => {
  const COMPS = [
    [less, (x: number | bigint, y: number | bigint) => x < y], [lessEqual, (x: number | bigint, y: number | bigint) => x <= y],
    [greater, (x: number | bigint, y: number | bigint) => x > y], [greaterEqual, (x: number | bigint, y: number | bigint) => x >= y],
    [equal, (x: number | bigint, y: number | bigint) => x === y], [notEqual, (x: number | bigint, y: number | bigint) => x !== y],
  ] as const;

  it('test_comparison_functions: array with array, scalar with array, array with scalar, for every dtype', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 1 + ((i * 7) % 9));
    const ys = Array.from({ length: 100 }, (_, i) => 1 + ((i * 5 + 3) % 9));
    for (const dt of [...INTS, ...FLOATS] as const) {
      const a = arr(xs, dt), b = arr(ys, dt), s = arr([5], dt).reshape([]);
      for (const [comp, model] of COMPS) {
        expect(comp(a, b).toArray(), `${dt} ${comp.name}`).toEqual(xs.map((x, i) => model(x, ys[i]!)));
        expect(comp(s, b).toArray()).toEqual(ys.map((y) => model(5, y)));
        expect(comp(a, s).toArray()).toEqual(xs.map((x) => model(x, 5)));
        expect(comp(a, 5).toArray()).toEqual(xs.map((x) => model(x, 5)));
      }
    }
    const bx = xs.map((x) => x % 2 === 0), by = ys.map((y) => y % 2 === 0);
    for (const [comp, model] of COMPS) {
      expect(comp(array(bx), array(by)).toArray()).toEqual(bx.map((x, i) => model(Number(x), Number(by[i]))));
      expect(comp(array(bx), true).toArray()).toEqual(bx.map((x) => model(Number(x), 1)));
    }
  });

  it('test_large_integer_direct_comparison: int64 with uint64 compares exactly, not through float64', () => {
    for (const [d1, d2] of [['int64', 'uint64'], ['uint64', 'int64']] as const) {
      for (const [v1, v2] of [[2n ** 60n, 2n ** 60n + 1n], [2n ** 60n + 1n, 2n ** 60n]]) {
        const a1 = array([v1], d1), a2 = array([v2], d2);
        for (const [comp, model] of COMPS) expect(comp(a1, a2).toArray(), `${d1} ${comp.name} ${d2}`).toEqual([model(v1!, v2!)]);
      }
    }
    expect(equal(array([2n ** 63n - 1n], 'int64'), array([2n ** 63n], 'uint64')).toArray()).toEqual([false]);
    expect(less(array([2n ** 63n - 1n], 'int64'), array([2n ** 63n], 'uint64')).toArray()).toEqual([true]);
    expect(greater(array([2n ** 64n - 1n], 'uint64'), array([-1n], 'int64')).toArray()).toEqual([true]);
  });

  it('test_unsigned_signed_direct_comparison: the max of each unsigned dtype against -1, both ways', () => {
    for (const dt of UNSIGNED) {
      const max = { uint8: 255n, uint16: 65535n, uint32: 2n ** 32n - 1n, uint64: 2n ** 64n - 1n }[dt];
      const a = array([dt === 'uint64' ? max : Number(max)], dt);
      for (const [comp, model] of COMPS) {
        expect(comp(a, -1).toArray(), `${dt} ${comp.name}`).toEqual([model(max, -1n)]);
        expect(comp(-1, a).toArray(), `${dt} ${comp.name} flipped`).toEqual([model(-1n, max)]);
      }
    }
  });
});

describe('test_numeric.py TestClip', () => {
  it('test_clip_nan: a NaN bound makes every element NaN', () => {
    const d = arange(7);
    const nan = new Array<number>(7).fill(NaN);
    same(d.clip(NaN, null), nan);
    same(d.clip(null, NaN), nan);
    same(d.clip(NaN, NaN), nan);
    same(d.clip(-2, NaN), nan);
    same(d.clip(NaN, 10), nan);
  });

  it('test_clip_value_min_max_flip: min > max gives minimum(maximum(a, min), max)', () => {
    const a = arange(10n);
    const zeros10 = zeros([10]), ones10 = zeros([10]).add(1);
    expect(clip(a, 1, 0).toArray()).toEqual(new Array(10).fill(0n));
    same(clip(a, 1, zeros10), new Array<number>(10).fill(0));
    same(clip(a, ones10, zeros10), new Array<number>(10).fill(0));
  });

  it('test_clip_scalar_nan_propagation: a 0-d NaN float64 bound with int arrays gives float64 NaN', () => {
    const r = clip(zeros([10], 'int64'), array(NaN), zeros([10], 'int32'));
    expect(r.dtype).toBe('float64');
    same(r, new Array<number>(10).fill(NaN));
  });

  it('test_clip_all_none: no bounds at all gives a copy of the array', () => {
    const a = arange(10, 'int32');
    const c = clip(a, null, null);
    expect(c.dtype).toBe('int32');
    expect(c.buffer).not.toBe(a.buffer);
    expect(c.toArray()).toEqual(a.toArray());
  });

  it('test_out_of_bound_pyints: integer bounds beyond the dtype\'s range clip nothing, the dtype stays', () => {
    const cases: [DType, Num | null, Num | null][] = [
      ['int32', -(2 ** 32) - 1, 2 ** 32],
      ['int32', -(2n ** 320n), null],
      ['int32', null, 2n ** 300n],
      ['int32', -1000, 2 ** 32],
      ['int32', -(2 ** 32) - 1, 1000],
      ['uint8', -1, 129],
    ];
    for (const [dt, lo, hi] of cases) {
      const a = arange(10000).astype(dt);
      const c = clip(a, lo, hi);
      expect(c.buffer).not.toBe(a.buffer);
      expect(c.dtype).toBe(dt);
      const v = flat(c);
      if (lo !== null) expect(v.every((x) => x >= Number(lo))).toBe(true);
      if (hi !== null) expect(v.every((x) => x <= Number(hi))).toBe(true);
      const want = flat(a).map((x) => Math.min(Math.max(x, lo === null ? -Infinity : Number(lo)), hi === null ? Infinity : Number(hi)));
      expect(v).toEqual(want);
    }
  });

  it('an in-range bound still refuses an out-of-range other side only where numpy does (uint8 min 300)', () => {
    expect(() => clip(arange(5, 'uint8'), 300, null)).toThrow(ValueError);
  });

  it('test_clip_with_out_transposed and test_clip_inplace_array: out through a transposed view, out = a', () => {
    const a = arange(16).reshape(4, 4);
    const out = zeros([4, 4]).T;
    clip(a, 4, 10, { out });
    expect(out.toArray()).toEqual((a.toArray() as number[][]).map((r) => r.map((v) => Math.min(Math.max(v, 4), 10))));
    const b = arange(6);
    expect(clip(b, 1, 3, { out: b })).toBe(b);
    same(b, [1, 1, 2, 3, 3, 3]);
  });
});

describe('test_multiarray.py TestMethods.test_round and numpy.round', () => {
  it('test_round: half to even, decimals both ways, integers kept', () => {
    same(round(array([1.5, 2.5, 3.5, 4.5, -0.5, -1.5])), [2, 2, 4, 4, -0, -2]);
    same(round(array([12.5, 15.5]), { decimals: -1 }), [10, 20]);
    same(round(array([12.25, 15.75]), { decimals: 1 }), [12.2, 15.8]);
    const ints = array([123, 145], 'int32');
    const r = round(ints, { decimals: -1 });
    expect(r.dtype).toBe('int32');
    same(r, [120, 140]);
    same(round(array([15, 25, -15, -25], 'int64'), { decimals: -1 }), [20, 20, -20, -20]);
    same(round(ints, { decimals: 2 }), [123, 145]);
    same(round(array([2.5, 0.125], 'float32'), { decimals: 2 }), [2.5, Math.fround(0.12)]);
  });

  it('float32 rounds in float32 steps, as numpy\'s float32 loop (values from numpy 2.4)', () => {
    const r = round(array([1.015, 1.005, 2.675, 0.285, 1.125], 'float32'), { decimals: 2 });
    expect(r.dtype).toBe('float32');
    same(r, [1.0199999809265137, 1, 2.680000066757202, 0.2800000011920929, 1.1200000047683716]);
    same(round(array([1234.5, 1235], 'float32'), { decimals: -1 }), [1230, 1240]);
  });
});

describe('test_multiarray.py TestWhere', () => {
  it('test_basic: scalar and array branches, through every step, for bool, int and float dtypes', () => {
    for (const dt of ['bool', 'int16', 'int32', 'int64', 'float64'] as const) {
      const one = dt === 'bool' ? true : dt === 'int64' ? 1n : 1;
      const zero = dt === 'bool' ? false : dt === 'int64' ? 0n : 0;
      const c = array(new Array<boolean>(53).fill(true));
      const s0 = array([zero], dt).reshape([]), s1 = array([one], dt).reshape([]);
      expect(where(c, s0, s1).toArray()).toEqual(new Array(53).fill(zero));
      expect(where(true, s0, s1).toArray()).toBe(zero);
      expect(where(false, s0, s1).toArray()).toBe(one);
      const d = array(new Array(53).fill(one), dt), e = array(new Array(53).fill(zero), dt);
      c.set(7, false);
      const r = (d.toArray() as unknown[]).map((v, i) => (i === 7 ? zero : v));
      expect(where(c, e, e).toArray()).toEqual(e.toArray());
      expect(where(c, d, e).toArray()).toEqual(r);
      expect(where(c, d, e.slice(0)).toArray()).toEqual(r);
      expect(where(c, d.slice(0), e).toArray()).toEqual(r);
      for (const spec of ['::2', '1::2', '::3', '1::3', '::-2', '::-3', '1::-3']) {
        const want = array(r as never[], dt).slice(spec).toArray();
        expect(where(c.slice(spec), d.slice(spec), e.slice(spec)).toArray(), `${dt} ${spec}`).toEqual(want);
      }
    }
  });

  it('test_exotic: zero-size operands; a weak NaN, inf or 1e150 keeps float32 (NEP 50: 1e150 overflows)', () => {
    const m = array([] as boolean[]).reshape(0, 3), b = zeros([0, 3]);
    expect(where(m, 0, b).shape).toEqual([0, 3]);
    const d = array([1, 2], 'float32');
    for (const e of [NaN, Infinity, -Infinity]) expect(where(true, d, e).dtype).toBe('float32');
    const res = where(array([false, true]), d, 1e150);
    expect(res.dtype).toBe('float32');
    same(res, [Infinity, 2]);
  });

  it('test_ndim: a condition broadcast down rows, or along columns of transposed branches', () => {
    const a = zeros([2, 25]), b = zeros([2, 25]).fill(1);
    const r = where(array([true, false]).slice(':', newaxis), a, b);
    expect(r.row(0).toArray()).toEqual(a.row(0).toArray());
    expect(r.row(1).toArray()).toEqual(b.row(0).toArray());
    const r2 = where(array([true, false]), a.T, b.T);
    expect(r2.slice(':', 0).toArray()).toEqual(new Array(25).fill(0));
    expect(r2.slice(':', 1).toArray()).toEqual(new Array(25).fill(1));
  });

  it('test_dtype_mix: uint32 with float64, float32 with int64, and non-bool masks', () => {
    const cv = [false, true, false, false, false, false, true, false, false, false, true, false];
    const r = [5, 1, 3, 2, -1, -4, 1, -10, 10, 1, 1, 3];
    const bv = [5, 0, 3, 2, -1, -4, 0, -10, 10, 1, 0, 3];
    let c: SharedNDArray = array(cv);
    let a: SharedNDArray = array([1], 'uint32').reshape([]);
    let b: SharedNDArray = array(bv);
    expect(where(c, a, b).dtype).toBe('float64');
    same(where(c, a, b), r);
    a = array([1], 'float32').reshape([]);
    b = array(bv.map(BigInt), 'int64');
    expect(where(c, a, b).dtype).toBe('float64');
    same(where(c, a, b), r);
    c = array(cv.map((x) => (x ? 34242324 : 0)), 'int32');
    same(where(c, a, b), r);
    const inv = array(cv.map((x) => (x ? 0 : 41247212)), 'int32');
    same(where(inv, b, a), r);
  });

  it('test_error: shapes that do not broadcast are a ValueError (ShapeError)', () => {
    const c = array([true, true]), a = zeros([4, 5]).fill(1), b = zeros([5, 5]).fill(1);
    expect(() => where(c, a, a)).toThrow(ShapeError);
    expect(() => where(true, a, b)).toThrow(ShapeError);
  });
});

describe('test_umath.py TestMinMax and TestAbsoluteNegative (blocked)', () => {
  /** numpy's _gen_alignment_data, in spirit: runs of every size up to `max`, at offsets 0-3 into a larger array. */
  function* runs(dt: 'float32' | 'float64', max: number): Generator<[SharedNDArray, SharedNDArray, string]> {
    for (const size of [...Array.from({ length: max }, (_, i) => i + 1), 255, 256, 257, 300]) {
      for (const offset of [0, 1, 2, 3]) {
        const inp = zeros([size + offset + 1], dt).slice(`${offset}:${offset + size}`);
        const out = zeros([size + 4], dt).slice(`${3 - offset}:${3 - offset + size}`);
        yield [inp, out, `${dt} size ${size} offset ${offset}`];
      }
    }
  }
  const fill = (a: SharedNDArray, f: (i: number) => number): void => { for (let i = 0; i < a.size; i++) a.set(i, f(i)); };

  it('test_minmax_blocked: a NaN anywhere makes max and min NaN; an extreme anywhere is found', () => {
    for (const dt of FLOATS) {
      for (const [inp, , msg] of runs(dt, dt === 'float32' ? 15 : 7)) {
        for (const i of inp.size > 40 ? [0, 1, inp.size >> 1, inp.size - 2, inp.size - 1] : Array.from({ length: inp.size }, (_, k) => k)) {
          fill(inp, (k) => k);
          inp.set(i, NaN);
          expect(Number.isNaN(inp.max()), `${msg} NaN at ${i}`).toBe(true);
          expect(Number.isNaN(inp.min()), `${msg} NaN at ${i}`).toBe(true);
          expect(inp.argmax(), `${msg} NaN at ${i}`).toBe(i);
          inp.set(i, 1e10);
          expect(inp.max(), msg).toBe(1e10);
          inp.set(i, -1e10);
          expect(inp.min(), msg).toBe(-1e10);
        }
      }
    }
  });

  it('test_reduce_reorder: the rows of a NaN diagonal each have a NaN minimum', () => {
    for (const n of [2, 4, 8, 16, 32]) {
      const m = zeros([n, n], 'float32');
      for (let i = 0; i < n; i++) m.set(i, i, NaN);
      expect(flat(m.min({ axis: 1 })).every(Number.isNaN)).toBe(true);
      for (let i = 0; i < n; i++) expect(Number.isNaN(m.row(i).min())).toBe(true);
    }
  });

  it('test_abs_neg_blocked: abs and negative into out, with NaN and infinities at every position', () => {
    for (const dt of FLOATS) {
      for (const [inp, out, msg] of runs(dt, dt === 'float32' ? 11 : 5)) {
        fill(inp, (k) => (k % 3 === 0 ? -k : k) - 0.5);
        abs(inp, { out });
        same(out, flat(inp).map(Math.abs), msg);
        negative(inp, { out });
        same(out, flat(inp).map((v) => -v), msg);
        for (const v of [NaN, -Infinity, Infinity]) {
          for (const i of inp.size > 40 ? [0, inp.size >> 1, inp.size - 1] : Array.from({ length: inp.size }, (_, k) => k)) {
            fill(inp, (k) => -k);
            inp.set(i, v);
            const d = flat(inp).map((_, k) => (k === i ? (v === -Infinity ? Infinity : v) : k));
            same(abs(inp), d, msg);
            abs(inp, { out });
            same(out, d, msg);
            negative(inp, { out });
            same(out, flat(inp).map((x) => -x), msg);
          }
        }
      }
    }
  });
});

describe('test_ufunc.py TestUfunc (out)', () => {
  it('test_out_broadcasts: out may broadcast the inputs, along 1s and new axes', () => {
    const a = arange(3).reshape(1, 3);
    const out = zeros([5, 4, 3]);
    add(a, a, { out });
    expect(flat(out)).toEqual(new Array<number[]>(20).fill([0, 2, 4]).flat());
  });

  it('test_out_broadcast_errors: out smaller than the result is a ValueError (ShapeError)', () => {
    const cases: [SharedNDArray, SharedNDArray][] = [[array([2]), zeros([])], [array([1, 2]), zeros([1])], [zeros([4, 3]).fill(1), zeros([4, 1])]];
    for (const [a, out] of cases) {
      expect(() => abs(a, { out })).toThrow(ShapeError);
      expect(() => add(zeros([]).fill(1), a, { out })).toThrow(ShapeError);
    }
  });

  it('test_casting_out_param: int64 sums into a float64 out, float64 into float32 (same_kind)', () => {
    const a = zeros([200, 100], 'int64').fill(1n), b = zeros([200, 100], 'int64').fill(1n), c = zeros([200, 100]).fill(1);
    add(a, b, { out: c });
    expect(flat(c).every((v) => v === 2)).toBe(true);
    const f = zeros([65536], 'float32').fill(1);
    subtract(zeros([65536]), 0, { out: f });
    expect(flat(f).every((v) => v === 0)).toBe(true);
  });

  it('test_reducelike_out_promotes: uint8 sums and products into a uint16 out', () => {
    const a = zeros([1000], 'uint8').fill(1);
    const out = zeros([], 'uint16');
    expect(sum(a, { out }).toArray()).toBe(1000);
    a.slice(':10').fill(2);
    expect(prod(a, { out }).toArray()).toBe(1024);
  });
});

describe('test_numeric.py TestClip (against numpy\'s choose model)', () => {
  /** numpy's `clip` model: `less(a, m) + 2 * greater(a, M)` choosing among a, m and M. */
  function model(a: SharedNDArray, m: SharedNDArray | number, M: SharedNDArray | number): number[] {
    const av = flat(a);
    const at = (x: SharedNDArray | number, i: number): number => (typeof x === 'number' ? x : flat(x)[x.size === 1 ? 0 : i]!);
    return av.map((v, i) => [v, at(m, i), at(M, i)][Number(v < at(m, i)) + 2 * Number(v > at(M, i))]!);
  }
  const data = (dtype: DType): SharedNDArray => {
    const values = Array.from({ length: 15 }, (_, i) => ((i * 37) % 23) / 7 - 1.6);
    return dtype.startsWith('float') ? array(values, dtype) : array(values.map((v) => Math.trunc(v * 3)), 'int32').astype(dtype);
  };

  it('test_ones_pathological: ones clipped to [1, 0] are zeros, for every dtype', () => {
    for (const dt of ['bool', ...INTS, ...FLOATS] as const) {
      const r = clip(zeros([10], dt).fill((dt === 'bool' ? true : big(dt) ? 1n : 1) as never), 1, 0);
      expect(flat(r), dt).toEqual(new Array<number>(10).fill(0));
    }
  });

  it('test_simple_double, test_simple_int, test_array_double, test_simple_int32 and the type casts', () => {
    const cases: [DType, SharedNDArray | number, SharedNDArray | number, DType][] = [
      ['float64', 0.1, 0.6, 'float64'],
      ['int64', -2, 4, 'int64'],
      ['int32', -2, 4, 'int32'],
      ['float64', zeros([15]), zeros([15]).add(0.5), 'float64'],
      ['float32', -0.5, 0.6, 'float32'],
      ['int32', -0.5, 1, 'float64'],
      ['int64', array(-2.5), 4, 'float64'],
      ['int32', array([-2], 'int8').reshape([]), array([4], 'int16').reshape([]), 'int32'],
      ['float32', zeros([15], 'float64').add(-0.5), 1, 'float64'],
      ['int8', zeros([15], 'int32').add(-1), 1, 'int32'],
    ];
    for (const [dt, m, M, want] of cases) {
      const a = data(dt);
      const r = clip(a, m, M);
      expect(r.dtype, `${dt} clip`).toBe(want);
      const expected = model(a, m, M).map((v) => (want === 'float32' ? Math.fround(v) : v));
      expect(flat(r), `${dt} ${String(m)} ${String(M)}`).toEqual(expected);
      const out = zeros([15], want);
      expect(clip(a, m, M, { out })).toBe(out);
      expect(flat(out)).toEqual(expected);
    }
  });

  it('test_clip_non_contig and test_clip_inplace_simple: strided input, and out = a', () => {
    const a = arange(64).reshape(4, 4, 4).slice('::2', ':', '1::2');
    const r = clip(a, 10, 40);
    expect(flat(r)).toEqual(flat(a).map((v) => Math.min(Math.max(v, 10), 40)));
    const b = data('float64');
    const want = model(b, -0.5, 0.5);
    expect(clip(b, -0.5, 0.5, { out: b })).toBe(b);
    expect(flat(b)).toEqual(want);
  });
});
