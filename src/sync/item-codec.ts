/**
 * How queue items become bytes in shared memory and back. Numbers and plain typed arrays take a
 * fast path (a tag and their raw bytes); anything else structured clone can copy goes through
 * `v8.serialize`, the same format postMessage uses. Shared objects (a SharedNDArray, a Lock, a
 * Value...) are refused wherever they sit in an item: serialize would copy them into stubs.
 *
 * Small ArrayBuffers are costly to allocate and collect, so numbers and serialized items are
 * read through one scratch buffer per thread; that is safe because an item is decoded
 * synchronously, right after its bytes are copied out.
 */
import { createRequire } from 'node:module';
import { ArgumentError } from '../errors.js';
import { findShared } from '../transport/transport.js';

/** node:v8 costs a few ms of CPU to load: loaded when first needed, not with the package. */
let v8: typeof import('node:v8') | undefined;
const lazyV8 = (): typeof import('node:v8') => (v8 ??= createRequire(import.meta.url)('node:v8') as typeof import('node:v8'));

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
  /** The payload; for a number, its value is kept in `number` and written at copy time. */
  bytes: Uint8Array;
  number: number;
}

const NUMBER_BYTES = 8;
let scratch = new Uint8Array(256);
let scratchNumber = new Float64Array(scratch.buffer, 0, 1);
const NO_BYTES = new Uint8Array(0);

export function encodeItem(fn: string, item: unknown): EncodedItem {
  if (typeof item === 'number') return { tag: Tag.Number, kind: 0, bytes: NO_BYTES, number: item };
  if (ArrayBuffer.isView(item)) {
    const kind = (TYPED_ARRAYS as readonly unknown[]).indexOf(item.constructor);
    if (kind !== -1) return { tag: Tag.TypedArray, kind, bytes: new Uint8Array(item.buffer, item.byteOffset, item.byteLength), number: 0 };
  }
  const shared = findShared(item, 'item');
  if (shared !== undefined) {
    throw new ArgumentError(`${fn}: invalid argument 'item': ${shared.path === 'item' ? 'it' : shared.path} is ${shared.what}, which lives in shared memory and cannot be copied into the queue (a copy would arrive as a stub); pass shared objects as Pool or Process arguments instead, or put a copy of the data (a SharedNDArray's toArray(), a typed array)`);
  }
  try {
    return { tag: Tag.Serialized, kind: 0, bytes: lazyV8().serialize(item), number: 0 };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArgumentError(`${fn}: invalid argument 'item': it cannot be copied into the queue (${reason}); items are copied by structured clone, so functions, symbols and shared memory cannot be queued: pass shared objects as Pool or Process arguments instead`, { cause: error });
  }
}

export function payloadLength(item: EncodedItem): number {
  return item.tag === Tag.Number ? NUMBER_BYTES : item.bytes.length;
}

/** The bytes to copy into the queue; valid until the next call. */
export function payload(item: EncodedItem): Uint8Array {
  if (item.tag !== Tag.Number) return item.bytes;
  scratchNumber[0] = item.number;
  return scratch.subarray(0, NUMBER_BYTES);
}

/** Where to copy an item's `length` payload bytes before `decodeItem`: scratch, unless the item keeps them. */
export function payloadTarget(tag: number, length: number): Uint8Array {
  if (tag === Tag.TypedArray) return new Uint8Array(length);
  if (scratch.length < length) {
    scratch = new Uint8Array(2 ** Math.ceil(Math.log2(length)));
    scratchNumber = new Float64Array(scratch.buffer, 0, 1);
  }
  return scratch.subarray(0, length);
}

/** Rebuilds an item from the bytes `payloadTarget` gave and the queue filled. */
export function decodeItem(tag: number, kind: number, bytes: Uint8Array): unknown {
  switch (tag) {
    case Tag.Number:
      return scratchNumber[0];
    case Tag.TypedArray: {
      const ctor = TYPED_ARRAYS[kind];
      if (ctor === undefined) throw new Error(`unreachable: typed array kind ${kind}`);
      const make = ctor as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => unknown;
      return new make(bytes.buffer, bytes.byteOffset, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
    }
    default:
      return lazyV8().deserialize(bytes);
  }
}
