import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpinWait } from '../../src/pool/spin-wait.js';

/**
 * SpinWait alone: its window against a clock the test sets (performance.now()), and its flags in a
 * states array the test makes and fills. Times are in ms and chosen exact in binary, so the 2*max
 * boundary is checked exactly: micros 250 is a window of 0.25 ms, whose twice is 0.5.
 */

let now = 0;
beforeEach(() => {
  now = 1024;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.restoreAllMocks();
});

function spinWait(micros: number, states: Int32Array, slot: number, cpus: number): SpinWait {
  return new SpinWait({ micros, states, slot, cpus });
}

describe('SpinWait', () => {
  it('polls for micros after the reply while calls come within twice that, and not after a slower one', () => {
    const states = new Int32Array(4);
    const spin = spinWait(250, states, 1, 1);
    // a worker's first call: no reply yet to measure from, so the whole window
    spin.woken();
    now += 3;
    spin.replied();
    now += 0.125;
    // counted from the reply, not from the time deadline() is asked
    expect(spin.deadline()).toBe(1027.25);
    // a call that came exactly 2 * 0.25 ms after the reply still counts as on time
    now = 1027 + 0.5;
    spin.woken();
    now = 1028;
    spin.replied();
    expect(spin.deadline()).toBe(1028.25);
    // one later than that: sleep at once from then on
    now = 1028 + 0.5 + 2 ** -20;
    spin.woken();
    now = 1029;
    spin.replied();
    expect(spin.deadline()).toBe(0);
    expect(states[1]).toBe(0);
    // and so while calls keep coming late
    now = 1035;
    spin.woken();
    expect(states[1]).toBe(1);
    now = 1036;
    spin.replied();
    expect(spin.deadline()).toBe(0);
    // until one comes within 2 * 0.25 ms of its reply again
    now = 1036.375;
    spin.woken();
    now = 1037;
    spin.replied();
    expect(spin.deadline()).toBe(1037.25);
    expect(states[1]).toBe(1);
  });

  it('polls only while the busy and polling workers, itself included, are at most cpus', () => {
    const states = new Int32Array(6);
    const spin = spinWait(250, states, 0, 2);
    states[3] = 1;
    states[5] = 1;
    spin.woken();
    expect(states[0]).toBe(1);
    spin.replied();
    // three active against two cpus: it sleeps, and its flag says so
    expect(spin.deadline()).toBe(0);
    expect(Array.from(states)).toEqual([0, 0, 0, 1, 0, 1]);
    states[5] = 0;
    now += 0.25;
    spin.woken();
    spin.replied();
    // two against two: it polls, counted from this reply
    expect(spin.deadline()).toBe(1024.5);
    expect(Array.from(states)).toEqual([1, 0, 0, 1, 0, 0]);
    // a slot another worker took while this one polled stops it at its next deadline()
    states[2] = 1;
    expect(spin.deadline()).toBe(0);
    expect(Array.from(states)).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('sets its own flag when woken and clears it when it sleeps, and no other', () => {
    const states = new Int32Array([0, 0, 1, 0]);
    const spin = spinWait(100, states, 3, 3);
    spin.woken();
    expect(Array.from(states)).toEqual([0, 0, 1, 1]);
    spin.replied();
    expect(spin.deadline()).toBeGreaterThan(0);
    expect(Array.from(states)).toEqual([0, 0, 1, 1]);
    spin.sleeps();
    expect(Array.from(states)).toEqual([0, 0, 1, 0]);
    // sleeps() again (a poll that ran out after the flag was cleared) leaves it cleared
    spin.sleeps();
    expect(Array.from(states)).toEqual([0, 0, 1, 0]);
  });

  it.each([
    ['no slot', 250, -1, 1],
    ['no CPU to spare', 250, 0, 0],
    ['micros 0', 0, 0, 1],
  ])('never polls and never writes its states with %s', (_, micros, slot, cpus) => {
    // sentinels: any write shows, the cleared flags of sleeps() too
    const states = new Int32Array([7, 7]);
    const spin = spinWait(micros, states, slot, cpus);
    for (let i = 0; i < 3; i++) {
      spin.woken();
      now += 0.0625;
      spin.replied();
      expect(spin.deadline()).toBe(0);
      spin.sleeps();
    }
    expect(Array.from(states)).toEqual([7, 7]);
  });

  it('backs off while its polls run out with no call, and a caught call or a pause ends that', () => {
    const states = new Int32Array(2);
    const spin = spinWait(250, states, 0, 1);
    /** The next call, 0.125 ms after the last reply (on time), and whether the worker polls after replying to it. */
    const next = (): boolean => {
      now += 0.125;
      spin.woken();
      spin.replied();
      return spin.deadline() > 0;
    };
    expect(next()).toBe(true);
    spin.polled(false);
    expect(states[0]).toBe(0);
    // one poll that ran out: sleep at once after the next reply; two in a row: after the next two
    expect([next(), next()]).toEqual([false, true]);
    spin.polled(false);
    expect([next(), next(), next()]).toEqual([false, false, true]);
    // a poll that catches its call ends the backing off: the next that runs out costs one reply
    spin.polled(true);
    expect(states[0]).toBe(1);
    expect(next()).toBe(true);
    spin.polled(false);
    expect([next(), next()]).toEqual([false, true]);
    spin.polled(false);
    expect(next()).toBe(false);
    // a pause: the late call turns polling off; the next on time polls at once, backing off forgotten
    now += 3;
    spin.woken();
    spin.replied();
    expect(spin.deadline()).toBe(0);
    expect(next()).toBe(true);
  });

  it('mayPoll counts itself as polling (its flag set) and the other slots as they are', () => {
    const states = new Int32Array([0, 1, 0]);
    const spin = spinWait(250, states, 0, 1);
    expect(spin.mayPoll()).toBe(false);
    expect(Array.from(states)).toEqual([1, 1, 0]);
    states[1] = 0;
    expect(spin.mayPoll()).toBe(true);
    expect(Array.from(states)).toEqual([1, 0, 0]);
  });
});
