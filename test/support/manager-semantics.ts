/**
 * The Manager semantics both stores share (test/manager/semantics.thread.test.ts for the embedded
 * store, redis-semantics.thread.test.ts for Redis): one copy of the calls and their answers.
 * `get` gives the file's manager, started in its own beforeAll.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rejection, thrown } from './assert.js';
import {
  ArgumentError, BrokenBarrierError, type DictProxy, DTypeError, Empty, Full, IndexError, KeyError, ListProxy, Manager, SyncStateError,
  TimeoutError, ValueError,
} from '../../src/index.js';

export function sharedSemantics(get: () => Manager): void {
  let manager: Manager;
  beforeAll(() => {
    manager = get();
  });

  describe('dict', () => {
    it('get/set/delete/has/len/keys/values/items/copy, keys keep their types', async () => {
      const d = manager.dict<string | number, unknown>({ a: 1 });
      d.set(1, 'one');
      d.set('1', 'string one');
      expect(d.get('a')).toBe(1);
      expect(d.get(1)).toBe('one');
      expect(d.get('1')).toBe('string one');
      expect(d.get('missing')).toBeUndefined();
      expect(d.get('missing', 'fallback')).toBe('fallback');
      expect(d.has(1)).toBe(true);
      expect(await d.hasAsync(2)).toBe(false);
      expect(d.len()).toBe(3);
      expect(d.keys()).toEqual(['a', 1, '1']);
      expect(d.values()).toEqual([1, 'one', 'string one']);
      expect(await d.itemsAsync()).toEqual([['a', 1], [1, 'one'], ['1', 'string one']]);
      d.delete(1);
      expect(thrown(() => d.delete(1))).toBeInstanceOf(KeyError);
      expect(d.copy()).toEqual(new Map<unknown, unknown>([['a', 1], ['1', 'string one']]));
      d.clear();
      expect(await d.lenAsync()).toBe(0);
    });

    it('values are copies: changing what was stored or read does not change the dict', () => {
      const d = manager.dict();
      const value = { list: [1, 2] };
      d.set('v', value);
      value.list.push(3);
      const read = d.get('v') as { list: number[] };
      expect(read).toEqual({ list: [1, 2] });
      read.list.push(4);
      expect(d.get('v')).toEqual({ list: [1, 2] });
    });

    it('pop with and without a default, popitem LIFO and on empty, setdefault, update', async () => {
      const d = manager.dict<string, number>([['x', 1], ['y', 2]]);
      expect(d.pop('x')).toBe(1);
      expect(d.pop('x', 0)).toBe(0);
      expect(d.pop('x', undefined as unknown as number)).toBeUndefined();
      const error = thrown(() => d.pop('x'));
      expect(error).toBeInstanceOf(KeyError);
      expect(error.message).toBe('DictProxy.pop: no key "x" (and no default given)');
      expect(await rejection(d.popAsync('x'))).toBeInstanceOf(KeyError);
      d.update({ z: 3 });
      d.update(new Map([['w', 4]]));
      expect(d.popitem()).toEqual(['w', 4]);
      expect(await d.popitemAsync()).toEqual(['z', 3]);
      expect(d.setdefault('y', 9)).toBe(2);
      expect(d.setdefault('n', 9)).toBe(9);
      expect(d.get('n')).toBe(9);
      d.clear();
      const empty = thrown(() => d.popitem());
      expect(empty).toBeInstanceOf(KeyError);
      expect(empty.message).toBe('DictProxy.popitem: the dictionary is empty');
    });

    it('refuses keys that are not primitives, values structured clone cannot copy, and shared memory', () => {
      const d = manager.dict();
      expect(thrown(() => d.set({} as never, 1)).message).toMatch(/^DictProxy\.set: invalid argument 'key': expected a string, number/);
      const fn = thrown(() => d.set('f', () => 1));
      expect(fn).toBeInstanceOf(ArgumentError);
      expect(fn.message).toMatch(/^DictProxy\.set: invalid argument: it cannot be copied into the manager/);
      const shared = thrown(() => d.set('s', { buffer: new SharedArrayBuffer(8) }));
      expect(shared).toBeInstanceOf(ArgumentError);
      expect(shared.message).toMatch(/argument 2\.buffer is a SharedArrayBuffer, which lives in shared memory/);
      expect(thrown(() => d.update(5 as never)).message).toMatch(/^DictProxy\.update: invalid argument 'other'/);
    });

    it('a large value goes through in chunks, both ways', async () => {
      const d = manager.dict();
      const big = Array.from({ length: 20_000 }, (_, i) => `item ${i}`);
      d.set('big', big);
      expect(d.get('big')).toEqual(big);
      expect(await d.getAsync('big')).toEqual(big);
    });

    it('many async calls in flight at once (more than the slots) all complete', async () => {
      const d = manager.dict<number, number>();
      await Promise.all(Array.from({ length: 300 }, (_, i) => d.setAsync(i, i)));
      expect(d.len()).toBe(300);
      const values = await Promise.all(Array.from({ length: 300 }, (_, i) => d.getAsync(i)));
      expect(values).toEqual(Array.from({ length: 300 }, (_, i) => i));
    });

    it("a thread's async calls in flight at once run in the order it made them", async () => {
      const l = manager.list<number>();
      // more calls than slots (the embedded suite's manager has 16), so the slots they take wrap
      // around: the server once served the calls it found pending in slot order
      for (let round = 0; round < 5; round++) {
        await Promise.all(Array.from({ length: 40 }, (_, i) => l.appendAsync(round * 40 + i)));
      }
      expect(await l.sliceAsync(0)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    });
  });

  describe('list', () => {
    it('append/extend/insert/get/set/delete/len/slice with negative indices', async () => {
      const l = manager.list([1, 2]);
      l.append(3);
      l.extend([4, 5]);
      l.insert(0, 0);
      l.insert(-1, 4.5);
      l.insert(100, 6);
      expect(l.toArray()).toEqual([0, 1, 2, 3, 4, 4.5, 5, 6]);
      expect(l.get(-1)).toBe(6);
      l.set(-2, 50);
      l.delete(0);
      expect(await l.toArrayAsync()).toEqual([1, 2, 3, 4, 4.5, 50, 6]);
      expect(l.slice(1, 3)).toEqual([2, 3]);
      expect(l.slice(-2)).toEqual([50, 6]);
      expect(l.slice(null, null, -2)).toEqual([6, 4.5, 3, 1]);
      expect(l.slice(0, 6, 2)).toEqual([1, 3, 4.5]);
      expect(l.len()).toBe(7);
      const error = thrown(() => l.get(7));
      expect(error).toBeInstanceOf(IndexError);
      expect(error.message).toBe('ListProxy.get: list index 7 out of range for length 7');
      expect(await rejection(l.setAsync(-8, 0))).toBeInstanceOf(IndexError);
    });

    it('pop, remove, index, count, includes by value, as Python compares', () => {
      const l = manager.list<unknown>([1, { a: [1] }, 'x', 1, [2, 3]]);
      expect(l.count(1)).toBe(2);
      expect(l.index({ a: [1] })).toBe(1);
      expect(l.index(1, 1)).toBe(3);
      expect(l.includes([2, 3])).toBe(true);
      const missing = thrown(() => l.index(1, 1, 3));
      expect(missing).toBeInstanceOf(ValueError);
      expect(missing.message).toBe('ListProxy.index: 1 is not in the list');
      l.remove({ a: [1] });
      expect(thrown(() => l.remove('nope'))).toBeInstanceOf(ValueError);
      expect(l.pop()).toEqual([2, 3]);
      expect(l.pop(0)).toBe(1);
      expect(l.toArray()).toEqual(['x', 1]);
      l.clear();
      const empty = thrown(() => l.pop());
      expect(empty).toBeInstanceOf(IndexError);
      expect(empty.message).toBe('ListProxy.pop: pop from empty list');
    });

    it('sort (and reverse), numbers numerically; mixed types refused and the list left as it was', async () => {
      const l = manager.list([10, 9, 100, 1]);
      l.sort();
      expect(l.toArray()).toEqual([1, 9, 10, 100]);
      await l.sortAsync({ reverse: true });
      expect(l.toArray()).toEqual([100, 10, 9, 1]);
      l.reverse();
      expect(l.toArray()).toEqual([1, 9, 10, 100]);
      const words = manager.list(['b', 'a', 'c']);
      words.sort();
      expect(words.toArray()).toEqual(['a', 'b', 'c']);
      const pairs = manager.list([[2, 'a'], [1, 'b'], [1, 'a']]);
      pairs.sort();
      expect(pairs.toArray()).toEqual([[1, 'a'], [1, 'b'], [2, 'a']]);
      const mixed = manager.list<unknown>([3, 'a', 1]);
      const error = thrown(() => mixed.sort());
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^ListProxy\.sort: '<' is not supported between/);
      expect(mixed.toArray()).toEqual([3, 'a', 1]);
    });
  });

  describe('Namespace', () => {
    it('attribute access reads and writes the shared attributes; methods for clashing names', async () => {
      const ns = manager.Namespace<{ x: number; y: string }>({ x: 1 });
      expect(ns.x).toBe(1);
      ns.y = 'two';
      expect(ns.y).toBe('two');
      expect('y' in ns).toBe(true);
      expect('z' in ns).toBe(false);
      expect((ns as unknown as Record<string, unknown>).z).toBeUndefined();
      ns.set('get', 3);
      expect(ns.get('get')).toBe(3);
      expect(await ns.getAsync('x')).toBe(1);
      delete (ns as unknown as Record<string, unknown>).y;
      expect(ns.toObject()).toEqual({ x: 1, get: 3 });
      expect(thrown(() => ns.delete('y'))).toBeInstanceOf(KeyError);
      expect(thrown(() => { (ns as unknown as Record<string, unknown>).toObject = 1; })).toBeInstanceOf(ArgumentError);
    });
  });

  describe('named objects', () => {
    it('a name gives the same object each time; a name taken by another type is refused', () => {
      const a = manager.dict('results');
      a.set('k', 1);
      const b = manager.dict('results');
      expect(b.get('k')).toBe(1);
      expect(b.id).toBe(a.id);
      expect(thrown(() => manager.list('results')).message).toBe('Manager.list: the name "results" is taken by a dict, not a list');
      expect(thrown(() => manager.dict({}, { name: '' })).message).toMatch(/^Manager\.dict: invalid argument 'options\.name'/);
    });
  });

  describe('nested proxies', () => {
    it('a proxy stored in a dict or list comes back as a live proxy to the same object', async () => {
      const inner = manager.list([1]);
      const d = manager.dict();
      d.set('inner', inner);
      d.set('nested', { deep: [inner] });
      const back = d.get('inner') as ListProxy<number>;
      expect(back).toBeInstanceOf(ListProxy);
      back.append(2);
      expect(inner.toArray()).toEqual([1, 2]);
      const deep = (await d.getAsync('nested')) as { deep: ListProxy<number>[] };
      deep.deep[0]!.append(3);
      expect(inner.toArray()).toEqual([1, 2, 3]);
      const outer = manager.list<DictProxy>([d]);
      expect((outer.get(0) as DictProxy).get('inner')).toBeInstanceOf(ListProxy);
    });

    it('a proxy of another manager is refused', async () => {
      const other = await Manager.start();
      try {
        const error = thrown(() => manager.dict().set('x', other.list()));
        expect(error).toBeInstanceOf(ArgumentError);
        expect(error.message).toBe('DictProxy.set: invalid argument: argument 2 is a proxy of another manager; a manager stores proxies of its own objects only');
      } finally {
        await other.shutdown();
      }
    });
  });

  describe('Queue and JoinableQueue', () => {
    it('FIFO, maxsize, Full and Empty with block: false and timeouts, both forms', async () => {
      const q = manager.Queue<number>(2);
      q.put(1);
      await q.putAsync(2);
      expect(q.full()).toBe(true);
      expect(q.qsize()).toBe(2);
      expect(thrown(() => q.putNowait(3))).toBeInstanceOf(Full);
      const full = thrown(() => q.put(3, { timeout: 20 }));
      expect(full.message).toBe('QueueProxy.put: the queue stayed full for 20 ms');
      expect(q.get()).toBe(1);
      expect(await q.getAsync()).toBe(2);
      expect(q.empty()).toBe(true);
      expect(thrown(() => q.getNowait())).toBeInstanceOf(Empty);
      expect(await rejection(q.getAsync({ block: false }))).toBeInstanceOf(Empty);
      expect(thrown(() => q.get({ timeout: -1 }))).toBeInstanceOf(ArgumentError);
    });

    it('a waiting get is answered by a later put; a waiting put by a get', async () => {
      const q = manager.Queue<string>(1);
      const got = q.getAsync();
      q.put('a');
      expect(await got).toBe('a');
      q.put('b');
      const put = q.putAsync('c');
      expect(q.get()).toBe('b');
      await put;
      expect(q.get()).toBe('c');
    });

    it('JoinableQueue: join waits for taskDone of every item; too many taskDone is an error', async () => {
      const q = manager.JoinableQueue<number>();
      q.put(1);
      q.put(2);
      expect(q.join(10)).toBe(false);
      expect(await rejection(q.joinAsync(10))).toBeInstanceOf(TimeoutError);
      const joined = q.joinAsync();
      q.get();
      q.taskDone();
      q.get();
      q.taskDone();
      await joined;
      expect(q.join(0)).toBe(true);
      expect(thrown(() => q.taskDone())).toBeInstanceOf(SyncStateError);
    });
  });

  describe('Condition', () => {
    /** Resolves once `check()` is true, looking every few ms (bounded by the test's timeout). */
    async function until(check: () => boolean | Promise<boolean>): Promise<void> {
      while (!(await check())) await new Promise((r) => setTimeout(r, 2));
    }

    it('wait releases the lock and takes it back; timeouts, both forms; the lock must be held', async () => {
      const cond = manager.Condition();
      const error = thrown(() => cond.wait(0));
      expect(error).toBeInstanceOf(SyncStateError);
      expect(error.message).toBe('ConditionProxy.wait: cannot wait on a condition whose lock this thread does not hold');
      expect(thrown(() => cond.notify())).toBeInstanceOf(SyncStateError);
      expect(thrown(() => cond.notifyAll())).toBeInstanceOf(SyncStateError);
      cond.acquire();
      // its default lock is an RLock: the holder takes it again, and wait releases every hold
      cond.acquire();
      expect(cond.wait(10)).toBe(false);
      expect(await rejection(cond.waitAsync(10))).toBeInstanceOf(TimeoutError);
      cond.release();
      cond.release();
      expect(thrown(() => cond.release())).toBeInstanceOf(SyncStateError);
    });

    it('notify(n) wakes n waiters in arrival order; notifyAll the rest; a timed-out waiter takes no notify', async () => {
      const lock = manager.Lock();
      const cond = manager.Condition(lock);
      const entered = manager.Value('i', 0);
      const woken: number[] = [];
      const waiters: Promise<boolean>[] = [];
      const start = async (i: number, timeout?: number) => {
        const waiter = (async () => {
          await cond.acquireAsync();
          await entered.addAsync(1);
          const notified = await cond.waitAsync(timeout).then(() => true, (e: unknown) => {
            if (!(e instanceof TimeoutError)) throw e;
            return false;
          });
          if (notified) woken.push(i);
          // wait took the lock back
          expect(await lock.lockedAsync()).toBe(true);
          await cond.releaseAsync();
          return notified;
        })();
        waiters.push(waiter);
        // in the wait once its lock is free again and it counted itself
        await until(async () => {
          if (!lock.acquire({ block: false })) return false;
          const n = entered.get();
          lock.release();
          return n === i + 1;
        });
      };
      await start(0);
      await start(1, 30);
      await start(2);
      await start(3);
      // waiter 1 times out, and a notify then passes it by
      expect(await waiters[1]).toBe(false);
      cond.acquire();
      cond.notify(0);
      cond.notify();
      cond.release();
      await until(() => woken.length === 1);
      expect(woken).toEqual([0]);
      // Waiter 0 may still hold the lock it took back: a blocking acquire here would stop the
      // event loop its release needs, and with it this thread.
      await cond.acquireAsync();
      cond.notify(1);
      cond.release();
      await until(() => woken.length === 2);
      expect(woken).toEqual([0, 2]);
      await cond.acquireAsync();
      await cond.notifyAllAsync();
      await cond.releaseAsync();
      expect(await Promise.all(waiters)).toEqual([true, false, true, true]);
      expect(woken).toEqual([0, 2, 3]);
      cond.acquire();
      expect(thrown(() => cond.notify(-1))).toBeInstanceOf(ArgumentError);
      cond.release();
    });

    it('waitFor: the predicate runs with the lock held, until it is true or the timeout passes', async () => {
      // A Lock, not the default RLock: the waiter and this loop are tasks of one thread, which
      // an RLock would let hold it together (it counts holds per thread, as Python's does).
      const cond = manager.Condition(manager.Lock());
      const state = manager.Value('i', 0);
      const waiter = (async () => {
        await cond.acquireAsync();
        const result = await cond.waitForAsync(() => state.getAsync().then((v) => v >= 2 && v), 10_000);
        await cond.releaseAsync();
        return result;
      })();
      for (let i = 1; i <= 2; i++) {
        await new Promise((r) => setTimeout(r, 10));
        await cond.acquireAsync();
        await state.setAsync(i);
        await cond.notifyAllAsync();
        await cond.releaseAsync();
      }
      expect(await waiter).toBe(2);
      cond.acquire();
      expect(cond.waitFor(() => state.get() > 5, 20)).toBe(false);
      cond.release();
    });
  });

  describe('Barrier', () => {
    it('parties, arrival indices, nWaiting, and a new generation after each trip', async () => {
      const b = manager.Barrier(3);
      expect(b.parties).toBe(3);
      for (let generation = 0; generation < 2; generation++) {
        const first = b.waitAsync();
        const second = b.waitAsync();
        while (b.nWaiting < 2) await new Promise((r) => setTimeout(r, 2));
        expect(b.wait()).toBe(2);
        expect((await Promise.all([first, second])).sort()).toEqual([0, 1]);
        expect(b.nWaiting).toBe(0);
        expect(b.broken).toBe(false);
      }
      expect(thrown(() => manager.Barrier(0)).message).toMatch(/^Manager\.Barrier: invalid argument 'parties': expected an integer >= 1/);
    });

    it('a timeout breaks it for every waiter; broken, it refuses waits until reset', async () => {
      const b = manager.Barrier(3);
      const other = rejection(b.waitAsync());
      while (b.nWaiting < 1) await new Promise((r) => setTimeout(r, 2));
      const error = thrown(() => b.wait(20));
      expect(error).toBeInstanceOf(BrokenBarrierError);
      expect(await other).toBeInstanceOf(BrokenBarrierError);
      expect(b.broken).toBe(true);
      expect(b.nWaiting).toBe(0);
      expect(thrown(() => b.wait())).toBeInstanceOf(BrokenBarrierError);
      b.reset();
      expect(b.broken).toBe(false);
      const timed = manager.Barrier(2, { timeout: 20 });
      expect(await rejection(timed.waitAsync())).toBeInstanceOf(BrokenBarrierError);
    });

    it('abort breaks it; reset with waiters breaks their wait but leaves the barrier usable', async () => {
      const b = manager.Barrier(2);
      const aborted = rejection(b.waitAsync());
      while (b.nWaiting < 1) await new Promise((r) => setTimeout(r, 2));
      await b.abortAsync();
      expect(await aborted).toBeInstanceOf(BrokenBarrierError);
      expect(b.broken).toBe(true);
      await b.resetAsync();
      const waiting = rejection(b.waitAsync());
      while (b.nWaiting < 1) await new Promise((r) => setTimeout(r, 2));
      b.reset();
      expect(await waiting).toBeInstanceOf(BrokenBarrierError);
      expect(b.broken).toBe(false);
      const again = b.waitAsync();
      expect(await b.waitAsync()).toBe(1);
      expect(await again).toBe(0);
    });
  });

  describe('locks and semaphores', () => {
    it('Event', async () => {
      const e = manager.Event();
      expect(e.isSet()).toBe(false);
      expect(e.wait(10)).toBe(false);
      expect(await rejection(e.waitAsync(10))).toBeInstanceOf(TimeoutError);
      const waiting = e.waitAsync();
      e.set();
      await waiting;
      expect(e.wait()).toBe(true);
      e.clear();
      expect(e.isSet()).toBe(false);
    });

    it('Lock: acquire, non-blocking and timed acquire fail while held, release wakes a waiter', async () => {
      const lock = manager.Lock();
      expect(lock.acquire()).toBe(true);
      expect(lock.locked()).toBe(true);
      expect(lock.acquire({ block: false })).toBe(false);
      expect(lock.acquire({ timeout: 10 })).toBe(false);
      expect(await rejection(lock.acquireAsync({ timeout: 10 }))).toBeInstanceOf(TimeoutError);
      const waiting = lock.acquireAsync();
      lock.release();
      await waiting;
      expect(lock.locked()).toBe(true);
      lock.release();
      expect(thrown(() => lock.release())).toBeInstanceOf(SyncStateError);
      {
        using _held = lock.hold();
        expect(lock.locked()).toBe(true);
      }
      expect(lock.locked()).toBe(false);
    });

    it('RLock: its holder takes it again and must release it as often', () => {
      const rlock = manager.RLock();
      expect(rlock.acquire()).toBe(true);
      expect(rlock.acquire()).toBe(true);
      rlock.release();
      expect(rlock.locked()).toBe(true);
      rlock.release();
      expect(rlock.locked()).toBe(false);
      expect(thrown(() => rlock.release())).toBeInstanceOf(SyncStateError);
    });

    it('Semaphore and BoundedSemaphore', async () => {
      const s = manager.Semaphore(2);
      expect(s.acquire()).toBe(true);
      expect(s.acquire()).toBe(true);
      expect(s.acquire({ block: false })).toBe(false);
      const waiting = s.acquireAsync();
      s.release();
      await waiting;
      expect(s.getValue()).toBe(0);
      s.release(2);
      expect(s.getValue()).toBe(2);
      const b = manager.BoundedSemaphore(1);
      expect(thrown(() => b.release())).toBeInstanceOf(SyncStateError);
      expect(thrown(() => manager.Semaphore(-1))).toBeInstanceOf(ArgumentError);
    });
  });

  describe('Value and Array', () => {
    it('Value: get, set, the value property, add', async () => {
      const v = manager.Value('d', 1.5);
      expect(v.value).toBe(1.5);
      v.value = 2.5;
      expect(await v.getAsync()).toBe(2.5);
      expect(v.add(1)).toBe(3.5);
      expect(thrown(() => manager.Value('c', 1))).toBeInstanceOf(DTypeError);
    });

    it('Array: typed elements, negative indices, toArray; values that do not fit refused', () => {
      const a = manager.Array('i', [1, 2, 3]);
      a.set(-1, 30);
      expect(a.get(0)).toBe(1);
      expect(a.len()).toBe(3);
      expect(a.toArray()).toEqual([1, 2, 30]);
      expect(thrown(() => a.get(3))).toBeInstanceOf(IndexError);
      expect(thrown(() => a.set(0, 'x' as never))).toBeInstanceOf(ValueError);
      expect(manager.Array('q', [1n, 2n]).toArray()).toEqual([1n, 2n]);
      expect(manager.Array('d', 2).toArray()).toEqual([0, 0]);
    });
  });

  describe('bad input to the manager', () => {
    it('refuses bad options and arguments with the package messages', async () => {
      expect((await rejection(Manager.start({ slots: 0 }))).message).toBe("Manager.start: invalid argument 'options.slots': expected an integer from 1 to 4096, got 0");
      expect((await rejection(Manager.start({ bogus: 1 } as never))).message).toMatch(/^Manager\.start: invalid argument 'options': unknown option "bogus"/);
      expect(thrown(() => manager.Queue(1.5))).toBeInstanceOf(ArgumentError);
      expect(thrown(() => manager.Condition({} as never))).toBeInstanceOf(ArgumentError);
    });

    it('an unregistered typeid is refused with the message that names register', () => {
      expect(thrown(() => manager.create('Nope')).message).toBe('Manager.create: unknown typeid "Nope": register it first with manager.register("Nope", { module, export })');
    });
  });
}
