export {
  SharedNDArrayError, ArgumentError, DTypeError, IndexError, ShapeError, BufferError, ValueError,
  CopyRequiredError, NotContiguousError, NotSharedError, PoolStateError, WorkerStartError, WorkerDiedError,
  TimeoutError, ReadOnlyError, NpyFormatError, OwnerDiedError, BrokenBarrierError, Full, Empty, SyncStateError, ProcessStateError,
  NativeUnavailableError, OSError,
} from './errors.js';
export { dtype, DTYPES } from './ndarray/dtype.js';
export type {
  DType, DTypeLike, DTypeInfo, ResolveDType, Scalar, ScalarOf, ScalarInput, TypedArray, TypedArrayOf,
} from './ndarray/dtype.js';
export { SharedNDArray } from './ndarray/ndarray.js';
export type { NDArrayOptions, NestedArray, ReshapeOptions } from './ndarray/ndarray.js';
export { zeros, empty, ones, full, arange, array, frombuffer } from './ndarray/create.js';
export type { ShapeLike, FromBufferOptions } from './ndarray/create.js';
export { newaxis } from './ndarray/index-spec.js';
export type { IndexSpec } from './ndarray/index-spec.js';
export type { Order } from './ndarray/layout.js';
export { fromStdlib } from './ndarray/from-stdlib.js';
export type { FromStdlibOptions } from './ndarray/from-stdlib.js';
export type { StdlibNdarray, StdlibView } from './ndarray/stdlib.js';
export { isNDArrayDescriptor } from './ndarray/descriptor.js';
export type { NDArrayDescriptor } from './ndarray/descriptor.js';
export { Pool } from './pool/pool.js';
export type {
  PoolOptions, MapOptions, MapRowsOptions, AsyncOptions, WorkerFunctions, FunctionName, ArgsOf, ResultOf,
} from './pool/pool.js';
export { AsyncResult } from './pool/async-result.js';
export { divideRange } from './pool/partition.js';
export { registerKind, toDescriptors, fromDescriptors } from './transport/kinds.js';
export type { TransportKind } from './transport/kinds.js';
export { sieve, countPrimes, primes, sieveWorkerModule, MAX_SIEVE_N } from './sieve/sieve.js';
export type { SieveOptions, SieveWorker } from './sieve/sieve.js';
export { checkPrime, countPrimesTrialDivision } from './sieve/trial-division.js';
import './kinds.js';
export { Lock } from './sync/lock.js';
export { RLock } from './sync/rlock.js';
export { Semaphore, BoundedSemaphore } from './sync/semaphore.js';
export { Condition } from './sync/condition.js';
export { Event } from './sync/event.js';
export { Barrier } from './sync/barrier.js';
export type { BarrierOptions } from './sync/barrier.js';
export { Lockable, withLock, withLockAsync } from './sync/lockable.js';
export type { BlockOptions } from './sync/wait.js';
export { Queue, SimpleQueue, JoinableQueue, DEFAULT_QUEUE_BYTES } from './sync/queue.js';
export type { QueueOptions } from './sync/queue.js';
export { Process, TERMINATED_EXIT_CODE } from './process/process.js';
export type { ProcessOptions } from './process/process.js';
export { RawValue, Value, RawArray, sharedArray as Array } from './sharedctypes/sharedctypes.js';
export type { SharedCTypeOptions } from './sharedctypes/sharedctypes.js';
export { SharedValue } from './sharedctypes/shared-value.js';
export { SharedArray } from './sharedctypes/shared-array.js';
export type { SizeOrInit } from './sharedctypes/shared-array.js';
export { Synchronized, SynchronizedArray } from './sharedctypes/synchronized.js';
export type { SynchronizedDescriptor } from './sharedctypes/synchronized.js';
export type { CDataDescriptor } from './sharedctypes/descriptor.js';
export { load, save, MAX_HEADER_SIZE } from './io/npy.js';
export type { SaveOptions, NpyVersion } from './io/npy.js';
export { memmap, openMemmap, createMemmap, Memmap } from './io/memmap.js';
export type { MemmapOptions, MemmapMode, OpenMemmapOptions, CreateMemmapOptions } from './io/memmap.js';
export { MMap } from './io/mmap.js';
export type { MMapOptions, MMapAccess, MMapFile, BytesLike } from './io/mmap.js';
export { SharedMemory } from './io/shared-memory.js';
export type { SharedMemoryOptions } from './io/shared-memory.js';
