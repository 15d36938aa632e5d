/** References for the sieve tests, independent of the library. */

/** floor(sqrt(k)), exact for every safe integer. */
export function isqrt(k: number): number {
  let r = Math.floor(Math.sqrt(k));
  while (r * r > k) r--;
  while ((r + 1) * (r + 1) <= k) r++;
  return r;
}

/** Odd numbers per segment of referencePi's sieve: 32 KiB of flags, in a core's L1 cache. */
const SEGMENT = 1 << 15;

/**
 * pi(n) for each n of `ns` (each at most `limit`), by one plain sieve of the odd numbers up to
 * limit, a segment at a time. A byte per number over all of 0..limit was 250 ms at 4.7e7 (the
 * thread tests' wheel range), a quarter of the sieve file's own CPU: cache misses, and a count a
 * byte at a time where no n falls.
 */
export function referencePi(ns: readonly number[], limit: number): Map<number, number> {
  const root = isqrt(limit);
  const small = new Uint8Array(root + 1);
  const base: number[] = [];
  for (let i = 3; i <= root; i += 2) {
    if (small[i] === 1) continue;
    base.push(i);
    for (let j = i * i; j <= root; j += 2 * i) small[j] = 1;
  }
  // index i stands for the odd number 2i + 1; next[b] is the index of base[b]'s next odd multiple
  const next = base.map((p) => (p * p - 1) / 2);
  const composite = new Uint8Array(SEGMENT);
  const words = new Uint32Array(composite.buffer);
  const wanted = [...new Set(ns)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let w = 0;
  for (; w < wanted.length && wanted[w]! < 2; w++) out.set(wanted[w]!, 0);
  let count = 1; // the prime 2
  const last = (limit - 1) >> 1;
  for (let lo = 0; lo <= last && w < wanted.length; lo += SEGMENT) {
    const length = Math.min(SEGMENT, last + 1 - lo);
    composite.fill(0, 0, length);
    for (let b = 0; b < base.length; b++) {
      const p = base[b]!;
      let j = next[b]!;
      for (; j < lo + length; j += p) composite[j - lo] = 1;
      next[b] = j;
    }
    if (lo === 0) composite[0] = 1; // 1 is not prime
    if (wanted[w]! < 2 * (lo + length) + 1) {
      for (let i = 0; i < length; i++) {
        for (; w < wanted.length && wanted[w]! < 2 * (lo + i) + 1; w++) out.set(wanted[w]!, count);
        count += 1 - composite[i]!;
      }
    } else {
      // no n in this segment: its flags (0 or 1) four at a time, summed by one multiply
      let crossed = 0;
      for (let i = 0; i < length >> 2; i++) crossed += Math.imul(words[i]!, 0x01010101) >>> 24;
      for (let i = length & ~3; i < length; i++) crossed += composite[i]!;
      count += length - crossed;
    }
  }
  for (; w < wanted.length; w++) out.set(wanted[w]!, count);
  return out;
}
