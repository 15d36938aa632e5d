/**
 * The default pool: started on first use only, sized to the machine, shared by the operations
 * and the sieve, and no reason for a script to stay alive; and the blocking forms of the
 * operations on the main thread, which the pool's pump keeps going while the thread sleeps.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { add, addAsync, arange, INLINE_THRESHOLD, multiply, Pool, power, powerAsync, ValueError, zeros } from '../../src/index.js';

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

  it('the async form rejects with the worker\'s error', async () => {
    expect(power(arange(n, 'int32'), 2, { pool }).get(3)).toBe(9);
    await expect(powerAsync(arange(n, 'int32'), -1, { pool })).rejects.toThrow(ValueError);
  }, 60_000);
});
