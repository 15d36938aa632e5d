/**
 * SharedMemory as a transport kind: in a Pool task's arguments, a Process's args or
 * `toDescriptors(workerData)` it crosses as its name and memory, and arrives as a SharedMemory
 * over the same memory (Python pickles it by name). Imported by `shared-ndarray/io` and the
 * package root; a worker loads it when the first one arrives (deferred-kinds.ts).
 *
 * @internal
 */
import { registerKind } from '../transport/transport.js';
import { SharedMemory, type SharedMemoryDescriptor } from './shared-memory.js';

registerKind<SharedMemory, SharedMemoryDescriptor>({
  name: 'SharedMemory',
  is: (value): value is SharedMemory => value instanceof SharedMemory,
  encode: (shm) => shm.toDescriptor(),
  decode: SharedMemory.fromDescriptor,
});
