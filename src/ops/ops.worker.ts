/**
 * The operations' worker module: the functions the pool runs, each over rows `[start, stop)` of
 * axis 0 of its job's shape, writing in place into shared memory. The planner (plan.ts) calls the
 * same functions inline on the calling thread for small inputs. Other kinds of operation
 * (reductions, matmul) add their functions here.
 */
import { defineWorker } from '../worker-module/define.js';
import { strided, type Geometry } from './geometry.js';
import { loopFor, runLoop, type OpName } from './kernels/elementwise.js';
import { matmulRows } from './matmul-rows.js';
import type { DType } from '../ndarray/dtype.js';
import { runReduceJob, type ReduceJob } from './reduce-plan.js';
import { tableFor, threadIdIn } from '../sync/liveness.js';
import { storeAtThreadExit } from '../native/addon.js';

/** One elementwise operation: `out = op(...operands)` over `shape`, computed in `compute`. */
export interface ElementwiseJob {
  readonly op: OpName;
  /** The operation's parameter (round's decimals), 0 when it has none. */
  readonly p: number;
  readonly shape: readonly number[];
  readonly compute: DType;
  readonly out: Geometry;
  readonly operands: readonly Geometry[];
}

/** The functions a job names; each runs rows `[start, stop)` of its job. */
export const opsFunctions = {
  elementwise(job: ElementwiseJob, start: number, stop: number): void {
    const loop = loopFor(job.op, job.operands.map((g) => g.dtype), job.compute, job.out.dtype);
    runLoop(loop, job.p, job.shape, strided(job.out), job.operands.map(strided), start, stop);
  },
  /** Units `[start, stop)` of one pass of a reduction (reduce-plan.ts). */
  reduce(job: ReduceJob, start: number, stop: number): void {
    runReduceJob(job, start, stop);
  },
  matmul: matmulRows,
};

export type OpsFunction = keyof typeof opsFunctions;

/**
 * A blocking caller's completion words: `[0]` counts blocks done, `[1]` is 1 once one failed,
 * `[2]` the byte length of that error as JSON in `message`, and `[OWNERS + b]` the liveness id
 * (in `table`, the caller's liveness table) of the thread running block b, 0 when none is, DIED
 * once that thread is gone without a word (the addon's exit hook). The caller sleeps on `[0]`
 * and, between timed waits, checks that those threads are alive.
 */
export interface Completion {
  readonly words: Int32Array;
  readonly message: Uint8Array;
  readonly table: SharedArrayBuffer;
}

/** Index of block 0's owner word in `Completion.words`. */
export const OWNERS = 3;
/** The owner word of a block whose thread ended mid-block (never a liveness id: those are positive). */
export const DIED = -1;

/** Writes `error` where the blocked caller reads it; the first failure wins. */
export function reportFailure(completion: Completion, error: unknown): void {
  if (Atomics.compareExchange(completion.words, 1, 0, 1) !== 0) return;
  const e = error instanceof Error ? error : new Error(String(error));
  // JSON of a message cut at a multi-byte character would not parse: leave room and cut by characters
  const text = JSON.stringify({ name: e.name, message: e.message.slice(0, completion.message.length / 4 - 64) });
  const { written } = new TextEncoder().encodeInto(text, completion.message);
  Atomics.store(completion.words, 2, written);
}

export default defineWorker({
  /**
   * Runs `fn` on its block; with `completion`, marks block `index` as this thread's while it runs
   * and counts it done there (and any failure).
   */
  run(fn: OpsFunction, job: never, start: number, stop: number, completion: Completion | null, index = 0): void {
    let cancel: (() => void) | undefined;
    if (completion !== null) {
      Atomics.store(completion.words, OWNERS + index, threadIdIn(tableFor(completion.table)));
      // a heap over resourceLimits ends the thread without its exit handlers: the addon's hook tells
      cancel = storeAtThreadExit(completion.words, OWNERS + index, DIED);
    }
    try {
      opsFunctions[fn](job, start, stop);
    } catch (error) {
      if (completion === null) throw error;
      reportFailure(completion, error);
    } finally {
      if (completion !== null) {
        // no longer this thread's: its death after this point costs the caller nothing
        cancel?.();
        Atomics.store(completion.words, OWNERS + index, 0);
        Atomics.add(completion.words, 0, 1);
        Atomics.notify(completion.words, 0);
      }
    }
  },
});
