/**
 * The sieve without threads: argument checks of `sieve`, `countPrimes` and `primes` (they reject
 * before any pool starts), the worker functions called directly, and the reference article's
 * trial division. The sieve on pools is in sieve.thread.test.ts.
 */
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isPrime } from '../support/assert.js';
import { ArgumentError, checkPrime, countPrimes, countPrimesTrialDivision, MAX_SIEVE_N, primes, sieve, zeros } from '../../src/index.js';
import type { SieveOptions } from '../../src/index.js';
import { basePrimes } from '../../src/sieve/kernel.js';
import sieveWorker, { type CountJob } from '../../src/sieve/sieve.worker.js';
import { wheelLayout, wheelSegments } from '../../src/sieve/wheel-count.js';

describe('the worker functions', () => {
  it('the worker functions bump the shared progress counter once per row or segment they sieve', () => {
    const n = 10_000;
    const cols = 64;
    const segments = Math.ceil((n + 1) / cols);
    const list = basePrimes(100);
    const base = zeros([list.length], 'int32');
    base.data.set(list);
    const progress = zeros([1], 'int32');
    const flags = zeros([segments, cols], 'bool');
    // rows 10..19 hold 640..1279: pi(1279) - pi(639) = 207 - 115 primes
    expect(sieveWorker.sieveRows(flags, 10, 20, n, base, progress)).toBe(92);
    expect(progress.get(0)).toBe(10);
    // count-only: the task of scratch row 1 claims every block of segments of 8 bytes (240 numbers)
    const sieving = zeros([list.length - 7], 'int32');
    sieving.data.set(list.subarray(7));
    const wheelSegmentCount = wheelSegments(n, 8);
    const scratch = zeros([2, wheelLayout(8, sieving.size).bytes], 'uint8');
    const claims = zeros([1], 'int32');
    const ledger = zeros([2, 2], 'int32');
    const job: CountJob = { n, primes: sieving, segmentBytes: 8, segments: wheelSegmentCount, share: 4, claims, progress, ledger, memory: null };
    expect(sieveWorker.countSegments(scratch, 1, 2, job) + 3).toBe(1229);
    expect(progress.get(0)).toBe(10 + wheelSegmentCount);
    expect(claims.get(0)).toBe(wheelSegmentCount);
    // the ledger says which thread sieved in row 1 (this one: the main thread's id is 0), and how much
    expect(ledger.toArray()).toEqual([[0, 0], [threadId, wheelSegmentCount]]);
    // then row 0's task finds nothing left to claim
    expect(sieveWorker.countSegments(scratch, 0, 1, job)).toBe(0);
    expect(progress.get(0)).toBe(10 + wheelSegmentCount);
    expect(ledger.get(0, 1)).toBe(0);
  });
});

// ============================================================================================
// Errors
// ============================================================================================

describe('errors', () => {
  async function expectArgumentError(promise: Promise<unknown>, fn: string, name: string): Promise<void> {
    let error: unknown;
    try {
      await promise;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain(fn);
    expect((error as Error).message).toContain(`'${name}'`);
  }

  const badN: unknown[] = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null, 10n];

  it.each(badN.map((n) => [n]))('sieve, primes and countPrimes reject n = %s', async (n) => {
    await expectArgumentError(sieve(n as number), 'sieve', 'n');
    await expectArgumentError(primes(n as number), 'primes', 'n');
    await expectArgumentError(countPrimes(n as number), 'countPrimes', 'n');
  });

  it('sieve and primes reject n > MAX_SIEVE_N; countPrimes rejects unsafe n', async () => {
    expect(MAX_SIEVE_N).toBeLessThan(2 ** 32);
    await expectArgumentError(sieve(MAX_SIEVE_N + 1), 'sieve', 'n');
    await expectArgumentError(primes(MAX_SIEVE_N + 1), 'primes', 'n');
    await expectArgumentError(sieve(2 ** 40), 'sieve', 'n');
    await expectArgumentError(countPrimes(2 ** 53), 'countPrimes', 'n');
  });

  const badOptions: Array<[string, unknown]> = [
    ['options.threads', { threads: 0 }],
    ['options.threads', { threads: -2 }],
    ['options.threads', { threads: 1.5 }],
    ['options.threads', { threads: Number.NaN }],
    ['options.threads', { threads: '2' }],
    ['options.pool', { pool: {} }],
    ['options.pool', { pool: 'pool' }],
    ['options.pool', { pool: null }],
    ['options.onProgress', { onProgress: 'yes' }],
    ['options.onProgress', { onProgress: 1 }],
    ['options.kernel', { kernel: 'gpu' }],
    ['options.kernel', { kernel: null }],
    ['options', null],
    ['options', 5],
    ['options', 'threads'],
  ];

  it.each(badOptions)('sieve, primes and countPrimes reject a bad %s (%o)', async (name, options) => {
    await expectArgumentError(sieve(10, options as SieveOptions), 'sieve', name);
    await expectArgumentError(primes(10, options as SieveOptions), 'primes', name);
    await expectArgumentError(countPrimes(10, options as SieveOptions), 'countPrimes', name);
  });
});

describe('trial division', () => {
  it('checkPrime', () => {
    const cases: Array<[number, boolean]> = [[0, false], [1, false], [2, true], [3, true], [4, false], [9, false], [25, false], [97, true]];
    for (const [n, want] of cases) expect(checkPrime(n), `checkPrime(${n})`).toBe(want);
    for (let k = 0; k <= 2000; k++) expect(checkPrime(k)).toBe(isPrime(k));
  });

  it('countPrimesTrialDivision(2, 1000001) === 78498', () => {
    expect(countPrimesTrialDivision(2, 1000001)).toBe(78498);
    expect(countPrimesTrialDivision(0, 0)).toBe(0);
    expect(countPrimesTrialDivision(0, 3)).toBe(1);
    expect(countPrimesTrialDivision(10, 20)).toBe(4);
  });

  it('countPrimesTrialDivision rejects bad ranges', () => {
    expect(() => countPrimesTrialDivision(-1, 10)).toThrow(ArgumentError);
    expect(() => countPrimesTrialDivision(-1, 10)).toThrow(/'lo'/);
    expect(() => countPrimesTrialDivision(1.5, 10)).toThrow(/'lo'/);
    expect(() => countPrimesTrialDivision(10, 5)).toThrow(/'hi'/);
    expect(() => countPrimesTrialDivision(0, Number.NaN)).toThrow(/'hi'/);
  });
});
