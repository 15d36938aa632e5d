/**
 * The addon's argExtremum (src/native/shared_ndarray_native.cc), which reduce.ts's argExtremum
 * hands contiguous float64 runs of 256 and more: at each vector width (AVX-512F's 8 lanes, AVX2's
 * 4, SSE2's 2, as far as this CPU runs them) it gives numpy's argmax/argmin answer (the first NaN
 * if there is one, else the first of the largest or smallest, -0 and +0 tied) for any length
 * (across its blocks of 8 to 32 and their tails), with ties, NaNs and infinities anywhere; it
 * refuses runs outside the array and bad arguments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nativeArgExtremum } from '../../../src/native/addon.js';

const native = nativeArgExtremum();

/** numpy's answer, written plainly: the first NaN, else the first index of the extremum. */
function model(x: Float64Array, off: number, n: number, sign: 1 | -1): number {
  for (let i = 0; i < n; i++) if (Number.isNaN(x[off + i]!)) return i;
  let at = 0;
  for (let i = 1; i < n; i++) if (sign === 1 ? x[off + i]! > x[off + at]! : x[off + i]! < x[off + at]!) at = i;
  return at;
}

// few distinct values, so that ties and late winners are common
const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 2, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 5e-324, -Number.MAX_VALUE) },
);

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the addon\'s argExtremum', () => {
  it('loads here', () => {
    expect(native).toBeTypeOf('function');
  });
});

describe.runIf(native !== undefined)('the addon\'s argExtremum', () => {
  for (const widest of [8, 4, 2]) {
    it(`gives numpy's argmax and argmin with at most ${widest} lanes`, () => {
      const run = fc.record({
        pool: fc.array(value, { minLength: 1, maxLength: 12 }),
        n: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 250, max: 700 })),
        pad: fc.nat(9),
        seed: fc.nat(),
        // a planted value late in the run: a new extremum or a NaN past many blocks
        plant: fc.option(fc.tuple(fc.nat(), fc.constantFrom(Number.NaN, 1e9, -1e9, Infinity, -Infinity))),
      });
      fc.assert(fc.property(run, fc.constantFrom(1 as const, -1 as const), ({ pool, n, pad, seed, plant }, sign) => {
        const x = new Float64Array(pad + n + 3).fill(Number.NaN);
        for (let i = 0; i < n; i++) x[pad + i] = pool[(seed + i * 7919) % pool.length]!;
        if (plant !== null) x[pad + (plant[0] % n)] = plant[1];
        return native!(x, pad, n, sign, widest) === model(x, pad, n, sign);
      }), { seed: 0xa7a2_2026, numRuns: 400, endOnFailure: true });
    });
  }

  it('refuses runs outside the array and bad arguments', () => {
    const x = new Float64Array(8);
    expect(() => native!(x, 0, 9, 1)).toThrow(RangeError);
    expect(() => native!(x, 5, 4, -1)).toThrow(RangeError);
    expect(() => native!(x, 0, 0, 1)).toThrow(RangeError);
    expect(() => native!(x, 0, 4, 2 as never)).toThrow(TypeError);
    expect(() => native!(new Float32Array(8) as never, 0, 4, 1)).toThrow(TypeError);
    x[6] = 3;
    expect(native!(x, 4, 4, 1)).toBe(2);
    expect(native!(x, 0, 8, -1)).toBe(0);
  });
});
