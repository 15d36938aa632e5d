/**
 * The addon's exp, sin and cos (src/native/shared_ndarray_native.cc, ports of the WebAssembly
 * kernels of scripts/math-wasm.mjs) give exactly the WebAssembly path's bits (simdMath of
 * src/ops/kernels/math-simd.ts), at each vector width this machine runs (8 lanes with AVX-512F,
 * 4 with AVX2): over runs mixing doubles of every magnitude with the special values and with
 * arguments next to multiples of pi/2, of lengths that are not multiples of 8 nor of the 4096-element
 * block (whose lanes the kernels refuse as a block, sin and cos choosing their loop per block),
 * read and written with strides (native only: the WebAssembly path takes contiguous runs) and in
 * place. A refused block is left unwritten by the addon and computed by vectorRun's scalar kernels.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectOnlyRunWritten, nearPole } from '../../support/ulps.js';
import { vectorMath, type VectorMathFunction } from '../../../src/native/addon.js';
import { simdMath } from '../../../src/ops/kernels/math-simd.js';
import { expTablePairs, vectorRun } from '../../../src/ops/kernels/native.js';

const NAMES = ['exp', 'sin', 'cos'] as const;
type Name = (typeof NAMES)[number];
const params = (numRuns: number) => ({ seed: 0x7ec_2026, numRuns, endOnFailure: true });

const SPECIAL = [
  0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity,
  -Infinity, Number.NaN, 2 ** -27, 2 ** -60, 1, -1, Math.PI / 4, -Math.PI / 4, 0.7853981633974484, Math.PI / 2, Math.PI,
  823548.9, 823549, -823549, 1e22, 707.99, 707.999, 708, -708, 709.78, -745.13, -746, 1e300,
];
const mixed = fc.oneof(
  fc.double(),
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc.double({ min: -Math.PI / 4, max: Math.PI / 4, noNaN: true }),
  fc.double({ min: -750, max: 750, noNaN: true }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  nearPole,
  fc.constantFrom(...SPECIAL),
);
/** Runs within one loop's range (so a block takes it) or mixed (so it takes another, or is refused). */
const runs = fc.oneof(
  fc.array(fc.double({ min: -Math.PI / 4, max: Math.PI / 4, noNaN: true }), { maxLength: 200, size: 'max' }),
  fc.array(fc.double({ min: -700, max: 700, noNaN: true }), { maxLength: 200, size: 'max' }),
  fc.array(mixed, { maxLength: 200, size: 'max' }),
);

/** What the WebAssembly path writes for xs. */
function wasm(name: Name, xs: ArrayLike<number>): Float64Array {
  const a = new Float64Array(new SharedArrayBuffer(8 * xs.length));
  a.set(xs);
  const o = new Float64Array(new SharedArrayBuffer(8 * xs.length));
  expect(simdMath(name, xs.length, o, 0, a, 0)).toBe(true);
  return o;
}

/** What the native function writes for xs, read at stride `is` from `at` and written at stride `os` from `to`. */
function native(name: Name, f: VectorMathFunction, xs: ArrayLike<number>, is = 1, os = 1, at = 0, to = 0): Float64Array {
  const n = xs.length;
  const span = (s: number) => (n === 0 ? 0 : (n - 1) * Math.abs(s) + 1);
  const first = (s: number, start: number) => (s < 0 ? start + (n - 1) * -s : start);
  const a = new Float64Array(new SharedArrayBuffer(8 * (at + span(is) + 2))).fill(Number.NaN);
  const o = new Float64Array(new SharedArrayBuffer(8 * (to + span(os) + 2))).fill(-1234.5);
  const i0 = first(is, at), o0 = first(os, to);
  for (let j = 0; j < n; j++) a[i0 + j * is] = xs[j]!;
  vectorRun(name, f, n, o, o0, os, a, i0, is);
  expectOnlyRunWritten(o, o0, os, n, -1234.5);
  return Float64Array.from({ length: n }, (_, j) => o[o0 + j * os]!);
}

/** The first index where two runs differ in bits (NaN payloads aside), or -1. */
function firstDifference(got: Float64Array, want: Float64Array): number {
  expect(got.length).toBe(want.length);
  return got.findIndex((v, k) => !Object.is(v, want[k]));
}

/**
 * Blocks of 4096: within pi/4, within the reduced range, one holding a NaN, one an infinity and
 * one a huge argument (refused by sin and cos), one |x| >= 708 (refused by exp), a tail. Made once
 * for every function and width (the tests only read it): sampling it took 0.1 s each time.
 */
const BLOCKS = (() => {
  const rng = fc.sample(fc.double({ min: -1, max: 1, noNaN: true }), { seed: 2026, numRuns: 6 * 4096 + 1000 });
  const xs = Float64Array.from(rng, (u, k) => {
    const block = Math.floor(k / 4096);
    return block === 0 ? u * 0.78 : block === 5 ? u * 1e5 : u * 700;
  });
  xs[2 * 4096 + 17] = Number.NaN;
  xs[3 * 4096 + 4000] = -Infinity;
  xs[4 * 4096 + 1] = 1e300;
  xs[4 * 4096 + 2] = 720;
  return xs;
})();

const widths = [8, 4].flatMap((w) => {
  const math = vectorMath(w, expTablePairs());
  return math && (w === 8 ? math.isa === 'avx512f' : math.isa === 'avx2') ? [[math.isa, math] as const] : [];
});

describe('the native exp, sin and cos', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')('run here (an x86-64 CPU with AVX2)', () => {
    expect(widths.length).toBeGreaterThan(0);
  });
});

for (const [isa, math] of widths) {
  describe(`the ${isa} ports`, () => {
    const fns = math.functions as Record<Name, VectorMathFunction>;

    it('are offered for exp (given its table), sin and cos', () => {
      for (const name of NAMES) expect(fns[name], name).toBeTypeOf('function');
    });

    for (const name of NAMES) {
      it(`${name}: the WebAssembly kernel's bits over runs of any length and mix`, () => {
        const special = native(name, fns[name], SPECIAL);
        expect(firstDifference(special, wasm(name, SPECIAL))).toBe(-1);
        fc.assert(fc.property(runs, (xs) => {
          const k = firstDifference(native(name, fns[name], xs), wasm(name, xs));
          return k === -1 || expect.fail(`${name}(${xs[k]}) at ${k} of ${xs.length}`);
        }), params(120));
      });

      it(`${name}: the WebAssembly kernel's bits across blocks, refused ones among them`, () => {
        const xs = BLOCKS;
        const want = wasm(name, xs);
        expect(firstDifference(native(name, fns[name], xs), want)).toBe(-1);
        // the same run read at stride -1 and written at stride 3, and in place
        expect(firstDifference(native(name, fns[name], xs, -1, 3, 5, 1), want)).toBe(-1);
        const inPlace = new Float64Array(new SharedArrayBuffer(8 * xs.length));
        inPlace.set(xs);
        vectorRun(name, fns[name], xs.length, inPlace, 0, 1, inPlace, 0, 1);
        expect(firstDifference(inPlace, want)).toBe(-1);
      });
    }

    it('give the contiguous bits for strided and in-place runs', () => {
      const stride = fc.constantFrom(1, 2, 3, -1, -2, 7);
      fc.assert(fc.property(fc.constantFrom(...NAMES), runs, stride, stride, fc.nat(9), fc.nat(9), (name, xs, is, os, at, to) => {
        const want = wasm(name, xs);
        const inPlace = new Float64Array(xs);
        vectorRun(name, fns[name], xs.length, inPlace, 0, 1, inPlace, 0, 1);
        return firstDifference(native(name, fns[name], xs, is, os, at, to), want) === -1 && firstDifference(inPlace, want) === -1;
      }), params(120));
    });
  });
}
