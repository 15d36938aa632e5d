/**
 * `Semaphore` and `BoundedSemaphore`: a counter in shared memory, as in Python. Words: the value,
 * the number of sleepers (so an uncontended release makes no futex call), and the bound (0 for
 * an unbounded Semaphore).
 */
import { ArgumentError, SyncStateError } from '../errors.js';
import { show } from '../check.js';
import { checkDescriptor, timedOut } from './lock.js';
import { Lockable } from './lockable.js';
import { Deadline, block, blockTimeout, later, type BlockOptions, type Waiting } from './wait.js';

const VALUE = 0;
const SLEEPERS = 1;
const BOUND = 2;
const MAX_VALUE = 2 ** 31 - 1;
const UNBOUNDED = -1;

export interface SemaphoreDescriptor {
  readonly buffer: SharedArrayBuffer;
  readonly index: number;
}

function checkValue(fn: string, name: string, value: unknown, min: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > MAX_VALUE) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected an integer from ${min} to ${MAX_VALUE}, got ${show(value)}`);
  }
  return value as number;
}

export class Semaphore extends Lockable {
  readonly #words: Int32Array;
  readonly #index: number;

  /**
   * `value`: the initial count, default 1.
   * @throws {ArgumentError} when `value` is not an integer from 0 to 2^31 - 1
   */
  constructor(value?: number);
  /** @internal */
  constructor(value: number | undefined, bounded: boolean);
  /** @internal */
  constructor(descriptor: SemaphoreDescriptor);
  constructor(init: number | SemaphoreDescriptor = 1, bounded = false) {
    super();
    const name = this.constructor.name;
    if (typeof init === 'object' && init !== null) {
      checkDescriptor(name, init, 3, false);
      this.#words = new Int32Array(init.buffer);
      this.#index = init.index;
    } else {
      const value = checkValue(name, 'value', init, 0);
      this.#words = new Int32Array(new SharedArrayBuffer(12));
      this.#index = 0;
      this.#words[VALUE] = value;
      this.#words[BOUND] = bounded ? value : UNBOUNDED;
    }
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: SemaphoreDescriptor): Semaphore {
    checkDescriptor('Semaphore', descriptor, 3, false);
    return Atomics.load(new Int32Array(descriptor.buffer), descriptor.index + BOUND) !== UNBOUNDED
      ? new BoundedSemaphore(descriptor)
      : new Semaphore(descriptor);
  }

  toDescriptor(): SemaphoreDescriptor {
    return { buffer: this.#words.buffer as SharedArrayBuffer, index: this.#index };
  }

  *#acquiring(timeout: number): Waiting<boolean> {
    const words = this.#words;
    const at = this.#index;
    const deadline = new Deadline(timeout);
    for (;;) {
      const value = Atomics.load(words, at + VALUE);
      if (value > 0) {
        if (Atomics.compareExchange(words, at + VALUE, value, value - 1) === value) return true;
        continue;
      }
      const remaining = deadline.remaining();
      if (remaining === 0) return false;
      Atomics.add(words, at + SLEEPERS, 1);
      try {
        yield { words, index: at + VALUE, value: 0, timeout: remaining };
      } finally {
        Atomics.sub(words, at + SLEEPERS, 1);
      }
    }
  }

  /**
   * Takes one unit, waiting while the value is 0.
   * @throws {ArgumentError} when `options` is malformed
   */
  acquire(options?: BlockOptions): boolean {
    return block(this.#acquiring(blockTimeout(`${this.constructor.name}.acquire`, options)));
  }

  /**
   * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   */
  async acquireAsync(options?: BlockOptions): Promise<void> {
    const fn = `${this.constructor.name}.acquireAsync`;
    const timeout = blockTimeout(fn, options);
    if (!(await later(this.#acquiring(timeout)))) throw timedOut(fn, timeout);
  }

  /**
   * Returns `n` units (default 1) and wakes as many sleepers.
   * @throws {ArgumentError} when `n` is not a positive integer
   * @throws {SyncStateError} when the value would pass its bound (BoundedSemaphore) or 2^31 - 1
   */
  release(n = 1): void {
    const fn = `${this.constructor.name}.release`;
    checkValue(fn, 'n', n, 1);
    const words = this.#words;
    const at = this.#index;
    const bound = Atomics.load(words, at + BOUND);
    for (;;) {
      const value = Atomics.load(words, at + VALUE);
      const limit = bound === UNBOUNDED ? MAX_VALUE : bound;
      if (value + n > limit) {
        throw bound !== UNBOUNDED
          ? new SyncStateError(`${fn}: semaphore released too many times (value ${value} + ${n} would exceed its bound ${bound})`)
          : new SyncStateError(`${fn}: value ${value} + ${n} would exceed ${MAX_VALUE}`);
      }
      if (Atomics.compareExchange(words, at + VALUE, value, value + n) === value) break;
    }
    if (Atomics.load(words, at + SLEEPERS) > 0) Atomics.notify(words, at + VALUE, n);
  }

  /** The current value (a snapshot; Python's `get_value`). */
  getValue(): number {
    return Atomics.load(this.#words, this.#index + VALUE);
  }
}

/** A Semaphore whose `release` throws a SyncStateError past its initial value. */
export class BoundedSemaphore extends Semaphore {
  /**
   * @throws {ArgumentError} when `value` is not an integer from 0 to 2^31 - 1
   */
  constructor(value?: number);
  /** @internal */
  constructor(descriptor: SemaphoreDescriptor);
  constructor(init: number | SemaphoreDescriptor = 1) {
    super(init as number, true);
  }
}
