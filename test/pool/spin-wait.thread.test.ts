import { availableParallelism } from 'node:os';
import { describe, expect } from 'vitest';
import { it } from '../support/pools.js';
import { Pool } from '../../src/index.js';

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
  it("gives the module's microtasks and timers a turn every ms while calls keep coming", async ({ track }) => {
    const pool = track(new Pool<Spin>(SPIN, { size: 1, spinWait: 10_000 }));
    let polled = 0;
    for (let stream = 0; stream < 3; stream++) {
      await pool.apply('arm');
      // each call sent as the last one's result arrives, far within the 10 ms the worker polls
      // for, so only the turns it gives its event loop let a microtask or timer run meanwhile;
      // each turn lingers 0.3 ms, so the next call is waiting when the loop could go on
      const end = performance.now() + 200;
      let tick = await pool.apply('tick', 0.3);
      const turnsBefore = tick.turns;
      let turnWhenDue: number | undefined;
      const done = (): boolean => tick.timerFired && tick.turns > turnsBefore;
      while (!done() && performance.now() < end && (turnWhenDue === undefined || tick.turns - turnWhenDue <= 4)) {
        tick = await pool.apply('tick', 0.3);
        if (tick.polled) polled++;
        if (tick.due) turnWhenDue ??= tick.turns;
      }
      // both, seen by a later call of the stream; the timer within a few turns of being due: a
      // loop that ran only its microtasks and then the waiting call left it unrun for 30 ms in
      // 19 streams of 20
      expect(tick.turns).toBeGreaterThan(turnsBefore);
      expect(tick.timerFired).toBe(true);
    }
    // and the worker did poll: some call came with the last one's microtask still queued
    if (POLLS) expect(polled).toBeGreaterThan(0);
  });
});
