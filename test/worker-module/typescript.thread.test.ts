import { describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { trackPools } from '../support/pools.js';
import { Pool, Process, zeros } from '../../src/index.js';
import { compileWorkerModule } from '../../src/worker-module/compile-ts.js';

/**
 * A TypeScript worker module that imports another TypeScript file: compiled once on this thread
 * (compile-ts.ts) and imported as JavaScript by the workers, or, with SHARED_NDARRAY_TS_CACHE=0,
 * loaded through tsx in each worker. Both run it as its sources say.
 */

type Module = typeof import('../support/ts-module.worker.js');
const MODULE = new URL('../support/ts-module.worker.ts', import.meta.url);
const track = trackPools();

async function exercise(size: number, process: boolean): Promise<void> {
  const pool = track(new Pool<Module>(MODULE, { size }));
  expect(await pool.apply('twice', 21)).toBe(42);
  expect(await pool.apply('where')).toBe(MODULE.href);
  const error = await rejection(pool.apply('fail', { reason: 'planted' }));
  expect(error).toBeInstanceOf(RangeError);
  expect(error.message).toBe('planted');
  // the stack names the TypeScript source, as tsx's does
  expect(error.stack).toContain('ts-module.worker.ts:');
  await pool.terminate();
  if (!process) return;
  const a = zeros([4]);
  const p = new Process<Module>({ module: MODULE, fn: 'fill', args: [a, 3] });
  p.start();
  await p.join();
  expect(p.exitCode).toBe(0);
  expect(a.toArray()).toEqual([6, 6, 6, 6]);
}

describe('a TypeScript worker module', () => {
  it('is compiled once on this thread and run by a Pool and a Process', async () => {
    expect(compileWorkerModule(MODULE.href)).toMatch(/\/node_modules\/\.cache\/shared-ndarray\/workers\/[0-9a-f]+\/ts-module\.worker\.mjs$/);
    await exercise(2, true);
  });

  it('with SHARED_NDARRAY_TS_CACHE=0, is loaded through tsx in each worker, as before', async () => {
    process.env.SHARED_NDARRAY_TS_CACHE = '0';
    try {
      expect(compileWorkerModule(MODULE.href)).toBeUndefined();
      await exercise(1, false);
    } finally {
      delete process.env.SHARED_NDARRAY_TS_CACHE;
    }
  });
});
