/**
 * Every blocking algorithm here is written once, as a generator that yields the futex waits it
 * needs, and run by one of two drivers: `block` sleeps in `Atomics.wait` (for workers; on the main
 * thread it stalls the event loop), `later` awaits `Atomics.waitAsync` (never blocks). So the
 * blocking and async forms of each call cannot drift apart.
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

export interface WaitRequest {
  readonly words: Int32Array;
  readonly index: number;
  /** Sleep only while the word still holds this value. */
  readonly value: number;
  /** Milliseconds; Infinity for no limit. */
  readonly timeout: number;
}

export type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';

export type Waiting<T> = Generator<WaitRequest, T, WaitOutcome>;

/**
 * Work this thread owes others that must go on while it blocks: a Pool hands its queued tasks
 * to workers that finished (see Pool). Each pump returns whether it still has work waiting.
 */
const pumps = new Set<() => boolean>();

/** How often a blocking wait runs the pumps, in milliseconds, while any has work waiting. */
const PUMP_INTERVAL_MS = 2;

/** Registers `pump` to run while this thread blocks, until it is removed (the returned function). */
export function pumpWhileBlocked(pump: () => boolean): () => void {
  pumps.add(pump);
  return () => { pumps.delete(pump); };
}

function runPumps(): boolean {
  let waiting = false;
  for (const pump of [...pumps]) {
    try {
      if (pump()) waiting = true;
    } catch {
      // a pump's failure is its own to report; the wait goes on
    }
  }
  return waiting;
}

/** Atomics.wait, in slices that run the pumps between them while any has work waiting. */
function waitPumping(words: Int32Array, index: number, value: number, timeout: number): WaitOutcome {
  const end = performance.now() + timeout;
  for (;;) {
    const left = Math.max(0, end - performance.now());
    if (!runPumps()) return Atomics.wait(words, index, value, left);
    const outcome = Atomics.wait(words, index, value, Math.min(left, PUMP_INTERVAL_MS));
    if (outcome !== 'timed-out' || left <= PUMP_INTERVAL_MS) return outcome;
  }
}

export function block<T>(algorithm: Waiting<T>): T {
  let step = algorithm.next();
  while (!step.done) {
    const { words, index, value, timeout } = step.value;
    step = algorithm.next(pumps.size === 0 ? Atomics.wait(words, index, value, timeout) : waitPumping(words, index, value, timeout));
  }
  return step.value;
}

/**
 * A pending waitAsync does not keep Node's event loop alive: without a timer a script awaiting a
 * lock would exit mid-await when nothing else is pending. One timer per thread, referenced while
 * any wait is pending: a timer made and cleared per wait cost ~3 µs, a tenth of a manager call.
 */
let keepAlive: ReturnType<typeof setInterval> | undefined;
let pendingWaits = 0;

export async function later<T>(algorithm: Waiting<T>): Promise<T> {
  let step = algorithm.next();
  while (!step.done) {
    const { words, index, value, timeout } = step.value;
    const wait = Atomics.waitAsync(words, index, value, timeout);
    if (!wait.async) {
      step = algorithm.next(wait.value);
      continue;
    }
    if (pendingWaits++ === 0) {
      keepAlive ??= setInterval(() => {}, 2 ** 31 - 1);
      keepAlive.ref();
    }
    try {
      step = algorithm.next(await wait.value);
    } finally {
      if (--pendingWaits === 0) keepAlive!.unref();
    }
  }
  return step.value;
}

/** A point in time a wait must not pass. */
export class Deadline {
  readonly #end: number;

  constructor(timeout: number) {
    this.#end = timeout === Infinity ? Infinity : performance.now() + timeout;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return this.#end === Infinity ? Infinity : Math.max(0, this.#end - performance.now());
  }

  passed(): boolean {
    return this.remaining() === 0;
  }
}

/**
 * A timeout in milliseconds: `undefined`/`null` wait forever, like Python's `None`. Negative,
 * NaN or non-number timeouts are errors rather than a silent "forever" or "never".
 */
export function checkTimeout(fn: string, name: string, timeout: unknown): number {
  if (timeout === undefined || timeout === null) return Infinity;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a timeout in milliseconds (a number >= 0, or undefined to wait forever), got ${show(timeout)}`);
  }
  return timeout;
}

export interface BlockOptions {
  /** `false`: do not wait at all (Python's `block=False`). Default true. */
  block?: boolean;
  /** Milliseconds to wait at most; default forever. */
  timeout?: number | null;
}

/** Reads `{ block, timeout }` into one timeout: 0 when not blocking. */
export function blockTimeout(fn: string, options: BlockOptions | undefined): number {
  if (options === undefined) return Infinity;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${fn}: invalid argument 'options': expected an options object like { timeout: 100 }, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'block' && key !== 'timeout') {
      throw new ArgumentError(`${fn}: invalid argument 'options': unknown option ${show(key)} (expected 'block', 'timeout')`);
    }
  }
  if (options.block !== undefined && typeof options.block !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'options.block': expected a boolean, got ${show(options.block)}`);
  }
  const timeout = checkTimeout(fn, 'options.timeout', options.timeout);
  return options.block === false ? 0 : timeout;
}
