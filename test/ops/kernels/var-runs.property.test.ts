/**
 * varRuns (var's two passes over many short contiguous runs in one call) against the general
 * kernels it stands in for: pairwiseSum for the mean, then pairwiseSumSqDev, bit for bit, for
 * runs of every length it takes (1 to 128, so each branch of numpy's pairwise block), float64 and
 * float32 data, and runs spaced wider than they are long (rows of a sliced view).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairwiseSum, pairwiseSumSqDev, varRuns } from '../../../src/ops/kernels/reduce.js';

const params = { seed: 0x7a2_2026, numRuns: 300 };

describe('varRuns', () => {
  it('gives pairwiseSumSqDev of each run around its pairwiseSum mean, bit for bit', () => {
    const spec = fc.record({
      n: fc.integer({ min: 1, max: 128 }),
      count: fc.integer({ min: 1, max: 9 }),
      gap: fc.integer({ min: 0, max: 5 }),
      off: fc.integer({ min: 0, max: 3 }),
      f32: fc.boolean(),
      seed: fc.integer(),
      scale: fc.constantFrom(1, 1e-3, 1e8),
    });
    fc.assert(fc.property(spec, ({ n, count, gap, off, f32, seed, scale }) => {
      const rs = n + gap;
      const x = f32 ? new Float32Array(off + count * rs) : new Float64Array(off + count * rs);
      let state = seed >>> 0;
      for (let i = 0; i < x.length; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        x[i] = (state / 2 ** 32 - 0.3) * scale + 1000 * scale;
      }
      const acc = new Float64Array(count + 2);
      varRuns(x, off, count, rs, n, acc, 1);
      for (let r = 0; r < count; r++) {
        const p = off + r * rs;
        const want = pairwiseSumSqDev(x, p, n, 1, pairwiseSum(x, p, n, 1) / n);
        expect(Object.is(acc[1 + r], want), `run ${r} of ${count}, n ${n}: ${acc[1 + r]} vs ${want}`).toBe(true);
      }
      expect(acc[0]).toBe(0);
      expect(acc[count + 1]).toBe(0);
    }), params);
  });
});
