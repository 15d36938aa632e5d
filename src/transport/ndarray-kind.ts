/**
 * SharedNDArray as a transport kind. Imported by register-kinds.ts (so by the package root and
 * every subpath that shares objects); a worker loads it when the first array arrives
 * (deferred-kinds.ts).
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import { DESCRIPTOR_KIND, DESCRIPTOR_VERSION } from '../ndarray/descriptor.js';
import { registerKind } from './registry.js';

/**
 * An array's descriptor packed flat: `[dtype, buffer, offset, readonly, ...shape, ...strides]`.
 * Structured clone pays for every object and key it copies: the descriptor object took a
 * hand-off's message ~5 µs longer each way than this (bench/investigate/pool-overhead.md).
 */
type PackedArray = [string, SharedArrayBuffer, number, 0 | 1, ...number[]];

registerKind<SharedNDArray, PackedArray>({
  name: 'ndarray',
  is: (value): value is SharedNDArray => value instanceof SharedNDArray,
  encode: (array) => {
    const d = array.toDescriptor();
    return [d.dtype, d.buffer, d.offset, d.readonly === true ? 1 : 0, ...d.shape, ...d.strides];
  },
  decode: (packed) => {
    const ndim = Array.isArray(packed) ? (packed.length - 4) / 2 : -1;
    if (!Number.isInteger(ndim) || ndim < 0) {
      throw new ArgumentError(`decode: invalid ndarray: expected [dtype, buffer, offset, readonly, ...shape, ...strides], got ${show(packed)}`);
    }
    const [dtype, buffer, offset, readonly] = packed;
    return SharedNDArray.fromDescriptor({
      kind: DESCRIPTOR_KIND, version: DESCRIPTOR_VERSION, dtype: dtype as never, buffer, offset,
      shape: packed.slice(4, 4 + ndim) as number[], strides: packed.slice(4 + ndim) as number[],
      ...(readonly === 1 ? { readonly: true } : {}),
    });
  },
});
