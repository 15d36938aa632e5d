/**
 * The checks of the WebAssembly SIMD exp, log, sin and cos (src/ops/kernels/math-simd.ts), run
 * by test/ops/kernels/math-simd.property.test.ts with the addon's memmove for the block copies and
 * by math-simd-set.property.test.ts with TypedArray.set, the fallback without the addon.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearPole, ulps } from './ulps.js';
import { array, cos as cosArray, exp as expArray, log as logArray, sin as sinArray } from '../../src/index.js';
import { exp } from '../../src/ops/kernels/math.js';
import { type SimdMath, simdMath } from '../../src/ops/kernels/math-simd.js';

/** Within 1 ULP of Math's, and exactly Math's where Math's is NaN, infinite or zero (with its sign). */
function agrees(mine: number, math: number): boolean {
  if (Number.isNaN(math) || !Number.isFinite(math) || math === 0) return Object.is(mine, math);
  return ulps(mine, math) <= 1;
}

const SENTINEL = -12345.678;
const BEFORE = 2, AFTER = 3, AT = 5;

/** fn over `xs` through the SIMD path, read at an offset in both arrays; checks the surroundings stay untouched. */
function viaSimd(fn: SimdMath, xs: readonly number[]): number[] {
  const n = xs.length;
  const a = new Float64Array(new SharedArrayBuffer((n + AT) * 8));
  a.set(xs, AT);
  const o = new Float64Array(new SharedArrayBuffer((n + BEFORE + AFTER) * 8)).fill(SENTINEL);
  const took = simdMath(fn, n, o, BEFORE, a, AT);
  // one expect, and only when something is wrong: six a call were ~16k expects a file run
  const around = [...o.subarray(0, BEFORE), ...o.subarray(BEFORE + n)];
  if (took !== true || around.some((v) => v !== SENTINEL)) {
    expect({ took, around }, 'simdMath took the run, and left the elements around it alone').toEqual({ took: true, around: Array(BEFORE + AFTER).fill(SENTINEL) });
  }
  return Array.from(o.subarray(BEFORE, BEFORE + n));
}

const SPECIAL = [
  0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308, 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE,
  Infinity, -Infinity, Number.NaN, 2 ** -27, -(2 ** -27), 1, -1, 0.5, Math.LN2, Math.PI / 4, -Math.PI / 4, 0.7853981633974484,
  Math.PI / 2, Math.PI, 3 * Math.PI / 2, 2 * Math.PI, 1e5 * Math.PI, 823548.9, 823549, 823550, 2 ** 30, 1e22,
  707.99, 708, -708, -707.99, 709, 709.782712893384, 709.7827128933841, -708.4, -745.1332191019412, -746, 1e300, -1e300,
];

/**
 * Runs of up to 3 blocks of 512 (the TypedArray.set path's block), each element from one of the
 * kernels' ranges; `long` runs reach past two blocks of 4096 (the memmove path's). `size: 'max'`:
 * by default fast-check makes arrays of at most 10 elements, whatever maxLength says.
 */
const runs = (element: fc.Arbitrary<number>, long = false) => fc.array(element, { minLength: 0, maxLength: long ? 9000 : 1300, size: 'max' });
const mixed = fc.oneof(
  fc.double(),
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc.double({ min: -1e5, max: 1e5, noNaN: true }),
  fc.double({ min: -746, max: 710, noNaN: true }),
  nearPole,
  fc.constantFrom(...SPECIAL),
);

/** The checks, `scale` times fast-check's runs each, under describe blocks named for `label`. */
export function simdMathChecks(label: string, scale = 1): void {
  // endOnFailure: a failure reports its first counterexample unshrunk (shrinking runs of
  // thousands of elements took many minutes)
  const params = (numRuns: number) => ({ seed: 0x51_3d_2026, numRuns: Math.max(1, Math.round(numRuns * scale)), endOnFailure: true });
  describe(`WebAssembly SIMD exp, sin, cos over runs of doubles (${label})`, () => {
    it('exp: exactly the scalar kernel, special values and all', () => {
      expect(viaSimd('exp', SPECIAL)).toEqual(SPECIAL.map(exp));
      fc.assert(fc.property(runs(mixed), (xs) => viaSimd('exp', xs).every((v, i) => Object.is(v, exp(xs[i]!)))), params(300));
      fc.assert(fc.property(runs(fc.double({ min: -708, max: 708, noNaN: true })), (xs) => viaSimd('exp', xs).every((v, i) => Object.is(v, exp(xs[i]!)))), params(200));
    });

    it('exp, log, sin, cos: runs across several blocks, mixed ranges', () => {
      for (const [name, math] of [['log', Math.log], ['sin', Math.sin], ['cos', Math.cos]] as const) {
        fc.assert(fc.property(runs(mixed, true), (xs) => viaSimd(name, xs).every((v, i) => agrees(v, math(xs[i]!)))), params(15));
      }
      fc.assert(fc.property(runs(mixed, true), (xs) => viaSimd('exp', xs).every((v, i) => Object.is(v, exp(xs[i]!)))), params(15));
    });

    it('log: within 1 ULP of Math.log; exactly Math.log for zeros, negatives, subnormals, NaN and infinities', () => {
      const got = viaSimd('log', SPECIAL);
      for (const [i, x] of SPECIAL.entries()) expect(agrees(got[i]!, Math.log(x)), `log(${x}): ${got[i]}, Math: ${Math.log(x)}`).toBe(true);
      const positive = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });
      for (const element of [positive, fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 1 - 1e-6, max: 1 + 1e-6, noNaN: true }), mixed]) {
        fc.assert(fc.property(runs(element), (xs) => viaSimd('log', xs).every((v, i) => agrees(v, Math.log(xs[i]!)))), params(150));
      }
    });

    for (const [name, math] of [['sin', Math.sin], ['cos', Math.cos]] as const) {
      it(`${name}: the special values give Math's exactly`, () => {
        const got = viaSimd(name, SPECIAL);
        for (const [i, x] of SPECIAL.entries()) expect(agrees(got[i]!, math(x)), `${name}(${x}): ${got[i]}, Math: ${math(x)}`).toBe(true);
      });

      it(`${name}: within 1 ULP of Math in each of its loops' ranges and in blocks that mix them`, () => {
        const ranges = [
          fc.double({ min: -Math.PI / 4, max: Math.PI / 4, noNaN: true }),
          fc.double({ min: -823_000, max: 823_000, noNaN: true }),
          fc.double({ min: -10, max: 10, noNaN: true }),
          nearPole,
          mixed,
        ];
        for (const element of ranges) {
          fc.assert(fc.property(runs(element), (xs) => viaSimd(name, xs).every((v, i) => agrees(v, math(xs[i]!)))), params(150));
        }
      });
    }
  });

  describe(`exp, sin, cos of arrays (contiguous float64: the SIMD path; ${label})`, () => {
    it('exp gives the scalar kernel exactly, log, sin and cos Math within 1 ULP', () => {
      const ops = { exp: expArray, log: logArray, sin: sinArray, cos: cosArray };
      fc.assert(fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 700 }), fc.constantFrom('exp' as const, 'log' as const, 'sin' as const, 'cos' as const), (xs, name) => {
        const got = ops[name](array(xs)).toArray() as number[];
        return got.every((v, i) => (name === 'exp' ? Object.is(v, exp(xs[i]!)) : agrees(v, Math[name](xs[i]!))));
      }), params(100));
    });
  });
}
