/** `shared-ndarray sieve <n>`: pi(n) on T threads, timed against one thread. */
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { Pool } from '../pool/pool.js';
import { countPrimesInRows, sieveWorkerModule, type CountRun, type SieveWorker } from '../sieve/sieve.js';
import { parseCount, parsePositive } from './parse.js';
import type { CliIO, CliStream } from './io.js';

interface SieveFlags {
  threads: number;
  runs: number;
  json?: boolean;
  compare: boolean;
}

/** A run shorter than this shows no bar at all. */
const BAR_DELAY_MS = 500;

/**
 * A progress bar on a terminal's stderr, shown only once a run has taken a while; nothing when
 * stderr is not a terminal.
 *
 * @internal
 */
export function progressReporter(
  label: string,
  stream: CliStream = process.stderr,
  now: () => number = Date.now,
): { onProgress?: (done: number, total: number) => void; stop(): void } {
  if (!stream.isTTY) return { stop() {} };
  const startedAt = now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(done, total) {
      if (!bar && now() - startedAt > BAR_DELAY_MS && done < total) {
        bar = new cliProgress.SingleBar({
          stream,
          format: `${label} [{bar}] {percentage}% | {value}/{total} segments | ETA {eta_formatted}`,
          clearOnComplete: true,
          hideCursor: true,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, done);
      }
      bar?.update(done);
    },
    stop() { bar?.stop(); },
  };
}

/** A pool of `threads` sieve workers, started and warmed up: the first call pays for compiling its WebAssembly to the fast tier, which is start-up, not sieving. */
async function startedPool(n: number, threads: number): Promise<Pool<SieveWorker>> {
  const pool = new Pool<SieveWorker>(sieveWorkerModule(), { size: threads });
  try {
    await pool.ready();
    await countPrimesInRows(Math.min(n, 1e8), { pool });
    return pool;
  } catch (error) {
    await pool.terminate();
    throw error;
  }
}

/** One timed `countPrimes(n)` on a started pool. */
async function timed(n: number, pool: Pool<SieveWorker>, stderr: CliStream): Promise<{ run: CountRun; seconds: number }> {
  const progress = progressReporter(`${pool.size} thread${pool.size === 1 ? '' : 's'}`, stderr);
  try {
    const start = process.hrtime.bigint();
    const run = await countPrimesInRows(n, progress.onProgress ? { pool, onProgress: progress.onProgress } : { pool });
    return { run, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
  } finally {
    progress.stop();
  }
}

/**
 * Best of `runs` timed runs on `threads` workers and, to compare, on one. The two alternate, so
 * a burst of other load on the machine hits both alike, and the best run of each is the one
 * least disturbed: on a 2-core machine with anything else running, a single run of 0.1 s can
 * show any speedup at all.
 */
async function measure(n: number, threads: number, runs: number, compare: boolean, stderr: CliStream) {
  const pools = [await startedPool(n, threads)];
  try {
    if (compare && threads > 1) pools.push(await startedPool(n, 1));
    const best: Array<{ run: CountRun; seconds: number } | undefined> = [];
    for (let i = 0; i < runs; i++) {
      for (const [k, pool] of pools.entries()) {
        const result = await timed(n, pool, stderr);
        if (best[k] === undefined || result.seconds < best[k]!.seconds) best[k] = result;
      }
    }
    return { parallel: best[0]!, single: best[1] };
  } finally {
    await Promise.all(pools.map((pool) => pool.terminate()));
  }
}

/** What the workers wrote in shared memory, as text. */
function describeRows(run: CountRun): string[] {
  const [rows, cols] = run.scratch.shape;
  const memory = run.scratch.buffer === 'WebAssembly.Memory' ? 'shared WebAssembly.Memory' : 'SharedArrayBuffer';
  const lines = [`shared: a [${rows}, ${cols}] uint8 scratch matrix in one ${memory}, a row per worker, sieved in place`];
  for (const [r, { thread, segments }] of run.rows.entries()) {
    lines.push(`  row ${r}: worker thread ${thread} sieved ${segments} of ${run.segments} segments`);
  }
  lines.push('  copied: nothing; the matrix went to the workers as a descriptor, and the rows above are what they wrote in it');
  return lines;
}

export function sieveCommand(io: CliIO): Command {
  return new Command('sieve')
    .description('count the primes <= n with the parallel sieve, and time it against one thread')
    .argument('<n>', 'upper bound; 1000000, 1_000_000 and 1e6 are all accepted', parseCount)
    .option('-t, --threads <T>', 'worker threads', parsePositive, availableParallelism())
    .option('-r, --runs <R>', 'timed runs of each, the best one reported', parsePositive, 5)
    .option('--json', 'print one JSON object instead of text')
    .option('--no-compare', 'skip the one-thread runs (and the speedup)')
    .action(async (n: number, flags: SieveFlags) => {
      const { parallel, single } = await measure(n, flags.threads, flags.runs, flags.compare, io.stderr);
      const baseline = single ?? (flags.threads === 1 ? parallel : undefined);
      if (baseline && baseline.run.count !== parallel.run.count) {
        throw new Error(`internal error: ${flags.threads} threads counted ${parallel.run.count} primes, 1 thread counted ${baseline.run.count}`);
      }
      const speedup = baseline ? baseline.seconds / parallel.seconds : undefined;
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({
          n, count: parallel.run.count, threads: flags.threads, seconds: parallel.seconds,
          oneThreadSeconds: baseline?.seconds ?? null, speedup: speedup ?? null, workersStartedBeforeTiming: true,
          runs: flags.runs, timing: 'best', scratch: parallel.run.scratch, segments: parallel.run.segments, rows: parallel.run.rows,
        })}\n`);
        return;
      }
      const of = flags.runs === 1 ? '' : `  (best of ${flags.runs})`;
      const lines = [`pi(${n}) = ${parallel.run.count}`, ...describeRows(parallel.run),
        `${flags.threads} thread${flags.threads === 1 ? ': ' : 's:'} ${parallel.seconds.toFixed(3)} s${of}`];
      if (single) {
        lines.push(`1 thread:  ${single.seconds.toFixed(3)} s${of}`,
          `speedup:   ${speedup!.toFixed(2)}x on ${flags.threads} threads${flags.runs === 1 ? '' : ` (best runs; ${flags.threads} threads and 1 alternating)`}`);
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}
