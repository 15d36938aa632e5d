/**
 * SharedNDArray as a transport kind. Imported by register-kinds.ts (so by the package root and
 * every subpath that shares objects); a worker loads it when the first array arrives
 * (deferred-kinds.ts).
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import { SharedNDArray, packArray, viewFromDescriptor } from '../ndarray/ndarray.js';
import { registerKind } from './registry.js';

/**
 * An array's descriptor packed flat: `[dtype, buffer, offset, readonly, ...shape, ...strides]`.
 * Structured clone pays for every object and key it copies: the descriptor object took a
 * hand-off's message ~5 µs longer each way than this (bench/investigate/pool-overhead.md).
 */
type PackedArray = [string, SharedArrayBuffer, number, 0 | 1, ...number[]];

registerKind<SharedNDArray, PackedArray>({
  name: 'ndarray',
  // on the wire as [tag, 'ndarray', dtype, buffer, ...]: one array fewer each way
  spliced: true,
  is: (value): value is SharedNDArray => value instanceof SharedNDArray,
  // packed straight from the array: toDescriptor() would build an object and two arrays first
  encode: (array) => {
    if (!array.isShared) array.toDescriptor(); // throws its NotSharedError
    return packArray(array) as PackedArray;
  },
  // Checked in full as fromDescriptor checks: a packed array can come from anyone's postMessage.
  decode: (packed) => {
    const ndim = Array.isArray(packed) ? (packed.length - 4) / 2 : -1;
    if (!Number.isInteger(ndim) || ndim < 0) {
      throw new ArgumentError(`decode: invalid ndarray: expected [dtype, buffer, offset, readonly, ...shape, ...strides], got ${show(packed)}`);
    }
    const dtype = packed[0], buffer = packed[1], offset = packed[2], readonly = packed[3];
    if (readonly !== 0 && readonly !== 1) {
      throw new ArgumentError(`decode: invalid ndarray: expected readonly 0 or 1, got ${show(readonly)}`);
    }
    return viewFromDescriptor('fromDescriptor', dtype, buffer, offset, readonly === 1, packed.slice(4, 4 + ndim), packed.slice(4 + ndim));
  },
});
