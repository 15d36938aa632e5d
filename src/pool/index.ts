/** `shared-ndarray/pool`: a pool of worker threads running the functions of a worker module. */
export { Pool } from './pool.js';
export type {
  PoolOptions, MapOptions, MapRowsOptions, AsyncOptions, RunOptions, IterateOptions, CallOptions, ProgressOptions,
} from './pool.js';
export type { PoolStats, TimeSummary } from './stats.js';
export type { WorkerFunctions, FunctionName, ArgsOf, ResultOf } from '../worker-module/types.js';
export { AsyncResult } from './async-result.js';
export { divideRange } from './partition.js';
