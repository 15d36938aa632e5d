/** What `shared-ndarray cluster status` shows: a queue's depth, its daemons and its recent failures. */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, positiveInteger, show } from '../check.js';
import { checkRedisUrl, safeUrl } from '../redis/url.js';
import { connectionError, connectionOptions, loadBullmq, parseDaemonName, whenConnected } from './bullmq.js';
import { checkQueueName, checkTimeout } from './cluster-pool.js';

export interface ClusterStatusOptions {
  url: string;
  queue: string;
  /** Default `'shared-ndarray'`. */
  namespace?: string;
  /** Default 5000 ms. */
  connectTimeout?: number;
  /** How many of the most recent failed jobs to list; default 5. */
  failures?: number;
}

export interface ClusterStatus {
  queue: string;
  /** Without its password. */
  url: string;
  /** Jobs in each state (BullMQ's counts; completed and failed jobs are kept up to the last 100). */
  jobs: { waiting: number; active: number; delayed: number; prioritized: number; paused: number; completed: number; failed: number };
  /** Connected daemons: `host`, `pid` and `threads` from their names (undefined for a BullMQ worker of another program), Redis's `addr` and connection age in s. */
  workers: Array<{ name: string; host: string | undefined; pid: number | undefined; threads: number | undefined; addr: string; age: number }>;
  /** The most recent failed jobs, newest first: a task's own error is a result, not a failure; these are daemons lost too often (stalled) or jobs of something else. */
  failures: Array<{ id: string; fn: string; reason: string; finishedOn: string | undefined; attempts: number }>;
}

/**
 * @throws {ArgumentError} (rejects) when an option is invalid
 * @throws {OptionalDependencyError} (rejects) when bullmq or ioredis is not installed
 * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached within `connectTimeout`
 */
export async function clusterStatus(options: ClusterStatusOptions): Promise<ClusterStatus> {
  const fn = 'clusterStatus';
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: invalid argument 'options': expected { url, queue, ... }, got ${show(options)}`);
  checkOptionKeys(fn, 'options', options, ['url', 'queue', 'namespace', 'connectTimeout', 'failures']);
  const url = checkRedisUrl(fn, 'options.url', options.url);
  const queue = checkQueueName(fn, 'options.queue', options.queue);
  const namespace = checkQueueName(fn, 'options.namespace', options.namespace ?? 'shared-ndarray');
  const connectTimeout = checkTimeout(fn, 'options.connectTimeout', options.connectTimeout);
  const failures = options.failures === undefined ? 5 : positiveInteger(fn, 'options.failures', options.failures);
  const bull = loadBullmq(fn);
  const q = new bull.Queue(queue, {
    connection: { ...connectionOptions(url, connectTimeout), enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: connectTimeout },
    prefix: namespace, skipMetasUpdate: true,
  });
  q.on('error', () => {});
  try {
    await whenConnected(fn, url, [q], connectTimeout);
    const [counts, workers, failed] = await Promise.all([
      q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed'),
      q.getWorkers(),
      q.getFailed(0, failures - 1),
    ]);
    return {
      queue,
      url: safeUrl(url),
      jobs: {
        waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, prioritized: counts.prioritized ?? 0,
        paused: counts.paused ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0,
      },
      workers: workers.map((w) => {
        const name = w.rawname?.split(':w:')[1] ?? '';
        const parsed = parseDaemonName(name);
        return { name, host: parsed?.host, pid: parsed?.pid, threads: parsed?.threads, addr: w.addr ?? '', age: Number(w.age ?? 0) };
      }),
      failures: failed.filter((j) => j !== undefined).map((j) => ({
        id: String(j.id), fn: j.name, reason: j.failedReason ?? '', attempts: j.attemptsMade ?? 0,
        finishedOn: j.finishedOn === undefined ? undefined : new Date(j.finishedOn).toISOString(),
      })),
    };
  } catch (error) {
    throw connectionError(fn, url, error);
  } finally {
    await q.close().catch(() => {});
  }
}
