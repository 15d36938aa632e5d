import { describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  Condition, Event, Lock, OwnerDiedError, RLock, WorkerDiedError, withLock, withLockAsync, zeros,
} from '../../src/index.js';
import { outcomes, sharedSyncPools, type Step, syncPools, until } from '../support/sync.js';

/**
 * A thread that dies holding a Lock or RLock (process.exit in a task, an uncaught exception, the
 * pool terminating it) does not deadlock the others: the next acquirer, or a waiter that was
 * already blocked, gets an OwnerDiedError and holds the lock; once it releases, the lock is as
 * good as new.
 */

/**
 * The file's pools of 1 and 2 workers: a worker that dies is replaced at once, so each test finds
 * them whole, and only the deaths start workers. The test that terminates a pool has its own.
 */
const syncPool = sharedSyncPools();
const ownPool = syncPools();

const DIED = 'the thread that held this lock died holding it; this thread holds it now: repair what it guards, then release()';

/** `value` or the error name of each step. */
/** Whether a thread has marked the lock word as slept on (bit 30): someone is blocked in acquire. */
function hasSleepers(lock: Lock | RLock): boolean {
  const { buffer, index } = lock.toDescriptor();
  return (Atomics.load(new Int32Array(buffer), index) & (1 << 30)) !== 0;
}

/** The lock is now usable as if new: free, and taken and released normally. */
function expectWorksAgain(lock: Lock | RLock): void {
  expect(lock.locked()).toBe(false);
  expect(lock.acquire({ block: false })).toBe(true);
  expect(lock.acquire({ timeout: 1 })).toBe(lock instanceof RLock);
  if (lock instanceof RLock) lock.release();
  lock.release();
  expect(lock.locked()).toBe(false);
}

/** Runs `steps` (which should end in the worker's death) in a worker and checks the task died. */
async function dieIn(pool: ReturnType<typeof syncPool>, objects: Record<string, unknown>, steps: Step[]): Promise<void> {
  const error = await rejection(pool.apply('ops', objects, steps, true));
  expect(error).toBeInstanceOf(WorkerDiedError);
}

describe('the next acquirer after the owner died', () => {
  it.each([
    ['process.exit', [['worker', 'exit', 3]]],
    ['an uncaught exception', [['worker', 'throwLater', 'boom'], ['worker', 'forever']]],
  ] as Array<[string, Step[]]>)('Lock: after %s, a blocking acquire on the main thread gets OwnerDiedError and holds the lock', async (_, death) => {
    const pool = syncPool(1);
    const lock = new Lock();
    await dieIn(pool, { lock }, [['lock', 'acquire'], ...death]);
    expect(lock.locked()).toBe(true);
    const error = thrown(() => lock.acquire({ timeout: 5_000 }));
    expect(error).toBeInstanceOf(OwnerDiedError);
    expect(error.message).toBe(`Lock.acquire: ${DIED}`);
    expect(lock.locked()).toBe(true);
    expect(lock.isOwned()).toBe(true);
    lock.release();
    expectWorksAgain(lock);
  });

  it('RLock entered three times by a thread that exits: the main thread gets OwnerDiedError and holds it once', async () => {
    const pool = syncPool(1);
    const lock = new RLock();
    await dieIn(pool, { lock }, [['lock', 'acquire'], ['lock', 'acquire'], ['lock', 'acquire'], ['worker', 'exit', 1]]);
    const error = thrown(() => lock.acquire({ timeout: 5_000 }));
    expect(error).toBeInstanceOf(OwnerDiedError);
    expect(error.message).toBe(`RLock.acquire: ${DIED}`);
    expect(lock.isOwned()).toBe(true);
    lock.release();
    expectWorksAgain(lock);
  });

  it('a non-blocking acquire also reports the death (and takes the lock) instead of returning false', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    await dieIn(pool, { lock }, [['lock', 'acquire'], ['worker', 'exit', 1]]);
    expect(thrown(() => lock.acquire({ block: false }))).toBeInstanceOf(OwnerDiedError);
    expect(lock.isOwned()).toBe(true);
    lock.release();
    expectWorksAgain(lock);
  });

  it('acquireAsync rejects with OwnerDiedError and leaves the lock held by the caller', async () => {
    const pool = syncPool(1);
    for (const lock of [new Lock(), new RLock()]) {
      await dieIn(pool, { lock }, [['lock', 'acquire'], ['worker', 'exit', 1]]);
      const error = await rejection(lock.acquireAsync({ timeout: 5_000 }));
      expect(error).toBeInstanceOf(OwnerDiedError);
      expect(error.message).toBe(`${lock.constructor.name}.acquireAsync: ${DIED}`);
      expect(lock.isOwned()).toBe(true);
      lock.release();
      expectWorksAgain(lock);
    }
  });

  it('another worker acquiring gets OwnerDiedError there, holds the lock, and the lock works after its release', async () => {
    const pool = syncPool(2);
    for (const lock of [new Lock(), new RLock()]) {
      await dieIn(pool, { lock }, [['lock', 'acquire'], ['worker', 'exit', 1]]);
      const results = await pool.apply('ops', { lock }, [
        ['lock', 'acquire', { timeout: 5_000 }], ['lock', 'isOwned'], ['lock', 'release'], ['lock', 'acquire', { block: false }], ['lock', 'release'], ['lock', 'locked'],
      ]);
      expect(outcomes(results)).toEqual(['OwnerDiedError', true, undefined, true, undefined, false]);
      expect(results[0]!.message).toBe(`${lock.constructor.name}.acquire: ${DIED}`);
      expectWorksAgain(lock);
    }
  });

  it('a lock released before its thread died is simply free: no OwnerDiedError', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    await dieIn(pool, { lock }, [['lock', 'acquire'], ['lock', 'release'], ['worker', 'exit', 1]]);
    expectWorksAgain(lock);
  });

  it('a worker terminated by pool.terminate() while holding the lock counts as dead', async () => {
    const pool = ownPool(1);
    const lock = new RLock();
    const held = new Event();
    const task = pool.apply('ops', { lock, held }, [['lock', 'acquire'], ['held', 'set'], ['worker', 'hang']]);
    task.catch(() => {});
    await held.waitAsync(10_000);
    await pool.terminate();
    expect(thrown(() => lock.acquire({ timeout: 5_000 }))).toBeInstanceOf(OwnerDiedError);
    lock.release();
    expectWorksAgain(lock);
  });

  it('a Lock created in a worker and returned, then held by that worker when it dies', async () => {
    const pool = syncPool(1);
    const [made] = await pool.apply('ops', {}, [['worker', 'create', 'made', 'Lock'], ['worker', 'give', 'made']]).then((r) => r.slice(1));
    const lock = made!.value as Lock;
    await dieIn(pool, {}, [['made', 'acquire'], ['worker', 'exit', 1]]);
    expect(thrown(() => lock.acquire({ timeout: 5_000 }))).toBeInstanceOf(OwnerDiedError);
    lock.release();
    expectWorksAgain(lock);
  });
});

describe('a waiter already blocked when the owner dies', () => {
  /** A worker takes `lock`, says so through `held`, and exits once `die` is set. */
  function holder(pool: ReturnType<typeof syncPool>, lock: Lock | RLock): { held: Event; die: Event; death: Promise<void> } {
    const held = new Event();
    const die = new Event();
    const death = dieIn(pool, { lock, held, die }, [['lock', 'acquire'], ['held', 'set'], ['die', 'wait'], ['worker', 'exit', 1]]);
    return { held, die, death };
  }

  it('a worker blocked in acquire() wakes with OwnerDiedError and holds the lock', async () => {
    const pool = syncPool(2);
    for (const lock of [new Lock(), new RLock()]) {
      const { held, die, death } = holder(pool, lock);
      await held.waitAsync(10_000);
      const waiter = pool.apply('ops', { lock }, [['lock', 'acquire'], ['lock', 'isOwned'], ['lock', 'release']]);
      await until(() => hasSleepers(lock), 'the second worker sleeps on the lock');
      die.set();
      await death;
      const results = await waiter;
      expect(outcomes(results)).toEqual(['OwnerDiedError', true, undefined]);
      expect(results[0]!.message).toBe(`${lock.constructor.name}.acquire: ${DIED}`);
      expectWorksAgain(lock);
    }
  });

  it.each([
    ['calls process.exit', [['worker', 'exit', 1]]],
    ['dies of an uncaught exception', [['worker', 'throwLater', 'boom'], ['worker', 'forever']]],
  ] as Array<[string, Step[]]>)('the main thread blocked in acquire() when the holder %s gets OwnerDiedError', async (_, ending) => {
    const pool = syncPool(1);
    for (const lock of [new Lock(), new RLock()]) {
      const held = new Event();
      // the nap makes it likely that this thread is already asleep in acquire(); either way it must get the error
      const death = dieIn(pool, { lock, held }, [['lock', 'acquire'], ['held', 'set'], ['worker', 'nap', 50], ...ending]);
      await held.waitAsync(10_000);
      const error = thrown(() => lock.acquire({ timeout: 5_000 }));
      expect(error).toBeInstanceOf(OwnerDiedError);
      expect(lock.isOwned()).toBe(true);
      lock.release();
      await death;
      expectWorksAgain(lock);
    }
  });

  it('a main-thread acquireAsync that is pending rejects with OwnerDiedError and holds the lock', async () => {
    const pool = syncPool(1);
    for (const lock of [new Lock(), new RLock()]) {
      const { held, die, death } = holder(pool, lock);
      await held.waitAsync(10_000);
      const waiting = rejection(lock.acquireAsync());
      await until(() => hasSleepers(lock), 'the main thread waits for the lock');
      die.set();
      await death;
      const error = await waiting;
      expect(error).toBeInstanceOf(OwnerDiedError);
      expect(lock.isOwned()).toBe(true);
      lock.release();
      expectWorksAgain(lock);
    }
  });

  it('with a worker and the main thread both waiting, exactly one gets OwnerDiedError; the other then acquires normally', async () => {
    const pool = syncPool(2);
    const lock = new Lock();
    const { held, die, death } = holder(pool, lock);
    await held.waitAsync(10_000);
    const worker = pool.apply('ops', { lock }, [['lock', 'acquire'], ['lock', 'release']]);
    await until(() => hasSleepers(lock), 'the worker sleeps on the lock');
    const main = lock.acquireAsync().then(() => true, (error: unknown) => (error as Error).name);
    die.set();
    await death;
    const mine = await main;
    lock.release();
    const theirs = outcomes(await worker)[0];
    expect(new Set([mine, theirs])).toEqual(new Set(['OwnerDiedError', true]));
    expectWorksAgain(lock);
  });

  it("Condition.waitAsync whose re-acquire finds the notifier dead rejects with OwnerDiedError, holding the condition's lock", async () => {
    const pool = syncPool(1);
    const cond = new Condition();
    await cond.acquireAsync();
    const waiting = rejection(cond.waitAsync(10_000));
    // the worker can only take the lock once this thread's wait released it
    await dieIn(pool, { cond }, [['cond', 'acquire'], ['cond', 'notify'], ['worker', 'exit', 1]]);
    const error = await waiting;
    expect(error).toBeInstanceOf(OwnerDiedError);
    expect(error.message).toBe(`Condition.waitAsync: ${DIED}`);
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expectWorksAgain(cond.lock);
  });
});

describe('withLock and withLockAsync after the owner died', () => {
  it('withLock releases and rethrows the OwnerDiedError without running fn', async () => {
    const pool = syncPool(1);
    const lock = new Lock();
    await dieIn(pool, { lock }, [['lock', 'acquire'], ['worker', 'exit', 1]]);
    let ran = false;
    const error = thrown(() => withLock(lock, () => { ran = true; }, { timeout: 5_000 }));
    expect(error).toBeInstanceOf(OwnerDiedError);
    expect(ran).toBe(false);
    expectWorksAgain(lock);
  });

  it('withLockAsync rejects with the OwnerDiedError and releases', async () => {
    const pool = syncPool(1);
    const lock = new RLock();
    await dieIn(pool, { lock }, [['lock', 'acquire'], ['worker', 'exit', 1]]);
    let ran = false;
    expect(await rejection(withLockAsync(lock, () => { ran = true; }))).toBeInstanceOf(OwnerDiedError);
    expect(ran).toBe(false);
    expectWorksAgain(lock);
  });

  it('withLock in another worker: OwnerDiedError there, the lock free afterwards, and the next withLock runs', async () => {
    const pool = syncPool(2);
    const lock = new Lock();
    const counter = zeros([1], 'int32');
    await dieIn(pool, { lock }, [['lock', 'acquire'], ['worker', 'exit', 1]]);
    const results = await pool.apply('ops', { lock, counter }, [
      ['worker', 'withLock', 'lock', 'counter'], ['lock', 'locked'], ['worker', 'withLock', 'lock', 'counter'], ['worker', 'withLockAsync', 'lock', 'counter'],
    ]);
    expect(outcomes(results)).toEqual(['OwnerDiedError', false, 1, 2]);
    expectWorksAgain(lock);
  });
});
