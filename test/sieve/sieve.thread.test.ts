/**
 * The parallel sieve (`sieve`, `countPrimes`, `primes`) against known values of pi(n) and an
 * independent reference (trial division for small n, a plain boolean sieve for the row-boundary
 * cases), on the file's pools of 1, 2 and 3 workers; plus the reference article's trial-division
 * workload on a pool. `{ threads: k }` only starts a pool of k for the call and terminates it after
 * (withPool in src/sieve/sieve.ts), so what holds on a pool of k holds for it: the tests of that
 * option itself (a pool of k started and terminated per call, the partition and results of a pool
 * of k) are few, as each call starts k workers at about 0.17 CPU s each. Argument checks, the worker
 * functions called directly and the trial division on one thread are in sieve.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isPrime, params } from '../support/assert.js';
import { referencePi } from '../support/primes.js';
import { countPrimes, divideRange, Pool, primes, sieve, sieveWorkerModule } from '../../src/index.js';
import type { SharedNDArray, SieveWorker } from '../../src/index.js';
import { SEGMENT_BYTES } from '../../src/sieve/wheel-count.js';

// ============================================================================================
// Reference
// ============================================================================================

/** Trial-division flags (1 for a prime) for 0..SMALL_LIMIT. */
const SMALL_LIMIT = 20_000;
const SMALL_FLAGS: Uint8Array = Uint8Array.from({ length: SMALL_LIMIT + 1 }, (_, k) => (isPrime(k) ? 1 : 0));

/** Plain boolean-sieve flags for 0..BIG_LIMIT (checked against trial division below). */
const BIG_LIMIT = 2 ** 20 + 2 ** 18 + 64;
const BIG_FLAGS: Uint8Array = (() => {
  const flags = new Uint8Array(BIG_LIMIT + 1).fill(1);
  flags[0] = 0;
  flags[1] = 0;
  for (let i = 2; i * i <= BIG_LIMIT; i++) {
    if (flags[i] === 0) continue;
    for (let j = i * i; j <= BIG_LIMIT; j += i) flags[j] = 0;
  }
  return flags;
})();

/**
 * BIG_FLAGS as a table: BIG_PI[n] is pi(n), and BIG_PRIMES the primes in order, so pi(n) and the
 * primes <= n are a look-up, not a pass over 0..n for each n checked.
 */
const BIG_PI = new Int32Array(BIG_LIMIT + 1);
for (let k = 1; k <= BIG_LIMIT; k++) BIG_PI[k] = BIG_PI[k - 1]! + BIG_FLAGS[k]!;
const BIG_PRIMES = Int32Array.from({ length: BIG_PI[BIG_LIMIT]! }, () => 0);
for (let k = 0, i = 0; k <= BIG_LIMIT; k++) if (BIG_FLAGS[k] === 1) BIG_PRIMES[i++] = k;

/** The reference primes <= n, from BIG_FLAGS. */
const referencePrimes = (n: number): Int32Array => BIG_PRIMES.subarray(0, BIG_PI[n]);

/** The bytes of a typed array, to compare two at native speed. */
const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** pi(10^k) for k = 0..8. */
const KNOWN_PI: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [1, 0], [2, 1], [3, 2], [10, 4], [100, 25], [1e3, 168], [1e4, 1229], [1e5, 9592], [1e6, 78498],
  [1e7, 664579],
];

/** Index of the first k in [0, n] where the flags differ from the reference flags, or -1. */
function firstMismatch(data: Uint8Array, n: number, reference: Uint8Array): number {
  if (bytesOf(data.subarray(0, n + 1)).equals(bytesOf(reference.subarray(0, n + 1)))) return -1;
  for (let k = 0; k <= n; k++) if ((data[k] === 1) !== (reference[k] === 1)) return k;
  return -1;
}

/**
 * Shape, memory and every flag of a sieve result against `reference` (1 for a prime), including
 * the cells past n. What it checks is gathered into one object for one `expect`: each expect()
 * costs vitest ~40 µs of bookkeeping (setState), and this runs for a thousand results a file.
 */
function checkSieve(flags: SharedNDArray<'bool'>, n: number, reference: Uint8Array, viaRavel: boolean): void {
  const [rows, cols] = flags.shape as [number, number];
  const size = rows * cols;
  const got: Record<string, unknown> = {
    dtype: flags.dtype,
    ndim: flags.ndim,
    'rows >= 1': rows >= 1,
    'cols >= 1': cols >= 1,
    'rows * cols >= n + 1': size >= n + 1,
    sharedArrayBuffer: flags.buffer instanceof SharedArrayBuffer,
    isShared: flags.isShared,
  };
  const want: Record<string, unknown> = {
    dtype: 'bool', ndim: 2, 'rows >= 1': true, 'cols >= 1': true, 'rows * cols >= n + 1': true, sharedArrayBuffer: true, isShared: true,
    'first wrong flag': -1, 'first set cell past n': -1,
  };
  if (viaRavel) {
    const flat = flags.ravel();
    got['ravel().shape'] = flat.shape;
    want['ravel().shape'] = [size];
    let wrong = -1;
    for (let k = 0; k <= n && wrong === -1; k++) if (flat.get(k) !== (reference[k] === 1)) wrong = k;
    let pastN = -1;
    for (let k = n + 1; k < size && pastN === -1; k++) if (flat.get(k)) pastN = k;
    got['first wrong flag'] = wrong;
    got['first set cell past n'] = pastN;
  } else {
    const data = flags.data;
    got['data.length'] = data.length;
    want['data.length'] = size;
    got['first wrong flag'] = firstMismatch(data, n, reference);
    const pastN = data.subarray(n + 1).indexOf(1);
    got['first set cell past n'] = pastN === -1 ? -1 : n + 1 + pastN;
    // [row, col] addressing agrees with the flat layout
    const ks = [0, 1, 2, n >> 1, n - 1, n].filter((v) => v >= 0 && v <= n);
    got['get(k / cols, k % cols) for k of 0, 1, 2, n / 2, n - 1, n'] = ks.map((k) => flags.get(Math.floor(k / cols), k % cols));
    want['get(k / cols, k % cols) for k of 0, 1, 2, n / 2, n - 1, n'] = ks.map((k) => reference[k] === 1);
  }
  expect(got, `sieve(${n}), shape [${rows}, ${cols}]`).toEqual(want);
}

/** dtype, shape, memory and every prime of a primes() result, in one `expect` (as checkSieve). */
function expectPrimeList(list: SharedNDArray<'int32'> | SharedNDArray<'float64'>, want: Int32Array, n: number): void {
  const got = list.data as Int32Array;
  const same = bytesOf(got).equals(bytesOf(want));
  expect(
    { dtype: list.dtype, shape: list.shape, isShared: list.isShared, 'first difference': same ? -1 : want.findIndex((p, i) => got[i] !== p) },
    `primes(${n})`,
  ).toEqual({ dtype: 'int32', shape: [want.length], isShared: true, 'first difference': -1 });
  if (!same) expect(Array.from(got), `primes(${n})`).toEqual(Array.from(want));
}

/** The ones among the 0/1 bytes of `data`, four at a time (a multiply sums a word's bytes). */
function countOnes(data: Uint8Array): number {
  const head = Math.min(data.length, (4 - (data.byteOffset % 4)) % 4);
  const words = new Uint32Array(data.buffer, data.byteOffset + head, (data.length - head) >> 2);
  let count = 0;
  for (let i = 0; i < head; i++) count += data[i]!;
  for (let i = 0; i < words.length; i++) count += Math.imul(words[i]!, 0x01010101) >>> 24;
  for (let i = head + 4 * words.length; i < data.length; i++) count += data[i]!;
  return count;
}

// ============================================================================================
// Pools
// ============================================================================================

const pools = new Map<number, Pool<SieveWorker>>();
const poolOf = (size: number): Pool<SieveWorker> => pools.get(size)!;

beforeAll(async () => {
  for (const size of [1, 2, 3]) pools.set(size, new Pool<SieveWorker>(sieveWorkerModule(), { size }));
  await Promise.all([...pools.values()].map((p) => p.ready()));
});

afterAll(async () => {
  await Promise.all([...pools.values()].map((p) => p.terminate()));
});

describe('the reference', () => {
  it('plain sieve agrees with trial division up to 20000, and its tables with it', () => {
    // every flag, in one expect (an expect per flag was 20001 of them, 0.16 CPU s)
    expect(Array.from(BIG_FLAGS.subarray(0, SMALL_LIMIT + 1))).toEqual(Array.from(SMALL_FLAGS));
    let pi = 0;
    const primes: number[] = [];
    const wrongPi: number[] = [];
    for (let k = 0; k <= BIG_LIMIT; k++) {
      if (BIG_FLAGS[k] === 1) primes.push(k);
      pi += BIG_FLAGS[k]!;
      if (BIG_PI[k] !== pi) wrongPi.push(k);
    }
    expect(wrongPi).toEqual([]);
    expect(bytesOf(BIG_PRIMES).equals(bytesOf(Int32Array.from(primes)))).toBe(true);
    expect(countOnes(BIG_FLAGS.subarray(3))).toBe(BIG_PI[BIG_LIMIT]! - 1);
  });
});

// ============================================================================================
// Known values
// ============================================================================================

describe('known values of pi(n)', () => {
  it.each(KNOWN_PI.map(([n, pi]) => [n, pi]))('pi(%d) = %d by countPrimes and primes on a shared pool', async (n, pi) => {
    const pool = poolOf(2);
    expect(await countPrimes(n, { pool })).toBe(pi);
    const list = await primes(n, { pool });
    expect(list.size).toBe(pi);
    expect(list.dtype).toBe('int32');
    if (pi > 0) expect(list.get(-1)).toBe(referenceLargestPrime(n));
  });

  it.each([[0, 0], [3, 2], [1e3, 168], [1e6, 78498]])('pi(%d) = %d by countPrimes, primes and sieve on a pool of 2', async (n, pi) => {
    const pool = poolOf(2);
    expect(await countPrimes(n, { pool })).toBe(pi);
    expect((await primes(n, { pool })).size).toBe(pi);
    const flags = await sieve(n, { pool });
    let count = 0;
    for (const b of flags.data) count += b;
    expect(count).toBe(pi);
  });

  it('pi(1e8) = 5761455 by countPrimes (with progress reports)', async () => {
    const calls: Array<[number, number]> = [];
    const count = await countPrimes(1e8, { pool: poolOf(2), onProgress: (done, total) => calls.push([done, total]) });
    expect(count).toBe(5761455);
    checkProgress(calls);
  });

  it('sieve(1e8) holds 5761455 primes, 99999989 the largest', async () => {
    const n = 1e8;
    const flags = await sieve(n, { pool: poolOf(2) });
    const [rows, cols] = flags.shape as [number, number];
    expect(rows * cols).toBeGreaterThanOrEqual(n + 1);
    expect(flags.buffer).toBeInstanceOf(SharedArrayBuffer);
    const data = flags.data;
    const count = countOnes(data.subarray(0, n + 1));
    expect(count).toBe(5761455);
    expect(data.subarray(n + 1).indexOf(1)).toBe(-1);
    expect(flags.get(Math.floor(99999989 / cols), 99999989 % cols)).toBe(true);
    expect(data.subarray(99999990, n + 1).indexOf(1)).toBe(-1);
    const flat = flags.ravel();
    const last = Array.from({ length: 201 }, (_, i) => n - 200 + i);
    expect(last.map((k) => [k, flat.get(k)]), 'flags of n - 200..n').toEqual(last.map((k) => [k, isPrime(k)]));
  });
});

function referenceLargestPrime(n: number): number {
  for (let k = n; k >= 2; k--) if (isPrime(k)) return k;
  throw new Error('no prime');
}

// ============================================================================================
// Random small n against trial division
// ============================================================================================

describe('random small n against trial division', () => {
  const smallN = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: SMALL_LIMIT - 1 }));

  it('countPrimes, primes and sieve agree with trial division (pools of 1, 2, 3 workers)', async () => {
    await fc.assert(fc.asyncProperty(smallN, fc.constantFrom(1, 2, 3), async (n, size) => {
      const pool = poolOf(size);
      const want: number[] = [];
      for (let k = 0; k <= n; k++) if (SMALL_FLAGS[k] === 1) want.push(k);
      expect(await countPrimes(n, { pool })).toBe(want.length);
      expectPrimeList(await primes(n, { pool }), Int32Array.from(want), n);
      checkSieve(await sieve(n, { pool }), n, SMALL_FLAGS, true);
    }), params(30));
  });

  it('every n in 0..300 on a pool of 3', async () => {
    const pool = poolOf(3);
    // all calls in flight at once: a worker takes the next task without going idle between them
    const ns = Array.from({ length: 301 }, (_, n) => n);
    const results = await Promise.all(ns.map((n) => Promise.all([countPrimes(n, { pool }), primes(n, { pool }), sieve(n, { pool })])));
    // pi(n) of every n in one expect, which names the first n whose count differs
    expect(results.map(([count]) => count), 'countPrimes(n) for n of 0..300').toEqual(ns.map((n) => referencePrimes(n).length));
    for (const [n, [, list, flags]] of results.entries()) {
      expectPrimeList(list, referencePrimes(n), n);
      checkSieve(flags, n, SMALL_FLAGS, false);
    }
  });
});

// ============================================================================================
// Row boundaries
// ============================================================================================

describe('n near row boundaries', () => {
  const SEGMENT = 2 ** 18;
  const ks = [1, 2, 3, 4, 5, 8, 12, 13, 16, 24, 25, 100, 1000, 4095, 4096, 4097, 8192, 16384];
  const ns = [...new Set([
    ...ks.flatMap((k) => [64 * k - 1, 64 * k, 64 * k + 1]),
    ...[1, 2, 3, 4, 5].flatMap((m) => [m * SEGMENT - 2, m * SEGMENT - 1, m * SEGMENT, m * SEGMENT + 1]),
  ])].filter((n) => n >= 0 && n <= BIG_LIMIT).sort((a, b) => a - b);

  for (const size of [1, 2, 3]) {
    it(`countPrimes, primes and sieve on a pool of ${size}`, async () => {
      const pool = poolOf(size);
      const results = await Promise.all(ns.map((n) => Promise.all([countPrimes(n, { pool }), primes(n, { pool }), sieve(n, { pool })])));
      const pis = ns.map((n) => BIG_PI[n]);
      expect(results.map(([count]) => count), `countPrimes(n) for n of ${ns.join(', ')} on ${size}`).toEqual(pis);
      expect(results.map(([, list]) => list.size), `primes(n).size for n of ${ns.join(', ')} on ${size}`).toEqual(pis);
      for (const [i, [, list, flags]] of results.entries()) {
        expectPrimeList(list, referencePrimes(ns[i]!), ns[i]!);
        checkSieve(flags, ns[i]!, BIG_FLAGS, false);
      }
    });
  }
});

// ============================================================================================
// countPrimes on the wheel: both kernels, segment and block boundaries
// ============================================================================================

describe('countPrimes on the wheel (TypeScript and WebAssembly kernels)', () => {
  /** Numbers per segment of the wheel (30 per byte). */
  const SEGMENT_NUMBERS = 30 * SEGMENT_BYTES;
  const LIMIT = 3 * SEGMENT_NUMBERS + 64;
  const edges = [1, 2, 3].flatMap((m) => [-31, -30, -1, 0, 1, 29, 30].map((d) => m * SEGMENT_NUMBERS + d));
  const random = fc.sample(fc.integer({ min: 0, max: LIMIT }), { seed: params(1).seed, numRuns: 8 });
  let want: Map<number, number>;

  beforeAll(() => {
    want = referencePi([...edges, ...random], LIMIT);
  });

  for (const kernel of ['js', 'wasm'] as const) {
    it(`kernel '${kernel}': n at the ends of segments (every one a block boundary too) and random n, pools of 1, 2, 3`, async () => {
      for (const n of [...edges, ...random]) {
        for (const size of [1, 2, 3]) {
          if (size !== 2 && edges.indexOf(n) % 3 !== size % 3) continue;
          expect(await countPrimes(n, { pool: poolOf(size), kernel }), `countPrimes(${n}) on ${size}, ${kernel}`).toBe(want.get(n));
        }
      }
    });

    it(`kernel '${kernel}': pi(1e9) = 50847534 on a pool of 2`, async () => {
      expect(await countPrimes(1e9, { pool: poolOf(2), kernel })).toBe(50847534);
    });
  }

  it('small n on both kernels, and pi(1e6) on the js kernel, on a pool of 3', async () => {
    const ns = Array.from({ length: 201 }, (_, n) => n);
    const counts = await Promise.all(ns.map((n) => Promise.all([countPrimes(n, { pool: poolOf(3), kernel: 'js' }), countPrimes(n, { pool: poolOf(3), kernel: 'wasm' })])));
    expect(counts).toEqual(ns.map((n) => Array(2).fill(referencePrimes(n).length)));
    expect(await countPrimes(1e6, { pool: poolOf(3), kernel: 'js' })).toBe(78498);
  });
});

// ============================================================================================
// Options
// ============================================================================================

function checkProgress(calls: ReadonlyArray<readonly [number, number]>): void {
  expect(calls.length).toBeGreaterThanOrEqual(1);
  const total = calls[0]![1];
  expect(Number.isSafeInteger(total) && total >= 1).toBe(true);
  let previous = 0;
  for (const [done, t] of calls) {
    expect(t).toBe(total);
    expect(Number.isSafeInteger(done)).toBe(true);
    expect(done).toBeGreaterThanOrEqual(previous);
    expect(done).toBeLessThanOrEqual(total);
    previous = done;
  }
  expect(calls[calls.length - 1]).toEqual([total, total]);
}

describe('options', () => {
  it('more workers than needed for tiny n', async () => {
    // these were { threads: 5 }, { threads: 6 } and { threads: 8 }: each n here is one row of
    // flags and one segment, so the calls split it into one task (min(rows, 4 × size) blocks,
    // min(size, segments) scratch rows) and all workers but one have nothing to do, on the
    // file's pool of 3 as on a pool of 8; { threads } itself is checked below
    const pool = poolOf(3);
    expect(await countPrimes(0, { pool })).toBe(0);
    expect(await countPrimes(10, { pool })).toBe(4);
    expectPrimeList(await primes(3, { pool }), Int32Array.of(2, 3), 3);
    checkSieve(await sieve(5, { pool }), 5, SMALL_FLAGS, true);
    expect((await sieve(10, { pool })).shape).toEqual([1, 64]);
    checkSieve(await sieve(1, { pool: poolOf(3) }), 1, SMALL_FLAGS, true);
  });

  it('the threads option is ignored when a pool is given', async () => {
    expect(await countPrimes(1000, { pool: poolOf(1), threads: 64 })).toBe(168);
    expect((await primes(1000, { pool: poolOf(1), threads: 64 })).size).toBe(168);
  });

  it('onProgress gets done <= total and ends with done === total', async () => {
    const pool = poolOf(2);
    for (const n of [0, 1000, 2_000_000]) {
      const calls: Array<[number, number]> = [];
      const onProgress = (done: number, total: number): void => { calls.push([done, total]); };
      expect(await countPrimes(n, { pool, onProgress })).toBe(n === 0 ? 0 : n === 1000 ? 168 : 148933);
      checkProgress(calls);

      calls.length = 0;
      const flags = await sieve(n, { pool, onProgress });
      checkProgress(calls);
      expect(calls[calls.length - 1]).toEqual([flags.shape[0], flags.shape[0]]);

      calls.length = 0;
      expect((await primes(n, { pool, onProgress })).size).toBe(n === 0 ? 0 : n === 1000 ? 168 : 148933);
      checkProgress(calls);
    }
  });

  it('no progress report comes after the call has resolved', async () => {
    const calls: number[] = [];
    const onProgress = (done: number): void => { calls.push(done); };
    expect(await countPrimes(1000, { pool: poolOf(2), onProgress })).toBe(168);
    expect((await primes(1000, { pool: poolOf(2), onProgress })).size).toBe(168);
    const reported = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(calls).toHaveLength(reported);
  });

  it('a pool passed in options gives the right results and is still usable afterwards', async () => {
    // the file's pool of 2, which gives what { threads: 2 } gives (checked below), against the
    // references: a fresh pool of 2 here cost two worker starts to compare it with that pool
    const pool = poolOf(2);
    for (const n of [0, 2, 97, 10_000, 65_537]) {
      expect(await countPrimes(n, { pool })).toBe(BIG_PI[n]);
      expectPrimeList(await primes(n, { pool }), referencePrimes(n), n);
      checkSieve(await sieve(n, { pool }), n, BIG_FLAGS, false);
    }
    // still running: it takes more work
    expect(await pool.apply('countPrimesTrialDivision', [0, 100])).toBe(25);
    expect(await countPrimes(100, { pool })).toBe(25);
  });
});

// ============================================================================================
// { threads }
// ============================================================================================

describe('{ threads: k }', () => {
  // the columns of a row, at least 64, follow (n + 1) / (4 × threads) (columns() in
  // src/sieve/sieve.ts), so each n here has a shape of its own for each thread count: 128
  // columns for 1000 on 1 (128 on 2 or 3), 125056 for 1e6 on 2 (250048 on 1, 83392 on 3), 64 for
  // 767 on 3 (128 on 2, 192 on 1); the n at row and segment boundaries are checked on the
  // file's pool of 3 above. These calls also show that a pool the call starts itself is
  // terminated before the call returns, and a pool passed in (the sieve on `pool`) is not: a
  // test of its own started three more workers for that, at n = 1000 on { threads: 1 }.
  it.each([[1, 1000], [2, 1e6], [3, 767]])('{ threads: %d } at n = %d: a pool of that many workers started and terminated for each call, giving the shape and results of a pool of that size', async (threads, n) => {
    const terminate = vi.spyOn(Pool.prototype, 'terminate');
    try {
      const sizes = (): number[] => terminate.mock.contexts.map((p) => (p as Pool).size);
      const pool = poolOf(threads);
      const want = referencePrimes(n);

      expect(await countPrimes(n, { threads })).toBe(want.length);
      expect(sizes()).toEqual([threads]);

      const list = await primes(n, { threads });
      expect(sizes()).toEqual([threads, threads]);
      expectPrimeList(list, want, n);

      const flags = await sieve(n, { threads });
      expect(sizes()).toEqual([threads, threads, threads]);
      expect(flags.shape).toEqual((await sieve(n, { pool })).shape);
      checkSieve(flags, n, BIG_FLAGS, false);
      expect(terminate).toHaveBeenCalledTimes(3);
    } finally {
      terminate.mockRestore();
    }
  });
});

// ============================================================================================
// The reference article's trial division
// ============================================================================================

describe('trial division on a pool', () => {
  it("the article's pool version: map over divideRange(2, 1000001, 4) sums to 78498", async () => {
    const pool = poolOf(2);
    const counts = await pool.map('countPrimesTrialDivision', divideRange(2, 1000001, 4));
    expect(counts).toHaveLength(4);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(78498);
    // the parts, each pi(hi - 1) - pi(lo - 1) from the reference table (countPrimesTrialDivision
    // on this thread was the reference before, 0.1 CPU s; sieve.test.ts checks it on 2..1000000)
    expect(counts).toEqual(divideRange(2, 1000001, 4).map(([lo, hi]) => BIG_PI[hi - 1]! - BIG_PI[lo - 1]!));
  });
});
