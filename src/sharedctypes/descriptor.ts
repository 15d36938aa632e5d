import { ArgumentError, BufferError, NotSharedError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, type DType } from '../ndarray/dtype.js';
import { Cells } from './cells.js';
import { resolveTypecode } from './typecode.js';

/**
 * What a SharedValue or SharedArray crosses threads as: plain data plus the SharedArrayBuffer,
 * which arrives as the same memory. An array's length is the buffer's, so it needs no field.
 */
export interface CDataDescriptor<D extends DType = DType> {
  readonly dtype: D;
  readonly buffer: SharedArrayBuffer;
}

/** Descriptors arrive from other threads (or users): check them before viewing their memory. */
export function cellsFromDescriptor(fn: string, descriptor: unknown, single: boolean): Cells {
  const d = descriptor as Partial<Record<keyof CDataDescriptor, unknown>> | null;
  if (typeof d !== 'object' || d === null) {
    throw new ArgumentError(`${fn}: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
  }
  if (!(d.buffer instanceof SharedArrayBuffer)) {
    throw new NotSharedError(`${fn}: invalid argument 'descriptor.buffer': expected a SharedArrayBuffer, got ${show(d.buffer)}`);
  }
  const dtype = resolveTypecode(d.dtype, fn, 'descriptor.dtype');
  const { itemsize } = DTYPES[dtype], bytes = d.buffer.byteLength;
  if (single ? bytes !== itemsize : bytes % itemsize !== 0) {
    throw new BufferError(`${fn}: invalid argument 'descriptor.buffer': ${bytes} bytes do not hold ${single ? 'exactly one' : 'whole'} ${dtype} element${single ? '' : 's'} of ${itemsize} bytes`);
  }
  return new Cells(dtype, d.buffer);
}
