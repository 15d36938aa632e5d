/**
 * The mod-30 wheel kernels against references written here: which bits a window's crossing must
 * clear (every p·q with p a sieving prime and q from the turn holding p²), trial division for
 * the pre-sieve pattern, a plain byte sieve for prime counts; and the WebAssembly kernel against
 * the TypeScript one, byte for byte and state for state, over the same memory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrime, params } from '../support/assert.js';
import { isqrt, referencePi } from '../support/primes.js';
import { basePrimes } from '../../src/sieve/kernel.js';
import {
  countBits, fillPattern, FIRST_SIEVING_PRIME, groupPeriod, PATTERN_PERIOD, PRESIEVE_GROUPS, PRESIEVE_SOURCES, PRESIEVE_STEP, PRESIEVED_PRIMES, RESIDUES,
  WHEEL_TABLE, wheelStart,
} from '../../src/sieve/wheel.js';
import {
  claimSegments, firstSievingIndex, jsWheelKernel, WheelCounter, wheelExcluded, wheelLayout, wheelSegments, type WheelKernel,
} from '../../src/sieve/wheel-count.js';
import { sharedWasmMemory, wasmAvailable, wasmWheelKernel } from '../../src/sieve/wheel-wasm.js';

// ============================================================================================
// Reference
// ============================================================================================

/** Every prime up to 2^20 (enough to sieve windows below 2^40). */
const PRIMES = basePrimes(1 << 20);
const SIEVING = PRIMES.subarray(firstSievingIndex(PRIMES));

/** The sieving primes up to `limit`. */
function sievingUpTo(limit: number): Int32Array {
  let count = 0;
  while (count < SIEVING.length && SIEVING[count]! <= limit) count++;
  return SIEVING.slice(0, count);
}

const numberAt = (byte: number, bit: number): number => 30 * byte + RESIDUES[bit]!;

/** Whether crossing `primes` clears x: some p of them divides x with x / p in or after the turn holding p². */
function crossedBy(x: number, primes: Int32Array): boolean {
  for (const p of primes) {
    if (p * (30 * Math.floor(p / 30) + 1) > x) break;
    if (x % p === 0 && x / p >= 30 * Math.floor(p / 30) + 1) return true;
  }
  return false;
}

/**
 * The crossing rule as flags over [start, stop) of the number line, by marking: for each p, its
 * multiples p·q from the turn holding p² on (q >= 30 floor(p / 30) + 1). The same rule as
 * crossedBy, which tries every prime for each number, a hundred times the work on these windows.
 */
function crossedFlags(primes: Int32Array, start: number, stop: number): Uint8Array {
  const crossed = new Uint8Array(stop - start);
  for (const p of primes) {
    const first = p * Math.max(30 * Math.floor(p / 30) + 1, Math.ceil(start / p));
    for (let m = first; m < stop; m += p) crossed[m - start] = 1;
  }
  return crossed;
}

/** The index of the first byte of `bytes` other than `value`, or -1. */
const firstOther = (bytes: Uint8Array, value: number): number => bytes.findIndex((b) => b !== value);

/** The primes in [lo, hi], lo > 5, by marking the multiples of every prime up to isqrt(hi). */
function primesBetween(lo: number, hi: number): number {
  const composite = new Uint8Array(hi - lo + 1);
  for (const p of PRIMES) {
    if (p * p > hi) break;
    for (let m = Math.max(p * p, Math.ceil(lo / p) * p); m <= hi; m += p) composite[m - lo] = 1;
  }
  return composite.reduce((count, c) => count + 1 - c, 0);
}

function kernels(bytes: number): Array<[string, WheelKernel]> {
  const list: Array<[string, WheelKernel]> = [['js', jsWheelKernel(new SharedArrayBuffer(Math.ceil(bytes / 8) * 8))]];
  if (wasmAvailable()) list.push(['wasm', wasmWheelKernel(sharedWasmMemory(bytes))]);
  return list;
}

// ============================================================================================
// Tables and the pattern
// ============================================================================================

describe('wheel table and pre-sieve patterns', () => {
  it('the groups are the primes from 19 on, each pattern clearing exactly its primes\' multiples', () => {
    expect(PRESIEVE_GROUPS.flat()).toEqual(Array.from(SIEVING.subarray(0, PRESIEVE_GROUPS.flat().length)));
    // the WebAssembly pre-sieve moves an offset on by PRESIEVE_STEP with one wrap at most
    expect(Math.min(PATTERN_PERIOD, ...PRESIEVE_GROUPS.map(groupPeriod))).toBeGreaterThanOrEqual(PRESIEVE_STEP);
    for (const group of PRESIEVE_GROUPS) {
      const period = groupPeriod(group);
      const out = new Uint8Array(period);
      fillPattern(out, 0, period, group);
      // every bit compared, one expect per group: an expect per bit was 90k of them, a CPU second
      const wrong: number[] = [];
      for (let b = 0; b < period; b += b < 300 ? 1 : 37) {
        for (let bit = 0; bit < 8; bit++) {
          const x = numberAt(b, bit);
          if (((out[b]! >> bit) & 1) !== (group.every((p) => x % p !== 0) ? 1 : 0)) wrong.push(x);
        }
      }
      expect(wrong, `numbers whose bit is wrong, group ${group.join('·')}`).toEqual([]);
    }
  });

  it('the table gives, for p = 30k + r, the byte and bit of each multiple of a turn', () => {
    for (const p of [7, 11, 13, 17, 19, 23, 29, 31, 37, 97, 1009, 32749]) {
      const k = Math.floor(p / 30);
      const a = WHEEL_TABLE[128 + (p % 30)]!;
      expect(RESIDUES[a]).toBe(p % 30);
      for (let j = 0; j < 3; j++) {
        RESIDUES.forEach((w, i) => {
          const multiple = p * (30 * j + w);
          expect(p * j + k * w + WHEEL_TABLE[8 * a + i]!).toBe(Math.floor(multiple / 30));
          const bit = RESIDUES.indexOf(multiple % 30);
          expect(WHEEL_TABLE[64 + 8 * a + i]).toBe(~(1 << bit) & 0xff);
        });
      }
    }
  });

  it('the pattern clears exactly the multiples of 7, 11, 13 and 17, at any offset and length', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 * PATTERN_PERIOD + 100 }), (at, length) => {
      const out = new Uint8Array(at + length + 8).fill(0x5a);
      fillPattern(out, at, length);
      for (let i = 0; i < at; i++) expect(out[i]).toBe(0x5a);
      for (let i = at + length; i < out.length; i++) expect(out[i]).toBe(0x5a);
      // every byte of the first period, and samples after it
      const check = (b: number): void => {
        for (let bit = 0; bit < 8; bit++) {
          const x = numberAt(b, bit);
          const want = PRESIEVED_PRIMES.every((p) => x % p !== 0) ? 1 : 0;
          if (((out[at + b]! >> bit) & 1) !== want) expect(`bit of ${x}: ${(out[at + b]! >> bit) & 1}`).toBe(`bit of ${x}: ${want}`);
        }
      };
      for (let b = 0; b < Math.min(length, PATTERN_PERIOD); b++) check(b);
      for (let b = PATTERN_PERIOD; b < length; b += 97) check(b);
    }), params(12));
  });
});

// ============================================================================================
// crossWheel and wheelStart
// ============================================================================================

interface WindowCase {
  lo: number;
  length: number;
  /** Cut points inside the window: crossing piece by piece must give the same bytes and states. */
  cuts: number[];
}

const windowCase = (lo: fc.Arbitrary<number>, maxLength: number): fc.Arbitrary<WindowCase> => fc.record({
  lo,
  length: fc.integer({ min: 0, max: maxLength }),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
}).map(({ lo, length, cuts }) => ({ lo, length, cuts: [...new Set(cuts.map((c) => Math.floor(c * length)))].sort((a, b) => a - b) }));

/**
 * Crosses `primes` off window [lo, lo + length) of bytes (of 30 numbers each) in `kernel`, in
 * pieces; checks bits and final states against the crossing rule (crossedFlags).
 */
function checkWindow(kernel: WheelKernel, { lo, length, cuts }: WindowCase, primes: Int32Array): void {
  const { u8, i32 } = kernel;
  const at = 64 + (lo % 8);
  const primesAt = 64 * Math.ceil((at + length + 72) / 64);
  const statesAt = primesAt + 4 * primes.length;
  u8.fill(0x33, 0, at);
  u8.fill(0xff, at, at + length);
  u8.fill(0x33, at + length, primesAt);
  i32.set(primes, primesAt >> 2);
  for (let j = 0; j < primes.length; j++) i32[(statesAt >> 2) + j] = wheelStart(primes[j]!, lo);
  let from = 0;
  for (const cut of [...cuts, length]) {
    // the spare bytes after the states, which nothing checks
    kernel.cross(at + from, cut - from, primesAt, statesAt, 0, primes.length, statesAt + 4 * primes.length);
    from = cut;
  }
  // an expect per byte only where one is wrong
  const before = firstOther(u8.subarray(0, at), 0x33);
  if (before !== -1) expect(u8[before], `byte ${before} before the window`).toBe(0x33);
  const past = firstOther(u8.subarray(at + length, primesAt), 0x33);
  if (past !== -1) expect(u8[at + length + past], `byte ${at + length + past} after the window`).toBe(0x33);
  const crossed = crossedFlags(primes, 30 * lo, 30 * (lo + length));
  for (let b = 0; b < length; b++) {
    for (let bit = 0; bit < 8; bit++) {
      const x = numberAt(lo + b, bit);
      const want = crossed[x - 30 * lo] === 1 ? 0 : 1;
      if (((u8[at + b]! >> bit) & 1) !== want) expect(`bit of ${x}: ${(u8[at + b]! >> bit) & 1}`).toBe(`bit of ${x}: ${want}`);
    }
  }
  // each state now is where a window starting at lo + length would start
  const states = Array.from(i32.subarray(statesAt >> 2, (statesAt >> 2) + primes.length));
  expect(states, 'the state of each prime').toEqual(Array.from(primes, (p) => wheelStart(p, lo + length)));
  expect(Array.from(i32.subarray(primesAt >> 2, (primesAt >> 2) + primes.length))).toEqual(Array.from(primes));
}

describe('crossWheel (TypeScript and WebAssembly)', () => {
  for (const [name, kernel] of kernels(1 << 21)) {
    describe(name, () => {
      it('clears every p·q from the turn of p² on, in windows near the start of the number line', () => {
        fc.assert(fc.property(windowCase(fc.integer({ min: 0, max: 3000 }), 3000), (c) => {
          checkWindow(kernel, c, sievingUpTo(isqrt(30 * (c.lo + c.length) + 30)));
        }), params(60));
      });

      it('with primes that join late and windows far from 0 (up to 2^40)', () => {
        fc.assert(fc.property(windowCase(fc.integer({ min: 0, max: 2 ** 35 }), 600), (c) => {
          checkWindow(kernel, c, sievingUpTo(Math.min(isqrt(30 * (c.lo + c.length) + 30), 1500)));
        }), params(40));
      });

      it('with primes larger than the window (turns that span several windows)', () => {
        fc.assert(fc.property(windowCase(fc.integer({ min: 2 ** 30, max: 2 ** 34 }), 200), (c) => {
          checkWindow(kernel, c, sievingUpTo(20_000).subarray(-400));
        }), params(30));
      });

      it('a whole 256 KiB segment with every prime up to 2^16', () => {
        checkWindow(kernel, { lo: 5_000_000, length: 1 << 18, cuts: [1 << 15, 3 << 15] }, sievingUpTo(1 << 16));
      });

      it('counts set bits in 8-byte words', () => {
        fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.integer({ min: 0, max: 5 }), (bytes, word) => {
          const length = Math.floor(bytes.length / 8) * 8;
          const at = 8 * word;
          kernel.u8.fill(0xff, 0, at + length + 16);
          kernel.u8.set(bytes.subarray(0, length), at);
          let want = 0;
          for (let i = 0; i < length; i++) for (let b = bytes[i]!; b > 0; b >>= 1) want += b & 1;
          expect(kernel.count(at, length)).toBe(want);
        }), params(100));
      });

      it('pre-sieves a window: the AND of the table\'s patterns from their offsets, across steps and wraps', () => {
        fc.assert(fc.property(
          fc.array(fc.uint8Array({ minLength: PRESIEVE_STEP, maxLength: 3000 }), { minLength: 1, maxLength: PRESIEVE_SOURCES }),
          fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: PRESIEVE_SOURCES, maxLength: PRESIEVE_SOURCES }),
          fc.integer({ min: 0, max: 2600 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 255 }),
          (patterns, picks, length, shift, fill) => {
            const table = 64;
            const at = 512 + shift;
            const slot = (r: number): number => 4096 * (r + 1);
            kernel.u8.fill(fill, 320, 4096);
            // each pattern followed by its first PRESIEVE_STEP bytes again, as WheelCounter lays them out
            patterns.forEach((pattern, r) => {
              for (let i = 0; i < pattern.length + PRESIEVE_STEP; i++) kernel.u8[slot(r) + i] = pattern[i % pattern.length]!;
            });
            // entry 0 is pattern 0, the others any pattern at any offset, or entry 0 again (as WheelCounter pads its table)
            const entries = picks.map(([x, o], j) => {
              const r = j === 0 ? 0 : x % patterns.length;
              return { r, offset: r === 0 && j > 0 ? picks[0]![1] % patterns[0]!.length : o % patterns[r]!.length };
            });
            entries.forEach(({ r, offset }, j) => {
              kernel.i32.set([slot(r), patterns[r]!.length, offset], (table >> 2) + 3 * j);
            });
            kernel.presieve(at, length, table);
            for (let i = 320; i < 4096; i++) {
              const want = i >= at && i < at + length
                ? entries.reduce((v, { r, offset }) => v & patterns[r]![(offset + i - at) % patterns[r]!.length]!, 0xff)
                : fill;
              if (kernel.u8[i] !== want) expect([i, kernel.u8[i]]).toEqual([i, want]);
            }
          },
        ), params(60));
      });

      it('pre-sieving any number of the groups gives the same counts as crossing those primes', () => {
        const n = 2_500_017;
        const want = referencePi([n], n).get(n);
        for (let groups = 0; groups <= PRESIEVE_GROUPS.length; groups += groups < 3 ? 1 : 5) {
          const primes = sievingUpTo(isqrt(n));
          const counter = new WheelCounter(kernel, 64, 1024, n, primes, { presieveGroups: groups });
          counter.start(0);
          let total = wheelExcluded(n);
          for (let s = 0; s < wheelSegments(n, 1024); s++) total += counter.next();
          expect(total, `${groups} groups`).toBe(want);
        }
      });
    });
  }

  it('the WebAssembly kernel writes the same bytes and states as the TypeScript one', () => {
    if (!wasmAvailable()) return;
    const js = jsWheelKernel(new SharedArrayBuffer(1 << 20));
    const wasm = wasmWheelKernel(sharedWasmMemory(1 << 20));
    fc.assert(fc.property(windowCase(fc.integer({ min: 0, max: 2 ** 36 }), 5000), fc.integer({ min: 0, max: 255 }), (c, fill) => {
      const primes = sievingUpTo(Math.min(isqrt(30 * (c.lo + c.length) + 30), 20_000));
      for (const k of [js, wasm]) {
        k.u8.fill(fill, 0, 8192);
        k.i32.set(primes, 8192 >> 2);
        for (let j = 0; j < primes.length; j++) k.i32[(8192 >> 2) + primes.length + j] = wheelStart(primes[j]!, c.lo);
        k.cross(64, c.length, 8192, 8192 + 4 * primes.length, 0, primes.length, 8192 + 8 * primes.length);
      }
      expect(Buffer.from(wasm.u8.subarray(0, 8192 + 8 * primes.length)).equals(Buffer.from(js.u8.subarray(0, 8192 + 8 * primes.length)))).toBe(true);
    }), params(60));
  });

  it('countBits over 32-bit words', () => {
    const words = Int32Array.from([0, -1, 1, 0x80000000 | 0, 0x55555555, 0x0f0f0f0f]);
    expect(countBits(words, 0, 6)).toBe(0 + 32 + 1 + 1 + 16 + 16);
    expect(countBits(words, 1, 2)).toBe(33);
    expect(countBits(words, 6, 0)).toBe(0);
  });

  it('wheelStart: the turn holding p² while lo is before it, else the first turn with a multiple at or after lo', () => {
    for (const p of [19, 23, 29, 31, 211, 1009]) {
      const k = Math.floor(p / 30);
      const lastOffset = (base: number): number => base + 29 * k + WHEEL_TABLE[8 * WHEEL_TABLE[128 + (p % 30)]! + 7]!;
      for (const lo of [0, 1, p * k - 1, p * k, p * k + 1, p * p, 12345, 2 ** 33 + 7]) {
        const base = wheelStart(p, lo);
        if (lo <= p * k) {
          expect(base).toBe(p * k - lo);
        } else {
          expect((base + lo) % p).toBe(0);
          expect(lastOffset(base)).toBeGreaterThanOrEqual(0);
          expect(lastOffset(base - p)).toBeLessThan(0);
        }
      }
    }
  });
});

// ============================================================================================
// WheelCounter
// ============================================================================================

describe('WheelCounter', () => {
  const LIMIT = 4_000_000;
  const SEGMENT = 64;

  /** pi(n) by a counter over every segment in order, on one kernel. */
  function count(kernel: WheelKernel, n: number, segmentBytes: number): number {
    const primes = sievingUpTo(isqrt(n));
    // expects only where a check fails: two a call were 14k of this file's 19k expects
    const bytes = wheelLayout(segmentBytes, primes.length).bytes;
    if (bytes > kernel.u8.length - 64) expect(bytes, `workspace of pi(${n})`).toBeLessThanOrEqual(kernel.u8.length - 64);
    const counter = new WheelCounter(kernel, 64, segmentBytes, n, primes);
    counter.start(0);
    let total = wheelExcluded(n);
    for (let s = 0; s < wheelSegments(n, segmentBytes); s++) total += counter.next();
    const past = counter.next();
    if (past !== 0) expect(past, `pi(${n}), ${segmentBytes}-byte segments: next() past the last segment`).toBe(0);
    return total;
  }

  for (const [name, kernel] of kernels(1 << 21)) {
    describe(name, () => {
      it('pi(n) for every n in 0..3000, one 64-byte segment after another', () => {
        const want = referencePi(Array.from({ length: 3001 }, (_, n) => n), 3000);
        for (let n = 0; n <= 3000; n++) if (count(kernel, n, SEGMENT) !== want.get(n)) expect([n, count(kernel, n, SEGMENT)]).toEqual([n, want.get(n)]);
      });

      it('pi(n) for random n and segment sizes, and n at segment, word and byte boundaries', () => {
        const ns: number[] = [];
        for (const bytes of [8, 64, 1024, 1 << 15]) {
          for (const m of [1, 2, 3, 7, 100]) {
            const edge = 30 * bytes * m;
            if (edge < LIMIT) ns.push(edge - 31, edge - 30, edge - 2, edge - 1, edge, edge + 1, edge + 29);
          }
        }
        const random = fc.sample(fc.integer({ min: 0, max: LIMIT }), { seed: params(1).seed, numRuns: 25 });
        const want = referencePi([...ns, ...random], LIMIT);
        for (const n of [...ns, ...random]) {
          for (const bytes of n < 300_000 ? [8, 1024, 1 << 15] : [1024, 1 << 15]) expect(count(kernel, n, bytes), `pi(${n}), ${bytes}-byte segments`).toBe(want.get(n));
        }
      });

      it('pi(n) for chunks of any size, each pre-sieved from its own first byte', () => {
        const n = 2_000_003;
        const want = referencePi([n], n).get(n);
        const primes = sievingUpTo(isqrt(n));
        for (const segmentBytes of [1024, 1 << 14]) {
          for (const chunkBytes of [8, 24, 40, 1000, 4104, 1 << 15]) {
            for (const smallPrimeLimit of [0, 500, 3000]) {
              expect(wheelLayout(segmentBytes, primes.length).bytes).toBeLessThanOrEqual(kernel.u8.length - 64);
              const counter = new WheelCounter(kernel, 64, segmentBytes, n, primes, { chunkBytes, smallPrimeLimit });
              counter.start(0);
              let total = wheelExcluded(n);
              for (let s = 0; s < wheelSegments(n, segmentBytes); s++) total += counter.next();
              expect(total, `${segmentBytes}-byte segments, ${chunkBytes}-byte chunks, small primes below ${smallPrimeLimit}`).toBe(want);
            }
          }
        }
      });

      it('pi(n) where prime squares fall on the first and last bytes of segments and chunks', () => {
        // n up to 3100²: the primes around a small-prime limit of 3000 join near the end; some
        // squares land on the first byte of a 64-byte segment, some on the last byte of a 10-byte
        // chunk of a 1024-byte segment (the byte of p² is never the last of an 8-byte block)
        const n = 3100 * 3100;
        const primes = sievingUpTo(3100);
        const squares = Array.from(primes, (p) => Math.floor((p * p) / 30));
        expect(squares.some((b) => b % 64 === 0)).toBe(true);
        expect(squares.some((b) => (b % 1024) % 10 === 9)).toBe(true);
        const want = referencePi([n], n).get(n);
        for (const [segmentBytes, chunkBytes] of [[64, 8], [64, 64], [1024, 10], [1024, 24]] as const) {
          const counter = new WheelCounter(kernel, 64, segmentBytes, n, primes, { chunkBytes, smallPrimeLimit: 3000 });
          counter.start(0);
          let total = wheelExcluded(n);
          for (let s = 0; s < wheelSegments(n, segmentBytes); s++) total += counter.next();
          expect(total, `${segmentBytes}-byte segments, ${chunkBytes}-byte chunks`).toBe(want);
        }
      });

      it('the last segments of the number line near and past 2^32', () => {
        for (const n of [2 ** 32 - 2 ** 18 - 1, 2 ** 32 - 1, 2 ** 32 + 15, 2 ** 33 + 7]) {
          const segmentBytes = 1024;
          const segments = wheelSegments(n, segmentBytes);
          const counter = new WheelCounter(kernel, 64, segmentBytes, n, sievingUpTo(isqrt(n)), { chunkBytes: 8 * 123 });
          counter.start(segments - 2);
          const got = counter.next() + counter.next();
          expect(counter.next()).toBe(0);
          expect(got, `primes of the last two segments up to ${n}`).toBe(primesBetween(30 * (segments - 2) * segmentBytes, n));
        }
      });

      it('starting at any segment gives that segment\'s primes', () => {
        const n = 1_000_003;
        const segmentBytes = 136;
        const segments = wheelSegments(n, segmentBytes);
        const primes = sievingUpTo(isqrt(n));
        const all = new WheelCounter(kernel, 64, segmentBytes, n, primes);
        all.start(0);
        const each = Array.from({ length: segments }, () => all.next());
        fc.assert(fc.property(fc.integer({ min: 0, max: segments - 1 }), fc.integer({ min: 1, max: 20 }), (first, run) => {
          const counter = new WheelCounter(kernel, 64, segmentBytes, n, primes);
          counter.start(first);
          for (let s = first; s < Math.min(segments, first + run); s++) expect(counter.next(), `segment ${s}`).toBe(each[s]);
        }), params(30));
        expect(each.reduce((a, b) => a + b, wheelExcluded(n))).toBe(referencePi([n], n).get(n));
        // starting at the segment it is at keeps going; at another, then back, starts afresh
        const counter = new WheelCounter(kernel, 64, segmentBytes, n, primes);
        counter.start(0);
        expect([counter.next(), counter.next()]).toEqual([each[0], each[1]]);
        counter.start(2);
        expect(counter.next()).toBe(each[2]);
        counter.start(7);
        counter.start(3);
        expect([counter.next(), counter.next()]).toEqual([each[3], each[4]]);
      });

      it('a workspace holding anything beforehand (a reused one) counts the same', () => {
        // countPrimes keeps the last call's scratch memory for the next one
        const n = 1_000_003;
        const want = referencePi([n], n).get(n);
        const primes = sievingUpTo(isqrt(n));
        const bytes = wheelLayout(1024, primes.length).bytes;
        for (const fill of [0xff, 0x00, 0x5a]) {
          for (const presieveGroups of [0, PRESIEVE_GROUPS.length]) {
            kernel.u8.fill(fill, 64, 64 + bytes);
            const counter = new WheelCounter(kernel, 64, 1024, n, primes, { presieveGroups });
            counter.start(0);
            let total = wheelExcluded(n);
            for (let s = 0; s < wheelSegments(n, 1024); s++) total += counter.next();
            expect(total, `workspace filled with ${fill}, ${presieveGroups} groups pre-sieved`).toBe(want);
          }
        }
      });

      it('pi(10^k) for k <= 8 with full-size segments', () => {
        const known = [4, 25, 168, 1229, 9592, 78498, 664579, 5761455];
        const big = kernels(wheelLayout(1 << 18, sievingUpTo(10_000).length).bytes + 64).find(([k]) => k === name)![1];
        for (const [i, pi] of known.entries()) expect(count(big, 10 ** (i + 1), 1 << 18), `pi(1e${i + 1})`).toBe(pi);
      });
    });
  }

  it('claimSegments hands out every segment once, in order, each block 1/share of what is left', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 100 }), (segments, share, start) => {
      const claims = new Int32Array(new SharedArrayBuffer(4));
      claims[0] = start;
      let next = start;
      for (let block = claimSegments(claims, segments, share); block; block = claimSegments(claims, segments, share)) {
        const [first, stop] = block;
        // an expect only for a wrong block: an expect per block was most of this test's time
        const size = Math.max(1, Math.floor((segments - first) / share));
        if (first !== next || stop - first !== size) expect([first, stop - first], `block at ${next}`).toEqual([next, size]);
        next = stop;
      }
      expect(next).toBe(Math.max(start, segments));
      expect(claims[0]).toBe(Math.max(start, segments));
    }), params(200));
    // 64 segments (1e9) on 2 workers: 27 claims, the last 15 of a single segment
    const claims = new Int32Array(new SharedArrayBuffer(4));
    const sizes: number[] = [];
    for (let block = claimSegments(claims, 64, 8); block; block = claimSegments(claims, 64, 8)) sizes.push(block[1] - block[0]);
    expect(sizes.slice(0, 3)).toEqual([8, 7, 6]);
    expect([sizes.length, sizes.filter((s) => s === 1).length]).toEqual([27, 15]);
  });

  it('the first sieving prime follows the pre-sieved ones', () => {
    expect(FIRST_SIEVING_PRIME).toBe(19);
    expect(PRESIEVED_PRIMES).toEqual([7, 11, 13, 17]);
    expect(PATTERN_PERIOD).toBe(7 * 11 * 13 * 17);
    expect(firstSievingIndex(Int32Array.from([2, 3, 5, 7, 11, 13, 17, 19, 23]))).toBe(7);
    expect(firstSievingIndex(Int32Array.from([2, 3]))).toBe(2);
  });
});

// ============================================================================================
// The generated WebAssembly
// ============================================================================================

describe('the WebAssembly kernel source', () => {
  it('isPrime agrees with the crossing rule for small numbers (sanity of the reference)', () => {
    const primes = sievingUpTo(100);
    for (let x = 361; x < 10_000; x++) {
      if (x % 2 === 0 || x % 3 === 0 || x % 5 === 0 || PRESIEVED_PRIMES.some((p) => x % p === 0)) continue;
      expect(!crossedBy(x, primes)).toBe(isPrime(x));
    }
  });

  it('crossedFlags marks what crossedBy finds, near 0 and far from it', () => {
    for (const [start, stop, primes] of [[0, 10_000, sievingUpTo(100)], [30 * 2 ** 35, 30 * 2 ** 35 + 18_000, sievingUpTo(1500)]] as const) {
      const flags = crossedFlags(primes, start, stop);
      const differ: number[] = [];
      for (let x = start; x < stop; x++) if ((flags[x - start] === 1) !== crossedBy(x, primes)) differ.push(x);
      expect(differ).toEqual([]);
    }
  });
});
