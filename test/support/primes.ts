/** References for the sieve tests, independent of the library. */

/** floor(sqrt(k)), exact for every safe integer. */
export function isqrt(k: number): number {
  let r = Math.floor(Math.sqrt(k));
  while (r * r > k) r--;
  while ((r + 1) * (r + 1) <= k) r++;
  return r;
}

/** pi(n) for each n of `ns` (each at most `limit`), by one plain byte sieve of 0..limit. */
export function referencePi(ns: readonly number[], limit: number): Map<number, number> {
  const composite = new Uint8Array(limit + 1);
  for (let i = 2; i * i <= limit; i++) {
    if (composite[i] === 1) continue;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  const out = new Map<number, number>();
  let count = 0;
  let k = 2;
  for (const n of [...new Set(ns)].sort((a, b) => a - b)) {
    for (; k <= n; k++) count += 1 - composite[k]!;
    out.set(n, count);
  }
  return out;
}
