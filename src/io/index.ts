/** `shared-ndarray/io`: `.npy` files, numpy's memmap, Python's mmap and named shared memory. */
import './kinds.js';
export { load, save, MAX_HEADER_SIZE } from './npy.js';
export type { LoadOptions, SaveOptions, NpyVersion } from './npy.js';
export { memmap, openMemmap, createMemmap, Memmap } from './memmap.js';
export type { MemmapOptions, MemmapMode, OpenMemmapOptions, CreateMemmapOptions } from './memmap.js';
export { MMap } from './mmap.js';
export type { MMapOptions, MMapAccess, MMapFile, BytesLike } from './mmap.js';
export { SharedMemory } from './shared-memory.js';
export type { SharedMemoryOptions } from './shared-memory.js';
