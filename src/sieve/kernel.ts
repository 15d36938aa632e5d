/**
 * The sieve's inner loops: pure functions over typed arrays and indices, with no knowledge of
 * pools or threads, so they can be tested and benchmarked alone. Flags are one byte per number,
 * 1 for prime.
 */

/** The primes <= `limit`, ascending (a plain sieve of Eratosthenes; `limit` is about sqrt(n)). */
export function basePrimes(limit: number): Int32Array {
  if (limit < 2) return new Int32Array(0);
  const composite = new Uint8Array(limit + 1);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i] === 1) continue;
    count++;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  const primes = new Int32Array(count);
  for (let i = 2, k = 0; i <= limit; i++) if (composite[i] === 0) primes[k++] = i;
  return primes;
}

/**
 * Sets `flags[at + i]` to 1 if `lo + i` is a prime <= `n`, else 0, for `i` in `[0, length)`.
 * `primes` must hold every prime up to sqrt(min(n, lo + length - 1)), ascending.
 */
export function sieveSegment(flags: Uint8Array, at: number, length: number, lo: number, n: number, primes: Int32Array): void {
  if (length <= 0) return;
  const last = Math.min(lo + length - 1, n);
  // Start from the parity pattern (odd numbers marked), doubled with copyWithin at memmove speed.
  flags[at] = lo % 2;
  if (length > 1) flags[at + 1] = 1 - (lo % 2);
  for (let k = 2; k < length; k *= 2) flags.copyWithin(at + k, at, at + Math.min(k, length - k));
  if (last < lo) {
    flags.fill(0, at, at + length);
    return;
  }
  if (last < lo + length - 1) flags.fill(0, at + (last - lo) + 1, at + length);
  if (lo <= 1) flags.fill(0, at, at + Math.min(2 - lo, length));
  if (lo <= 2 && last >= 2) flags[at + 2 - lo] = 1;
  const end = at + (last - lo) + 1;
  for (let k = 0; k < primes.length; k++) {
    const p = primes[k]!;
    if (p === 2) continue;
    const square = p * p;
    if (square > last) break;
    let first = square >= lo ? square : lo + ((p - (lo % p)) % p);
    if (first % 2 === 0) first += p;
    const step = 2 * p;
    for (let i = at + (first - lo); i < end; i += step) flags[i] = 0;
  }
}

/** The number of 1 bytes in `flags[at, at + length)`, where every byte is 0 or 1. */
export function countOnes(flags: Uint8Array, at: number, length: number): number {
  let count = 0;
  let i = at;
  const end = at + length;
  const byteAt = flags.byteOffset + i;
  const head = Math.min(end, i + ((4 - (byteAt % 4)) % 4));
  for (; i < head; i++) count += flags[i]!;
  const words = Math.floor((end - i) / 4);
  if (words > 0) {
    // Four 0/1 bytes per word: multiplying by 0x01010101 sums them into the top byte.
    const view = new Uint32Array(flags.buffer, flags.byteOffset + i, words);
    for (let w = 0; w < words; w++) count += Math.imul(view[w]!, 0x01010101) >>> 24;
    i += words * 4;
  }
  for (; i < end; i++) count += flags[i]!;
  return count;
}

/** Writes `lo + i` for every set `flags[at + i]` into `out` from `offset`; returns the next offset. */
export function collectPrimes(flags: Uint8Array, at: number, length: number, lo: number, out: Int32Array | Float64Array, offset: number): number {
  let k = offset;
  for (let i = 0; i < length; i++) if (flags[at + i] === 1) out[k++] = lo + i;
  return k;
}
