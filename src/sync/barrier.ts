/**
 * `Barrier`: Python's `multiprocessing.Barrier` for `parties` threads. Each cycle is a
 * generation; the thread whose arrival completes it runs `action`, then all are released. A
 * timeout, an `abort()`, a `reset()` with threads waiting, or an action that throws breaks the
 * cycle: every waiter gets a BrokenBarrierError.
 *
 * Functions cannot cross threads: `action` runs only in a thread whose Barrier object has one.
 * A Barrier that arrives in a worker has none unless the worker sets `barrier.action`.
 */
import { ArgumentError, BrokenBarrierError } from '../errors.js';
import { show, checkOptionKeys } from '../check.js';
import { currentTable } from './liveness.js';
import { Lock } from './lock.js';
import { Deadline, block, checkTimeout, later, type Waiting } from './wait.js';

/** Words: internal lock, arrivals this cycle, generation, broken flag, outcome bits of the last 32 generations, parties. */
const LOCK = 0;
const COUNT = 1;
const GEN = 2;
const BROKEN = 3;
const OUTCOMES = 4;
const PARTIES = 5;
const WORDS = 6;

export interface BarrierOptions {
  /** Run by the thread that completes each cycle, before the others are released. */
  action?: () => void;
  /** Default timeout of `wait`, in milliseconds. */
  timeout?: number | null;
}

export interface BarrierDescriptor {
  readonly buffer: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  readonly timeout: number | null;
}

function checkBarrierDescriptor(descriptor: unknown): asserts descriptor is BarrierDescriptor {
  const d = descriptor as Partial<BarrierDescriptor> | null;
  if (typeof d !== 'object' || d === null || !(d.buffer instanceof SharedArrayBuffer) || d.buffer.byteLength !== WORDS * 4
    || !(d.table instanceof SharedArrayBuffer) || !(d.timeout === null || (typeof d.timeout === 'number' && d.timeout >= 0))) {
    throw new ArgumentError(`Barrier.fromDescriptor: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
  }
}

export class Barrier {
  readonly #words: Int32Array;
  readonly #lock: Lock;
  readonly #timeout: number;
  /** Run by this thread when its arrival completes a cycle. */
  action: (() => void) | undefined;

  /**
   * @throws {ArgumentError} when `parties` is not a positive integer, or an option is invalid
   */
  constructor(parties: number, options?: BarrierOptions);
  /** @internal */
  constructor(descriptor: BarrierDescriptor);
  constructor(init: number | BarrierDescriptor, options: BarrierOptions = {}) {
    if (typeof init === 'object' && init !== null) {
      checkBarrierDescriptor(init);
      this.#words = new Int32Array(init.buffer);
      this.#lock = new Lock({ buffer: init.buffer, index: LOCK, table: init.table });
      this.#timeout = init.timeout ?? Infinity;
      return;
    }
    if (!Number.isSafeInteger(init) || init < 1 || init > 2 ** 31 - 1) {
      throw new ArgumentError(`Barrier: invalid argument 'parties': expected a positive integer, got ${show(init)}`);
    }
    checkOptionKeys('Barrier', 'options', options, ['action', 'timeout']);
    if (options.action !== undefined && typeof options.action !== 'function') {
      throw new ArgumentError(`Barrier: invalid argument 'options.action': expected a function, got ${show(options.action)}`);
    }
    this.#timeout = checkTimeout('Barrier', 'options.timeout', options.timeout);
    this.action = options.action;
    const buffer = new SharedArrayBuffer(WORDS * 4);
    this.#words = new Int32Array(buffer);
    this.#words[PARTIES] = init;
    this.#lock = new Lock({ buffer, index: LOCK, table: currentTable().buffer });
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: BarrierDescriptor): Barrier {
    // checked here too: the constructor reads a number as `parties`
    checkBarrierDescriptor(descriptor);
    return new Barrier(descriptor);
  }

  toDescriptor(): BarrierDescriptor {
    const { table } = this.#lock.toDescriptor();
    return { buffer: this.#words.buffer as SharedArrayBuffer, table, timeout: this.#timeout === Infinity ? null : this.#timeout };
  }

  get parties(): number {
    return this.#words[PARTIES]!;
  }

  /** Threads waiting in the current cycle. */
  get nWaiting(): number {
    return Atomics.load(this.#words, BROKEN) === 1 ? 0 : Atomics.load(this.#words, COUNT);
  }

  get broken(): boolean {
    return Atomics.load(this.#words, BROKEN) === 1;
  }

  /** Takes the internal lock. A thread that died holding it leaves the cycle unknowable: break it. */
  *#locking(): Waiting<void> {
    if ((yield* this.#lock.acquiring(Infinity)) === 'owner-died') this.#breakLocked();
  }

  /** Ends the current cycle as broken (waking its waiters) and leaves the barrier broken. */
  #breakLocked(): void {
    const words = this.#words;
    Atomics.store(words, BROKEN, 1);
    if (words[COUNT]! > 0) this.#endCycle(true);
  }

  #endCycle(broken: boolean): void {
    const words = this.#words;
    const gen = words[GEN]!;
    const bit = 1 << (gen & 31);
    words[OUTCOMES] = broken ? words[OUTCOMES]! | bit : words[OUTCOMES]! & ~bit;
    words[COUNT] = 0;
    Atomics.store(words, GEN, (gen + 1) | 0);
    Atomics.notify(words, GEN);
  }

  *#waiting(fn: string, timeout: number): Waiting<number> {
    const words = this.#words;
    yield* this.#locking();
    if (words[BROKEN] === 1) {
      this.#lock.release();
      throw new BrokenBarrierError(`${fn}: the barrier is broken (reset() it to use it again)`);
    }
    const gen = words[GEN]!;
    const index = words[COUNT]!;
    words[COUNT] = index + 1;
    if (index + 1 === words[PARTIES]) {
      try {
        this.action?.();
      } catch (error) {
        this.#breakLocked();
        this.#lock.release();
        throw error;
      }
      this.#endCycle(false);
      this.#lock.release();
      return index;
    }
    this.#lock.release();
    const deadline = new Deadline(timeout);
    while (Atomics.load(words, GEN) === gen) {
      const remaining = deadline.remaining();
      if (remaining === 0) {
        yield* this.#locking();
        // Still our cycle: the timeout breaks it for everyone (Python's behaviour).
        if (words[GEN] === gen) this.#breakLocked();
        this.#lock.release();
        break;
      }
      yield { words, index: GEN, value: gen, timeout: remaining };
    }
    if ((words[OUTCOMES]! & (1 << (gen & 31))) !== 0) {
      throw new BrokenBarrierError(`${fn}: the barrier was broken while this thread waited (a timeout, abort(), reset() or a failing action)`);
    }
    return index;
  }

  /**
   * Waits until all parties have called `wait`; returns this thread's arrival index (0 to
   * parties - 1). Throws a BrokenBarrierError if the cycle breaks, including by its own timeout.
   * @throws {BrokenBarrierError} when the barrier is or gets broken (timeout, abort, reset, failing action)
   * @throws {ArgumentError} when `timeout` is not a number >= 0
   * @throws {Error} what `action` threw, in the thread that ran it
   */
  wait(timeout?: number | null): number {
    const ms = timeout === undefined ? this.#timeout : checkTimeout('Barrier.wait', 'timeout', timeout);
    return block(this.#waiting('Barrier.wait', ms));
  }

  /**
   * The async `wait`; never blocks the event loop. A bad timeout rejects, as in the other async forms.
   * @throws {BrokenBarrierError} (rejects) when the barrier is or gets broken (timeout, abort, reset, failing action)
   * @throws {ArgumentError} (rejects) when `timeout` is not a number >= 0
   * @throws {Error} (rejects) with what `action` threw, in the thread that ran it
   */
  async waitAsync(timeout?: number | null): Promise<number> {
    const ms = timeout === undefined ? this.#timeout : checkTimeout('Barrier.waitAsync', 'timeout', timeout);
    return later(this.#waiting('Barrier.waitAsync', ms));
  }

  /** Breaks the barrier: current and future waits throw BrokenBarrierError until `reset()`. */
  abort(): void {
    block(this.#locking());
    this.#breakLocked();
    this.#lock.release();
  }

  /** Back to the empty state; threads waiting now get a BrokenBarrierError. */
  reset(): void {
    block(this.#locking());
    if (this.#words[COUNT]! > 0) this.#endCycle(true);
    Atomics.store(this.#words, BROKEN, 0);
    this.#lock.release();
  }
}
