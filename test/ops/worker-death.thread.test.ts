/**
 * A pool worker that dies in the middle of an operation's block: the blocking form on the main
 * thread must throw WorkerDiedError (it used to sleep forever, since the pool learns of a death
 * only on the event loop the blocked thread has stopped), and the async form must reject with
 * the same class. Each blocking call runs in a child process with a timeout, so a regression
 * fails the test instead of hanging the run.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { INLINE_THRESHOLD, Pool, WorkerDiedError, arange, sqrt, sqrtAsync } from '../../src/index.js';

const exec = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/ops-dying-child.mjs', import.meta.url));
const WORKER = new URL('../support/ops-dying-worker.mjs', import.meta.url);
const n = INLINE_THRESHOLD * 4;

/** The child's report of one blocking call whose workers die as `how` says. */
async function blockingCall(how: 'exit' | 'oom'): Promise<{ name: string; message: string; ms: number }> {
  // a hang is killed at 60 s and fails the test: the child would otherwise never answer
  const { stdout } = await exec(process.execPath, [CHILD, how], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { name: string; message: string; ms: number };
}

describe('a worker that dies mid-block', () => {
  it.each(['exit', 'oom'] as const)('blocking form on the main thread: throws WorkerDiedError (%s)', async (how) => {
    const seen = await blockingCall(how);
    expect(seen.name).toBe('WorkerDiedError');
    expect(seen.message).toMatch(/^sqrt: a pool worker died while it ran a block of this operation/);
  }, 90_000);

  it('async form: rejects with WorkerDiedError', async () => {
    const pool = new Pool(WORKER, { size: 2, initializer: 'dieInSqrt', initargs: ['exit', 1000] });
    try {
      await expect(sqrtAsync(arange(n), { pool })).rejects.toBeInstanceOf(WorkerDiedError);
    } finally {
      await pool.terminate();
    }
  }, 60_000);

  it('healthy workers: the blocking form does not mistake them for dead ones', async () => {
    const pool = new Pool(WORKER, { size: 2 });
    try {
      for (let round = 0; round < 3; round++) expect(sqrt(arange(n), { pool }).get(n - 1)).toBe(Math.sqrt(n - 1));
    } finally {
      await pool.terminate();
    }
  }, 60_000);
});
