/**
 * Filling a contiguous run of a typed array with one stored value: SharedNDArray.fill's fast path
 * (and so `full` and `ones`). V8's TypedArray.prototype.fill writes an element at a time into a
 * SharedArrayBuffer; the native addon's fill writes vectors. bench/investigate/fill.mjs (1 GiB of
 * float64, 2-vCPU AVX-512 VM under load, medians of the addon's wall time over V8's): 0.51-0.55x
 * on fresh huge-page memory (zeros + fill, the faults included), 0.43-0.68x on memory already
 * faulted in, 0.05-0.25x in cache (64 KiB to 16 MiB). Without the addon runs stay on
 * TypedArray.prototype.fill.
 *
 * Plain stores, not streaming ones: see src/native/fill.cc.
 */
import { nativeFill } from '../native/addon.js';
import { DTYPES, type DType, type TypedArray } from './dtype.js';
import type { Stored } from './values.js';

/**
 * From this many bytes on a run goes to the addon: below it the call costs more than V8's loop
 * saves (fill.mjs's tables by size: 1 KiB took V8 0.2x the addon's time, 4 KiB 1.4x).
 */
export const NATIVE_FILL_MIN = 4096;

/** One 8-byte scratch per dtype: the value as it is stored, repeated to 8 bytes. */
const patterns = new Map<DType, { typed: TypedArray; bytes: Uint8Array }>();

function pattern(dtype: DType): { typed: TypedArray; bytes: Uint8Array } {
  let p = patterns.get(dtype);
  if (p === undefined) {
    const buffer = new ArrayBuffer(8);
    p = { typed: new DTYPES[dtype].ctor(buffer), bytes: new Uint8Array(buffer) };
    patterns.set(dtype, p);
  }
  return p;
}

/**
 * `data[start, end)` = `value`, a value already converted for `dtype` (the typed array's element
 * type), with the bits TypedArray.prototype.fill would store.
 */
export function fillRun(data: TypedArray, dtype: DType, value: Stored, start: number, end: number): void {
  const itemsize = data.BYTES_PER_ELEMENT;
  const native = (end - start) * itemsize >= NATIVE_FILL_MIN ? nativeFill() : undefined;
  if (native === undefined) {
    (data as { fill(v: Stored, start: number, end: number): unknown }).fill(value, start, end);
    return;
  }
  // the typed array's own conversion (TypedArray.fill's), repeated over 8 bytes
  const p = pattern(dtype);
  (p.typed as { fill(v: Stored): unknown }).fill(value);
  native(data.buffer, data.byteOffset + start * itemsize, (end - start) * itemsize, p.bytes);
}
