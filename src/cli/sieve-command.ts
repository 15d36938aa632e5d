/** `shared-ndarray sieve <n>`: pi(n) on T threads, timed against one thread. */
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { Pool } from '../pool/pool.js';
import { countPrimes, sieveWorkerModule, type SieveWorker } from '../sieve/sieve.js';
import { parseCount, parsePositive } from './parse.js';
import type { CliIO, CliStream } from './io.js';

interface SieveFlags {
  threads: number;
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

/**
 * Times `countPrimes(n)` on a pool whose workers have already started and have run the sieve
 * once, untimed: the first call pays for compiling its WebAssembly to the fast tier, which is
 * start-up, not sieving.
 */
async function timed(n: number, threads: number, stderr: CliStream): Promise<{ count: number; seconds: number }> {
  const pool = new Pool<SieveWorker>(sieveWorkerModule(), { size: threads });
  const progress = progressReporter(`${threads} thread${threads === 1 ? '' : 's'}`, stderr);
  try {
    await pool.ready();
    await countPrimes(Math.min(n, 1e8), { pool });
    const start = process.hrtime.bigint();
    const count = await countPrimes(n, progress.onProgress ? { pool, onProgress: progress.onProgress } : { pool });
    return { count, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
  } finally {
    progress.stop();
    await pool.terminate();
  }
}

export function sieveCommand(io: CliIO): Command {
  return new Command('sieve')
    .description('count the primes <= n with the parallel sieve, and time it against one thread')
    .argument('<n>', 'upper bound; 1000000, 1_000_000 and 1e6 are all accepted', parseCount)
    .option('-t, --threads <T>', 'worker threads', parsePositive, availableParallelism())
    .option('--json', 'print one JSON object instead of text')
    .option('--no-compare', 'skip the one-thread run (and the speedup)')
    .action(async (n: number, flags: SieveFlags) => {
      const run = await timed(n, flags.threads, io.stderr);
      const baseline = flags.compare && flags.threads > 1 ? await timed(n, 1, io.stderr) : flags.threads === 1 ? run : undefined;
      if (baseline && baseline.count !== run.count) {
        throw new Error(`internal error: ${flags.threads} threads counted ${run.count} primes, 1 thread counted ${baseline.count}`);
      }
      const speedup = baseline ? baseline.seconds / run.seconds : undefined;
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({
          n, count: run.count, threads: flags.threads, seconds: run.seconds,
          oneThreadSeconds: baseline?.seconds ?? null, speedup: speedup ?? null, workersStartedBeforeTiming: true,
        })}\n`);
        return;
      }
      const lines = [
        `pi(${n}) = ${run.count}`,
        `${flags.threads} thread${flags.threads === 1 ? ': ' : 's:'} ${run.seconds.toFixed(3)} s`,
      ];
      if (baseline && flags.threads > 1) {
        lines.push(`1 thread:  ${baseline.seconds.toFixed(3)} s`, `speedup:   ${speedup!.toFixed(2)}x on ${flags.threads} threads`);
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}
