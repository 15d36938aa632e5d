export {
  SharedNDArrayError, ArgumentError, DTypeError, IndexError, ShapeError, BufferError, ValueError,
  CopyRequiredError, NotContiguousError, NotSharedError,
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
