/**
 * numpy's `matmul` and `dot` for float32 and float64 arrays: the shape rules (1-d promotion,
 * broadcast batch dimensions), the result dtype and `out`, checked here once; the product is then
 * a job of plain geometry whose rows (batch by batch, row by row) the ops planner splits over a
 * pool, each block computed by matmulRows (matmul-rows.ts) with the packed GEMM of
 * kernels/matmul.ts, which takes any strides, so views need no copy.
 */
import { checkOptionKeys, show, showShape, withArticle } from '../check.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { empty } from '../ndarray/create.js';
import type { DType, TypedArray } from '../ndarray/dtype.js';
import { extent } from '../ndarray/layout.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import { Pool } from '../pool/pool.js';
import type { OpOptions } from './elementwise.js';
import { strided, type Geometry } from './geometry.js';
import type { MatmulJob } from './matmul-rows.js';
import { INLINE_THRESHOLD, runAsync, runSync, type Job } from './plan.js';

/** The dtypes matmul and dot compute in. */
export type MatmulDType = 'float32' | 'float64';

/** numpy's result dtype: float32 only when both operands are. */
export type MatmulResult<A extends DType, B extends DType> = A extends 'float32' ? (B extends 'float32' ? 'float32' : 'float64') : 'float64';

export interface MatmulOptions extends OpOptions {
  /**
   * Where the result goes (numpy's `out`): an array of exactly the result's shape whose dtype the
   * result casts to under numpy's `same_kind` rule (float32 or float64). It may be a strided view;
   * if it shares memory with an operand, the product is made apart first, as numpy does.
   */
  out?: SharedNDArray;
}

export interface MatmulPlan {
  job: MatmulJob;
  /** Rows of C across every batch: the unit the work is split in. */
  rows: number;
  /** Multiply-adds of the whole product (the planner's measure of work). */
  work: number;
  /** False when an operand's memory is not a SharedArrayBuffer (the product then runs inline). */
  shareable: boolean;
  /** Where the rows are written (`out`, or a new array). */
  target: SharedNDArray;
  /** numpy's result: `out`, the new array, or (both operands 1-d, no `out`) a scalar read from it. */
  result: SharedNDArray | 'scalar';
  /** When `out` overlaps an operand: the copy to make from `target` into it once the rows are done. */
  copyInto?: SharedNDArray;
}

const FLOAT: readonly DType[] = ['float32', 'float64'];

/** The typed array over the whole of `x`'s memory, which `x.offset` and `x.strides` index (`data` is only for contiguous views). */
const elements = (x: SharedNDArray): TypedArray => strided({ dtype: x.dtype, buffer: x.buffer, offset: 0, strides: [] }).data;

function checkOperand(fn: string, name: string, x: unknown): SharedNDArray {
  if (!(x instanceof SharedNDArray)) throw new ArgumentError(`${fn}: invalid argument '${name}': expected a SharedNDArray, got ${show(x)}`);
  if (!FLOAT.includes(x.dtype)) {
    throw new DTypeError(`${fn}: invalid argument '${name}': expected a float32 or float64 array, got ${withArticle(x.dtype)} array (convert it with astype('float64'))`);
  }
  if (x.ndim === 0) throw new ShapeError(`${fn}: invalid argument '${name}': expected an array of at least 1 dimension, got a 0-d array (numpy's matmul refuses scalars; use multiply)`);
  return x;
}

/** `x`'s geometry over the (broadcast) batch shape, its last two strides given (a 1-d operand's made up). */
function withBatch(x: SharedNDArray, coreStrides: [number, number], batch: readonly number[]): Geometry {
  const own = Math.max(0, x.ndim - 2);
  const strides: number[] = [];
  for (let d = 0; d < batch.length; d++) {
    const src = d - (batch.length - own);
    strides.push(src < 0 || x.shape[src] === 1 ? 0 : x.strides[src]!);
  }
  return { dtype: x.dtype, buffer: x.buffer, offset: x.offset, strides: [...strides, ...coreStrides] };
}

function broadcastBatch(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let d = 0; d < n; d++) {
    const x = a[d - (n - a.length)] ?? 1;
    const y = b[d - (n - b.length)] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new ShapeError(`${fn}: invalid argument 'b': its batch dimensions ${showShape(b)} do not broadcast with a's ${showShape(a)}`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

function overlaps(x: SharedNDArray, y: SharedNDArray): boolean {
  if (x.buffer !== y.buffer) return false;
  const ex = extent(x.shape, x.strides, x.offset);
  const ey = extent(y.shape, y.strides, y.offset);
  if (!ex || !ey) return false;
  const sx = x.itemsize, sy = y.itemsize;
  return ex[0] * sx < (ey[1] + 1) * sy && ey[0] * sy < (ex[1] + 1) * sx;
}

/**
 * Validates a product and lays it out. `rule` picks numpy's shape rules: `matmul` broadcasts
 * batch dimensions; `dot` takes 1-d and 2-d operands only.
 * @throws {ArgumentError} when an operand is not a SharedNDArray, or an option is unknown or not an array
 * @throws {DTypeError} when an operand is not float32/float64, or `out`'s dtype is not one the result casts to
 * @throws {ShapeError} when the inner dimensions differ, batch dimensions do not broadcast, or `out` has the wrong shape
 * @internal
 */
export function planMatmul(fn: 'matmul' | 'dot' | 'matmulAsync' | 'dotAsync', aIn: unknown, bIn: unknown, options: MatmulOptions | undefined): MatmulPlan {
  const a = checkOperand(fn, 'a', aIn);
  const b = checkOperand(fn, 'b', bIn);
  checkOptionKeys(fn, 'options', options, ['out', 'pool']);
  if (options?.pool !== undefined && !(options.pool instanceof Pool)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.pool': expected a Pool, got ${show(options.pool)}`);
  }
  if (fn.startsWith('dot') && (a.ndim > 2 || b.ndim > 2)) {
    throw new ShapeError(`${fn}: invalid argument '${a.ndim > 2 ? 'a' : 'b'}': dot takes 1-d and 2-d arrays here, got ${a.ndim > 2 ? a.ndim : b.ndim}-d (for stacks of matrices use matmul, which broadcasts them)`);
  }
  const dtype: MatmulDType = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  // 1-d operands: a row (1, k) on the left, a column (k, 1) on the right, the unit dimension dropped after
  const [m, k, aCore] = a.ndim === 1 ? [1, a.shape[0]!, [0, a.strides[0]!] as [number, number]] : [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!, [a.strides[a.ndim - 2]!, a.strides[a.ndim - 1]!] as [number, number]];
  const [kb, n, bCore] = b.ndim === 1 ? [b.shape[0]!, 1, [b.strides[0]!, 0] as [number, number]] : [b.shape[b.ndim - 2]!, b.shape[b.ndim - 1]!, [b.strides[b.ndim - 2]!, b.strides[b.ndim - 1]!] as [number, number]];
  if (kb !== k) {
    throw new ShapeError(`${fn}: invalid argument 'b': shapes ${showShape(a.shape)} and ${showShape(b.shape)} are not aligned: ${b.ndim === 1 ? 'its length' : 'its dimension -2'} (${kb}) differs from a's last dimension (${k})`);
  }
  const batch = broadcastBatch(fn, a.shape.slice(0, Math.max(0, a.ndim - 2)), b.shape.slice(0, Math.max(0, b.ndim - 2)));
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];

  let out: SharedNDArray | undefined;
  if (options?.out !== undefined) {
    out = options.out;
    if (!(out instanceof SharedNDArray)) throw new ArgumentError(`${fn}: invalid argument 'options.out': expected a SharedNDArray, got ${show(out)}`);
    if (!FLOAT.includes(out.dtype)) {
      throw new DTypeError(`${fn}: invalid argument 'options.out': the ${dtype} result cannot be cast to ${out.dtype} under the casting rule 'same_kind' (expected a float32 or float64 out)`);
    }
    if (out.shape.length !== shape.length || out.shape.some((s, i) => s !== shape[i])) {
      throw new ShapeError(`${fn}: invalid argument 'options.out': expected shape ${showShape(shape)}, got ${showShape(out.shape)}`);
    }
    if (!out.writeable) throw new ArgumentError(`${fn}: invalid argument 'options.out': the array is read-only`);
  }
  const copyInto = out !== undefined && (overlaps(out, a) || overlaps(out, b)) ? out : undefined;
  const target = out === undefined || copyInto ? empty(shape, dtype) : out;
  // C's strides, 0 for a dropped unit dimension
  const cs = target.strides;
  const cCore: [number, number] = [a.ndim === 1 ? 0 : cs[batch.length]!, b.ndim === 1 ? 0 : cs[cs.length - 1]!];
  const c: Geometry = { dtype: target.dtype, buffer: target.buffer, offset: target.offset, strides: [...cs.slice(0, batch.length), ...cCore] };
  const rows = batch.reduce((x, y) => x * y, 1) * m;
  return {
    job: { a: withBatch(a, aCore, batch), b: withBatch(b, bCore, batch), c, batch, m, n, k },
    rows,
    work: rows * n * k,
    shareable: a.isShared && b.isShared && target.isShared,
    target,
    result: out ?? (shape.length === 0 ? 'scalar' : target),
    ...(copyInto ? { copyInto } : {}),
  };
}

/** After the rows: the copy into an `out` that overlapped an operand, and numpy's return value. */
export function finishMatmul(plan: MatmulPlan): SharedNDArray | number {
  const { target, copyInto } = plan;
  if (copyInto) {
    // `target` is a fresh C-order array of the result's shape
    const src = elements(target);
    const dst = elements(copyInto);
    const shape = copyInto.shape, strides = copyInto.strides;
    let i = target.offset;
    const walk = (d: number, at: number): void => {
      if (d === shape.length) { dst[at] = src[i++]!; return; }
      for (let j = 0; j < shape[d]!; j++) walk(d + 1, at + j * strides[d]!);
    };
    walk(0, copyInto.offset);
  }
  return plan.result === 'scalar' ? elements(target)[target.offset] as number : plan.result;
}

/**
 * Below this many multiply-adds (128³) a product runs inline on the calling thread: about 400 µs
 * of kernel, where a pool round trip costs about 100 µs on an idle 2-core machine. Measured with
 * bench/investigate/matmul-inline.ts (figures and caveats there).
 */
export const MATMUL_INLINE_WORK = 2 ** 21;

function toJob(plan: MatmulPlan, name: string): Job {
  // the planner weighs a job's elements against INLINE_THRESHOLD; a product weighs its multiply-adds
  return { fn: 'matmul', job: plan.job, rows: plan.rows, size: Math.ceil((plan.work / MATMUL_INLINE_WORK) * INLINE_THRESHOLD), shareable: plan.shareable, name };
}

type Product = <A extends DType, B extends DType>(a: SharedNDArray<A>, b: SharedNDArray<B>, options?: MatmulOptions) => SharedNDArray<MatmulResult<A, B>> | number;
type ProductAsync = <A extends DType, B extends DType>(a: SharedNDArray<A>, b: SharedNDArray<B>, options?: MatmulOptions) => Promise<SharedNDArray<MatmulResult<A, B>> | number>;

function blocking(fn: 'matmul' | 'dot'): Product {
  return ((a: SharedNDArray, b: SharedNDArray, options?: MatmulOptions) => {
    const plan = planMatmul(fn, a, b, options);
    runSync(toJob(plan, fn), options?.pool);
    return finishMatmul(plan);
  }) as Product;
}

function later(fn: 'matmulAsync' | 'dotAsync'): ProductAsync {
  return (async (a: SharedNDArray, b: SharedNDArray, options?: MatmulOptions) => {
    const plan = planMatmul(fn, a, b, options);
    await runAsync(toJob(plan, fn), options?.pool);
    return finishMatmul(plan);
  }) as ProductAsync;
}

/**
 * numpy's `matmul` (the `@` operator): the matrix product of the last two dimensions, broadcast
 * over the ones before; a 1-d `a` is a row and a 1-d `b` a column, their unit dimension dropped
 * from the result (two 1-d arrays give their inner product as a number). float32 and float64 only;
 * the result is float32 when both operands are. Row blocks of the result run on `options.pool`
 * (default: the package's default pool); small products run on the calling thread.
 * @throws {ArgumentError} when an operand is not a SharedNDArray, an option is unknown, `pool` is not a Pool, or `out` is read-only
 * @throws {DTypeError} when an operand is not float32/float64, or `out` is not float32/float64
 * @throws {ShapeError} when an operand is 0-d, the inner dimensions differ, batch dimensions do not broadcast, or `out` has the wrong shape
 * @throws {PoolStateError} when `options.pool` is closed or terminated
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const matmul: Product = blocking('matmul');

/**
 * `matmul`, resolving once every row block is done; it rejects with the errors `matmul` throws
 * (WorkerDiedError too, when a worker dies mid-block).
 */
export const matmulAsync: ProductAsync = later('matmulAsync');

/**
 * numpy's `dot` for 1-d and 2-d arrays: the inner product of two vectors (a number), a
 * matrix-vector or vector-matrix product, or the matrix product. float32 and float64 only; runs
 * like `matmul`.
 * @throws {ArgumentError} when an operand is not a SharedNDArray, an option is unknown, `pool` is not a Pool, or `out` is read-only
 * @throws {DTypeError} when an operand is not float32/float64, or `out` is not float32/float64
 * @throws {ShapeError} when an operand is 0-d or above 2-d, the inner dimensions differ, or `out` has the wrong shape
 * @throws {PoolStateError} when `options.pool` is closed or terminated
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const dot: Product = blocking('dot');

/** `dot`, resolving once every row block is done; it rejects with the errors `dot` throws. */
export const dotAsync: ProductAsync = later('dotAsync');
