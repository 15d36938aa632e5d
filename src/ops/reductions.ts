/**
 * numpy's reductions: sum, prod, mean, min, max, argmin, argmax, var, std, any, all. Each
 * validates once here, plans (reduce-plan.ts), runs the plan's jobs and writes the result into a
 * fresh array or `out`.
 */
import { ArgumentError, DTypeError, ReadOnlyError, ShapeError, ValueError } from '../errors.js';
import { checkOptionKeys, show, showShape } from '../check.js';
import { DTYPES, resolveDType, type DType, type DTypeLike, type Scalar, type ScalarOf } from '../ndarray/dtype.js';
import { forEachIndex, normalizeAxis } from '../ndarray/layout.js';
import { typedArrayOver } from '../ndarray/memory.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import { castFn, type Stored } from '../ndarray/values.js';
import { Pool } from '../pool/pool.js';
import type { AnyPool } from '../pool/default-pool.js';
import type { AnyArray } from './kernels/reduce.js';
import { runAsync, runSync, type Job } from './plan.js';
import { chooseDepth, combine, sizeOfShape, units, type ReduceJob, type ReduceOp, type ReducePlan } from './reduce-plan.js';

/** The options every reduction takes. */
export interface ReduceOptions {
  /** The axis or axes to reduce (negative counts from the end); omitted or null: all of them. */
  axis?: number | readonly number[] | null | undefined;
  /** Keep the reduced axes in the result, with length 1, so it broadcasts against the input. */
  keepdims?: boolean | undefined;
  /** Write the result here (its shape must be the result's) instead of a new array. */
  out?: SharedNDArray | undefined;
  /** The pool to run on (started on any worker module); default the package's default pool. */
  pool?: AnyPool | undefined;
}

/** `sum` and `prod`: also the dtype to accumulate in and return. */
export interface SumOptions extends ReduceOptions {
  /** Accumulate in and return this dtype; the input is cast to it first, as numpy does. */
  dtype?: DTypeLike | undefined;
}

/** `mean`: the float dtype to compute in and return (float64 for integer input). */
export interface MeanOptions extends ReduceOptions {
  dtype?: 'float32' | 'float64' | 'f4' | 'f8' | 'f' | 'd' | 'single' | 'double' | 'float' | undefined;
}

/** `var` and `std`: also numpy's `ddof`, the divisor being `n - ddof`. */
export interface VarOptions extends MeanOptions {
  /** Delta degrees of freedom (default 0; 1 gives the unbiased sample variance). */
  ddof?: number | undefined;
}

/** `argmin` and `argmax`: one axis or none (the flattened array, in C order), as in numpy. */
export interface ArgOptions {
  axis?: number | null | undefined;
  keepdims?: boolean | undefined;
  out?: SharedNDArray | undefined;
  pool?: AnyPool | undefined;
}

/** Options whose reduction returns a JS scalar: every axis, no keepdims, no out. */
export type Whole<O> = O & { axis?: null | undefined; keepdims?: false | undefined; out?: undefined };
/** Options whose reduction returns an array: an axis, keepdims or out. */
export type ArrayResult<O> = O & ({ axis: number | readonly number[] } | { keepdims: true } | { out: SharedNDArray });

type Unsigned = 'uint8' | 'uint8c' | 'uint16' | 'uint32' | 'uint64';
/** numpy's `sum`/`prod` dtype on 64-bit Linux: floats keep theirs, integers and bool widen to 64 bits. */
export type SumDType<D extends DType> = D extends 'float32' | 'float64' ? D : D extends Unsigned ? 'uint64' : 'int64';
/** numpy's `mean`/`var`/`std` dtype: float32 stays, everything else is float64. */
export type MeanDType<D extends DType> = D extends 'float32' ? 'float32' : 'float64';
/** `min`/`max` keep the dtype, except that bool stays bool. */
export type SameDType<D extends DType> = D;

// ---- the public functions -----------------------------------------------------------------------

/**
 * numpy's `sum`: pairwise summation (numpy's own algorithm along the reduced run, and pairwise
 * over rows where numpy adds them in order). Integers and bool sum exactly into int64 (uint64 for
 * unsigned), wrapping modulo 2^64 as numpy does; 64-bit results are bigints. The sum of nothing is 0.
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when `dtype` is unknown, or the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function sum(a: SharedNDArray, options: ArrayResult<SumOptions>): SharedNDArray;
export function sum<D extends DType>(a: SharedNDArray<D>, options?: Whole<SumOptions> & { dtype?: undefined }): ScalarOf<SumDType<D>>;
export function sum<T extends DType>(a: SharedNDArray, options: Whole<SumOptions> & { dtype: T }): ScalarOf<T>;
export function sum(a: SharedNDArray, options?: SumOptions): SharedNDArray | Scalar;
export function sum(a: SharedNDArray, options?: SumOptions): unknown {
  return reduce('sum', a, options, SUM_KEYS);
}

/**
 * numpy's `prod`, multiplying in order. Integers and bool multiply into int64 (uint64 for
 * unsigned) modulo 2^64, as numpy does. The product of nothing is 1.
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when `dtype` is unknown, or the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function prod(a: SharedNDArray, options: ArrayResult<SumOptions>): SharedNDArray;
export function prod<D extends DType>(a: SharedNDArray<D>, options?: Whole<SumOptions> & { dtype?: undefined }): ScalarOf<SumDType<D>>;
export function prod<T extends DType>(a: SharedNDArray, options: Whole<SumOptions> & { dtype: T }): ScalarOf<T>;
export function prod(a: SharedNDArray, options?: SumOptions): SharedNDArray | Scalar;
export function prod(a: SharedNDArray, options?: SumOptions): unknown {
  return reduce('prod', a, options, SUM_KEYS);
}

/**
 * numpy's `mean`: the pairwise sum divided by the count, in float64 (float32 for float32 input,
 * computed in float64 and rounded once). The mean of nothing is NaN (numpy also warns).
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when `dtype` is not a float dtype, or the result cannot be cast to `out`'s dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function mean(a: SharedNDArray, options: ArrayResult<MeanOptions>): SharedNDArray;
export function mean<D extends DType>(a: SharedNDArray<D>, options?: Whole<MeanOptions>): number;
export function mean(a: SharedNDArray, options?: MeanOptions): SharedNDArray | Scalar;
export function mean(a: SharedNDArray, options?: MeanOptions): unknown {
  return reduce('mean', a, options, MEAN_KEYS);
}

/**
 * numpy's `var`: the mean of squared deviations from the mean, divided by `n - ddof`, in two
 * passes (the mean, then the pairwise sum of squared deviations) as numpy computes it. With
 * `n - ddof <= 0` the divisor is 0: Infinity, or NaN for no deviation (numpy also warns).
 * @throws {ArgumentError} when an option is of the wrong type or unknown, or ddof is not a finite number
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when `dtype` is not a float dtype, or the result cannot be cast to `out`'s dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
function variance(a: SharedNDArray, options: ArrayResult<VarOptions>): SharedNDArray;
function variance<D extends DType>(a: SharedNDArray<D>, options?: Whole<VarOptions>): number;
function variance(a: SharedNDArray, options?: VarOptions): SharedNDArray | Scalar;
function variance(a: SharedNDArray, options?: VarOptions): unknown {
  return reduce('var', a, options, VAR_KEYS);
}
export { variance as var };

/**
 * numpy's `std`: the square root of `var` with the same options.
 * @throws {ArgumentError} when an option is of the wrong type or unknown, or ddof is not a finite number
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when `dtype` is not a float dtype, or the result cannot be cast to `out`'s dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function std(a: SharedNDArray, options: ArrayResult<VarOptions>): SharedNDArray;
export function std<D extends DType>(a: SharedNDArray<D>, options?: Whole<VarOptions>): number;
export function std(a: SharedNDArray, options?: VarOptions): SharedNDArray | Scalar;
export function std(a: SharedNDArray, options?: VarOptions): unknown {
  return reduce('std', a, options, VAR_KEYS);
}

/**
 * numpy's `min` (`amin`): NaN wins, as in numpy. Of nothing there is no minimum.
 * @throws {ValueError} when a reduced axis is empty (numpy: "zero-size array to reduction operation minimum which has no identity")
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function min<D extends DType>(a: SharedNDArray<D>, options: ArrayResult<ReduceOptions>): SharedNDArray<D>;
export function min<D extends DType>(a: SharedNDArray<D>, options?: Whole<ReduceOptions>): ScalarOf<D>;
export function min(a: SharedNDArray, options?: ReduceOptions): SharedNDArray | Scalar;
export function min(a: SharedNDArray, options?: ReduceOptions): unknown {
  return reduce('min', a, options, REDUCE_KEYS);
}

/**
 * numpy's `max` (`amax`): NaN wins, as in numpy. Of nothing there is no maximum.
 * @throws {ValueError} when a reduced axis is empty
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function max<D extends DType>(a: SharedNDArray<D>, options: ArrayResult<ReduceOptions>): SharedNDArray<D>;
export function max<D extends DType>(a: SharedNDArray<D>, options?: Whole<ReduceOptions>): ScalarOf<D>;
export function max(a: SharedNDArray, options?: ReduceOptions): SharedNDArray | Scalar;
export function max(a: SharedNDArray, options?: ReduceOptions): unknown {
  return reduce('max', a, options, REDUCE_KEYS);
}

/**
 * numpy's `argmin`: the index of the first minimum (of the first NaN, if any) along one axis, or
 * in the flattened array (C order) when `axis` is omitted; that flat index is a JS number, arrays
 * of indices are int64 as in numpy.
 * @throws {ValueError} when the axis (or the array) is empty
 * @throws {ArgumentError} when an option is of the wrong type or unknown, or `axis` is a list
 * @throws {ShapeError} when the axis is out of bounds, or `out` has the wrong shape
 * @throws {DTypeError} when int64 cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function argmin(a: SharedNDArray, options: ArrayResult<ArgOptions>): SharedNDArray;
export function argmin(a: SharedNDArray, options?: Whole<ArgOptions>): number;
export function argmin(a: SharedNDArray, options?: ArgOptions): SharedNDArray | Scalar;
export function argmin(a: SharedNDArray, options?: ArgOptions): unknown {
  return reduce('argmin', a, options, REDUCE_KEYS);
}

/**
 * numpy's `argmax`: the index of the first maximum (of the first NaN, if any); see `argmin`.
 * @throws {ValueError} when the axis (or the array) is empty
 * @throws {ArgumentError} when an option is of the wrong type or unknown, or `axis` is a list
 * @throws {ShapeError} when the axis is out of bounds, or `out` has the wrong shape
 * @throws {DTypeError} when int64 cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function argmax(a: SharedNDArray, options: ArrayResult<ArgOptions>): SharedNDArray;
export function argmax(a: SharedNDArray, options?: Whole<ArgOptions>): number;
export function argmax(a: SharedNDArray, options?: ArgOptions): SharedNDArray | Scalar;
export function argmax(a: SharedNDArray, options?: ArgOptions): unknown {
  return reduce('argmax', a, options, REDUCE_KEYS);
}

/**
 * numpy's `any`: is some element nonzero (NaN counts)? `false` for nothing.
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function any(a: SharedNDArray, options: ArrayResult<ReduceOptions>): SharedNDArray;
export function any(a: SharedNDArray, options?: Whole<ReduceOptions>): boolean;
export function any(a: SharedNDArray, options?: ReduceOptions): SharedNDArray | Scalar;
export function any(a: SharedNDArray, options?: ReduceOptions): unknown {
  return reduce('any', a, options, REDUCE_KEYS);
}

/**
 * numpy's `all`: is every element nonzero? `true` for nothing.
 * @throws {ArgumentError} when an option is of the wrong type or unknown
 * @throws {ShapeError} when an axis is out of bounds or repeated, or `out` has the wrong shape
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function all(a: SharedNDArray, options: ArrayResult<ReduceOptions>): SharedNDArray;
export function all(a: SharedNDArray, options?: Whole<ReduceOptions>): boolean;
export function all(a: SharedNDArray, options?: ReduceOptions): SharedNDArray | Scalar;
export function all(a: SharedNDArray, options?: ReduceOptions): unknown {
  return reduce('all', a, options, REDUCE_KEYS);
}

// ---- the async forms -----------------------------------------------------------------------------

/*
 * Each `…Async` form takes the same arguments as its blocking form and resolves to the same
 * result, leaving the event loop free while the pool works; it rejects with the errors the
 * blocking form throws.
 */

/** `sum` without blocking: a Promise of its result. */
export function sumAsync(a: SharedNDArray, options: ArrayResult<SumOptions>): Promise<SharedNDArray>;
export function sumAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<SumOptions> & { dtype?: undefined }): Promise<ScalarOf<SumDType<D>>>;
export function sumAsync(a: SharedNDArray, options?: SumOptions): Promise<SharedNDArray | Scalar>;
export function sumAsync(a: SharedNDArray, options?: SumOptions): Promise<unknown> {
  return reduceAsync('sum', a, options, SUM_KEYS);
}

/** `prod` without blocking: a Promise of its result. */
export function prodAsync(a: SharedNDArray, options: ArrayResult<SumOptions>): Promise<SharedNDArray>;
export function prodAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<SumOptions> & { dtype?: undefined }): Promise<ScalarOf<SumDType<D>>>;
export function prodAsync(a: SharedNDArray, options?: SumOptions): Promise<SharedNDArray | Scalar>;
export function prodAsync(a: SharedNDArray, options?: SumOptions): Promise<unknown> {
  return reduceAsync('prod', a, options, SUM_KEYS);
}

/** `mean` without blocking: a Promise of its result. */
export function meanAsync(a: SharedNDArray, options: ArrayResult<MeanOptions>): Promise<SharedNDArray>;
export function meanAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<MeanOptions>): Promise<number>;
export function meanAsync(a: SharedNDArray, options?: MeanOptions): Promise<SharedNDArray | Scalar>;
export function meanAsync(a: SharedNDArray, options?: MeanOptions): Promise<unknown> {
  return reduceAsync('mean', a, options, MEAN_KEYS);
}

/** `var` without blocking: a Promise of its result. */
export function varAsync(a: SharedNDArray, options: ArrayResult<VarOptions>): Promise<SharedNDArray>;
export function varAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<VarOptions>): Promise<number>;
export function varAsync(a: SharedNDArray, options?: VarOptions): Promise<SharedNDArray | Scalar>;
export function varAsync(a: SharedNDArray, options?: VarOptions): Promise<unknown> {
  return reduceAsync('var', a, options, VAR_KEYS);
}

/** `std` without blocking: a Promise of its result. */
export function stdAsync(a: SharedNDArray, options: ArrayResult<VarOptions>): Promise<SharedNDArray>;
export function stdAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<VarOptions>): Promise<number>;
export function stdAsync(a: SharedNDArray, options?: VarOptions): Promise<SharedNDArray | Scalar>;
export function stdAsync(a: SharedNDArray, options?: VarOptions): Promise<unknown> {
  return reduceAsync('std', a, options, VAR_KEYS);
}

/** `min` without blocking: a Promise of its result. */
export function minAsync<D extends DType>(a: SharedNDArray<D>, options: ArrayResult<ReduceOptions>): Promise<SharedNDArray<D>>;
export function minAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<ReduceOptions>): Promise<ScalarOf<D>>;
export function minAsync(a: SharedNDArray, options?: ReduceOptions): Promise<SharedNDArray | Scalar>;
export function minAsync(a: SharedNDArray, options?: ReduceOptions): Promise<unknown> {
  return reduceAsync('min', a, options, REDUCE_KEYS);
}

/** `max` without blocking: a Promise of its result. */
export function maxAsync<D extends DType>(a: SharedNDArray<D>, options: ArrayResult<ReduceOptions>): Promise<SharedNDArray<D>>;
export function maxAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<ReduceOptions>): Promise<ScalarOf<D>>;
export function maxAsync(a: SharedNDArray, options?: ReduceOptions): Promise<SharedNDArray | Scalar>;
export function maxAsync(a: SharedNDArray, options?: ReduceOptions): Promise<unknown> {
  return reduceAsync('max', a, options, REDUCE_KEYS);
}

/** `argmin` without blocking: a Promise of its result. */
export function argminAsync(a: SharedNDArray, options: ArrayResult<ArgOptions>): Promise<SharedNDArray>;
export function argminAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<ArgOptions>): Promise<number>;
export function argminAsync(a: SharedNDArray, options?: ArgOptions): Promise<SharedNDArray | Scalar>;
export function argminAsync(a: SharedNDArray, options?: ArgOptions): Promise<unknown> {
  return reduceAsync('argmin', a, options, REDUCE_KEYS);
}

/** `argmax` without blocking: a Promise of its result. */
export function argmaxAsync(a: SharedNDArray, options: ArrayResult<ArgOptions>): Promise<SharedNDArray>;
export function argmaxAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<ArgOptions>): Promise<number>;
export function argmaxAsync(a: SharedNDArray, options?: ArgOptions): Promise<SharedNDArray | Scalar>;
export function argmaxAsync(a: SharedNDArray, options?: ArgOptions): Promise<unknown> {
  return reduceAsync('argmax', a, options, REDUCE_KEYS);
}

/** `any` without blocking: a Promise of its result. */
export function anyAsync(a: SharedNDArray, options: ArrayResult<ReduceOptions>): Promise<SharedNDArray>;
export function anyAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<ReduceOptions>): Promise<boolean>;
export function anyAsync(a: SharedNDArray, options?: ReduceOptions): Promise<SharedNDArray | Scalar>;
export function anyAsync(a: SharedNDArray, options?: ReduceOptions): Promise<unknown> {
  return reduceAsync('any', a, options, REDUCE_KEYS);
}

/** `all` without blocking: a Promise of its result. */
export function allAsync(a: SharedNDArray, options: ArrayResult<ReduceOptions>): Promise<SharedNDArray>;
export function allAsync<D extends DType>(a: SharedNDArray<D>, options?: Whole<ReduceOptions>): Promise<boolean>;
export function allAsync(a: SharedNDArray, options?: ReduceOptions): Promise<SharedNDArray | Scalar>;
export function allAsync(a: SharedNDArray, options?: ReduceOptions): Promise<unknown> {
  return reduceAsync('all', a, options, REDUCE_KEYS);
}

// ---- the common path -----------------------------------------------------------------------------

/** The public reductions by name; `mean`, `var`, `std` are sums finished differently. */
export type ReductionName = 'sum' | 'prod' | 'mean' | 'var' | 'std' | 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all';

const REDUCE_KEYS = ['axis', 'keepdims', 'out', 'pool'] as const;
const SUM_KEYS = [...REDUCE_KEYS, 'dtype'] as const;
const MEAN_KEYS = SUM_KEYS;
const VAR_KEYS = [...SUM_KEYS, 'ddof'] as const;

/** A validated reduction, ready to run: what `prepare` returns and `execute` consumes. */
export interface Prepared {
  name: ReductionName;
  /** The array the plan reads (the input, or a cast or reordered copy of it). */
  source: SharedNDArray;
  plan: ReducePlan;
  /** `var`/`std`: the plan of the first pass (the sums), run before `plan` (the squared deviations). */
  meanPlan?: ReducePlan;
  /** Elements reduced into each output (the divisor of mean/var). */
  count: number;
  ddof: number;
  result: DType;
  /** Shape of the result (with keepdims' 1s), and where each output goes (see `scatterTarget`). */
  resultShape: number[];
  keepdims: boolean;
  keptAxes: number[];
  /** Kept axes (indices into keptAxes) in the order the accumulators follow. */
  perm: number[];
  out: SharedNDArray | undefined;
  /** A fresh result whose memory the jobs fill as their accumulators (see resultAsAccumulators). */
  target?: SharedNDArray;
  /** Return a JS scalar rather than an array. */
  scalar: boolean;
  pool: AnyPool | undefined;
}

function reduce(name: ReductionName, a: SharedNDArray, options: unknown, keys: readonly string[]): unknown {
  const prepared = prepare(name, a, options, keys);
  return runBlocking(prepared, prepared.pool);
}

function reduceAsync(name: ReductionName, a: SharedNDArray, options: unknown, keys: readonly string[]): Promise<unknown> {
  try {
    const prepared = prepare(`${name}Async`, a, options, keys);
    return runLater(prepared, prepared.pool);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Validates a reduction's arguments and plans it.
 * @throws {ArgumentError} @throws {ShapeError} @throws {DTypeError} @throws {ReadOnlyError} @throws {ValueError}
 */
export function prepare(fn: string, a: SharedNDArray, options: unknown, keys: readonly string[]): Prepared {
  const name = fn.replace(/Async$/, '') as ReductionName;
  if (!(a instanceof SharedNDArray)) {
    throw new ArgumentError(`${fn}: invalid argument 'a': expected a SharedNDArray, got ${show(a)}`);
  }
  checkOptionKeys(fn, 'options', options, keys);
  const pool = (options as { pool?: unknown } | undefined)?.pool;
  if (pool !== undefined && !(pool instanceof Pool)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.pool': expected a Pool, got ${show(pool)}`);
  }
  const o = (options ?? {}) as SumOptions & VarOptions;
  const ndim = a.ndim;
  const arg = name === 'argmin' || name === 'argmax';
  // numpy's ufunc reductions and argmin/argmax take axis 0 or -1 of a 0-d array (numpy's
  // test_scalar_reduction); mean, var and std do not
  const scalarAxis = ndim === 0 && (o.axis === 0 || o.axis === -1) && name !== 'mean' && name !== 'var' && name !== 'std';
  const reduced = scalarAxis ? [] : parseAxes(fn, o.axis, ndim, arg);
  if (o.keepdims !== undefined && typeof o.keepdims !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'keepdims': expected a boolean, got ${show(o.keepdims)}`);
  }
  const keepdims = o.keepdims === true;
  let ddof = 0;
  if (o.ddof !== undefined) {
    if (typeof o.ddof !== 'number' || !Number.isFinite(o.ddof)) {
      throw new ArgumentError(`${fn}: invalid argument 'ddof': expected a finite number, got ${show(o.ddof)}`);
    }
    ddof = o.ddof;
  }
  const requested = o.dtype === undefined ? undefined : resolveDType(o.dtype, 'dtype', fn);
  const result = resultDType(fn, name, a.dtype, requested);

  const shape = a.shape;
  const keptAxes = [...Array(ndim).keys()].filter((i) => !reduced.includes(i));
  const resultShape = keepdims ? shape.map((d, i) => (reduced.includes(i) ? 1 : d)) : keptAxes.map((i) => shape[i]!);
  const out = checkOut(fn, o.out, resultShape, result, arg);
  const count = reduced.reduce((n, i) => n * shape[i]!, 1);
  // numpy refuses an empty run even when there are no outputs either (test_reduce_zero_axis)
  if (count === 0 && (name === 'min' || name === 'max' || arg)) {
    throw new ValueError(arg
      ? `${fn}: attempt to get ${name} of an empty sequence`
      : `${fn}: zero-size array to reduction operation ${name === 'min' ? 'minimum' : 'maximum'} which has no identity`);
  }

  const { op, exact, source: cast } = computation(name, a, result);
  let source = cast;
  let built = buildPlan(op, exact, source, reduced, keptAxes);
  if (!built) {
    // reduced axes that no single stride walks: a copy with them last, in C order, has one run
    source = source.transpose([...keptAxes, ...reduced]).copy();
    const k = keptAxes.length;
    built = buildPlan(op, exact, source, reduced.map((_, i) => k + i), keptAxes.map((_, i) => i))!;
  }
  const [built0, perm] = built;
  // var/std: both passes in one job where each job holds whole runs (one pool round trip, no
  // means array); where runs are split or walked down rows, the mean is a pass of its own
  const twoPass = (name === 'var' || name === 'std') && (built0.depth > 0 || built0.rows);
  const plan = name === 'var' || name === 'std' ? { ...built0, op: twoPass ? 'sumsqdev' as const : 'var' as const } : built0;
  const meanPlan = twoPass ? { ...plan, op: 'sum' as const } : undefined;
  const scalar = (o.axis === undefined || o.axis === null) && !keepdims && out === undefined;
  return { name, source, plan, ...(meanPlan ? { meanPlan } : {}), count, ddof, result, resultShape, keepdims, keptAxes, perm, out, scalar, pool: pool as AnyPool | undefined };
}

function parseAxes(fn: string, axis: unknown, ndim: number, single: boolean): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  if (typeof axis === 'number') return [normalizeAxis(axis, ndim, fn)];
  if (single || !Array.isArray(axis)) {
    throw new ArgumentError(`${fn}: invalid argument 'axis': expected ${single ? 'an integer' : 'an integer or an array of integers'} or null, got ${show(axis)}`);
  }
  const list = axis.map((x: unknown) => normalizeAxis(x, ndim, fn));
  if (new Set(list).size !== list.length) throw new ShapeError(`${fn}: invalid argument 'axis': duplicate value in 'axis' ${show(axis)}`);
  return list.sort((x, y) => x - y);
}

const FLOATS: readonly DType[] = ['float32', 'float64'];

function resultDType(fn: string, name: ReductionName, input: DType, requested: DType | undefined): DType {
  switch (name) {
    case 'sum': case 'prod': {
      if (requested) return requested;
      const { kind } = DTYPES[input];
      return kind === 'f' ? input : kind === 'u' ? 'uint64' : 'int64';
    }
    case 'mean': case 'var': case 'std':
      if (requested && !FLOATS.includes(requested)) {
        throw new DTypeError(`${fn}: invalid argument 'dtype': expected a float dtype ('float32' or 'float64'), got ${show(requested)}`);
      }
      return requested ?? (input === 'float32' ? 'float32' : 'float64');
    case 'min': case 'max': return input;
    case 'argmin': case 'argmax': return 'int64';
    case 'any': case 'all': return 'bool';
  }
}

const KIND_RANK = { b: 0, u: 1, i: 2, f: 3 } as const;

/** numpy's `can_cast(from, to, 'same_kind')` for the dtypes held here. */
export function canCastSameKind(from: DType, to: DType): boolean {
  return KIND_RANK[DTYPES[from].kind] <= KIND_RANK[DTYPES[to].kind];
}

function checkOut(fn: string, out: unknown, shape: readonly number[], result: DType, index = false): SharedNDArray | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof SharedNDArray)) {
    throw new ArgumentError(`${fn}: invalid argument 'out': expected a SharedNDArray, got ${show(out)}`);
  }
  if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${fn}: invalid argument 'out': expected shape ${showShape(shape)}, got ${showShape(out.shape)}`);
  }
  if (!canCastSameKind(result, out.dtype)) {
    throw new DTypeError(`${fn}: invalid argument 'out': cannot cast the result from ${result} to ${out.dtype} with casting rule 'same_kind'`);
  }
  // numpy's argmin/argmax need an out whose dtype casts safely to intp (int64): an integer of at
  // most 32 bits if unsigned, never a float
  const outDType: DType = out.dtype;
  if (index && (outDType === 'uint64' || DTYPES[outDType].kind === 'f')) {
    throw new DTypeError(`${fn}: invalid argument 'out': cannot cast ${outDType} to int64 with casting rule 'safe' (numpy's rule for an index out)`);
  }
  if (!out.writeable) throw new ReadOnlyError(`${fn}: invalid argument 'out': the array is read-only`);
  return out;
}

/**
 * The kernel op, whether it accumulates exactly, and the array it reads: the input, or the input
 * cast the way numpy casts it before reducing (bool normalised to 0/1, 64-bit integers to float
 * for a float result, floats to the requested dtype).
 */
function computation(name: ReductionName, a: SharedNDArray, result: DType): { op: ReduceOp; exact: boolean; source: SharedNDArray } {
  const input = a.dtype, big = input === 'int64' || input === 'uint64';
  const rk = DTYPES[result].kind, ik = DTYPES[input].kind;
  switch (name) {
    case 'sum': case 'prod':
      if (rk === 'b') return { op: name === 'sum' ? 'any' : 'all', exact: false, source: a };
      if (rk === 'f') return { op: name, exact: false, source: needsFloatCast(input, result) ? a.astype(result) : a };
      return { op: name, exact: true, source: ik === 'f' ? a.astype(result) : ik === 'b' ? a.astype('uint8') : a };
    case 'mean': case 'var': case 'std':
      return { op: name === 'mean' ? 'sum' : 'sumsqdev', exact: false, source: needsFloatCast(input, result) ? a.astype(big || ik === 'b' ? 'float64' : result) : a };
    case 'min': case 'max':
      if (ik === 'b') return { op: name === 'max' ? 'any' : 'all', exact: false, source: a };
      return { op: name, exact: big, source: a };
    case 'argmin': case 'argmax':
      return { op: name, exact: false, source: ik === 'b' ? a.astype('uint8') : a };
    case 'any': case 'all':
      return { op: name, exact: false, source: a };
  }
}

/** A float reduction reads numbers directly unless they are bigints, bool bytes, or need rounding to float32 first. */
function needsFloatCast(input: DType, result: DType): boolean {
  if (input === 'int64' || input === 'uint64' || input === 'bool') return true;
  return result === 'float32' && input !== 'float32' && !['int8', 'uint8', 'uint8c', 'int16', 'uint16'].includes(input);
}

/**
 * The plan for reducing `reduced` axes of `x`, with the kept axes' iteration order, or undefined
 * when the reduced axes do not coalesce into one strided run.
 */
function buildPlan(op: ReduceOp, exact: boolean, x: SharedNDArray, reduced: number[], keptAxes: number[]): [ReducePlan, number[]] | undefined {
  const shape = x.shape, strides = x.strides;
  const byStride = (i: number, j: number): number => Math.abs(strides[j]!) - Math.abs(strides[i]!);
  // argmin/argmax count along their one axis as it is; other reductions may walk it in any order
  const red = op === 'argmin' || op === 'argmax' ? reduced : [...reduced].sort(byStride);
  const run = coalesce(red.map((i) => shape[i]!), red.map((i) => strides[i]!));
  if (run.shape.length > 1) return undefined;
  const order = keptAxes.map((_, k) => k).sort((k, l) => byStride(keptAxes[k]!, keptAxes[l]!));
  const kept = coalesce(order.map((k) => shape[keptAxes[k]!]!), order.map((k) => strides[keptAxes[k]!]!));
  const n = run.shape[0] ?? (red.some((i) => shape[i] === 0) ? 0 : 1);
  const s = run.strides[0] ?? 0;
  const q = kept.shape.length;
  const outputs = sizeOfShape(kept.shape);
  const numbers = !(x.dtype === 'int64' || x.dtype === 'uint64');
  const rows = numbers && !exact && q > 0 && n > 1 && Math.abs(kept.strides[q - 1]!) < Math.abs(s);
  const plan: ReducePlan = { op, exact, offset: x.offset, keptShape: kept.shape, keptStrides: kept.strides, n, s, rows, depth: chooseDepth(outputs, n, rows) };
  return [plan, order];
}

/**
 * Merges neighbouring axes (outermost first) that one stride walks, drops axes of length 1, and
 * gives an empty shape a single axis of length 0.
 */
function coalesce(shape: number[], strides: number[]): { shape: number[]; strides: number[] } {
  if (shape.includes(0)) return { shape: [0], strides: [0] };
  const outShape: number[] = [], outStrides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && outStrides[last] === shape[i]! * strides[i]!) {
      outShape[last]! *= shape[i]!;
      outStrides[last] = strides[i]!;
    } else {
      outShape.push(shape[i]!);
      outStrides.push(strides[i]!);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** The accumulators a plan fills: 2^depth blocks of one per output, in shared memory for the workers. */
export function allocateAccumulators(plan: ReducePlan, unsigned: boolean, shared = true): Float64Array | BigInt64Array | BigUint64Array {
  const length = sizeOfShape(plan.keptShape) << plan.depth;
  const buffer = shared ? new SharedArrayBuffer(length * 8) : new ArrayBuffer(length * 8);
  return plan.exact ? (unsigned ? new BigUint64Array(buffer) : new BigInt64Array(buffer)) : new Float64Array(buffer);
}

/** The raw typed array of a view, over its whole buffer (plans address it by element index). */
export function rawData(x: SharedNDArray, fn: string): AnyArray {
  return typedArrayOver(x.dtype, x.buffer, fn) as AnyArray;
}

type Accumulators = Float64Array | BigInt64Array | BigUint64Array;

/** One pass of a prepared reduction as the planner's job. */
function jobOf(p: Prepared, plan: ReducePlan, acc: Accumulators, means: Float64Array | undefined): Job {
  const job: ReduceJob = {
    plan, dtype: p.source.dtype, buffer: p.source.buffer, acc: acc.buffer,
    accType: acc instanceof Float64Array ? 'float64' : acc instanceof BigInt64Array ? 'int64' : 'uint64',
    means: means === undefined ? null : means.buffer,
  };
  return { fn: 'reduce', job, rows: units(plan), size: p.source.size, shareable: p.source.isShared, name: p.name };
}

/**
 * The passes of a prepared reduction (var/std: the sums, then the squared deviations), each run
 * by `run`; returns the combined accumulators. A generator so that the blocking and the async
 * form share every step but the running.
 */
function* passes(p: Prepared): Generator<Job, Accumulators, void> {
  const x = rawData(p.source, p.name);
  const unsigned = p.source.dtype === 'uint64' && p.plan.exact && (p.plan.op === 'min' || p.plan.op === 'max');
  const outputs = sizeOfShape(p.plan.keptShape);
  const acc = resultAsAccumulators(p, outputs) ?? allocateAccumulators(p.plan, unsigned);
  if (p.count === 0 || outputs === 0) return identity(p.plan, acc);
  let means: Float64Array | undefined;
  if (p.meanPlan) {
    const sums = allocateAccumulators(p.meanPlan, false) as Float64Array;
    yield jobOf(p, p.meanPlan, sums, undefined);
    const combined = combine(p.meanPlan, x, sums);
    means = new Float64Array(new SharedArrayBuffer(outputs * 8));
    for (let i = 0; i < outputs; i++) means[i] = (combined[i] as number) / p.count;
  }
  yield jobOf(p, p.plan, acc, means);
  return combine(p.plan, x, acc as Float64Array | BigInt64Array);
}

/**
 * For var/std over whole runs (one float64 accumulator per output, in the result's C order) with
 * no `out`: the fresh result itself, as the accumulators, which `finish` then turns into values in
 * place. That spares an allocation as large as the result, on short rows a large part of the time
 * (fresh memory is paid for page by page).
 */
function resultAsAccumulators(p: Prepared, outputs: number): Float64Array | undefined {
  if (p.plan.op !== 'var' || p.out !== undefined || p.result !== 'float64' || p.perm.some((k, i) => k !== i)) return undefined;
  const target = new SharedNDArray(p.resultShape, { dtype: 'float64' });
  // the workers read accumulators from the start of their buffer
  if (target.offset !== 0 || !target.isShared) return undefined;
  p.target = target;
  return new Float64Array(target.buffer, 0, outputs);
}

function runBlocking(p: Prepared, pool: AnyPool | undefined): unknown {
  const steps = passes(p);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return finish(p, step.value);
    runSync(step.value, pool);
  }
}

async function runLater(p: Prepared, pool: AnyPool | undefined): Promise<unknown> {
  const steps = passes(p);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return finish(p, step.value);
    await runAsync(step.value, pool);
  }
}

/** The accumulators of an empty reduction: numpy's identity of the operation. */
function identity(plan: ReducePlan, acc: Float64Array | BigInt64Array | BigUint64Array): Float64Array | BigInt64Array | BigUint64Array {
  const one = plan.op === 'prod' || plan.op === 'all';
  if (acc instanceof Float64Array) acc.fill(one ? 1 : 0);
  else (acc as BigInt64Array).fill(one ? 1n : 0n);
  return acc.subarray(0, sizeOfShape(plan.keptShape));
}

/**
 * Writes the combined accumulators, finished (divided, square-rooted, wrapped to the result's
 * width), into `out` or a fresh array; returns what the public function returns.
 */
export function finish(p: Prepared, acc: Float64Array | BigInt64Array | BigUint64Array): unknown {
  const value = finisher(p);
  const target = p.out ?? p.target ?? new SharedNDArray(p.resultShape, { dtype: p.result });
  const cast = target.dtype === p.result ? undefined : castFn(p.result, target.dtype);
  // where the kept axes sit in the target, taken in the accumulators' order
  const order = p.perm.map((k) => (p.keepdims ? p.keptAxes[k]! : k));
  const shape = order.map((i) => target.shape[i]!), strides = order.map((i) => target.strides[i]!);
  const data = rawData(target, p.name) as unknown as Stored[];
  if (cast === undefined && contiguous(shape, strides)) {
    // the common case (a fresh result, or a C-ordered out): one plain loop, no callback per element
    for (let i = 0, n = sizeOfShape(shape), q = target.offset; i < n; i++, q++) data[q] = value(acc[i]!);
  } else {
    let j = 0;
    forEachIndex(shape, strides, target.offset, 'C', cast
      ? (q) => { data[q] = cast(value(acc[j++]!)); }
      : (q) => { data[q] = value(acc[j++]!); });
  }
  if (!p.scalar) return target;
  const v = target.get();
  return p.name === 'argmin' || p.name === 'argmax' ? Number(v) : v;
}

/** Whether `strides` walk `shape` in C order one element at a time. */
function contiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let step = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (shape[k] !== 1 && strides[k] !== step) return false;
    step *= shape[k]!;
  }
  return true;
}

/** Turns one accumulator into the stored value of the result dtype. */
function finisher(p: Prepared): (v: number | bigint) => Stored {
  const { count, ddof, result } = p;
  const info = DTYPES[result];
  switch (p.name) {
    case 'mean': return (v) => (v as number) / count;
    case 'var': { const d = Math.max(count - ddof, 0); return (v) => (v as number) / d; }
    case 'std': { const d = Math.max(count - ddof, 0); return (v) => Math.sqrt((v as number) / d); }
    case 'argmin': case 'argmax': return (v) => BigInt(v);
    default:
      if (info.kind === 'b') return (v) => (v ? 1 : 0);
      if (info.kind === 'f') return (v) => Number(v);
      if (result === 'int64') return (v) => BigInt.asIntN(64, BigInt(v));
      if (result === 'uint64') return (v) => BigInt.asUintN(64, BigInt(v));
      // an integer result narrower than 64 bits: numpy wraps, and wrapping commutes with + and *
      return info.kind === 'i'
        ? (v) => (typeof v === 'bigint' ? Number(BigInt.asIntN(info.itemsize * 8, v)) : v)
        : (v) => (typeof v === 'bigint' ? Number(BigInt.asUintN(info.itemsize * 8, v)) : v);
  }
}

