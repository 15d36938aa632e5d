/**
 * Adaptive spinning, for the embedded manager's hand-off (manager/protocol.ts) and a pool worker's
 * wait for its next call (pool/spin-wait.ts). A futex wake-up costs ~6 µs of latency, and about as
 * much CPU, per direction on a VM, while the other side of a call often answers sooner than that:
 * so a thread that expects its answer soon polls for it before it sleeps. Whether it does adapts to what it saw, as glibc's adaptive mutexes do: a spin
 * that ended without the answer makes it sleep at once for the next 1, 2, 4, ... 1024 waits
 * before it tries again, and a spin that got the answer, or a pause of over 2 ms between two
 * waits, resets that. On an oversubscribed machine
 * the spinning thread holds the core the other side needs to answer, so its spins fail and it
 * soon stops spinning; the few spins it still tries cost under 0.1% of its waits.
 *
 * @internal
 */

/** Polls between two looks at the clock: performance.now() costs ~20 Atomics.loads. */
const POLLS_PER_CHECK = 16;

/** A failed spin makes the next 2 ** backoff waits sleep at once; backoff stops growing here. */
const MAX_BACKOFF = 10;

/**
 * A wait that comes this long (ms) after the last one follows a pause in the calls: the spins
 * that failed before it say nothing of the burst it starts (a thread that was idle, not one kept
 * from its core), so it spins again at once. Without this, each pause added a failure, and after
 * a few pauses the first 1024 calls of every burst paid a wake-up each (about 4x their time).
 */
const PAUSE_MS = 2;

export class Spinner {
  /** Milliseconds. */
  readonly limit: number;
  /** Waits still to make without spinning. */
  #skip = 0;
  #backoff = 0;
  /** When `budget` was last asked (performance.now()). */
  #last = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** How long to spin for the next wait, in ms: the limit, or 0 while backing off after a failed spin. */
  budget(): number {
    const now = performance.now();
    if (now - this.#last > PAUSE_MS) this.#skip = this.#backoff = 0;
    this.#last = now;
    if (this.#skip === 0) return this.limit;
    this.#skip--;
    return 0;
  }

  /** After a spin: whether it got its answer. */
  spun(answered: boolean): void {
    if (answered) {
      this.#backoff = 0;
    } else {
      this.#skip = 2 ** this.#backoff;
      if (this.#backoff < MAX_BACKOFF) this.#backoff++;
    }
  }
}

/**
 * Polls `words[index]` until it differs from `from` or `budget` ms pass; returns the word's
 * last value (equal to `from` when the time ran out).
 */
export function spinWhile(words: Int32Array, index: number, from: number, budget: number): number {
  const until = performance.now() + budget;
  for (;;) {
    for (let i = 0; i < POLLS_PER_CHECK; i++) {
      const value = Atomics.load(words, index);
      if (value !== from) return value;
    }
    if (performance.now() >= until) return from;
  }
}
