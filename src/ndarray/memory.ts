import { constants } from 'node:buffer';
import { BufferError, ValueError } from '../errors.js';
import { allocateHugePages } from '../native/addon.js';
import { DTYPES, type DType, type TypedArray } from './dtype.js';

/**
 * The most elements one typed array of `dtype` can have in this runtime. A SharedNDArray is a view
 * of one typed array, so this bounds every array, mapped or not. Node 20 (V8 11) allows 2^32
 * elements of any type (`buffer.constants.MAX_LENGTH`, the Uint8Array limit); later V8s bound the
 * byte length instead, at 2^53 - 1 (Node 22's MAX_LENGTH), hence the second term.
 */
export function maxTypedArrayLength(dtype: DType): number {
  return Math.min(constants.MAX_LENGTH, Math.floor(Number.MAX_SAFE_INTEGER / DTYPES[dtype].itemsize));
}

/** Refuses `count` elements of `dtype` that one typed array cannot hold, saying what the limit is. */
export function checkTypedArrayLength(dtype: DType, count: number, fn: string): void {
  const max = maxTypedArrayLength(dtype);
  if (count > max) {
    throw new BufferError(
      `${fn}: ${count} elements of ${dtype} are more than one typed array can hold in this runtime ` +
      `(at most ${max} elements under Node ${process.version}), and a SharedNDArray is a view of one typed array: ` +
      'split the data into several arrays (memmap maps any part of a file, given an offset and a shape)',
    );
  }
}

/**
 * A typed array of `dtype` over a whole buffer from byte 0. Every view keeps one of these and
 * addresses elements relative to the buffer's start, so a view's geometry (offset and strides in
 * elements) is all a worker needs besides the buffer itself.
 */
export function typedArrayOver(dtype: DType, buffer: ArrayBufferLike, fn: string): TypedArray {
  const { ctor, itemsize } = DTYPES[dtype];
  const length = Math.floor(buffer.byteLength / itemsize);
  checkTypedArrayLength(dtype, length, fn);
  try {
    return new ctor(buffer, 0, length);
  } catch (cause) {
    // the one way a valid buffer fails here: it was transferred away (detached)
    throw new BufferError(`${fn}: cannot view the buffer: ${(cause as Error).message}`, { cause });
  }
}

/**
 * From this many bytes on, arrays are allocated in huge pages by the native addon (when it loads).
 * Measured with bench/investigate/huge-page-threshold.ts (fresh memory written once, the two
 * allocators alternating; 2-vCPU VM, medians): below 2 MiB a huge-page mapping is slower (1 MiB:
 * 17 ms against 0.3 ms, no 2 MiB page fits it); from 2 to 16 MiB the C library hands a
 * SharedArrayBuffer memory it already faulted in, as fast or faster (16 MiB: 2.6 ms against
 * 4.0 ms); from 32 MiB on (glibc's largest mmap threshold) every plain buffer is fresh, 4 KiB
 * faults, and huge pages win by 10-30x (32 MiB: 265 ms against 9 ms). 16 MiB keeps the loss small
 * where a process allocates again and again and the win where it does not (a new process maps
 * anything from 128 KiB fresh). numpy advises huge pages from 4 MiB.
 */
export const HUGE_PAGE_THRESHOLD = 16 << 20;

/**
 * `SHARED_NDARRAY_MADVISE_HUGEPAGE=0` turns huge pages off, as NUMPY_MADVISE_HUGEPAGE=0 does
 * numpy's: on some virtual machines a fresh huge page costs the host more than 512 small ones
 * (a 2-vCPU Firecracker VM with a memory balloon: the first write of 1 GiB in a new process took
 * 2.6 s in huge pages against 0.55 s in 4 KiB ones, where the VM the threshold was measured on
 * took 2.8-3.5 s in 4 KiB pages). Read at each large allocation, so a program can change it.
 * @throws {ValueError} when it is set to anything but 0 or 1
 */
function hugePagesAdvised(): boolean {
  const value = process.env.SHARED_NDARRAY_MADVISE_HUGEPAGE;
  if (value === undefined || value === '1') return true;
  if (value === '0') return false;
  throw new ValueError(`invalid environment variable SHARED_NDARRAY_MADVISE_HUGEPAGE: expected '0' (no huge pages) or '1', got ${JSON.stringify(value)}`);
}

/**
 * Fresh zero-filled shared memory for `size` elements of `dtype`. Large arrays come from the
 * native addon as huge-page-backed memory (numpy does the same), which is several times faster
 * to fill for the first time; the buffer is an ordinary SharedArrayBuffer either way.
 */
export function allocate(dtype: DType, size: number, fn: string): TypedArray {
  checkTypedArrayLength(dtype, size, fn);
  const bytes = size * DTYPES[dtype].itemsize;
  let buffer: SharedArrayBuffer | undefined;
  if (bytes >= HUGE_PAGE_THRESHOLD && hugePagesAdvised()) buffer = allocateHugePages(bytes);
  try {
    buffer ??= new SharedArrayBuffer(bytes);
  } catch (cause) {
    throw new BufferError(`${fn}: cannot allocate ${bytes} bytes of shared memory for ${size} elements of ${dtype}: ${(cause as Error).message}`, { cause });
  }
  return typedArrayOver(dtype, buffer, fn);
}
