/** `shared-ndarray/sharedctypes`: Python's multiprocessing.sharedctypes (Value, Array, RawValue, RawArray). */
import '../register-kinds.js';
// `Array` is Python's name; importing it shadows the global Array, so `sharedArray` is the same function
export { RawValue, Value, RawArray, sharedArray as Array, sharedArray } from './sharedctypes.js';
export type { SharedCTypeOptions } from './sharedctypes.js';
export { SharedValue } from './shared-value.js';
export { SharedArray } from './shared-array.js';
export type { SizeOrInit } from './shared-array.js';
export { Synchronized, SynchronizedArray } from './synchronized.js';
export type { SynchronizedDescriptor } from './synchronized.js';
export type { CDataDescriptor } from './descriptor.js';
