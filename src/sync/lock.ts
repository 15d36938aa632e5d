/**
 * `Lock`: Python's `multiprocessing.Lock` over one Int32 word of shared memory. Any thread may
 * release it (as in Python); the last acquirer is its owner for dead-owner recovery: if that
 * thread dies holding it, the next acquirer gets the lock together with an OwnerDiedError.
 */
import { ArgumentError, OwnerDiedError, SyncStateError, TimeoutError } from '../errors.js';
import { show } from '../check.js';
import { currentTable, tableFor, threadIdIn, type LivenessTable } from './liveness.js';
import { Lockable } from './lockable.js';
import { acquireWord, holderOf, releaseWord, tryAcquireWord, type Acquired } from './owner-word.js';
import { block, blockTimeout, later, type BlockOptions, type Waiting } from './wait.js';

export interface LockDescriptor {
  readonly buffer: SharedArrayBuffer;
  /** Int32 index of the lock word. */
  readonly index: number;
  readonly table: SharedArrayBuffer;
}

export function ownerDied(fn: string): OwnerDiedError {
  return new OwnerDiedError(`${fn}: the thread that held this lock died holding it; this thread holds it now: repair what it guards, then release()`);
}

/** Turns a dead-owner takeover into its error; the lock stays held by the caller. */
export function settled(fn: string, acquired: Acquired): boolean {
  if (acquired === 'owner-died') throw ownerDied(fn);
  return acquired;
}

export function timedOut(fn: string, timeout: number): TimeoutError {
  return new TimeoutError(`${fn}: timed out after ${timeout} ms`);
}

/** Descriptors arrive from other threads (or users): check them before building views on them. */
export function checkDescriptor(fn: string, descriptor: unknown, words: number, withTable = true): asserts descriptor is { buffer: SharedArrayBuffer; index: number; table: SharedArrayBuffer } {
  const d = descriptor as Partial<LockDescriptor> | null;
  if (typeof d !== 'object' || d === null || !(d.buffer instanceof SharedArrayBuffer) || (withTable && !(d.table instanceof SharedArrayBuffer))
    || !Number.isSafeInteger(d.index) || d.index! < 0 || (d.index! + words) * 4 > d.buffer.byteLength) {
    throw new ArgumentError(`${fn}: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
  }
}

/** What Lock and RLock share: an owner word in shared memory and this thread's id for it. */
export abstract class OwnedLock extends Lockable {
  protected readonly table: LivenessTable;
  protected readonly words: Int32Array;
  /** Int32 index of the owner word. */
  protected readonly index: number;
  #me = 0;

  protected constructor(name: string, wordCount: number, descriptor: LockDescriptor | undefined) {
    super();
    if (descriptor === undefined) {
      this.table = currentTable();
      this.words = new Int32Array(new SharedArrayBuffer(4 * wordCount));
      this.index = 0;
    } else {
      checkDescriptor(name, descriptor, wordCount);
      this.table = tableFor(descriptor.table);
      // Only the words it owns: the buffer may be a larger structure's (a Barrier's, a Queue's).
      this.words = new Int32Array(descriptor.buffer, 0, descriptor.index + wordCount);
      this.index = descriptor.index;
    }
  }

  toDescriptor(): LockDescriptor {
    return { buffer: this.words.buffer as SharedArrayBuffer, index: this.index, table: this.table.buffer };
  }

  /** This thread's id in the lock's liveness table, taken on first use. */
  protected get me(): number {
    if (this.#me === 0) this.#me = threadIdIn(this.table);
    return this.#me;
  }

  /** Whether any thread holds the lock (a snapshot). */
  locked(): boolean {
    return holderOf(this.words, this.index) !== 0;
  }

  /** Whether this thread holds it. */
  isOwned(): boolean {
    return holderOf(this.words, this.index) === this.me;
  }

  /** @internal The acquire algorithm, for Condition.wait's re-acquire. */
  acquiring(timeout: number): Waiting<Acquired> {
    return acquireWord(this.table, this.words, this.index, this.me, timeout);
  }

  /** @internal Releases every level (Condition.wait), returning how many to restore. */
  abstract releaseSave(): number;
  /** @internal */
  abstract restore(count: number): void;
}

export class Lock extends OwnedLock {
  /** A new, unlocked lock. */
  constructor();
  /** @internal A lock over a word of an existing buffer (Barrier and Queue keep theirs inside their own memory). */
  constructor(descriptor: LockDescriptor);
  constructor(descriptor?: LockDescriptor) {
    super('Lock', 1, descriptor);
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: LockDescriptor): Lock {
    // checked here too: the constructor reads `undefined` as "a new lock"
    checkDescriptor('Lock', descriptor, 1);
    return new Lock(descriptor);
  }

  /**
   * @throws {ArgumentError} when `options` is malformed
   * @throws {OwnerDiedError} when the previous holder died holding it (the caller now holds it)
   */
  acquire(options?: BlockOptions): boolean {
    const timeout = blockTimeout('Lock.acquire', options);
    return tryAcquireWord(this.words, this.index, this.me) || settled('Lock.acquire', block(this.acquiring(timeout)));
  }

  /**
   * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   * @throws {OwnerDiedError} (rejects) when the previous holder died holding it (the caller now holds it)
   */
  async acquireAsync(options?: BlockOptions): Promise<void> {
    const timeout = blockTimeout('Lock.acquireAsync', options);
    if (tryAcquireWord(this.words, this.index, this.me)) return;
    if (!settled('Lock.acquireAsync', await later(this.acquiring(timeout)))) throw timedOut('Lock.acquireAsync', timeout);
  }

  /**
   * @throws {SyncStateError} when the lock is not held
   */
  release(): void {
    if (!releaseWord(this.table, this.words, this.index)) throw new SyncStateError('Lock.release: release unlocked lock');
  }

  /** @internal One try, no argument checks: the fast path of the queue's internal lock. */
  tryAcquire(): boolean {
    return tryAcquireWord(this.words, this.index, this.me);
  }

  /** @internal */
  releaseSave(): number {
    this.release();
    return 1;
  }

  /** @internal */
  restore(): void {}
}
