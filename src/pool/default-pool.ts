/**
 * The default pool: what the array operations and the sieve run on when the caller gives no
 * pool. Started on first use, sized to `os.availableParallelism()`, and never in the way of an
 * exit: the pool unrefs a worker whenever it is idle, so a script that used it ends by itself.
 *
 * Its workers load no module of their own; every call names one of the package's compiled worker
 * modules (ops.worker.js, sieve.worker.js), which a worker imports the first time it is asked
 * (RUN_BUILTIN, worker-module/builtin.ts). So one set of threads serves every built-in
 * operation, and pool/ needs to know nothing of ops/ or sieve/, which sit above it.
 */
import { availableParallelism } from 'node:os';
import { BUILTIN_ONLY, RUN_BUILTIN } from '../worker-module/protocol.js';
import { ADMIT, Pool, type MapOptions } from './pool.js';

/** Any pool: the built-in modules run on every pool's workers, whatever module it was started on. */
// biome-ignore lint/suspicious/noExplicitAny: a pool of any worker module's functions
export type AnyPool = Pool<any>;

let pool: Pool | undefined;

/**
 * The package's shared pool, started on the first call (the same one on every later call).
 *
 * @internal
 */
export function defaultPool(): Pool {
  pool ??= new Pool(BUILTIN_ONLY, { size: availableParallelism() });
  return pool;
}

/**
 * `fn(...args)` of the package's worker module `module` for each argument list, one task each,
 * on `target`'s workers; resolves to the results in order.
 *
 * @internal
 */
export function runBuiltin(target: AnyPool, module: URL, fn: string, argLists: ReadonlyArray<readonly unknown[]>, options: MapOptions = {}): Promise<unknown[]> {
  const p = target as Pool;
  return p.starmap(RUN_BUILTIN, argLists.map((args) => [module.href, fn, args]), { chunksize: 1, ...options });
}

/**
 * One task of `fn(...args)` of the package's worker module `module` on `target` for each argument
 * list, all queued now or none, for a caller that then blocks its thread until they report through
 * shared memory. What the pool would refuse (closed, terminated, its module broken, `maxQueue`
 * full) throws here: the rejection would otherwise reach the caller only through the event loop
 * it is about to stop. Results and errors are the caller's to carry (the tasks' own are dropped).
 * @throws {PoolStateError} when the pool is closed or terminated
 * @throws {Full} when the pool's queue cannot take every task
 * @throws {WorkerStartError} when the pool's workers could not start
 *
 * @internal
 */
export function submitBuiltinAll(target: AnyPool, module: URL, fn: string, argLists: ReadonlyArray<readonly unknown[]>): void {
  (target as Pool)[ADMIT]('map', argLists.length);
  for (const args of argLists) (target as Pool).applyAsync(RUN_BUILTIN, [module.href, fn, args]).get().catch(() => {});
}
