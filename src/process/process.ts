/**
 * `Process`: Python's `multiprocessing.Process` on a worker thread. It runs one function of a
 * `defineWorker` module with `args` (shared objects arrive as the same shared memory) and ends
 * when it returns. `exitCode` follows Python: 0 after a return, 1 after a throw (reported on
 * stderr, as Python prints the child's traceback, and kept in `error`), the code given to
 * `process.exit(n)`, and -15 (-SIGTERM) after `terminate()`.
 */
import { Worker } from 'node:worker_threads';
import { ArgumentError, ProcessStateError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import '../register-kinds.js';
import { reserveIdentity } from '../sync/liveness.js';
import { decode, encode } from '../transport/transport.js';
import { compiledModule, isTypeScriptModule } from '../worker-module/compiled.js';
import { compiledWorkerExecArgv, compileWorkerModule } from '../worker-module/compile-ts.js';
import type { WorkerFunction } from '../worker-module/define.js';
import { PROCESS_ERROR } from '../worker-module/protocol.js';
import { resolveModule } from '../worker-module/resolve.js';
import type { ArgsOf, FunctionName } from '../worker-module/types.js';

/** Python's exit code for a process stopped by `terminate()`: minus SIGTERM. */
export const TERMINATED_EXIT_CODE = -15;

/** `fn` names a function of the module and `args` are its arguments (typed from `Process<typeof import('./w.js')>`). */
export type ProcessOptions<M = Record<string, WorkerFunction>> = {
  [K in FunctionName<M>]: {
    /** The worker module: a file URL or absolute path, as for Pool. */
    module: URL | string;
    fn: K;
    args?: ArgsOf<M, K>;
    /** Default `Process-N`, numbered in creation order as in Python. */
    name?: string;
    /** A daemon does not keep the host process alive (Python's daemon is killed at exit). */
    daemon?: boolean;
  }
}[FunctionName<M>];

let created = 0;

export class Process<M = Record<string, WorkerFunction>> {
  readonly name: string;
  readonly daemon: boolean;
  readonly #module: string;
  readonly #fn: string;
  readonly #args: readonly unknown[];
  #worker: Worker | undefined;
  /** Read at start: a Worker's own threadId turns -1 once it has exited. */
  #threadId: number | undefined;
  #exited: Promise<void> | undefined;
  #exitCode: number | null = null;
  #terminated = false;
  #error: unknown;
  /** join() calls waiting: while there are any, a daemon's worker is ref'd. */
  #joiners = 0;

  /**
   * @throws {ArgumentError} when `options.module` names no existing file, or an option is invalid
   */
  constructor(options: ProcessOptions<M>) {
    checkOptionKeys('Process', 'options', options, ['module', 'fn', 'args', 'name', 'daemon']);
    if (options === undefined) throw new ArgumentError('Process: invalid argument \'options\': expected { module, fn, args? }, got undefined');
    this.#module = resolveModule(options.module, 'Process', 'options.module').href;
    if (typeof options.fn !== 'string' || options.fn === '') {
      throw new ArgumentError(`Process: invalid argument 'options.fn': expected the name of a function of the worker module, got ${show(options.fn)}`);
    }
    this.#fn = options.fn;
    if (options.args !== undefined && !Array.isArray(options.args)) {
      throw new ArgumentError(`Process: invalid argument 'options.args': expected an array of arguments, got ${show(options.args)}`);
    }
    this.#args = options.args ?? [];
    if (options.name !== undefined && typeof options.name !== 'string') {
      throw new ArgumentError(`Process: invalid argument 'options.name': expected a string, got ${show(options.name)}`);
    }
    if (options.daemon !== undefined && typeof options.daemon !== 'boolean') {
      throw new ArgumentError(`Process: invalid argument 'options.daemon': expected a boolean, got ${show(options.daemon)}`);
    }
    this.name = options.name ?? `Process-${++created}`;
    this.daemon = options.daemon ?? false;
  }

  /**
   * Starts the thread. Throws a ProcessStateError if called twice.
   * @throws {ProcessStateError} when it was started before
   * @throws {ArgumentError} when an argument cannot be structured-cloned
   * @throws {NotSharedError} when an argument is an array over non-shared memory
   */
  start(): void {
    if (this.#worker !== undefined) throw new ProcessStateError(`Process.start: ${this.name} was already started (a process can be started once)`);
    const identity = reserveIdentity();
    let worker: Worker;
    try {
      const compiled = isTypeScriptModule(this.#module) ? compileWorkerModule(this.#module) : undefined;
      const execArgv = compiled === undefined ? undefined : compiledWorkerExecArgv();
      worker = new Worker(compiledModule('./process-entry.js', import.meta.url), {
        workerData: { module: this.#module, compiled, fn: this.#fn, args: encode(this.#args), ...identity.workerData },
        ...(execArgv !== undefined && { execArgv }),
      });
    } catch (error) {
      identity.markDead();
      if (error instanceof Error && error.name === 'DataCloneError') {
        throw new ArgumentError(`Process.start: invalid argument 'options.args': ${error.message} (arguments cross by structured clone; shared objects as themselves)`, { cause: error });
      }
      throw error;
    }
    this.#worker = worker;
    this.#threadId = worker.threadId;
    worker.on('message', (message: unknown) => {
      const report = message as { [PROCESS_ERROR]?: unknown } | null;
      if (typeof report === 'object' && report !== null && PROCESS_ERROR in report) {
        this.#error = decode(report[PROCESS_ERROR]);
        const text = this.#error instanceof Error ? this.#error.stack ?? String(this.#error) : show(this.#error);
        process.stderr.write(`Process ${this.name} (thread ${worker.threadId}):\n${text}\n`);
      }
    });
    // An error event is a crash outside the function (say, out of memory); the exit follows.
    worker.on('error', (error) => {
      this.#error ??= error;
    });
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        identity.markDead();
        this.#exitCode = this.#terminated ? TERMINATED_EXIT_CODE : code;
        resolve();
      });
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    if (this.daemon) worker.unref();
  }

  /**
   * Resolves when the thread has ended, or after `timeout` ms (then check `isAlive()` or
   * `exitCode`, as in Python, where `join(timeout)` also returns either way). A negative timeout
   * waits no time, as Python's does.
   * @throws {ArgumentError} (rejects) when `timeout` is not a number (NaN included)
   * @throws {ProcessStateError} (rejects) when it was never started
   */
  async join(timeout?: number | null): Promise<void> {
    if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
      throw new ArgumentError(`Process.join: invalid argument 'timeout': expected a timeout in milliseconds (a number, or undefined to wait forever), got ${show(timeout)}`);
    }
    if (this.#exited === undefined) throw new ProcessStateError(`Process.join: ${this.name} was never started (call start() first)`);
    if (this.#exitCode !== null) return;
    // A daemon's worker is unref'd: while someone awaits its end, the host must stay alive for it.
    if (this.daemon && this.#joiners++ === 0) this.#worker!.ref();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (timeout === undefined || timeout === null) await this.#exited;
      else await Promise.race([this.#exited, new Promise((resolve) => { timer = setTimeout(resolve, Math.min(Math.max(timeout, 0), 2 ** 31 - 1)); })]);
    } finally {
      clearTimeout(timer);
      if (this.daemon && --this.#joiners === 0) this.#worker!.unref();
    }
  }

  /** Whether it was started and has not ended. */
  isAlive(): boolean {
    return this.#worker !== undefined && this.#exitCode === null;
  }

  /** null until it ends; then 0, 1 (it threw), the code it exited with, or -15 after terminate(). */
  get exitCode(): number | null {
    return this.#exitCode;
  }

  /** What the function threw (rebuilt as its own class), or undefined. */
  get error(): unknown {
    return this.#error;
  }

  /** The worker's threadId once started, and after it ended (Python's `pid`). */
  get threadId(): number | undefined {
    return this.#threadId;
  }

  /**
   * Stops the thread wherever it is (Python's SIGTERM); resolves once it has ended. Locks it held
   * go to their next acquirer with an OwnerDiedError. No-op after the end.
   * @throws {ProcessStateError} (rejects) when it was never started
   */
  async terminate(): Promise<void> {
    if (this.#worker === undefined) throw new ProcessStateError(`Process.terminate: ${this.name} was never started (call start() first)`);
    if (this.#exitCode !== null) return;
    this.#terminated = true;
    await this.#worker.terminate();
    await this.#exited;
  }

  toString(): string {
    const state = this.#worker === undefined ? 'initial' : this.#exitCode === null ? 'started' : `stopped exitcode=${this.#exitCode}`;
    return `<Process name='${this.name}' ${state}${this.daemon ? ' daemon' : ''}>`;
  }
}
