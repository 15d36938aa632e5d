import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../bench/harness/redis-server.js';
import { scratchDir } from './support/files.js';

/**
 * Runs every example the way its header says, under tsx. The pool examples' worker module is
 * TypeScript (examples/primes.worker.ts), so these are also the test that a user's `.ts` worker
 * loads when the program runs under tsx.
 *
 * One example runs in this repository, as its header says. The others run as a user who copied
 * them runs them: in a project that depends on the package (node_modules/shared-ndarray, here a
 * link to this repository). The output is the same; what differs is the workers' cost. In the
 * repository 'shared-ndarray' is a self-reference, which the package leaves to tsx in every
 * worker (0.4-1 CPU s each, docs/pool.md), while in a project each `.ts` worker module is compiled
 * once: about 2.5 CPU s for pool-map against 6.5. The tsx-in-each-worker path is checked on its
 * own in test/worker-module/typescript.thread.test.ts.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = promisify(execFile);
const { path: scratch } = scratchDir('shared-ndarray-examples-');
const project = realpathSync(scratch);
beforeAll(() => {
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules', 'shared-ndarray'), 'dir');
  cpSync(join(root, 'examples'), join(project, 'examples'), { recursive: true });
});
/** One private redis-server for the two examples that need one: each keeps to keys of its own (its pid). */
let redisServer: Promise<RedisServer> | undefined;
const redis = (): Promise<RedisServer> => (redisServer ??= startRedis());
afterAll(async () => {
  await (await redisServer)?.stop();
});
/** `npx tsx examples/<file>` in the user's project, or with `{ inRepository: true }` in this one: stdout's lines. */
const tsx = async (file: string, ...args: Array<string | { inRepository: true }>): Promise<string[]> => {
  const cwd = args.some((a) => typeof a === 'object') ? root : project;
  const { stdout } = await run(process.execPath, [TSX, file, ...args.filter((a) => typeof a === 'string')], { cwd, timeout: 50_000, env: START });
  return stdout.trim().split('\n');
};
const seconds = /^\d+(\.\d+)?(e-\d+)?$/;
/**
 * The prime-counting examples take where their count stops (the article's 1,000,000 by default):
 * they run here to 100,000, whose count is known (pi(10^5) = 9592, not computed by the package),
 * so each runs the same code with a small part of its trial division (0.14 CPU s a run to 10^6).
 */
const NUMBERS = '100000';
const PRIMES = '9592';
/**
 * The pools' start timeout (THREADS_WORKER_INIT_TIMEOUT, default 10 s) at 30 s: `pool-map` in this
 * repository registers tsx in each worker, which under a load of 15-20 on 2 cores (other builds,
 * and the e2e project's tsc beside it) took past 10 s to start. What is checked is what the
 * workers compute; a hang still ends at the command's 50 s.
 */
const START = { ...process.env, THREADS_WORKER_INIT_TIMEOUT: '30000' };

// Side by side: each example is its own processes, in its own files (the two Redis ones keep to
// keys of their own), and most of a run is waiting on their start-up.
describe.concurrent('examples', () => {
  it('every example has a test here', () => {
    const examples = readdirSync(new URL('../examples', import.meta.url)).filter((f) => f.endsWith('.ts') && !f.endsWith('.worker.ts'));
    expect(examples.sort()).toEqual(['cluster.ts', 'manager-redis.ts', 'manager.ts', 'mmap-hello.ts', 'pool-map-async.ts', 'pool-map.ts', 'process-queue.ts', 'shared-numpy-array.ts', 'single-process.ts']);
  });

  it('single-process: prints the count and the seconds one run takes, as the article does', async () => {
    const lines = await tsx('examples/single-process.ts', NUMBERS);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(PRIMES);
    expect(lines[1]).toMatch(seconds);
  }, 60_000);

  it.each(['pool-map.ts', 'pool-map-async.ts', 'process-queue.ts'])('%s: .ts workers under tsx count the primes over divideRange parts', async (file) => {
    // pool-map.ts in this repository, the way its header says; the others in a user's project
    const lines = await tsx(`examples/${file}`, NUMBERS, ...(file === 'pool-map.ts' ? [{ inRepository: true as const }] : []));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(PRIMES);
    expect(lines[1]).toMatch(seconds);
  }, 60_000);

  it('shared-numpy-array: each pool worker fills its own row of the shared matrix with its thread id', async () => {
    const lines = await tsx('examples/shared-numpy-array.ts', '3');
    expect(lines).toHaveLength(2);
    const match = /^SharedNDArray\(\[(.*)\], dtype=float64\)$/.exec(lines[0]!);
    expect(match).not.toBeNull();
    const rows = match![1]!.slice(1, -1).split('], [').map((row) => row.split(', ').map(Number));
    const ids = lines[1]!.replace('thread ids: ', '').split(', ').map(Number);
    expect(rows).toHaveLength(3);
    expect(ids).toHaveLength(3);
    for (const [i, row] of rows.entries()) expect(row).toEqual(new Array(10).fill(ids[i]));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toBeGreaterThan(0);
  }, 60_000);

  it('manager: four processes fill a Manager dict and list; the main thread reads both', async () => {
    const lines = await tsx('examples/manager.ts', NUMBERS);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(PRIMES);
    expect(lines[1]).toBe('[2, 25002) [25002, 50002) [50002, 75002) [75002, 100001)');
    expect(lines[2]).toMatch(seconds);
  }, 60_000);

  it('manager-redis: two processes share a Queue, a dict and a Lock through a private redis-server', async () => {
    expect(await tsx('examples/manager-redis.ts', (await redis()).url, NUMBERS)).toEqual([PRIMES, '2 processes counted 8 ranges']);
  }, 60_000);

  it('cluster: two daemons count the primes, then fill a memmap .npy and a RedisNDArray with mapRows, through a private redis-server', async () => {
    // three processes under tsx, each loading the package, and two pool threads
    const { stdout } = await run(process.execPath, [TSX, 'examples/cluster.ts', (await redis()).url, NUMBERS], { cwd: project, timeout: 110_000, env: START });
    expect(stdout.trim().split('\n')).toEqual([PRIMES, 'memmap .npy: 64 x 1000 filled by the daemons', 'RedisNDArray: 64 x 1000 filled by the daemons']);
  }, 120_000);

  it("mmap-hello: the article's mmap example prints what Python prints", async () => {
    // Python 3 prints b'Hello  world!\n' (two spaces: " world!\n" replaces "Python!\n");
    // the article's comment shows one, collapsed by its web page
    expect(await tsx('examples/mmap-hello.ts')).toEqual(['Hello Python!', 'Hello', 'Hello  world!']);
  }, 60_000);
});
