/**
 * Property tests of the sieve's inner loops against an independent reference written here: a
 * plain boolean sieve for lists of small primes, the same sieve of one window for a segment's
 * flags, and trial division (by 2 and the odd numbers, isPrime) where a test checks a few numbers. The kernels are exercised at random offsets inside larger buffers, and every
 * byte outside the range they were given must be left untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrime, params } from '../support/assert.js';
import { isqrt } from '../support/primes.js';
import { basePrimes, collectPrimes, countOnes, sieveSegment } from '../../src/sieve/kernel.js';

// ============================================================================================
// Reference
// ============================================================================================

/** The primes <= REF_LIMIT by a plain boolean sieve (enough for segments up to about 2^40 + 2^20). */
const REF_LIMIT = 1_100_000;
const REF_PRIMES: readonly number[] = (() => {
  const composite: boolean[] = new Array<boolean>(REF_LIMIT + 1).fill(false);
  const out: number[] = [];
  for (let i = 2; i <= REF_LIMIT; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j <= REF_LIMIT; j += i) composite[j] = true;
  }
  return out;
})();

/** REF_PRIMES as the Int32Array the kernels take, made once: a copy per case was most of a case's time. */
const REF_INT32 = Int32Array.from(REF_PRIMES);

/** How many reference primes are <= limit (a binary search). */
function piOf(limit: number): number {
  let lo = 0;
  let hi = REF_INT32.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (REF_INT32[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The reference primes <= limit, as the Int32Array the kernels take: a copy, as the kernels only
 * read it (a filter of all 86k reference primes per case was 1.3 CPU s of this file).
 */
function primesUpTo(limit: number): Int32Array {
  if (limit > REF_LIMIT) throw new Error(`test: reference primes only go to ${REF_LIMIT}`);
  return REF_INT32.slice(0, piOf(limit));
}

/**
 * The prime flags (1 for a prime <= n) of [lo, lo + length), by crossing off the multiples of
 * each reference prime up to the square root of the window's last number, from its square on: a
 * plain sieve of the window alone (to REF_LIMIT², past 2^40). Trial division of each number was
 * the reference before, 0.3 CPU s of this file: near 2^40 each prime took every one of the 82k
 * reference primes, each a floating-point remainder.
 */
function primeFlags(lo: number, length: number, n: number): Uint8Array {
  const flags = new Uint8Array(length);
  const last = Math.min(n, lo + length - 1);
  if (last < lo) return flags;
  flags.fill(1, 0, last - lo + 1);
  for (let k = lo; k < 2 && k <= last; k++) flags[k - lo] = 0;
  const root = isqrt(last);
  if (root > REF_LIMIT) throw new Error(`test: reference primes only reach ${REF_LIMIT}², not ${last}`);
  for (const p of REF_INT32) {
    if (p > root) break;
    for (let m = Math.max(p * p, lo + ((p - (lo % p)) % p)); m <= last; m += p) flags[m - lo] = 0;
  }
  return flags;
}

/** The index of the first byte of `bytes` other than `value`, or -1. */
const firstOther = (bytes: Uint8Array, value: number): number => bytes.findIndex((b) => b !== value);

const SENTINEL = 0xa5;

// ============================================================================================
// sieveSegment
// ============================================================================================

interface SegmentCase {
  lo: number;
  length: number;
  at: number;
  after: number;
  /** n relative to the segment: an offset from lo (may cut the segment or lie outside it), or 'max'. */
  n: number;
  /** Pass exactly the primes up to sqrt(min(n, last)), or the whole reference list (extra primes). */
  extraPrimes: boolean;
}

function segmentCase(lo: fc.Arbitrary<number>, length: fc.Arbitrary<number>): fc.Arbitrary<SegmentCase> {
  return fc.record({
    lo,
    length,
    at: fc.integer({ min: 0, max: 70 }),
    after: fc.integer({ min: 0, max: 70 }),
    nOffset: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: -10, max: 4000 })),
    extraPrimes: fc.boolean(),
  }).map(({ lo: l, length: len, at, after, nOffset, extraPrimes }) => ({
    lo: l, length: len, at, after, extraPrimes,
    n: nOffset === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : Math.max(0, l + nOffset),
  }));
}

function checkSegment({ lo, length, at, after, n, extraPrimes }: SegmentCase): void {
  const flags = new Uint8Array(at + length + after).fill(SENTINEL);
  const last = Math.min(n, lo + length - 1);
  const primes = extraPrimes ? REF_INT32.slice() : primesUpTo(last < 0 ? 0 : isqrt(last));
  sieveSegment(flags, at, length, lo, n, primes);
  // an expect per byte only where one is wrong (an expect per byte was a third of this file's time)
  const before = firstOther(flags.subarray(0, at), SENTINEL);
  if (before !== -1) expect(flags[before], `byte ${before} before the segment`).toBe(SENTINEL);
  const past = firstOther(flags.subarray(at + length), SENTINEL);
  if (past !== -1) expect(flags[at + length + past], `byte ${at + length + past} after the segment`).toBe(SENTINEL);
  const got = flags.subarray(at, at + length);
  const want = primeFlags(lo, length, n);
  // the arrays compared element by element only where they differ (70k-element arrays take a deep-equal 10 ms)
  if (!Buffer.from(got.buffer, got.byteOffset, got.length).equals(want)) expect(Array.from(got)).toEqual(Array.from(want));
}

describe('the reference', () => {
  it('window sieve agrees with trial division: windows at the start, cut by n, and near 2^40', () => {
    const wrong: string[] = [];
    for (const [lo, length, n] of [[0, 400, 1000], [1, 50, 30], [2, 10, 2], [5, 20, 4], [9_973, 300, 10_200], [2 ** 40 - 61, 80, 2 ** 40 + 10]] as const) {
      const flags = primeFlags(lo, length, n);
      for (let i = 0; i < length; i++) if (flags[i] !== (lo + i <= n && isPrime(lo + i) ? 1 : 0)) wrong.push(`${lo + i} (window ${lo}, n ${n})`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('sieveSegment', () => {
  it('flags the primes <= n of [lo, lo + length), at an offset inside a larger buffer (small lo)', () => {
    fc.assert(fc.property(
      segmentCase(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 2000 })),
      checkSegment,
    ), params(150));
  });

  it('handles segments starting at 0, 1, 2 or 3', () => {
    fc.assert(fc.property(
      segmentCase(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 300 })),
      checkSegment,
    ), params(200));
  });

  it('handles every short segment at the very start exhaustively', () => {
    for (let lo = 0; lo <= 5; lo++) {
      for (let length = 0; length <= 12; length++) {
        for (let n = 0; n <= 16; n++) checkSegment({ lo, length, at: 3, after: 3, n, extraPrimes: false });
      }
    }
  });

  it('handles lo near 2^40 with a short segment', () => {
    fc.assert(fc.property(
      segmentCase(fc.integer({ min: 2 ** 40 - 5000, max: 2 ** 40 + 5000 }), fc.integer({ min: 0, max: 80 })),
      checkSegment,
    ), params(40));
  });

  it('handles large segments (more than one doubling of the parity pattern per power of two)', () => {
    fc.assert(fc.property(
      segmentCase(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 20_000, max: 70_000 })),
      checkSegment,
    ), params(8));
  });

  it('writes nothing for length 0, and only zeros when n < lo', () => {
    const flags = new Uint8Array(16).fill(SENTINEL);
    sieveSegment(flags, 4, 0, 7, 100, primesUpTo(10));
    expect(Array.from(flags)).toEqual(new Array<number>(16).fill(SENTINEL));
    sieveSegment(flags, 4, 8, 11, 10, primesUpTo(10));
    expect(Array.from(flags)).toEqual([...new Array<number>(4).fill(SENTINEL), ...new Array<number>(8).fill(0), ...new Array<number>(4).fill(SENTINEL)]);
  });

  it('sieving [0, 100] in one segment gives the 25 primes below 100', () => {
    const flags = new Uint8Array(101);
    sieveSegment(flags, 0, 101, 0, 100, primesUpTo(10));
    const found = [...flags.keys()].filter((k) => flags[k] === 1);
    expect(found).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]);
  });

  it('works on a SharedArrayBuffer-backed subarray with an odd byteOffset', () => {
    const whole = new Uint8Array(new SharedArrayBuffer(1000)).fill(SENTINEL);
    const view = whole.subarray(13, 913);
    sieveSegment(view, 7, 800, 12_345, 12_900, primesUpTo(isqrt(12_900)));
    for (let i = 0; i < 20; i++) expect(whole[i]).toBe(SENTINEL);
    for (let i = 820; i < 1000; i++) expect(whole[i]).toBe(SENTINEL);
    for (let i = 0; i < 800; i++) expect(view[7 + i]).toBe(12_345 + i <= 12_900 && isPrime(12_345 + i) ? 1 : 0);
  });
});

// ============================================================================================
// countOnes
// ============================================================================================

describe('countOnes', () => {
  /** A buffer of random 0/1 bytes, viewed from `byteOffset`, counted over [at, at + length). */
  const countCase = fc.record({
    bits: fc.uint8Array({ min: 0, max: 1, minLength: 0, maxLength: 300 }),
    byteOffset: fc.integer({ min: 0, max: 11 }),
    shared: fc.boolean(),
    atFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    lengthFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('matches a naive sum for random byteOffsets, starts and lengths (odd alignments included)', () => {
    fc.assert(fc.property(countCase, ({ bits, byteOffset, shared, atFrac, lengthFrac }) => {
      const buffer = shared ? new SharedArrayBuffer(byteOffset + bits.length + 5) : new ArrayBuffer(byteOffset + bits.length + 5);
      const whole = new Uint8Array(buffer);
      // ones outside the view must not be counted
      whole.fill(1);
      const flags = new Uint8Array(buffer, byteOffset, bits.length);
      flags.set(bits);
      const at = Math.floor(atFrac * bits.length);
      const length = Math.floor(lengthFrac * (bits.length - at));
      let want = 0;
      for (let i = at; i < at + length; i++) want += bits[i]!;
      expect(countOnes(flags, at, length)).toBe(want);
    }), params(500));
  });

  it('counts all-ones and all-zeros runs of every length 0..40 at every alignment 0..7', () => {
    const buffer = new ArrayBuffer(64);
    for (let offset = 0; offset < 8; offset++) {
      for (let length = 0; length <= 40; length++) {
        const flags = new Uint8Array(buffer, offset, 48);
        flags.fill(1);
        expect(countOnes(flags, 0, length)).toBe(length);
        expect(countOnes(flags, 3, length)).toBe(length);
        flags.fill(0);
        expect(countOnes(flags, 1, length)).toBe(0);
      }
    }
  });

  it('works on a subarray with an odd byteOffset', () => {
    const whole = new Uint8Array(101).fill(1);
    const view = whole.subarray(1, 100);
    expect(view.byteOffset).toBe(1);
    expect(countOnes(view, 0, 99)).toBe(99);
    expect(countOnes(view, 2, 50)).toBe(50);
    view.fill(0, 10, 20);
    expect(countOnes(view, 0, 99)).toBe(89);
  });

  it('counts a large segment', () => {
    const flags = new Uint8Array(1 << 18);
    for (let i = 0; i < flags.length; i += 3) flags[i] = 1;
    expect(countOnes(flags, 0, flags.length)).toBe(Math.ceil(flags.length / 3));
    expect(countOnes(flags.subarray(5), 0, flags.length - 5)).toBe(Math.ceil(flags.length / 3) - 2);
  });
});

// ============================================================================================
// collectPrimes
// ============================================================================================

describe('collectPrimes', () => {
  it('writes lo + i for every set flag, in order, from offset, and returns the next offset', () => {
    fc.assert(fc.property(
      fc.uint8Array({ min: 0, max: 1, minLength: 0, maxLength: 200 }),
      fc.integer({ min: 0, max: 10 }),
      fc.integer({ min: 0, max: 10 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 5 }),
      fc.boolean(),
      (bits, before, offset, lo, slack, float) => {
        const flags = new Uint8Array(before + bits.length + 3).fill(1);
        flags.set(bits, before);
        const want = [...bits.keys()].filter((i) => bits[i] === 1).map((i) => lo + i);
        const out = float ? new Float64Array(offset + want.length + slack).fill(-1) : new Int32Array(offset + want.length + slack).fill(-1);
        const next = collectPrimes(flags, before, bits.length, lo, out, offset);
        expect(next).toBe(offset + want.length);
        expect(Array.from(out.subarray(0, offset))).toEqual(new Array<number>(offset).fill(-1));
        expect(Array.from(out.subarray(offset, next))).toEqual(want);
        expect(Array.from(out.subarray(next))).toEqual(new Array<number>(slack).fill(-1));
      },
    ), params(300));
  });

  it('collects the primes of a sieved segment, exactly, into a float64 array beyond 2^31', () => {
    const lo = 2 ** 33 + 1;
    const flags = new Uint8Array(200);
    sieveSegment(flags, 0, 200, lo, Number.MAX_SAFE_INTEGER, primesUpTo(isqrt(lo + 199)));
    const out = new Float64Array(200);
    const next = collectPrimes(flags, 0, 200, lo, out, 0);
    const want = Array.from({ length: 200 }, (_, i) => lo + i).filter(isPrime);
    expect(Array.from(out.subarray(0, next))).toEqual(want);
  });
});

// ============================================================================================
// basePrimes
// ============================================================================================

describe('basePrimes', () => {
  it('gives the primes <= limit, ascending, as an Int32Array, for every limit 0..2000', () => {
    const small = REF_PRIMES.filter((p) => p <= 2000);
    for (let limit = 0; limit <= 2000; limit++) {
      const got = basePrimes(limit);
      expect(got).toBeInstanceOf(Int32Array);
      const want = small.filter((p) => p <= limit);
      if (got.length !== want.length || got.some((p, i) => p !== want[i])) {
        expect(Array.from(got), `basePrimes(${limit})`).toEqual(want);
      }
    }
  });

  it('agrees with trial division', () => {
    const got = Array.from(basePrimes(3000));
    expect(got).toEqual(Array.from({ length: 3001 }, (_, k) => k).filter(isPrime));
  });

  it('gives the 82025 primes below 2^20 (enough for any segment below 2^40)', () => {
    const got = basePrimes(2 ** 20);
    expect(got.length).toBe(82025);
    expect(Array.from(got)).toEqual(REF_PRIMES.filter((p) => p <= 2 ** 20));
  });

  it('gives nothing for limits below 2 (including negative ones)', () => {
    expect(basePrimes(-5).length).toBe(0);
    expect(basePrimes(0).length).toBe(0);
    expect(basePrimes(1).length).toBe(0);
  });
});
