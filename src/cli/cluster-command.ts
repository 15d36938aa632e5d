/** `shared-ndarray cluster status`: a cluster queue's depth, daemons and recent failures. */
import { Command } from 'commander';
import { parseName, parsePositive, parseRedisUrl } from './parse.js';
import type { CliIO } from './io.js';

interface StatusFlags {
  redis: string;
  queue: string;
  namespace: string;
  json?: boolean;
  failures: number;
}

export function clusterCommand(io: CliIO): Command {
  const status = new Command('status')
    .description("a queue's jobs by state, the daemons connected, the recent failures")
    .requiredOption('--redis <url>', "the cluster's Redis", parseRedisUrl)
    .requiredOption('--queue <name>', 'the queue', parseName)
    .option('--namespace <prefix>', "prefix of the cluster's Redis keys", parseName, 'shared-ndarray')
    .option('--failures <N>', 'how many recent failures to list', parsePositive, 5)
    .option('--json', 'print one JSON object instead of text')
    .action(async (flags: StatusFlags) => {
      const { clusterStatus } = await import('../cluster/status.js');
      const s = await clusterStatus({ url: flags.redis, queue: flags.queue, namespace: flags.namespace, failures: flags.failures });
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(s)}\n`);
        return;
      }
      const j = s.jobs;
      const threads = s.workers.reduce((n, w) => n + (w.threads ?? 0), 0);
      const lines = [
        `queue '${s.queue}' at ${s.url}`,
        `jobs: ${j.waiting} waiting, ${j.active} active, ${j.delayed} delayed, ${j.prioritized} prioritized, ${j.paused} paused, ${j.completed} completed, ${j.failed} failed (finished jobs: the last 100 kept)`,
        `workers: ${s.workers.length} connected, ${threads} threads`,
        ...s.workers.map((w) => `  ${w.host === undefined ? w.name || '(unnamed BullMQ worker)' : `${w.host} pid ${w.pid}, ${w.threads} threads`}, from ${w.addr}, up ${w.age} s`),
        `recent failures: ${s.failures.length === 0 ? 'none' : ''}`.trimEnd(),
        ...s.failures.map((f) => `  job ${f.id} (${f.fn}) ${f.finishedOn ?? ''}: ${f.reason}`),
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
    });
  return new Command('cluster').description('inspect a cluster queue (ClusterPool, docs/cluster.md)').addCommand(status);
}
