/**
 * BullMQ, loaded on first use (it and ioredis are optional peer dependencies: only a cluster
 * needs them), and the connection settings every cluster component gives it.
 *
 * @internal
 */
import { hostname } from 'node:os';
import { ClusterConnectionError, OptionalDependencyError, SharedNDArrayError } from '../errors.js';
import { requireOptional } from '../ndarray/stdlib.js';
import { safeUrl } from '../redis/url.js';

/** The part of a BullMQ connection-owning object (Queue, QueueEvents, Worker) used here. */
export interface Closable {
  waitUntilReady(): Promise<unknown>;
  close(force?: boolean): Promise<void>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  getBackend(): { on(event: string, listener: (...args: never[]) => void): unknown; readonly client: Promise<unknown> };
}

export interface BullJob {
  id?: string;
  name: string;
  data: unknown;
  failedReason?: string;
  finishedOn?: number;
  attemptsMade?: number;
  stacktrace?: string[];
  updateProgress(progress: unknown): Promise<void>;
}

export interface BullQueue extends Closable {
  add(name: string, data: unknown, options: Record<string, unknown>): Promise<BullJob>;
  addBulk(jobs: Array<{ name: string; data: unknown; opts: Record<string, unknown> }>): Promise<BullJob[]>;
  remove(jobId: string): Promise<number>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  getWorkers(): Promise<Array<Record<string, string>>>;
  getFailed(start?: number, end?: number): Promise<BullJob[]>;
  readonly keys: Record<string, string>;
}

export interface BullWorker extends Closable {
  readonly concurrency: number;
  /** Aborts the signal its processor got for the job; false when this worker does not run it. */
  cancelJob(jobId: string, reason?: string): boolean;
}

export interface BullModule {
  Queue: new (name: string, options: Record<string, unknown>) => BullQueue;
  QueueEvents: new (name: string, options: Record<string, unknown>) => Closable;
  Worker: new (name: string, processor: (job: BullJob, token?: string, signal?: AbortSignal) => Promise<unknown>, options: Record<string, unknown>) => BullWorker;
}

/**
 * The pub/sub channel on which pools name their running jobs they cancel: BullMQ's
 * `Worker.cancelJob` aborts a job only in the process that runs it, so the daemons listen here.
 */
export function cancelChannel(namespace: string, queue: string): string {
  return `${namespace}:${queue}:shared-ndarray:cancel`;
}

/**
 * @throws {OptionalDependencyError} when bullmq or ioredis is not installed
 */
export function loadBullmq(fn: string): BullModule {
  try {
    // ioredis first: bullmq loads it lazily, and only its own message would say it is missing
    requireOptional(fn, 'ioredis', 'ioredis');
    return requireOptional(fn, 'bullmq', 'bullmq') as BullModule;
  } catch (error) {
    if (!(error instanceof OptionalDependencyError)) throw error;
    throw new OptionalDependencyError(`${error.message.replace(/; install it with .*$/, '')}; a cluster needs bullmq and ioredis: install them with \`npm install bullmq ioredis\``, error.module, { cause: error.cause });
  }
}

/**
 * ioredis options for `url`. Parsed here, not passed as a URL: BullMQ adds a default host and
 * port to the options, and ioredis lets options win over the URL.
 */
export function connectionOptions(url: string, connectTimeout: number): Record<string, unknown> {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 6379 : Number(u.port),
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
    connectTimeout,
    // BullMQ's default backs off to 20 s between attempts; a cluster should see Redis back soon
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  };
}

/** Any error of Redis or BullMQ as a ClusterConnectionError naming `fn` and the URL (without its password). */
export function connectionError(fn: string, url: string, error: unknown, what = 'cannot reach Redis'): unknown {
  if (error instanceof SharedNDArrayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ClusterConnectionError(`${fn}: ${what} at ${safeUrl(url)} (${message})`, { cause: error });
}

/**
 * Waits until every one of `parts` is connected, or rejects with a ClusterConnectionError at the
 * first connection error or after `timeout` ms: BullMQ itself waits for Redis without end.
 */
export async function whenConnected(fn: string, url: string, parts: readonly Closable[], timeout: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const listeners: Array<() => void> = [];
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(connectionError(fn, url, new Error(`no connection within ${timeout} ms`), 'cannot connect to Redis')), timeout);
      for (const part of parts) {
        const onError = (error: unknown): void => reject(connectionError(fn, url, error, 'cannot connect to Redis'));
        part.on('error', onError as never);
        listeners.push(() => (part as unknown as NodeJS.EventEmitter).off('error', onError));
      }
      Promise.all(parts.map((p) => p.waitUntilReady())).then(() => resolve(), (error: unknown) => reject(connectionError(fn, url, error, 'cannot connect to Redis')));
    });
  } finally {
    clearTimeout(timer);
    for (const off of listeners) off();
  }
}

/** What a daemon calls itself in Redis's client list (BullMQ's worker name): host, pid and threads. */
export function daemonName(threads: number): string {
  return `${hostname().replace(/[\s/]/g, '_')}/${process.pid}/${threads}`;
}

/** The inverse of daemonName, for `cluster status` and a pool's default size; undefined for a worker of someone else's. */
export function parseDaemonName(name: string | undefined): { host: string; pid: number; threads: number } | undefined {
  const match = /^(.+)\/(\d+)\/(\d+)$/.exec(name ?? '');
  return match ? { host: match[1]!, pid: Number(match[2]), threads: Number(match[3]) } : undefined;
}
