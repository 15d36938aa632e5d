/**
 * The native addon's vector kernels, for the operations that have them: sums down the rows of
 * float64 columns (reduce.ts's sumRows, the same bits with 8 or 4 lanes a step), argmax and argmin
 * of contiguous float64 runs (reduce.ts's argExtremum, the same answers), and exp, log, sin, cos,
 * expm1, log1p and tanh of float64 runs (and pow of float64 and float32 ones), eight lanes a step
 * with AVX-512F, four with AVX2, reading and writing the arrays in place (no block copies, unlike
 * the WebAssembly path of ./math-simd.ts).
 *
 * exp, sin and cos are the WebAssembly kernels (scripts/math-wasm.mjs) ported to the addon: the
 * same operations in the same order, blocks of 4096 as ./math-simd.ts cuts them, so the same bits
 * as that path (and its accuracy: numpy 2's 1 ULP). At a block the kernel refuses (a lane out of
 * its fast range) the addon stops, and `vectorRun` computes the block with the scalar kernels
 * ./math-simd.ts uses for it (exp's vector lanes give the scalar kernel's bits) and goes on.
 * log, expm1, log1p and tanh are glibc's libmvec kernels, within numpy's tolerances for them (1 to
 * 3 ULP, numpy's validation sets; test/ops/numpy-validation.test.ts), with libm's answers for the
 * special values; so is pow of float64 and float32 runs (within 1 ULP of glibc's pow, its special
 * values C99's; the exponents 2, -1 and 0.5 exact, as ./elementwise.ts computes them), except
 * float64 pow with AVX-512F: the addon's own kernel, within 0.55 ULP, glibc's pow for its special
 * lanes.
 *
 * Without the addon, on a CPU without AVX2, or with SHARED_NDARRAY_NATIVE_MATH=0 in the
 * environment (read once per thread, on first use), there is no native math function and the
 * callers use their own kernels; without libmvec (musl, non-x86) only exp, sin and cos are native.
 * The native sumRows and argExtremum need only the addon (their baseline is two lanes) and the
 * switch.
 */
import { nativeArgExtremum as addonArgExtremum, type NativeArgExtremum, nativeSumRows as addonSumRows, type NativeSumRows, type VectorMath, vectorMath, type VectorMathFunction } from '../../native/addon.js';
import { EXP2_H, EXP2_TAIL } from './exp-table.js';
import { cos, exp, sin } from './math.js';

/** SHARED_NDARRAY_NATIVE_MATH=0: the callers keep to their JavaScript and WebAssembly kernels. */
const switchedOff = (): boolean => process.env.SHARED_NDARRAY_NATIVE_MATH === '0';

export type NativeMath = 'exp' | 'log' | 'sin' | 'cos' | 'expm1' | 'log1p' | 'tanh';

/** Below this many elements a call into the addon costs more than the JavaScript loop. */
export const NATIVE_MIN = 16;

let functions: Readonly<Partial<Record<NativeMath, VectorMathFunction>>> | undefined;
let powers: Pick<VectorMath, 'pow' | 'powf'> | undefined;

/** exp's table as the WebAssembly kernel reads it (./math-simd.ts): (2^(j/128), tail) pairs. */
export function expTablePairs(): Float64Array {
  const table = new Float64Array(2 * EXP2_H.length);
  for (let j = 0; j < EXP2_H.length; j++) {
    table[2 * j] = EXP2_H[j]!;
    table[2 * j + 1] = EXP2_TAIL[j]!;
  }
  return table;
}

/** The native functions this thread uses: none when switched off or unavailable. */
export function nativeMathFunctions(): Readonly<Partial<Record<NativeMath, VectorMathFunction>>> {
  if (functions === undefined) {
    const math = switchedOff() ? undefined : vectorMath(8, expTablePairs());
    functions = math?.functions ?? {};
    powers = { pow: math?.pow, powf: math?.powf };
  }
  return functions;
}

/** The native pow and powf this thread uses: none when switched off or unavailable. */
export function nativePowFunctions(): Pick<VectorMath, 'pow' | 'powf'> {
  if (powers === undefined) nativeMathFunctions();
  return powers!;
}

/** Elements per block of the native exp, sin and cos (./math-simd.ts's with the addon). */
const BLOCK = 4096;
/** What ./math-simd.ts computes a refused block with (its exp's vector lanes give these bits too). */
const SCALAR: Partial<Record<NativeMath, (x: number) => number>> = { exp, sin, cos };

/**
 * o[oi + j * os] = fn(a[ai + j * as]) for j < n by `f`, the addon's `fn`, each block it refuses
 * computed by the scalar kernel.
 */
export function vectorRun(fn: NativeMath, f: VectorMathFunction, n: number, o: Float64Array, oi: number, os: number, a: Float64Array, ai: number, as: number): void {
  let j = f(a, ai, as, o, oi, os, n);
  while (j < n) {
    const scalar = SCALAR[fn]!;
    for (const end = Math.min(n, j + BLOCK); j < end; j++) o[oi + j * os] = scalar(a[ai + j * as]!);
    if (j < n) j += f(a, ai + j * as, as, o, oi + j * os, os, n - j);
  }
}

/**
 * o[oi + j * os] = fn(a[ai + j * as]) for j < n. Returns false (and writes nothing) when there is
 * no native `fn` here; the caller's loop then runs.
 */
export function nativeMath(fn: NativeMath, n: number, o: Float64Array, oi: number, os: number, a: Float64Array, ai: number, as: number): boolean {
  const f = (functions ?? nativeMathFunctions())[fn];
  if (f === undefined) return false;
  vectorRun(fn, f, n, o, oi, os, a, ai, as);
  return true;
}

/**
 * o[oi + j * os] = x[xi + j * xs] ** y[yi + j * ys] (C's pow, as ./elementwise.ts's) for j < n,
 * all three float64 or all three float32 arrays. Returns false (and writes nothing) when there is
 * no native pow here; the caller's loop then runs.
 */
export function nativePow(n: number, o: Float64Array | Float32Array, oi: number, os: number, x: Float64Array | Float32Array, xi: number, xs: number, y: Float64Array | Float32Array, yi: number, ys: number): boolean {
  const p = powers ?? nativePowFunctions();
  const f = (o instanceof Float64Array ? p.pow : p.powf) as ((...args: unknown[]) => void) | undefined;
  if (f === undefined) return false;
  f(x, xi, xs, y, yi, ys, o, oi, os, n);
  return true;
}

let sumRows: NativeSumRows | null | undefined;

/** The addon's sumRows for this thread, or null when switched off or unavailable. */
export function nativeSumRows(): NativeSumRows | null {
  if (sumRows === undefined) sumRows = switchedOff() ? null : (addonSumRows() ?? null);
  return sumRows;
}

let argExtremum: NativeArgExtremum | null | undefined;

/** The addon's argExtremum for this thread, or null when switched off or unavailable. */
export function nativeArgExtremum(): NativeArgExtremum | null {
  if (argExtremum === undefined) argExtremum = switchedOff() ? null : (addonArgExtremum() ?? null);
  return argExtremum;
}
