/**
 * A pool worker on node:worker_threads, seen from the thread that starts it: its start-up
 * handshake, its calls and replies (one message each way, on a port of its own that a blocked
 * main thread can read), and its death. The worker's side is its bootstrap, worker-entry.ts.
 *
 * The pool was built on the `threads` package (1.7.0) until start-up was measured: loading it cost
 * the first pool ~60 ms of CPU (50 CommonJS modules), more than importing piscina whole, and
 * `threads/worker` ~20 ms in every worker; calls had stopped using it already (two messages and a
 * set of observables per call). What it still did (spawn, handshake, terminate) is a few lines
 * here, and the quirks it brought (process-wide SIGINT/SIGTERM handlers that exit, a serializer
 * hook for the whole process, uncaught errors reported 250 ms late) went with it.
 */
import { MessageChannel, Worker as NativeWorker, receiveMessageOnPort, type ResourceLimits } from 'node:worker_threads';
import { WorkerDiedError, WorkerStartError } from '../errors.js';
import { decode, encode } from '../transport/transport.js';
import {
  CALLS_PORT, CHUNK, LISTEN, OK, PROGRESS, STARTED, pack, type CallMessage, type ReplyMessage, type StartedMessage,
} from '../worker-module/protocol.js';

/** Longest delay setTimeout honours; longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The default start timeout, and the environment variable that sets it (the name `threads` read). */
const DEFAULT_START_TIMEOUT_MS = Number(process.env.THREADS_WORKER_INIT_TIMEOUT) || 10_000;

const isStarted = (message: unknown): message is StartedMessage => Array.isArray(message) && message[0] === STARTED;

export interface StartOptions {
  workerData?: unknown;
  resourceLimits?: ResourceLimits | undefined;
  /** The worker's Node options; default this process's. */
  execArgv?: string[] | undefined;
  /** Milliseconds to wait for the worker's module to load and expose its functions. */
  startTimeout?: number | undefined;
  /** Called once if the worker stops after it started: exit, crash, uncaught error, resource limit. */
  onDeath(error: WorkerDiedError): void;
  /** Called once when the thread is gone, however it ended (a failed start and `terminate` too). */
  onExit?(): void;
}

/**
 * A worker thread, usable from the moment it is made: calls posted before its module has loaded
 * wait in its port and run as soon as it is up. That needs nothing from this thread's event loop,
 * so a task submitted just before the main thread blocks (Python's `apply_async` then `q.get()`)
 * still runs.
 */
export interface WorkerThread {
  readonly threadId: number;
  /** Resolves once the module has loaded and exposed its functions; rejects with a WorkerStartError. */
  readonly started: Promise<void>;
  /** The names of the module's functions, once started. */
  readonly functions: ReadonlySet<string> | undefined;
  /**
   * Sends `fn(...args)`, or with `chunk` `fn` once per argument list of `args`, in order, in one
   * round trip. `onProgress` gets the function's `progress(done, total)` reports, in order,
   * before `onReply` gets the outcome: called straight from the reply's message event (no
   * promise between them); in a microtask when the reply was read in a blocking wait (`drain`)
   * or as the worker exited, and when the call could not be sent.
   */
  call(fn: string, args: unknown, chunk: boolean, onProgress: ProgressListener | undefined, onReply: ReplyListener): void;
  /**
   * Handles the messages that have arrived, now, without the event loop (what a blocked main
   * thread can do; see Pool's pump). True when every call sent has its reply: the worker is idle.
   */
  drain(): boolean;
  /** Idle workers must not keep the host process alive; busy ones must. */
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

export type ProgressListener = (done: number, total: number) => void;

/** A call's outcome: `ok` and the function's result, or not and the error that stopped it. */
export type ReplyListener = (ok: boolean, value: unknown) => void;

function describeExit(code: number, error: unknown): string {
  if (error instanceof Error) {
    const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    return `${error.name}: ${error.message}${outOfMemory ? ' (raise resourceLimits or use less memory per task)' : ''}`;
  }
  return `it exited with code ${code}`;
}

/**
 * Starts a worker running `entry` (a compiled bootstrap module). The thread exists when this
 * returns; `started` settles when its module has loaded, or it stopped or timed out first.
 * Throws (and reports `onExit`) if no thread could be made.
 */
export function startWorker(entry: URL, options: StartOptions): WorkerThread {
  let native: NativeWorker;
  // Calls and replies travel on a port of their own, which this thread can read synchronously.
  const { port1: calls, port2: workerCalls } = new MessageChannel();
  try {
    native = new NativeWorker(entry, {
      workerData: { ...(options.workerData as object), [CALLS_PORT]: workerCalls },
      transferList: [workerCalls],
      resourceLimits: options.resourceLimits,
      ...(options.execArgv !== undefined && { execArgv: options.execArgv }),
    });
  } catch (error) {
    calls.close();
    // no thread was made (workerData structured clone cannot copy): its reserved identity is free
    options.onExit?.();
    throw error;
  }

  const threadId = native.threadId;
  /**
   * The worker's handshake arrived. It comes on the worker's own port, which Node empties before
   * it reports the exit, so a worker that started and then died is never taken for one that did
   * not start (a task queued before the start could have killed it).
   */
  let up = false;
  let dead = false;
  /** The object returned: its `functions` is set by the handshake (a data property, not a getter, read per call). */
  let self!: { functions: ReadonlySet<string> | undefined };
  let lastError: unknown;
  /** Set by an uncaught exception after the start: the reason its death is reported with. */
  let uncaught: string | undefined;
  let resolveStart: () => void = () => {};
  let failStart: (error: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    resolveStart = resolve;
    failStart = reject;
  });
  started.catch(() => {});

  const die = (reason: string, cause: unknown): void => {
    if (dead) return;
    dead = true;
    clearTimeout(timer);
    if (!up) failStart(new WorkerStartError(`worker failed to start: ${reason}`, { cause }));
    else options.onDeath(new WorkerDiedError(`worker (thread ${threadId}) died: ${reason}`, { cause }));
  };

  // Our start timer is checked again after the poll phase (setImmediate): after the main thread
  // was blocked past the deadline, a timer fires before the handshake already waiting is read.
  const limit = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;
  const timer = setTimeout(() => setImmediate(() => {
    if (!up) {
      die(`its module did not load within ${limit} ms (startTimeout)`, undefined);
      void native.terminate();
    }
  }), limit);

  native.on('message', (message: unknown) => {
    if (!isStarted(message) || up || dead) return;
    up = true;
    clearTimeout(timer);
    self.functions = new Set(message[1]);
    resolveStart();
  });
  native.on('error', (error) => {
    lastError = error;
    // Node stops a worker on an uncaught exception (or an unhandled rejection) and reports it
    // here before the exit; running out of memory under resourceLimits is reported here too.
    const code = (error as { code?: unknown } | null)?.code;
    if (up && code !== 'ERR_WORKER_OUT_OF_MEMORY' && error instanceof Error) uncaught ??= `uncaught exception: ${error.name}: ${error.message}`;
  });
  /** Calls sent and not answered yet, by id. */
  const pending = new Map<number, ReplyListener>();
  const progressListeners = new Map<number, ProgressListener>();
  let nextCall = 0;
  /**
   * A message on the calls port: a progress report or a reply, in the order the worker sent them.
   * Read in a blocking wait (`drain`), progress reaches its listener once this thread is free
   * again, as a microtask queued before the reply's, so still in order. `deferReply`: the reply
   * too, read in a blocking wait or as the worker exited (the pool settles that thread first).
   */
  const onCallsMessage = (message: unknown, blocked: boolean, deferReply: boolean): void => {
    if (!Array.isArray(message)) return;
    // indexed, not destructured: an array pattern runs the iterator protocol
    const id = message[0] as number;
    const outcome = message[1] as ReplyMessage[1];
    if (outcome === PROGRESS) {
      const listener = progressListeners.get(id);
      if (listener === undefined) return;
      const done = message[2] as number;
      const total = message[3] as number;
      if (blocked) queueMicrotask(() => listener(done, total));
      else listener(done, total);
      return;
    }
    const onReply = pending.get(id);
    if (onReply === undefined) return;
    pending.delete(id);
    if (progressListeners.size > 0) progressListeners.delete(id);
    let ok = outcome === OK;
    let value: unknown;
    try {
      value = decode(message[2]);
    } catch (error) {
      ok = false;
      value = error;
    }
    if (deferReply) queueMicrotask(() => onReply(ok, value));
    else onReply(ok, value);
  };
  const drain = (blocked: boolean): void => {
    for (let m = receiveMessageOnPort(calls); m !== undefined; m = receiveMessageOnPort(calls)) onCallsMessage(m.message, blocked, true);
  };
  calls.on('message', (message: unknown) => onCallsMessage(message, false, false));
  native.on('exit', (code) => {
    // replies posted just before the exit still reach their calls
    drain(false);
    calls.close();
    options.onExit?.();
    die(uncaught ?? describeExit(code, lastError), lastError);
  });

  const thread: WorkerThread & { functions: ReadonlySet<string> | undefined } = {
    threadId,
    started,
    functions: undefined,
    call: (fn, args, chunk, onProgress, onReply) => {
      const id = nextCall++;
      try {
        const message: CallMessage = [id, fn, (chunk ? CHUNK : 0) | (onProgress === undefined ? 0 : LISTEN)];
        const encoded = chunk ? encode(args) as unknown[] : pack(args as readonly unknown[]);
        for (let i = 0; i < encoded.length; i++) message.push(encoded[i]);
        calls.postMessage(message);
      } catch (error) {
        queueMicrotask(() => onReply(false, error));
        return;
      }
      if (onProgress !== undefined) progressListeners.set(id, onProgress);
      pending.set(id, onReply);
    },
    drain: () => {
      drain(true);
      return pending.size === 0;
    },
    ref: () => {
      native.ref();
      calls.ref();
    },
    unref: () => {
      native.unref();
      calls.unref();
    },
    terminate: async () => {
      if (!up) die('it was terminated before its module loaded', undefined);
      dead = true;
      await native.terminate();
    },
  };
  self = thread;
  return thread;
}
