/**
 * ClusterPool against real worker daemons: the compiled command (dist/cli/main.js `worker`) as
 * child processes, on a private redis-server. Results exact for every call form, a throwing
 * task's error class, progress, mapRows over both array stores, a daemon SIGKILLed mid-task, a
 * daemon added while a call runs, SIGTERM drain, and Redis lost under a waiting call. Daemons use
 * short lock and stall timeouts (2 s, 1 s) so the recovery of a killed daemon's job stays bounded.
 * A daemon whose process no test signals or kills is a WorkerDaemon in this process
 * (`WorkerDaemon.start`, what the command runs; its pid is this process's): a daemon process
 * costs ~0.45 CPU s, most of it loading BullMQ, which this process has loaded already.
 * Each fault test has a queue and daemons of its own, and the queue of the two daemons is apart
 * from them all: the fault tests run at once, beside that queue's tests (which run in order).
 * Most of their time is waiting (daemons starting, a lock running out, a drain), not CPU.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type RedisServer } from '../../bench/harness/redis-server.js';
import { AbortError, ArgumentError, ClusterConnectionError, ValueError, createMemmap, divideRange } from '../../src/index.js';
import { unpackError } from '../../src/cluster/job.js';
import { ClusterPool, RedisNDArray, WorkerDaemon, clusterStatus } from '../../src/cluster/index.js';
import { cli } from '../support/cli.js';
import { sleep } from '../support/pools.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const MODULE = fileURLToPath(new URL('../support/cluster-worker.mjs', import.meta.url));
type Worker = typeof import('../support/cluster-worker.mjs');
const FAST_STALL = ['--lock-duration', '2000', '--stalled-interval', '1000', '--max-stalled-count', '3'];

interface Daemon {
  readonly child: ChildProcess;
  readonly pid: number;
  /** host/pid/threads, as BullMQ's worker name (a job's processedBy). */
  readonly name: string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const daemons: Daemon[] = [];
let redis: RedisServer;

/** Starts `shared-ndarray worker` and waits for its "ready <name>" line. */
async function daemon(queue: string, threads: number, extra: string[] = []): Promise<Daemon> {
  const child = spawn(process.execPath, [CLI, 'worker', '--redis', redis.url, '--queue', queue, '--module', MODULE, '-t', String(threads), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b) => { err += String(b); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const name = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b) => {
      out += String(b);
      const m = /^ready (\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then(({ code, signal }) => reject(new Error(`daemon exited (${code ?? signal}) before it was ready: ${err}`)));
  });
  const d = { child, pid: child.pid!, name, stderr: () => err, exited };
  daemons.push(d);
  return d;
}

const local: WorkerDaemon[] = [];

/** A WorkerDaemon of one thread in this process on `queue`, and the lines it logs (a daemon process's stderr). */
async function localDaemon(queue: string): Promise<{ daemon: WorkerDaemon; log(): string }> {
  const lines: string[] = [];
  const daemon = await WorkerDaemon.start({ url: redis.url, queue, module: MODULE, threads: 1, log: (line) => lines.push(line) });
  local.push(daemon);
  return { daemon, log: () => lines.join('\n') };
}

/** Polls `queue` of the Redis at `port` (over one connection) until `done` says so. */
async function until(port: number, queue: string, done: (q: Queue) => Promise<boolean>): Promise<void> {
  const q = new Queue(queue, { connection: { host: '127.0.0.1', port }, prefix: 'shared-ndarray' });
  try {
    while (!(await done(q))) await sleep(20);
  } finally {
    await q.close();
  }
}

/** Waits until a job of `queue` is active on `d` (BullMQ records the worker's name on it). */
const activeOn = (queue: string, d: { readonly name: string }): Promise<void> => until(redis.port, queue, async (q) => (await q.getActive()).some((job) => job.processedBy === d.name));

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const d of daemons) d.child.kill('SIGKILL');
  await Promise.all([...daemons.map((d) => d.exited), ...local.map((d) => d.terminate())]);
  await redis?.stop();
});

// concurrent with 'faults' below; its own tests run in order (the status test counts their jobs)
describe.concurrent('a queue served by two daemons (2 threads and 1)', () => {
  let pool: ClusterPool<Worker>;
  /** the daemon process's, and this process's (the WorkerDaemon's) */
  let pids: number[];

  beforeAll(async () => {
    const [d] = await Promise.all([daemon('main', 2), localDaemon('main')]);
    pids = [d.pid, process.pid];
    pool = new ClusterPool<Worker>(MODULE, { url: redis.url, queue: 'main' });
    await pool.ready();
  });

  afterAll(async () => {
    pool?.close();
    await pool?.join();
  });

  it.sequential('map, starmap, apply, run, applyAsync, mapAsync, imap, imapUnordered: exact results, in order', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i - 50);
    expect(await pool.map('square', items, { chunksize: 7 })).toEqual(items.map((x) => x * x));
    expect(await pool.map('square', items)).toEqual(items.map((x) => x * x));
    expect(await pool.starmap('add', items.map((x) => [x, 0.5]))).toEqual(items.map((x) => x + 0.5));
    expect(await pool.apply('add', 2, 40)).toBe(42);
    expect(await pool.run('add', [1, 2])).toBe(3);
    expect(await pool.applyAsync('square', [9]).get()).toBe(81);
    expect(await pool.mapAsync('square', [1, 2, 3]).get()).toEqual([1, 4, 9]);
    expect(await pool.map('square', [])).toEqual([]);
    const ordered: unknown[] = [];
    for await (const x of pool.imap('square', items.slice(0, 20), { chunksize: 3 })) ordered.push(x);
    expect(ordered).toEqual(items.slice(0, 20).map((x) => x * x));
    const unordered: number[] = [];
    for await (const x of pool.imapUnordered('square', items.slice(0, 20))) unordered.push(x);
    expect(unordered.sort((a, b) => a - b)).toEqual(items.slice(0, 20).map((x) => x * x).sort((a, b) => a - b));
    // structured-clone values survive both trips
    expect(await pool.apply('structured', 3)).toEqual({ n: 3, big: 2n ** 70n, map: new Map([['a', new Set([1, 2])]]), date: new Date(0), floats: new Float64Array([3, 0.5]) });
    // both daemons took work
    const ran = new Set(await pool.map('pid', Array.from({ length: 30 }, () => 0), { chunksize: 1 }));
    for (const pid of ran) expect(pids).toContain(pid);
  });

  it.sequential("a task that throws rejects with the worker's error: class, message, code, stack", async () => {
    const error = await pool.apply('fail', 'boom').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toMatchObject({ name: 'ValueError', message: 'boom', code: 'E_CLUSTER_TEST' });
    expect((error as Error).stack).toMatch(/cluster-worker\.mjs/);
    await expect(pool.map('failRange', [1, 2, 3, 4], { chunksize: 1 })).rejects.toThrow(RangeError);
    await expect(pool.map('failRange', [1, 2, 3, 4], { chunksize: 1 })).rejects.toThrow(/^no 3$/);
    // not retried: the job completed once, with the error as its result
    const s = await clusterStatus({ url: redis.url, queue: 'main' });
    expect(s.jobs.failed).toBe(0);
  });

  it.sequential('a function the module does not define: the no-such-function ArgumentError; another module: refused', async () => {
    await expect((pool as unknown as ClusterPool).apply('nope')).rejects.toThrow(/has no function "nope" \(it defines 'square', 'add'/);
    const other = new ClusterPool(fileURLToPath(new URL('../support/pool-basic.mjs', import.meta.url)), { url: redis.url, queue: 'main' });
    try {
      await expect(other.apply('square', 2)).rejects.toThrow(ArgumentError);
      await expect(other.apply('square', 2)).rejects.toThrow(/module 'pool-basic', but the daemons of queue 'main' run 'cluster-worker'/);
    } finally {
      await other.terminate();
    }
  });

  it.sequential("progress: run's onProgress gets the function's reports in order; map's counts items", async () => {
    const reports: Array<[number, number]> = [];
    expect(await pool.run('crunch', [5], { onProgress: (done, total) => reports.push([done, total]) })).toBe(5);
    expect(reports).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    const counts: number[] = [];
    await pool.map('square', [1, 2, 3, 4, 5, 6], { chunksize: 2, onProgress: (done, total) => { expect(total).toBe(6); counts.push(done); } });
    expect(counts).toEqual([2, 4, 6]);
  });

  it.sequential('mapRows over a RedisNDArray: every row written once, in place, by the daemons', async () => {
    await using r = await RedisNDArray.create('filled', { url: redis.url, shape: [37, 5], dtype: 'float64', rowsPerBlock: 4 });
    const done: number[] = [];
    const blocks = await pool.mapRows('fillRows', r, { rowsPerTask: 6, args: [10], onProgress: (d) => done.push(d) });
    expect(blocks).toEqual(divideRange(0, 37, 7));
    expect(done.at(-1)).toBe(37);
    const a = await r.toArray();
    for (let i = 0; i < 37; i++) for (let c = 0; c < 5; c++) expect(a.get(i, c)).toBe(i * 10 + c);
    await r.delete();
  });

  it.sequential('mapRows over a memmap on a path the daemons see: written in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-memmap-'));
    try {
      const m = createMemmap(join(dir, 'm.npy'), { dtype: 'int32', shape: [23, 3] });
      await pool.mapRows('fillRows', m, { rowsPerTask: 5, args: [100] });
      for (let i = 0; i < 23; i++) for (let c = 0; c < 3; c++) expect(m.get(i, c)).toBe(i * 100 + c);
      m.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.sequential('cluster status: the two daemons and their threads, the jobs by state', async () => {
    const s = await clusterStatus({ url: redis.url, queue: 'main' });
    expect(s.workers.map((w) => w.pid).sort()).toEqual([...pids].sort());
    expect(s.workers.reduce((n, w) => n + (w.threads ?? 0), 0)).toBe(3);
    expect(s.jobs).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    expect(s.jobs.completed).toBeGreaterThan(0);
    const r = await cli('cluster', 'status', '--redis', redis.url, '--queue', 'main', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ queue: 'main', jobs: { waiting: 0, active: 0 } });
    const text = await cli('cluster', 'status', '--redis', redis.url, '--queue', 'main');
    expect(text.stdout).toMatch(/^workers: 2 connected, 3 threads$/m);
  });
});

describe.concurrent('faults', () => {
  it('a daemon SIGKILLed mid-task: its job runs on another daemon; every result exact, taken once', async () => {
    const [survivor, victim] = await Promise.all([daemon('kill', 1, FAST_STALL), daemon('kill', 1, FAST_STALL)]);
    const pool = new ClusterPool<Worker>(MODULE, { url: redis.url, queue: 'kill' });
    try {
      const items = Array.from({ length: 6 }, (_, i) => i);
      const work = pool.starmap('slowTagged', items.map((i) => [i, 600]), { chunksize: 1 });
      await activeOn('kill', victim);
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const results = await work;
      expect(results.map(([item]) => item)).toEqual(items);
      for (const [, pid] of results) expect([survivor.pid, victim.pid]).toContain(pid);
      expect(survivor.stderr()).toMatch(/stalled/);
      expect(pool.stats()).toMatchObject({ pending: 0, completed: 6, failed: 0 });
    } finally {
      pool.close();
      await pool.join();
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toEqual({ code: 0, signal: null });
    }
  }, 60_000); // two daemons start their threads; the recovery itself is bounded by the 2 s lock

  it('a daemon added while a call runs takes part of it; SIGTERM drains: the running job finishes, exit 0', async () => {
    const first = await daemon('grow', 1);
    const pool = new ClusterPool<Worker>(MODULE, { url: redis.url, queue: 'grow', size: 2 });
    try {
      let second: Daemon | undefined;
      async function* items(): AsyncGenerator<number> {
        for (let i = 0; i < 3; i++) yield i;
        second = await daemon('grow', 1);
        for (let i = 3; i < 12; i++) yield i;
      }
      const results: Array<[number, number]> = [];
      for await (const r of pool.imap('slowTagged', items())) results.push(r);
      expect(results.map(([i]) => i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(new Set(results.map(([, pid]) => pid))).toContain(second!.pid);

      // drain: the second daemon alone, a job running on it when SIGTERM comes
      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });
      // long enough to be still running when the late job below is submitted
      const running = pool.apply('slowTagged', 99, 1000);
      await activeOn('grow', second!);
      second!.child.kill('SIGTERM');
      await sleep(200);
      const late = pool.apply('square', 7);
      expect(await running).toEqual([99, second!.pid]);
      expect(await second!.exited).toEqual({ code: 0, signal: null });
      expect(second!.stderr()).toMatch(/SIGTERM: draining/);
      // the draining daemon took nothing new: the late job waits for a daemon
      const s = await clusterStatus({ url: redis.url, queue: 'grow' });
      expect(s.workers).toEqual([]);
      expect(s.jobs.waiting).toBe(1);
      const third = await localDaemon('grow');
      expect(await late).toBe(49);
      await third.daemon.close();
    } finally {
      await pool.terminate();
    }
  }, 60_000); // two daemon processes and a WorkerDaemon start their threads

  it('Redis lost while a call waits: ClusterConnectionError after connectTimeout, not a hang', async () => {
    const lone = await startRedis();
    const pool = new ClusterPool<Worker>(MODULE, { url: lone.url, queue: 'lost', connectTimeout: 1_000 });
    try {
      const waiting = pool.apply('square', 3);
      await until(lone.port, 'lost', async (q) => (await q.getWaitingCount()) === 1);
      await lone.kill();
      await expect(waiting).rejects.toThrow(ClusterConnectionError);
      await expect(waiting).rejects.toThrow(/lost Redis at redis:\/\/127\.0\.0\.1:\d+\/? for more than 1000 ms/);
      await expect(pool.apply('square', 3)).rejects.toThrow(ClusterConnectionError);
    } finally {
      await pool.terminate();
      await lone.stop();
    }
  });

  it('cancelling: a waiting job is removed from the queue; a running one is cancelled on its daemon, whose thread is replaced', async () => {
    const d = await localDaemon('cancel');
    const pool = new ClusterPool<Worker>(MODULE, { url: redis.url, queue: 'cancel' });
    const q = new Queue('cancel', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'shared-ndarray' });
    try {
      // 30 s each: a job that were not cancelled would outlast the test's own timeout
      const running = pool.applyAsync('slowTagged', [1, 30_000]);
      await activeOn('cancel', d.daemon);
      const controller = new AbortController();
      const waiting = pool.run('slowTagged', [2, 30_000], { signal: controller.signal });
      while ((await q.getWaitingCount()) !== 1) await sleep(20);
      controller.abort('enough');
      await expect(waiting).rejects.toThrow(AbortError);
      while ((await q.getWaitingCount()) !== 0) await sleep(20);
      expect(await q.getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 1, completed: 0 });

      expect(running.cancel()).toBe(true);
      await expect(running.get()).rejects.toThrow(AbortError);
      // the daemon aborted its local task: the job completes, with the AbortError as its result
      while ((await q.getCompletedCount()) !== 1) await sleep(50);
      const [job] = await q.getCompleted();
      const envelope = job!.returnvalue as { ok: boolean; error: string };
      expect(envelope.ok).toBe(false);
      expect(unpackError(envelope.error)).toBeInstanceOf(AbortError);
      expect(d.log()).toMatch(new RegExp(`job ${job!.id} cancelled by its pool`));
      // its thread was stopped and replaced: the one-thread daemon takes the next task
      expect(await pool.apply('square', 5)).toBe(25);
      expect(pool.stats()).toMatchObject({ pending: 0, cancelled: 2, completed: 1 });
    } finally {
      await pool.terminate();
      await q.close();
      await d.daemon.close();
    }
  }, 60_000); // a daemon starts its thread, and again after the cancel

  it('an open pool holds the process while tasks are pending, and lets it exit after its last result', async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../support/cluster-child-exit.mjs', import.meta.url)), redis.url, 'exit'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout!.on('data', (b) => { out += String(b); });
    child.stderr!.on('data', (b) => { err += String(b); });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // bounded: a process the pool holds for ever is killed, and the test fails on its signal
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
    try {
      // the task waits for a daemon; only the pending task keeps the child alive meanwhile
      await until(redis.port, 'exit', async (q) => (await q.getWaitingCount()) === 1);
      const d = await localDaemon('exit');
      expect(await exited, err).toEqual({ code: 0, signal: null });
      expect(JSON.parse(out)).toEqual({ first: 49, rest: [1, 4, 9] });
      await d.daemon.close();
    } finally {
      clearTimeout(guard);
      child.kill('SIGKILL');
    }
  }, 60_000); // a daemon starts its thread

  it('a daemon that cannot reach Redis exits with 1 and says why', async () => {
    // a loopback port nothing listens on (no redis-server started and stopped for it)
    const r = await cli('worker', '--redis', `redis://127.0.0.1:${await freePort()}`, '--queue', 'q', '--module', MODULE, '-t', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^shared-ndarray: WorkerDaemon\.start: cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+/m);
  });
});
