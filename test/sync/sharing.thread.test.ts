import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  ArgumentError, Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore, SyncStateError, zeros,
} from '../../src/index.js';
import { outcomes, sharedSyncPools, until } from '../support/sync.js';

/**
 * Every sync kind crosses into a pool worker as the same shared object: the worker's object and
 * the main thread's act on one piece of memory, both ways, and objects made in a worker come
 * back the same way.
 */

const syncPool = sharedSyncPools();

/** `value` or the error name of each step. */
describe('each kind, passed as a pool argument, is the same object in the worker', () => {
  it('Lock', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    lock.acquire();
    expect(outcomes(await pool.apply('ops', { lock }, [
      ['worker', 'kind', 'lock'], ['lock', 'locked'], ['lock', 'acquire', { block: false }], ['lock', 'release'],
    ]))).toEqual(['Lock', true, false, undefined]);
    expect(lock.locked()).toBe(false);
    expect(outcomes(await pool.apply('ops', { lock }, [['lock', 'acquire'], ['worker', 'keep', 'lock']]))).toEqual([true, true]);
    expect(lock.locked()).toBe(true);
    expect(lock.isOwned()).toBe(false);
    expect(lock.acquire({ block: false })).toBe(false);
    expect(outcomes(await pool.apply('ops', {}, [['lock', 'isOwned'], ['lock', 'release']]))).toEqual([true, undefined]);
    expect(lock.locked()).toBe(false);
  });

  it('RLock', async () => {
    const pool = syncPool(1);
    const lock = new RLock();
    expect(outcomes(await pool.apply('ops', { lock }, [
      ['worker', 'kind', 'lock'], ['lock', 'acquire'], ['lock', 'acquire'], ['lock', 'release'], ['worker', 'keep', 'lock'],
    ]))).toEqual(['RLock', true, true, undefined, true]);
    expect(lock.locked()).toBe(true);
    expect(lock.acquire({ timeout: 5 })).toBe(false);
    expect(outcomes(await pool.apply('ops', {}, [['lock', 'release'], ['lock', 'locked']]))).toEqual([undefined, false]);
    expect(lock.acquire({ block: false })).toBe(true);
    lock.release();
  });

  it('Semaphore', async () => {
    const pool = syncPool(1);
    const semaphore = new Semaphore(3);
    expect(outcomes(await pool.apply('ops', { semaphore }, [
      ['worker', 'kind', 'semaphore'], ['semaphore', 'acquire'], ['semaphore', 'acquire'], ['semaphore', 'getValue'],
    ]))).toEqual(['Semaphore', true, true, 1]);
    expect(semaphore.getValue()).toBe(1);
    semaphore.release(5); // unbounded: may go past its initial value
    expect(outcomes(await pool.apply('ops', { semaphore }, [['semaphore', 'getValue']]))).toEqual([6]);
  });

  it('BoundedSemaphore keeps its class and its bound', async () => {
    const pool = syncPool(1);
    const semaphore = new BoundedSemaphore(2);
    semaphore.acquire();
    semaphore.acquire();
    const results = await pool.apply('ops', { semaphore }, [
      ['worker', 'kind', 'semaphore'], ['semaphore', 'acquire', { block: false }], ['semaphore', 'release'], ['semaphore', 'release'], ['semaphore', 'release'],
    ]);
    expect(outcomes(results)).toEqual(['BoundedSemaphore', false, undefined, undefined, 'SyncStateError']);
    expect(results[4]!.message).toBe('BoundedSemaphore.release: semaphore released too many times (value 2 + 1 would exceed its bound 2)');
    expect(semaphore.getValue()).toBe(2);
    expect(thrown(() => semaphore.release())).toBeInstanceOf(SyncStateError);
  });

  it('Event', async () => {
    const pool = syncPool(1);
    const event = new Event();
    expect(outcomes(await pool.apply('ops', { event }, [['worker', 'kind', 'event'], ['event', 'isSet'], ['event', 'set']]))).toEqual(['Event', false, undefined]);
    expect(event.isSet()).toBe(true);
    event.clear();
    expect(outcomes(await pool.apply('ops', { event }, [['event', 'isSet'], ['event', 'wait', 0]]))).toEqual([false, false]);
  });

  it('Condition, over its default RLock and over a Lock given to it', async () => {
    const pool = syncPool(1);
    for (const [cond, kind] of [[new Condition(), 'RLock'], [new Condition(new Lock()), 'Lock']] as const) {
      cond.acquire();
      const results = await pool.apply('ops', { cond, lock: cond.lock }, [
        ['worker', 'kind', 'cond'], ['worker', 'kind', 'lock'], ['lock', 'locked'], ['cond', 'acquire', { block: false }], ['cond', 'notify'],
      ]);
      expect(outcomes(results)).toEqual(['Condition', kind, true, false, 'SyncStateError']);
      expect(results[4]!.message).toBe("Condition.notify: cannot notify on un-acquired lock (acquire the condition's lock first)");
      cond.release();
      // the worker's condition and the lock passed beside it are one lock
      expect(outcomes(await pool.apply('ops', { cond, lock: cond.lock }, [
        ['cond', 'acquire'], ['lock', 'isOwned'], ['cond', 'notifyAll'], ['lock', 'release'], ['cond', 'acquire', { block: false }], ['cond', 'release'],
      ]))).toEqual([true, true, undefined, undefined, true, undefined]);
      expect(cond.lock.locked()).toBe(false);
    }
  });

  it('Barrier: its parties and its cycle are shared; its action stays with the thread that set it', async () => {
    const pool = syncPool(2);
    let ran = 0;
    const barrier = new Barrier(3, { action: () => { ran++; }, timeout: 10_000 });
    const workers = [0, 1].map(() => pool.apply('ops', { barrier }, [
      ['worker', 'kind', 'barrier'], ['worker', 'get', 'barrier', 'parties'], ['worker', 'get', 'barrier', 'action'], ['barrier', 'wait'],
    ]));
    // both workers are waiting: this thread's arrival completes the cycle and runs the action
    await until(() => barrier.nWaiting === 2, 'both workers wait at the barrier');
    const mine = await barrier.waitAsync();
    const theirs = (await Promise.all(workers)).map(outcomes);
    for (const r of theirs) expect(r.slice(0, 3)).toEqual(['Barrier', 3, undefined]);
    expect(mine).toBe(2);
    expect(ran).toBe(1);
    expect(theirs.map((r) => r[3]).sort()).toEqual([0, 1]);
  });

  it('kinds nested in arrays, objects and Maps arrive as their classes; other values as plain data', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    const kinds = await pool.apply('kinds', {
      list: [lock, new RLock(), { deep: [new Event()] }],
      map: new Map<string, unknown>([['s', new Semaphore()], ['b', new BoundedSemaphore()], ['c', new Condition()], ['n', 5]]),
      barrier: new Barrier(2),
      array: zeros([2], 'int32'),
      again: lock,
    });
    expect(kinds).toEqual({
      list: ['Lock', 'RLock', { deep: ['Event'] }],
      map: { s: 'Semaphore', b: 'BoundedSemaphore', c: 'Condition', n: 'number' },
      barrier: 'Barrier',
      array: 'SharedNDArray',
      again: 'Lock',
    });
  });
});

describe('objects made in a worker come back to the main thread as the same object', () => {
  it('a Lock created and held in a worker is held on the main thread; the worker sees the main thread take it', async () => {
    const pool = syncPool(1);
    const [, , back] = await pool.apply('ops', {}, [['worker', 'create', 'made', 'Lock'], ['made', 'acquire'], ['worker', 'give', 'made']]);
    const lock = back!.value as Lock;
    expect(lock).toBeInstanceOf(Lock);
    expect(lock.locked()).toBe(true);
    expect(lock.isOwned()).toBe(false);
    expect(lock.acquire({ timeout: 5 })).toBe(false);
    const waiting = lock.acquireAsync({ timeout: 10_000 });
    expect(outcomes(await pool.apply('ops', {}, [['made', 'release']]))).toEqual([undefined]);
    await waiting;
    expect(lock.isOwned()).toBe(true);
    expect(outcomes(await pool.apply('ops', {}, [['made', 'locked'], ['made', 'acquire', { timeout: 5 }]]))).toEqual([true, false]);
    lock.release();
    expect(outcomes(await pool.apply('ops', {}, [['made', 'acquire', { block: false }], ['made', 'release']]))).toEqual([true, undefined]);
  });

  it('every kind made in a worker returns as its class over the worker\'s memory', async () => {
    const pool = syncPool(1);
    const results = await pool.apply('ops', {}, [
      ['worker', 'create', 'rlock', 'RLock'],
      ['worker', 'create', 'sem', 'Semaphore', 4],
      ['worker', 'create', 'bsem', 'BoundedSemaphore', 1],
      ['worker', 'create', 'event', 'Event'],
      ['worker', 'create', 'cond', 'Condition'],
      ['worker', 'create', 'barrier', 'Barrier', 2],
    ]);
    const [rlock, sem, bsem, event, cond, barrier] = results.map((r) => r.value) as [RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier];
    expect(rlock).toBeInstanceOf(RLock);
    expect(sem).toBeInstanceOf(Semaphore);
    expect(sem).not.toBeInstanceOf(BoundedSemaphore);
    expect(bsem).toBeInstanceOf(BoundedSemaphore);
    expect(event).toBeInstanceOf(Event);
    expect(cond).toBeInstanceOf(Condition);
    expect(cond.lock).toBeInstanceOf(RLock);
    expect(barrier).toBeInstanceOf(Barrier);
    expect(barrier.parties).toBe(2);
    rlock.acquire();
    sem.acquire();
    bsem.acquire();
    event.set();
    cond.acquire();
    const seen = await pool.apply('ops', {}, [
      ['rlock', 'acquire', { block: false }], ['sem', 'getValue'], ['bsem', 'getValue'], ['event', 'isSet'], ['cond', 'acquire', { block: false }],
    ]);
    expect(outcomes(seen)).toEqual([false, 3, 0, true, false]);
    rlock.release();
    cond.release();
    const waiting = barrier.waitAsync(10_000);
    expect(outcomes(await pool.apply('ops', {}, [['barrier', 'wait', 10_000]]))).toHaveLength(1);
    expect([0, 1]).toContain(await waiting);
  });
});

describe('the main thread blocking, woken by a worker', () => {
  // The worker naps before it acts so that this thread is most likely asleep by then; the
  // outcome is the same either way.
  it('Lock.acquire returns true once the worker holding it releases', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    const held = new Event();
    const task = pool.apply('ops', { lock, held }, [['lock', 'acquire'], ['held', 'set'], ['worker', 'nap', 30], ['lock', 'release']]);
    await held.waitAsync(10_000);
    expect(lock.acquire({ timeout: 10_000 })).toBe(true);
    lock.release();
    expect(outcomes(await task)).toEqual([true, undefined, 'timed-out', undefined]);
  });

  it('Semaphore.acquire and Event.wait return true once the worker releases and sets', async () => {
    const pool = syncPool(1);
    const semaphore = new Semaphore(0);
    const event = new Event();
    const started = new Event();
    const task = pool.apply('ops', { semaphore, event, started }, [
      ['started', 'set'], ['worker', 'nap', 30], ['semaphore', 'release'], ['worker', 'nap', 30], ['event', 'set'],
    ]);
    await started.waitAsync(10_000);
    expect(semaphore.acquire({ timeout: 10_000 })).toBe(true);
    expect(event.wait(10_000)).toBe(true);
    await task;
  });

  it('Condition.wait returns true when a worker notifies: the worker can only notify once the wait released the lock', async () => {
    const pool = syncPool(1);
    const cond = new Condition();
    const started = new Event();
    cond.acquire();
    const task = pool.apply('ops', { cond, started }, [['started', 'set'], ['cond', 'acquire'], ['cond', 'notify'], ['cond', 'release']]);
    await started.waitAsync(10_000);
    expect(cond.wait(10_000)).toBe(true);
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(outcomes(await task)).toEqual([undefined, true, undefined, undefined]);
  });

  it('Barrier.wait on the main thread returns once two workers arrive', async () => {
    const pool = syncPool(2);
    const barrier = new Barrier(3);
    const arrived = zeros([1], 'int32');
    const tasks = [0, 1].map(() => pool.apply('ops', { barrier, arrived }, [
      ['worker', 'add', 'arrived', 0, 1], ['worker', 'nap', 30], ['barrier', 'wait', 10_000],
    ]));
    await until(() => arrived.data[0] === 2, 'both tasks started');
    const mine = barrier.wait(10_000);
    const theirs = (await Promise.all(tasks)).map((r) => r[2]!.value);
    expect([mine, ...theirs].sort()).toEqual([0, 1, 2]);
  });
});

describe('fromDescriptor', () => {
  it('rebuilds each kind over the same memory on the same thread', () => {
    const lock = new Lock();
    const again = Lock.fromDescriptor(lock.toDescriptor());
    lock.acquire();
    expect(again.locked()).toBe(true);
    again.release(); // a Lock may be released through any object, by any thread
    expect(lock.locked()).toBe(false);
    const event = new Event();
    Event.fromDescriptor(event.toDescriptor()).set();
    expect(event.isSet()).toBe(true);
    const bounded = new BoundedSemaphore(1);
    const rebuilt = Semaphore.fromDescriptor(bounded.toDescriptor());
    expect(rebuilt).toBeInstanceOf(BoundedSemaphore);
    expect(thrown(() => rebuilt.release())).toBeInstanceOf(SyncStateError);
  });

  it.each([
    ['Lock', () => Lock.fromDescriptor, () => new Lock().toDescriptor()],
    ['RLock', () => RLock.fromDescriptor, () => new RLock().toDescriptor()],
    ['Semaphore', () => Semaphore.fromDescriptor, () => new Semaphore().toDescriptor()],
    ['BoundedSemaphore', () => BoundedSemaphore.fromDescriptor, () => new BoundedSemaphore().toDescriptor()],
    ['Event', () => Event.fromDescriptor, () => new Event().toDescriptor()],
    ['Condition', () => Condition.fromDescriptor, () => new Condition().toDescriptor()],
    ['Barrier', () => Barrier.fromDescriptor, () => new Barrier(2).toDescriptor()],
  ] as Array<[string, () => (d: never) => unknown, () => object]>)('%s.fromDescriptor refuses what toDescriptor did not make, with an ArgumentError', (_, from, make) => {
    const good = make();
    const bad: unknown[] = [
      undefined, null, 5, 'descriptor', {}, [], { ...good, buffer: new ArrayBuffer(64) }, { ...good, buffer: undefined },
    ];
    if ('index' in good) bad.push({ ...good, index: -1 }, { ...good, index: 0.5 }, { ...good, index: 1e6 }, { ...good, index: '0' });
    if ('table' in good) bad.push({ ...good, table: undefined }, { ...good, table: new ArrayBuffer(4) });
    for (const descriptor of bad) {
      const error = thrown(() => from()(descriptor as never));
      expect(error, `for ${JSON.stringify(descriptor)}`).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/invalid argument 'descriptor'/);
    }
  });
});

describe('errors cross back as their classes', () => {
  it('an ArgumentError thrown by sync code in a worker task arrives as an ArgumentError', async () => {
    const pool = syncPool(1);
    const error = await rejection(pool.apply('increment', 'not a lock' as never, zeros([1], 'int32'), 1));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe('withLock: invalid argument \'lock\': expected a Lock, RLock, Semaphore, Condition or synchronized Value/Array, got "not a lock"');
  });
});
