import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { filePool, trackPools } from '../support/pools.js';
import {
  ArgumentError, type DictProxy, Event, ListProxy, Manager, ManagerStateError, Pool, Process, toDescriptors,
} from '../../src/index.js';

/**
 * Proxies crossing every boundary the package has (Pool arguments and initargs, Process args,
 * toDescriptors in workerData) and arriving live; `register` for custom types; shutdown reaching
 * every thread.
 */

const MODULE = new URL('../support/manager-worker.mjs', import.meta.url);
const COUNTER = new URL('../support/manager-counter.mjs', import.meta.url);
const track = trackPools();
/** Two workers for the tests that wait for every task they start: what they check is the proxies, not the pool. */
const sharedPool = filePool(MODULE, { size: 2 });

let manager: Manager;
beforeAll(async () => {
  manager = await Manager.start();
});
afterAll(async () => {
  await manager.shutdown();
});

describe('proxies across threads', () => {
  it('pool workers fill a dict and a list through proxies passed as task arguments', async () => {
    const pool = sharedPool();
    const d = manager.dict<number, number>();
    const l = manager.list<number>();
    await Promise.all([0, 1, 2, 3].map((k) => pool.apply('fill', d, l, k * 25, (k + 1) * 25)));
    expect(d.len()).toBe(100);
    expect(d.get(7)).toBe(49);
    const items = l.toArray();
    items.sort((a, b) => a - b);
    expect(items).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('a Lock proxy makes read-modify-write on a Value proxy exact across workers', async () => {
    const pool = sharedPool();
    const lock = manager.Lock();
    const value = manager.Value('i', 0);
    await Promise.all([0, 1, 2].map(() => pool.apply('increment', lock, value, 200)));
    expect(value.value).toBe(600);
  });

  it('initargs: a proxy given to the initializer stays live for later tasks', async () => {
    const l = manager.list<number>();
    const pool = track(new Pool(MODULE, { size: 2, initializer: 'keep', initargs: [l] }));
    const lengths = (await pool.map('appendKept', [1, 2, 3, 4])) as number[];
    expect(Math.max(...lengths)).toBe(4);
    expect(l.len()).toBe(4);
  });

  it('nested proxies arrive as proxies in a worker; proxies come back from a worker as proxies', async () => {
    const pool = sharedPool();
    const d = manager.dict();
    d.set('inner', manager.list(['main']));
    expect(await pool.apply('kinds', d)).toEqual(['DictProxy', 'ListProxy', ['main', 'from worker']]);
    const items = await pool.apply('dictSet', d, 'self', d);
    const back = new Map(items as [string, unknown][]);
    expect(back.get('inner')).toBeInstanceOf(ListProxy);
  });

  it('a Namespace, a JoinableQueue and a Barrier used from workers and the main thread', async () => {
    const pool = sharedPool();
    const ns = manager.Namespace<{ count: number; who: string }>({ count: 41 });
    expect(await pool.apply('namespace', ns)).toEqual({ count: 42, who: 'worker' });
    expect(ns.count).toBe(42);
    const q = manager.JoinableQueue<number>();
    const consumed = pool.apply('consume', q, 10);
    for (let i = 1; i <= 10; i++) await q.putAsync(i);
    await q.joinAsync(10_000);
    expect(await consumed).toBe(55);
    const b = manager.Barrier(3);
    const indices = await Promise.all([pool.apply('barrier', b), pool.apply('barrier', b), b.waitAsync(10_000)]);
    expect([...indices].sort()).toEqual([0, 1, 2]);
  });

  it('a Process gets live proxies as its args', async () => {
    const d = manager.dict<number, number>();
    const l = manager.list<number>();
    const p = new Process({ module: MODULE, fn: 'fill', args: [d, l, 0, 10] });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(d.len()).toBe(10);
    expect(l.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('toDescriptors in workerData: a raw worker gets live proxies', async () => {
    const d = manager.dict();
    const source = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)}).then(({ fromDescriptors }) => {
        const { d } = fromDescriptors(workerData);
        d.set('from', 'raw worker');
        parentPort.postMessage(d.constructor.name);
      });`;
    const worker = new Worker(source, { eval: true, workerData: toDescriptors({ d }) });
    const name = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(name).toBe('DictProxy');
    expect(d.get('from')).toBe('raw worker');
  });

  it('an Event proxy wakes a worker blocked on it', async () => {
    const pool = sharedPool();
    const e = manager.Event();
    const d = manager.dict();
    const waiting = pool.apply('waitEvent', e, d);
    d.set('go', 'went');
    await e.setAsync();
    expect(await waiting).toBe('went');
  });
});

describe('the wire under load', () => {
  it('two slots of 64 bytes, three workers and the main thread: chunked calls, all slots taken, nothing lost or mixed up', async () => {
    const m = await Manager.start({ slots: 2, slotBytes: 64 });
    try {
      const pool = track(new Pool(MODULE, { size: 3 }));
      const d = m.dict();
      const l = m.list<number>();
      const workers = ['a', 'b', 'c'].map((who) => pool.apply('stress', d, l, who, 150));
      const mine = Array.from({ length: 100 }, (_, i) => d.setAsync(`main:${i}`, 'y'.repeat(i * 10)));
      expect(await Promise.all(workers)).toEqual([0, 0, 0]);
      await Promise.all(mine);
      expect(d.len()).toBe(550);
      expect(d.get('main:99')).toBe('y'.repeat(990));
      expect(l.len()).toBe(450);
      expect(l.count(149)).toBe(3);
    } finally {
      await m.shutdown();
    }
  });
});

describe('register', () => {
  it('a registered class: the manager builds it, proxies call its exposed methods in both forms', async () => {
    interface Counter {
      increment(by?: number): number;
      read(): number;
      later(ms: number): Promise<number>;
    }
    await manager.register('Counter', { module: COUNTER, export: 'Counter' });
    const c = manager.create<Counter>('Counter', 10);
    expect(c.increment()).toBe(11);
    expect(await c.incrementAsync(5)).toBe(16);
    expect(c.call('read')).toBe(16);
    expect(await c.later(1)).toBe(16);
    const hidden = thrown(() => c.call('_hidden'));
    expect(hidden).toBeInstanceOf(ArgumentError);
    expect(hidden.message).toBe('Counter._hidden: "_hidden" is not a method the manager exposes for typeid "Counter" (exposed: "increment", "read", "later")');
    const d = manager.dict();
    d.set('c', c);
    expect((d.get('c') as typeof c).read()).toBe(16);
  });

  it('exposed limits the methods; bad typeids, modules and exports are refused', async () => {
    await manager.register('ReadOnlyCounter', { module: COUNTER, export: 'Counter', exposed: ['read'] });
    const c = manager.create('ReadOnlyCounter', 3);
    expect(c.call('read')).toBe(3);
    expect(thrown(() => c.call('increment'))).toBeInstanceOf(ArgumentError);
    expect((await rejection(manager.register('dict', { module: COUNTER }))).message).toBe(`Manager.register: invalid argument 'typeid': "dict" is a built-in typeid`);
    expect((await rejection(manager.register('X', { module: COUNTER, export: 'Nope' }))).message).toMatch(/exports no class named "Nope" \(its exports: "Counter"\)$/);
    expect((await rejection(manager.register('X', { module: 'relative.mjs' }))).message).toMatch(/^Manager\.register: invalid argument 'options\.module': expected a file URL or an absolute path/);
  });
});

describe('shutdown', () => {
  it('proxies throw a ManagerStateError after shutdown, in this thread and in a worker blocked meanwhile', async () => {
    const m = await Manager.start();
    const d = m.dict({ x: 1 });
    const q = m.Queue();
    const pool = sharedPool();
    const started = new Event();
    const stop = new Event();
    const after = pool.apply('callAfterShutdown', d, started, stop);
    const blockedGet = rejection(q.getAsync());
    await started.waitAsync(10_000);
    await m.shutdown();
    expect(m.shutDown).toBe(true);
    stop.set();
    expect(await after).toEqual(['ManagerStateError', 'DictProxy.get: the manager is shut down']);
    const error = await blockedGet;
    expect(error).toBeInstanceOf(ManagerStateError);
    expect(thrown(() => d.get('x'))).toBeInstanceOf(ManagerStateError);
    expect(thrown(() => m.dict())).toBeInstanceOf(ManagerStateError);
    await m.shutdown();
  });

  it('await using shuts the manager down at the end of the block', async () => {
    let d: DictProxy | undefined;
    {
      await using m = await Manager.start();
      d = m.dict();
      d.set('a', 1);
    }
    expect(thrown(() => d!.get('a'))).toBeInstanceOf(ManagerStateError);
  });
});
