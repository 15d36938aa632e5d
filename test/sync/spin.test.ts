import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Spinner, spinWhile } from '../../src/sync/spin.js';

/** Adaptive spinning (the manager's hand-off, a pool worker's wait for its next call): when a thread polls before it sleeps, and for how long. */
describe('Spinner', () => {
  // the clock stands still unless a test moves it: a pause of this process is not a pause in the calls
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); });
  afterEach(() => { vi.useRealTimers(); });

  /** The budgets of the next `n` waits, none of them spinning (so nothing is reported). */
  const next = (spinner: Spinner, n: number): number[] => Array.from({ length: n }, () => spinner.budget());

  it('spins the full limit until a spin fails', () => {
    const spinner = new Spinner(0.05);
    for (let i = 0; i < 100; i++) {
      expect(spinner.budget()).toBe(0.05);
      spinner.spun(true);
    }
  });

  it('after k failed spins in a row, sleeps at once for the next 2^(k-1) waits, at most 1024', () => {
    const spinner = new Spinner(0.05);
    for (let k = 1; k <= 13; k++) {
      expect(spinner.budget()).toBe(0.05);
      spinner.spun(false);
      const skip = 2 ** Math.min(k - 1, 10);
      expect(next(spinner, skip)).toEqual(Array(skip).fill(0));
    }
  });

  it('a pause of more than 2 ms in the waits ends the backing off; a shorter one does not', () => {
    const spinner = new Spinner(0.05);
    for (let k = 0; k < 10; k++) {
      spinner.budget();
      spinner.spun(false);
    }
    expect(next(spinner, 3)).toEqual([0, 0, 0]);
    vi.advanceTimersByTime(1.5);
    expect(spinner.budget()).toBe(0);
    vi.advanceTimersByTime(2.5);
    expect(spinner.budget()).toBe(0.05);
    // and the next failure backs off from the start: one wait
    spinner.spun(false);
    expect(next(spinner, 2)).toEqual([0, 0.05]);
  });

  it('one spin that gets its answer ends the backing off', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 40 }), (outcomes) => {
      const spinner = new Spinner(0.02);
      for (const answered of outcomes) {
        while (spinner.budget() === 0);
        spinner.spun(answered);
      }
      while (spinner.budget() === 0);
      spinner.spun(true);
      expect(next(spinner, 5)).toEqual(Array(5).fill(0.02));
    }));
  });
});

describe('manager spinWhile', () => {
  it('returns the word as soon as it differs', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    words[1] = 7;
    expect(spinWhile(words, 1, 3, 1_000)).toBe(7);
  });

  it('returns the old value once the budget has passed', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    words[0] = 5;
    const start = performance.now();
    expect(spinWhile(words, 0, 5, 2)).toBe(5);
    expect(performance.now() - start).toBeGreaterThanOrEqual(2);
  });
});
