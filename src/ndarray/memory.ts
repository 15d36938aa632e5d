import { BufferError } from '../errors.js';
import { DTYPES, type DType, type TypedArray } from './dtype.js';
import { MAX_SIZE } from './layout.js';

/**
 * A typed array of `dtype` over a whole buffer from byte 0. Every view keeps one of these and
 * addresses elements relative to the buffer's start, so a view's geometry (offset and strides in
 * elements) is all a worker needs besides the buffer itself.
 */
export function typedArrayOver(dtype: DType, buffer: ArrayBufferLike, fn: string): TypedArray {
  const { ctor, itemsize } = DTYPES[dtype];
  try {
    return new ctor(buffer, 0, Math.floor(buffer.byteLength / itemsize));
  } catch (cause) {
    // the one way a valid buffer fails here: it was transferred away (detached)
    throw new BufferError(`${fn}: cannot view the buffer: ${(cause as Error).message}`, { cause });
  }
}

/** Fresh zero-filled shared memory for `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number, fn: string): TypedArray {
  const bytes = size * DTYPES[dtype].itemsize;
  if (bytes > MAX_SIZE) throw new BufferError(`${fn}: cannot allocate ${size} elements of ${dtype}: too large`);
  let buffer: SharedArrayBuffer;
  try {
    buffer = new SharedArrayBuffer(bytes);
  } catch (cause) {
    throw new BufferError(`${fn}: cannot allocate ${bytes} bytes of shared memory for ${size} elements of ${dtype}: ${(cause as Error).message}`, { cause });
  }
  return typedArrayOver(dtype, buffer, fn);
}
