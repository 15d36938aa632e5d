import { ValueError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, isBigIntDType, type DType } from '../ndarray/dtype.js';
import { bigintToFloat32, type Stored } from '../ndarray/values.js';

/**
 * Checks a value for a sharedctypes element and converts it to what the typed array stores.
 * SharedNDArray's rules (range-checked instead of wrapped, booleans only for bool), except that
 * integer types refuse fractions as ctypes does: truncating would turn `add(0.5)` into a silent
 * `add(0)`. `where` starts the message, e.g. `add: invalid argument 'delta'`.
 */
export function toCValue(dtype: DType, value: unknown, where: string): Stored {
  const info = DTYPES[dtype];
  if (info.kind === 'b') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new ValueError(`${where}: expected a boolean for bool, got ${show(value)}`);
  }
  if (info.kind === 'f') {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return dtype === 'float32' ? bigintToFloat32(value) : Number(value);
    throw new ValueError(`${where}: expected a number or bigint for ${dtype}, got ${show(value)}`);
  }
  if (typeof value !== 'bigint' && !Number.isInteger(value)) {
    throw new ValueError(`${where}: expected an integer (a number or bigint) for ${dtype}, got ${show(value)}`);
  }
  const int = value as number | bigint;
  if (int < info.min! || int > info.max!) {
    throw new ValueError(`${where}: ${show(value)} is out of range for ${dtype} [${info.min}, ${info.max}]`);
  }
  return isBigIntDType(dtype) ? BigInt(int) : Number(int);
}
