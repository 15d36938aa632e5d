/**
 * A pool of worker threads after Python's `multiprocessing.Pool`. Each worker runs one task at a
 * time; tasks wait in one FIFO queue. SharedNDArrays in arguments and results cross as views of
 * the same memory (see `transport/`), everything else by structured clone.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { AbortError, ArgumentError, Full, PoolStateError, ShapeError, WorkerStartError } from '../errors.js';
import { checkOptionKeys, positiveInteger, show } from '../check.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import type { WorkerFunction } from '../worker-module/define.js';
import '../register-kinds.js';
import { PoolApi, type CallOptions, type MapRowsOptions, type ProgressOptions, type ProgressTarget } from './pool-api.js';
import { compiledModule, isTypeScriptModule } from '../worker-module/compiled.js';
import { compiledWorkerExecArgv, compileWorkerModule } from '../worker-module/compile-ts.js';
import { noSuchFunction, resolveModule } from '../worker-module/resolve.js';
import { BUILTIN_ONLY, SPIN_WAIT, type SpinWaitData } from '../worker-module/protocol.js';
import type { IterationHost } from './iterate.js';
import { DEFAULT_SPIN_WAIT, checkCallOptions, checkInitializer, checkLimits, checkResourceLimits } from './options.js';
import { encode } from '../transport/transport.js';
import { divideRange } from './partition.js';
import { reserveIdentity } from '../sync/liveness.js';
import { Spinner } from '../sync/spin.js';
import { pumpWhileBlocked } from '../sync/wait.js';
import { MAX_TIMER_MS, startWorker, type ProgressListener, type WorkerThread } from './worker-thread.js';
import { Durations, type PoolStats } from './stats.js';
import type { ArgsOf, FunctionName, ResultOf, RowArgs } from '../worker-module/types.js';


export interface PoolOptions {
  /** Number of worker threads; default `os.availableParallelism()`. */
  size?: number;
  /** Per-worker V8 heap limits (worker_threads' `resourceLimits`); a worker that exceeds them dies and is replaced. */
  resourceLimits?: ResourceLimits;
  /** Milliseconds a worker may take to load its module; default 10000 (env THREADS_WORKER_INIT_TIMEOUT). */
  startTimeout?: number;
  /**
   * A function of the worker module each worker runs once when it starts, with `initargs`
   * (Python's `initializer`): the place to hand every worker a Lock, Queue or Value. A throw
   * fails the start, like a module that does not load.
   */
  initializer?: string;
  initargs?: readonly unknown[];
  /**
   * Most tasks that may wait in the queue for a worker (piscina's `maxQueue`); work that would
   * take the queue past it is refused with `Full`, whole. 0 takes work only while a worker is
   * free. Default Infinity.
   */
  maxQueue?: number;
  /**
   * Tasks a worker runs before the pool replaces it with a new one, which runs the initializer
   * again (Python's `maxtasksperchild`; a `map` chunk is one task). Default Infinity.
   */
  maxTasksPerChild?: number;
  /**
   * Milliseconds a worker may stay idle before it exits; the pool starts workers again, up to
   * `size`, when work comes. Default Infinity: workers live as long as the pool.
   */
  idleTimeout?: number;
  /**
   * Microseconds a worker keeps polling for its next call after it replies before it sleeps, and
   * this thread's event loop keeps turning (never blocking) for a reply after a call (OpenMP's
   * active wait, bounded): a thread's wake-up is the largest part of a short call's round trip,
   * most of all on a virtual machine. Both stop while calls or replies come slower, and run only
   * while the pool's busy workers leave a CPU (never on a machine of one CPU). Default 100; 0
   * sleeps at once; at most 1000.
   */
  spinWait?: number;
}

export type { AsyncOptions, CallOptions, IterateOptions, MapOptions, MapRowsOptions, ProgressOptions, RunOptions } from './pool-api.js';

/** The tasks of one call (an apply, the chunks of a map), cancelled together. */
interface Call {
  method: string;
  /** Its tasks not settled yet. */
  readonly tasks: Set<Task>;
  /** Set once cancelled: tasks the call submits later (imap's) are refused with it. */
  cancelled: AbortError | undefined;
  /** Gets the worker function's progress reports (a single-task call's). */
  readonly onProgress: ProgressListener | undefined;
  /** Stops listening to the caller's signal; undefined when there is none to stop. */
  dispose: (() => void) | undefined;
}

/**
 * One task: a class, not an object literal with arrow functions: its resolve and reject were two
 * closures made per call, and while the bundle kept function names (esbuild's keepNames) each
 * cost an Object.defineProperty, about 4k instructions: most of a call's cost over a raw
 * postMessage (callgrind). A class makes none per call.
 */
class Task {
  /** 'stopping': cancelled while it ran; it rejects once its worker is gone. */
  state: 'queued' | 'running' | 'stopping' | 'settled' = 'queued';
  /** The worker running it. */
  thread: WorkerThread | undefined = undefined;
  startedAt = 0;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: unknown) => void;
  /** Called once when it settles (the pool counts pending tasks for join). */
  readonly #onSettled: () => void;

  constructor(
    readonly call: Call,
    readonly fn: string,
    readonly args: readonly unknown[],
    /** Set for a chunk: `args` is then a list of argument lists, run in one round trip. */
    readonly chunk: boolean,
    readonly queuedAt: number,
    onSettled: () => void,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ) {
    this.#onSettled = onSettled;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  resolve(value: unknown): void {
    if (this.#settle()) this.#resolve(value);
  }

  reject(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  /** Marks it settled; false if it already was. */
  #settle(): boolean {
    if (this.state === 'settled') return false;
    this.state = 'settled';
    this.call.tasks.delete(this);
    this.#onSettled();
    return true;
  }
}

type State = 'running' | 'closed' | 'terminated';

/**
 * postMessage's DataCloneError (a function, a symbol, a class with private state among the
 * arguments) as the ArgumentError of the method, naming the argument that could not be copied.
 */
function uncloneable(task: Task, error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'DataCloneError') return error;
  const method = task.call.method;
  const lists = task.chunk ? (task.args as unknown[][]) : [task.args];
  for (const args of lists) {
    for (let i = 0; i < args.length; i++) {
      try {
        structuredClone(encode(args[i]));
      } catch (cause) {
        const name = /^(map|mapAsync|imap|imapUnordered)$/.test(method) ? 'items'
          : method.startsWith('starmap') ? 'argLists'
            : method === 'mapRows' ? (i === 0 ? 'array' : `options.args[${i - 3}]`) : `args[${i}]`;
        return new ArgumentError(`pool.${method}: invalid argument '${name}': ${(cause as Error).message} (arguments cross by structured clone, shared objects as themselves; functions, symbols and class instances with private state cannot)`, { cause });
      }
    }
  }
  return error;
}

/** Calls a user's listener; a throw is reported as an uncaught exception, not into the pool's code. */
function notify(listener: () => void): void {
  try { listener(); } catch (error) { queueMicrotask(() => { throw error; }); }
}

const MAX_FAILED_RESTARTS = 3;

/**
 * setImmediate and a clock as they were when the package loaded: a test's fake timers must neither
 * stall #awaitReply's turns nor stop the clock that ends them. Not performance.now(): the global
 * `performance` loads perf_hooks on first use, which the package's import does not.
 */
const turn = globalThis.setImmediate;
const hrtime = process.hrtime.bigint;
const clock = (): number => Number(hrtime()) / 1e6;

/**
 * ```ts
 * const pool = new Pool<typeof import('./fill.worker.js')>(new URL('./fill.worker.js', import.meta.url));
 * await pool.mapRows('fillRows', matrix);
 * await pool.close(); await pool.join();
 * ```
 */
/**
 * Pool's admission check, for the package's callers that block their thread on tasks they submit
 * (pool/default-pool.ts).
 * @internal
 */
export const ADMIT: unique symbol = Symbol('shared-ndarray.pool.admit');

export class Pool<M = Record<string, WorkerFunction>> extends PoolApi<M, Call> {
  protected readonly label = 'pool';
  /** Number of workers the pool keeps running (the most it runs, with `idleTimeout`). */
  readonly size: number;
  readonly #module: string;
  /** The compiled JavaScript of a TypeScript module (compile-ts.ts), or undefined. */
  readonly #compiled: string | undefined;
  readonly #entry: URL;
  readonly #options: PoolOptions;
  readonly #maxQueue: number;
  readonly #maxTasksPerChild: number;
  readonly #idleTimeout: number;
  readonly #spinWait: number;
  /** Each worker slot's flag for the workers' spin wait (SpinWaitData), and which slots are taken. */
  readonly #spinStates: Int32Array;
  readonly #spinSlots: boolean[];
  /** The caller's spin wait (#awaitReply): undefined with spinWait 0. */
  readonly #replySpinner: Spinner | undefined;
  readonly #cpus = availableParallelism();
  #replyDeadline = 0;
  #replyTurns = false;
  #state: State = 'running';
  /** Set when a worker failed to start: the module is broken, so every task fails with this. */
  #broken: WorkerStartError | undefined;
  /** FIFO of tasks; those cancelled while queued stay in it, settled, and are skipped. */
  readonly #queue: Task[] = [];
  #queueHead = 0;
  /** Tasks in the queue still waiting: the queue's length less the cancelled ones. */
  #waiting = 0;
  readonly #idle: WorkerThread[] = [];
  readonly #busy = new Map<WorkerThread, Task>();
  /**
   * Every thread, started or starting; idle and busy ones included. A thread the pool stopped on
   * purpose (cancelled, retired, idle too long) leaves it at once, so its exit is no death.
   */
  readonly #threads = new Set<WorkerThread>();
  /** Tasks each thread has run, for maxTasksPerChild. */
  readonly #tasksRun = new Map<WorkerThread, number>();
  readonly #idleTimers = new Map<WorkerThread, NodeJS.Timeout>();
  /** join() or terminate() is stopping the workers: none is started or restarted again. */
  #stopped = false;
  /** Whether any worker has started: a module that loaded once is not broken by one failed restart. */
  #everStarted = false;
  #failedRestarts = 0;
  #pending = 0;
  #drained: Array<() => void> = [];
  /** Running imap/imapUnordered calls: each queues the rest of its input when the pool closes. */
  readonly #iterations = new Set<() => void>();
  readonly #ready: Promise<void>;
  #exited: Promise<void> | undefined;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  readonly #runTime = new Durations();
  readonly #waitTime = new Durations();
  /** Tasks whose reply a blocking wait took in (#pump) while their thread went on to another. */
  readonly #handedOver = new Set<Task>();
  /** Removes #pump from this thread's blocking waits; set while tasks wait in the queue. */
  #unpump: (() => void) | undefined;

  /**
   * @throws {ArgumentError} when `workerModule` names no existing file, or an option is invalid
   */
  constructor(workerModule: URL | string, options: PoolOptions = {}) {
    super();
    checkOptionKeys('Pool', 'options', options, ['size', 'resourceLimits', 'startTimeout', 'initializer', 'initargs', 'maxQueue', 'maxTasksPerChild', 'idleTimeout', 'spinWait']);
    checkInitializer(options.initializer, options.initargs);
    // BUILTIN_ONLY: the default pool's, whose workers run only the package's own modules
    this.#module = workerModule === BUILTIN_ONLY ? BUILTIN_ONLY : resolveModule(workerModule, 'Pool', 'workerModule').href;
    this.size = options.size === undefined ? availableParallelism() : positiveInteger('Pool', 'options.size', options.size);
    if (options.startTimeout !== undefined && positiveInteger('Pool', 'options.startTimeout', options.startTimeout) > MAX_TIMER_MS) {
      throw new ArgumentError(`Pool: invalid argument 'options.startTimeout': expected at most ${MAX_TIMER_MS} ms, got ${options.startTimeout}`);
    }
    checkResourceLimits(options.resourceLimits);
    checkLimits(options);
    this.#maxQueue = options.maxQueue ?? Infinity;
    this.#maxTasksPerChild = options.maxTasksPerChild ?? Infinity;
    this.#idleTimeout = options.idleTimeout ?? Infinity;
    this.#spinWait = options.spinWait ?? DEFAULT_SPIN_WAIT;
    // twice size: a replaced worker may still be exiting when its replacement starts
    this.#spinStates = new Int32Array(new SharedArrayBuffer(4 * 2 * this.size));
    this.#spinSlots = new Array<boolean>(2 * this.size).fill(false);
    this.#replySpinner = this.#spinWait === 0 ? undefined : new Spinner(this.#spinWait / 1000);
    this.#options = { ...options };
    this.#entry = compiledModule('./worker-entry.js', import.meta.url);
    this.#compiled = isTypeScriptModule(this.#module) ? compileWorkerModule(this.#module) : undefined;
    const starts: Promise<void>[] = [];
    for (let i = 0; i < this.size; i++) starts.push(this.#spawn());
    this.#ready = Promise.all(starts).then(() => {
      if (this.#broken) throw this.#broken;
    });
    this.#ready.catch(() => {});
  }

  /**
   * Resolves when every worker has loaded its module (rejects with a WorkerStartError if one
   * could not). Tasks never need this; benchmarks use it to keep start-up out of their timings.
   * @throws {WorkerStartError} (rejects) when a worker could not load the module
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Counts and timings of the pool's tasks so far (a `map` chunk is one task): queue length,
   * running, completed, failed and cancelled tasks, and the distributions of their run and wait
   * times in milliseconds (piscina's `runTime` and `waitTime`).
   */
  stats(): PoolStats {
    return {
      threads: this.#threads.size,
      queued: this.#waiting,
      running: this.#busy.size,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      runTime: this.#runTime.summary(),
      waitTime: this.#waitTime.summary(),
    };
  }

  /**
   * Starts one worker. It takes tasks at once: calls posted before its module has loaded wait in
   * its port, so they run even if this thread blocks right after submitting (a blocking
   * `queue.get()` for what the task will put). Resolves when the start attempt is over.
   */
  #spawn(): Promise<void> {
    // The worker's identity for dead-owner recovery of shared locks (see sync/liveness.ts).
    const identity = reserveIdentity();
    // its flag among the spin wait's; with none free it never polls
    const slot = this.#spinSlots.indexOf(false);
    if (slot >= 0) this.#spinSlots[slot] = true;
    let thread: WorkerThread | undefined;
    try {
      thread = startWorker(this.#entry, {
        workerData: {
          module: this.#module,
          compiled: this.#compiled,
          ...identity.workerData,
          initializer: this.#options.initializer,
          initargs: encode(this.#options.initargs ?? []),
          [SPIN_WAIT]: { micros: this.#spinWait, states: this.#spinStates, slot, cpus: this.#cpus - 1 } satisfies SpinWaitData,
        },
        onExit: () => {
          identity.markDead();
          if (slot < 0) return;
          // it may have died running a call or polling
          Atomics.store(this.#spinStates, slot, 0);
          this.#spinSlots[slot] = false;
        },
        resourceLimits: this.#options.resourceLimits,
        execArgv: this.#compiled === undefined ? undefined : compiledWorkerExecArgv(),
        startTimeout: this.#options.startTimeout,
        onDeath: (error) => { if (thread) this.#onDeath(thread, error); },
      });
    } catch (error) {
      this.#startFailed(undefined, error);
      return Promise.resolve();
    }
    const started = thread;
    this.#threads.add(started);
    this.#idle.push(started);
    this.#dispatch();
    return started.started.then(() => {
      if (this.#stopped || !this.#threads.has(started)) return;
      if (this.#broken) {
        // another worker found the module broken; this one has no work to do
        void this.#stop(started);
        return;
      }
      this.#everStarted = true;
      this.#failedRestarts = 0;
      if (!this.#busy.has(started)) {
        started.unref();
        this.#armIdleTimer(started);
      }
    }, (error: unknown) => this.#startFailed(started, error));
  }

  /** Takes `thread` out of the pool and terminates it; its exit is then no death to report. */
  #stop(thread: WorkerThread): Promise<void> {
    this.#forget(thread);
    return thread.terminate().catch(() => {});
  }

  /** Takes `thread` out of the pool's books. */
  #forget(thread: WorkerThread): void {
    this.#threads.delete(thread);
    this.#busy.delete(thread);
    this.#tasksRun.delete(thread);
    this.#disarmIdleTimer(thread);
    const index = this.#idle.indexOf(thread);
    if (index !== -1) this.#idle.splice(index, 1);
  }

  /** A replacement for a worker that is gone, so the pool keeps its size. */
  #replace(): void {
    if (!this.#stopped && !this.#broken) void this.#spawn();
  }

  #armIdleTimer(thread: WorkerThread): void {
    if (this.#idleTimeout === Infinity || this.#stopped) return;
    this.#disarmIdleTimer(thread);
    const timer = setTimeout(() => {
      this.#idleTimers.delete(thread);
      if (this.#idle.includes(thread)) void this.#stop(thread);
    }, this.#idleTimeout);
    timer.unref();
    this.#idleTimers.set(thread, timer);
  }

  #disarmIdleTimer(thread: WorkerThread): void {
    if (this.#idleTimers.size === 0) return;
    const timer = this.#idleTimers.get(thread);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#idleTimers.delete(thread);
  }

  /** A worker that could not start: its task goes back to the queue, or the pool is broken. */
  #startFailed(thread: WorkerThread | undefined, error: unknown): void {
    let task: Task | undefined;
    if (thread !== undefined) {
      // one the pool stopped itself (cancelled, idle, terminate()) has nothing to recover
      if (!this.#threads.has(thread)) return;
      task = this.#busy.get(thread);
      this.#forget(thread);
    }
    if (this.#stopped) return;
    if (task !== undefined) {
      // it never ran: the worker's functions are exposed only after its module and initializer
      task.state = 'queued';
      this.#waiting++;
      if (this.#queueHead > 0) this.#queue[--this.#queueHead] = task;
      else this.#queue.unshift(task);
    }
    // A replacement that fails once (say, a start timeout on a busy machine) is tried again;
    // a module that never loaded, or fails three restarts in a row, is broken.
    if (this.#everStarted && ++this.#failedRestarts < MAX_FAILED_RESTARTS) {
      void this.#spawn();
      return;
    }
    this.#broken ??= new WorkerStartError(`Pool: worker module ${this.#module} could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    this.#rejectQueued(this.#broken);
  }

  #onDeath(thread: WorkerThread, error: Error): void {
    if (!this.#threads.has(thread)) return;
    const task = this.#busy.get(thread);
    this.#forget(thread);
    if (task) {
      this.#ran(task, false);
      task.reject(error);
    }
    this.#replace();
  }

  /**
   * Run by a blocking wait of this thread (sync/wait.ts) while tasks wait in the queue: the
   * workers that finished give their replies now, without the event loop, and take the next
   * tasks. So a main thread blocked on what queued tasks produce (`q.get()` after more tasks than
   * workers) does not deadlock. Returns whether tasks still wait.
   */
  readonly #pump = (): boolean => {
    for (const [thread, task] of this.#busy) {
      if (this.#waiting === 0) break;
      // one due for retirement (maxTasksPerChild) is replaced once the event loop runs
      if (task.state !== 'running' || this.#dueForRetirement(thread)) continue;
      if (!thread.drain()) continue;
      // the task settles when the event loop runs (#finish); its thread takes the next one now
      this.#handedOver.add(task);
      this.#busy.delete(thread);
      this.#countRun(thread);
      this.#idle.push(thread);
    }
    this.#dispatch();
    return this.#waiting > 0;
  };

  /** #pump runs in this thread's blocking waits while tasks wait in the queue, and only then. */
  #pumpWhileQueued(): void {
    if (this.#waiting > 0 && !this.#stopped) {
      this.#unpump ??= pumpWhileBlocked(this.#pump);
    } else if (this.#unpump !== undefined) {
      this.#unpump();
      this.#unpump = undefined;
    }
  }

  /** `now`: the clock read when the tasks being submitted were queued, if it is this turn's. */
  #dispatch(now?: number): void {
    this.#dispatchQueued(now);
    this.#pumpWhileQueued();
  }

  #dispatchQueued(now: number | undefined): void {
    while (this.#idle.length > 0 && this.#queueHead < this.#queue.length) {
      const task = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = undefined as never;
      if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
        this.#queue.splice(0, this.#queueHead);
        this.#queueHead = 0;
      }
      if (task.state !== 'queued') continue;
      this.#waiting--;
      const thread = this.#idle.pop()!;
      // a thread still starting checks the name itself (see exposeFunctions)
      if (thread.functions !== undefined && !thread.functions.has(task.fn)) {
        this.#idle.push(thread);
        task.reject(noSuchFunction('Pool', 'fn', this.#module, task.fn, thread.functions));
        continue;
      }
      this.#run(thread, task, now);
    }
    // idle workers that exited (idleTimeout) come back when there is work for them
    while (this.#waiting > this.#idle.length && this.#threads.size < this.size && !this.#stopped && !this.#broken) {
      void this.#spawn();
    }
  }

  #run(thread: WorkerThread, task: Task, now: number | undefined): void {
    this.#disarmIdleTimer(thread);
    this.#busy.set(thread, task);
    task.state = 'running';
    task.thread = thread;
    // A task that goes to a worker in the turn it was queued waited no time: one clock read does
    // for both (performance.now() is a native call, ~0.5k instructions; pool.apply is ~32k).
    task.startedAt = task.queuedAt === now ? now : performance.now();
    this.#waitTime.record(task.startedAt - task.queuedAt);
    thread.ref();
    const listener = task.call.onProgress;
    // a report still in flight when the task was cancelled is not passed on
    const onProgress = listener && ((done: number, total: number): void => {
      if (task.state === 'running') notify(() => listener(done, total));
    });
    thread.call(task.fn, task.args, task.chunk, onProgress, (ok, value) => this.#finish(thread, task, ok, value));
    this.#awaitReply();
  }

  /**
   * The caller's side of the spin wait: while calls it made run, this thread's event loop keeps
   * turning (setImmediate) instead of sleeping in its poll phase, for at most `spinWait` after the
   * last call, so a reply finds it awake (a worker's reply that carries any object arrives after
   * the loop has gone to sleep, and that wake-up was most of the round trip). The loop serves I/O
   * and timers meanwhile as ever; it only does not block. It backs off while replies take longer
   * (sync/spin.ts), and turns only while the busy workers leave this thread a CPU.
   */
  #awaitReply(): void {
    const spinner = this.#replySpinner;
    if (spinner === undefined) return;
    this.#replyDeadline = clock() + spinner.limit;
    if (this.#replyTurns || this.#busy.size >= this.#cpus || spinner.budget() === 0) return;
    this.#replyTurns = true;
    turn(this.#turnForReply);
  }

  readonly #turnForReply = (): void => {
    const busy = this.#busy.size;
    if (busy > 0 && busy < this.#cpus && clock() < this.#replyDeadline) {
      turn(this.#turnForReply);
      return;
    }
    this.#replyTurns = false;
    if (busy === 0) this.#replySpinner!.spun(true);
    else if (busy < this.#cpus) this.#replySpinner!.spun(false);
  };

  #settle(task: Task, ok: boolean, value: unknown): void {
    if (ok) task.resolve(value);
    else task.reject(uncloneable(task, value));
  }

  /** Counts a task that ran, for stats(). */
  #ran(task: Task, ok: boolean): void {
    this.#runTime.record(performance.now() - task.startedAt);
    if (ok) this.#completed++;
    else this.#failed++;
  }

  /** Whether `thread` retires (maxTasksPerChild) once the task it runs now is done. */
  #dueForRetirement(thread: WorkerThread): boolean {
    return this.#maxTasksPerChild !== Infinity && (this.#tasksRun.get(thread) ?? 0) + 1 >= this.#maxTasksPerChild;
  }

  /** Counts a task `thread` ran; true when that was its last (maxTasksPerChild). Not counted without a limit. */
  #countRun(thread: WorkerThread): boolean {
    if (this.#maxTasksPerChild === Infinity) return false;
    const run = (this.#tasksRun.get(thread) ?? 0) + 1;
    this.#tasksRun.set(thread, run);
    return run >= this.#maxTasksPerChild;
  }

  /** A task's reply: settles it, and gives its thread the next task. */
  #finish(thread: WorkerThread, task: Task, ok: boolean, value: unknown): void {
    // its thread went on to another task in a blocking wait (#pump): only the task settles
    if (this.#handedOver.size > 0 && this.#handedOver.delete(task)) {
      this.#ran(task, ok);
      this.#settle(task, ok, value);
      return;
    }
    // A worker that died or was stopped was already taken out and its task settled.
    if (this.#busy.get(thread) !== task) return;
    this.#busy.delete(thread);
    this.#ran(task, ok);
    this.#settle(task, ok, value);
    if (this.#countRun(thread)) {
      // Python's maxtasksperchild: a fresh worker (and initializer) in its place
      void this.#stop(thread);
      this.#replace();
      this.#dispatch();
      return;
    }
    // a thread still starting stays ref'd until it is up, so ready() cannot be left pending
    if (thread.functions !== undefined) {
      thread.unref();
      this.#armIdleTimer(thread);
    }
    this.#idle.push(thread);
    this.#dispatch();
  }

  #rejectQueued(error: unknown): void {
    while (this.#queueHead < this.#queue.length) {
      const task = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = undefined as never;
      if (task.state === 'queued') task.reject(error);
    }
    this.#queue.length = 0;
    this.#queueHead = 0;
    this.#waiting = 0;
    this.#pumpWhileQueued();
  }

  /**
   * A call's bookkeeping: its tasks, and its signal's listener, which cancels them. An
   * already-aborted signal leaves the call cancelled before it submits anything.
   */
  protected startCall(method: string, options: (CallOptions & ProgressOptions) | undefined, progress: ProgressTarget): Call {
    const signal = options?.signal;
    const call: Call = {
      method,
      tasks: new Set(),
      cancelled: undefined,
      onProgress: progress === 'worker' ? options?.onProgress : undefined,
      dispose: undefined,
    };
    if (signal?.aborted) call.cancelled = this.#abortError(method, signal.reason);
    else if (signal !== undefined) {
      // bound, not an arrow: the bundle names each arrow it makes (see Task)
      const listener = this.#abort.bind(this, call, signal);
      signal.addEventListener('abort', listener, { once: true });
      call.dispose = () => signal.removeEventListener('abort', listener);
    }
    return call;
  }

  #abort(call: Call, signal: AbortSignal): void {
    this.#cancel(call, signal.reason);
  }

  #abortError(method: string, reason: unknown): AbortError {
    return new AbortError(`pool.${method}: the call was aborted`, { cause: reason });
  }

  /**
   * Cancels `call`: queued tasks are removed; running ones are stopped by terminating their
   * workers (replaced at once), and reject once the thread is gone, so a lock it held is
   * already recoverable by whoever reacts to the rejection.
   */
  #cancel(call: Call, reason: unknown): void {
    call.cancelled ??= this.#abortError(call.method, reason);
    const error = call.cancelled;
    for (const task of [...call.tasks]) {
      if (task.state === 'queued') {
        this.#waiting--;
        this.#cancelled++;
        task.reject(error);
      } else if (task.state === 'running' && !this.#handedOver.has(task)) {
        // (a handed-over task has finished; its thread runs another, and its result settles it)
        task.state = 'stopping';
        this.#cancelled++;
        void this.#stop(task.thread!).then(() => task.reject(error));
        this.#replace();
      }
    }
    this.#dispatch();
  }

  /**
   * Why `count` more tasks may not wait in the queue: `maxQueue` counts the tasks that would
   * still wait once the free workers (and those idleTimeout let exit) have taken theirs.
   */
  /**
   * Throws what `count` more tasks would be refused with now (closed, terminated, broken, queue
   * full): a caller about to block its thread would otherwise get the rejection only through the
   * event loop it stops.
   * @internal
   */
  [ADMIT](method: string, count: number): void {
    const refusal = this.refusal(method, method) ?? this.#full(method, count);
    if (refusal) throw refusal;
  }

  #full(method: string, count: number): Full | undefined {
    if (this.#maxQueue === Infinity) return undefined;
    const free = this.#idle.length + Math.max(0, this.size - this.#threads.size);
    const waiting = this.#waiting + count - free;
    if (waiting <= this.#maxQueue) return undefined;
    return new Full(`pool.${method}: the pool's queue is full (maxQueue ${this.#maxQueue}; ${this.#waiting} tasks wait, and this call brings ${count}); wait for some to finish, or raise maxQueue`);
  }

  /**
   * Queues the tasks of `call`, one per argument list (a chunk of lists when `chunk`), all or
   * none; each promise settles with the worker's result or error. `admitted` work (an imap begun
   * before close) may come after close and is not held to maxQueue.
   */
  #submit(call: Call, fn: unknown, argsList: ReadonlyArray<readonly unknown[]>, chunk: boolean, admitted = false): Array<Promise<unknown>> {
    const refusal = this.refusal(call.method, fn, admitted) ?? call.cancelled ?? (admitted ? undefined : this.#full(call.method, argsList.length));
    if (refusal) return argsList.map(() => Promise.reject(refusal));
    const queuedAt = performance.now();
    const promises: Array<Promise<unknown>> = [];
    for (const args of argsList) promises.push(this.#enqueue(call, fn as string, args, chunk, queuedAt));
    this.#dispatch(queuedAt);
    return promises;
  }

  /**
   * One task into the queue. Its promise is the caller's own: the task counts as pending (for
   * join) until it settles, counted here rather than by a `finally` on it, which took three
   * promises and as many microtasks more per task.
   */
  #enqueue(call: Call, fn: string, args: readonly unknown[], chunk: boolean, queuedAt: number): Promise<unknown> {
    this.#pending++;
    return new Promise<unknown>((resolve, reject) => {
      const task = new Task(call, fn, args, chunk, queuedAt, this.#taskSettled, resolve, reject);
      call.tasks.add(task);
      this.#queue.push(task);
      this.#waiting++;
    });
  }

  readonly #taskSettled = (): void => this.#settled();

  /** Why `method` may not queue work now; `admitted` work (an imap begun before close) may after close. */
  protected refusal(method: string, fn: unknown, admitted = false): Error | undefined {
    if (this.#state === 'terminated' || (this.#state === 'closed' && !admitted)) {
      return new PoolStateError(`pool.${method}: the pool is ${this.#state === 'closed' ? 'closed (close() was called)' : 'terminated'}; it takes no new work`);
    }
    if (this.#broken) return this.#broken;
    if (typeof fn !== 'string' || fn === '') {
      return new ArgumentError(`pool.${method}: invalid argument 'fn': expected the name of a function of the worker module, got ${show(fn)}`);
    }
    return undefined;
  }

  /**
   * One task per chunk of `chunksize` argument lists (default: Python's, about four chunks per
   * worker, so no worker idles long at the end); resolves to all results in order.
   */
  protected submitChunked(call: Call, fn: unknown, argLists: unknown[][], chunksize: number | undefined, onProgress?: ProgressListener): Promise<unknown[]> {
    if (argLists.length === 0) {
      call.dispose?.();
      const refusal = this.refusal(call.method, fn) ?? call.cancelled;
      return refusal ? Promise.reject(refusal) : Promise.resolve([]);
    }
    const size = chunksize ?? Math.max(1, Math.ceil(argLists.length / (this.size * 4)));
    const chunks: unknown[][][] = [];
    for (let i = 0; i < argLists.length; i += size) chunks.push(argLists.slice(i, i + size));
    const tasks = this.#submit(call, fn, chunks, true);
    let done = 0;
    tasks.forEach((task, i) => {
      task.then(() => {
        if (onProgress === undefined || call.cancelled) return;
        done += chunks[i]!.length;
        notify(() => onProgress(done, argLists.length));
      }, () => {});
    });
    const all = Promise.all(tasks) as Promise<unknown[][]>;
    const dispose = call.dispose;
    if (dispose !== undefined) all.then(dispose, dispose);
    return all.then((results) => results.flat(1));
  }

  /** A single-task call. */
  protected submitOne(call: Call, fn: unknown, args: readonly unknown[]): Promise<unknown> {
    const task = this.#submit(call, fn, [args], false)[0]!;
    const dispose = call.dispose;
    if (dispose !== undefined) task.then(dispose, dispose);
    return task;
  }

  protected cancelCall(call: Call, reason: unknown): boolean {
    if (call.cancelled !== undefined || call.tasks.size === 0) return false;
    this.#cancel(call, reason);
    return true;
  }

  protected iterationHost(call: Call, fn: string): Pick<IterationHost, 'window' | 'closed' | 'submit' | 'track' | 'iterations'> {
    return {
      window: this.size * 2,
      closed: () => this.#state === 'closed',
      submit: (chunk) => this.#submit(call, fn, [chunk.map((item) => [item])], true, true)[0] as Promise<unknown[]>,
      track: (work) => { void this.#track(work); },
      iterations: this.#iterations,
    };
  }

  /** Counts `work` as pending, so `join()` waits for it. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#pending++;
    return work.finally(() => this.#settled());
  }

  #settled(): void {
    if (--this.#pending === 0) for (const wake of this.#drained.splice(0)) wake();
  }

  /**
   * Splits the first axis of `array` into row blocks and runs `fn(array, rowStart, rowStop,
   * ...args)` on each in the workers, which see the array's own memory. Resolves to the results
   * in row order.
   * With `signal`, aborting cancels every block of the call.
   * @throws {ArgumentError} (rejects) when `fn`, `array` or an option is invalid
   * @throws {ShapeError} (rejects) when `array` is 0-d
   * @throws {AbortError} (rejects) when `signal` aborts before the call finishes, or was already aborted
   * @throws {Full} (rejects) when its blocks would take the queue past `maxQueue`
   * @throws {NotSharedError} (rejects) when `array` is over non-shared memory
   * @throws {PoolStateError} (rejects) when the pool is closed or terminated
   * @throws {WorkerStartError} (rejects) when the worker module could not start
   * @throws {WorkerDiedError} (rejects) when a worker died while it ran a task
   * @throws {Error} (rejects) with the first error `fn` threw, rebuilt as its class
   */
  mapRows<K extends FunctionName<M>>(fn: K, array: ArgsOf<M, K>[0], options: MapRowsOptions<RowArgs<M, K>> = {}): Promise<Array<ResultOf<M, K>>> {
    try {
      if (!((array as unknown) instanceof SharedNDArray)) {
        throw new ArgumentError(`pool.mapRows: invalid argument 'array': expected a SharedNDArray, got ${show(array)}`);
      }
      const matrix = array as SharedNDArray;
      if (matrix.ndim === 0) throw new ShapeError('pool.mapRows: invalid argument \'array\': expected at least one axis to split, got a 0-d array');
      const rows = matrix.shape[0]!;
      checkOptionKeys('pool.mapRows', 'options', options, ['rowsPerTask', 'args', 'signal', 'onProgress']);
      checkCallOptions('mapRows', options);
      const rowsPerTask = options.rowsPerTask === undefined
        ? Math.max(1, Math.ceil(rows / this.size))
        : positiveInteger('pool.mapRows', 'options.rowsPerTask', options.rowsPerTask);
      const extra = options.args ?? [];
      if (!Array.isArray(extra)) throw new ArgumentError(`pool.mapRows: invalid argument 'options.args': expected an array, got ${show(extra)}`);
      const blocks = rows === 0 ? [] : divideRange(0, rows, Math.ceil(rows / rowsPerTask));
      const argLists = blocks.map(([start, stop]) => [array, start, stop, ...extra]);
      return this.submitChunked(this.startCall('mapRows', options, 'items'), fn, argLists, 1, options.onProgress) as Promise<Array<ResultOf<M, K>>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** No more work will be submitted; queued work still runs (Python's `close`). */
  close(): void {
    if (this.#state !== 'running') return;
    this.#state = 'closed';
    for (const drain of this.#iterations) drain();
  }

  /**
   * Waits for all submitted work to finish, then stops the workers (Python's `join`). The pool
   * must be closed or terminated first.
   * @throws {PoolStateError} (rejects) when the pool is still running
   */
  async join(): Promise<void> {
    if (this.#state === 'running') {
      throw new PoolStateError('pool.join: the pool is still running; call close() or terminate() first');
    }
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
    await this.#stopWorkers();
  }

  /**
   * Stops every worker now. Queued and running tasks reject with a PoolStateError. Resolves when
   * the threads have exited (Python's `terminate`).
   */
  async terminate(): Promise<void> {
    if (this.#state !== 'terminated') {
      this.#state = 'terminated';
      const error = new PoolStateError('pool.terminate() was called before this task finished');
      this.#rejectQueued(error);
      for (const task of this.#busy.values()) {
        this.#ran(task, false);
        task.reject(error);
      }
    }
    await this.#stopWorkers();
  }

  #stopWorkers(): Promise<void> {
    this.#exited ??= (async () => {
      this.#stopped = true;
      for (const timer of this.#idleTimers.values()) clearTimeout(timer);
      this.#idleTimers.clear();
      this.#pumpWhileQueued();
      const threads = [...this.#threads];
      this.#threads.clear();
      this.#idle.length = 0;
      this.#busy.clear();
      await Promise.allSettled(threads.map((thread) => thread.terminate()));
    })();
    return this.#exited;
  }
}
