/**
 * io/'s transport kinds. A SharedMemory in a Pool task's arguments, a Process's args or
 * `toDescriptors(workerData)` crosses as its name and memory, and arrives as a SharedMemory over
 * the same memory (Python pickles it by name). An MMap is refused, as Python refuses to pickle
 * one: structured clone would deliver a stub without its memory. Imported by `shared-ndarray/io`
 * and the package root; a worker loads it when the first value of either kind arrives (deferred-kinds.ts).
 *
 * @internal
 */
import { ArgumentError } from '../errors.js';
import { registerKind } from '../transport/transport.js';
import { MMap } from './mmap.js';
import { SharedMemory, type SharedMemoryDescriptor } from './shared-memory.js';

registerKind<SharedMemory, SharedMemoryDescriptor>({
  name: 'SharedMemory',
  is: (value): value is SharedMemory => value instanceof SharedMemory,
  encode: (shm) => shm.toDescriptor(),
  decode: SharedMemory.fromDescriptor,
});

const refusal = (): ArgumentError => new ArgumentError(
  'an MMap cannot be sent to another thread (Python cannot pickle an mmap either): send its buffer, or a frombuffer() view of it, which cross without a copy',
);

registerKind<MMap, never>({
  name: 'MMap',
  is: (value): value is MMap => value instanceof MMap,
  encode: () => { throw refusal(); },
  decode: () => { throw refusal(); },
});
