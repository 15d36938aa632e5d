/**
 * `RLock`: a re-entrant lock owned by the thread that acquired it, as in Python. It may be
 * acquired again by its owner and is free once released as many times; only the owner may
 * release it. Ownership is per thread: async tasks on one thread share it, so use a Lock to keep
 * two async tasks of one thread apart.
 */
import { SyncStateError } from '../errors.js';
import { OwnedLock, checkDescriptor, settled, timedOut, type LockDescriptor } from './lock.js';
import { releaseWord, tryAcquireWord, type Acquired } from './owner-word.js';
import { block, blockTimeout, later, type BlockOptions } from './wait.js';

/** Words: the owner word, then the recursion count (only its owner touches it). */
const COUNT = 1;

export class RLock extends OwnedLock {
  constructor();
  /** @internal */
  constructor(descriptor: LockDescriptor);
  constructor(descriptor?: LockDescriptor) {
    super('RLock', 2, descriptor);
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: LockDescriptor): RLock {
    checkDescriptor('RLock', descriptor, 2);
    return new RLock(descriptor);
  }

  /** Re-entry by the owner, or a first acquisition without waiting. */
  #fastPath(): boolean {
    if (this.isOwned()) {
      this.words[this.index + COUNT]!++;
      return true;
    }
    if (tryAcquireWord(this.words, this.index, this.me)) {
      this.words[this.index + COUNT] = 1;
      return true;
    }
    return false;
  }

  #settle(fn: string, acquired: Acquired): boolean {
    if (acquired !== false) this.words[this.index + COUNT] = 1;
    return settled(fn, acquired);
  }

  /**
   * @throws {ArgumentError} when `options` is malformed
   * @throws {OwnerDiedError} when the previous holder died holding it (the caller now holds it)
   */
  acquire(options?: BlockOptions): boolean {
    const timeout = blockTimeout('RLock.acquire', options);
    return this.#fastPath() || this.#settle('RLock.acquire', block(this.acquiring(timeout)));
  }

  /**
   * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   * @throws {OwnerDiedError} (rejects) when the previous holder died holding it (the caller now holds it)
   */
  async acquireAsync(options?: BlockOptions): Promise<void> {
    const timeout = blockTimeout('RLock.acquireAsync', options);
    if (this.#fastPath()) return;
    if (!this.#settle('RLock.acquireAsync', await later(this.acquiring(timeout)))) throw timedOut('RLock.acquireAsync', timeout);
  }

  /**
   * @throws {SyncStateError} when this thread does not hold it
   */
  release(): void {
    if (!this.isOwned()) throw new SyncStateError('RLock.release: cannot release un-acquired lock (this thread does not hold it)');
    const count = this.words[this.index + COUNT]! - 1;
    this.words[this.index + COUNT] = count;
    if (count === 0) releaseWord(this.table, this.words, this.index);
  }

  /** @internal */
  releaseSave(): number {
    const count = this.words[this.index + COUNT]!;
    this.words[this.index + COUNT] = 0;
    releaseWord(this.table, this.words, this.index);
    return count;
  }

  /** @internal */
  restore(count: number): void {
    this.words[this.index + COUNT] = count;
  }
}
