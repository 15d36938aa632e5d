import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackPools } from '../support/pools.js';
import { Array as SharedCArray, Lock, Manager, Pool, Queue, SharedNDArray, Value, zeros } from '../../src/index.js';

/**
 * A worker loads the module of a shared kind (ndarray/, sync/, sharedctypes/, the Manager's proxies) only
 * when a value of that kind first arrives (src/deferred-kinds.ts), and the value still arrives
 * live. What a worker loaded is read from the inspector's list of parsed scripts, mapped back to
 * the package's sources through the bundled files' source maps.
 */
const MODULE = new URL('../support/deferred-kinds-worker.mjs', import.meta.url);
const track = trackPools();
/**
 * The sources of the kinds a plain worker must not load; sync/liveness.ts and sync/spin.ts (the
 * spin wait's backing off, 1 KB) every bootstrap uses.
 */
const KIND_SOURCES = /^src\/(ndarray\/|transport\/ndarray-kind\.ts$|sync\/(?!(liveness|spin)\.ts$)|sharedctypes\/|manager\/|register-kinds\.ts$)/;

let manager: Manager;
beforeAll(async () => {
  manager = await Manager.start();
});
afterAll(async () => {
  await manager.shutdown();
});

describe('shared kinds in a worker', () => {
  it('a worker running a plain module loads no kind module until a value of one arrives, which then arrives live', async () => {
    const pool = track(new Pool(MODULE, { size: 1 }));
    expect(await pool.apply('echo', 1)).toBe(1);
    const before = (await pool.apply('loadedSources')) as string[];
    // the list is real: the bootstrap's own sources are in it
    expect(before).toContain('src/pool/worker-entry.ts');
    expect(before).toContain('src/transport/registry.ts');
    expect(before.filter((s) => KIND_SOURCES.test(s))).toEqual([]);

    // an array first: it loads ndarray/ alone, and arrives as a view of the same memory
    const a = zeros([4], 'int32');
    expect(await pool.apply('fill', a, 5)).toBeUndefined();
    expect([...a.data]).toEqual([5, 5, 5, 5]);
    const arrays = (await pool.apply('loadedSources')) as string[];
    expect(arrays).toContain('src/ndarray/ndarray.ts');
    expect(arrays.filter((s) => KIND_SOURCES.test(s) && !/^src\/(ndarray\/|transport\/ndarray-kind\.ts$)/.test(s))).toEqual([]);
    expect(await pool.apply('giveBack', a)).toBeInstanceOf(SharedNDArray);

    const lock = new Lock();
    const queue = new Queue();
    const value = Value('i', 1);
    const array = SharedCArray('i', 3);
    const dict = manager.dict<string, string>();
    expect(await pool.apply('use', { lock, queue, value, array, dict })).toEqual(['Lock', 'Queue', 'Synchronized', 'SynchronizedArray', 'DictProxy']);
    expect(queue.get({ timeout: 10_000 })).toBe('from the worker');
    expect(value.value).toBe(42);
    expect(array[1]).toBe(7);
    expect(dict.get('worker')).toBe('was here');

    const after = (await pool.apply('loadedSources')) as string[];
    expect(after).toEqual(expect.arrayContaining(['src/sync/lock.ts', 'src/sync/queue.ts', 'src/sharedctypes/synchronized.ts', 'src/manager/kind.ts']));
    // and what the worker decoded goes back as the same shared objects
    expect(await pool.apply('giveBack', lock)).toBeInstanceOf(Lock);
    const back = (await pool.apply('giveBack', dict)) as typeof dict;
    expect(back.get('worker')).toBe('was here');
  });
});
