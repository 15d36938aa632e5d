/**
 * numpy 2's result dtypes over this package's dtypes (`np.result_type`, `np.promote_types`,
 * `np.can_cast(..., 'same_kind')`), with JS scalars as numpy 2 treats Python scalars (NEP 50):
 * *weak*, so `int8Array + 1` stays int8 and `float32Array * 0.5` stays float32. JS has one number
 * type where Python has two, so an integral number acts as a Python int and any other number
 * (fractional, NaN, ±Infinity) as a Python float; a bigint is a Python int and a boolean a
 * Python bool. A weak scalar only decides the dtype when its kind is above every array's:
 * `boolArray + 1` is int64 and `int32Array + 0.5` float64, as in numpy.
 */
import { DTypeError, ValueError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, isBigIntDType, type DType } from '../ndarray/dtype.js';

/** The dtypes results are made in; uint8c (a Uint8ClampedArray) computes and promotes as uint8. */
export type ResultDType = Exclude<DType, 'uint8c'>;

/** numpy's kinds in promotion order: bool < unsigned < signed < float (for `same_kind`). */
const KIND_RANK = { b: 0, u: 1, i: 2, f: 3 } as const;

const SIGNED: readonly ResultDType[] = ['int8', 'int16', 'int32', 'int64'];
const UNSIGNED: readonly ResultDType[] = ['uint8', 'uint16', 'uint32', 'uint64'];

const bits = (d: ResultDType): number => DTYPES[d].itemsize * 8;

export function asResult(d: DType): ResultDType {
  return d === 'uint8c' ? 'uint8' : d;
}

/** `np.promote_types` of two dtypes. */
export function promoteTypes(a: DType, b: DType): ResultDType {
  let x = asResult(a), y = asResult(b);
  if (x === y) return x;
  const kx = DTYPES[x].kind, ky = DTYPES[y].kind;
  if (kx === 'b') return y;
  if (ky === 'b') return x;
  if (kx === 'f' || ky === 'f') {
    if (kx === 'f' && ky === 'f') return 'float64';
    const [f, i] = kx === 'f' ? [x, y] : [y, x];
    if (f === 'float64') return 'float64';
    // float32 holds 8- and 16-bit integers exactly; wider ones go to float64
    return bits(i) <= 16 ? 'float32' : 'float64';
  }
  if (kx === ky) return bits(x) >= bits(y) ? x : y;
  if (kx === 'u') [x, y] = [y, x];
  // x signed, y unsigned: the smallest signed type wider than y, unless x is already wider
  if (bits(x) > bits(y)) return x;
  const wider = SIGNED.find((s) => bits(s) > bits(y));
  return wider ?? 'float64';
}

/** A JS scalar operand: what kind of Python scalar it stands for. */
export type WeakKind = 'bool' | 'int' | 'float';

export function weakKind(value: number | bigint | boolean): WeakKind {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int';
  return Number.isInteger(value) ? 'int' : 'float';
}

/** numpy's type numbers (NPY_BOOL = 0 ... NPY_DOUBLE = 12 on 64-bit Linux, int64 as long). */
const TYPE_NUM: Record<ResultDType, number> = {
  bool: 0, int8: 1, uint8: 2, int16: 3, uint16: 4, int32: 5, uint32: 6, int64: 7, uint64: 8, float32: 11, float64: 12,
};

const WEAK_RANK = { bool: 0, int: 2, float: 3 } as const;
const WEAK_DEFAULT = { bool: 'bool', int: 'int64', float: 'float64' } as const;

/**
 * `np.result_type` of arrays' dtypes and weak JS scalars (NEP 50). With no arrays the scalars
 * take their default dtypes (bool, int64, float64).
 */
export function resultType(dtypes: readonly DType[], scalars: readonly (number | bigint | boolean)[] = []): ResultDType {
  // numpy promotes a sequence through its "main" dtype, the one of the highest type number,
  // so that the order does not matter: int16, uint16, float32 is float32 (a left fold would
  // give int32, then float64), as test_nep50_promotions.py's test_expected_promotion checks
  let main: ResultDType | undefined;
  for (const d of dtypes) if (main === undefined || TYPE_NUM[asResult(d)] > TYPE_NUM[main]) main = asResult(d);
  let result: ResultDType | undefined;
  for (const d of dtypes) {
    const p = promoteTypes(main!, d);
    result = result === undefined ? p : promoteTypes(result, p);
  }
  let weak: WeakKind | undefined;
  for (const s of scalars) {
    const k = weakKind(s);
    if (weak === undefined || WEAK_RANK[k] > WEAK_RANK[weak]) weak = k;
  }
  if (weak === undefined) return result ?? 'float64';
  if (result === undefined) return WEAK_DEFAULT[weak];
  const rank = KIND_RANK[DTYPES[result].kind];
  // a weak scalar of a kind the arrays already cover (an int with int or uint arrays) defers to them
  const covered = weak === 'int' ? rank >= KIND_RANK.u : WEAK_RANK[weak] <= rank;
  return covered ? result : promoteTypes(result, WEAK_DEFAULT[weak]);
}

/** `np.can_cast(from, to, casting='same_kind')`: a safe cast, or one within a kind or up the kind order. */
export function canCastSameKind(from: DType, to: DType): boolean {
  return KIND_RANK[DTYPES[from].kind] <= KIND_RANK[DTYPES[to].kind];
}

/**
 * A weak scalar as a value of `dtype`, the way numpy 2 converts a Python scalar into an
 * operation: an integer out of the dtype's range is an error (numpy's OverflowError), and so is
 * a number that is not exactly an integer where a 64-bit integer dtype needs one.
 * @throws {ValueError} when the scalar cannot be represented as numpy would refuse it
 * @throws {DTypeError} when a bigint meets a bool result
 */
export function scalarAs(fn: string, name: string, value: number | bigint | boolean, dtype: ResultDType): number | bigint {
  if (typeof value === 'boolean') return isBigIntDType(dtype) ? (value ? 1n : 0n) : value ? 1 : 0;
  const info = DTYPES[dtype];
  if (info.kind === 'f') {
    const x = Number(value);
    // numpy converts a Python int for a float64 loop as Python's float() does: too large is an
    // OverflowError (for float32 it rounds to infinity), as test_nep50_weak_integers_with_inexact
    if (typeof value === 'bigint' && dtype === 'float64' && !Number.isFinite(x)) {
      throw new ValueError(`${fn}: invalid argument '${name}': integer ${show(value)} is too large to convert to float64 (numpy raises OverflowError)`);
    }
    return x;
  }
  if (info.kind === 'b') {
    throw new DTypeError(`${fn}: invalid argument '${name}': ${show(value)} cannot take part in a bool operation`);
  }
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new ValueError(`${fn}: invalid argument '${name}': ${show(value)} is not an integer for the ${dtype} result`);
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value) && isBigIntDType(dtype)) {
    // beyond 2^53 a number is no longer the integer it was written as: refuse to guess
    throw new ValueError(`${fn}: invalid argument '${name}': ${show(value)} is beyond 2^53, where a number is not an exact integer; pass it as a bigint (${BigInt(value)}n) for the ${dtype} result`);
  }
  const big = BigInt(value);
  if (big < BigInt(info.min!) || big > BigInt(info.max!)) {
    throw new ValueError(`${fn}: invalid argument '${name}': integer ${show(value)} is out of bounds for ${dtype} [${info.min}, ${info.max}] (numpy raises OverflowError)`);
  }
  return isBigIntDType(dtype) ? big : Number(big);
}

export { isBigIntDType, SIGNED, UNSIGNED };
