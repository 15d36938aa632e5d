/**
 * Property tests of `divideRange(lo, hi, parts)`: the ranges partition [lo, hi) into `parts`
 * consecutive half-open ranges, balanced (sizes differ by at most one, larger ones first), with
 * trailing empty ranges when there are more parts than integers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, divideRange } from '../../src/index.js';

const SEED = 0x5eed_2024;
const params = (numRuns: number) => ({ seed: SEED, numRuns });

/** [lo, hi, parts] with lo possibly negative, hi >= lo, and parts sometimes > hi - lo. */
const smallArgs = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 64 }))
  .map(([lo, length, parts]) => [lo, lo + length, parts] as const);

/** Large ranges (near the safe-integer limits) with few parts, checked without enumeration. */
const largeArgs = fc
  .tuple(
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 1, max: 200 }),
  )
  .filter(([lo, length]) => Number.isSafeInteger(lo + length))
  .map(([lo, length, parts]) => [lo, lo + length, parts] as const);

/**
 * The structural properties, checked on sizes and endpoints (no enumeration of the integers). Each
 * range's checks collect what fails and one expect asserts the list empty (an expect per check of
 * each range, over the file's runs, was most of its CPU time).
 */
function checkStructure(lo: number, hi: number, parts: number, ranges: Array<[number, number]>): void {
  expect(ranges).toHaveLength(parts);
  expect(ranges[0]![0]).toBe(lo);
  expect(ranges[parts - 1]![1]).toBe(hi);
  const length = hi - lo;
  const small = Math.floor(length / parts);
  const wrong: string[] = [];
  for (let i = 0; i < parts; i++) {
    const [start, stop] = ranges[i]!;
    const size = stop - start;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(stop)) wrong.push(`range ${i} [${start}, ${stop}): not safe integers`);
    if (stop < start) wrong.push(`range ${i} [${start}, ${stop}): stop before start`);
    if (i > 0 && start !== ranges[i - 1]![1]) wrong.push(`range ${i} [${start}, ${stop}): does not start where range ${i - 1} stops`);
    // sizes: (length % parts) ranges of small + 1, then the rest of size small; non-increasing
    if (size !== small + (i < length % parts ? 1 : 0)) wrong.push(`range ${i} [${start}, ${stop}): size ${size}, not ${small + (i < length % parts ? 1 : 0)}`);
    if (i > 0 && size > ranges[i - 1]![1] - ranges[i - 1]![0]) wrong.push(`range ${i} [${start}, ${stop}): larger than range ${i - 1}`);
  }
  expect(wrong, `divideRange(${lo}, ${hi}, ${parts})`).toEqual([]);
  const sizes = ranges.map(([start, stop]) => stop - start);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
}

describe('divideRange: properties', () => {
  it('gives exactly `parts` consecutive balanced ranges from lo to hi (small ranges)', () => {
    fc.assert(fc.property(smallArgs, ([lo, hi, parts]) => {
      checkStructure(lo, hi, parts, divideRange(lo, hi, parts));
    }), params(500));
  });

  it('covers every integer of [lo, hi) exactly once, and nothing else', () => {
    fc.assert(fc.property(smallArgs, ([lo, hi, parts]) => {
      const seen = new Map<number, number>();
      for (const [start, stop] of divideRange(lo, hi, parts)) {
        for (let k = start; k < stop; k++) seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      expect(seen.size).toBe(hi - lo);
      const notOnce: number[] = [];
      for (let k = lo; k < hi; k++) if (seen.get(k) !== 1) notOnce.push(k);
      expect(notOnce, 'integers of [lo, hi) not covered exactly once').toEqual([]);
    }), params(300));
  });

  it('holds for huge ranges near the safe-integer limits', () => {
    fc.assert(fc.property(largeArgs, ([lo, hi, parts]) => {
      checkStructure(lo, hi, parts, divideRange(lo, hi, parts));
    }), params(300));
  });

  it('ends with empty ranges when parts > hi - lo', () => {
    fc.assert(fc.property(
      fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 30 }),
      (lo, length, more) => {
        const hi = lo + length, parts = length + more;
        const ranges = divideRange(lo, hi, parts);
        checkStructure(lo, hi, parts, ranges);
        // the first `length` ranges hold one integer each, in order; the rest are [hi, hi)
        expect(ranges.slice(0, length)).toEqual(Array.from({ length }, (_, i) => [lo + i, lo + i + 1]));
        expect(ranges.slice(length)).toEqual(Array.from({ length: parts - length }, () => [hi, hi]));
      },
    ), params(200));
  });

  it('lo === hi gives `parts` empty ranges at lo', () => {
    fc.assert(fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 20 }), (lo, parts) => {
      expect(divideRange(lo, lo, parts)).toEqual(Array.from({ length: parts }, () => [lo, lo]));
    }), params(100));
  });

  it('parts = 1 gives the whole range', () => {
    fc.assert(fc.property(largeArgs, ([lo, hi]) => {
      expect(divideRange(lo, hi, 1)).toEqual([[lo, hi]]);
    }), params(100));
  });
});

describe('divideRange: examples', () => {
  it("splits the reference article's range [2, 1000001) into 4", () => {
    expect(divideRange(2, 1000001, 4)).toEqual([
      [2, 250002], [250002, 500002], [500002, 750002], [750002, 1000001],
    ]);
  });

  it('puts the larger ranges first', () => {
    expect(divideRange(0, 10, 4)).toEqual([[0, 3], [3, 6], [6, 8], [8, 10]]);
    expect(divideRange(0, 3, 5)).toEqual([[0, 1], [1, 2], [2, 3], [3, 3], [3, 3]]);
    expect(divideRange(-7, -1, 4)).toEqual([[-7, -5], [-5, -3], [-3, -2], [-2, -1]]);
    expect(divideRange(5, 5, 1)).toEqual([[5, 5]]);
  });
});

describe('divideRange: errors', () => {
  const expectArgumentError = (f: () => unknown, name: string): void => {
    let error: unknown;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain('divideRange');
    expect((error as Error).message).toContain(`'${name}'`);
  };
  const bad: unknown[] = [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 53), '1', null, undefined, 1n];

  it.each(bad.map((v) => [v]))('rejects lo = %s', (lo) => {
    expectArgumentError(() => divideRange(lo as number, 10, 2), 'lo');
  });

  it.each(bad.map((v) => [v]))('rejects hi = %s', (hi) => {
    expectArgumentError(() => divideRange(0, hi as number, 2), 'hi');
  });

  it('rejects hi < lo', () => {
    expectArgumentError(() => divideRange(5, 4, 2), 'hi');
    expectArgumentError(() => divideRange(0, -1, 1), 'hi');
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (lo, d) => {
      expectArgumentError(() => divideRange(lo, lo - d, 3), 'hi');
    }), params(50));
  });

  it('rejects a range whose length is not a safe integer', () => {
    expectArgumentError(() => divideRange(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 2), 'lo');
    expectArgumentError(() => divideRange(-1, Number.MAX_SAFE_INTEGER, 2), 'hi');
  });

  it.each([[0], [-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53], ['2'], [null]])('rejects parts = %s', (parts) => {
    expectArgumentError(() => divideRange(0, 10, parts as number), 'parts');
  });
});
