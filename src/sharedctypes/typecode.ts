/**
 * The typecodes a sharedctypes object may have: every spelling the dtype resolver accepts
 * (Python `array` codes such as 'd' and 'i', numpy names, ctypes names), except the few that
 * have no element type Atomics can work on.
 */
import { DTypeError } from '../errors.js';
import { show } from '../check.js';
import { resolveDType, type DType } from '../ndarray/dtype.js';

/** ctypes' character types: JS strings have no fixed-width character element to map them to. */
const CHARACTERS: Readonly<Record<string, string>> = { c: 'c_char', u: 'c_wchar', c_char: 'c_char', c_wchar: 'c_wchar' };

export function resolveTypecode(typecode: unknown, fn: string, argName = 'typecode'): DType {
  if (typeof typecode === 'string' && Object.hasOwn(CHARACTERS, typecode)) {
    throw new DTypeError(`${fn}: invalid argument '${argName}': typecode ${show(typecode)} (${CHARACTERS[typecode]}) is not supported: JS has no fixed-width character type; use 'B' (uint8) and store text as bytes, e.g. new TextEncoder().encode(text)`);
  }
  const dtype = resolveDType(typecode, argName, fn);
  if (dtype === 'uint8c') {
    throw new DTypeError(`${fn}: invalid argument '${argName}': dtype uint8c is not supported: Atomics cannot operate on a Uint8ClampedArray, and ctypes has no clamped type; use 'B' (uint8)`);
  }
  return dtype;
}
