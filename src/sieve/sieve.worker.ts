/** The sieve's worker module: the kernels, exposed to the pool. */
import { threadId } from 'node:worker_threads';
import type { SharedNDArray } from '../ndarray/ndarray.js';
import { defineWorker } from '../worker-module/define.js';
import { collectPrimes, countOnes, sieveSegment } from './kernel.js';
import { claimSegments, jsWheelKernel, WheelCounter } from './wheel-count.js';
import { wasmWheelKernel, type WasmMemory } from './wheel-wasm.js';
import { countPrimesTrialDivision } from './trial-division.js';

type Flags = SharedNDArray<'bool' | 'uint8'>;

/** What `countSegments` needs besides its rows (see `countPrimes`). */
export interface CountJob {
  n: number;
  /** The sieving primes: every prime from 19 to isqrt(n), ascending. */
  primes: SharedNDArray<'int32'>;
  segmentBytes: number;
  segments: number;
  /** Each claim takes this fraction of the segments left (see `claimSegments`). */
  share: number;
  /** `[0]` is the first segment not claimed yet. */
  claims: SharedNDArray<'int32'>;
  progress: SharedNDArray<'int32'> | null;
  /** `[rows, 2]`: for each scratch row, the thread that sieved in it and how many segments it sieved. */
  ledger: SharedNDArray<'int32'>;
  /** The shared WebAssembly memory the scratch matrix lives in, or null for the TypeScript kernel. */
  memory: WasmMemory | null;
}

function tick(progress: SharedNDArray<'int32'> | null): void {
  if (progress) Atomics.add(progress.data, 0, 1);
}

export default defineWorker({
  /** Sieves rows `[start, stop)` of the flag matrix in place; returns how many primes they hold. */
  sieveRows(flags: Flags, start: number, stop: number, n: number, primes: SharedNDArray<'int32'>, progress: SharedNDArray<'int32'> | null): number {
    const cols = flags.shape[1]!;
    const data = flags.data;
    const base = primes.data;
    let count = 0;
    for (let r = start; r < stop; r++) {
      sieveSegment(data, r * cols, cols, r * cols, n, base);
      count += countOnes(data, r * cols, cols);
      tick(progress);
    }
    return count;
  },

  /**
   * Count-only: for each scratch row of `[row, rowStop)`, claims blocks of consecutive segments
   * of the wheel (`claimSegments`: long blocks first, single segments at the end) and sieves them
   * one after another in that row, so memory stays one workspace per worker whatever n is and a
   * worker that runs ahead takes more blocks. Returns the primes found, except 2, 3 and 5.
   */
  countSegments(scratch: Flags, row: number, rowStop: number, job: CountJob): number {
    const data = scratch.data;
    const cols = scratch.shape[1]!;
    const kernel = job.memory ? wasmWheelKernel(job.memory) : jsWheelKernel(data.buffer);
    let count = 0;
    const ledger = job.ledger.data;
    for (let r = row; r < rowStop; r++) {
      const counter = new WheelCounter(kernel, data.byteOffset + r * cols, job.segmentBytes, job.n, job.primes.data);
      ledger[2 * r] = threadId;
      for (let block = claimSegments(job.claims.data, job.segments, job.share); block; block = claimSegments(job.claims.data, job.segments, job.share)) {
        const [first, stop] = block;
        counter.start(first);
        for (let s = first; s < stop; s++) {
          count += counter.next();
          tick(job.progress);
        }
        ledger[2 * r + 1]! += stop - first;
      }
    }
    return count;
  },

  /** Writes the primes of rows `[start, stop)` into `out` from `offset`. */
  writePrimes(flags: Flags, start: number, stop: number, out: SharedNDArray<'int32' | 'float64'>, offset: number): number {
    const cols = flags.shape[1]!;
    return collectPrimes(flags.data, start * cols, (stop - start) * cols, start * cols, out.data, offset) - offset;
  },

  /** The article's pool worker: counts primes in `[lo, hi)` by trial division. */
  countPrimesTrialDivision([lo, hi]: readonly [number, number]): number {
    return countPrimesTrialDivision(lo, hi);
  },
});
