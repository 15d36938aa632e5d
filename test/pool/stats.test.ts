import { createHistogram } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Durations } from '../../src/pool/stats.js';

/** What perf_hooks gives for the same durations, recorded one by one as Durations did before it held them back. */
function direct(ms: number[]) {
  const h = createHistogram();
  for (const d of ms) h.record(Math.max(1, Math.round(d * 1e6)));
  if (h.count === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
  return { count: h.count, min: h.min / 1e6, max: h.max / 1e6, mean: h.mean / 1e6, p50: h.percentile(50) / 1e6, p90: h.percentile(90) / 1e6, p99: h.percentile(99) / 1e6 };
}

describe('Durations', () => {
  it('summarizes what it held back before its histogram existed as the histogram would have', () => {
    const duration = fc.double({ min: 0, max: 1e4, noNaN: true });
    // around PENDING: summaries asked before, at and after the histogram is made, and records after one
    const sizes = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: Durations.PENDING - 3, max: Durations.PENDING + 3 }));
    fc.assert(
      fc.property(sizes, fc.array(duration, { maxLength: 5 }), fc.context(), (n, later, ctx) => {
        const first = Array.from({ length: n }, (_, i) => (i * 7.31) % 97.5);
        const d = new Durations();
        for (const ms of first) d.record(ms);
        expect(d.summary()).toEqual(direct(first));
        for (const ms of later) d.record(ms);
        ctx.log(`${n} then ${later.length}`);
        expect(d.summary()).toEqual(direct([...first, ...later]));
      }),
      { numRuns: 40 },
    );
  });
});
