/**
 * numpy's elementwise functions (ufuncs): numpy broadcasting, numpy 2's result dtypes (JS scalars
 * weak, see dtypes.ts), `out` written in place, inputs of any strides. Each has a blocking form
 * under numpy's name and an `Async` form that returns a Promise; both take `{ pool }` or use the
 * default pool, and run small inputs inline.
 */
import { ArgumentError, DTypeError, ReadOnlyError, ShapeError } from '../errors.js';
import { checkOptionKeys, show, showShape } from '../check.js';
import { DTYPES, type DType } from '../ndarray/dtype.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import { empty } from '../ndarray/create.js';
import { Pool } from '../pool/pool.js';
import type { AnyPool } from '../pool/default-pool.js';
import { broadcastShapes, broadcastStrides, coalesce } from './broadcast.js';
import { asResult, canCastSameKind, isBigIntDType, resultType, scalarAs, type ResultDType } from './dtypes.js';
import type { Geometry } from './geometry.js';
import { defined, OPS, type OpName } from './kernels/elementwise.js';
import type { ElementwiseJob } from './ops.worker.js';
import { runAsync, runSync, type Job } from './plan.js';

/** An operand: an array, or a JS scalar (weak, as numpy 2 treats Python scalars). */
export type Operand = SharedNDArray | number | bigint | boolean;

export interface OpOptions {
  /** The pool to run on (started on any worker module); default the package's default pool. */
  pool?: AnyPool | undefined;
}

export interface UfuncOptions extends OpOptions {
  /**
   * Where to write the result, in place (numpy's `out`): its shape must be the broadcast shape,
   * and the result dtype must cast to its dtype under numpy's `same_kind` rule.
   */
  out?: SharedNDArray | undefined;
}

export interface RoundOptions extends UfuncOptions {
  /** Decimal places (negative: to tens, hundreds...); default 0. */
  decimals?: number | undefined;
}

/** What a call's checks produced: the job for the planner, and the array it fills. */
interface Prepared {
  job: Job;
  out: SharedNDArray;
}

const isScalar = (v: unknown): v is number | bigint | boolean => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';

/** The float dtype numpy computes an integer or bool input's float function in (float16 → float32 here). */
function floatFor(d: ResultDType): ResultDType {
  if (DTYPES[d].kind === 'f') return d;
  return DTYPES[d].itemsize <= 2 ? 'float32' : 'float64';
}

const FLOAT_UNARY = new Set<OpName>(['sqrt', 'exp', 'log', 'log1p', 'expm1', 'sin', 'cos', 'tanh']);

/** numpy's dtype rules per ufunc: the dtype computed in, and the result's. */
function dtypesOf(fn: string, op: OpName, common: ResultDType): { compute: ResultDType; result: ResultDType } {
  if ((OPS[op] as { bool?: boolean }).bool) return { compute: common, result: 'bool' };
  if (op === 'divide') {
    const d = DTYPES[common].kind === 'f' ? common : 'float64';
    return { compute: d, result: d };
  }
  if (FLOAT_UNARY.has(op)) {
    const d = floatFor(common);
    return { compute: d, result: d };
  }
  // numpy rounds bools in its float16 loop (float32 here)
  if (op === 'round' && common === 'bool') return { compute: 'float32', result: 'float32' };
  // numpy's power and mod have no bool loop: bools compute as int8
  if ((op === 'power' || op === 'mod') && common === 'bool') return { compute: 'int8', result: 'int8' };
  if (!defined(op, common)) {
    const why = common === 'bool' && op === 'subtract' ? 'numpy boolean subtract, the `-` operator, is not supported; use logical_xor' : common === 'bool' && op === 'negative' ? 'numpy boolean negative is not supported; use logical_not' : `no loop for ${common}`;
    throw new DTypeError(`${fn}: ${why}`);
  }
  return { compute: common, result: common };
}

/** Whether an integral scalar is in `dtype`'s range (any scalar fits a float or bool dtype). */
function fits(value: number | bigint | boolean, dtype: ResultDType): boolean {
  const info = DTYPES[dtype];
  if (typeof value === 'boolean' || info.kind === 'f' || info.kind === 'b') return true;
  if (typeof value === 'number' && !Number.isInteger(value)) return true;
  return BigInt(value) >= BigInt(info.min!) && BigInt(value) <= BigInt(info.max!);
}

function checkArray(fn: string, name: string, value: unknown, scalars: boolean): asserts value is Operand {
  if (value instanceof SharedNDArray || (scalars && isScalar(value))) return;
  throw new ArgumentError(`${fn}: invalid argument '${name}': expected a SharedNDArray${scalars ? ' or a number, bigint or boolean' : ''}, got ${show(value)}`);
}

function checkPool(fn: string, options: OpOptions | undefined): AnyPool | undefined {
  const pool = options?.pool;
  if (pool !== undefined && !(pool instanceof Pool)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.pool': expected a Pool, got ${show(pool)}`);
  }
  return pool;
}

/** Whether two views' elements may share memory: same buffer and overlapping element ranges. */
function overlaps(a: Geometry, b: Geometry, shape: readonly number[]): boolean {
  if (a.buffer !== b.buffer) return false;
  const span = (g: Geometry): [number, number] => {
    let lo = g.offset, hi = g.offset;
    for (let i = 0; i < shape.length; i++) {
      const step = (shape[i]! - 1) * g.strides[i]!;
      if (step < 0) lo += step;
      else hi += step;
    }
    const size = DTYPES[g.dtype].itemsize;
    return [lo * size, (hi + 1) * size];
  };
  const [alo, ahi] = span(a), [blo, bhi] = span(b);
  return alo < bhi && blo < ahi;
}

const sameGeometry = (a: Geometry, b: Geometry): boolean =>
  a.buffer === b.buffer && a.dtype === b.dtype && a.offset === b.offset && a.strides.every((s, i) => s === b.strides[i]);

/** A scalar as a one-element shared array of `dtype`, read with stride 0. */
function scalarGeometry(value: number | bigint | boolean, dtype: DType, ndim: number): Geometry {
  const { ctor, itemsize } = DTYPES[dtype];
  const data = new ctor(new SharedArrayBuffer(itemsize));
  data[0] = value as never;
  return { dtype, buffer: data.buffer, offset: 0, strides: new Array<number>(ndim).fill(0) };
}

function arrayGeometry(a: SharedNDArray, shape: readonly number[]): Geometry {
  return { dtype: a.dtype, buffer: a.buffer, offset: a.offset, strides: broadcastStrides(a.shape, a.strides, shape) };
}

/**
 * Checks a call and builds its job. `names` name the operands in errors; `p` is the operation's
 * parameter. `where`'s condition (operand 0) takes no part in the result dtype.
 */
function prepare(fn: string, op: OpName, args: readonly unknown[], names: readonly string[], options: UfuncOptions | undefined, extraKeys: readonly string[] = [], p = 0): Prepared {
  checkOptionKeys(fn, 'options', options, ['out', 'pool', ...extraKeys]);
  for (let k = 0; k < args.length; k++) checkArray(fn, names[k]!, args[k], true);
  const operands = args as readonly Operand[];
  const typed = op === 'where' ? operands.slice(1) : operands;
  const common = resultType(
    typed.filter((a): a is SharedNDArray => a instanceof SharedNDArray).map((a) => a.dtype),
    typed.filter(isScalar),
  );
  const dtypes = dtypesOf(fn, op, common);
  const { result } = dtypes;
  let { compute } = dtypes;
  // numpy 2 compares a Python int beyond the array's integer range exactly (uint8 > -1 is all
  // true) instead of refusing it: float64 holds every such comparison with a <= 32-bit array;
  // beside a 64-bit one (whose values float64 would round) the answer is the same for every
  // element, so the scalar becomes the range's limit and the comparison one with that answer
  if (result === 'bool' && compute !== 'bool' && typed.some((a) => isScalar(a) && !fits(a, compute))) {
    const k = operands.findIndex((a) => isScalar(a) && !fits(a, compute));
    const other = operands[1 - k]!;
    if (isBigIntDType(compute) && other instanceof SharedNDArray) {
      const info = DTYPES[compute];
      const above = BigInt(operands[k] as number | bigint) > BigInt(info.max!);
      const limit = BigInt(above ? info.max! : info.min!);
      // whether `scalar op element` (k = 0) or `element op scalar` (k = 1) holds for every element
      const scalarFirst = k === 0;
      const sLess = scalarFirst ? !above : above; // is the left operand the smaller one?
      const truth = { equal: false, notEqual: true, less: sLess, lessEqual: sLess, greater: !sLess, greaterEqual: !sLess }[op as 'equal'];
      // limit op' element (or element op' limit) with that same answer for every element
      const constant: OpName = scalarFirst
        ? (above ? (truth ? 'greaterEqual' : 'less') : (truth ? 'lessEqual' : 'greater'))
        : (above ? (truth ? 'lessEqual' : 'greater') : (truth ? 'greaterEqual' : 'less'));
      const args2 = [...args];
      args2[k] = limit;
      return prepare(fn, constant, args2, names, options, extraKeys, p);
    }
    compute = 'float64';
  }
  // int64 with uint64 promotes to float64, but numpy compares them exactly (int64 max < 2**63
  // as uint64): read as bigints, they compare exactly
  if (result === 'bool' && compute === 'float64' && typed.every((a) => a instanceof SharedNDArray && isBigIntDType(asResult(a.dtype)))) compute = 'int64';
  const outArg = options?.out;
  if (outArg !== undefined) checkArray(fn, 'options.out', outArg, false);
  const out = outArg as SharedNDArray | undefined;
  const shapes = operands.map((a) => (a instanceof SharedNDArray ? a.shape : []));
  // as numpy, the operands broadcast to `out`'s shape, which must be the result's whole shape
  const shape = broadcastShapes(fn, out ? [...names, 'options.out'] : names, out ? [...shapes, out.shape] : shapes);
  if (out) {
    if (out.shape.length !== shape.length || out.shape.some((len, i) => len !== shape[i])) {
      throw new ShapeError(`${fn}: invalid argument 'options.out': expected shape ${showShape(shape)} (the operands' broadcast shape; numpy does not broadcast out), got ${showShape(out.shape)}`);
    }
    if (!out.writeable) throw new ReadOnlyError(`${fn}: invalid argument 'options.out': the array is read-only`);
    if (!canCastSameKind(result, out.dtype)) {
      throw new DTypeError(`${fn}: invalid argument 'options.out': cannot cast the ${result} result to ${out.dtype} with numpy's casting rule 'same_kind'`);
    }
  }
  const target = out ?? empty(shape, result);
  const outGeometry = arrayGeometry(target, shape);
  const geometries = operands.map((a, k) => {
    if (!(a instanceof SharedNDArray)) {
      if (op === 'where' && k === 0) return scalarGeometry(a === true || (a !== false && a !== 0 && a !== 0n) ? 1 : 0, 'bool', shape.length);
      const converted = scalarAs(fn, names[k]!, a, compute);
      return scalarGeometry(converted, compute, shape.length);
    }
    const g = arrayGeometry(a, shape);
    // numpy reads an input that partly overlaps `out` as it was: a copy; the very same view is safe in place
    if (out && overlaps(g, outGeometry, shape) && !sameGeometry(g, outGeometry)) return arrayGeometry(a.copy(), shape);
    return g;
  });
  const merged = coalesce(shape, [outGeometry.strides, ...geometries.map((g) => g.strides)]);
  const job: ElementwiseJob = {
    op, p, compute, shape: merged.shape,
    out: { ...outGeometry, strides: merged.strides[0]! },
    operands: geometries.map((g, k) => ({ ...g, strides: merged.strides[k + 1]! })),
  };
  const size = target.size;
  const shareable = target.isShared && operands.every((a) => !(a instanceof SharedNDArray) || a.isShared);
  return { job: { fn: 'elementwise', job, rows: merged.shape[0] ?? 0, size, shareable, name: fn }, out: target };
}

function run(prepared: Prepared, options: OpOptions | undefined, fn: string): SharedNDArray {
  runSync(prepared.job, checkPool(fn, options));
  return prepared.out;
}

async function runLater(prepared: Prepared, options: OpOptions | undefined, fn: string): Promise<SharedNDArray> {
  await runAsync(prepared.job, checkPool(fn, options));
  return prepared.out;
}

/** The blocking and async forms of a binary ufunc. */
function binary(op: OpName) {
  const sync = (a: Operand, b: Operand, options?: UfuncOptions): SharedNDArray => run(prepare(op, op, [a, b], ['a', 'b'], options), options, op);
  const later = (a: Operand, b: Operand, options?: UfuncOptions): Promise<SharedNDArray> => {
    try {
      return runLater(prepare(`${op}Async`, op, [a, b], ['a', 'b'], options), options, `${op}Async`);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return [sync, later] as const;
}

/** The blocking and async forms of a unary ufunc. */
function unary(op: OpName) {
  const sync = (x: Operand, options?: UfuncOptions): SharedNDArray => run(prepare(op, op, [x], ['x'], options), options, op);
  const later = (x: Operand, options?: UfuncOptions): Promise<SharedNDArray> => {
    try {
      return runLater(prepare(`${op}Async`, op, [x], ['x'], options), options, `${op}Async`);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return [sync, later] as const;
}

/** A binary ufunc, blocking form: `a op b` elementwise; the result (or `options.out`). */
export type BinaryUfunc = (a: Operand, b: Operand, options?: UfuncOptions) => SharedNDArray;
/** A binary ufunc, async form. */
export type BinaryUfuncAsync = (a: Operand, b: Operand, options?: UfuncOptions) => Promise<SharedNDArray>;
/** A unary ufunc, blocking form. */
export type UnaryUfunc = (x: Operand, options?: UfuncOptions) => SharedNDArray;
/** A unary ufunc, async form. */
export type UnaryUfuncAsync = (x: Operand, options?: UfuncOptions) => Promise<SharedNDArray>;

/**
 * `a + b` (`np.add`; for bools, logical or). `addAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [add, addAsync] = binary('add');
/**
 * `a - b` (`np.subtract`). `subtractAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind), or the operands are bools (numpy has no bool subtract)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [subtract, subtractAsync] = binary('subtract');
/**
 * `a * b` (`np.multiply`; for bools, logical and). `multiplyAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [multiply, multiplyAsync] = binary('multiply');
/**
 * `a / b` (`np.divide`, true division: integers give float64). `divideAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [divide, divideAsync] = binary('divide');
/**
 * `a ** b` (`np.power`). `powerAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype, or an integer exponent is negative
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [power, powerAsync] = binary('power');
/**
 * The larger of `a` and `b`, NaN if either is (`np.maximum`). `maximumAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [maximum, maximumAsync] = binary('maximum');
/**
 * The smaller of `a` and `b`, NaN if either is (`np.minimum`). `minimumAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [minimum, minimumAsync] = binary('minimum');
/**
 * The remainder with the sign of `b` (`np.mod`, Python's `%`); integer `% 0` is 0, float NaN. `modAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [mod, modAsync] = binary('mod');
/**
 * `a == b` as bools (`np.equal`). `equalAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [equal, equalAsync] = binary('equal');
/**
 * `a != b` as bools (`np.not_equal`). `notEqualAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [notEqual, notEqualAsync] = binary('notEqual');
/**
 * `a < b` as bools (`np.less`). `lessAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [less, lessAsync] = binary('less');
/**
 * `a <= b` as bools (`np.less_equal`). `lessEqualAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [lessEqual, lessEqualAsync] = binary('lessEqual');
/**
 * `a > b` as bools (`np.greater`). `greaterAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [greater, greaterAsync] = binary('greater');
/**
 * `a >= b` as bools (`np.greater_equal`). `greaterEqualAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [greaterEqual, greaterEqualAsync] = binary('greaterEqual');

/**
 * `-x` (`np.negative`; integers wrap). `negativeAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind), or the operand is bool (numpy has no bool negative)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [negative, negativeAsync] = unary('negative');
/**
 * `|x|` (`np.abs`; the most negative integer stays negative, as in numpy). `absAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [abs, absAsync] = unary('abs');
/**
 * `np.sqrt`; integers give floats. `sqrtAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [sqrt, sqrtAsync] = unary('sqrt');
/**
 * `np.exp`. `expAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [exp, expAsync] = unary('exp');
/**
 * `np.log`, the natural logarithm. `logAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [log, logAsync] = unary('log');
/**
 * `np.log1p`, `log(1 + x)` exact for small x. `log1pAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [log1p, log1pAsync] = unary('log1p');
/**
 * `np.expm1`, `exp(x) - 1` exact for small x. `expm1Async` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [expm1, expm1Async] = unary('expm1');
/**
 * `np.sin`. `sinAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [sin, sinAsync] = unary('sin');
/**
 * `np.cos`. `cosAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [cos, cosAsync] = unary('cos');
/**
 * `np.tanh`. `tanhAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [tanh, tanhAsync] = unary('tanh');
/**
 * `np.floor`; integers keep their dtype (numpy >= 2.1). `floorAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [floor, floorAsync] = unary('floor');
/**
 * `np.ceil`; integers keep their dtype (numpy >= 2.1). `ceilAsync` is the async form: it rejects with the same errors.
 * @throws {ArgumentError} when an operand is not a SharedNDArray or scalar, or an option is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export const [ceil, ceilAsync] = unary('ceil');

function roundPrepare(fn: string, x: unknown, options: RoundOptions | undefined): Prepared {
  const decimals = options?.decimals ?? 0;
  if (!Number.isSafeInteger(decimals) || Math.abs(decimals) > 400) {
    throw new ArgumentError(`${fn}: invalid argument 'options.decimals': expected an integer from -400 to 400, got ${show(decimals)}`);
  }
  return prepare(fn, 'round', [x], ['x'], options, ['decimals'], decimals);
}

/**
 * Rounds half to even to `decimals` places (`np.round`): 2.5 → 2, -0.5 → -0. Floats scale by
 * 10^decimals, round and scale back, as numpy does (so `round(2.675, { decimals: 2 })` is 2.67);
 * integers with negative decimals round to multiples of 10^-decimals.
 * @throws {ArgumentError} when `decimals` is not an integer, or another argument is invalid
 * @throws {ShapeError} when `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function round(x: Operand, options?: RoundOptions): SharedNDArray {
  return run(roundPrepare('round', x, options), options, 'round');
}

/** `round`'s async form. @throws (rejects) as `round` */
export function roundAsync(x: Operand, options?: RoundOptions): Promise<SharedNDArray> {
  try {
    return runLater(roundPrepare('roundAsync', x, options), options, 'roundAsync');
  } catch (error) {
    return Promise.reject(error);
  }
}

type Bound = Operand | null | undefined;

/**
 * Whether a JS int bound cannot clip an integer array (numpy 2's `_clip` drops a Python int at or
 * beyond the dtype's limit, so `clip(int32s, -2 ** 40, 5)` is `minimum(int32s, 5)`, not an
 * overflow error).
 */
function noClip(a: Operand, bound: Operand, side: 'min' | 'max'): boolean {
  if (!(a instanceof SharedNDArray) || !(typeof bound === 'bigint' || (typeof bound === 'number' && Number.isInteger(bound)))) return false;
  const info = DTYPES[a.dtype];
  if (info.kind !== 'i' && info.kind !== 'u') return false;
  return side === 'min' ? BigInt(bound) <= BigInt(info.min!) : BigInt(bound) >= BigInt(info.max!);
}

/** clip with one bound is maximum or minimum; with both, the three-operand loop; with none, a copy. */
function clipPlan(fn: string, a: Operand, lo: Bound, hi: Bound, options: UfuncOptions | undefined): Prepared {
  const missing = (v: Bound): v is null | undefined => v === null || v === undefined;
  if (!missing(lo) && noClip(a, lo, 'min')) lo = null;
  if (!missing(hi) && noClip(a, hi, 'max')) hi = null;
  // numpy's positive(a): maximum of a with itself is a itself, NaN and -0 included
  if (missing(lo) && missing(hi)) return prepare(fn, 'maximum', [a, a], ['a', 'a'], options);
  if (missing(hi)) return prepare(fn, 'maximum', [a, lo], ['a', 'min'], options);
  if (missing(lo)) return prepare(fn, 'minimum', [a, hi], ['a', 'max'], options);
  return prepare(fn, 'clip', [a, lo, hi], ['a', 'min', 'max'], options);
}

/**
 * `a` limited to `[min, max]` (`np.clip`, numpy 2: `minimum(maximum(a, min), max)`, NaN
 * propagating); either bound may be null for none (both: a copy of `a`). The result dtype includes
 * the bounds'. An integral number or bigint bound at or beyond an integer array's dtype limits
 * clips nothing and is left out, as numpy 2 does.
 * @throws {ArgumentError} when an argument is invalid
 * @throws {ShapeError} when the operands do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar bound is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function clip(a: Operand, min: Bound, max: Bound, options?: UfuncOptions): SharedNDArray {
  return run(clipPlan('clip', a, min, max, options), options, 'clip');
}

/** `clip`'s async form. @throws (rejects) as `clip` */
export function clipAsync(a: Operand, min: Bound, max: Bound, options?: UfuncOptions): Promise<SharedNDArray> {
  try {
    return runLater(clipPlan('clipAsync', a, min, max, options), options, 'clipAsync');
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Elements of `a` where `cond` is true, of `b` elsewhere (`np.where` with three arguments);
 * `cond` of any dtype is read as numpy's `bool()` (NaN true). The result dtype is `a`'s and `b`'s.
 * @throws {ArgumentError} when an operand is invalid
 * @throws {ShapeError} when the three do not broadcast together, or `out` has another shape
 * @throws {DTypeError} when the result cannot be cast to `out`'s dtype (same_kind)
 * @throws {ValueError} when a scalar is out of range for the result dtype
 * @throws {ReadOnlyError} when `out` is read-only
 * @throws {WorkerDiedError} when a pool worker died while it ran a block
 */
export function where(cond: Operand, a: Operand, b: Operand, options?: UfuncOptions): SharedNDArray {
  return run(prepare('where', 'where', [cond, a, b], ['cond', 'a', 'b'], options), options, 'where');
}

/** `where`'s async form. @throws (rejects) as `where` */
export function whereAsync(cond: Operand, a: Operand, b: Operand, options?: UfuncOptions): Promise<SharedNDArray> {
  try {
    return runLater(prepare('whereAsync', 'where', [cond, a, b], ['cond', 'a', 'b'], options), options, 'whereAsync');
  } catch (error) {
    return Promise.reject(error);
  }
}
