import { describe, expect, it } from 'vitest';
import { LivenessTable } from '../../src/sync/liveness.js';
import { acquireWord, releaseWord, tryAcquireWord, type Acquired } from '../../src/sync/owner-word.js';
import type { WaitRequest, Waiting } from '../../src/sync/wait.js';

/**
 * The mutex protocol under Lock and RLock, driven step by step on one thread so that races that
 * take luck to hit between threads happen every time: another thread's moves are made inside
 * the table's eventIndex() call, which the acquirer makes between reading the lock word and
 * reading the holder's event word.
 */

const WAITERS = 1 << 30;

/** A table whose eventIndex() runs `race` the first time the acquirer calls it. */
function racingTable(race: () => void): LivenessTable {
  const table = new LivenessTable();
  const eventIndex = table.eventIndex.bind(table);
  let raced = false;
  table.eventIndex = (id: number) => {
    if (!raced) {
      raced = true;
      race();
    }
    return eventIndex(id);
  };
  return table;
}

/**
 * After the acquirer went to sleep on `request`, whoever holds the lock releases it: that must
 * change the word the acquirer sleeps on, or it sleeps on with the lock free.
 */
function expectWokenByNextRelease(
  table: LivenessTable, words: Int32Array, waiting: Waiting<Acquired>, me: number, check: (request: WaitRequest) => void = () => {},
): void {
  const step = waiting.next();
  expect(step.done).toBe(false);
  const request = step.value as WaitRequest;
  expect(request.words).toBe(table.words);
  check(request);
  expect(releaseWord(table, words, 0)).toBe(true);
  expect(Atomics.load(table.words, request.index)).not.toBe(request.value);
  // woken, it takes the free lock
  expect(waiting.next('not-equal')).toEqual({ done: true, value: true });
  expect(words[0]).toBe(me);
}

describe('acquireWord against a holder that moves between the lock word and its event word', () => {
  it('the holder releases (waking the earlier waiter) and takes the lock again at once', () => {
    const words = new Int32Array(new SharedArrayBuffer(4));
    let holder = 0;
    const table = racingTable(() => {
      expect(releaseWord(table, words, 0)).toBe(true);
      expect(tryAcquireWord(words, 0, holder)).toBe(true);
    });
    holder = table.reserve();
    const me = table.reserve();
    words[0] = holder | WAITERS; // held, with an earlier waiter asleep
    expectWokenByNextRelease(table, words, acquireWord(table, words, 0, me, Infinity), me);
  });

  it('the holder releases and a third thread takes the lock without waiting', () => {
    const words = new Int32Array(new SharedArrayBuffer(4));
    let third = 0;
    const table = racingTable(() => {
      expect(releaseWord(table, words, 0)).toBe(true);
      expect(tryAcquireWord(words, 0, third)).toBe(true);
    });
    const holder = table.reserve();
    third = table.reserve();
    const me = table.reserve();
    words[0] = holder | WAITERS;
    expectWokenByNextRelease(table, words, acquireWord(table, words, 0, me, Infinity), me);
  });

  it('without a race, a waiter marks the word and sleeps on the holder\'s event', () => {
    const table = new LivenessTable();
    const holder = table.reserve();
    const me = table.reserve();
    const words = new Int32Array(new SharedArrayBuffer(4));
    words[0] = holder;
    expectWokenByNextRelease(table, words, acquireWord(table, words, 0, me, Infinity), me, (request) => {
      expect(words[0]).toBe(holder | WAITERS);
      expect(request.index).toBe(table.eventIndex(holder));
      expect(request.timeout).toBe(Infinity);
    });
  });

  it('a dead holder hands the lock over as owner-died', () => {
    const table = new LivenessTable();
    const holder = table.reserve();
    const me = table.reserve();
    const words = new Int32Array(new SharedArrayBuffer(4));
    words[0] = holder | WAITERS;
    table.markDead(holder);
    expect(acquireWord(table, words, 0, me, 0).next()).toEqual({ done: true, value: 'owner-died' });
    expect(words[0]).toBe(me);
    // and the slot's next thread is a different id: the old id stays dead
    const next = table.reserve();
    expect(next).not.toBe(holder);
    expect(table.isAlive(holder)).toBe(false);
    expect(table.isAlive(next)).toBe(true);
  });
});
