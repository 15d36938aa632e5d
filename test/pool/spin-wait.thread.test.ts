import { availableParallelism } from 'node:os';
import { describe, expect, vi } from 'vitest';
import { rejection } from '../support/assert.js';
import { it } from '../support/pools.js';
import { Pool, WorkerDiedError } from '../../src/index.js';

/**
 * A pool worker's spin wait (src/pool/spin-wait.ts, worker-entry.ts' pollForCalls) seen from the
 * pool: what a worker that polls for its next call must still do, and the flags the pool's workers
 * share. Whether a worker polls at all depends on the machine: with one CPU (cpus 0) it never does,
 * and the checks that need it to are skipped.
 */

const SPIN = new URL('../support/pool-spin.mjs', import.meta.url);
type Spin = typeof import('../support/pool-spin.mjs');
const POLLS = availableParallelism() > 1;

describe.concurrent('Pool spinWait', () => {
  const mixes = [1000, 0].flatMap((spinWait) => [1, 2].map((size) => [spinWait, size] as const));
  it.for(mixes)('answers sync, async, throwing, chunked and reporting calls right, and sets its flags, with spinWait %i on %i worker(s)', async ([spinWait, size], { track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size, spinWait }));
    const items = Array.from({ length: 10 }, (_, i) => i);
    const doubled = items.map((i) => 2 * i);
    const oneByOne: Array<(i: number) => Promise<void>> = [
      async (i) => expect(await pool.apply('double', i)).toBe(2 * i),
      async (i) => expect(await pool.apply('doubleLater', i)).toBe(2 * i),
      async (i) => expect((await rejection(pool.apply('fail', i))).message).toBe(`refused ${i}`),
      async (i) => expect(await pool.map('double', [i, i + 1, i + 2], { chunksize: 1 })).toEqual([2 * i, 2 * i + 2, 2 * i + 4]),
      async (i) => {
        const steps: number[] = [];
        expect(await pool.run('reportDouble', [i], { onProgress: (done) => steps.push(done) })).toBe(2 * i);
        expect(steps).toEqual([1, 2]);
      },
      async (i) => expect((await rejection(pool.apply('failLater', i))).message).toBe(`refused later ${i}`),
    ];
    for (let round = 0; round < 2; round++) {
      // all at once: each worker takes its next call as it replies to the last
      const settled: string[] = [];
      const note = <T>(name: string, promise: Promise<T>): Promise<T> => promise.finally(() => settled.push(name));
      const reports: Array<[number, number]> = [];
      const mapReports: Array<[number, number]> = [];
      const outcomes = await Promise.allSettled([
        note('double', pool.apply('double', 1)),
        note('doubleLater', pool.apply('doubleLater', 2)),
        note('fail', pool.apply('fail', 3)),
        note('map', pool.map('double', items, { chunksize: 3 })),
        note('report', pool.run('reportDouble', [5], { onProgress: (done, total) => reports.push([done, total]) })),
        note('failLater', pool.apply('failLater', 6)),
        note('timer', pool.apply('doubleAfterTimer', 7)),
        note('mapReports', pool.map('reportDouble', items, { chunksize: 4, onProgress: (done, total) => mapReports.push([done, total]) })),
        note('last', pool.apply('double', 9)),
      ]);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : `${(o.reason as Error).name}: ${(o.reason as Error).message}`))).toEqual([
        2, 4, 'RangeError: refused 3', doubled, 10, 'TypeError: refused later 6', 14, doubled, 18,
      ]);
      expect(reports).toEqual([[1, 2], [2, 2]]);
      // after each chunk, in whatever order the workers finish them
      expect(mapReports.map(([, total]) => total)).toEqual([10, 10, 10]);
      const done = mapReports.map(([count]) => count);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done.at(-1)).toBe(10);
      if (size === 1) expect(done).toEqual([4, 8, 10]);
      // one worker answers its calls in the order they came
      if (size === 1) expect(settled).toEqual(['double', 'doubleLater', 'fail', 'map', 'report', 'failLater', 'timer', 'mapReports', 'last']);
      // one after the other, each call sent as the last one's answer arrives
      for (const [i, call] of oneByOne.entries()) await call(i);
    }
    // a worker's flag is set while it runs a call, and never with spinWait 0
    for (const { micros, flags, slot } of await Promise.all([1, 2, 3, 4].map(() => pool.apply('spinWait')))) {
      expect(micros).toBe(spinWait);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(flags).toHaveLength(2 * size);
      if (spinWait === 0) expect(flags.every((flag) => flag === 0)).toBe(true);
      else if (POLLS) expect(flags[slot]).toBe(1);
    }
  });

  it('clears the flag of a worker that dies in a call and frees its slot', async ({ track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size: 1, spinWait: 1000 }));
    const first = await pool.apply('spinWait');
    const { states } = first;
    expect(states.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(states.length).toBe(2);
    expect(first.micros).toBe(1000);
    // busy while it runs a call
    if (POLLS) expect(first.flags[first.slot]).toBe(1);
    // two deaths on a pool of two slots: the third worker needs one of theirs back
    for (let death = 0; death < 2; death++) {
      const worker = await pool.apply('spinWait');
      expect(worker.slot).toBeGreaterThanOrEqual(0);
      // the exit call reaches it while it polls (its flag set) or wakes it (set again)
      expect(await rejection(pool.apply('exit', 3))).toBeInstanceOf(WorkerDiedError);
      expect(Atomics.load(states, worker.slot)).toBe(0);
    }
    const replacement = await pool.apply('spinWait');
    expect(replacement.slot).toBeGreaterThanOrEqual(0);
    if (POLLS) expect(replacement.flags[replacement.slot]).toBe(1);
  });
});

// one at a time: other tests' polling workers would take the CPUs these need to poll at all
describe('Pool spinWait, alone', () => {
  // It fails when a poll never hands the event loop back (checked by mutation). Since the worker's
  // back-off and the caller's turns landed, these streams no longer keep a worker polling past its
  // 1 ms turn on the 2-vCPU VM, so taking out the turn or the check-phase deferral
  // (worker-entry.ts) no longer fails it there.
  it("gives the module's microtasks and timers a turn while calls keep coming", async ({ track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size: 1, spinWait: 1000 }));
    let polled = 0;
    for (let stream = 0; stream < 3; stream++) {
      await pool.apply('arm');
      // each call sent as the last one's result arrives, well within the 1 ms the worker polls
      // for, so only the turns it gives its event loop let a microtask or timer run meanwhile;
      // each turn lingers 0.3 ms, so the next call is waiting when the loop could go on
      const end = performance.now() + 200;
      let tick = await pool.apply('tick', 0.3);
      const turnsBefore = tick.turns;
      let turnWhenDue: number | undefined;
      let turnWhenFired: number | undefined;
      const done = (): boolean => tick.timerFired && tick.turns > turnsBefore;
      // at least 30 calls a stream, so that some come by polling even when a loaded machine makes
      // the worker's polls run out and back off
      for (let calls = 1; calls < 30 || (!done() && performance.now() < end && (turnWhenDue === undefined || tick.turns - turnWhenDue <= 4)); calls++) {
        tick = await pool.apply('tick', 0.3);
        if (tick.polled) polled++;
        if (tick.due) turnWhenDue ??= tick.turns;
        if (tick.timerFired) turnWhenFired ??= tick.turns;
      }
      // both, seen by a later call of the stream; the timer within a few turns of being due: a
      // loop that ran only its microtasks and then the waiting call left it unrun for 30 ms in
      // 19 streams of 20
      expect(tick.turns).toBeGreaterThan(turnsBefore);
      expect(tick.timerFired).toBe(true);
      if (turnWhenDue !== undefined) expect(turnWhenFired! - turnWhenDue).toBeLessThanOrEqual(4);
    }
    // and the worker did poll: some call came with the last one's microtask still queued
    if (POLLS) expect(polled).toBeGreaterThan(0);
  });

  it('stops polling at a call answered later, so its promise settles at once', async ({ track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size: 1, spinWait: 1000 }));
    await pool.apply('double', 1);
    // each taken by polling after the last reply; a worker that polled on would leave the
    // function's await pending until the poll ran out, 1 ms after that reply, ~0.95 ms after the
    // call (timed in the worker, where nothing but preemption comes between the call and its
    // await's end: tens of µs)
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) delays.push(await pool.apply('awaitDelay'));
    expect(delays.sort((a, b) => a - b)[4]).toBeLessThan(0.5);
  });

  it("runs the calls it polls after an async call's reply outside that call's task", async ({ track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size: 1, spinWait: 1000 }));
    // the probe works: a call whose caller listens runs in its task
    expect(await pool.run('inTask', [], { onProgress: () => {} })).toBe(true);
    // each apply sent as the last run's reply arrives, taken by the poll that follows that
    // reply, which ran in the run's task: in it, its progress() reports would go to a call long
    // settled, as one message each
    const inherited: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reports: number[] = [];
      expect(await pool.run('reportLater', [i], { onProgress: (done) => reports.push(done) })).toBe(i);
      expect(reports).toEqual([1]);
      if (await pool.apply('inTask')) inherited.push(i);
    }
    expect(inherited).toEqual([]);
  });

  it("answers under a test's fake timers: the caller's turns keep the real setImmediate and clock", async ({ track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size: 1, spinWait: 1000 }));
    expect(await pool.apply('double', 1)).toBe(2);
    vi.useFakeTimers({ toFake: ['setImmediate', 'performance'] });
    try {
      for (let i = 0; i < 20; i++) expect(await pool.apply('double', i)).toBe(2 * i);
      // none of the turns went to the fake clock, where runAllTimers would run them for ever
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
