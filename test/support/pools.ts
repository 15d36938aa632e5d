/** Pools in tests: one a file shares, and the ones a test starts for itself. */
import { afterAll, afterEach, test } from 'vitest';
import { Pool, type PoolOptions } from '../../src/index.js';
import type { WorkerFunction } from '../../src/worker.js';

interface Terminable { terminate(): Promise<void> }

/** Has `pool` terminated after the test; returns it. */
export type Track = <P extends Terminable>(pool: P) => P;

/**
 * One pool for the tests of a file that leave it as they found it (idle, every worker alive):
 * started on first use, terminated after the file. A test that fails may have left workers
 * blocked, so the next test gets a new pool. Call at the top level of a test file.
 */
export function filePool<M = Record<string, WorkerFunction>>(workerModule: URL, options: PoolOptions = {}): () => Pool<M> {
  let pool: Pool<M> | undefined;
  const drop = async (): Promise<void> => {
    const last = pool;
    pool = undefined;
    await last?.terminate();
  };
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await drop();
  });
  afterAll(drop);
  return () => (pool ??= new Pool<M>(workerModule, options));
}

/**
 * For pools a test starts for itself (those it kills, breaks or times): `track(pool)` has the
 * pool terminated after the test, whatever its outcome. Call at the top level of a test file.
 */
export function trackPools(): Track {
  const live: Terminable[] = [];
  afterEach(async () => {
    await Promise.all(live.splice(0).map((pool) => pool.terminate()));
  });
  return (pool) => {
    live.push(pool);
    return pool;
  };
}

/**
 * `it` whose tests may take a `track` fixture, which terminates the pools given to it when that
 * test ends, whatever its outcome. Unlike trackPools() it is the test's own, so tests that use it
 * may run concurrently (`it.concurrent`, `describe.concurrent`).
 */
export const it = test.extend<{ track: Track }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
  track: async ({}, use) => {
    const live: Terminable[] = [];
    await use((pool) => {
      live.push(pool);
      return pool;
    });
    await Promise.all(live.map((pool) => pool.terminate()));
  },
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
