/**
 * Reduction kernels: pure functions over one typed array and strided index runs. They know
 * nothing of pools, descriptors or dtypes' names; the planner (../reduce-plan.ts) picks the
 * kernel and the runs, and trusts nothing it has not validated, so these check nothing.
 *
 * Two shapes of work:
 * - a *run*: `n` elements at `x[off + i*s]`, reduced to one value (the reduced axis is the one
 *   with the smallest stride, or the only one);
 * - *rows*: `n` rows of `m` elements at `x[off + r*rs + j*cs]`, reduced elementwise down the rows
 *   into `m` values (a kept axis has the smallest stride: numpy's `a.sum(axis=0)` of a C matrix).
 */

import { nativeArgExtremum, nativeSumRows } from './native.js';

/** Typed arrays whose elements are JS numbers (everything but the 64-bit integer arrays). */
export type NumberArray =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array
  | Int32Array | Uint32Array;
/** Any typed array a SharedNDArray holds: numbers, or bigints for 64-bit integers. */
export type AnyArray = NumberArray | BigInt64Array | BigUint64Array;

/** numpy's PW_BLOCKSIZE: runs up to this length are summed with 8 interleaved accumulators. */
const PW_BLOCK = 128;

/**
 * numpy's pairwise summation (`pairwise_sum` in loops_utils.h), step for step, in float64: runs
 * under 8 add in order, runs up to 128 use 8 interleaved accumulators combined as a tree, longer
 * runs split in two at a multiple of 8 and recurse. The error grows with log2(n), not n; for
 * float64 data the result is the one numpy gives for the same run, bit for bit.
 */
export function pairwiseSum(x: NumberArray, off: number, n: number, s: number): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0, p = off; i < n; i++, p += s) r += x[p]!;
    return r;
  }
  if (n <= PW_BLOCK) {
    let r0 = x[off]!, r1 = x[off + s]!, r2 = x[off + 2 * s]!, r3 = x[off + 3 * s]!;
    let r4 = x[off + 4 * s]!, r5 = x[off + 5 * s]!, r6 = x[off + 6 * s]!, r7 = x[off + 7 * s]!;
    const whole = n - (n % 8);
    let i = 8, p = off + 8 * s;
    for (; i < whole; i += 8, p += 8 * s) {
      r0 += x[p]!; r1 += x[p + s]!; r2 += x[p + 2 * s]!; r3 += x[p + 3 * s]!;
      r4 += x[p + 4 * s]!; r5 += x[p + 5 * s]!; r6 += x[p + 6 * s]!; r7 += x[p + 7 * s]!;
    }
    let r = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++, p += s) r += x[p]!;
    return r;
  }
  const n2 = pairwiseSplit(n);
  return pairwiseSum(x, off, n2, s) + pairwiseSum(x, off + n2 * s, n - n2, s);
}

/** Where numpy's pairwise summation splits a run longer than 128: half, down to a multiple of 8. */
export function pairwiseSplit(n: number): number {
  const half = Math.floor(n / 2);
  return half - (half % 8);
}

/**
 * The sum of squared deviations from `mean`, `sum((x - mean)**2)`, with the same pairwise tree as
 * `pairwiseSum`: numpy's `var` computes exactly this (`x = a - mean; umr_sum(x * x)`), as the
 * second of two passes, which is what keeps it accurate where a one-pass formula cancels.
 */
export function pairwiseSumSqDev(x: NumberArray, off: number, n: number, s: number, mean: number): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0, p = off; i < n; i++, p += s) { const d = x[p]! - mean; r += d * d; }
    return r;
  }
  if (n <= PW_BLOCK) {
    // written out, not through a helper closure: a closure made per call (and, while the bundle
    // kept names, a property definition naming it) was most of var's time on short rows
    let d0 = x[off]! - mean, d1 = x[off + s]! - mean, d2 = x[off + 2 * s]! - mean, d3 = x[off + 3 * s]! - mean;
    let d4 = x[off + 4 * s]! - mean, d5 = x[off + 5 * s]! - mean, d6 = x[off + 6 * s]! - mean, d7 = x[off + 7 * s]! - mean;
    let r0 = d0 * d0, r1 = d1 * d1, r2 = d2 * d2, r3 = d3 * d3, r4 = d4 * d4, r5 = d5 * d5, r6 = d6 * d6, r7 = d7 * d7;
    const whole = n - (n % 8);
    let i = 8, p = off + 8 * s;
    for (; i < whole; i += 8, p += 8 * s) {
      d0 = x[p]! - mean; d1 = x[p + s]! - mean; d2 = x[p + 2 * s]! - mean; d3 = x[p + 3 * s]! - mean;
      d4 = x[p + 4 * s]! - mean; d5 = x[p + 5 * s]! - mean; d6 = x[p + 6 * s]! - mean; d7 = x[p + 7 * s]! - mean;
      r0 += d0 * d0; r1 += d1 * d1; r2 += d2 * d2; r3 += d3 * d3; r4 += d4 * d4; r5 += d5 * d5; r6 += d6 * d6; r7 += d7 * d7;
    }
    let r = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++, p += s) { const d = x[p]! - mean; r += d * d; }
    return r;
  }
  const n2 = pairwiseSplit(n);
  return pairwiseSumSqDev(x, off, n2, s, mean) + pairwiseSumSqDev(x, off + n2 * s, n - n2, s, mean);
}

/**
 * var's two passes over `count` contiguous runs of n <= 128 elements, run r at `off + r*rs`:
 * `acc[a + r] = pairwiseSumSqDev(x, p, n, 1, pairwiseSum(x, p, n, 1) / n)`, bit for bit, with the
 * run loop inside (one call for a block of rows rather than two per row) and the 8 accumulators
 * of each pass in registers: about 3x the speed of the general kernels on rows of 16.
 */
export function varRuns(x: NumberArray, off: number, count: number, rs: number, n: number, acc: Float64Array, a: number): void {
  if (n < 8) {
    for (let row = 0; row < count; row++, off += rs) {
      let sum = 0;
      for (let p = off; p < off + n; p++) sum += x[p]!;
      const mean = sum / n;
      let sq = 0;
      for (let p = off; p < off + n; p++) { const d = x[p]! - mean; sq += d * d; }
      acc[a + row] = sq;
    }
    return;
  }
  const whole = n - (n % 8);
  for (let row = 0; row < count; row++, off += rs) {
    let r0 = x[off]!, r1 = x[off + 1]!, r2 = x[off + 2]!, r3 = x[off + 3]!, r4 = x[off + 4]!, r5 = x[off + 5]!, r6 = x[off + 6]!, r7 = x[off + 7]!;
    let p = off + 8;
    for (const end = off + whole; p < end; p += 8) {
      r0 += x[p]!; r1 += x[p + 1]!; r2 += x[p + 2]!; r3 += x[p + 3]!; r4 += x[p + 4]!; r5 += x[p + 5]!; r6 += x[p + 6]!; r7 += x[p + 7]!;
    }
    let sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (const end = off + n; p < end; p++) sum += x[p]!;
    const mean = sum / n;
    let d0 = x[off]! - mean, d1 = x[off + 1]! - mean, d2 = x[off + 2]! - mean, d3 = x[off + 3]! - mean;
    let d4 = x[off + 4]! - mean, d5 = x[off + 5]! - mean, d6 = x[off + 6]! - mean, d7 = x[off + 7]! - mean;
    r0 = d0 * d0; r1 = d1 * d1; r2 = d2 * d2; r3 = d3 * d3; r4 = d4 * d4; r5 = d5 * d5; r6 = d6 * d6; r7 = d7 * d7;
    p = off + 8;
    for (const end = off + whole; p < end; p += 8) {
      d0 = x[p]! - mean; d1 = x[p + 1]! - mean; d2 = x[p + 2]! - mean; d3 = x[p + 3]! - mean;
      d4 = x[p + 4]! - mean; d5 = x[p + 5]! - mean; d6 = x[p + 6]! - mean; d7 = x[p + 7]! - mean;
      r0 += d0 * d0; r1 += d1 * d1; r2 += d2 * d2; r3 += d3 * d3; r4 += d4 * d4; r5 += d5 * d5; r6 += d6 * d6; r7 += d7 * d7;
    }
    let sq = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (const end = off + n; p < end; p++) { const d = x[p]! - mean; sq += d * d; }
    acc[a + row] = sq;
  }
}

/** The exact sum of a run of integers (any typed array), as a bigint: no rounding, no wrapping. */
export function exactSum(x: AnyArray, off: number, n: number, s: number): bigint {
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
    let r = 0n;
    for (let i = 0, p = off; i < n; i++, p += s) r += x[p]!;
    return r;
  }
  // integers below 2^32 in magnitude add exactly in a double for 2^21 terms: bigints only per block
  let total = 0n;
  for (let start = 0; start < n; start += EXACT_BLOCK) {
    const end = Math.min(n, start + EXACT_BLOCK);
    let r = 0;
    for (let i = start, p = off + start * s; i < end; i++, p += s) r += x[p]!;
    total += BigInt(r);
  }
  return total;
}
const EXACT_BLOCK = 2 ** 21;

/**
 * The product of a run, in order, as numpy multiplies (not pairwise): float32 data in float32
 * steps as numpy's float32 loop (so it overflows and underflows where numpy's does), the rest in
 * float64.
 */
export function floatProd(x: NumberArray, off: number, n: number, s: number): number {
  let r = 1;
  if (x instanceof Float32Array) {
    for (let i = 0, p = off; i < n; i++, p += s) r = Math.fround(r * x[p]!);
    return r;
  }
  for (let i = 0, p = off; i < n; i++, p += s) r *= x[p]!;
  return r;
}

/** The product of a run of integers modulo 2^64 (numpy's int64/uint64 wrap), as a signed bigint. */
export function wrappedProd(x: AnyArray, off: number, n: number, s: number): bigint {
  let r = 1n;
  for (let i = 0, p = off; i < n; i++, p += s) r = BigInt.asIntN(64, r * BigInt(x[p]!));
  return r;
}

/**
 * The largest (`sign` 1) or smallest (`sign` -1) element of a non-empty run; NaN wins, as in
 * numpy's `maximum`/`minimum` (the first NaN met is returned).
 */
export function extremum(x: AnyArray, off: number, n: number, s: number, sign: 1 | -1): number | bigint {
  let m = x[off]!;
  if (Number.isNaN(m)) return m;
  for (let i = 1, p = off + s; i < n; i++, p += s) {
    const v = x[p]!;
    if (sign === 1 ? v > m : v < m) m = v;
    else if (Number.isNaN(v)) return v;
  }
  return m;
}

/**
 * Runs of float64 at least this long go to the addon's argExtremum (vector compares, about twice
 * argMaxUnit's elements a second), shorter ones stay here, where the call would cost more.
 */
const ARG_NATIVE_MIN = 256;

/**
 * The index in the run of the first largest (`sign` 1) or smallest (`sign` -1) element of a
 * non-empty run; the first NaN if there is one, as numpy's `argmax`/`argmin`.
 */
export function argExtremum(x: AnyArray, off: number, n: number, s: number, sign: 1 | -1): number {
  if (s === 1 && !(x instanceof BigInt64Array || x instanceof BigUint64Array)) {
    if (n >= ARG_NATIVE_MIN && x instanceof Float64Array) {
      const native = nativeArgExtremum();
      if (native !== null) return native(x, off, n, sign);
    }
    return sign === 1 ? argMaxUnit(x, off, n) : argMinUnit(x, off, n);
  }
  let m = x[off]!, at = 0;
  if (Number.isNaN(m)) return 0;
  for (let i = 1, p = off + s; i < n; i++, p += s) {
    const v = x[p]!;
    if (sign === 1 ? v > m : v < m) { m = v; at = i; } else if (Number.isNaN(v)) return i;
  }
  return at;
}

/**
 * `argExtremum` of a contiguous run, largest. Eight elements a step, each compared once with the
 * running best as `!(v <= best)`: true for a larger element and for NaN, the only two that change
 * the answer, and seldom true once the best is large, so the step is eight loads and eight
 * untaken branches (no running maxima to move, no NaN test of its own, no second pass to find
 * the index). A step where one is true is walked again element by element, in order: ties and
 * ±0 keep the first, as numpy's, and the first NaN is the answer. About 1.3x the speed of
 * four running maxima per chunk of 256 with a NaN sum and a locate pass (bench/investigate/ops-memory.ts).
 */
function argMaxUnit(x: NumberArray, off: number, n: number): number {
  let best = x[off]!, at = 0;
  if (Number.isNaN(best)) return 0;
  let p = off + 1;
  for (const end = off + n - 7; p < end; p += 8) {
    const v0 = x[p]!, v1 = x[p + 1]!, v2 = x[p + 2]!, v3 = x[p + 3]!, v4 = x[p + 4]!, v5 = x[p + 5]!, v6 = x[p + 6]!, v7 = x[p + 7]!;
    if (!(v0 <= best) || !(v1 <= best) || !(v2 <= best) || !(v3 <= best) || !(v4 <= best) || !(v5 <= best) || !(v6 <= best) || !(v7 <= best)) {
      for (let k = p; k < p + 8; k++) {
        const v = x[k]!;
        if (v > best) { best = v; at = k - off; } else if (Number.isNaN(v)) return k - off;
      }
    }
  }
  for (const end = off + n; p < end; p++) {
    const v = x[p]!;
    if (v > best) { best = v; at = p - off; } else if (Number.isNaN(v)) return p - off;
  }
  return at;
}

/** `argExtremum` of a contiguous run, smallest: argMaxUnit with the comparisons turned. */
function argMinUnit(x: NumberArray, off: number, n: number): number {
  let best = x[off]!, at = 0;
  if (Number.isNaN(best)) return 0;
  let p = off + 1;
  for (const end = off + n - 7; p < end; p += 8) {
    const v0 = x[p]!, v1 = x[p + 1]!, v2 = x[p + 2]!, v3 = x[p + 3]!, v4 = x[p + 4]!, v5 = x[p + 5]!, v6 = x[p + 6]!, v7 = x[p + 7]!;
    if (!(v0 >= best) || !(v1 >= best) || !(v2 >= best) || !(v3 >= best) || !(v4 >= best) || !(v5 >= best) || !(v6 >= best) || !(v7 >= best)) {
      for (let k = p; k < p + 8; k++) {
        const v = x[k]!;
        if (v < best) { best = v; at = k - off; } else if (Number.isNaN(v)) return k - off;
      }
    }
  }
  for (const end = off + n; p < end; p++) {
    const v = x[p]!;
    if (v < best) { best = v; at = p - off; } else if (Number.isNaN(v)) return p - off;
  }
  return at;
}

/**
 * `any` (`want` true: is some element nonzero?) or `all` (`want` false: is some element zero?),
 * stopping at the first element that decides. NaN counts as nonzero, as in numpy.
 */
export function anyAll(x: AnyArray, off: number, n: number, s: number, want: boolean): boolean {
  for (let i = 0, p = off; i < n; i++, p += s) {
    const v = x[p]!;
    if ((v !== 0 && v !== 0n) === want) return want;
  }
  return !want;
}

// ---- rows: reduce m columns down n rows ------------------------------------------------------

/**
 * Columns per tile: each row's piece of a tile is 32 KiB contiguous (eight pages for the
 * prefetcher to follow), and the tile's accumulators and pairwise temporaries stay in L2.
 */
const TILE = 4096;
/** Rows summed (eight at a time) before pairwise combining takes over (numpy adds every row in order). */
export const ROW_LEAF = 32;

/**
 * `acc[a + j] = sum over r < n of x[off + r*rs + j*cs]` for j < m, pairwise over the rows
 * (blocks of 32 rows, added eight rows at a time as a tree, blocks combined as a tree), column
 * tile by column tile. numpy adds the rows one after the other (error growing with n); this is
 * never less accurate. A column's bits depend on its values alone, not on the tiles or strides.
 * Contiguous float64 columns go to the native addon's copy of this function where it loads
 * (./native.ts): the same operations in the same order, 8 or 4 columns a step, so the same bits.
 */
export function sumRows(x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, acc: Float64Array, a: number): void {
  if (cs === 1 && x instanceof Float64Array) {
    const native = nativeSumRows();
    if (native !== null) {
      native(x, off, n, rs, m, acc, a);
      return;
    }
  }
  const tmp: Float64Array[] = [];
  for (let j0 = 0; j0 < m; j0 += TILE) {
    const w = Math.min(TILE, m - j0);
    sumRowsTile(x, off + j0 * cs, n, rs, w, cs, acc, a + j0, tmp, 0);
  }
}

function sumRowsTile(x: NumberArray, off: number, n: number, rs: number, w: number, cs: number, acc: Float64Array, a: number, tmp: Float64Array[], depth: number): void {
  if (n <= ROW_LEAF) {
    acc.fill(0, a, a + w);
    let r = 0, q = off;
    // eight rows a pass: an eighth of the accumulator traffic, the eight added as a tree
    for (; r + 7 < n; r += 8, q += 8 * rs) {
      const q1 = q + rs, q2 = q1 + rs, q3 = q2 + rs, q4 = q3 + rs, q5 = q4 + rs, q6 = q5 + rs, q7 = q6 + rs;
      if (cs === 1) {
        // the same sums with one index, two columns a step: the contiguous case is the common
        // one, and V8 reloads every typed array's fields after a store, so a step's fixed cost is
        // shared by sixteen loads rather than eight (about 1.2x, bench/investigate/ops-memory.ts)
        let j = 0;
        for (; j + 1 < w; j += 2) {
          const u = ((x[q + j]! + x[q1 + j]!) + (x[q2 + j]! + x[q3 + j]!)) + ((x[q4 + j]! + x[q5 + j]!) + (x[q6 + j]! + x[q7 + j]!));
          const k = j + 1;
          const v = ((x[q + k]! + x[q1 + k]!) + (x[q2 + k]! + x[q3 + k]!)) + ((x[q4 + k]! + x[q5 + k]!) + (x[q6 + k]! + x[q7 + k]!));
          acc[a + j]! += u;
          acc[a + k]! += v;
        }
        if (j < w) acc[a + j]! += ((x[q + j]! + x[q1 + j]!) + (x[q2 + j]! + x[q3 + j]!)) + ((x[q4 + j]! + x[q5 + j]!) + (x[q6 + j]! + x[q7 + j]!));
      } else {
        for (let j = 0, p = 0; j < w; j++, p += cs) {
          acc[a + j]! += ((x[q + p]! + x[q1 + p]!) + (x[q2 + p]! + x[q3 + p]!)) + ((x[q4 + p]! + x[q5 + p]!) + (x[q6 + p]! + x[q7 + p]!));
        }
      }
    }
    for (; r + 3 < n; r += 4, q += 4 * rs) {
      const q1 = q + rs, q2 = q1 + rs, q3 = q2 + rs;
      for (let j = 0, p = 0; j < w; j++, p += cs) acc[a + j]! += (x[q + p]! + x[q1 + p]!) + (x[q2 + p]! + x[q3 + p]!);
    }
    for (; r < n; r++, q += rs) {
      for (let j = 0, p = q; j < w; j++, p += cs) acc[a + j]! += x[p]!;
    }
    return;
  }
  const n2 = Math.floor(n / 2);
  sumRowsTile(x, off, n2, rs, w, cs, acc, a, tmp, depth + 1);
  tmp[depth] ??= new Float64Array(TILE);
  const t = tmp[depth]!;
  sumRowsTile(x, off + n2 * rs, n - n2, rs, w, cs, t, 0, tmp, depth + 1);
  for (let j = 0; j < w; j++) acc[a + j]! += t[j]!;
}

/** `sumRows` of the squared deviations from each column's mean, `means[ma + j]` (var's second pass). */
export function sumSqDevRows(x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, means: Float64Array, ma: number, acc: Float64Array, a: number): void {
  const tmp: Float64Array[] = [];
  for (let j0 = 0; j0 < m; j0 += TILE) {
    const w = Math.min(TILE, m - j0);
    sumSqDevRowsTile(x, off + j0 * cs, n, rs, w, cs, means, ma + j0, acc, a + j0, tmp, 0);
  }
}

function sumSqDevRowsTile(x: NumberArray, off: number, n: number, rs: number, w: number, cs: number, means: Float64Array, ma: number, acc: Float64Array, a: number, tmp: Float64Array[], depth: number): void {
  if (n <= ROW_LEAF) {
    acc.fill(0, a, a + w);
    let r = 0, q = off;
    for (; r + 3 < n; r += 4, q += 4 * rs) {
      const q1 = q + rs, q2 = q1 + rs, q3 = q2 + rs;
      for (let j = 0, p = 0; j < w; j++, p += cs) {
        const mean = means[ma + j]!;
        const d0 = x[q + p]! - mean, d1 = x[q1 + p]! - mean, d2 = x[q2 + p]! - mean, d3 = x[q3 + p]! - mean;
        acc[a + j]! += (d0 * d0 + d1 * d1) + (d2 * d2 + d3 * d3);
      }
    }
    for (; r < n; r++, q += rs) {
      for (let j = 0, p = q; j < w; j++, p += cs) { const d = x[p]! - means[ma + j]!; acc[a + j]! += d * d; }
    }
    return;
  }
  const n2 = Math.floor(n / 2);
  sumSqDevRowsTile(x, off, n2, rs, w, cs, means, ma, acc, a, tmp, depth + 1);
  tmp[depth] ??= new Float64Array(TILE);
  const t = tmp[depth]!;
  sumSqDevRowsTile(x, off + n2 * rs, n - n2, rs, w, cs, means, ma, t, 0, tmp, depth + 1);
  for (let j = 0; j < w; j++) acc[a + j]! += t[j]!;
}

/** `acc[a + j]` = the product down the rows of column j, in row order (as numpy multiplies; float32 in float32 steps). */
export function prodRows(x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, acc: Float64Array, a: number): void {
  acc.fill(1, a, a + m);
  if (x instanceof Float32Array) {
    for (let r = 0, q = off; r < n; r++, q += rs) {
      for (let j = 0, p = q; j < m; j++, p += cs) acc[a + j] = Math.fround(acc[a + j]! * x[p]!);
    }
    return;
  }
  for (let r = 0, q = off; r < n; r++, q += rs) {
    for (let j = 0, p = q; j < m; j++, p += cs) acc[a + j]! *= x[p]!;
  }
}

/** `extremum` of each column into `acc` (n >= 1); NaN wins. */
export function extremumRows(x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, sign: 1 | -1, acc: Float64Array, a: number): void {
  for (let j = 0, p = off; j < m; j++, p += cs) acc[a + j] = x[p]!;
  for (let r = 1, q = off + rs; r < n; r++, q += rs) {
    for (let j = 0, p = q; j < m; j++, p += cs) {
      const v = x[p]!, b = acc[a + j]!;
      // a column that already holds NaN keeps it
      if ((sign === 1 ? v > b : v < b) || (Number.isNaN(v) && !Number.isNaN(b))) acc[a + j] = v;
    }
  }
}

/**
 * `argExtremum` of each column: `at[a + j]` gets the row of the first extreme (or first NaN) of
 * column j, `best` (length >= m) is scratch for the extreme values (n >= 1).
 */
export function argExtremumRows(x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, sign: 1 | -1, best: Float64Array, at: Float64Array, a: number): void {
  for (let j = 0, p = off; j < m; j++, p += cs) { best[j] = x[p]!; at[a + j] = 0; }
  for (let r = 1, q = off + rs; r < n; r++, q += rs) {
    for (let j = 0, p = q; j < m; j++, p += cs) {
      const v = x[p]!, b = best[j]!;
      if ((sign === 1 ? v > b : v < b) || (Number.isNaN(v) && !Number.isNaN(b))) { best[j] = v; at[a + j] = r; }
    }
  }
}

/** `any` (`want` true) or `all` (`want` false) of each column into `acc` as 1 or 0. */
export function anyAllRows(x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, want: boolean, acc: Float64Array, a: number): void {
  const none = want ? 0 : 1, hit = want ? 1 : 0;
  acc.fill(none, a, a + m);
  for (let r = 0, q = off; r < n; r++, q += rs) {
    for (let j = 0, p = q; j < m; j++, p += cs) {
      if ((x[p]! !== 0) === want) acc[a + j] = hit;
    }
  }
}
