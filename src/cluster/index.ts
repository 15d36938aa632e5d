/**
 * `shared-ndarray/cluster`: the pool's API over BullMQ on Redis, for work that outgrows one
 * machine. Not re-exported from the package root: bullmq and ioredis are optional peer
 * dependencies, and only this entry loads them (on first use).
 */
import '../register-kinds.js';
export { ClusterPool } from './cluster-pool.js';
export type { ClusterPoolOptions, ClusterPoolStats } from './cluster-pool.js';
export { WorkerDaemon } from './daemon.js';
export type { WorkerDaemonOptions } from './daemon.js';
export { clusterStatus } from './status.js';
export type { ClusterStatus, ClusterStatusOptions } from './status.js';
export { RedisNDArray } from './arrays/index.js';
export type { RedisConnectOptions, RedisNDArrayCreateOptions, RedisNDArrayFromArrayOptions } from './arrays/index.js';
export { ClusterConnectionError, UnreachableArrayError } from '../errors.js';
