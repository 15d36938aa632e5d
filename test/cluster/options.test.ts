/**
 * ClusterPool, WorkerDaemon, clusterStatus and the two commands refuse bad arguments with typed
 * errors before they touch Redis or start a thread; a Redis that is not there is a
 * ClusterConnectionError in bounded time, never a hang. No daemon here: cluster.thread.test.ts.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ArgumentError, ClusterConnectionError } from '../../src/index.js';
import { ClusterPool, clusterStatus, WorkerDaemon } from '../../src/cluster/index.js';
import { freePort } from '../../bench/harness/redis-server.js';
import { cli } from '../support/cli.js';

const MODULE = new URL('../support/pool-basic.mjs', import.meta.url);
const URL_OK = 'redis://127.0.0.1:6399';

describe('ClusterPool: bad options are ArgumentErrors naming the option', () => {
  it.each([
    [{ url: 'http://x', queue: 'q' }, /'options\.url': expected 'redis:\/\//],
    [{ url: URL_OK, queue: 'a:b' }, /'options\.queue': expected a non-empty string without spaces, ':'/],
    [{ url: URL_OK, queue: '' }, /'options\.queue'/],
    [{ url: URL_OK }, /'options\.queue'/],
    [{ url: URL_OK, queue: 'q', namespace: 'a b' }, /'options\.namespace'/],
    [{ url: URL_OK, queue: 'q', size: 0 }, /'options\.size'/],
    [{ url: URL_OK, queue: 'q', connectTimeout: -1 }, /'options\.connectTimeout': expected a whole number of milliseconds/],
    [{ url: URL_OK, queue: 'q', threads: 2 }, /unknown option 'threads'|'options\.threads'|threads/],
  ])('%j', (options, message) => {
    expect(() => new ClusterPool(MODULE, options as never)).toThrow(ArgumentError);
    expect(() => new ClusterPool(MODULE, options as never)).toThrow(message);
  });

  it('a worker module that does not exist', () => {
    expect(() => new ClusterPool('/nonexistent/w.js', { url: URL_OK, queue: 'q' })).toThrow(/'workerModule': no such file/);
    expect(() => new ClusterPool('relative.js', { url: URL_OK, queue: 'q' })).toThrow(/'workerModule': expected a file URL or an absolute path/);
  });

  it('calls are typed from the worker module, as the local Pool\'s', () => {
    // never run: the types are the test
    const typed = (pool: ClusterPool<typeof import('../support/pool-basic.mjs')>) => {
      expectTypeOf(pool.apply('add', 1, 2)).toEqualTypeOf<Promise<number>>();
      expectTypeOf(pool.map('square', [1, 2])).toEqualTypeOf<Promise<number[]>>();
      // @ts-expect-error: no such function
      void pool.apply('nope');
      // @ts-expect-error: wrong argument type
      void pool.apply('square', 'x');
    };
    expect(typeof typed).toBe('function');
  });
});

describe('Redis unreachable: ClusterConnectionError, in bounded time', () => {
  it('a pool: its calls reject (the connection is refused)', async () => {
    const pool = new ClusterPool(MODULE, { url: `redis://127.0.0.1:${await freePort()}`, queue: 'q', connectTimeout: 2_000 });
    try {
      await expect(pool.ready()).rejects.toThrow(ClusterConnectionError);
      await expect(pool.apply('square' as never, 2 as never)).rejects.toThrow(/ClusterPool: cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await pool.terminate();
    }
  });

  it('clusterStatus', async () => {
    await expect(clusterStatus({ url: `redis://127.0.0.1:${await freePort()}`, queue: 'q', connectTimeout: 2_000 })).rejects.toThrow(ClusterConnectionError);
  });

  it('cluster status: exit 1 with the error on stderr', async () => {
    const r = await cli('cluster', 'status', '--redis', `redis://127.0.0.1:${await freePort()}`, '--queue', 'q');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^shared-ndarray: clusterStatus: cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('WorkerDaemon.start: bad options reject before any thread starts', () => {
  it.each([
    [{ url: 'nope', queue: 'q', module: MODULE }, /'options\.url'/],
    [{ url: URL_OK, queue: 'q:1', module: MODULE }, /'options\.queue'/],
    [{ url: URL_OK, queue: 'q', module: '/nonexistent.mjs' }, /'options\.module': no such file/],
    [{ url: URL_OK, queue: 'q', module: MODULE, threads: 0 }, /'options\.threads'/],
    [{ url: URL_OK, queue: 'q', module: MODULE, lockDuration: 0 }, /'options\.lockDuration'/],
    [{ url: URL_OK, queue: 'q', module: MODULE, maxStalledCount: 1.5 }, /'options\.maxStalledCount'/],
    [{ url: URL_OK, queue: 'q', module: MODULE, bogus: 1 }, /bogus/],
  ])('%j', async (options, message) => {
    await expect(WorkerDaemon.start(options as never)).rejects.toThrow(ArgumentError);
    await expect(WorkerDaemon.start(options as never)).rejects.toThrow(message);
  });
});

describe('worker and cluster status: usage errors exit with 2', () => {
  const module = new URL(MODULE).pathname;
  it.each([
    [['worker', '--queue', 'q', '--module', module], /required option '--redis <url>' not specified/],
    [['worker', '--redis', URL_OK, '--module', module], /required option '--queue <name>' not specified/],
    [['worker', '--redis', URL_OK, '--queue', 'q'], /required option '--module <file>' not specified/],
    [['worker', '--redis', 'http://x', '--queue', 'q', '--module', module], /expected redis:\/\//],
    [['worker', '--redis', URL_OK, '--queue', 'a:b', '--module', module], /'a:b'/],
    [['worker', '--redis', URL_OK, '--queue', 'q', '--module', '/nonexistent.mjs'], /no such file: '\/nonexistent\.mjs'/],
    [['worker', '--redis', URL_OK, '--queue', 'q', '--module', module, '-t', '0'], /'0'/],
    [['worker', '--redis', URL_OK, '--queue', 'q', '--module', module, '--lock-duration', 'x'], /'x'/],
    [['cluster', 'status', '--queue', 'q'], /required option '--redis <url>'/],
    [['cluster', 'status', '--redis', 'redis//x', '--queue', 'q'], /expected redis:\/\//],
    [['cluster', 'frobnicate'], /unknown command 'frobnicate'/],
  ])('%j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
  });
});
