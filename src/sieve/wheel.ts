/**
 * Count-only sieve kernels on a mod-30 wheel, bit-packed: pure functions over typed arrays and
 * byte addresses, with no knowledge of pools or threads.
 *
 * Byte `b` of the number line holds the eight numbers `30b + r` with `r` coprime to 30,
 * `r = RESIDUES[i]` in bit `i`; after sieving a set bit is a prime. So one byte covers 30
 * numbers (8 bits per 30 numbers) and the multiples of 2, 3 and 5 are never stored.
 *
 * A sieving prime `p = 30k + r` crosses off `p·q` for `q` coprime to 30. With `q = 30j + w` the
 * multiple lies in byte `pj + kw + floor(rw / 30)`, at the bit of `rw mod 30`: the eight multiples
 * of one turn of the wheel (`j` fixed, `w` over RESIDUES) sit at fixed offsets from the turn's
 * base byte `pj`, and the next turn is `p` bytes further. A prime's whole state is the base of
 * the turn it is in, relative to the start of the next window to sieve (negative while that turn
 * began in an earlier window).
 */

/** The residues mod 30 coprime to 30, one per bit of a byte. */
export const RESIDUES: readonly number[] = [1, 7, 11, 13, 17, 19, 23, 29];

/** The primes the pre-sieve pattern crosses off (2, 3 and 5 are left out by the wheel itself). */
export const PRESIEVED_PRIMES: readonly number[] = [7, 11, 13, 17];

/** Bytes per period of the pre-sieve pattern: 7 · 11 · 13 · 17. */
export const PATTERN_PERIOD = 17017;

/** The smallest prime the kernels cross off; smaller ones are done by the wheel and the pattern. */
export const FIRST_SIEVING_PRIME = 19;

/**
 * Further primes a kernel may pre-sieve, in groups: each group's pattern (period: the product of
 * its primes, in bytes) is ANDed with the first pattern into a segment, which costs far less
 * than crossing those primes' many multiples one by one when the AND runs 16 bytes at a time
 * (the WebAssembly kernel does all groups, the TypeScript one none).
 */
export const PRESIEVE_GROUPS: ReadonlyArray<readonly number[]> = [
  [19, 23, 29], [31, 37, 41], [43, 47], [53, 59], [61, 67], [71, 73], [79, 83], [89, 97], [101, 103], [107, 109], [113, 127], [131, 137], [139, 149], [151, 157], [163, 167], [173, 179],
];

/** Bytes per period of a group's pattern. */
export const groupPeriod = (group: readonly number[]): number => group.reduce((a, b) => a * b, 1);

/** BIT_OF[r] is the bit of residue r (mod 30), or -1 for r not coprime to 30. */
const BIT_OF = new Int8Array(30).fill(-1);
RESIDUES.forEach((r, bit) => { BIT_OF[r] = bit; });

/**
 * The wheel table: for `a` the index of `p mod 30` in RESIDUES and `i` a bit, `[8a + i]` is the
 * carry `floor(r_a · r_i / 30)` (the offset of the `i`th multiple of a turn is `k · r_i + carry`),
 * `[64 + 8a + i]` the mask that clears that multiple's bit, and `[128 + r]` is `a` for each
 * residue `r` of RESIDUES. (The unrolled loops below and the WebAssembly kernel have these as
 * constants.)
 */
export const WHEEL_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(160);
  RESIDUES.forEach((ra, a) => {
    RESIDUES.forEach((ri, i) => {
      table[8 * a + i] = Math.floor((ra * ri) / 30);
      table[64 + 8 * a + i] = ~(1 << BIT_OF[(ra * ri) % 30]!) & 0xff;
    });
    table[128 + ra] = a;
  });
  return table;
})();

/** Offset of the last multiple of a turn for p = 30k + r: `29k + carry`. */
function lastOffset(p: number): number {
  const k = Math.floor(p / 30);
  return 29 * k + WHEEL_TABLE[8 * WHEEL_TABLE[128 + p - 30 * k]! + 7]!;
}

/**
 * Writes `length` bytes of a pre-sieve pattern into `out` from `at`: byte `i` of the number
 * line with the multiples of `primes` (default PRESIEVED_PRIMES) cleared, those primes
 * themselves included, so any segment starting at byte `lo` is the pattern from `lo mod period`,
 * the period being the product of the primes.
 */
export function fillPattern(out: Uint8Array, at: number, length: number, primes: readonly number[] = PRESIEVED_PRIMES): void {
  const first = Math.min(length, groupPeriod(primes));
  out.fill(0xff, at, at + first);
  for (const p of primes) {
    for (let i = 0; i < 8; i++) {
      const multiple = p * RESIDUES[i]!;
      const mask = ~(1 << BIT_OF[multiple % 30]!) & 0xff;
      for (let b = Math.floor(multiple / 30); b < first; b += p) out[at + b]! &= mask;
    }
  }
  for (let done = first; done < length; done *= 2) out.copyWithin(at + done, at, at + Math.min(done, length - done));
}

/**
 * The state of sieving prime `p` (>= 7) for a window starting at byte `lo` of the number line:
 * the base of the first turn that still has a multiple at or after `lo`, relative to `lo`. The
 * first turn sieved is the one holding p², so the only multiples below p² crossed are p·q with
 * 1 < q < p, composites anyway (when p < 30 the turn also holds p itself; the caller restores
 * byte 0). `lo` may exceed 2^31.
 */
export function wheelStart(p: number, lo: number): number {
  const first = p * Math.floor(p / 30);
  if (first >= lo) return first - lo;
  let base = p * Math.floor(lo / p) - lo;
  if (base + lastOffset(p) < 0) base += p;
  return base;
}

/** Crosses the multiples of one turn whose byte lies in the window `[at, end)`. */
function crossPartialTurn(s: Uint8Array, at: number, end: number, base: number, k: number, a: number): void {
  for (let i = 0; i < 8; i++) {
    const q = base + k * RESIDUES[i]! + WHEEL_TABLE[8 * a + i]!;
    if (q >= at && q < end) s[q]! &= WHEEL_TABLE[64 + 8 * a + i]!;
  }
}

/**
 * Whole turns of p = 30k + r from the turn whose first multiple is at byte `c` while the turn
 * ends before `end`: eight crossings per turn, unrolled, with the offsets and masks of p's residue
 * class as constants. Returns the first multiple of the first turn not done.
 */
function crossTurns(s: Uint8Array, end: number, p: number, c: number): number {
  const k = (p / 30) | 0;
  switch (p - 30 * k) {
    case 1: {
      const d1 = 6 * k, d2 = 10 * k, d3 = 12 * k, d4 = 16 * k;
      const d5 = 18 * k, d6 = 22 * k, d7 = 28 * k;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xfe; s[(c + d1) | 0]! &= 0xfd; s[(c + d2) | 0]! &= 0xfb; s[(c + d3) | 0]! &= 0xf7;
        s[(c + d4) | 0]! &= 0xef; s[(c + d5) | 0]! &= 0xdf; s[(c + d6) | 0]! &= 0xbf; s[(c + d7) | 0]! &= 0x7f;
      }
      break;
    }
    case 7: {
      const d1 = 6 * k + 1, d2 = 10 * k + 2, d3 = 12 * k + 3, d4 = 16 * k + 3;
      const d5 = 18 * k + 4, d6 = 22 * k + 5, d7 = 28 * k + 6;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xfd; s[(c + d1) | 0]! &= 0xdf; s[(c + d2) | 0]! &= 0xef; s[(c + d3) | 0]! &= 0xfe;
        s[(c + d4) | 0]! &= 0x7f; s[(c + d5) | 0]! &= 0xf7; s[(c + d6) | 0]! &= 0xfb; s[(c + d7) | 0]! &= 0xbf;
      }
      break;
    }
    case 11: {
      const d1 = 6 * k + 2, d2 = 10 * k + 4, d3 = 12 * k + 4, d4 = 16 * k + 6;
      const d5 = 18 * k + 6, d6 = 22 * k + 8, d7 = 28 * k + 10;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xfb; s[(c + d1) | 0]! &= 0xef; s[(c + d2) | 0]! &= 0xfe; s[(c + d3) | 0]! &= 0xbf;
        s[(c + d4) | 0]! &= 0xfd; s[(c + d5) | 0]! &= 0x7f; s[(c + d6) | 0]! &= 0xf7; s[(c + d7) | 0]! &= 0xdf;
      }
      break;
    }
    case 13: {
      const d1 = 6 * k + 3, d2 = 10 * k + 4, d3 = 12 * k + 5, d4 = 16 * k + 7;
      const d5 = 18 * k + 8, d6 = 22 * k + 9, d7 = 28 * k + 12;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xf7; s[(c + d1) | 0]! &= 0xfe; s[(c + d2) | 0]! &= 0xbf; s[(c + d3) | 0]! &= 0xdf;
        s[(c + d4) | 0]! &= 0xfb; s[(c + d5) | 0]! &= 0xfd; s[(c + d6) | 0]! &= 0x7f; s[(c + d7) | 0]! &= 0xef;
      }
      break;
    }
    case 17: {
      const d1 = 6 * k + 3, d2 = 10 * k + 6, d3 = 12 * k + 7, d4 = 16 * k + 9;
      const d5 = 18 * k + 10, d6 = 22 * k + 13, d7 = 28 * k + 16;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xef; s[(c + d1) | 0]! &= 0x7f; s[(c + d2) | 0]! &= 0xfd; s[(c + d3) | 0]! &= 0xfb;
        s[(c + d4) | 0]! &= 0xdf; s[(c + d5) | 0]! &= 0xbf; s[(c + d6) | 0]! &= 0xfe; s[(c + d7) | 0]! &= 0xf7;
      }
      break;
    }
    case 19: {
      const d1 = 6 * k + 4, d2 = 10 * k + 6, d3 = 12 * k + 8, d4 = 16 * k + 10;
      const d5 = 18 * k + 12, d6 = 22 * k + 14, d7 = 28 * k + 18;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xdf; s[(c + d1) | 0]! &= 0xf7; s[(c + d2) | 0]! &= 0x7f; s[(c + d3) | 0]! &= 0xfd;
        s[(c + d4) | 0]! &= 0xbf; s[(c + d5) | 0]! &= 0xfe; s[(c + d6) | 0]! &= 0xef; s[(c + d7) | 0]! &= 0xfb;
      }
      break;
    }
    case 23: {
      const d1 = 6 * k + 5, d2 = 10 * k + 8, d3 = 12 * k + 9, d4 = 16 * k + 13;
      const d5 = 18 * k + 14, d6 = 22 * k + 17, d7 = 28 * k + 22;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0xbf; s[(c + d1) | 0]! &= 0xfb; s[(c + d2) | 0]! &= 0xf7; s[(c + d3) | 0]! &= 0x7f;
        s[(c + d4) | 0]! &= 0xfe; s[(c + d5) | 0]! &= 0xef; s[(c + d6) | 0]! &= 0xdf; s[(c + d7) | 0]! &= 0xfd;
      }
      break;
    }
    case 29: {
      const d1 = 6 * k + 6, d2 = 10 * k + 10, d3 = 12 * k + 12, d4 = 16 * k + 16;
      const d5 = 18 * k + 18, d6 = 22 * k + 22, d7 = 28 * k + 28;
      for (const last = end - d7; c < last; c = (c + p) | 0) {
        s[c]! &= 0x7f; s[(c + d1) | 0]! &= 0xbf; s[(c + d2) | 0]! &= 0xdf; s[(c + d3) | 0]! &= 0xef;
        s[(c + d4) | 0]! &= 0xf7; s[(c + d5) | 0]! &= 0xfb; s[(c + d6) | 0]! &= 0xfd; s[(c + d7) | 0]! &= 0xfe;
      }
      break;
    }
  }
  return c;
}

/**
 * Crosses the multiples of `primes[from, to)` off the window `s[at, at + length)`. `primes` and
 * `states` are int32 indices of the primes (ascending, each >= 7) and of their states (see
 * `wheelStart`), relative to `at`; each state is moved on to be relative to `at + length`.
 */
export function crossWheel(s: Uint8Array, i32: Int32Array, at: number, length: number, primes: number, states: number, from: number, to: number): void {
  const end = at + length;
  for (let j = from; j < to; j++) {
    const p = i32[primes + j]!;
    const k = (p / 30) | 0;
    const a = WHEEL_TABLE[128 + p - 30 * k]!;
    let base = at + i32[states + j]!;
    if (base < at) {
      crossPartialTurn(s, at, end, base, k, a);
      if (base + 29 * k + WHEEL_TABLE[8 * a + 7]! >= end) {
        i32[states + j] = base - end;
        continue;
      }
      base += p;
    }
    base = crossTurns(s, end, p, base + k) - k;
    crossPartialTurn(s, at, end, base, k, a);
    i32[states + j] = base - end;
  }
}

/** Patterns a pre-sieve ANDs: the first pattern and one per group of PRESIEVE_GROUPS. */
export const PRESIEVE_SOURCES = 1 + PRESIEVE_GROUPS.length;

/**
 * Bytes of extension a pattern needs after its period (its first bytes again): the WebAssembly
 * pre-sieve reads a run of this many bytes from any offset below the period, then moves on.
 */
export const PRESIEVE_STEP = 1024;

/**
 * Writes into `s[at, at + length)` the AND of the PRESIEVE_SOURCES patterns of the table at int32
 * index `sources`: three int32 each, the pattern's address, its period and the offset of the
 * window's first byte in it; each period is at least PRESIEVE_STEP, and the entries that repeat
 * the first one repeat it exactly (the TypeScript kernel skips them). One pass,
 * chunk by chunk of a segment, so the chunk is written once and is still in the L1 cache when the
 * small primes cross it. A kernel may leave the offsets changed.
 */
export function presieve(s: Uint8Array, i32: Int32Array, at: number, length: number, sources: number): void {
  const first = i32[sources]!;
  for (let j = 0; j < PRESIEVE_SOURCES; j++) {
    const address = i32[sources + 3 * j]!;
    if (j > 0 && address === first) continue;
    const period = i32[sources + 3 * j + 1]!;
    let o = i32[sources + 3 * j + 2]!;
    if (j === 0) {
      for (let i = 0; i < length; i++) {
        s[at + i] = s[address + o]!;
        if (++o === period) o = 0;
      }
    } else {
      for (let i = 0; i < length; i++) {
        s[at + i]! &= s[address + o]!;
        if (++o === period) o = 0;
      }
    }
  }
}

/** The number of set bits in the 32-bit words `words[at, at + count)` (SWAR popcount). */
export function countBits(words: Int32Array, at: number, count: number): number {
  let total = 0;
  for (let w = at, end = at + count; w < end; w++) {
    let x = words[w]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    total += Math.imul(x, 0x01010101) >>> 24;
  }
  return total;
}
