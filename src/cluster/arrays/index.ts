/**
 * What lets arrays take part in a cluster's tasks: the codec of task arguments and results
 * (codec.ts) and RedisNDArray (redis-array.ts). The contract with the cluster's pool and daemon:
 *
 * - submitting side: `encodeArgs(args, ctx, { rowsIndex })` → Encoded (JSON-safe job data);
 *   `decodeResult(encoded, ctx)` on the way back.
 * - daemon side: `decodeArgs(encoded, ctx, rows?)` → `{ args, commit }`; run the task with `args`
 *   (for mapRows: `fn(args[0], start, stop, ...args.slice(1))`, GLOBAL row indexes), then
 *   `await commit()` before the job completes (writes a RedisNDArray's rows, flushes memmaps);
 *   `encodeResult(value, ctx)` for the result.
 * - `ctx`: `{ redis, namespace }`: an ioredis connection that fails fast (see `connectRedis`; a
 *   BullMQ connection with `maxRetriesPerRequest: null` would wait forever on a Redis that is
 *   down) and the cluster's key namespace, which a RedisNDArray must live in.
 *
 * @internal Only RedisNDArray and its option types are public (from `shared-ndarray/cluster`).
 */
export { encodeArgs, decodeArgs, encodeResult, decodeResult, byteSpan, MAX_BY_VALUE_BYTES } from './codec.js';
export type { ArrayContext, ArrayRef, Encoded, EncodeOptions, RowsWindow } from './codec.js';
export { RedisNDArray, connectRedis, BLOCK_BYTES } from './redis-array.js';
export type { RedisClientLike, RedisConnectOptions, RedisNDArrayCreateOptions, RedisNDArrayFromArrayOptions } from './redis-array.js';
