/**
 * A pool worker's wait for its next call after a reply: polling the calls port for a bounded time
 * instead of sleeping (worker-entry.ts), and when not to.
 */
import { Spinner } from '../sync/spin.js';
import type { SpinWaitData } from '../worker-module/protocol.js';

/**
 * Whether and how long a worker polls for its next call after a reply, instead of sleeping:
 * - for `max` ms while calls come within twice that of the last reply, and not at all once a call
 *   has come later (a pool called now and then spends no CPU on it); twice, since a call that
 *   finds the worker asleep arrives late by a wake-up or two;
 * - backing off as the manager's hand-off does (sync/spin.ts) while its polls run out with no
 *   call: a caller a little slower than `max` would otherwise cost `max` of polling per call;
 * - only while the pool's busy and polling workers leave a CPU to the caller: `states` holds a
 *   flag per worker slot of the pool (the pool clears a dead worker's), this one's at `slot`.
 */
export class SpinWait {
  readonly #max: number;
  readonly #states: Int32Array;
  readonly #slot: number;
  readonly #cpus: number;
  readonly #spinner: Spinner;
  #window: number;
  #repliedAt = Number.NEGATIVE_INFINITY;

  constructor({ micros, states, slot, cpus }: SpinWaitData) {
    this.#max = slot < 0 || cpus < 1 ? 0 : micros / 1000;
    this.#states = states;
    this.#slot = slot;
    this.#cpus = cpus;
    this.#spinner = new Spinner(this.#max);
    this.#window = this.#max;
  }

  /** A call arrived by the event loop: this thread slept since its last reply (or never replied). */
  woken(): void {
    if (this.#max === 0) return;
    Atomics.store(this.#states, this.#slot, 1);
    if (this.#repliedAt === Number.NEGATIVE_INFINITY) return;
    this.#window = performance.now() - this.#repliedAt <= 2 * this.#max ? this.#max : 0;
  }

  replied(): void {
    this.#repliedAt = performance.now();
  }

  /** Until when to poll for the next call (a performance.now() time), or 0 to sleep now. */
  deadline(): number {
    if (this.#window > 0 && this.mayPoll() && this.#spinner.budget() > 0) return this.#repliedAt + this.#window;
    this.sleeps();
    return 0;
  }

  /** Whether the pool's busy and polling workers, this one counted as polling, leave the caller a CPU. */
  mayPoll(): boolean {
    Atomics.store(this.#states, this.#slot, 1);
    let active = 0;
    for (let i = 0; i < this.#states.length; i++) active += Atomics.load(this.#states, i);
    return active <= this.#cpus;
  }

  /** A poll ended: with a call, or having run out (the thread then sleeps). */
  polled(caught: boolean): void {
    this.#spinner.spun(caught);
    if (!caught) this.sleeps();
  }

  sleeps(): void {
    if (this.#max > 0) Atomics.store(this.#states, this.#slot, 0);
  }
}
