/**
 * What a worker function can reach of the task it runs in: `progress(done, total)`, which reaches
 * the `onProgress` of the pool call that submitted the task. The task is found through
 * AsyncLocalStorage, so it follows the function through its awaits and timers, and a report made
 * outside any pool task (the function called inline on the main thread) is simply dropped.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

/** The task a worker function runs in, as the pool's worker side gives it. */
export interface TaskContext {
  progress(done: number, total: number): void;
}

/**
 * One store per thread, under a registered symbol: the worker module may load its own copy of
 * this package (a nested install), and its `progress` must still find the task the bootstrap set.
 */
const STORE = Symbol.for('shared-ndarray.task-context');

function store(): AsyncLocalStorage<TaskContext> {
  const host = globalThis as { [STORE]?: AsyncLocalStorage<TaskContext> };
  host[STORE] ??= new AsyncLocalStorage<TaskContext>();
  return host[STORE];
}

/** Runs `body` as the task `context` describes. */
export function runInTask<T>(context: TaskContext, body: () => T): T {
  return store().run(context, body);
}

/** Runs `body` outside any task: what a call's continuation does after the call has settled. */
export function outsideTask<T>(body: () => T): T {
  return store().exit(body);
}

/**
 * Reports the progress of the running task to the `onProgress(done, total)` of the pool call that
 * submitted it, on the main thread, in the order reported. Each report is one message to the
 * main thread: report every so often (each percent, each row block), not for every element.
 * Outside a pool task it does nothing, so the function still runs inline.
 *
 * ```ts
 * export default defineWorker({
 *   fillRows(m: SharedNDArray, start: number, stop: number) {
 *     for (let r = start; r < stop; r++) { m.row(r).fill(r); progress(r + 1 - start, stop - start); }
 *   },
 * });
 * ```
 * @throws {ArgumentError} when `done` or `total` is not a finite number >= 0
 */
export function progress(done: number, total: number): void {
  for (const [name, value] of [['done', done], ['total', total]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ArgumentError(`progress: invalid argument '${name}': expected a finite number >= 0, got ${show(value)}`);
    }
  }
  store().getStore()?.progress(done, total);
}
