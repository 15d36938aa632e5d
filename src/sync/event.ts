/** `Event`: Python's `multiprocessing.Event`, a flag in shared memory that threads wait to be set. */
import { checkDescriptor, timedOut } from './lock.js';
import { Deadline, block, checkTimeout, later, type Waiting } from './wait.js';

/**
 * The event's one word: bit 0 is the flag, the bits above count the times it was set. A waiter
 * sleeps while the word keeps the (unset) value it first saw; any change means a set() happened
 * since, even if a clear() followed before the waiter ran, as in Python's threading.Event.
 */
const FLAG = 0;
const SET = 1;

export interface EventDescriptor {
  readonly buffer: SharedArrayBuffer;
  readonly index: number;
}

export class Event {
  readonly #words: Int32Array;
  readonly #index: number;

  constructor(descriptor?: EventDescriptor) {
    if (descriptor === undefined) {
      this.#words = new Int32Array(new SharedArrayBuffer(4));
      this.#index = 0;
    } else {
      checkDescriptor('Event', descriptor, 1, false);
      this.#words = new Int32Array(descriptor.buffer);
      this.#index = descriptor.index;
    }
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: EventDescriptor): Event {
    checkDescriptor('Event', descriptor, 1, false);
    return new Event(descriptor);
  }

  toDescriptor(): EventDescriptor {
    return { buffer: this.#words.buffer as SharedArrayBuffer, index: this.#index };
  }

  isSet(): boolean {
    return (Atomics.load(this.#words, this.#index + FLAG) & SET) !== 0;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    const words = this.#words;
    const at = this.#index + FLAG;
    for (let word = Atomics.load(words, at); (word & SET) === 0; word = Atomics.load(words, at)) {
      // count one more set, flag on
      if (Atomics.compareExchange(words, at, word, (word + 2) | SET) === word) {
        Atomics.notify(words, at);
        return;
      }
    }
  }

  clear(): void {
    Atomics.and(this.#words, this.#index + FLAG, ~SET);
  }

  *#waiting(timeout: number): Waiting<boolean> {
    const seen = Atomics.load(this.#words, this.#index + FLAG);
    if ((seen & SET) !== 0) return true;
    const deadline = new Deadline(timeout);
    for (;;) {
      const remaining = deadline.remaining();
      if (remaining === 0) return false;
      yield { words: this.#words, index: this.#index + FLAG, value: seen, timeout: remaining };
      // only set() changes an unset word: it was set since we looked, whatever it is now
      if (Atomics.load(this.#words, this.#index + FLAG) !== seen) return true;
    }
  }

  /**
   * Blocks until the flag is set; false if `timeout` ms passed first (Python's `wait`).
   * @throws {ArgumentError} when `timeout` is not a number >= 0
   */
  wait(timeout?: number | null): boolean {
    return block(this.#waiting(checkTimeout('Event.wait', 'timeout', timeout)));
  }

  /**
   * Resolves when the flag is set; rejects with a TimeoutError after `timeout` ms.
   * @throws {TimeoutError} (rejects) when the flag is not set within `timeout`
   * @throws {ArgumentError} (rejects) when `timeout` is not a number >= 0
   */
  async waitAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('Event.waitAsync', 'timeout', timeout);
    if (!(await later(this.#waiting(ms)))) throw timedOut('Event.waitAsync', ms);
  }
}
