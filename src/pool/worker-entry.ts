/**
 * The bootstrap every pool worker runs (compiled; never loaded from source): it imports the user's
 * worker module, runs the pool's initializer and exposes its functions. The thread's liveness
 * identity, in workerData too, is adopted if it loads sync/liveness.ts (see there).
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import '../deferred-kinds.js';
import { decode, encode } from '../transport/transport.js';
import type { WorkerFunction } from '../worker-module/define.js';
import { runBuiltin } from '../worker-module/builtin.js';
import { loadDefinition } from '../worker-module/load.js';
import { outsideTask, runInTask, type TaskContext } from '../worker-module/progress.js';
import {
  BUILTIN_ONLY, CALLS_PORT, CHUNK, FAILED, LISTEN, OK, PROGRESS, RUN_BUILTIN, SPIN_WAIT, STARTED, reply, unpack, type Reply, type ReplyMessage, type SpinWaitData, type StartedMessage,
} from '../worker-module/protocol.js';
import { noSuchFunction } from '../worker-module/resolve.js';
import { SpinWait } from './spin-wait.js';

const { module: moduleUrl, compiled, initializer, initargs } = workerData as {
  module: string; compiled?: string; initializer?: string; initargs: unknown;
};
// a pool of built-in modules only (the default pool) has no module of its own to load
const definition: Readonly<Record<string, WorkerFunction>> = moduleUrl === BUILTIN_ONLY ? {} : await loadDefinition(moduleUrl, compiled);
if (initializer !== undefined) {
  const init = definition[initializer];
  if (typeof init !== 'function') throw noSuchFunction('Pool', 'options.initializer', moduleUrl, initializer, Object.keys(definition));
  await init.call(definition, ...(decode(initargs) as unknown[]));
}
exposeFunctions({ ...definition, [RUN_BUILTIN]: runBuiltin }, moduleUrl);

/**
 * The task context of a call whose caller listens to its progress: a class, since the bundle
 * gives each arrow made in an object literal its name by an Object.defineProperty, per call.
 */
class CallProgress implements TaskContext {
  readonly #port: MessagePort;
  readonly #id: number;

  constructor(port: MessagePort, id: number) {
    this.#port = port;
    this.#id = id;
  }

  progress(done: number, total: number): void {
    this.#port.postMessage([this.#id, PROGRESS, done, total] satisfies ReplyMessage);
  }
}

/**
 * Worker side: exposes `functions` to the pool that started this thread. Each is called as a
 * method of `functions`, whichever pool method sent it.
 */
function exposeFunctions(functions: Readonly<Record<string, (...args: never[]) => unknown>>, moduleUrl: string): void {
  // A Map: a function's name arrives as a new string with every call, and an object's keyed
  // lookup searches the string table for it first (twice: the check, then the call).
  const table = new Map(Object.entries(functions) as Array<[string, (...a: unknown[]) => unknown]>);
  const call = (fn: string, args: unknown): unknown => {
    const f = table.get(fn);
    // a call can be posted before the pool knows the module's functions: it is checked here
    if (f === undefined) throw noSuchFunction('Pool', 'fn', moduleUrl, fn, Object.keys(functions));
    return f.apply(functions, args as unknown[]);
  };
  const runChunk = (fn: string, packed: unknown): Promise<Reply> => reply(async () => {
    const results: unknown[] = [];
    for (const args of decode(packed) as unknown[][]) results.push(await call(fn, args));
    return results;
  });
  const port = (workerData as Record<string, MessagePort>)[CALLS_PORT]!;
  const spin = new SpinWait((workerData as Record<string, SpinWaitData>)[SPIN_WAIT]!);
  const post = (id: number, outcome: typeof OK | typeof FAILED, value: unknown): void => {
    try {
      port.postMessage([id, outcome, value] satisfies ReplyMessage);
    } catch (error) {
      // a result structured clone cannot copy (a function, a symbol): the caller gets why
      port.postMessage([id, FAILED, encode(error)] satisfies ReplyMessage);
    }
  };
  /** The reply of a call answered later; `listening`: it ran in a task context, which the calls polled after it must not inherit. */
  const settle = (id: number, result: Reply, listening: boolean): void => {
    post(id, result.ok ? OK : FAILED, result.ok ? result.value : result.error);
    spin.replied();
    if (listening) outsideTask(pollForCalls);
    else pollForCalls();
  };
  /**
   * One call. A function that returns a value (not a promise) is answered at once, in the same
   * turn: no promise, no microtask between the call and its reply. True if it was answered so.
   */
  const run = (id: number, fn: string, args: unknown, flags: number): boolean => {
    const listening = (flags & LISTEN) !== 0;
    if ((flags & CHUNK) !== 0) {
      void runChunk(fn, args).then((result) => settle(id, result, listening));
      return false;
    }
    let value: unknown;
    try {
      value = call(fn, unpack(args));
      if (typeof (value as PromiseLike<unknown> | null)?.then !== 'function') {
        post(id, OK, encode(value));
        return true;
      }
    } catch (error) {
      post(id, FAILED, encode(error));
      return true;
    }
    void reply(() => value).then((result) => settle(id, result, listening));
    return false;
  };
  /** Runs a call message; true if its reply is posted already. */
  const receive = (message: unknown): boolean => {
    if (!Array.isArray(message)) return true;
    const id = message[0] as number;
    const fn = message[1] as string;
    const flags = message[2] as number;
    const args = message.slice(3);
    // Only a call whose caller listens runs in a task context: AsyncLocalStorage turns on the
    // thread's promise hooks, a cost every other call is spared. A report made after the reply
    // (from a timer the function left behind) arrives after it, when the caller has stopped
    // listening: it is dropped.
    if ((flags & LISTEN) === 0) return run(id, fn, args, flags);
    return runInTask(new CallProgress(port, id), () => run(id, fn, args, flags));
  };
  /**
   * After a reply, reads the next calls off the port for as long as the spin wait allows. On a
   * VM a sleeping thread's wake-up costs more than the round trip itself (two per call: 50-70 µs
   * against 11-20 when neither side sleeps; bench/investigate/pool-overhead.md), so a caller that
   * answers a result with its next call finds this worker awake. It stops at a call answered
   * later (a promise, a chunk), whose microtasks need the event loop, and gives the event loop a
   * turn every millisecond (the module's own promises and timers, other ports).
   */
  const pollForCalls = (): void => {
    if (deferred.length > 0) {
      spin.sleeps();
      return;
    }
    const turnEnds = performance.now() + 1;
    let deadline = spin.deadline();
    let looks = 0;
    while (deadline > 0) {
      const next = receiveMessageOnPort(port);
      if (next === undefined) {
        if (performance.now() >= deadline) {
          spin.polled(false);
          return;
        }
        // every ~10 µs: another worker of the pool may have taken the CPU this one polls on
        if ((++looks & 63) === 0 && !spin.mayPoll()) {
          spin.sleeps();
          return;
        }
        continue;
      }
      spin.polled(true);
      if (!receive(next.message)) return;
      spin.replied();
      if (performance.now() > turnEnds) {
        spin.sleeps();
        loopTurned = false;
        setImmediate(endTurn);
        return;
      }
      deadline = spin.deadline();
    }
  };
  /**
   * Calls that came while the event loop had its turn, answered once it reaches its check phase
   * (setImmediate), after its I/O and before its timers. Returning to the loop is not enough: the
   * port's dispatch runs a call already waiting in the same loop phase, and then the next, so a
   * caller as quick as the return kept the module's timers from running for 50 ms and more
   * (measured with test/pool/spin-wait.thread.test.ts's turn test before the back-off, which
   * since makes those streams rarer). None poll while an earlier one waits here.
   */
  const deferred: unknown[] = [];
  let loopTurned = true;
  const endTurn = (): void => {
    loopTurned = true;
    for (let message = deferred.shift(); message !== undefined; message = deferred.shift()) onCall(message);
  };
  const onCall = (message: unknown): void => {
    spin.woken();
    if (receive(message)) {
      spin.replied();
      pollForCalls();
    }
  };
  port.on('message', (message: unknown) => {
    if (loopTurned) onCall(message);
    else deferred.push(message);
  });
  parentPort!.postMessage([STARTED, Object.keys(functions)] satisfies StartedMessage);
}
