/** `Event`: Python's `multiprocessing.Event`, a flag in shared memory that threads wait to be set. */
import { checkDescriptor, timedOut } from './lock.js';
import { Deadline, block, checkTimeout, later, type Waiting } from './wait.js';

const FLAG = 0;

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

  static fromDescriptor(descriptor: EventDescriptor): Event {
    checkDescriptor('Event', descriptor, 1, false);
    return new Event(descriptor);
  }

  toDescriptor(): EventDescriptor {
    return { buffer: this.#words.buffer as SharedArrayBuffer, index: this.#index };
  }

  isSet(): boolean {
    return Atomics.load(this.#words, this.#index + FLAG) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    if (Atomics.exchange(this.#words, this.#index + FLAG, 1) === 0) Atomics.notify(this.#words, this.#index + FLAG);
  }

  clear(): void {
    Atomics.store(this.#words, this.#index + FLAG, 0);
  }

  *#waiting(timeout: number): Waiting<boolean> {
    const deadline = new Deadline(timeout);
    for (;;) {
      if (this.isSet()) return true;
      const remaining = deadline.remaining();
      if (remaining === 0) return false;
      yield { words: this.#words, index: this.#index + FLAG, value: 0, timeout: remaining };
    }
  }

  /** Blocks until the flag is set; false if `timeout` ms passed first (Python's `wait`). */
  wait(timeout?: number | null): boolean {
    return block(this.#waiting(checkTimeout('Event.wait', 'timeout', timeout)));
  }

  /** Resolves when the flag is set; rejects with a TimeoutError after `timeout` ms. */
  async waitAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('Event.waitAsync', 'timeout', timeout);
    if (!(await later(this.#waiting(ms)))) throw timedOut('Event.waitAsync', ms);
  }
}
