/**
 * What crosses to a worker for one operand of an operation: its buffer (a SharedArrayBuffer
 * arrives as the same memory), dtype, first element and strides over the operation's shape.
 * Plain data, so a task costs one structured clone and no descriptor checks; the kernels get
 * the typed array.
 */
import { DTYPES, type DType } from '../ndarray/dtype.js';
import { typedArrayOver } from '../ndarray/memory.js';
import type { Strided } from './kernels/elementwise.js';

export interface Geometry {
  readonly dtype: DType;
  readonly buffer: ArrayBufferLike;
  /** Elements from the buffer's first byte. */
  readonly offset: number;
  readonly strides: readonly number[];
}

/** Typed arrays made in this thread, per buffer and dtype: one per array, not one per task. */
const views = new WeakMap<ArrayBufferLike, Map<DType, Strided['data']>>();

export function strided(g: Geometry): Strided {
  let byDtype = views.get(g.buffer);
  if (byDtype === undefined) {
    byDtype = new Map();
    views.set(g.buffer, byDtype);
  }
  let data = byDtype.get(g.dtype);
  // a growable buffer may have grown since: a stale view would be too short
  if (data === undefined || data.length !== Math.floor(g.buffer.byteLength / DTYPES[g.dtype].itemsize)) {
    data = typedArrayOver(g.dtype, g.buffer, 'ops');
    byDtype.set(g.dtype, data);
  }
  return { data, offset: g.offset, strides: g.strides };
}
