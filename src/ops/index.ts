/**
 * `shared-ndarray/ops`: numpy's array operations over a pool (elementwise ufuncs, reductions;
 * matmul joins them here), each blocking under numpy's name and async as `nameAsync`. Importing
 * it also installs the matching methods on SharedNDArray (`a.add(b)`).
 */
import '../register-kinds.js';
import './methods.js';
import './reduction-methods.js';
export {
  add, addAsync, subtract, subtractAsync, multiply, multiplyAsync, divide, divideAsync, power, powerAsync,
  maximum, maximumAsync, minimum, minimumAsync, mod, modAsync,
  equal, equalAsync, notEqual, notEqualAsync, less, lessAsync, lessEqual, lessEqualAsync,
  greater, greaterAsync, greaterEqual, greaterEqualAsync,
  negative, negativeAsync, abs, absAsync, sqrt, sqrtAsync, exp, expAsync, log, logAsync, log1p, log1pAsync,
  expm1, expm1Async, sin, sinAsync, cos, cosAsync, tanh, tanhAsync, floor, floorAsync, ceil, ceilAsync,
  round, roundAsync, clip, clipAsync, where, whereAsync,
} from './elementwise.js';
export type {
  Operand, OpOptions, UfuncOptions, RoundOptions, BinaryUfunc, BinaryUfuncAsync, UnaryUfunc, UnaryUfuncAsync,
} from './elementwise.js';
export { resultType, promoteTypes, canCastSameKind } from './dtypes.js';
export type { ResultDType } from './dtypes.js';
export { INLINE_THRESHOLD } from './plan.js';
export {
  sum, sumAsync, prod, prodAsync, mean, meanAsync, var, varAsync, std, stdAsync, min, minAsync, max, maxAsync,
  argmin, argminAsync, argmax, argmaxAsync, any, anyAsync, all, allAsync,
} from './reductions.js';
export type { ReduceOptions, SumOptions, MeanOptions, VarOptions, ArgOptions, SumDType, MeanDType } from './reductions.js';
export { matmul, matmulAsync, dot, dotAsync } from './matmul.js';
export type { MatmulOptions, MatmulResult } from './matmul.js';
