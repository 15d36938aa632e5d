/**
 * The exp, sin and cos kernels (src/ops/kernels/math.ts) against V8's Math.exp, Math.sin and
 * Math.cos (fdlibm, under 1 ULP from the exact value): within 1 ULP of Math's answer for any double
 * (fast-check's doubles cover the whole range, NaN, the infinities, -0 and subnormals), and over
 * the ranges where each does its work (the fast paths, arguments next to multiples of pi/2, the
 * edges of exp's fast range); exactly Math's answer for the special values. And `power`'s shortcuts
 * for the exponents 2, 0.5 and -1 (a product, a square root, a quotient): exactly `x ** y`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearPole, ulps } from '../../support/ulps.js';
import { array, power } from '../../../src/index.js';
import { cos, exp, sin } from '../../../src/ops/kernels/math.js';

const params = (numRuns: number) => ({ seed: 0x5eed_2026, numRuns });


const KERNELS = [
  ['exp', exp, Math.exp],
  ['sin', sin, Math.sin],
  ['cos', cos, Math.cos],
] as const;

/** Within 1 ULP of Math's, and exactly Math's where Math's is NaN, infinite or zero (with its sign). */
function agrees(mine: number, math: number): boolean {
  if (Number.isNaN(math) || !Number.isFinite(math) || math === 0) return Object.is(mine, math);
  return ulps(mine, math) <= 1;
}

const SPECIAL = [
  0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308, -2.2250738585072014e-308, 1e-310, -1e-310,
  Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, Number.NaN, 2 ** -27, -(2 ** -27), 2 ** -28, 7.450580596923828e-9,
  1, -1, 0.5, Math.LN2, Math.PI / 4, -Math.PI / 4, 0.7853981633974484, Math.PI / 2, Math.PI, 3 * Math.PI / 2, 2 * Math.PI,
  1e5 * Math.PI, 823548.9, 823549, 823550, 2 ** 30, 1e22, 2 ** 1023, -(2 ** 1023),
  707.99, 708, -708, -707.99, 709, 709.782712893384, 709.7827128933841, 709.79, -708.3964185322641, -708.4, -709.1,
  -744.44007192138, -745.1332191019411, -745.1332191019412, -745.14, -746, 1e300, -1e300,
];

describe('exp, sin, cos kernels against Math', () => {
  for (const [name, mine, math] of KERNELS) {
    it(`${name}: the special values give Math's exactly`, () => {
      for (const x of SPECIAL) {
        const got = mine(x), want = math(x);
        expect(agrees(got, want), `${name}(${x}): ${got}, Math: ${want}`).toBe(true);
        if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) expect(Object.is(got, want), `${name}(${x})`).toBe(true);
      }
    });

    it(`${name}: within 1 ULP of Math over every double`, () => {
      fc.assert(fc.property(fc.double(), (x) => agrees(mine(x), math(x))), params(20_000));
    });
  }

  it('exp: within 1 ULP over its fast range and past both ends', () => {
    fc.assert(fc.property(fc.double({ min: -746, max: 710, noNaN: true }), (x) => agrees(exp(x), Math.exp(x))), params(20_000));
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (x) => agrees(exp(x), Math.exp(x))), params(20_000));
  });

  it('sin, cos: within 1 ULP on [-pi/4, pi/4], in the reduced range, and next to multiples of pi/2', () => {
    for (const [lo, hi] of [[-1, 1], [-100, 100], [-823_600, 823_600]] as const) {
      fc.assert(fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (x) => agrees(sin(x), Math.sin(x)) && agrees(cos(x), Math.cos(x))), params(20_000));
    }
    // k pi/2 plus a few ULPs: where reduction cancels and the kernels hand over to Math
    fc.assert(fc.property(nearPole, (x) => agrees(sin(x), Math.sin(x)) && agrees(cos(x), Math.cos(x))), params(20_000));
  });
});

describe('power with the exponents it shortcuts', () => {
  it('gives exactly x ** y for 2, 0.5 and -1, float64 and float32', () => {
    const xs = fc.array(fc.oneof(fc.double(), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(xs, fc.constantFrom(2, 0.5, -1), fc.constantFrom('float64' as const, 'float32' as const), (values, y, dtype) => {
      const a = array(values, dtype);
      const got = power(a, y).toArray() as number[];
      const read = a.toArray() as number[];
      return got.every((v, i) => Object.is(v, dtype === 'float32' ? Math.fround(read[i]! ** y) : read[i]! ** y));
    }), params(2000));
  });
});
