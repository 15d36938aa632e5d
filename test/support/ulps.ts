/** Distances in units in the last place, for the math kernels' property tests. */
import fc from 'fast-check';

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
