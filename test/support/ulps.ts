/** Distances in units in the last place, and run checks, for the math kernels' property tests. */
import fc from 'fast-check';
import { expect } from 'vitest';

const pair = new Float64Array(2);
const bits = new BigInt64Array(pair.buffer);
/** Doubles' bits as a signed scale on which neighbouring doubles differ by one, across zero too. */
const key = (x: bigint): bigint => (x < 0n ? -(2n ** 63n) - x : x);

/** Units in the last place between two doubles (Infinity if one is NaN). */
export function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  pair[0] = a;
  pair[1] = b;
  const d = key(bits[0]!) - key(bits[1]!);
  return Number(d < 0n ? -d : d);
}

/** k pi/2 moved by up to 64 ULPs: where the argument reduction of sin and cos cancels. */
export const nearPole = fc.tuple(fc.integer({ min: -500_000, max: 500_000 }), fc.integer({ min: -64, max: 64 })).map(([k, steps]) => {
  pair[0] = (k * Math.PI) / 2;
  bits[0]! += BigInt(steps);
  return pair[0]!;
});

/**
 * Fails, naming the first, when an element of `output` outside the run of `n` elements from
 * `first` at `stride` is no longer `sentinel` (what the caller filled the output with). One pass
 * and no expect() per element: an expect() costs tens of microseconds, and the property tests
 * check hundreds of thousands of elements this way.
 */
export function expectOnlyRunWritten(output: ArrayLike<number>, first: number, stride: number, n: number, sentinel: number): void {
  const written = new Set(Array.from({ length: n }, (_, j) => first + j * stride));
  for (let k = 0; k < output.length; k++) {
    if (!written.has(k) && !Object.is(output[k], sentinel)) expect.fail(`output[${k}] is not in the run, but holds ${output[k]} instead of ${sentinel}`);
  }
}
