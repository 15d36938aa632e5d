/**
 * The cluster on one machine, against a private redis-server on loopback (no persistence) and
 * worker daemons started as `shared-ndarray worker` processes of one thread each:
 * - per-task overhead: one trivial call's round trip through `ClusterPool.apply` (one daemon),
 *   against the local `Pool.apply` (one thread) and a raw BullMQ job round trip (`queue.add` with
 *   the ClusterPool's job options, then `job.waitUntilFinished`, on a bare BullMQ Worker echoing
 *   its data in a process of its own, as the daemon is; and, for reference, in this process):
 *   what the cluster costs beyond the engine it is built on. Interleaved, so a background load
 *   hits all alike.
 * - `mapRows` throughput: a float64 matrix filled by row blocks, held in Redis (RedisNDArray) or
 *   in a memmap `.npy`, with 1 and 2 daemons, against the local Pool's mapRows on 2 threads over a
 *   SharedNDArray. Each daemon serves its own queue's tasks: the 1-daemon queue has one, the
 *   2-daemon queue two.
 * On one machine Redis, the daemons and this process share the cores: a figure here is an upper
 * bound of the overhead, and the 2-daemon throughput a lower bound of what two machines do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool, createMemmap, zeros, type SharedNDArray } from 'shared-ndarray';
import type { Suite, SuiteContext } from '../harness/context.js';
import { INSTALL, importPeer } from '../harness/peers.js';
import { REDIS_SERVER, startRedis } from '../harness/redis-server.js';

const MODULE = new URL('../support/cluster.worker.mjs', import.meta.url);
const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const NS = 'bench';
const COLS = 8192;

type Worker = { echo: (x: number) => number; fillRows: (a: SharedNDArray<'float64'>, start: number, stop: number) => number };

interface ClusterModule {
  ClusterPool: new (module: URL, options: { url: string; queue: string; namespace: string; size?: number }) => {
    apply(fn: 'echo', ...args: [number]): Promise<number>;
    mapRows(fn: 'fillRows', array: unknown, options: { rowsPerTask: number }): Promise<number[]>;
    close(): void;
    join(): Promise<void>;
  };
  RedisNDArray: {
    create(name: string, options: { url: string; namespace: string; shape: number[]; dtype: 'float64' }): Promise<{ readRows(start: number, stop: number): Promise<SharedNDArray>; delete(): Promise<void> }>;
  };
}

interface Bull {
  Queue: new (name: string, options: object) => { add(name: string, data: unknown, opts?: object): Promise<{ waitUntilFinished(events: unknown): Promise<unknown> }>; close(): Promise<void> };
  QueueEvents: new (name: string, options: object) => { waitUntilReady(): Promise<unknown>; close(): Promise<void> };
  Worker: new (name: string, processor: (job: { data: unknown }) => Promise<unknown>, options: object) => { waitUntilReady(): Promise<unknown>; close(): Promise<void> };
}

/** A `shared-ndarray worker` process of one thread; resolves once it says it is ready. */
function daemon(url: string, queue: string): Promise<ChildProcess> {
  return child([CLI, 'worker', '--redis', url, '--queue', queue, '--namespace', NS, '--module', fileURLToPath(MODULE), '--threads', '1']);
}

/** A node process that prints "ready" once it serves its queue. */
async function child(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await Promise.race([
    lines.next().then((next) => String(next.value)),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bench cluster: ${args[0]} exited (${code}) before it was ready`)))),
  ]);
  if (!first.startsWith('ready')) throw new Error(`bench cluster: ${args[0]} said ${JSON.stringify(first)}`);
  return child;
}

async function stop(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  })));
}

const RAW = 'raw BullMQ: await (await queue.add(x, opts)).waitUntilFinished(events), a bare Worker echoing in another process';
const RAW_HERE = 'raw BullMQ, the same with the Worker in this process';
const LOCAL = 'local pool.apply(echo, x), 1 thread';
const APPLY = 'ClusterPool.apply(echo, x), 1 daemon of 1 thread';
const LOCAL_ROWS = 'local pool.mapRows over a SharedNDArray, 2 threads';
const rowsCase = (store: string, daemons: number): string => `ClusterPool.mapRows over a ${store}, ${daemons} daemon${daemons === 1 ? '' : 's'}`;

async function run(s: SuiteContext): Promise<void> {
  const bull = await importPeer<Bull>('bullmq');
  const cluster = await importPeer<ClusterModule>('shared-ndarray/cluster');
  const ioredis = await importPeer<unknown>('ioredis');
  const missing = REDIS_SERVER === undefined ? 'redis-server is not installed: apt-get install redis-server'
    : bull === undefined || ioredis === undefined ? `bullmq and ioredis are not installed: ${INSTALL.npm('bullmq ioredis')}` : undefined;
  // --smoke: two blocks of rows, one per daemon of two
  const rows = s.pick(1024, 256, 64);
  const mib = (rows * COLS * 8) / 2 ** 20;
  if (missing !== undefined || cluster === undefined || bull === undefined) {
    s.group('Per-task overhead: ClusterPool.apply vs the local Pool and a raw BullMQ round trip (time per call)');
    for (const name of [RAW, RAW_HERE, LOCAL, APPLY]) s.skip(name, missing ?? 'shared-ndarray/cluster does not load', { peer: name !== APPLY });
    s.group(`mapRows throughput: a ${mib} MiB float64 matrix filled by row blocks (time per fill)`);
    for (const name of [LOCAL_ROWS, ...['RedisNDArray', 'memmap .npy'].flatMap((st) => [rowsCase(st, 1), rowsCase(st, 2)])]) s.skip(name, missing ?? 'shared-ndarray/cluster does not load');
    return;
  }
  const server = await startRedis();
  const { url } = server;
  const connection = { url };
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  const closers: Array<() => Promise<unknown>> = [];
  try {
    children.push(await daemon(url, 'one'), ...(await Promise.all([daemon(url, 'two'), daemon(url, 'two')])));
    const one = new cluster.ClusterPool(MODULE, { url, queue: 'one', namespace: NS, size: 1 });
    const two = new cluster.ClusterPool(MODULE, { url, queue: 'two', namespace: NS, size: 2 });
    closers.push(async () => { one.close(); two.close(); await Promise.all([one.join(), two.join()]); });
    const local = new Pool<Worker>(MODULE, { size: 1 });
    const local2 = new Pool<Worker>(MODULE, { size: 2 });
    closers.push(() => Promise.all([local.terminate(), local2.terminate()]));
    await Promise.all([local.ready(), local2.ready()]);

    // bare BullMQ Workers on queues of their own: one in a process of its own, one in this process
    children.push(await child([fileURLToPath(new URL('../support/bullmq-echo.mjs', import.meta.url)), url, 'raw', NS]));
    const rawQueue = new bull.Queue('raw', { connection, prefix: NS });
    const events = new bull.QueueEvents('raw', { connection, prefix: NS });
    const hereQueue = new bull.Queue('raw-here', { connection, prefix: NS });
    const hereEvents = new bull.QueueEvents('raw-here', { connection, prefix: NS });
    const hereWorker = new bull.Worker('raw-here', async (job) => job.data, { connection, prefix: NS });
    closers.push(() => Promise.all([hereWorker.close(), hereEvents.close(), hereQueue.close(), events.close(), rawQueue.close()]));
    await Promise.all([events.waitUntilReady(), hereEvents.waitUntilReady(), hereWorker.waitUntilReady()]);
    // the options ClusterPool gives each job (cluster-pool.ts)
    const keep = { count: 100 };
    const opts = (): object => ({ jobId: `raw-${i}`, removeOnComplete: keep, removeOnFail: keep, attempts: 1 });

    s.group('Per-task overhead: ClusterPool.apply vs the local Pool and a raw BullMQ round trip (time per call)',
      'One call at a time, awaited. The daemon and the bare Workers are on this machine, so every call is at least two loopback Redis round trips; the raw cases are BullMQ alone, with the job options ClusterPool uses. The daemon hands each job to a thread of its local pool, which the bare Worker does not.');
    let i = 0;
    await s.interleaved([
      { name: RAW, fn: async () => (await rawQueue.add('echo', i, opts())).waitUntilFinished(events).finally(() => i++), options: { peer: true } },
      { name: RAW_HERE, fn: async () => (await hereQueue.add('echo', i, opts())).waitUntilFinished(hereEvents).finally(() => i++), options: { peer: true } },
      { name: LOCAL, fn: () => local.apply('echo', i++), options: { peer: true }, batch: 200 },
      { name: APPLY, fn: () => one.apply('echo', i++), options: { vs: RAW } },
    ], { batch: s.quick ? 10 : 30, rounds: s.quick ? 5 : 10 });
    s.compare('ClusterPool.apply / raw BullMQ round trip', APPLY, RAW);
    s.compare('ClusterPool.apply / local pool.apply', APPLY, LOCAL);
    s.compare('raw BullMQ: Worker in another process / in this process', RAW, RAW_HERE);

    s.group(`mapRows throughput: a ${mib} MiB float64 matrix (${rows} x ${COLS}) filled by row blocks (time per fill)`,
      'Blocks of 32 rows (2 MiB). RedisNDArray: each task fetches its rows from Redis, fills them and writes them back; memmap: the daemons map the same .npy file and write it in place (a shared filesystem between machines). Each daemon has one thread.');
    const rowsPerTask = 32;
    const local2Matrix = zeros([rows, COLS]);
    await s.timed(LOCAL_ROWS, () => local2.mapRows('fillRows', local2Matrix, { rowsPerTask }), { peer: true, warmup: true, detail: `${mib} MiB` });
    const redisMatrix = await cluster.RedisNDArray.create('matrix', { url, namespace: NS, shape: [rows, COLS], dtype: 'float64' });
    closers.push(() => redisMatrix.delete());
    const npy = createMemmap(join(dir, 'matrix.npy'), { shape: [rows, COLS] });
    for (const [store, matrix] of [['RedisNDArray', redisMatrix], ['memmap .npy', npy]] as const) {
      for (const [daemons, pool] of [[1, one], [2, two]] as const) {
        await s.timed(rowsCase(store, daemons), () => pool.mapRows('fillRows', matrix, { rowsPerTask }), { warmup: true, vs: LOCAL_ROWS, detail: `${mib} MiB` });
      }
    }
    // the fills landed: a spot check of the last row of each store
    const last = await redisMatrix.readRows(rows - 1, rows);
    if (last.get(0, COLS - 1) !== 1.5 || npy.get(rows - 1, COLS - 1) !== 1.5) throw new Error('bench cluster: a mapRows fill did not reach its array');
    s.compare('RedisNDArray: 2 daemons / 1 daemon', rowsCase('RedisNDArray', 2), rowsCase('RedisNDArray', 1));
    s.compare('memmap: 2 daemons / 1 daemon', rowsCase('memmap .npy', 2), rowsCase('memmap .npy', 1));
    s.note('Cluster cases: a private redis-server on loopback; daemons are `shared-ndarray worker --threads 1` processes on this machine.');
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    await stop(children);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const suite: Suite = {
  name: 'cluster',
  title: 'Cluster: ClusterPool over BullMQ on Redis, its per-task overhead and mapRows throughput',
  run,
};
export default suite;
