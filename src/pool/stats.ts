/** `pool.stats()`: counts and timings of a pool's tasks, after piscina's `runTime`/`waitTime` histograms. */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** A distribution of durations in milliseconds; every field is 0 while `count` is 0. */
export interface TimeSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface PoolStats {
  /** Worker threads alive or starting (fewer than `size` while idle ones have exited: `idleTimeout`). */
  threads: number;
  /** Tasks waiting in the queue for a worker. */
  queued: number;
  /** Tasks a worker is running now. */
  running: number;
  /** Tasks that ran and returned. */
  completed: number;
  /** Tasks that ran and failed: the function threw, its worker died, or `terminate()` stopped it. */
  failed: number;
  /** Tasks cancelled through their call's `signal` or `AsyncResult.cancel()`, queued or running. */
  cancelled: number;
  /** How long completed and failed tasks ran, from being handed to a worker to their result. */
  runTime: TimeSummary;
  /** How long tasks waited in the queue before a worker took them. */
  waitTime: TimeSummary;
}

/**
 * One histogram of durations. perf_hooks histograms hold integers, so durations are kept in
 * nanoseconds (the resolution of performance.now() is finer than a millisecond).
 */
export class Durations {
  readonly #histogram: RecordableHistogram = createHistogram();

  record(ms: number): void {
    this.#histogram.record(Math.max(1, Math.round(ms * 1e6)));
  }

  summary(): TimeSummary {
    const h = this.#histogram;
    const count = h.count;
    if (count === 0) return { count, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
    const ms = (ns: number): number => ns / 1e6;
    return {
      count, min: ms(h.min), max: ms(h.max), mean: ms(h.mean),
      p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)),
    };
  }
}
