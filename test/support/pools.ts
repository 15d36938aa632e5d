/** Pools in tests: one a file shares, and the ones a test starts for itself. */
import { afterAll, afterEach } from 'vitest';
import { Pool, type PoolOptions } from '../../src/index.js';
import type { WorkerFunction } from '../../src/worker.js';

interface Terminable { terminate(): Promise<void> }

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
export function trackPools(): <P extends Terminable>(pool: P) => P {
  const live: Terminable[] = [];
  afterEach(async () => {
    await Promise.all(live.splice(0).map((pool) => pool.terminate()));
  });
  return (pool) => {
    live.push(pool);
    return pool;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
