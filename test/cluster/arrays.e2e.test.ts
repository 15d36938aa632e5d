import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { type RedisServer, startRedis } from '../../bench/harness/redis-server.js';
import { SharedNDArray, UnreachableArrayError, arange, createMemmap, load, zeros } from '../../src/index.js';
import { ClusterPool, RedisNDArray } from '../../src/cluster/index.js';

/**
 * mapRows and apply over the cluster's array stores end to end: two worker daemons (the built
 * CLI, one thread each) on a private redis-server, this process submitting. Every row must be
 * written exactly once with the value its task computed, whichever daemon ran it.
 */

const MODULE = new URL('../support/cluster-arrays.worker.mjs', import.meta.url);
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const NS = 'arrays-e2e';
const QUEUE = 'arrays';

type Module = {
  fillRows: (a: SharedNDArray, start: number, stop: number, base: number) => [number, number, number];
  twice: (a: SharedNDArray) => SharedNDArray;
  total: (a: SharedNDArray) => [number, boolean];
};

let redis: RedisServer;
let dir: string;
const daemons: ChildProcess[] = [];
let pool: ClusterPool<Module>;

async function daemon(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--queue', QUEUE, '--namespace', NS, '--module', fileURLToPath(MODULE), '--threads', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const first = await Promise.race([
    createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((n) => String(n.value)),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`daemon exited (${code}) before it was ready: ${err}`)))),
  ]);
  expect(first).toMatch(/^ready/);
  return child;
}

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'arrays-e2e-'));
  daemons.push(...(await Promise.all([daemon(redis.url), daemon(redis.url)])));
  pool = new ClusterPool<Module>(MODULE, { url: redis.url, queue: QUEUE, namespace: NS, size: 2 });
});
afterAll(async () => {
  if (pool) {
    pool.close();
    await pool.join();
  }
  await Promise.all(daemons.map((d) => new Promise((resolve) => {
    if (d.exitCode !== null) return resolve(null);
    d.once('exit', resolve);
    d.kill('SIGTERM');
  })));
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** base + element number, as fillRows writes it. */
const expected = (rows: number, cols: number, base: number): number[][] =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => base + r * cols + c));

describe('mapRows over the array stores, 2 daemons', () => {
  it('a RedisNDArray: each task fetches and writes back only its rows; blocks and tasks need not line up', async () => {
    await using a = await RedisNDArray.create('m', { url: redis.url, namespace: NS, shape: [50, 7], dtype: 'int32', rowsPerBlock: 4 });
    const results = await pool.mapRows('fillRows', a, { rowsPerTask: 3, args: [1000] });
    // every row in exactly one task, at global indexes
    const covered = results.flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i)).sort((x, y) => x - y);
    expect(covered).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const pids = new Set(results.map(([, , pid]) => pid));
    for (const pid of pids) expect(daemons.map((d) => d.pid)).toContain(pid);
    expect((await a.toArray()).toArray()).toEqual(expected(50, 7, 1000));
    await a.delete();
  }, 60_000);

  it('a memmap .npy: the daemons map the same file and write it in place', async () => {
    const path = join(dir, 'm.npy');
    const m = createMemmap(path, { shape: [40, 5], dtype: 'float64' });
    const results = await pool.mapRows('fillRows', m, { rowsPerTask: 6, args: [0.5] });
    expect(results).toHaveLength(7);
    expect(m.toArray()).toEqual(expected(40, 5, 0.5));
    expect((await load(path)).toArray()).toEqual(expected(40, 5, 0.5));
  }, 60_000);

  it('a local array as the array mapRows splits is refused before anything is submitted', async () => {
    const error = await rejection(pool.mapRows('fillRows', zeros([4, 4]), { args: [0] }));
    expect(error).toBeInstanceOf(UnreachableArrayError);
  });
});

describe('apply with arrays', () => {
  it('a small array goes by value and a small result comes back as a local array', async () => {
    const back = await pool.apply('twice', arange(6, 'float64').reshape(2, 3));
    expect(back).toBeInstanceOf(SharedNDArray);
    expect(back.toArray()).toEqual([[0, 2, 4], [6, 8, 10]]);
  }, 30_000);

  it('a RedisNDArray not split arrives whole and read-only', async () => {
    await using a = await RedisNDArray.fromArray('input', arange(10, 'float64'), { url: redis.url, namespace: NS, rowsPerBlock: 3 });
    expect(await pool.apply('total', a as never)).toEqual([45, false]);
    await a.delete();
  }, 30_000);

  it('a large local array is refused with UnreachableArrayError naming both stores', async () => {
    const error = await rejection(pool.apply('total', zeros(1 << 18)));
    expect(error).toBeInstanceOf(UnreachableArrayError);
    expect(error.message).toMatch(/memmap.*RedisNDArray/s);
  });
});
