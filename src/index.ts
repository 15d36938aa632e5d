/**
 * The package root: the core (errors, dtypes, SharedNDArray and its creation functions, the
 * transport that carries shared objects between threads) and, for one-import convenience,
 * everything the subpath entries export. Each subpath (`shared-ndarray/pool`, `/sync`,
 * `/sharedctypes`, `/process`, `/io`, `/sieve`, `/ops`, `/manager`, `/worker`) loads only its own folder.
 */
import './register-kinds.js';
export {
  SharedNDArrayError, ArgumentError, DTypeError, IndexError, ShapeError, BufferError, ValueError,
  CopyRequiredError, NotContiguousError, NotSharedError, PoolStateError, WorkerStartError, WorkerDiedError, AbortError,
  TimeoutError, ReadOnlyError, NpyFormatError, OwnerDiedError, BrokenBarrierError, Full, Empty, SyncStateError, ProcessStateError,
  NativeUnavailableError, OSError, OptionalDependencyError, KeyError, ManagerStateError, ManagerConnectionError,
  UnreachableArrayError, ClusterConnectionError,
} from './errors.js';
export { dtype, DTYPES } from './ndarray/dtype.js';
export type {
  DType, DTypeLike, DTypeInfo, ResolveDType, Scalar, ScalarOf, ScalarInput, TypedArray, TypedArrayOf,
} from './ndarray/dtype.js';
export { SharedNDArray } from './ndarray/ndarray.js';
export type { AstypeOptions, NDArrayOptions, NestedArray, ReshapeOptions } from './ndarray/ndarray.js';
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
export { registerKind, toDescriptors, fromDescriptors } from './transport/transport.js';
export type { TransportKind } from './transport/transport.js';

export * from './pool/index.js';
export * from './sync/index.js';
export * from './sharedctypes/index.js';
export * from './process/index.js';
export * from './io/index.js';
export * from './sieve/index.js';
export * from './ops/index.js';
export * from './manager/index.js';
