/**
 * The native addon's vector kernels, for the operations that have them: sums down the rows of
 * float64 columns (reduce.ts's sumRows, the same bits with 8 or 4 lanes a step), and exp, log,
 * sin, cos, expm1, log1p and tanh of float64 runs through the addon's vector math: glibc's
 * libmvec kernels, eight lanes a step with AVX-512F, four with AVX2, reading and
 * writing the arrays in place (no block copies, unlike the WebAssembly path of ./math-simd.ts).
 * numpy's own float64 loops are the same family of kernels (Intel's SVML), so this is numpy's
 * speed per core, and its accuracy: within 4 ULP of the correctly rounded result (2-3 measured),
 * libm's answers for the special values (NaN, infinities, overflow, underflow, huge arguments).
 *
 * Without the addon, without libmvec (musl, non-x86), on a CPU without AVX2, or with
 * SHARED_NDARRAY_NATIVE_MATH=0 in the environment (read once per thread, on first use), there
 * is no native math function and the callers use their own kernels; the native sumRows needs
 * only the addon (its baseline is two lanes) and the switch.
 */
import { nativeSumRows as addonSumRows, type NativeSumRows, vectorMath, type VectorMathFunction } from '../../native/addon.js';

/** SHARED_NDARRAY_NATIVE_MATH=0: the callers keep to their JavaScript and WebAssembly kernels. */
const switchedOff = (): boolean => process.env.SHARED_NDARRAY_NATIVE_MATH === '0';

export type NativeMath = 'exp' | 'log' | 'sin' | 'cos' | 'expm1' | 'log1p' | 'tanh';

/** Below this many elements a call into the addon costs more than the JavaScript loop. */
export const NATIVE_MIN = 16;

let functions: Readonly<Partial<Record<NativeMath, VectorMathFunction>>> | undefined;

/** The native functions this thread uses: none when switched off or unavailable. */
export function nativeMathFunctions(): Readonly<Partial<Record<NativeMath, VectorMathFunction>>> {
  if (functions === undefined) {
    functions = switchedOff() ? {} : (vectorMath()?.functions ?? {});
  }
  return functions;
}

/**
 * o[oi + j * os] = fn(a[ai + j * as]) for j < n. Returns false (and writes nothing) when there is
 * no native `fn` here; the caller's loop then runs.
 */
export function nativeMath(fn: NativeMath, n: number, o: Float64Array, oi: number, os: number, a: Float64Array, ai: number, as: number): boolean {
  const f = (functions ?? nativeMathFunctions())[fn];
  if (f === undefined) return false;
  f(a, ai, as, o, oi, os, n);
  return true;
}

let sumRows: NativeSumRows | null | undefined;

/** The addon's sumRows for this thread, or null when switched off or unavailable. */
export function nativeSumRows(): NativeSumRows | null {
  if (sumRows === undefined) sumRows = switchedOff() ? null : (addonSumRows() ?? null);
  return sumRows;
}
