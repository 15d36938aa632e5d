/**
 * The worker daemon (`shared-ndarray worker`): a BullMQ Worker that takes a queue's jobs and runs
 * them on a local Pool of threads, one job per thread, so every machine that runs one uses all
 * its cores. Each job's lock is renewed on this process's event loop, which only hands tasks to
 * threads and so stays free: a daemon that dies (or hangs) loses its locks within
 * `lockDuration`, and BullMQ's stalled-job check of the other daemons puts its jobs back in the
 * queue for them.
 */
import { availableParallelism } from 'node:os';
import { AbortError, ArgumentError } from '../errors.js';
import { checkOptionKeys, positiveInteger, show } from '../check.js';
import { Pool } from '../pool/pool.js';
import { checkRedisUrl, safeUrl } from '../redis/url.js';
import { resolveModule } from '../worker-module/resolve.js';
import { cancelChannel, connectionOptions, daemonName, loadBullmq, whenConnected, type BullJob, type BullWorker } from './bullmq.js';
import { checkQueueName, checkTimeout } from './cluster-pool.js';
import { connectRedis, decodeArgs, encodeResult, type ArrayContext, type RedisClientLike } from './arrays/index.js';
import { checkJobData, moduleName, packError, type Envelope } from './job.js';

export interface WorkerDaemonOptions {
  /** The cluster's Redis URL. */
  url: string;
  /** The queue to serve. */
  queue: string;
  /** The worker module whose functions the jobs call: a file URL or an absolute path. */
  module: URL | string;
  /** Threads of the local Pool, and jobs run at once; default `os.availableParallelism()`. */
  threads?: number;
  /** Prefix of the cluster's Redis keys; default `'shared-ndarray'` (the pools' `namespace`). */
  namespace?: string;
  /**
   * Milliseconds a job's lock lasts without renewal (renewed every half of it while the job
   * runs): how long a dead daemon's job waits before another daemon may take it. Default 30000.
   */
  lockDuration?: number;
  /** Milliseconds between BullMQ's checks for stalled jobs (those whose lock ran out). Default 30000. */
  stalledInterval?: number;
  /**
   * How many times a job may be found stalled (its daemon died or hung past `lockDuration`) and
   * put back in the queue; once more fails it (the pool rejects with WorkerDiedError). Default 1.
   */
  maxStalledCount?: number;
  /** Milliseconds to wait for Redis at start. Default 5000. */
  connectTimeout?: number;
  /** Where the daemon reports what is not any task's result (a lost lock, a Redis error). Default: nowhere. */
  log?: (line: string) => void;
}

/** How long a daemon remembers the cancel of a job it does not run (see the processor). */
const CANCEL_MEMORY_MS = 60_000;

const KEYS = ['url', 'queue', 'module', 'threads', 'namespace', 'lockDuration', 'stalledInterval', 'maxStalledCount', 'connectTimeout', 'log'];

export class WorkerDaemon {
  readonly queue: string;
  readonly threads: number;
  /** The name it goes by in `cluster status`: host/pid/threads. */
  readonly name: string;
  readonly #pool: Pool;
  readonly #worker: BullWorker;
  readonly #redis: RedisClientLike;
  readonly #control: RedisClientLike;
  #closing: Promise<void> | undefined;

  private constructor(queue: string, threads: number, name: string, pool: Pool, worker: BullWorker, redis: RedisClientLike, control: RedisClientLike) {
    this.#redis = redis;
    this.#control = control;
    this.queue = queue;
    this.threads = threads;
    this.name = name;
    this.#pool = pool;
    this.#worker = worker;
  }

  /**
   * Starts the local pool (its module must load), then serves the queue.
   * @throws {ArgumentError} (rejects) when an option is invalid or the module names no file
   * @throws {OptionalDependencyError} (rejects) when bullmq or ioredis is not installed
   * @throws {WorkerStartError} (rejects) when the worker module does not load
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached within `connectTimeout`
   */
  static async start(options: WorkerDaemonOptions): Promise<WorkerDaemon> {
    const fn = 'WorkerDaemon.start';
    if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: invalid argument 'options': expected { url, queue, module, ... }, got ${show(options)}`);
    checkOptionKeys(fn, 'options', options, KEYS);
    const url = checkRedisUrl(fn, 'options.url', options.url);
    const queue = checkQueueName(fn, 'options.queue', options.queue);
    const namespace = checkQueueName(fn, 'options.namespace', options.namespace ?? 'shared-ndarray');
    const module = resolveModule(options.module, fn, 'options.module');
    const threads = options.threads === undefined ? availableParallelism() : positiveInteger(fn, 'options.threads', options.threads);
    const lockDuration = checkTimeout(fn, 'options.lockDuration', options.lockDuration ?? 30_000);
    const stalledInterval = checkTimeout(fn, 'options.stalledInterval', options.stalledInterval ?? 30_000);
    const maxStalledCount = options.maxStalledCount === undefined ? 1 : positiveInteger(fn, 'options.maxStalledCount', options.maxStalledCount);
    const connectTimeout = checkTimeout(fn, 'options.connectTimeout', options.connectTimeout);
    const log = options.log ?? (() => {});
    if (typeof log !== 'function') throw new ArgumentError(`${fn}: invalid argument 'options.log': expected a function, got ${show(log)}`);
    const bull = loadBullmq(fn);
    const pool = new Pool(module, { size: threads });
    try {
      await pool.ready();
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    let redis: RedisClientLike;
    let control: RedisClientLike;
    try {
      // the arrays' own connection: it fails fast, where BullMQ's wait for Redis to come back
      redis = await connectRedis(fn, url, connectTimeout, connectTimeout);
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    try {
      // the pools' cancellations of running jobs (a subscribed connection does nothing else)
      control = await connectRedis(fn, url, connectTimeout, connectTimeout);
    } catch (error) {
      redis.disconnect();
      await pool.terminate();
      throw error;
    }
    const name = daemonName(threads);
    const ctx: ArrayContext = { namespace, redis };
    const expected = moduleName(module.href);
    /** Jobs cancelled before this daemon tracked them (taken from the queue just as their pool cancelled): not run. */
    const cancelledEarly = new Set<string>();
    const processor = async (job: BullJob, _token?: string, signal?: AbortSignal): Promise<Envelope> => {
      try {
        if (cancelledEarly.delete(job.id!)) throw new AbortError(`worker: job ${job.id} was cancelled by its pool before it ran`);
        const data = checkJobData('worker', job.data);
        if (data.module !== expected) {
          throw new ArgumentError(`worker: job ${job.id} calls ${show(data.fn)} of module '${data.module}', but the daemons of queue '${queue}' run '${expected}' (${module.href})`);
        }
        const { args, commit } = await decodeArgs(data.args, { ...ctx, namespace: data.namespace }, data.rows);
        // progress reports reach Redis in order, and all of them before the result
        let reported = Promise.resolve();
        const onProgress = (done: number, total: number): void => {
          reported = reported.then(() => job.updateProgress({ done, total })).catch(() => {});
        };
        // a cancelled job's thread is stopped (and replaced) by the local pool, as a local cancel does
        const value = data.chunk
          ? await pool.starmap(data.fn as never, args as never, { chunksize: Math.max(1, args.length), signal })
          : await pool.run(data.fn as never, args as never, { onProgress, signal });
        await reported;
        await commit();
        return { ok: true, value: await encodeResult(value, ctx) };
      } catch (error) {
        return { ok: false, error: packError(error) };
      }
    };
    const worker = new bull.Worker(queue, processor, {
      connection: connectionOptions(url, connectTimeout), prefix: namespace, name, concurrency: threads,
      lockDuration, stalledInterval, maxStalledCount, autorun: true,
    });
    worker.on('error', ((error: Error) => log(`worker: ${error.message}`)) as never);
    worker.on('stalled', ((jobId: string) => log(`worker: job ${jobId} stalled (its daemon stopped renewing its lock); it runs again`)) as never);
    const subscriber = control as RedisClientLike & { on(event: 'message', listener: (channel: string, message: string) => void): unknown };
    subscriber.on('message', (_channel, jobId) => {
      if (worker.cancelJob(jobId, 'cancelled by its pool')) {
        log(`worker: job ${jobId} cancelled by its pool`);
        return;
      }
      // every daemon hears every cancel; one that does not run the job remembers it a while, in
      // case it is taking the job right now (active in Redis, not yet tracked here)
      cancelledEarly.add(jobId);
      setTimeout(() => cancelledEarly.delete(jobId), CANCEL_MEMORY_MS).unref();
    });
    try {
      await control.call('SUBSCRIBE', cancelChannel(namespace, queue));
      await whenConnected(fn, url, [worker], connectTimeout);
    } catch (error) {
      await Promise.allSettled([worker.close(true), pool.terminate()]);
      redis.disconnect();
      control.disconnect();
      throw error;
    }
    log(`worker ${name}: serving queue '${queue}' of ${safeUrl(url)} on ${threads} thread${threads === 1 ? '' : 's'} with ${module.href}`);
    return new WorkerDaemon(queue, threads, name, pool, worker, redis, control);
  }

  /**
   * Drains: takes no more jobs, waits for the running ones to finish and report, then stops the
   * threads and closes the connections.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#worker.close();
      this.#pool.close();
      await this.#pool.join();
      this.#redis.disconnect();
      this.#control.disconnect();
    })();
    return this.#closing;
  }

  /**
   * Stops now: the running jobs are abandoned (their locks are no longer renewed, so the stalled
   * check of another daemon puts them back in the queue), the threads stop.
   */
  async terminate(): Promise<void> {
    await Promise.allSettled([this.#worker.close(true), this.#pool.terminate()]);
    await this.close().catch(() => {});
  }
}
