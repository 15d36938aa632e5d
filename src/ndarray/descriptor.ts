import type { DType } from './dtype.js';

/**
 * Everything a thread needs to rebuild a view of shared memory: plain data that `postMessage`
 * structured-clones, except `buffer`, which as a SharedArrayBuffer arrives as the same memory.
 * `offset` and `strides` count elements from the buffer's first byte.
 */
export interface NDArrayDescriptor<D extends DType = DType> {
  readonly kind: 'shared-ndarray';
  readonly version: 1;
  readonly dtype: D;
  readonly buffer: SharedArrayBuffer;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  /** Present and true for a read-only array, which arrives read-only. */
  readonly readonly?: boolean;
}

export const DESCRIPTOR_KIND = 'shared-ndarray';
export const DESCRIPTOR_VERSION = 1;

/** True for objects that look like a descriptor; `fromDescriptor` still checks every field. */
export function isNDArrayDescriptor(value: unknown): value is NDArrayDescriptor {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === DESCRIPTOR_KIND;
}
