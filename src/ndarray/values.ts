import { ValueError } from '../errors.js';
import { show, withArticle } from '../check.js';
import { DTYPES, isBigIntDType, type DType, type Scalar } from './dtype.js';

/** The raw element a typed array of this dtype stores: bigint for 64-bit integers, else number. */
export type Stored = number | bigint;

/**
 * Converts a user's value to what the dtype's typed array stores, with numpy's assignment rules:
 * a fractional number written to an integer dtype is truncated toward zero (as numpy does), but a
 * value outside the dtype's range, NaN or an infinity is refused rather than silently wrapped
 * (numpy 2 raises OverflowError there; typed arrays would wrap). `uint8c` keeps its defined
 * clamping. Booleans only go to bool arrays and bool arrays only take booleans.
 */
export function toStored(dtype: DType, value: unknown, where: string): Stored {
  const info = DTYPES[dtype];
  if (info.kind === 'b') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new ValueError(`${where}: expected a boolean for a bool array, got ${show(value)}`);
  }
  if (typeof value !== 'number' && typeof value !== 'bigint') {
    throw new ValueError(`${where}: expected a number${info.kind === 'f' ? '' : ' or bigint'} for ${withArticle(dtype)} array, got ${show(value)}`);
  }
  if (info.kind === 'f') return dtype === 'float32' && typeof value === 'bigint' ? bigintToFloat32(value) : Number(value);
  if (dtype === 'uint8c') {
    if (Number.isNaN(value)) throw new ValueError(`${where}: cannot store NaN in a uint8c array`);
    return typeof value === 'bigint' ? (value < 0n ? 0 : value > 255n ? 255 : Number(value)) : value;
  }
  let int: number | bigint = value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValueError(`${where}: cannot store ${value} in ${withArticle(dtype)} array (integers only)`);
    int = Math.trunc(value);
  }
  const big = isBigIntDType(dtype);
  const ok = big ? BigInt(int) >= (info.min as bigint) && BigInt(int) <= (info.max as bigint)
    : int >= (info.min as number) && int <= (info.max as number);
  if (!ok) throw new ValueError(`${where}: value ${show(value)} is out of range for ${dtype} [${info.min}, ${info.max}]`);
  return big ? BigInt(int) : Number(int);
}

/** What `get` hands back: booleans for bool arrays, the stored value otherwise. */
export function fromStored(dtype: DType, stored: Stored): Scalar {
  return dtype === 'bool' ? stored !== 0 : stored;
}

/**
 * numpy's `astype` (casting='unsafe') between two dtypes, elementwise: integers wrap modulo 2^bits,
 * floats truncate toward zero, anything nonzero becomes true. Returns a converter from a stored
 * source element to a stored target element.
 */
export function castFn(from: DType, to: DType): (v: Stored) => Stored {
  // numpy's truthiness: NaN is true, -0 is false.
  if (to === 'bool') return (v) => (typeof v === 'bigint' ? (v !== 0n ? 1 : 0) : v !== 0 ? 1 : 0);
  const fromBig = isBigIntDType(from), toBig = isBigIntDType(to);
  // a bool byte can hold any value (frombuffer, data, stdlib writes), but it means 0 or 1
  if (from === 'bool') return toBig ? (v) => (v !== 0 ? 1n : 0n) : (v) => (v !== 0 ? 1 : 0);
  // Same JS representation: the target typed array's own store does the C cast (wrap for ints,
  // truncation for float to int, clamping for uint8c).
  if (fromBig === toBig) return (v) => v;
  if (toBig) {
    return to === 'int64'
      ? (v) => BigInt.asIntN(64, floatToBigInt(v as number, to))
      : (v) => BigInt.asUintN(64, floatToBigInt(v as number, to));
  }
  const dst = DTYPES[to];
  if (to === 'float32') return (v) => bigintToFloat32(v as bigint);
  if (dst.kind === 'f' || to === 'uint8c') return (v) => Number(v);
  const width = dst.itemsize * 8;
  return dst.kind === 'i'
    ? (v) => Number(BigInt.asIntN(width, v as bigint))
    : (v) => Number(BigInt.asUintN(width, v as bigint));
}

function floatToBigInt(v: number, to: DType): bigint {
  if (!Number.isFinite(v)) throw new ValueError(`astype: cannot convert ${v} to ${to}`);
  return BigInt(Math.trunc(v));
}

/**
 * A bigint rounded once, to nearest with ties to even, to a float32 value. `Number(v)` first
 * would round to float64 and the Float32Array store would round again, which is wrong for
 * values above 2^53 whose float64 rounding lands exactly on a float32 tie.
 */
export function bigintToFloat32(v: bigint): number {
  const negative = v < 0n;
  let m = negative ? -v : v;
  if (m < 2n ** 53n) return Number(v);
  const shift = BigInt(m.toString(2).length - 24);
  let q = m >> shift;
  const rem = m & ((1n << shift) - 1n), half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  m = q << shift;
  return negative ? -Number(m) : Number(m);
}
