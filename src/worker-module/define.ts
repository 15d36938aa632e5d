/**
 * Worker-side entry (`shared-ndarray/worker`). A worker module is an ordinary module whose default
 * export is `defineWorker({ ... })`; the pool's bootstrap imports it in each worker thread and
 * exposes those functions. Importing it anywhere else has no side effects, so the same module can
 * be imported on the main thread for its types or to call the functions inline.
 *
 * ```ts
 * // fill.worker.ts
 * import { defineWorker } from 'shared-ndarray/worker';
 * import type { SharedNDArray } from 'shared-ndarray';
 * export default defineWorker({
 *   fillRows(a: SharedNDArray<'float64'>, start: number, stop: number) { ... },
 * });
 * ```
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

/** Marks a definition; `Symbol.for` so two copies of the package still recognise each other's. */
export const WORKER_DEFINITION: unique symbol = Symbol.for('shared-ndarray.worker-definition') as never;

// biome-ignore lint/suspicious/noExplicitAny: parameters are the user's to type (unknown[] would refuse typed ones)
export type WorkerFunction = (...args: any[]) => unknown;

export type WorkerDefinition<F extends Record<string, WorkerFunction> = Record<string, WorkerFunction>> =
  Readonly<F> & { readonly [WORKER_DEFINITION]: true };

/** Names the pool uses for its own protocol. */
const RESERVED = /^__sharedNdarray/;

/**
 * Declares the functions a pool's workers can run. Arguments and results cross threads by
 * structured clone, except SharedNDArrays (and other shared kinds), which arrive as views of the
 * same memory. Functions may be async.
 * @throws {ArgumentError} when `functions` is not an object of functions, is empty, or uses a reserved name
 */
export function defineWorker<const F extends Record<string, WorkerFunction>>(functions: F): WorkerDefinition<F> {
  const fn = 'defineWorker';
  if (typeof functions !== 'object' || functions === null || Array.isArray(functions)) {
    throw new ArgumentError(`${fn}: invalid argument 'functions': expected an object of named functions, got ${show(functions)}`);
  }
  const names = Object.keys(functions);
  if (names.length === 0) {
    throw new ArgumentError(`${fn}: invalid argument 'functions': expected at least one function, got an empty object`);
  }
  for (const name of names) {
    if (typeof functions[name] !== 'function') {
      throw new ArgumentError(`${fn}: invalid argument 'functions.${name}': expected a function, got ${show(functions[name])}`);
    }
    if (RESERVED.test(name)) {
      throw new ArgumentError(`${fn}: invalid argument 'functions.${name}': names starting with '__sharedNdarray' are reserved`);
    }
    if (name === 'then') {
      // The pool's handle on the worker would be a thenable, and awaiting it would call this.
      throw new ArgumentError(`${fn}: invalid argument 'functions.then': 'then' is reserved (an object with a then() method is taken for a promise); rename the function`);
    }
  }
  const definition = { ...functions };
  Object.defineProperty(definition, WORKER_DEFINITION, { value: true });
  return Object.freeze(definition) as WorkerDefinition<F>;
}

/** True for the value `defineWorker` returns. */
export function isWorkerDefinition(value: unknown): value is WorkerDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WORKER_DEFINITION] === true;
}
