/**
 * `shared-ndarray worker --redis <url> --queue <name> --module <file>`: a worker daemon of a
 * cluster, until SIGTERM or SIGINT. The first signal drains (no new jobs; the running ones finish
 * and report; exit 0); a second one abandons the running jobs, which BullMQ's stalled-job check
 * hands to another daemon.
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { parseFile, parseName, parsePositive, parseRedisUrl } from './parse.js';
import type { CliIO } from './io.js';

interface WorkerFlags {
  redis: string;
  queue: string;
  module: string;
  threads: number;
  namespace: string;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

export function workerCommand(io: CliIO): Command {
  return new Command('worker')
    .description('serve a cluster queue: run its jobs on a pool of local threads (ClusterPool, docs/cluster.md)')
    .requiredOption('--redis <url>', "the cluster's Redis, redis://[user:password@]host[:port][/db] or rediss://", parseRedisUrl)
    .requiredOption('--queue <name>', 'the queue to serve', parseName)
    .requiredOption('--module <file>', 'the worker module (defineWorker) whose functions the jobs call', parseFile)
    .option('-t, --threads <N>', 'threads, and jobs run at once', parsePositive, availableParallelism())
    .option('--namespace <prefix>', "prefix of the cluster's Redis keys", parseName, 'shared-ndarray')
    .option('--lock-duration <ms>', "how long a job's lock lasts unrenewed: how soon a dead daemon's job runs elsewhere", parsePositive, 30_000)
    .option('--stalled-interval <ms>', 'milliseconds between checks for jobs whose lock ran out', parsePositive, 30_000)
    .option('--max-stalled-count <N>', 'times a job may stall and run again before it fails', parsePositive, 1)
    .action(async (flags: WorkerFlags) => {
      // loaded here, not with the command line: bullmq is an optional peer of the package
      const { WorkerDaemon } = await import('../cluster/daemon.js');
      const daemon = await WorkerDaemon.start({
        url: flags.redis, queue: flags.queue, module: flags.module, threads: flags.threads, namespace: flags.namespace,
        lockDuration: flags.lockDuration, stalledInterval: flags.stalledInterval, maxStalledCount: flags.maxStalledCount,
        log: (line) => io.stderr.write(`${line}\n`),
      });
      io.stdout.write(`ready ${daemon.name}\n`);
      await new Promise<void>((done) => {
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals): void => {
          if (++signals === 1) {
            io.stderr.write(`worker: ${signal}: draining (finishing the running jobs; a second signal abandons them)\n`);
            daemon.close().then(done, done);
          } else {
            io.stderr.write(`worker: ${signal}: abandoning the running jobs (another daemon takes them)\n`);
            daemon.terminate().then(done, done);
          }
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      io.stderr.write('worker: stopped\n');
    });
}
