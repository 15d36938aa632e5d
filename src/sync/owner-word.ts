/**
 * The mutex protocol shared by Lock, RLock and the internal locks of Barrier and Queue: one Int32
 * word holding 0 (free) or the holder's thread id, with bit 30 set once someone sleeps on it.
 * Waiters sleep on the holder's event word in the liveness table, which the holder bumps when it
 * releases a contended lock and which is bumped when the holder dies (see liveness.ts).
 */
import { ID_MASK, type LivenessTable } from './liveness.js';
import { Deadline, type Waiting } from './wait.js';

const WAITERS = 1 << 30;

export type Acquired = true | false | 'owner-died';

/** Tries once, without waiting. */
export function tryAcquireWord(words: Int32Array, index: number, me: number): boolean {
  return Atomics.compareExchange(words, index, 0, me) === 0;
}

export function* acquireWord(table: LivenessTable, words: Int32Array, index: number, me: number, timeout: number): Waiting<Acquired> {
  const deadline = new Deadline(timeout);
  for (;;) {
    const word = Atomics.compareExchange(words, index, 0, me);
    if (word === 0) return true;
    const holder = word & ID_MASK;
    const eventIndex = table.eventIndex(holder);
    // Read the event word before checking liveness, so a death between the two still changes
    // the value we sleep on.
    const event = Atomics.load(table.words, eventIndex);
    if (!table.isAlive(holder)) {
      if (Atomics.compareExchange(words, index, word, me) === word) return 'owner-died';
      continue;
    }
    const remaining = deadline.remaining();
    if (remaining === 0) return false;
    // Sleep only if the word is still `word` after the event was read: a holder that released
    // (and bumped its event) before that read, and then took the lock again or let another
    // thread take it without the waiters bit, would leave us asleep on an event nobody bumps.
    if ((word & WAITERS) === 0) {
      if (Atomics.compareExchange(words, index, word, word | WAITERS) !== word) continue;
    } else if (Atomics.load(words, index) !== word) {
      continue;
    }
    yield { words: table.words, index: eventIndex, value: event, timeout: remaining };
  }
}

/** Frees the word; false if it was already free. */
export function releaseWord(table: LivenessTable, words: Int32Array, index: number): boolean {
  const word = Atomics.exchange(words, index, 0);
  if (word === 0) return false;
  if ((word & WAITERS) !== 0) table.wake(word & ID_MASK);
  return true;
}

/** The holder's id, or 0 when free. */
export function holderOf(words: Int32Array, index: number): number {
  return Atomics.load(words, index) & ID_MASK;
}
