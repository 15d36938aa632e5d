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
 * nanoseconds (the resolution of performance.now() is finer than a millisecond). The histogram is
 * made once `stats()` asks or PENDING durations have come: perf_hooks loads ten of Node's internal
 * modules, which a pool's start would otherwise wait for before its first worker.
 */
export class Durations {
  static readonly PENDING = 1024;
  #histogram: RecordableHistogram | undefined;
  readonly #pending: number[] = [];

  record(ms: number): void {
    const ns = Math.max(1, Math.round(ms * 1e6));
    if (this.#histogram !== undefined) this.#histogram.record(ns);
    else if (this.#pending.push(ns) >= Durations.PENDING) this.#flush();
  }

  #flush(): RecordableHistogram {
    this.#histogram ??= createHistogram();
    const h = this.#histogram;
    for (const ns of this.#pending) h.record(ns);
    this.#pending.length = 0;
    return h;
  }

  summary(): TimeSummary {
    const h = this.#flush();
    const count = h.count;
    if (count === 0) return { count, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
    const ms = (ns: number): number => ns / 1e6;
    return {
      count, min: ms(h.min), max: ms(h.max), mean: ms(h.mean),
      p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)),
    };
  }
}
