/**
 * `Condition`: Python's condition variable over a Lock or RLock (default: a new RLock). Each
 * waiter takes a slot in shared memory holding its ticket and sleeps on the slot's own state
 * word, so `notify(n)` wakes exactly the n longest-waiting threads, as in Python, and a waiter
 * that times out simply frees its slot. All bookkeeping happens while holding the lock.
 */
import { ArgumentError, SyncStateError } from '../errors.js';
import { show } from '../check.js';
import { Lock, ownerDied, timedOut, type LockDescriptor } from './lock.js';
import { Lockable } from './lockable.js';
import { RLock } from './rlock.js';
import { Deadline, block, checkTimeout, later, type Waiting } from './wait.js';

/** Most threads that can wait on one Condition at once. */
export const MAX_WAITERS = 1024;
/** Words: the next ticket, how many wait, how many slots were ever used; then a (ticket, state) pair per slot. */
const NEXT = 0;
const COUNT = 1;
const HIGH = 2;
const SLOTS = 3;
const WORDS = SLOTS + 2 * MAX_WAITERS;

const FREE = 0;
const WAITING = 1;
const NOTIFIED = 2;

export interface ConditionDescriptor {
  readonly buffer: SharedArrayBuffer;
  readonly lock: LockDescriptor;
  readonly reentrant: boolean;
}

export class Condition extends Lockable {
  readonly #words: Int32Array;
  readonly #lock: Lock | RLock;

  /**
   * @throws {ArgumentError} when `lock` is not a Lock or an RLock
   */
  constructor(lock?: Lock | RLock);
  /** @internal */
  constructor(lock: Lock | RLock, buffer: SharedArrayBuffer);
  constructor(lock: Lock | RLock = new RLock(), buffer?: SharedArrayBuffer) {
    super();
    if (!(lock instanceof Lock) && !(lock instanceof RLock)) {
      throw new ArgumentError(`Condition: invalid argument 'lock': expected a Lock or an RLock, got ${show(lock)}`);
    }
    this.#lock = lock;
    this.#words = new Int32Array(buffer ?? new SharedArrayBuffer(WORDS * 4));
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: ConditionDescriptor): Condition {
    const d = descriptor as Partial<ConditionDescriptor> | null;
    if (typeof d !== 'object' || d === null || !(d.buffer instanceof SharedArrayBuffer) || d.buffer.byteLength !== WORDS * 4 || typeof d.reentrant !== 'boolean') {
      throw new ArgumentError(`Condition.fromDescriptor: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
    }
    const lock = descriptor.reentrant ? RLock.fromDescriptor(descriptor.lock) : Lock.fromDescriptor(descriptor.lock);
    return new Condition(lock, descriptor.buffer);
  }

  toDescriptor(): ConditionDescriptor {
    return { buffer: this.#words.buffer as SharedArrayBuffer, lock: this.#lock.toDescriptor(), reentrant: this.#lock instanceof RLock };
  }

  /** The underlying lock, which `acquire`/`release` also reach. */
  get lock(): Lock | RLock {
    return this.#lock;
  }

  /**
   * @throws {ArgumentError} when `options` is malformed
   * @throws {OwnerDiedError} when the lock's previous holder died holding it (the caller now holds it)
   */
  acquire(options?: Parameters<Lock['acquire']>[0]): boolean {
    return this.#lock.acquire(options);
  }

  /**
   * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   * @throws {OwnerDiedError} (rejects) when the lock's previous holder died holding it (the caller now holds it)
   */
  acquireAsync(options?: Parameters<Lock['acquireAsync']>[0]): Promise<void> {
    return this.#lock.acquireAsync(options);
  }

  /**
   * @throws {SyncStateError} when the lock is not held (by this thread, for an RLock)
   */
  release(): void {
    this.#lock.release();
  }

  #checkOwned(fn: string): void {
    if (!this.#lock.isOwned()) throw new SyncStateError(`${fn}: cannot ${fn.includes('.wait') ? 'wait' : 'notify'} on un-acquired lock (acquire the condition's lock first)`);
  }

  *#waiting(fn: string, timeout: number): Waiting<boolean> {
    this.#checkOwned(fn);
    const words = this.#words;
    let slot = SLOTS;
    while (slot < SLOTS + 2 * MAX_WAITERS && words[slot + 1] !== FREE) slot += 2;
    if (slot === SLOTS + 2 * MAX_WAITERS) {
      throw new SyncStateError(`${fn}: more than ${MAX_WAITERS} threads are waiting on this Condition`);
    }
    words[HIGH] = Math.max(words[HIGH]!, slot + 2);
    words[slot] = words[NEXT]!;
    words[NEXT] = (words[NEXT]! + 1) | 0;
    words[COUNT]!++;
    Atomics.store(words, slot + 1, WAITING);
    const saved = this.#lock.releaseSave();
    const deadline = new Deadline(timeout);
    while (Atomics.load(words, slot + 1) === WAITING) {
      const remaining = deadline.remaining();
      if (remaining === 0) break;
      yield { words, index: slot + 1, value: WAITING, timeout: remaining };
    }
    // Python re-acquires without a timeout, whatever the wait's.
    const acquired = yield* this.#lock.acquiring(Infinity);
    this.#lock.restore(saved);
    const notified = Atomics.load(words, slot + 1) === NOTIFIED;
    if (!notified) words[COUNT]!--;
    Atomics.store(words, slot + 1, FREE);
    if (acquired === 'owner-died') throw ownerDied(fn);
    return notified;
  }

  /**
   * Releases the lock, sleeps until notified, re-acquires it. Returns false if `timeout` ms passed
   * first (the lock is held again either way). Blocks the thread: use `waitAsync` on the main thread.
   * @throws {SyncStateError} when this thread does not hold the lock, or 1024 threads wait already
   * @throws {ArgumentError} when `timeout` is not a number >= 0
   * @throws {OwnerDiedError} when the lock's holder died holding it (the caller holds it again)
   */
  wait(timeout?: number | null): boolean {
    return block(this.#waiting('Condition.wait', checkTimeout('Condition.wait', 'timeout', timeout)));
  }

  /**
   * The async `wait`: rejects with a TimeoutError after `timeout` ms, holding the lock again.
   * @throws {TimeoutError} (rejects) when not notified within `timeout`
   * @throws {SyncStateError} (rejects) when this thread does not hold the lock, or 1024 threads wait already
   * @throws {ArgumentError} (rejects) when `timeout` is not a number >= 0
   * @throws {OwnerDiedError} (rejects) when the lock's holder died holding it (the caller holds it again)
   */
  async waitAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('Condition.waitAsync', 'timeout', timeout);
    if (!(await later(this.#waiting('Condition.waitAsync', ms)))) throw timedOut('Condition.waitAsync', ms);
  }

  /**
   * Waits until `predicate()` is truthy; returns its last value (falsy after a timeout), as Python's `wait_for`.
   * @throws {ArgumentError} when `predicate` is not a function or `timeout` is not a number >= 0
   * @throws {SyncStateError} when it must wait and this thread does not hold the lock
   * @throws {OwnerDiedError} when the lock's holder died holding it (the caller holds it again)
   */
  waitFor<T>(predicate: () => T, timeout?: number | null): T {
    return block(this.#waitingFor('Condition.waitFor', predicate, timeout));
  }

  /**
   * The async `waitFor`: resolves with the predicate's truthy value; rejects with a TimeoutError
   * if it is still falsy after `timeout` ms (holding the lock again), like the other async forms.
   * @throws {TimeoutError} (rejects) when the predicate is still falsy after `timeout`
   * @throws {ArgumentError} (rejects) when `predicate` is not a function or `timeout` is not a number >= 0
   * @throws {SyncStateError} (rejects) when it must wait and this thread does not hold the lock
   * @throws {OwnerDiedError} (rejects) when the lock's holder died holding it (the caller holds it again)
   */
  async waitForAsync<T>(predicate: () => T, timeout?: number | null): Promise<T> {
    const result = await later(this.#waitingFor('Condition.waitForAsync', predicate, timeout));
    // falsy only once a (checked, so finite) timeout has passed
    if (!result) throw timedOut('Condition.waitForAsync', timeout as number);
    return result;
  }

  *#waitingFor<T>(fn: string, predicate: () => T, timeout: unknown): Waiting<T> {
    if (typeof predicate !== 'function') throw new ArgumentError(`${fn}: invalid argument 'predicate': expected a function, got ${show(predicate)}`);
    const deadline = new Deadline(checkTimeout(fn, 'timeout', timeout));
    let result = predicate();
    // Python's wait_for waits at least once, so a falsy predicate without the lock is an error even for timeout 0
    if (!result) this.#checkOwned(fn);
    while (!result) {
      const remaining = deadline.remaining();
      if (remaining === 0) break;
      yield* this.#waiting(fn, remaining);
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes the `n` (default 1) threads that have waited longest. Requires holding the lock.
   * @throws {SyncStateError} when this thread does not hold the lock
   * @throws {ArgumentError} when `n` is not an integer >= 0 or Infinity
   */
  notify(n = 1): void {
    this.#checkOwned('Condition.notify');
    if (!(n >= 0) || (n !== Infinity && !Number.isSafeInteger(n))) {
      throw new ArgumentError(`Condition.notify: invalid argument 'n': expected an integer >= 0 or Infinity, got ${show(n)}`);
    }
    const words = this.#words;
    const count = Math.min(n, words[COUNT]!);
    if (count === 0) return;
    // Oldest first: age is measured back from the next ticket, so wrap-around does not matter.
    const waiting: Array<[age: number, slot: number]> = [];
    for (let slot = SLOTS; slot < words[HIGH]!; slot += 2) {
      if (words[slot + 1] === WAITING) waiting.push([(words[NEXT]! - words[slot]!) | 0, slot]);
    }
    waiting.sort((a, b) => b[0] - a[0]);
    for (const [, slot] of waiting.slice(0, count)) {
      Atomics.store(words, slot + 1, NOTIFIED);
      Atomics.notify(words, slot + 1, 1);
    }
    words[COUNT] = words[COUNT]! - Math.min(count, waiting.length);
  }

  /**
   * @throws {SyncStateError} when this thread does not hold the lock
   */
  notifyAll(): void {
    this.notify(Infinity);
  }
}
