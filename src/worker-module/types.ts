/**
 * How a pool types its calls from its worker module: `Pool<typeof import('./w.js')>` gives each
 * method the names, parameters and results of the module's `defineWorker` functions.
 */
import type { WorkerDefinition, WorkerFunction } from './define.js';

/** The functions of a worker module, from its definition or `typeof import('./module.js')`. */
export type WorkerFunctions<M> =
  M extends { readonly default: WorkerDefinition<infer F> } ? F
    : [DefinitionIn<M>] extends [never] ? FunctionMembers<M> : DefinitionIn<M>;

/** The functions of a definition exported under a name (`export const fns = defineWorker(...)`). */
type DefinitionIn<M> = { [K in keyof M]: M[K] extends WorkerDefinition<infer F> ? F : never }[keyof M];

type FunctionMembers<M> = {
  [K in keyof M as K extends string ? (M[K] extends WorkerFunction ? K : never) : never]: M[K];
};

/** Names of `M`'s functions. */
export type FunctionName<M> = keyof WorkerFunctions<M> & string;
type Fn<M, K extends FunctionName<M>> = WorkerFunctions<M>[K] extends WorkerFunction ? WorkerFunctions<M>[K] : never;
/** The arguments function `K` takes. */
export type ArgsOf<M, K extends FunctionName<M>> = Parameters<Fn<M, K>>;
/** What function `K` resolves to on the main thread. */
export type ResultOf<M, K extends FunctionName<M>> = Awaited<ReturnType<Fn<M, K>>>;
/** The extra arguments a row function takes after `(array, rowStart, rowStop)`. */
export type RowArgs<M, K extends FunctionName<M>> = ArgsOf<M, K> extends [unknown, number, number, ...infer Rest] ? Rest
  // an untyped pool (any[] arguments): extra arguments are unknown, not refused
  : number extends ArgsOf<M, K>['length'] ? unknown[] : never;

