/**
 * The addon's vector math (src/native/shared_ndarray_native.cc, used by src/ops/kernels/native.ts:
 * exp, sin and cos ported from the WebAssembly kernels, the others glibc's libmvec) at each vector
 * width this machine runs (AVX-512F's eight lanes and AVX2's four), each function run through
 * vectorRun (which computes the blocks the ports refuse):
 * - gives numpy's answers to the elementwise fixtures (fixtures/ops/elementwise.json) within the
 *   fixtures test's 4 ULP, and exactly numpy's NaN, infinities and signed zeros;
 * - is within 4 ULP of Math over runs mixing the kernels' ranges with the special values, and
 *   exactly Math's where Math's answer is NaN, infinite or zero (with its sign);
 * - gives each element the same bits whatever the run's length, offset and strides (negative,
 *   zero, gathered), writes only the elements it is given, and works in place (all but sin and
 *   cos, which choose their loop per block: test/ops/kernels/math-native-wasm.property.test.ts);
 * - refuses indices outside either array with a RangeError and non-Float64Arrays with a TypeError.
 * And exp, sin, ... of float64 arrays (contiguous, reversed, transposed) give the native bits.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectOnlyRunWritten, nearPole, ulps } from '../../support/ulps.js';
import { vectorMath, type VectorMathFunction } from '../../../src/native/addon.js';
import { array, cos, exp, expm1, log, log1p, sin, type SharedNDArray, tanh } from '../../../src/index.js';
import { expTablePairs, NATIVE_MIN, type NativeMath, nativeMathFunctions, vectorRun } from '../../../src/ops/kernels/native.js';

const NAMES = ['exp', 'log', 'sin', 'cos', 'expm1', 'log1p', 'tanh'] as const satisfies readonly NativeMath[];
/** The fixtures test's tolerance (test/ops/fixtures.test.ts): numpy's SVML loops differ from libm by as much. */
const TOLERANCE = 4;

const params = (numRuns: number) => ({ seed: 0x3a7e_2026, numRuns, endOnFailure: true });

/** Within TOLERANCE ULP of `want`, and exactly `want` where it is NaN, infinite or zero (with its sign). */
function agrees(got: number, want: number): boolean {
  if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) return Object.is(got, want);
  return ulps(got, want) <= TOLERANCE;
}

const SPECIAL = [
  0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308, 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE,
  Infinity, -Infinity, Number.NaN, 2 ** -27, -(2 ** -27), 2 ** -60, 1, -1, 0.5, -0.5, -0.9999999999999999, Math.LN2,
  Math.PI / 4, Math.PI / 2, Math.PI, 1e5 * Math.PI, 823549, 2 ** 30, 1e22, 2 ** 1023, 19.1, -19.1, 22, -22, 40, 710,
  707.99, 708, -708, 709, 709.782712893384, 709.7827128933841, -708.4, -744.44, -745.1332191019411, -745.1332191019412, -746, 1e300, -1e300,
];

const mixed = fc.oneof(
  fc.double(),
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc.double({ min: -30, max: 30, noNaN: true }),
  fc.double({ min: -750, max: 750, noNaN: true }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  nearPole,
  fc.constantFrom(...SPECIAL),
);
/** `size: 'max'`: by default fast-check makes arrays of at most 10 elements, whatever maxLength says. */
const runs = fc.array(mixed, { maxLength: 300, size: 'max' });

const SENTINEL = -12345.678;

/** `name` by f over `xs` (the input at `at`, stride `is`; the output at `to`, stride `os`), read back in order. */
function through(name: NativeMath, f: VectorMathFunction, xs: readonly number[], is = 1, os = 1, at = 3, to = 2): number[] {
  const n = xs.length;
  const span = (s: number) => (n === 0 ? 0 : (n - 1) * Math.abs(s) + 1);
  const input = new Float64Array(new SharedArrayBuffer((at + span(is) + 4) * 8)).fill(Number.NaN);
  const first = (s: number, start: number) => (s < 0 ? start + (n - 1) * -s : start);
  const i0 = first(is, at), o0 = first(os, to);
  for (let j = 0; j < n; j++) input[i0 + j * is] = xs[j]!;
  const output = new Float64Array((to + span(os) + 4)).fill(SENTINEL);
  vectorRun(name, f, n, output, o0, os, input, i0, is);
  expectOnlyRunWritten(output, o0, os, n, SENTINEL);
  return Array.from({ length: n }, (_, j) => output[o0 + j * os]!);
}

describe('the addon\'s vector math', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')('loads here (glibc\'s libmvec, an x86-64 CPU with AVX2)', () => {
    const math = vectorMath(8, expTablePairs());
    expect(math?.isa).toMatch(/^avx(512f|2)$/);
    expect(Object.keys(math!.functions).sort()).toEqual([...NAMES].sort());
  });

  it('is what the elementwise loops use, unless SHARED_NDARRAY_NATIVE_MATH=0 switches it off', () => {
    const off = process.env.SHARED_NDARRAY_NATIVE_MATH === '0';
    // (each math() call makes new function objects: compare which functions)
    expect(Object.keys(nativeMathFunctions())).toEqual(off ? [] : Object.keys(vectorMath(8, expTablePairs())?.functions ?? {}));
  });
});

const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/ops/elementwise.json', import.meta.url), 'utf8')) as {
  cases: Array<{ id: number; op: string; args: Array<{ array?: { dtype: string; values: unknown; view: unknown } }>; result: { dtype?: string; values?: unknown } }>;
};
const decode = (v: unknown): number => (v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

/** Each width this machine runs: 8 (AVX-512F) where it has it, and 4 (AVX2). */
const widths = [8, 4].flatMap((w) => {
  const math = vectorMath(w, expTablePairs());
  return math && (w === 8 ? math.isa === 'avx512f' : math.isa === 'avx2') ? [[math.isa, math] as const] : [];
});

for (const [isa, math] of widths) {
  describe(`the addon's ${isa} kernels`, () => {
    const fns = math.functions as Record<NativeMath, VectorMathFunction>;

    it('give numpy\'s answers to the fixtures\' float64 cases (4 ULP; NaN, infinities and zeros exactly)', () => {
      let checked = 0;
      for (const c of FIXTURE.cases) {
        const input = c.args[0]?.array;
        // the cases of plain arrays (a view's result lists the view's elements, not the input's)
        if (!NAMES.includes(c.op as NativeMath) || c.result.dtype !== 'float64' || c.args.length !== 1 || !input || input.view !== null) continue;
        // integers widen to float64 first, as numpy computes them (the fixtures' int64 values fit)
        const xs = flat(input.values).map(decode);
        const want = flat(c.result.values).map(decode);
        const got = new Float64Array(xs.length);
        vectorRun(c.op as NativeMath, fns[c.op as NativeMath], xs.length, got, 0, 1, new Float64Array(xs), 0, 1);
        for (const [k, v] of got.entries()) expect(agrees(v, want[k]!), `case ${c.id}: ${c.op}(${xs[k]}): ${v}, numpy ${want[k]}`).toBe(true);
        checked++;
      }
      // five input dtypes (int32, uint32, int64, uint64, float64) for each function
      expect(checked).toBe(NAMES.length * 5);
    });

    for (const name of NAMES) {
      it(`${name}: within ${TOLERANCE} ULP of Math, special values exactly`, () => {
        const f = fns[name], ref = Math[name];
        const got = through(name, f, SPECIAL);
        for (const [k, x] of SPECIAL.entries()) expect(agrees(got[k]!, ref(x)), `${name}(${x}): ${got[k]}, Math: ${ref(x)}`).toBe(true);
        fc.assert(fc.property(runs, (xs) => through(name, f, xs).every((v, k) => agrees(v, ref(xs[k]!)))), params(60));
      });
    }

    it('give each element the same bits at any length, offset and stride, and in place', () => {
      const stride = fc.constantFrom(1, 1, 2, 3, -1, -2, 7);
      const perElement = NAMES.filter((name) => name !== 'sin' && name !== 'cos');
      fc.assert(fc.property(fc.constantFrom(...perElement), runs, stride, stride, fc.nat(9), fc.nat(9), (name, xs, is, os, at, to) => {
        const f = fns[name];
        const one = xs.map((x) => through(name, f, [x])[0]!);
        const strided = through(name, f, xs, is, os, at, to);
        const inPlace = new Float64Array(xs);
        vectorRun(name, f, xs.length, inPlace, 0, 1, inPlace, 0, 1);
        return strided.every((v, k) => Object.is(v, one[k])) && Array.from(inPlace).every((v, k) => Object.is(v, one[k]));
      }), params(150));
      // stride 0: one element read for every output
      const out = new Float64Array(20);
      fns.sin(new Float64Array([0.25]), 0, 0, out, 0, 1, 20);
      expect(new Set(out)).toEqual(new Set(through('sin', fns.sin, [0.25])));
    });

    it('refuse indices outside either array, and arguments that are not Float64Arrays', () => {
      const a = new Float64Array(10), o = new Float64Array(10);
      expect(() => fns.exp(a, 0, 1, o, 0, 1, 11)).toThrow(RangeError);
      expect(() => fns.exp(a, 5, 1, o, 0, 1, 6)).toThrow(RangeError);
      expect(() => fns.exp(a, 3, -1, o, 0, 1, 5)).toThrow(RangeError);
      expect(() => fns.exp(a, 0, 2, o, 0, 1, 6)).toThrow(RangeError);
      expect(() => fns.exp(a, 0, 1, o, 9, -2, 6)).toThrow(RangeError);
      expect(() => fns.exp(a, 0, 1, o, 0, 1, -1)).toThrow(RangeError);
      expect(() => fns.exp(a, 0, 1.5, o, 0, 1, 2)).toThrow(RangeError);
      expect(() => fns.exp(a, 0, 2 ** 60, o, 0, 1, 2)).toThrow(RangeError);
      expect(() => fns.exp(new Float32Array(10) as never, 0, 1, o, 0, 1, 2)).toThrow(TypeError);
      expect(() => fns.exp(a, 0, 1, [0, 0] as never, 0, 1, 2)).toThrow(TypeError);
      expect(() => vectorMath(8, new Float64Array(255))).toThrow(RangeError);
      expect(() => vectorMath(8, [] as never)).toThrow(TypeError);
      // in bounds at the edges, and nothing to do for count 0 (any offset)
      fns.exp(a, 9, -1, o, 0, 1, 10);
      fns.exp(a, 0, 1, o, 9, -1, 10);
      fns.exp(a, 100, 1, o, 100, 1, 0);
      expect(o[0]).toBe(o[9]);
    });
  });
}

const OPS: Record<NativeMath, (a: SharedNDArray) => SharedNDArray> = { exp, log, sin, cos, expm1, log1p, tanh };

describe.runIf(Object.keys(nativeMathFunctions()).length > 0)('exp, sin, ... of float64 arrays', () => {
  it(`give the native function's bits, contiguous or strided, from runs of ${NATIVE_MIN} elements`, () => {
    const fns = nativeMathFunctions() as Record<NativeMath, VectorMathFunction>;
    const even = fc.array(mixed, { minLength: NATIVE_MIN, maxLength: 200, size: 'max' }).map((xs) => [...xs, ...xs]);
    fc.assert(fc.property(fc.constantFrom(...NAMES), even, fc.constantFrom('contiguous', 'reversed', 'transposed'), (name, xs, view) => {
      const base = array(xs);
      // transposed: rows of the output read every other element of the input
      const a = view === 'reversed' ? base.slice('::-1') : view === 'transposed' ? base.reshape([-1, 2]).T : base;
      const got = Array.from(OPS[name](a).ravel().data as Float64Array);
      const values = Array.from(a.copy().ravel().data as Float64Array);
      // the loops take the output a row at a time (sin and cos choose their loop per run)
      const rows = view === 'transposed' ? 2 : 1, m = values.length / rows;
      const want = Array.from({ length: rows }, (_, r) => through(name, fns[name], values.slice(r * m, (r + 1) * m))).flat();
      return got.every((v, k) => Object.is(v, want[k]));
    }), params(100));
  });
});
