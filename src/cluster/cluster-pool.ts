/**
 * The local Pool's API over BullMQ: each task (a map chunk, an apply, a mapRows block) is one job
 * on a Redis queue, taken by whichever worker daemon (`shared-ndarray worker`) is free, on any
 * machine. Results come back through one QueueEvents listener per pool.
 */
import { randomUUID } from 'node:crypto';
import { AbortError, ArgumentError, ClusterConnectionError, PoolStateError, ShapeError, WorkerDiedError } from '../errors.js';
import { checkOptionKeys, positiveInteger, show } from '../check.js';
import type { IterationHost } from '../pool/iterate.js';
import { checkCallOptions } from '../pool/options.js';
import { divideRange } from '../pool/partition.js';
import { PoolApi, type CallOptions, type MapRowsOptions, type ProgressOptions, type ProgressTarget } from '../pool/pool-api.js';
import { Durations, type TimeSummary } from '../pool/stats.js';
import { checkRedisUrl, safeUrl } from '../redis/url.js';
import type { WorkerFunction } from '../worker-module/define.js';
import { resolveModule } from '../worker-module/resolve.js';
import type { ArgsOf, FunctionName, ResultOf, RowArgs } from '../worker-module/types.js';
import { cancelChannel, connectionError, connectionOptions, loadBullmq, parseDaemonName, whenConnected, type BullModule, type BullQueue, type Closable } from './bullmq.js';
import { decodeResult, encodeArgs, type ArrayContext, type RedisClientLike, type RedisNDArray, type RowsWindow } from './arrays/index.js';
import { moduleName, unpackError, type Envelope, type JobData } from './job.js';

export interface ClusterPoolOptions {
  /** The cluster's Redis: `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. */
  url: string;
  /** The BullMQ queue the daemons serve (`shared-ndarray worker --queue <name>`). */
  queue: string;
  /** Prefix of every Redis key of the cluster (BullMQ's `prefix`, the arrays' namespace); default `'shared-ndarray'`. */
  namespace?: string;
  /**
   * Threads of the cluster, for the defaults that depend on them (map's chunksize, mapRows'
   * rowsPerTask, imap's window). Default: the threads of the daemons connected at the call.
   */
  size?: number;
  /**
   * Milliseconds to wait for Redis: to connect, and, once connected, for it to come back before
   * the calls waiting for results reject with ClusterConnectionError. Default 5000.
   */
  connectTimeout?: number;
}

export interface ClusterPoolStats {
  /** Tasks submitted whose result has not come back. */
  pending: number;
  /** Tasks whose function returned; that threw or whose job failed; cancelled while pending. */
  completed: number;
  failed: number;
  cancelled: number;
  /** Milliseconds from submitting a task to its result (queue wait, run and both trips). */
  roundTrip: TimeSummary;
}

/** The tasks of one call, cancelled together. */
interface Call {
  readonly method: string;
  readonly jobs: Set<string>;
  cancelled: AbortError | undefined;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
  dispose: (() => void) | undefined;
}

interface Pending {
  readonly call: Call;
  readonly submittedAt: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Calls a user's listener; a throw is reported as an uncaught exception, not into the pool's code. */
function notify(listener: () => void): void {
  try { listener(); } catch (error) { queueMicrotask(() => { throw error; }); }
}

/** What of an ioredis client holds the event loop: its socket, and the timer of its next reconnect. */
interface HoldingClient {
  on(event: string, listener: () => void): unknown;
  readonly stream?: { ref(): unknown; unref(): unknown };
  readonly reconnectTimeout?: NodeJS.Timeout | null;
}

function holdLoop(client: HoldingClient, hold: boolean): void {
  if (hold) { client.stream?.ref(); client.reconnectTimeout?.ref(); } else { client.stream?.unref(); client.reconnectTimeout?.unref(); }
}

/** The queue's ioredis connection, as the pool uses it. */
interface EventsClient extends HoldingClient {
  xrevrange(key: string, end: string, start: string, count: string, n: string): Promise<Array<[string, string[]]>>;
  publish(channel: string, message: string): Promise<number>;
}

/**
 * Milliseconds the event reader stays open after the pool's last result: calls that follow each
 * other closer than this do not reopen it; a script ends at most this long after its last result.
 */
const READER_IDLE_MS = 200;

/** Jobs kept after they finish, for `cluster status` (the result travels in the event, not from here). */
const KEEP = { count: 100 };

/**
 * ```ts
 * const pool = new ClusterPool<typeof import('./fill.worker.js')>(new URL('./fill.worker.js', import.meta.url),
 *   { url: 'redis://redis.lan:6379', queue: 'analytics' });
 * await pool.map('square', [1, 2, 3]);   // on the daemons of queue 'analytics'
 * pool.close(); await pool.join();
 * ```
 */
export class ClusterPool<M = Record<string, WorkerFunction>> extends PoolApi<M, Call> {
  protected readonly label = 'ClusterPool';
  /** The queue's name. */
  readonly queue: string;
  /** The Redis URL without its password. */
  readonly url: string;
  readonly namespace: string;
  readonly #url: string;
  readonly #module: string;
  readonly #size: number | undefined;
  readonly #connectTimeout: number;
  /** For the arrays' codec: the namespace, and once connected the queue's connection (which fails fast) for RedisNDArrays. */
  #ctx: ArrayContext;
  readonly #queue: BullQueue;
  readonly #bull: BullModule;
  readonly #connection: Record<string, unknown>;
  /** The queue's connection, once connected (it reads the events stream's last id). */
  #client: EventsClient | undefined;
  /** The listener of the queue's events while the pool has work (and READER_IDLE_MS after), or its opening. */
  #reader: Promise<Closable> | undefined;
  #events: Closable | undefined;
  #readerIdle: NodeJS.Timeout | undefined;
  readonly #ready: Promise<void>;
  readonly #prefix = randomUUID().slice(0, 8);
  #seq = 0;
  #state: 'running' | 'closed' | 'terminated' = 'running';
  readonly #pending = new Map<string, Pending>();
  /** Calls and imap pumps not finished: join() waits for them. */
  #inFlight = 0;
  #drained: Array<() => void> = [];
  readonly #iterations = new Set<() => void>();
  #knownSize = 1;
  #lost: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  readonly #roundTrip = new Durations();
  /** Work under way that needs Redis (connecting, calls, jobs awaiting results): while any, the connections hold the process. */
  #holds = 0;
  #holding = true;

  /**
   * Connects in the background; calls wait for the connection. `workerModule` is the module the
   * daemons run (`--module`): it types the calls, and its name (the file name without extension)
   * travels with each job, so a daemon serving another module refuses the task.
   * @throws {ArgumentError} when `workerModule` names no existing file, or an option is invalid
   * @throws {OptionalDependencyError} when bullmq or ioredis is not installed
   */
  constructor(workerModule: URL | string, options: ClusterPoolOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ArgumentError(`ClusterPool: invalid argument 'options': expected { url, queue, ... }, got ${show(options)}`);
    checkOptionKeys('ClusterPool', 'options', options, ['url', 'queue', 'namespace', 'size', 'connectTimeout']);
    this.#module = moduleName(resolveModule(workerModule, 'ClusterPool', 'workerModule').href);
    this.#url = checkRedisUrl('ClusterPool', 'options.url', options.url);
    this.url = safeUrl(this.#url);
    this.queue = checkQueueName('ClusterPool', 'options.queue', options.queue);
    this.namespace = checkQueueName('ClusterPool', 'options.namespace', options.namespace ?? 'shared-ndarray');
    this.#size = options.size === undefined ? undefined : positiveInteger('ClusterPool', 'options.size', options.size);
    this.#connectTimeout = checkTimeout('ClusterPool', 'options.connectTimeout', options.connectTimeout);
    this.#bull = loadBullmq('ClusterPool');
    this.#connection = connectionOptions(this.#url, this.#connectTimeout);
    const connection = this.#connection;
    // a call made while Redis is away fails at once rather than waiting in the client's queue
    this.#queue = new this.#bull.Queue(this.queue, { connection: { ...connection, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: this.#connectTimeout }, prefix: this.namespace });
    // no listener would make every reconnect attempt an uncaught 'error'; callers get their own errors
    this.#queue.on('error', () => {});
    this.#ctx = { namespace: this.namespace };
    this.#ready = this.#hold(this.#connect());
    this.#ready.catch(() => {});
  }

  async #connect(): Promise<void> {
    try {
      await whenConnected('ClusterPool', this.#url, [this.#queue], this.#connectTimeout);
      const client = await this.#queue.getBackend().client as EventsClient;
      // an error after BullMQ let go of the client (at close) would be reported as unhandled
      client.on('error', () => {});
      this.#client = client;
      this.#holdWith(client);
      this.#ctx = { namespace: this.namespace, redis: client as unknown as RedisClientLike };
      await whenConnected('ClusterPool', this.#url, [await this.#reading()], this.#connectTimeout);
      this.#knownSize = this.#size ?? await this.#clusterThreads();
    } catch (error) {
      // a pool that never connected is done: its connections would otherwise retry for ever
      await Promise.allSettled([this.#queue.close(), this.#events?.close()]);
      throw error;
    }
  }

  /**
   * The event reader, opened if it is not. Events are read from the stream's last entry now, not
   * from whatever is last when the reader's first read happens: a job finishing in between would
   * be missed. So a submit awaits this before it adds its jobs.
   */
  #reading(): Promise<Closable> {
    clearTimeout(this.#readerIdle);
    this.#readerIdle = undefined;
    if (this.#reader !== undefined) return this.#reader;
    const reader = (async () => {
      const last = await this.#client!.xrevrange(this.#queue.keys.events!, '+', '-', 'COUNT', '1');
      const events = new this.#bull.QueueEvents(this.queue, { connection: this.#connection, prefix: this.namespace, lastEventId: last[0]?.[0] ?? '0-0' });
      this.#events = events;
      this.#listen(events);
      return events;
    })();
    this.#reader = reader;
    reader.catch(() => { if (this.#reader === reader) this.#reader = undefined; });
    return reader;
  }

  /**
   * Like the local Pool's idle threads, an idle ClusterPool lets the process end. The queue's
   * connection is unref'd while no work needs Redis (its socket, and the timer of a reconnect).
   * The event reader cannot be: BullMQ arms a timer for each blocking read. So it is closed
   * READER_IDLE_MS after the pool's last result and opened again by the next submit.
   */
  #holdWith(client: HoldingClient): void {
    holdLoop(client, this.#holding);
    // a reconnect makes a new socket; the timer of the next attempt is set just after this event
    client.on('connect', () => holdLoop(client, this.#holding));
    client.on('reconnecting', () => process.nextTick(() => holdLoop(client, this.#holding)));
  }

  /** Holds the process while `work` runs (see #holdWith). */
  #hold<T>(work: Promise<T>): Promise<T> {
    if (this.#holds++ === 0) this.#holdLoop(true);
    return work.finally(() => {
      if (--this.#holds === 0) this.#holdLoop(false);
    });
  }

  #holdLoop(hold: boolean): void {
    if (this.#holding === hold) return;
    this.#holding = hold;
    if (this.#client) holdLoop(this.#client, hold);
    if (hold) {
      clearTimeout(this.#readerIdle);
      this.#readerIdle = undefined;
    } else if (this.#reader !== undefined) {
      this.#readerIdle = setTimeout(() => {
        const reader = this.#reader;
        this.#reader = this.#events = this.#readerIdle = undefined;
        void reader?.then((events) => events.close(), () => {});
      }, READER_IDLE_MS);
    }
  }

  #listen(events: Closable): void {
    events.on('error', () => {});
    events.on('completed', (({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => this.#completedJob(jobId, returnvalue)) as never);
    events.on('failed', (({ jobId, failedReason }: { jobId: string; failedReason: string }) => this.#failedJob(jobId, failedReason)) as never);
    events.on('progress', (({ jobId, data }: { jobId: string; data: unknown }) => {
      const pending = this.#pending.get(jobId);
      const listener = pending?.call.onProgress;
      const report = data as { done?: unknown; total?: unknown } | null;
      if (listener && typeof report?.done === 'number' && typeof report.total === 'number') notify(() => listener(report.done as number, report.total as number));
    }) as never);
    // results wait in the events stream while Redis is away; after connectTimeout the calls give up
    const backend = events.getBackend();
    backend.on('close', (() => {
      // (a reader closed because the pool was idle is no lost Redis)
      if (this.#lost !== undefined || this.#closed || this.#events !== events) return;
      this.#lost = setTimeout(() => {
        this.#lost = undefined;
        this.#rejectAll(new ClusterConnectionError(`ClusterPool: lost Redis at ${this.url} for more than ${this.#connectTimeout} ms; the tasks still waiting for results gave up (their jobs may still run)`));
      }, this.#connectTimeout);
      this.#lost.unref();
    }) as never);
    backend.on('ready', (() => {
      if (this.#events !== events) return;
      clearTimeout(this.#lost);
      this.#lost = undefined;
    }) as never);
  }

  #settle(jobId: string): Pending | undefined {
    const pending = this.#pending.get(jobId);
    if (pending === undefined) return undefined;
    // a job's result is taken once: a second completion (a daemon that lost its lock but finished) finds nothing
    this.#pending.delete(jobId);
    pending.call.jobs.delete(jobId);
    this.#roundTrip.record(performance.now() - pending.submittedAt);
    return pending;
  }

  #completedJob(jobId: string, returnvalue: unknown): void {
    const pending = this.#settle(jobId);
    if (pending === undefined) return;
    const envelope = returnvalue as Envelope | null;
    if (envelope?.ok === true) {
      this.#completed++;
      decodeResult(envelope.value, this.#ctx).then(pending.resolve, pending.reject);
    } else if (envelope?.ok === false) {
      this.#failed++;
      pending.reject(unpackError(envelope.error));
    } else {
      this.#failed++;
      pending.reject(new ArgumentError(`ClusterPool.${pending.call.method}: job ${jobId} returned ${show(returnvalue)}, not a task result; is something other than shared-ndarray's worker daemon serving queue '${this.queue}'?`));
    }
  }

  #failedJob(jobId: string, reason: string): void {
    const pending = this.#settle(jobId);
    if (pending === undefined) return;
    this.#failed++;
    pending.reject(new WorkerDiedError(`ClusterPool.${pending.call.method}: job ${jobId} failed in the cluster: ${reason}`));
  }

  #rejectAll(error: unknown): void {
    for (const [jobId, pending] of [...this.#pending]) {
      this.#settle(jobId);
      this.#failed++;
      pending.reject(error);
    }
  }

  /**
   * Resolves once connected to Redis.
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached within `connectTimeout`
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Counts and round-trip times of this pool's tasks so far (a map chunk is one task). */
  stats(): ClusterPoolStats {
    return {
      pending: this.#pending.size,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      roundTrip: this.#roundTrip.summary(),
    };
  }

  /** The threads of the daemons connected now (at least 1: jobs wait for the first daemon). */
  async #clusterThreads(): Promise<number> {
    const workers = await this.#queue.getWorkers();
    let threads = 0;
    for (const w of workers) threads += parseDaemonName(w.rawname?.split(':w:')[1])?.threads ?? 1;
    this.#knownSize = Math.max(1, threads);
    return this.#knownSize;
  }

  async #sizeNow(): Promise<number> {
    await this.#ready;
    return this.#size ?? this.#clusterThreads();
  }

  protected startCall(method: string, options: (CallOptions & ProgressOptions) | undefined, progress: ProgressTarget): Call {
    const signal = options?.signal;
    const call: Call = { method, jobs: new Set(), cancelled: undefined, onProgress: progress === 'worker' ? options?.onProgress : undefined, dispose: undefined };
    if (signal?.aborted) call.cancelled = new AbortError(`ClusterPool.${method}: the call was aborted`, { cause: signal.reason });
    else if (signal !== undefined) {
      const listener = (): void => this.#cancel(call, signal.reason);
      signal.addEventListener('abort', listener, { once: true });
      call.dispose = () => signal.removeEventListener('abort', listener);
    }
    return call;
  }

  /**
   * Cancels `call`: its jobs still waiting are removed from the queue; a job a daemon already runs
   * is cancelled there (see #withdraw). The call rejects with an AbortError at once.
   */
  #cancel(call: Call, reason: unknown): void {
    call.cancelled ??= new AbortError(`ClusterPool.${call.method}: the call was aborted`, { cause: reason });
    for (const jobId of [...call.jobs]) {
      const pending = this.#settle(jobId);
      if (pending === undefined) continue;
      this.#cancelled++;
      pending.reject(call.cancelled);
      this.#withdraw(jobId).catch(() => {});
    }
  }

  /**
   * Takes a job back: removed when it still waits; when a daemon runs it (BullMQ refuses to
   * remove a locked job), its id goes to the daemons' cancel channel, and the one running it
   * aborts its local pool's task (the thread is stopped and replaced, as a local cancel does).
   */
  async #withdraw(jobId: string): Promise<void> {
    if (await this.#queue.remove(jobId) === 1) return;
    await this.#client?.publish(cancelChannel(this.namespace, this.queue), jobId);
  }

  protected refusal(method: string, fn: unknown, admitted = false): Error | undefined {
    if (this.#state === 'terminated' || (this.#state === 'closed' && !admitted)) {
      return new PoolStateError(`ClusterPool.${method}: the pool is ${this.#state === 'closed' ? 'closed (close() was called)' : 'terminated'}; it takes no new work`);
    }
    if (typeof fn !== 'string' || fn === '') {
      return new ArgumentError(`ClusterPool.${method}: invalid argument 'fn': expected the name of a function of the worker module, got ${show(fn)}`);
    }
    return undefined;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight++;
    return this.#hold(work).finally(() => {
      if (--this.#inFlight === 0) for (const wake of this.#drained.splice(0)) wake();
    });
  }

  /**
   * Adds one job per entry of `tasks` (argument lists, or chunks of them), all in one round trip;
   * each promise settles with the task's result (a chunk's: its list of results).
   */
  #submit(call: Call, fn: string, tasks: ReadonlyArray<{ args: unknown[]; chunk: boolean; rows?: RowsWindow }>, admitted = false): Promise<Array<Promise<unknown>>> {
    return this.#hold(this.#submitJobs(call, fn, tasks, admitted));
  }

  async #submitJobs(call: Call, fn: string, tasks: ReadonlyArray<{ args: unknown[]; chunk: boolean; rows?: RowsWindow }>, admitted: boolean): Promise<Array<Promise<unknown>>> {
    const refusal = this.refusal(call.method, fn, admitted) ?? call.cancelled;
    if (refusal) throw refusal;
    await this.#ready;
    const jobs = await Promise.all(tasks.map(async (task) => {
      const data: JobData = {
        v: 1, module: this.#module, fn, chunk: task.chunk, namespace: this.namespace,
        args: await encodeArgs(task.args, this.#ctx, task.rows === undefined ? {} : { rowsIndex: task.rows.index }),
        ...(task.rows === undefined ? {} : { rows: task.rows }),
      };
      return { name: fn, data, opts: { jobId: `${this.#prefix}-${++this.#seq}`, removeOnComplete: KEEP, removeOnFail: KEEP, attempts: 1 } };
    }));
    // checked again: the encoding awaited, and the pool may have been terminated or the call cancelled meanwhile
    const late = this.refusal(call.method, fn, admitted) ?? call.cancelled;
    if (late) throw late;
    const submittedAt = performance.now();
    // held until settled: a result decoded after its job's event may still read Redis
    const promises = jobs.map((job) => this.#hold(new Promise<unknown>((resolve, reject) => {
      this.#pending.set(job.opts.jobId, { call, submittedAt, resolve, reject });
      call.jobs.add(job.opts.jobId);
    })));
    // a job cancelled while the add is in flight rejects before the caller has these promises
    for (const promise of promises) promise.catch(() => {});
    try {
      await this.#reading();
      // one job: BullMQ's add is one script call, where addBulk wraps its calls in a transaction
      if (jobs.length === 1) await this.#queue.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts);
      else await this.#queue.addBulk(jobs);
    } catch (error) {
      const failure = connectionError(`ClusterPool.${call.method}`, this.#url, error, 'cannot add jobs to Redis');
      for (const job of jobs) {
        const pending = this.#settle(job.opts.jobId);
        if (pending) { this.#failed++; pending.reject(failure); }
      }
    }
    return promises;
  }

  /** A single-task call. */
  protected submitOne(call: Call, fn: unknown, args: unknown[]): Promise<unknown> {
    const work = this.#track((async () => {
      const [task] = await this.#submit(call, fn as string, [{ args, chunk: false }]);
      return task;
    })());
    if (call.dispose) work.then(call.dispose, call.dispose);
    return work;
  }

  /** One job per chunk; resolves to all results in order. Default chunksize: about four chunks per thread of the cluster. */
  protected submitChunked(call: Call, fn: unknown, lists: unknown[][], chunksize: number | undefined, onProgress?: (done: number, total: number) => void): Promise<unknown[]> {
    const work = this.#track((async () => {
      if (lists.length === 0) {
        const refusal = this.refusal(call.method, fn) ?? call.cancelled;
        if (refusal) throw refusal;
        return [];
      }
      const size = chunksize ?? Math.max(1, Math.ceil(lists.length / ((await this.#sizeNow()) * 4)));
      const chunks: unknown[][][] = [];
      for (let i = 0; i < lists.length; i += size) chunks.push(lists.slice(i, i + size));
      const tasks = await this.#submit(call, fn as string, chunks.map((chunk) => ({ args: chunk, chunk: true })));
      let done = 0;
      tasks.forEach((task, i) => {
        task.then(() => {
          if (onProgress === undefined || call.cancelled) return;
          done += chunks[i]!.length;
          notify(() => onProgress(done, lists.length));
        }, () => {});
      });
      return ((await Promise.all(tasks)) as unknown[][]).flat(1);
    })());
    if (call.dispose) work.then(call.dispose, call.dispose);
    return work;
  }

  protected cancelCall(call: Call, reason: unknown): boolean {
    if (call.cancelled !== undefined || call.jobs.size === 0) return false;
    this.#cancel(call, reason);
    return true;
  }

  protected iterationHost(call: Call, fn: string): Pick<IterationHost, 'window' | 'closed' | 'submit' | 'track' | 'iterations'> {
    return {
      window: (this.#size ?? this.#knownSize) * 2,
      closed: () => this.#state === 'closed',
      submit: (chunk) => this.#submit(call, fn, [{ args: chunk.map((item) => [item]), chunk: true }], true).then((tasks) => tasks[0] as Promise<unknown[]>),
      track: (work) => { void this.#track(work); },
      iterations: this.#iterations,
    };
  }

  /**
   * Splits the first axis of `array` into row blocks and runs `fn(array, rowStart, rowStop,
   * ...args)` on each on the daemons, which write the rows in place: `array` must be one every
   * machine reaches (a RedisNDArray, or a memmap on a shared path). Resolves to the results in row order.
   * @throws {ArgumentError} (rejects) when `fn`, `array` or an option is invalid
   * @throws {ShapeError} (rejects) when `array` is 0-d
   * @throws {UnreachableArrayError} (rejects) when `array` lives in this process's memory only
   * @throws {AbortError} (rejects) when `signal` aborts first
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {ClusterConnectionError} (rejects) when Redis cannot be reached
   * @throws {WorkerDiedError} (rejects) when a job failed in the cluster
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  mapRows<K extends FunctionName<M>>(fn: K, array: ArgsOf<M, K>[0] | RedisNDArray, options: MapRowsOptions<RowArgs<M, K>> = {}): Promise<Array<ResultOf<M, K>>> {
    try {
      this.check('mapRows', fn);
      const shape = (array as { shape?: unknown } | null)?.shape;
      if (!Array.isArray(shape)) throw new ArgumentError(`ClusterPool.mapRows: invalid argument 'array': expected a RedisNDArray or a memmap (a SharedNDArray over a file), got ${show(array)}`);
      if (shape.length === 0) throw new ShapeError('ClusterPool.mapRows: invalid argument \'array\': expected at least one axis to split, got a 0-d array');
      checkOptionKeys('ClusterPool.mapRows', 'options', options, ['rowsPerTask', 'args', 'signal', 'onProgress']);
      checkCallOptions('mapRows', options);
      if (options.rowsPerTask !== undefined) positiveInteger('ClusterPool.mapRows', 'options.rowsPerTask', options.rowsPerTask);
      const extra = options.args ?? [];
      if (!Array.isArray(extra)) throw new ArgumentError(`ClusterPool.mapRows: invalid argument 'options.args': expected an array, got ${show(extra)}`);
      const rows = shape[0] as number;
      const call = this.startCall('mapRows', options, 'items');
      const work = this.#track((async () => {
        const rowsPerTask = options.rowsPerTask ?? Math.max(1, Math.ceil(rows / await this.#sizeNow()));
        const blocks = rows === 0 ? [] : divideRange(0, rows, Math.ceil(rows / rowsPerTask));
        if (blocks.length === 0) {
          const refusal = this.refusal('mapRows', fn) ?? call.cancelled;
          if (refusal) throw refusal;
          return [];
        }
        const tasks = await this.#submit(call, fn, blocks.map(([start, stop]) => ({
          args: [array, start, stop, ...extra], chunk: false, rows: { index: 0, start, stop },
        })));
        let done = 0;
        const onProgress = options.onProgress;
        tasks.forEach((task, i) => {
          task.then(() => {
            if (onProgress === undefined || call.cancelled) return;
            done += blocks[i]![1] - blocks[i]![0];
            notify(() => onProgress(done, rows));
          }, () => {});
        });
        return Promise.all(tasks);
      })());
      if (call.dispose) work.then(call.dispose, call.dispose);
      return work as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** No more work will be submitted; what was submitted still runs (Python's `close`). */
  close(): void {
    if (this.#state !== 'running') return;
    this.#state = 'closed';
    for (const drain of this.#iterations) drain();
  }

  /**
   * Waits for every submitted task's result, then closes the Redis connections. The pool must be
   * closed or terminated first.
   * @throws {PoolStateError} (rejects) when the pool is still running
   */
  async join(): Promise<void> {
    if (this.#state === 'running') {
      throw new PoolStateError('ClusterPool.join: the pool is still running; call close() or terminate() first');
    }
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
    await this.#disconnect();
  }

  /**
   * Stops now: pending calls reject with PoolStateError, the pool's jobs still waiting are removed
   * from the queue, those the daemons run are cancelled there, and the connections close.
   */
  async terminate(): Promise<void> {
    if (this.#state !== 'terminated') {
      this.#state = 'terminated';
      const jobs = [...this.#pending.keys()];
      this.#rejectAll(new PoolStateError('ClusterPool.terminate() was called before this task finished'));
      // bounded: a Redis that is away does not hold terminate() up
      await Promise.race([
        Promise.allSettled(jobs.map((id) => this.#withdraw(id))),
        new Promise((resolve) => setTimeout(resolve, this.#connectTimeout).unref()),
      ]);
    }
    await this.#disconnect();
  }

  #disconnect(): Promise<void> {
    this.#closed ??= (async () => {
      clearTimeout(this.#lost);
      await this.#ready.catch(() => {});
      clearTimeout(this.#readerIdle);
      const reader = this.#reader;
      this.#reader = this.#events = undefined;
      await Promise.allSettled([this.#queue.close(), reader?.then((events) => events.close())]);
    })();
    return this.#closed;
  }
}

/**
 * A BullMQ queue name or key prefix: BullMQ refuses ':' in a queue name, and Redis key patterns
 * would misread glob characters.
 * @throws {ArgumentError}
 */
export function checkQueueName(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[^\s:*?[\]]+$/.test(value)) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a non-empty string without spaces, ':' or glob characters (* ? [ ]), got ${show(value)}`);
  }
  return value;
}

/** @throws {ArgumentError} */
export function checkTimeout(fn: string, name: string, value: unknown): number {
  if (value === undefined) return 5_000;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a whole number of milliseconds from 1 to ${2 ** 31 - 1}, got ${show(value)}`);
  }
  return value;
}
