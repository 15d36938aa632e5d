/**
 * The default pool: started on first use only, sized to the machine, shared by the operations
 * and the sieve, and no reason for a script to stay alive; and the blocking forms of the
 * operations on the main thread, which the pool's pump keeps going while the thread sleeps.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SharedNDArray } from '../../src/index.js';
import { thrown } from '../support/assert.js';
import { add, addAsync, arange, Full, INLINE_THRESHOLD, multiply, Pool, PoolStateError, power, powerAsync, ValueError, zeros } from '../../src/index.js';

const exec = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/ops-default-pool-child.mjs', import.meta.url));
const POOL_WORKER = new URL('../support/pool-basic.mjs', import.meta.url);

describe('the default pool, in a script of its own', () => {
  it('starts on the first operation that needs it, is shared with countPrimes, and lets the script exit', async () => {
    // the child must end by itself: if an idle worker kept it alive, this would time out and fail
    const { stdout } = await exec(process.execPath, [CHILD], { timeout: 60_000 });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    expect(seen).toEqual({
      inlineStarted: 0,
      poolStarted: seen.size,
      sieveStarted: 0,
      secondSieveStarted: 0,
      size: seen.size,
      small: 10,
      big: [1, INLINE_THRESHOLD * 4],
      counts: [78498, 78498],
    });
  }, 90_000);
});

describe('row blocks over the pool', () => {
  const pool = new Pool(POOL_WORKER, { size: 3 });
  afterAll(() => pool.terminate());

  it('views of any strides split into blocks give the right answer, blocking and async', async () => {
    // 512 x 512 > INLINE_THRESHOLD: a reversed transpose, and a row read backwards with step 2
    const base = arange(512 * 512, 'int32').reshape(512, 512);
    const a = base.T.slice('::-1');
    const row = arange(1024, 'int32').slice('::-2');
    const want = (i: number, j: number): number => base.get(j, 511 - i) * 3 + (1023 - 2 * j);
    const check = (r: SharedNDArray): void => {
      for (let i = 0; i < 512; i++) {
        for (let j = 0; j < 512; j++) if (r.get(i, j) !== want(i, j)) expect(r.get(i, j), `[${i}, ${j}]`).toBe(want(i, j));
      }
    };
    const tripled = multiply(a, 3, { pool });
    expect(tripled.size).toBeGreaterThan(INLINE_THRESHOLD);
    // into a column-major out: its blocks are columns of the result's memory
    const out = zeros([512, 512], 'int32', 'F');
    add(tripled, row, { pool, out });
    check(out);
    check(await addAsync(tripled, row, { pool }));
    // in place, out the very same view as an input
    add(tripled, row, { pool, out: tripled });
    check(tripled);
  }, 60_000);
});

describe('blocking forms on the main thread', () => {
  const pool = new Pool(POOL_WORKER, { size: 1 });
  afterAll(() => pool.terminate());
  const n = INLINE_THRESHOLD * 2;

  it('two in a row: the second waits for the first one\'s worker, which the pump frees', () => {
    const a = arange(n);
    const b = multiply(a, 2, { pool });
    const c = add(b, a, { pool });
    expect([c.get(0), c.get(n - 1)]).toEqual([0, 3 * (n - 1)]);
  }, 60_000);

  it('while the pool still runs an async call', async () => {
    const a = arange(n);
    const pending = addAsync(a, 1, { pool });
    const out = zeros([n]);
    add(a, a, { pool, out });
    expect(out.get(n - 1)).toBe(2 * (n - 1));
    expect((await pending).get(n - 1)).toBe(n);
  }, 60_000);

  it('a worker\'s error reaches the blocked caller as its class', () => {
    const base = arange(n, 'int32');
    expect(() => power(base, -1, { pool })).toThrow(ValueError);
    expect(() => power(base, -1, { pool })).toThrow(/negative integer powers/);
  }, 60_000);

  it('a closed pool refuses at once, before the thread blocks', () => {
    const closed = new Pool(POOL_WORKER, { size: 1 });
    closed.close();
    expect(() => add(arange(n), 1, { pool: closed })).toThrow(PoolStateError);
    return closed.join();
  }, 60_000);

  it('a pool whose queue is full (maxQueue) refuses at once, before the thread blocks', async () => {
    const full = new Pool(POOL_WORKER, { size: 1, maxQueue: 0 });
    await full.ready();
    const busy = full.apply('sleepThen', 200, 'done');
    const error = thrown(() => add(arange(n), 1, { pool: full }));
    expect(error).toBeInstanceOf(Full);
    expect(error.message).toMatch(/queue is full \(maxQueue 0/);
    expect(await busy).toBe('done');
    // once the worker is free the same call runs
    expect(add(arange(n), 1, { pool: full }).get(n - 1)).toBe(n);
    await full.terminate();
  }, 60_000);

  it('the async form rejects with the worker\'s error', async () => {
    expect(power(arange(n, 'int32'), 2, { pool }).get(3)).toBe(9);
    await expect(powerAsync(arange(n, 'int32'), -1, { pool })).rejects.toThrow(ValueError);
  }, 60_000);
});
