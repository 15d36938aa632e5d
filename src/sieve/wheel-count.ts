/**
 * Counting primes segment by segment on the mod-30 wheel (see `wheel.ts` for the layout), in a
 * workspace of one memory: a segment, the sieving primes, their states and the pre-sieve
 * patterns. The crossing, ANDing and counting loops come from a kernel (plain TypeScript, or
 * WebAssembly over the same memory), so both give the same answers; the rest (which primes are
 * active, where a segment's patterns start, the ends of the number line) is done here once per
 * segment.
 */
import {
  countBits, crossWheel, fillPattern, FIRST_SIEVING_PRIME, groupPeriod, PATTERN_PERIOD, PRESIEVE_GROUPS, PRESIEVE_SOURCES, PRESIEVE_STEP,
  PRESIEVED_PRIMES, presieve, RESIDUES, WHEEL_TABLE, wheelStart,
} from './wheel.js';

/** The loops a counter needs, over one memory (`u8` and `i32` view all of it). */
export interface WheelKernel {
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  /**
   * `crossWheel` over the memory; `at` in bytes, `primes` and `states` byte addresses (multiples
   * of 4); the 8 bytes at `spare`, outside any window, may be overwritten.
   */
  cross(at: number, length: number, primes: number, states: number, from: number, to: number, spare: number): void;
  /** `presieve` over the memory; `sources` the byte address of its table. */
  presieve(at: number, length: number, sources: number): void;
  /** Set bits in `[at, at + length)`; `at` and `length` multiples of 8. */
  count(at: number, length: number): number;
  /** How many of PRESIEVE_GROUPS the kernel pre-sieves by default (the ones its `presieve` makes cheaper than crossing). */
  readonly presieveGroups: number;
}

/** The plain-TypeScript kernel over `buffer`. */
export function jsWheelKernel(buffer: ArrayBufferLike): WheelKernel {
  const u8 = new Uint8Array(buffer);
  const i32 = new Int32Array(buffer, 0, buffer.byteLength >> 2);
  return {
    u8,
    i32,
    cross: (at, length, primes, states, from, to) => crossWheel(u8, i32, at, length, primes >> 2, states >> 2, from, to),
    presieve: (at, length, sources) => presieve(u8, i32, at, length, sources >> 2),
    count: (at, length) => countBits(i32, at >> 2, length >> 2),
    // in TypeScript even a 4-bytes-at-a-time AND costs more than the crossings it saves
    presieveGroups: 0,
  };
}

/**
 * Bytes per segment: 512 KiB (15.7 million numbers), which with the patterns and prime states
 * stays in a core's 1 MiB L2 cache (256 KiB measured about 4% slower).
 */
export const SEGMENT_BYTES = 1 << 19;

/** Bytes per chunk of a segment that the small primes cross one after another: a core's 32 KiB L1 data cache. */
export const CHUNK_BYTES = 1 << 15;

/**
 * Primes below this cross a segment chunk by chunk (in L1), larger ones the whole segment at once
 * (in L2): above it a prime has too few multiples in a chunk to pay for visiting it per chunk
 * (3000 and 8000 measured about 4% slower at 1e9 and 1e10).
 */
export const SMALL_PRIME_LIMIT = 5000;

/** How a counter splits the work (the defaults suit a 32 KiB L1 and 512 KiB segments; benchmarks vary them). */
export interface WheelTuning {
  /** Primes below this (default SMALL_PRIME_LIMIT) are crossed off chunks of a segment, one chunk after another; larger ones off the whole segment. */
  smallPrimeLimit?: number;
  /** Bytes per chunk: about the L1 data cache. */
  chunkBytes?: number;
  /** How many of PRESIEVE_GROUPS to pre-sieve (default: the kernel's `presieveGroups`). */
  presieveGroups?: number;
}

/** Byte offsets, from the start of a workspace, of its parts. */
export interface WheelLayout {
  readonly segmentBytes: number;
  readonly segment: number;
  readonly primes: number;
  readonly states: number;
  /** The pre-sieve's table: PRESIEVE_SOURCES × (address, period, offset), int32. */
  readonly sources: number;
  /** 8 bytes a kernel may write when it crosses (see `WheelKernel.cross`). */
  readonly spare: number;
  readonly pattern: number;
  /**
   * The patterns of PRESIEVE_GROUPS, one after another. Each pattern (the first one too) is
   * followed by its first `extension` (PRESIEVE_STEP) bytes again, for the kernels' runs that
   * start near the end of the period.
   */
  readonly groups: readonly number[];
  readonly extension: number;
  /** Total bytes, a multiple of 64. */
  readonly bytes: number;
}

const up = (x: number, to: number): number => Math.ceil(x / to) * to;

/** The layout of a workspace for segments of `segmentBytes` (a multiple of 8) and `primeCount` sieving primes. */
export function wheelLayout(segmentBytes: number, primeCount: number): WheelLayout {
  const segment = 0;
  const primes = up(segment + segmentBytes + 8, 64);
  const states = up(primes + 4 * primeCount, 64);
  const sources = up(states + 4 * primeCount, 64);
  const spare = sources + 12 * PRESIEVE_SOURCES;
  const pattern = up(spare + 8, 64);
  const extension = PRESIEVE_STEP;
  const groups: number[] = [];
  let next = up(pattern + PATTERN_PERIOD + extension, 64);
  for (const group of PRESIEVE_GROUPS) {
    groups.push(next);
    next = up(next + groupPeriod(group) + extension, 64);
  }
  return { segmentBytes, segment, primes, states, sources, spare, pattern, groups, extension, bytes: next };
}

/** Per thread, the pattern part of a workspace (`wheelLayout`'s bytes from `pattern` on), by number of groups filled. */
const patternBlocks = new Map<number, Uint8Array>();

/**
 * The bytes of a workspace from `pattern` on, with the first pattern and the first `groups` of
 * PRESIEVE_GROUPS filled in (the rest zero): the same whatever the segment, the primes or n (the
 * part starts on a 64-byte boundary, so its inner offsets are fixed), so each thread fills it once
 * and every counter copies it. Filling it costs about 2 ms; a counter at 1e9 sieves in 40-80 ms.
 */
function patternBlock(groups: number): Uint8Array {
  let block = patternBlocks.get(groups);
  if (block === undefined) {
    const layout = wheelLayout(0, 0);
    block = new Uint8Array(layout.bytes - layout.pattern);
    fillPattern(block, 0, PATTERN_PERIOD + layout.extension);
    for (let g = 0; g < groups; g++) {
      const group = PRESIEVE_GROUPS[g]!;
      fillPattern(block, layout.groups[g]! - layout.pattern, groupPeriod(group) + layout.extension, group);
    }
    patternBlocks.set(groups, block);
  }
  return block;
}

/** The number of segments of `segmentBytes` that hold the bytes of 0..n. */
export function wheelSegments(n: number, segmentBytes: number): number {
  return Math.ceil((Math.floor(n / 30) + 1) / segmentBytes);
}

/**
 * Claims the next block of segments from the shared counter `claims[0]` (the first segment no one
 * has claimed), guided self-scheduling: each block is `1/share` of the segments left, at least one.
 * So the first blocks are long (a worker that continues its own block pays nothing to move on,
 * one that jumps pays a division per active prime) and the last ones a single segment, so
 * workers finish within about one segment of each other. Returns `[first, stop)`, or undefined
 * when every segment is claimed.
 */
export function claimSegments(claims: Int32Array, segments: number, share: number): [number, number] | undefined {
  for (;;) {
    const first = Atomics.load(claims, 0);
    if (first >= segments) return undefined;
    const stop = first + Math.max(1, Math.floor((segments - first) / share));
    if (Atomics.compareExchange(claims, 0, first, stop) === first) return [first, stop];
  }
}

/** The primes 2, 3 and 5 up to n, which the wheel leaves out. */
export function wheelExcluded(n: number): number {
  return (n >= 2 ? 1 : 0) + (n >= 3 ? 1 : 0) + (n >= 5 ? 1 : 0);
}

/** The index of the first prime >= FIRST_SIEVING_PRIME in an ascending list. */
export function firstSievingIndex(primes: Int32Array): number {
  let i = 0;
  while (i < primes.length && primes[i]! < FIRST_SIEVING_PRIME) i++;
  return i;
}

/**
 * Counts the primes of whole segments of [0, n] in the workspace at byte `base` of a kernel's
 * memory. `start(segment)` then `next()` repeatedly sieve consecutive segments; starting
 * anywhere costs one division per active prime. The primes 2, 3 and 5 are not counted
 * (`wheelExcluded`).
 */
export class WheelCounter {
  readonly #kernel: WheelKernel;
  readonly #layout: WheelLayout;
  readonly #base: number;
  readonly #n: number;
  readonly #lastByte: number;
  /**
   * The primes crossed, in eight runs, one per residue class mod 30 (each ascending), so that a
   * kernel's branch on the class of p goes the same way for every prime of a call. Run `c` is
   * `[#from[c], #to[c])`; its primes below the small-prime limit end at `#smallTo[c]`.
   */
  readonly #primes: Int32Array;
  readonly #from: number[];
  readonly #to: number[];
  readonly #smallTo: number[];
  readonly #chunk: number;
  /** Address and period of each pattern pre-sieved (the first one, then the groups). */
  readonly #patterns: Array<readonly [number, number]>;
  /** Byte and bit of each pre-sieved prime above 30, which its pattern clears. */
  readonly #restore: Array<readonly [number, number]> = [];
  /** Per run, the end of its primes whose square the segments have reached (the rest join later). */
  readonly #active: number[];
  #segment = 0;

  /**
   * `primes` are the sieving primes: every prime from FIRST_SIEVING_PRIME up to at least
   * isqrt(n), ascending (more are ignored; the pre-sieved ones are skipped). The workspace must
   * hold `wheelLayout(segmentBytes, primes.length).bytes` bytes from `base` (a multiple of 64).
   */
  constructor(kernel: WheelKernel, base: number, segmentBytes: number, n: number, primes: Int32Array, tuning: WheelTuning = {}) {
    this.#kernel = kernel;
    this.#chunk = tuning.chunkBytes ?? CHUNK_BYTES;
    this.#layout = wheelLayout(segmentBytes, primes.length);
    this.#base = base;
    this.#n = n;
    this.#lastByte = Math.floor(n / 30);
    const groups = PRESIEVE_GROUPS.slice(0, tuning.presieveGroups ?? kernel.presieveGroups);
    const presieved = groups.flat();
    // the pre-sieved primes are not crossed
    const first = primes.findIndex((p) => !presieved.includes(p));
    let count = first === -1 ? primes.length : first;
    while (count < primes.length && primes[count]! * primes[count]! <= n) count++;
    const crossed = primes.subarray(first === -1 ? count : first, count);
    const limit = tuning.smallPrimeLimit ?? SMALL_PRIME_LIMIT;
    // a counting sort by residue class (plain loops: this runs once per call, before the JIT has
    // seen it, and closures per prime cost about a millisecond there)
    const sizes = [0, 0, 0, 0, 0, 0, 0, 0];
    const small = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < crossed.length; i++) {
      const p = crossed[i]!;
      const c = WHEEL_TABLE[128 + (p % 30)]!;
      sizes[c]!++;
      if (p < limit) small[c]!++;
    }
    this.#from = [];
    this.#to = [];
    this.#smallTo = [];
    let at = 0;
    for (let c = 0; c < 8; c++) {
      this.#from.push(at);
      this.#smallTo.push(at + small[c]!);
      at += sizes[c]!;
      this.#to.push(at);
    }
    this.#primes = new Int32Array(crossed.length);
    const fill = [...this.#from];
    for (let i = 0; i < crossed.length; i++) {
      const p = crossed[i]!;
      this.#primes[fill[WHEEL_TABLE[128 + (p % 30)]!]!++] = p;
    }
    this.#active = [...this.#from];
    const { u8, i32 } = kernel;
    i32.set(this.#primes, (base + this.#layout.primes) >> 2);
    u8.set(patternBlock(groups.length), base + this.#layout.pattern);
    this.#patterns = [[base + this.#layout.pattern, PATTERN_PERIOD]];
    for (const [g, group] of groups.entries()) this.#patterns.push([base + this.#layout.groups[g]!, groupPeriod(group)]);
    for (const p of [...PRESIEVED_PRIMES, ...presieved]) if (p > 30) this.#restore.push([Math.floor(p / 30), 1 << RESIDUES.indexOf(p % 30)]);
  }

  /**
   * Moves to segment `segment` (its first byte is `segment × segmentBytes`). The segment the
   * counter is at already (the one after the last sieved) keeps the primes' states, so a worker
   * whose next block follows its last one pays nothing here.
   */
  start(segment: number): void {
    if (segment === this.#segment) return;
    this.#segment = segment;
    this.#active.splice(0, 8, ...this.#from);
  }

  /** Sieves the current segment, returns its primes (except 2, 3, 5) and moves to the next. */
  next(): number {
    const { segmentBytes, segment, primes, states, sources } = this.#layout;
    const { u8, i32 } = this.#kernel;
    const base = this.#base;
    const spare = base + this.#layout.spare;
    const at = base + segment;
    const lo = this.#segment * segmentBytes;
    const length = Math.min(segmentBytes, this.#lastByte + 1 - lo);
    if (length <= 0) return 0;
    const hi = lo + length;
    const list = this.#primes;
    const active = this.#active;
    const from = this.#from;
    const smallTo = this.#smallTo;
    // A prime joins once the segment reaches its square.
    for (let c = 0; c < 8; c++) {
      let a = active[c]!;
      for (const to = this.#to[c]!; a < to && Math.floor((list[a]! * list[a]!) / 30) < hi; a++) i32[((base + states) >> 2) + a] = wheelStart(list[a]!, lo);
      active[c] = a;
    }
    // Chunk by chunk: the patterns from the chunk's first byte on (a table of where each one's
    // run starts; unused entries repeat the first), then the small primes while it is in L1.
    const chunk = this.#chunk;
    const table = (base + sources) >> 2;
    const patterns = this.#patterns;
    for (let c = 0; c < length; c += chunk) {
      const run = Math.min(chunk, length - c);
      for (let j = 0; j < PRESIEVE_SOURCES; j++) {
        const [address, period] = patterns[j] ?? patterns[0]!;
        i32[table + 3 * j] = address;
        i32[table + 3 * j + 1] = period;
        i32[table + 3 * j + 2] = (lo + c) % period;
      }
      this.#kernel.presieve(at + c, run, base + sources);
      for (let r = 0; r < 8; r++) {
        const to = Math.min(active[r]!, smallTo[r]!);
        if (to > from[r]!) this.#kernel.cross(at + c, run, base + primes, base + states, from[r]!, to, spare);
      }
    }
    for (let r = 0; r < 8; r++) if (active[r]! > smallTo[r]!) this.#kernel.cross(at, length, base + primes, base + states, smallTo[r]!, active[r]!, spare);
    // Byte 0 holds 1 (not prime) and 7..29 (all prime, but crossed by a pattern or their first
    // turn); the pre-sieved primes above 30 are restored too.
    if (lo === 0) u8[at] = 0xfe;
    for (const [byte, bit] of this.#restore) if (byte >= lo && byte < hi) u8[at + byte - lo]! |= bit;
    if (hi - 1 === this.#lastByte) {
      let mask = 0;
      for (let bit = 0; bit < 8; bit++) if (30 * this.#lastByte + RESIDUES[bit]! <= this.#n) mask |= 1 << bit;
      u8[at + length - 1]! &= mask;
    }
    const padded = up(length, 8);
    u8.fill(0, at + length, at + padded);
    this.#segment++;
    return this.#kernel.count(at, padded);
  }
}
