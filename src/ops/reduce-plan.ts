/**
 * How a reduction runs: its plan (the geometry reduced to kept positions × one reduced run), the
 * jobs that fill accumulators, and how partial accumulators combine. A plan is plain data, so a
 * worker runs a job from the plan, the input's buffer and the accumulator's buffer alone; the
 * calling thread runs the same jobs inline for small inputs. Nothing here validates: the public
 * functions (reductions.ts) do, once.
 *
 * Determinism: the jobs and the order partials combine in depend on the input's shape only, never
 * on the pool's size, so a reduction gives the same bits on 1 thread, 2 threads or inline.
 */
import type { DType } from '../ndarray/dtype.js';
import { strided } from './geometry.js';
import {
  anyAll, anyAllRows, argExtremum, argExtremumRows, exactSum, extremum, extremumRows, floatProd,
  pairwiseSplit, pairwiseSum, pairwiseSumSqDev, prodRows, ROW_LEAF, sumRows, sumSqDevRows, varRuns, wrappedProd,
  type AnyArray, type NumberArray,
} from './kernels/reduce.js';

/**
 * What a job computes per output: `sumsqdev` is var's second pass (needs the means); `var` is both
 * of var's passes over one output's whole run in one job (its mean, then its squared deviations),
 * for plans whose runs are neither split nor walked down rows.
 */
export type ReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all' | 'sumsqdev' | 'var';

export interface ReducePlan {
  op: ReduceOp;
  /** Accumulate exactly in bigints (integer sums and products, 64-bit min/max) instead of float64. */
  exact: boolean;
  /** Element index of the first element, as in the view. */
  offset: number;
  /** Kept axes in iteration order (outermost first), coalesced; the accumulators follow it in C order. */
  keptShape: number[];
  keptStrides: number[];
  /** The reduced run: n elements, stride s (all reduced axes coalesced into one). */
  n: number;
  s: number;
  /** Reduce rows down columns: the innermost kept axis has a smaller stride than the run. */
  rows: boolean;
  /** The reduced run is cut into 2^depth blocks along the pairwise tree, each job filling one block's partials. */
  depth: number;
}

/** Output positions a job below this many elements of input is not worth a thread for. */
const MIN_LEAF = 1 << 15;
/** Runs up to this long (numpy's pairwise block) go to varRuns. */
const VAR_RUNS = 128;
/** At most 2^MAX_DEPTH partials per output. */
const MAX_DEPTH = 4;
/** With this many outputs, jobs split the outputs and never the reduced run. */
const SPLIT_OUTPUTS = 64;

/**
 * Chooses `depth` for a plan: along a run (one output per run), the run is split into blocks
 * only when there are too few outputs to share out, and only into blocks of at least 2^15
 * elements. Down rows (`rows`: the outputs are the columns, side by side in memory) the rows
 * are split whatever the outputs: cutting the columns instead would give each thread a strided
 * piece of every row, where a block of whole rows streams through memory, its sums accumulating
 * into a row of partials per block, combined pairwise at the end. Blocks of rows keep at least
 * ROW_LEAF rows, so the cut falls where the kernel's own tree splits and the bits do not change.
 * Depends on the shape alone (see the module comment).
 */
export function chooseDepth(outputs: number, n: number, rows = false): number {
  if (!rows && outputs >= SPLIT_OUTPUTS) return 0;
  const enough = (d: number): boolean => (rows
    ? n >> (d + 1) >= ROW_LEAF && (n >> (d + 1)) * outputs >= MIN_LEAF
    : n >> (d + 1) >= MIN_LEAF);
  let depth = 0;
  while (depth < MAX_DEPTH && enough(depth)) depth++;
  return depth;
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * `[start, length]` of block `leaf` of a run of n split to `depth` along the same tree the
 * kernel's own recursion follows (numpy's split for runs, halves for rows), so that combining the
 * blocks' partials in tree order (combineSums) reproduces the unsplit kernel's result.
 */
export function leafRange(plan: ReducePlan, leaf: number): [number, number] {
  let start = 0, n = plan.n;
  for (let d = plan.depth - 1; d >= 0; d--) {
    const left = plan.rows ? Math.floor(n / 2) : pairwiseSplit(n);
    if ((leaf >> d) & 1) { start += left; n -= left; } else n = left;
  }
  return [start, n];
}

/**
 * Fills `acc[base + o]` for outputs `lo <= o < hi` over block `leaf` of the reduced run, where
 * `base = leaf * outputs`. `acc` is a Float64Array, or a BigInt64Array for exact plans (values
 * modulo 2^64); `means` is var's per-output mean for `sumsqdev`. For argmin/argmax the values are
 * indices into the whole run.
 */
export function runJob(plan: ReducePlan, x: AnyArray, acc: Float64Array | BigInt64Array, means: Float64Array | undefined, leaf: number, lo: number, hi: number): void {
  const [start, n] = leafRange(plan, leaf);
  const outputs = sizeOfShape(plan.keptShape);
  const base = leaf * outputs;
  const { keptShape, keptStrides, s } = plan;
  const q = keptShape.length;
  const first = plan.offset + start * s;
  if (plan.rows) {
    const m = keptShape[q - 1]!, cs = keptStrides[q - 1]!;
    const scratch = plan.op === 'argmin' || plan.op === 'argmax' ? new Float64Array(Math.min(m, hi - lo)) : undefined;
    for (let o = lo; o < hi;) {
      const j = o % m, w = Math.min(m - j, hi - o);
      const off = first + positionOf(keptShape, keptStrides, q - 1, Math.floor(o / m)) + j * cs;
      rowsJob(plan.op, x as NumberArray, off, n, s, w, cs, acc as Float64Array, base + o, means, o, scratch, start);
      o += w;
    }
    return;
  }
  if (plan.op === 'var' && s === 1 && n <= VAR_RUNS && q > 0) {
    // short contiguous runs (np.std(a, axis=1) of narrow rows): a block of runs per kernel call
    const m = keptShape[q - 1]!, rs = keptStrides[q - 1]!;
    for (let o = lo; o < hi;) {
      const j = o % m, w = Math.min(m - j, hi - o);
      const off = first + positionOf(keptShape, keptStrides, q - 1, Math.floor(o / m)) + j * rs;
      varRuns(x as NumberArray, off, w, rs, n, acc as Float64Array, base + o);
      o += w;
    }
    return;
  }
  // one run per output: walk the kept positions with an odometer from position lo
  const counter = new Array<number>(q).fill(0);
  let rest = lo, off = first;
  for (let k = q - 1; k >= 0; k--) {
    counter[k] = rest % keptShape[k]!;
    rest = Math.floor(rest / keptShape[k]!);
    off += counter[k]! * keptStrides[k]!;
  }
  for (let o = lo; o < hi; o++) {
    runOne(plan, x, off, n, acc, base + o, means === undefined ? 0 : means[o]!, start);
    for (let k = q - 1; k >= 0; k--) {
      off += keptStrides[k]!;
      if (++counter[k]! < keptShape[k]!) break;
      off -= keptStrides[k]! * keptShape[k]!;
      counter[k] = 0;
    }
  }
}

/**
 * The work of a plan as `units(plan)` units, unit `u` being output `u % outputs` over block
 * `u / outputs` of the run: what the pool's row blocks divide. Fills units `[start, stop)`.
 */
export function runUnits(plan: ReducePlan, x: AnyArray, acc: Float64Array | BigInt64Array, means: Float64Array | undefined, start: number, stop: number): void {
  const outputs = sizeOfShape(plan.keptShape);
  for (let leaf = Math.floor(start / outputs); leaf * outputs < stop; leaf++) {
    const lo = Math.max(start, leaf * outputs) - leaf * outputs;
    const hi = Math.min(stop, (leaf + 1) * outputs) - leaf * outputs;
    runJob(plan, x, acc, means, leaf, lo, hi);
  }
}

/**
 * What crosses to a worker for one pass of a reduction: the plan, the input's buffer and dtype
 * (the plan holds its geometry), the accumulators' buffer (float64, or int64/uint64 for exact
 * plans) and, for var's second pass, the means' buffer (float64, one per output).
 */
export interface ReduceJob {
  readonly plan: ReducePlan;
  readonly dtype: DType;
  readonly buffer: ArrayBufferLike;
  readonly acc: ArrayBufferLike;
  readonly accType: 'float64' | 'int64' | 'uint64';
  readonly means: ArrayBufferLike | null;
}

/** The worker's side of a reduction pass: units `[start, stop)` of `job`. */
export function runReduceJob(job: ReduceJob, start: number, stop: number): void {
  const x = strided({ dtype: job.dtype, buffer: job.buffer, offset: 0, strides: [] }).data as AnyArray;
  const acc = job.accType === 'float64' ? new Float64Array(job.acc) : job.accType === 'int64' ? new BigInt64Array(job.acc) : new BigUint64Array(job.acc);
  runUnits(job.plan, x, acc as Float64Array | BigInt64Array, job.means === null ? undefined : new Float64Array(job.means), start, stop);
}

/** How many units `runUnits` divides a plan's work into. */
export function units(plan: ReducePlan): number {
  return sizeOfShape(plan.keptShape) << plan.depth;
}

/** Offset of kept position `index` (C order over the first `count` kept axes). */
function positionOf(shape: readonly number[], strides: readonly number[], count: number, index: number): number {
  let off = 0;
  for (let k = count - 1; k >= 0; k--) {
    off += (index % shape[k]!) * strides[k]!;
    index = Math.floor(index / shape[k]!);
  }
  return off;
}

function runOne(plan: ReducePlan, x: AnyArray, off: number, n: number, acc: Float64Array | BigInt64Array, at: number, mean: number, start: number): void {
  const { s } = plan;
  if (plan.exact) {
    const big = acc as BigInt64Array;
    switch (plan.op) {
      case 'sum': big[at] = BigInt.asIntN(64, exactSum(x, off, n, s)); return;
      case 'prod': big[at] = wrappedProd(x, off, n, s); return;
      default: big[at] = BigInt.asIntN(64, BigInt(extremum(x, off, n, s, plan.op === 'max' ? 1 : -1))); return;
    }
  }
  const f = acc as Float64Array;
  switch (plan.op) {
    case 'sum': f[at] = pairwiseSum(x as NumberArray, off, n, s); return;
    case 'sumsqdev': f[at] = pairwiseSumSqDev(x as NumberArray, off, n, s, mean); return;
    // the run is the whole reduced run here (depth 0), so n is the count
    case 'var': f[at] = pairwiseSumSqDev(x as NumberArray, off, n, s, pairwiseSum(x as NumberArray, off, n, s) / n); return;
    case 'prod': f[at] = floatProd(x as NumberArray, off, n, s); return;
    case 'min': case 'max': f[at] = Number(extremum(x, off, n, s, plan.op === 'max' ? 1 : -1)); return;
    case 'argmin': case 'argmax': f[at] = start + argExtremum(x, off, n, s, plan.op === 'argmax' ? 1 : -1); return;
    case 'any': case 'all': f[at] = anyAll(x, off, n, s, plan.op === 'any') ? 1 : 0; return;
  }
}

function rowsJob(op: ReduceOp, x: NumberArray, off: number, n: number, rs: number, m: number, cs: number, acc: Float64Array, a: number, means: Float64Array | undefined, o: number, scratch: Float64Array | undefined, start: number): void {
  switch (op) {
    case 'sum': sumRows(x, off, n, rs, m, cs, acc, a); return;
    case 'sumsqdev': sumSqDevRows(x, off, n, rs, m, cs, means!, o, acc, a); return;
    case 'prod': prodRows(x, off, n, rs, m, cs, acc, a); return;
    case 'min': case 'max': extremumRows(x, off, n, rs, m, cs, op === 'max' ? 1 : -1, acc, a); return;
    case 'argmin': case 'argmax': {
      argExtremumRows(x, off, n, rs, m, cs, op === 'argmax' ? 1 : -1, scratch!, acc, a);
      if (start !== 0) for (let j = 0; j < m; j++) acc[a + j]! += start;
      return;
    }
    case 'any': case 'all': anyAllRows(x, off, n, rs, m, cs, op === 'any', acc, a); return;
  }
}

/**
 * Folds the 2^depth blocks of partials in `acc` into block 0, in the pairwise tree's order (a
 * block with the next: the order the kernels' own recursion adds in), and returns block 0.
 * argmin/argmax compare the values their indices point at in `x`.
 */
export function combine(plan: ReducePlan, x: AnyArray, acc: Float64Array | BigInt64Array): Float64Array | BigInt64Array {
  const outputs = sizeOfShape(plan.keptShape);
  for (let blocks = 1 << plan.depth; blocks > 1; blocks >>= 1) {
    for (let i = 0; i < blocks / 2; i++) {
      const to = i * outputs, a = 2 * i * outputs, b = a + outputs;
      for (let o = 0; o < outputs; o++) merge(plan, x, acc, to + o, a + o, b + o, o);
    }
  }
  return acc.subarray(0, outputs);
}

function merge(plan: ReducePlan, x: AnyArray, acc: Float64Array | BigInt64Array, to: number, a: number, b: number, o: number): void {
  if (plan.exact) {
    const big = acc as BigInt64Array, u = big[a]!, v = big[b]!;
    switch (plan.op) {
      case 'sum': big[to] = BigInt.asIntN(64, u + v); return;
      case 'prod': big[to] = BigInt.asIntN(64, u * v); return;
      default: big[to] = (plan.op === 'max' ? v > u : v < u) ? v : u; return;
    }
  }
  const f = acc as Float64Array, u = f[a]!, v = f[b]!;
  switch (plan.op) {
    case 'sum': case 'sumsqdev': case 'var': f[to] = u + v; return;
    case 'prod': f[to] = x instanceof Float32Array ? Math.fround(u * v) : u * v; return;
    // the earlier block's NaN stays; a later NaN wins over a number
    case 'min': case 'max': f[to] = Number.isNaN(u) ? u : Number.isNaN(v) || (plan.op === 'max' ? v > u : v < u) ? v : u; return;
    case 'any': f[to] = u || v ? 1 : 0; return;
    case 'all': f[to] = u && v ? 1 : 0; return;
    case 'argmin': case 'argmax': {
      const q = plan.keptShape.length;
      const base = plan.offset + positionOf(plan.keptShape, plan.keptStrides, q, o);
      const xu = x[base + u * plan.s]!, xv = x[base + v * plan.s]!;
      f[to] = Number.isNaN(xu) ? u : Number.isNaN(xv) || (plan.op === 'argmax' ? xv > xu : xv < xu) ? v : u;
      return;
    }
  }
}
