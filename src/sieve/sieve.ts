/**
 * The parallel sieve of Eratosthenes, partitioned by rows over one shared buffer: the numbers
 * 0..n are laid out as a `[rows, cols]` matrix of flags in a SharedArrayBuffer, the base primes up
 * to sqrt(n) are computed once on the calling thread and shared, and each pool worker sieves its
 * blocks of rows in place. A row is one cache-sized segment.
 */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { frombuffer, zeros } from '../ndarray/create.js';
import type { SharedNDArray } from '../ndarray/ndarray.js';
import { compiledModule } from '../worker-module/compiled.js';
import { divideRange } from '../pool/partition.js';
import { Pool } from '../pool/pool.js';
import { defaultPool, runBuiltin, type AnyPool } from '../pool/default-pool.js';
import type { FunctionName } from '../worker-module/types.js';
import { basePrimes } from './kernel.js';
import { firstSievingIndex, SEGMENT_BYTES, wheelExcluded, wheelLayout, wheelSegments } from './wheel-count.js';
import { sharedWasmMemory, wasmAvailable, type WasmMemory } from './wheel-wasm.js';

/** The sieve's worker module type, for `Pool<SieveWorker>`. */
export type SieveWorker = typeof import('./sieve.worker.js');

/** Numbers per row: 256 KiB of flags stays in a core's L2 cache while every base prime crosses it. */
const SEGMENT = 1 << 18;

/** Largest n whose flag matrix fits one typed array (Node 20 caps their length at 2^32). */
export const MAX_SIEVE_N = 2 ** 32 - SEGMENT - 1;

export interface SieveOptions {
  /**
   * Worker threads of a pool started for this call alone (and terminated after it). Without it
   * and without `pool`, the package's default pool runs the call: its workers start on first use
   * and stay for the next call. Ignored when `pool` is given.
   */
  threads?: number;
  /** A pool to run on, started on any worker module (its workers load the sieve's on first use). */
  pool?: AnyPool;
  /** Called about every 100 ms while workers run, and once at the end, with rows (segments) done. */
  onProgress?: (done: number, total: number) => void;
  /**
   * countPrimes only: 'wasm' (default) runs the sieve's loops in WebAssembly where the runtime
   * allows, 'js' in plain TypeScript; the answers are the same.
   */
  kernel?: 'wasm' | 'js';
}

/** The URL of the compiled sieve worker module, for `new Pool<SieveWorker>(sieveWorkerModule())`. */
export function sieveWorkerModule(): URL {
  return compiledModule('./sieve.worker.js', import.meta.url);
}

function checkN(fn: string, n: unknown, max: number, why: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new ArgumentError(`${fn}: invalid argument 'n': expected an integer >= 0, got ${show(n)}`);
  }
  if (n > max) throw new ArgumentError(`${fn}: invalid argument 'n': expected at most ${max} (${why}), got ${n}`);
  return n;
}

function checkOptions(fn: string, options: unknown): SieveOptions {
  checkOptionKeys(fn, 'options', options, ['threads', 'pool', 'onProgress', 'kernel']);
  const { threads, pool, onProgress, kernel } = options as SieveOptions;
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.threads': expected a positive integer, got ${show(threads)}`);
  }
  if (pool !== undefined && !(pool instanceof Pool)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.pool': expected a Pool, got ${show(pool)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ArgumentError(`${fn}: invalid argument 'options.onProgress': expected a function, got ${show(onProgress)}`);
  }
  if (kernel !== undefined && kernel !== 'wasm' && kernel !== 'js') {
    throw new ArgumentError(`${fn}: invalid argument 'options.kernel': expected 'wasm' or 'js', got ${show(kernel)}`);
  }
  return options as SieveOptions;
}

/** floor(sqrt(n)), exact for every safe integer. */
function isqrt(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  while (r * r > n) r--;
  while ((r + 1) * (r + 1) <= n) r++;
  return r;
}

/** The primes up to sqrt(n), in shared memory so every worker reads the one copy. */
function sharedBasePrimes(n: number): SharedNDArray<'int32'> {
  const primes = basePrimes(isqrt(n));
  const shared = zeros([primes.length], 'int32');
  shared.data.set(primes);
  return shared;
}

/** Columns per row: a full segment for large n, less for small n so every worker gets rows. */
function columns(n: number, threads: number): number {
  const perTask = Math.ceil((n + 1) / (threads * 4));
  return Math.max(64, Math.min(SEGMENT, Math.ceil(perTask / 64) * 64));
}

/** `fn` of the sieve's worker module once per argument list, on `pool`'s workers. */
function runSieve(pool: AnyPool, fn: FunctionName<SieveWorker>, argLists: ReadonlyArray<readonly unknown[]>): Promise<number[]> {
  return runBuiltin(pool, sieveWorkerModule(), fn, argLists) as Promise<number[]>;
}

async function withPool<T>(options: SieveOptions, run: (pool: AnyPool) => Promise<T>): Promise<T> {
  if (options.pool) return run(options.pool);
  if (options.threads === undefined) return run(defaultPool());
  const pool = new Pool<SieveWorker>(sieveWorkerModule(), { size: options.threads });
  try {
    return await run(pool);
  } finally {
    await pool.terminate();
  }
}

/** A shared progress counter the workers bump, polled from the calling thread's event loop. */
async function withProgress<T>(options: SieveOptions, total: number, run: (counter: SharedNDArray<'int32'> | null) => Promise<T>): Promise<T> {
  const report = options.onProgress;
  if (!report) return run(null);
  const counter = zeros([1], 'int32');
  const timer = setInterval(() => report(Atomics.load(counter.data, 0), total), 100);
  try {
    const result = await run(counter);
    report(total, total);
    return result;
  } finally {
    clearInterval(timer);
  }
}

interface Sieved {
  flags: SharedNDArray<'bool'>;
  /** Row blocks, one per task (about four per worker, so one that finishes early takes another), and the primes each holds. */
  blocks: Array<[number, number]>;
  counts: number[];
}

async function sieveBlocks(n: number, options: SieveOptions, pool: AnyPool): Promise<Sieved> {
  const cols = columns(n, pool.size);
  const rows = Math.ceil((n + 1) / cols);
  const flags = zeros([rows, cols], 'bool');
  const primes = sharedBasePrimes(n);
  const blocks = divideRange(0, rows, Math.min(rows, pool.size * 4));
  const counts = await withProgress(options, rows, (progress) =>
    runSieve(pool, 'sieveRows', blocks.map(([start, stop]) => [flags, start, stop, n, primes, progress])));
  return { flags, blocks, counts };
}

/**
 * The prime flags of 0..n as a `[rows, cols]` bool matrix over one SharedArrayBuffer: number
 * `k` is at `[Math.floor(k / cols), k % cols]` (so `flags.ravel().get(k)`), one byte per number;
 * cells past n are false. n may be up to MAX_SIEVE_N.
 * @throws {ArgumentError} (rejects) when `n` is not an integer from 0 to MAX_SIEVE_N, or an option is invalid
 * @throws {PoolStateError} (rejects) when `options.pool` is closed or terminated
 * @throws {WorkerDiedError} (rejects) when a worker died while it sieved
 * @throws {BufferError} (rejects) when the flags cannot be allocated
 */
export async function sieve(n: number, options: SieveOptions = {}): Promise<SharedNDArray<'bool'>> {
  checkN('sieve', n, MAX_SIEVE_N, 'the flag matrix, one byte per number, must fit one typed array of at most 2^32 bytes');
  checkOptions('sieve', options);
  return withPool(options, async (pool) => (await sieveBlocks(n, options, pool)).flags);
}

/**
 * In countPrimes each claim takes 1/(CLAIM_SHARE × rows) of the segments left (`claimSegments`):
 * on 2 workers 27 claims in all at 1e9 (64 segments) and 45 at 1e10 (636 segments), the last 15
 * of one segment each; a worker alone claims 15 and 23 times, always the block after its last.
 */
const CLAIM_SHARE = 4;

/**
 * The scratch matrix of countPrimes, `[rows, rowBytes]` uint8: with the WebAssembly kernel it
 * views a shared WebAssembly memory (which the workers get too, to run the kernel on), else it is
 * plain shared memory for the TypeScript kernel.
 */
function countScratch(rows: number, rowBytes: number, kernel: 'wasm' | 'js'): { scratch: SharedNDArray<'uint8'>; memory: WasmMemory | null } {
  if (kernel === 'js' || !wasmAvailable()) return { scratch: zeros([rows, rowBytes], 'uint8'), memory: null };
  const bytes = rows * rowBytes;
  let memory = spareScratch;
  if (memory !== undefined && memory.buffer.byteLength >= bytes) spareScratch = undefined;
  else memory = sharedWasmMemory(bytes);
  return { scratch: frombuffer(memory.buffer, { dtype: 'uint8', count: bytes }).reshape([rows, rowBytes]), memory };
}

/**
 * The scratch memory of the last countPrimes call that finished, for the next call to sieve in.
 * A fresh memory costs a page fault per 4 KiB on first touch (about 1 MiB per worker, 2-3 ms
 * on a virtual machine, of the 40-90 ms a call at 1e9 takes); a reused one is already resident.
 * Every byte a counter reads it writes first (primes, states, patterns, each segment's pre-sieve),
 * so what an earlier call left there does not matter. Only a call whose workers all returned
 * gives its memory back: after a failure a worker may still be writing in it.
 */
let spareScratch: WasmMemory | undefined;

function returnScratch(memory: WasmMemory | null): void {
  if (memory !== null && (spareScratch === undefined || spareScratch.buffer.byteLength < memory.buffer.byteLength)) spareScratch = memory;
}

/**
 * pi(n), the number of primes <= n. Count-only, on a bit-packed mod-30 wheel (8 bits per 30
 * numbers): each worker sieves blocks of consecutive 512 KiB segments (15.7 million numbers each)
 * in its own row of a `[threads, workspace]` scratch matrix (a row holds the segment, the sieving
 * primes' states and the pre-sieve patterns), claiming the next block from a shared counter when it
 * is done with one (long blocks first, single segments at the end). Memory is O(sqrt(n) + threads ×
 * segment), about 1 MiB per thread for n up to 1e11, and n is limited only by time; the scratch
 * memory of the last call is kept for the next one. The loops run in WebAssembly where the runtime has shared
 * WebAssembly memories, else in TypeScript (`options.kernel`); both give the same answers.
 * @throws {ArgumentError} (rejects) when `n` is not a safe integer >= 0, or an option is invalid
 * @throws {PoolStateError} (rejects) when `options.pool` is closed or terminated
 * @throws {WorkerDiedError} (rejects) when a worker died while it sieved
 */
export async function countPrimes(n: number, options: SieveOptions = {}): Promise<number> {
  return (await countPrimesInRows(n, options)).count;
}

/**
 * What one countPrimes run did in shared memory, for the demo (`shared-ndarray sieve`).
 *
 * @internal
 */
export interface CountRun {
  count: number;
  /** The scratch matrix the workers sieved in: one row per worker. */
  scratch: { shape: [number, number]; dtype: 'uint8'; buffer: 'SharedArrayBuffer' | 'WebAssembly.Memory' };
  /** Per scratch row, as the workers wrote it into shared memory: the worker's thread id and the segments it sieved there. */
  rows: Array<{ thread: number; segments: number }>;
  segments: number;
}

/**
 * countPrimes, and how its work fell on the scratch matrix's rows.
 *
 * @internal
 */
export async function countPrimesInRows(n: number, options: SieveOptions = {}): Promise<CountRun> {
  checkN('countPrimes', n, Number.MAX_SAFE_INTEGER, 'the largest safe integer');
  checkOptions('countPrimes', options);
  return withPool(options, async (pool) => {
    const all = basePrimes(isqrt(n));
    const sieving = all.subarray(firstSievingIndex(all));
    const segmentBytes = Math.min(SEGMENT_BYTES, Math.ceil((Math.floor(n / 30) + 1) / 64) * 64);
    const segments = wheelSegments(n, segmentBytes);
    const rows = Math.min(pool.size, segments);
    const { scratch, memory } = countScratch(rows, wheelLayout(segmentBytes, sieving.length).bytes, options.kernel ?? 'wasm');
    const primes = zeros([sieving.length], 'int32');
    primes.data.set(sieving);
    const claims = zeros([1], 'int32');
    const ledger = zeros([rows, 2], 'int32');
    const counts = await withProgress(options, segments, (progress) => {
      const job = { n, primes, segmentBytes, segments, share: CLAIM_SHARE * rows, claims, progress, ledger, memory };
      return runSieve(pool, 'countSegments', Array.from({ length: rows }, (_, r) => [scratch, r, r + 1, job]));
    });
    returnScratch(memory);
    return {
      count: counts.reduce((a, b) => a + b, wheelExcluded(n)),
      scratch: { shape: [rows, scratch.shape[1]!], dtype: 'uint8', buffer: memory ? 'WebAssembly.Memory' : 'SharedArrayBuffer' },
      rows: Array.from({ length: rows }, (_, r) => ({ thread: ledger.get(r, 0), segments: ledger.get(r, 1) })),
      segments,
    };
  });
}

/**
 * The primes <= n, ascending, in a shared 1-d array: int32 while they fit, float64 (exact to
 * 2^53) beyond. Workers sieve their rows, then each writes its primes into its own slice.
 * @throws {ArgumentError} (rejects) when `n` is not an integer from 0 to MAX_SIEVE_N, or an option is invalid
 * @throws {PoolStateError} (rejects) when `options.pool` is closed or terminated
 * @throws {WorkerDiedError} (rejects) when a worker died while it sieved
 * @throws {BufferError} (rejects) when the flags or the primes cannot be allocated
 */
export async function primes(n: number, options: SieveOptions = {}): Promise<SharedNDArray<'int32'> | SharedNDArray<'float64'>> {
  checkN('primes', n, MAX_SIEVE_N, 'the flag matrix, one byte per number, must fit one typed array of at most 2^32 bytes');
  checkOptions('primes', options);
  return withPool(options, async (pool) => {
    const { flags, blocks, counts } = await sieveBlocks(n, options, pool);
    const total = counts.reduce((a, b) => a + b, 0);
    const out = n <= 2 ** 31 - 1 ? zeros([total], 'int32') : zeros([total], 'float64');
    let offset = 0;
    const tasks = blocks.map(([start, stop], i) => {
      const task: [SharedNDArray<'bool'>, number, number, SharedNDArray<'int32' | 'float64'>, number] =
        [flags, start, stop, out as SharedNDArray<'int32' | 'float64'>, offset];
      offset += counts[i]!;
      return task;
    });
    await runSieve(pool, 'writePrimes', tasks);
    return out;
  });
}
