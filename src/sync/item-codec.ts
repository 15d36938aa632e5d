/**
 * How queue items become bytes in shared memory and back. Numbers and plain typed arrays take a
 * fast path (a tag and their raw bytes); anything else structured clone can copy goes through
 * `v8.serialize`, the same format postMessage uses.
 */
import { deserialize, serialize } from 'node:v8';
import { ArgumentError } from '../errors.js';

export const Tag = { Number: 1, TypedArray: 2, Serialized: 3 } as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

export interface EncodedItem {
  tag: Tag;
  /** Which typed array, for Tag.TypedArray. */
  kind: number;
  bytes: Uint8Array;
}

export function encodeItem(fn: string, item: unknown): EncodedItem {
  if (typeof item === 'number') {
    return { tag: Tag.Number, kind: 0, bytes: new Uint8Array(Float64Array.of(item).buffer) };
  }
  if (ArrayBuffer.isView(item)) {
    const kind = TYPED_ARRAYS.findIndex((ctor) => item.constructor === ctor);
    if (kind !== -1) return { tag: Tag.TypedArray, kind, bytes: new Uint8Array(item.buffer, item.byteOffset, item.byteLength) };
  }
  try {
    return { tag: Tag.Serialized, kind: 0, bytes: serialize(item) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArgumentError(`${fn}: invalid argument 'item': it cannot be copied into the queue (${reason}); items are copied by structured clone, so functions, symbols and shared memory cannot be queued: pass shared objects as Pool or Process arguments instead`, { cause: error });
  }
}

/** Rebuilds an item from its bytes, a fresh buffer the item may keep (it is not copied again). */
export function decodeItem(tag: number, kind: number, bytes: Uint8Array): unknown {
  switch (tag) {
    case Tag.Number:
      return new Float64Array(bytes.buffer, bytes.byteOffset, 1)[0];
    case Tag.TypedArray: {
      const ctor = TYPED_ARRAYS[kind];
      if (ctor === undefined) throw new Error(`unreachable: typed array kind ${kind}`);
      const make = ctor as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => unknown;
      return new make(bytes.buffer, bytes.byteOffset, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
    }
    default:
      return deserialize(bytes);
  }
}
