/**
 * The only module that touches the `threads` package (1.7.0, unmaintained). Everything `threads`
 * does for us goes through here, so its quirks are handled once:
 *
 * - Importing `threads` installs process-wide SIGINT/SIGTERM handlers that terminate every worker
 *   and call `process.exit()`, which would stop any application that embeds a pool. We load it
 *   on first use, synchronously, and remove exactly the listeners that the load added.
 * - Its `Worker` class rewrites relative paths from the caller's stack, evals a `ts-node` shim for
 *   `.ts` files and keeps every worker it ever made in a module-level array. We hand `spawn()` a
 *   plain `worker_threads.Worker` behind the small event-listener shim it expects instead.
 * - It never reports a worker that exits, and its worker side turns uncaught exceptions into a
 *   delayed message that no pending call listens for. Both would leave a task pending forever, so
 *   we watch the native worker and report its death to the pool.
 * - Its serializer hook is process-wide (an application using `threads` itself would get ours)
 *   and a throw inside it escapes as an uncaught exception. So arguments and results are encoded
 *   here, around each call, with the transport registry (shared objects anywhere inside cross as
 *   descriptors, not copies), and worker functions never throw into `threads`: they reply
 *   `{ ok, value | error }`, which keeps error classes and fields that its error serializer drops.
 * - Its call path costs two messages and a set of observables per call, so after the handshake
 *   calls travel on the worker's port without it (see worker-module/protocol.ts); `threads` spawns, handshakes
 *   and terminates.
 */
import { createRequire } from 'node:module';
import {
  MessageChannel, type MessagePort, Worker as NativeWorker, receiveMessageOnPort, workerData, type ResourceLimits, type TransferListItem,
} from 'node:worker_threads';
import { WorkerDiedError, WorkerStartError } from '../errors.js';
import { show } from '../check.js';
import { decode, encode } from '../transport/transport.js';
import { noSuchFunction } from '../worker-module/resolve.js';
import { CHUNK, CHUNK_METHOD, FAILED, LISTEN, OK, PROGRESS, reply, type CallMessage, type Reply, type ReplyMessage } from '../worker-module/protocol.js';
import { runInTask } from '../worker-module/progress.js';

/** The part of `threads`' main-thread API we use (it ships no types for its ESM entry). */
interface ThreadsMain {
  spawn(worker: WorkerShim, options?: { timeout?: number }): Promise<Record<string, (...args: unknown[]) => PromiseLike<unknown>>>;
  Thread: { terminate(thread: object): Promise<void> };
}

/** The part of `threads/worker` we use. */
interface ThreadsWorker {
  expose(api: Record<string, (...args: never[]) => unknown>): void;
}

/** The shape of worker object `threads`' `spawn()` talks to. */
interface WorkerShim {
  addEventListener(event: string, listener: (event: { data: unknown }) => void): void;
  removeEventListener(event: string, listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown, transferList?: readonly TransferListItem[]): void;
  terminate(): Promise<number>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The key of workerData that carries the worker's end of the calls port. */
const CALLS_PORT = '__sharedNdarrayCalls';

/** Longest delay setTimeout honours; longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** threads' default, and its environment variable. */
const DEFAULT_START_TIMEOUT_MS = Number(process.env.THREADS_WORKER_INIT_TIMEOUT) || 10_000;
const require = createRequire(import.meta.url);

/**
 * Loads `module` (CommonJS) and removes the signal listeners its evaluation added. The load is
 * synchronous so no listener the application adds meanwhile can be mistaken for one of them.
 */
function requireWithoutSignalHandlers(module: string): unknown {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  try {
    return require(module);
  } finally {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) process.off(signal, listener);
      }
    }
  }
}

let threadsMain: ThreadsMain | undefined;

function loadThreads(): ThreadsMain {
  if (threadsMain === undefined) {
    threadsMain = requireWithoutSignalHandlers('threads') as ThreadsMain;
  }
  return threadsMain;
}

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
  /** `onProgress` gets the function's `progress(done, total)` reports, in order, before the call settles. */
  call(fn: string, args: readonly unknown[], onProgress?: ProgressListener): Promise<unknown>;
  /** Runs `fn` once per argument list, in order, in one round trip. */
  callChunk(fn: string, argLists: readonly (readonly unknown[])[], onProgress?: ProgressListener): Promise<unknown[]>;
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
  const listeners = new Map<(event: { data: unknown }) => void, (data: unknown) => void>();
  const shim: WorkerShim = {
    addEventListener(event, listener) {
      const wrapped = (data: unknown): void => listener({ data });
      listeners.set(listener, wrapped);
      native.on(event, wrapped);
    },
    removeEventListener(event, listener) {
      const wrapped = listeners.get(listener);
      if (wrapped !== undefined) native.off(event, wrapped);
      listeners.delete(listener);
    },
    postMessage: (message, transferList) => native.postMessage(message, transferList),
    terminate: () => native.terminate(),
  };

  const threadId = native.threadId;
  let started = false;
  /**
   * The worker's handshake arrived. A call posted before the start may run and kill the worker
   * before \`started\` is set (that waits on promises); its death is then a task's, not a failed start.
   */
  let up = false;
  let dead = false;
  let lastError: unknown;
  let failStart: (error: Error) => void = () => {};
  const startFailed = new Promise<never>((_, reject) => { failStart = reject; });
  startFailed.catch(() => {});

  const die = (reason: string, cause: unknown): void => {
    if (dead) return;
    dead = true;
    if (!started && !up) {
      failStart(new WorkerStartError(`worker failed to start: ${reason}`, { cause }));
      // threads' spawn() leaves its init timer running when the init never comes; a synthetic
      // init message settles it so a failed start does not hold the process open.
      for (const wrapped of listeners.values()) wrapped({ type: 'init', exposed: { type: 'module', methods: [] } });
    } else {
      options.onDeath(new WorkerDiedError(`worker (thread ${threadId}) died: ${reason}`, { cause }));
    }
  };
  /** Set by an uncaught exception: the reason its death is reported with, once the thread is gone. */
  let uncaught: string | undefined;
  native.on('error', (error) => { lastError = error; });
  native.on('exit', (code) => {
    calls.close();
    options.onExit?.();
    die(uncaught ?? describeExit(code, lastError), lastError);
  });
  const pending = new Map<number, (reply: ReplyMessage) => void>();
  const progressListeners = new Map<number, ProgressListener>();
  let nextCall = 0;
  /**
   * A message on the calls port: a progress report or a reply, in the order the worker sent them.
   * Read in a blocking wait (`drain`), progress reaches its listener once this thread is free
   * again, as a microtask queued before the reply's continuations, so still in order.
   */
  const onCallsMessage = (message: unknown, blocked = false): void => {
    if (!Array.isArray(message)) return;
    const [id, outcome] = message as ReplyMessage;
    if (outcome === PROGRESS) {
      const listener = progressListeners.get(id);
      if (listener === undefined) return;
      const [, , done, total] = message as [number, number, number, number];
      if (blocked) queueMicrotask(() => listener(done, total));
      else listener(done, total);
      return;
    }
    const settle = pending.get(id);
    pending.delete(id);
    progressListeners.delete(id);
    settle?.(message as ReplyMessage);
  };
  calls.on('message', (message: unknown) => onCallsMessage(message));
  native.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === 'init') up = true;
    // threads' worker side reports an uncaught exception as a message; the worker's state is
    // unknown after one, so it is treated as dead and stopped.
    if ((message as { type?: unknown } | null)?.type === 'uncaughtError') {
      // threads' own error serialization: { name, message, stack }
      const raw = (message as { error?: { name?: string; message?: string; stack?: string } }).error ?? {};
      const error = Object.assign(new Error(raw.message), { name: raw.name ?? 'Error', stack: raw.stack });
      lastError = error;
      uncaught ??= `uncaught exception: ${error.name}: ${error.message}`;
      // The death is reported on 'exit', not now: until the thread is gone (and onExit has marked
      // it dead) a lock it holds is not recoverable, and a caller that reacts to the rejection by
      // blocking on such a lock would wait forever for an 'exit' event it stops from running.
      void native.terminate();
    }
  });

  // Our own start timer, not threads': after the main thread was blocked past the deadline, a
  // timer fires before the init message already waiting in the queue is read. Checking again
  // after the poll phase (setImmediate) lets a worker that did start in time count as started.
  const limit = options.startTimeout ?? DEFAULT_START_TIMEOUT_MS;
  const timer = setTimeout(() => setImmediate(() => {
    if (!started) {
      die(`its module did not load within ${limit} ms (startTimeout)`, undefined);
      void native.terminate();
    }
  }), limit);

  let proxy: Awaited<ReturnType<ThreadsMain['spawn']>> | undefined;
  let functions: Set<string> | undefined;
  const starting = (async () => {
    // Loading \`threads\` costs the first pool ~60 ms of CPU (50 CommonJS modules): it waits for
    // a microtask, so a pool's threads are all made first and boot meanwhile. Their handshakes
    // cannot be missed: worker events come from the event loop, after microtasks.
    await undefined;
    try {
      // stopped already (terminate() right after the start): spawn() would leave its init timer running
      if (dead) await startFailed;
      const spawning = loadThreads().spawn(shim, { timeout: MAX_TIMER_MS });
      spawning.catch(() => {});
      proxy = await Promise.race([spawning, startFailed]);
    } catch (error) {
      void native.terminate();
      if (error instanceof WorkerStartError) throw error;
      throw new WorkerStartError(`worker failed to start: ${error instanceof Error ? error.message : show(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    started = true;
    functions = new Set(Object.keys(proxy).filter((name) => name !== CHUNK_METHOD));
  })();
  starting.catch(() => {});
  const unwrap = ([, outcome, value]: ReplyMessage): unknown => {
    if (outcome !== OK) throw decode(value);
    return decode(value);
  };
  const send = async (fn: string, args: readonly unknown[], chunk: boolean, onProgress: ProgressListener | undefined): Promise<unknown> => {
    const id = nextCall++;
    const message: CallMessage = [id, fn, chunk ? encode(args) : pack(args), (chunk ? CHUNK : 0) | (onProgress === undefined ? 0 : LISTEN)];
    const reply = new Promise<ReplyMessage>((resolve) => pending.set(id, resolve));
    if (onProgress !== undefined) progressListeners.set(id, onProgress);
    try {
      calls.postMessage(message);
    } catch (error) {
      pending.delete(id);
      progressListeners.delete(id);
      throw error;
    }
    return unwrap(await reply);
  };
  return {
    threadId,
    started: starting,
    get functions() { return functions; },
    call: (fn, args, onProgress) => send(fn, args, false, onProgress),
    callChunk: (fn, argLists, onProgress) => send(fn, argLists, true, onProgress) as Promise<unknown[]>,
    drain: () => {
      for (let m = receiveMessageOnPort(calls); m !== undefined; m = receiveMessageOnPort(calls)) onCallsMessage(m.message, true);
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
      if (proxy === undefined) {
        die('it was terminated before its module loaded', undefined);
        await native.terminate();
        await starting.catch(() => {});
      } else {
        dead = true;
        await loadThreads().Thread.terminate(proxy);
      }
    },
  };
}

const isPrimitive = (value: unknown): boolean => (typeof value !== 'object' || value === null) && typeof value !== 'function';

/**
 * Arguments with no object among them hold no shared object: structured clone copies them as
 * they are, so the transport's walk (a Map and a copy per call) is skipped both ways.
 */
function pack(args: readonly unknown[]): unknown {
  return args.every(isPrimitive) ? args : encode(args);
}

function unpack(packed: unknown): unknown {
  return Array.isArray(packed) && packed.every(isPrimitive) ? packed : decode(packed);
}

/**
 * Worker side: exposes `functions` (and the chunk runner) to the pool that started this thread.
 * Each is called as a method of `functions`, whichever pool method sent it.
 */
export function exposeFunctions(functions: Readonly<Record<string, (...args: never[]) => unknown>>, moduleUrl: string): void {
  const worker = requireWithoutSignalHandlers('threads/worker') as ThreadsWorker;
  const call = (fn: string, args: unknown): unknown => {
    // a call can be posted before the pool knows the module's functions: it is checked here
    if (!Object.hasOwn(functions, fn)) throw noSuchFunction('Pool', 'fn', moduleUrl, fn, Object.keys(functions));
    return (functions[fn] as (...a: unknown[]) => unknown).call(functions, ...(args as unknown[]));
  };
  const runOne = (fn: string, packed: unknown): Promise<Reply> => reply(() => call(fn, unpack(packed)));
  const runChunk = (fn: string, packed: unknown): Promise<Reply> => reply(async () => {
    const results: unknown[] = [];
    for (const args of decode(packed) as unknown[][]) results.push(await call(fn, args));
    return results;
  });
  // threads' own call path stays exposed (its handshake lists these names); calls come by port.
  const api: Record<string, (...packed: never[]) => Promise<Reply>> = {};
  for (const name of Object.keys(functions)) api[name] = (packed: unknown) => runOne(name, packed);
  api[CHUNK_METHOD] = (fn: string, packed: unknown) => runChunk(fn, packed);
  worker.expose(api);
  const port = (workerData as Record<string, MessagePort>)[CALLS_PORT]!;
  port.on('message', (message: unknown) => {
    if (!Array.isArray(message)) return;
    const [id, fn, args, flags] = message as CallMessage;
    const run = (): Promise<Reply> => ((flags & CHUNK) !== 0 ? runChunk(fn, args) : runOne(fn, args));
    // Only a call whose caller listens runs in a task context: AsyncLocalStorage turns on the
    // thread's promise hooks, a cost every other call is spared. A report made after the reply
    // (from a timer the function left behind) arrives after it, when the caller has stopped
    // listening: it is dropped.
    const task = (flags & LISTEN) !== 0 && {
      progress: (done: number, total: number): void => port.postMessage([id, PROGRESS, done, total] satisfies ReplyMessage),
    };
    void (task ? runInTask(task, run) : run()).then((result) => {
      try {
        port.postMessage((result.ok ? [id, OK, result.value] : [id, FAILED, result.error]) satisfies ReplyMessage);
      } catch (error) {
        // a result structured clone cannot copy (a function, a symbol): the caller gets why
        port.postMessage([id, FAILED, encode(error)] satisfies ReplyMessage);
      }
    });
  });
}
