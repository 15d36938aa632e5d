/**
 * The planner: runs an operation's job over row blocks (ranges of axis 0 of its shape) on a
 * pool, or inline on the calling thread when the job is small or its memory cannot be shared.
 *
 * Blocking form: the workers count finished blocks in a shared word the caller sleeps on; while
 * it sleeps, the pool's pump (sync/wait.ts) hands queued blocks to workers that finished, so a
 * blocked main thread gets its answer without its event loop. A block's error comes back through
 * the same shared memory. The pool learns of a worker's death only on the event loop, which the
 * blocked caller has stopped: so each block records the liveness id (sync/liveness.ts) of the
 * thread running it (and the native addon's exit hook marks the block if the thread ends without
 * running its exit handlers, as a heap over resourceLimits does), and the caller, waking every
 * DEATH_CHECK_MS, throws WorkerDiedError when one of those threads is dead. A pool that would
 * refuse the blocks (closed, or its `maxQueue` full) throws before the thread blocks.
 * Async form: the blocks are the pool's tasks and their promise is the answer.
 */
import * as errors from '../errors.js';
import { compiledModule } from '../worker-module/compiled.js';
import { defaultPool, runBuiltin, submitBuiltinAll, type AnyPool } from '../pool/default-pool.js';
import { divideRange } from '../pool/partition.js';
import { currentTable, type LivenessTable } from '../sync/liveness.js';
import { block, type Waiting } from '../sync/wait.js';
import opsWorker, { DIED, OWNERS, type Completion, type OpsFunction } from './ops.worker.js';

/**
 * Below this many elements a job runs inline. Measured with bench/investigate/ops-inline.ts: a
 * float64 `add` (memory-bound) and `exp` (compute-bound) of n contiguous elements into `out`,
 * blocking form, inline against a pool of 2, medians of 7 rounds, wall and CPU time side by side.
 * On the 2-core machine under a load average of 15 (other jobs running), a pool call cost 0.35-2 ms
 * whatever n: `exp` broke even at about 2^18 elements and `add` at about 2^20 (inline `add` of 2^17
 * took 0.36 ms, `exp` 0.5 ms of CPU). On an idle machine a round trip is about 40 µs
 * (bench/investigate/pool-overhead.md), so the pool wins much earlier. 2^17 (1 MiB of float64)
 * keeps the worst case, a loaded machine, within 2x of inline, and gives the pool every job
 * where its round trip is small beside the work.
 */
export const INLINE_THRESHOLD = 2 ** 17;

/**
 * How often a blocked caller looks for a dead block owner, in milliseconds: the longest a death
 * goes unnoticed; the look costs a few atomic loads.
 */
const DEATH_CHECK_MS = 50;

export interface Job {
  fn: OpsFunction;
  job: unknown;
  /** Length of axis 0 of the job's shape: what the blocks divide. 0 for a 0-d job. */
  rows: number;
  /** Elements the job touches, against INLINE_THRESHOLD. */
  size: number;
  /** False when an operand's memory is not a SharedArrayBuffer: it runs inline. */
  shareable: boolean;
  /** The public function running it, for error messages. */
  name?: string;
}

let opsModule: URL | undefined;
const module = (): URL => (opsModule ??= compiledModule('./ops.worker.js', import.meta.url));

function inline(job: Job, threshold: number): boolean {
  return job.size < threshold || !job.shareable || job.rows < 2;
}

function blocks(job: Job, pool: AnyPool): Array<[number, number]> {
  return divideRange(0, job.rows, Math.min(job.rows, pool.size));
}

/**
 * Runs `job` and returns once it is done; `threshold` is for the benchmark that measures it.
 * @throws {WorkerDiedError} when a worker died while it ran one of the job's blocks
 */
export function runSync(job: Job, pool: AnyPool | undefined, threshold = INLINE_THRESHOLD): void {
  if (inline(job, threshold)) {
    opsWorker.run(job.fn, job.job as never, 0, Math.max(job.rows, 1), null);
    return;
  }
  const target = pool ?? defaultPool();
  const parts = blocks(job, target);
  const table = currentTable();
  const completion: Completion = {
    words: new Int32Array(new SharedArrayBuffer((OWNERS + parts.length) * 4)),
    message: new Uint8Array(new SharedArrayBuffer(1024)),
    table: table.buffer,
  };
  // the answer comes through `completion`; a pool that takes no work throws here, before this
  // thread blocks
  submitBuiltinAll(target, module(), 'run', parts.map(([start, stop], index) => [job.fn, job.job, start, stop, completion, index]));
  block(waitFor(completion.words, parts.length, table, job.name ?? job.fn));
  if (Atomics.load(completion.words, 1) !== 0) throw failure(completion);
}

/** Runs `job`; resolves once it is done. */
export async function runAsync(job: Job, pool: AnyPool | undefined): Promise<void> {
  if (inline(job, INLINE_THRESHOLD)) {
    opsWorker.run(job.fn, job.job as never, 0, Math.max(job.rows, 1), null);
    return;
  }
  const target = pool ?? defaultPool();
  const parts = blocks(job, target);
  await runBuiltin(target, module(), 'run', parts.map(([start, stop]) => [job.fn, job.job, start, stop, null]));
}

function* waitFor(words: Int32Array, count: number, table: LivenessTable, fn: string): Waiting<void> {
  for (let done = Atomics.load(words, 0); done < count; done = Atomics.load(words, 0)) {
    for (let b = 0; b < count; b++) {
      const owner = Atomics.load(words, OWNERS + b);
      if (owner === DIED || (owner !== 0 && !table.isAlive(owner))) {
        throw new errors.WorkerDiedError(`${fn}: a pool worker died while it ran a block of this operation (process.exit, its resourceLimits, or a crash); the pool replaces it, but this result is incomplete`);
      }
    }
    yield { words, index: 0, value: done, timeout: DEATH_CHECK_MS };
  }
}

type ErrorClass = new (message: string) => Error;

/** The error a block reported, rebuilt as its class. */
function failure(completion: Completion): Error {
  const length = Atomics.load(completion.words, 2);
  const { name, message } = JSON.parse(new TextDecoder().decode(completion.message.slice(0, length))) as { name: string; message: string };
  const known = (errors as Record<string, unknown>)[name];
  const Class = (typeof known === 'function' ? known : name === 'TypeError' ? TypeError : name === 'RangeError' ? RangeError : Error) as ErrorClass;
  return new Class(message);
}
