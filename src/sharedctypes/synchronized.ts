/**
 * Python's synchronized wrappers: `Synchronized` around a SharedValue and `SynchronizedArray`
 * around a SharedArray, each with a lock that every access takes, as Python's take it per access.
 * Each element access is atomic anyway; the lock is for what spans several accesses:
 * `withLock(v, () => { v.value += 1 })` is a read and a write that no other thread may split.
 */
import { inspect } from 'node:util';
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import type { DType, ScalarInput, ScalarOf } from '../ndarray/dtype.js';
import { Lock, type LockDescriptor } from '../sync/lock.js';
import { Lockable, withLock } from '../sync/lockable.js';
import { RLock } from '../sync/rlock.js';
import type { BlockOptions } from '../sync/wait.js';
import type { CDataDescriptor } from './descriptor.js';
import { indexable } from './indexing.js';
import { SharedArray } from './shared-array.js';
import { SharedValue } from './shared-value.js';

export interface SynchronizedDescriptor<D extends DType = DType> {
  readonly obj: CDataDescriptor<D>;
  readonly lock: LockDescriptor;
  /** Whether the lock is an RLock (else a Lock). */
  readonly reentrant: boolean;
}

function checkLock(fn: string, lock: unknown): Lock | RLock {
  if (lock === undefined) return new RLock();
  if (lock instanceof Lock || lock instanceof RLock) return lock;
  throw new ArgumentError(`${fn}: invalid argument 'lock': expected a Lock, an RLock or undefined (a new RLock), got ${show(lock)}`);
}

function readDescriptor(fn: string, descriptor: unknown): { obj: unknown; lock: Lock | RLock } {
  const d = descriptor as Partial<Record<keyof SynchronizedDescriptor, unknown>> | null;
  if (typeof d !== 'object' || d === null || typeof d.reentrant !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
  }
  return { obj: d.obj, lock: d.reentrant ? RLock.fromDescriptor(d.lock as LockDescriptor) : Lock.fromDescriptor(d.lock as LockDescriptor) };
}

/** What both wrappers share: the lock (Lockable delegates to it), `getLock()` and `getObj()`. */
abstract class SynchronizedBase<T extends SharedValue | SharedArray> extends Lockable {
  // Ordinary fields, not #private: SynchronizedArray's methods run with its index proxy as `this`.
  protected readonly obj: T;
  protected readonly lock: Lock | RLock;

  protected constructor(fn: string, obj: T, lock: unknown) {
    super();
    this.obj = obj;
    this.lock = checkLock(fn, lock);
  }

  getLock(): Lock | RLock {
    return this.lock;
  }

  /** The unsynchronized object: its accesses do not take the lock. */
  getObj(): T {
    return this.obj;
  }

  /**
   * @throws {ArgumentError} when `options` is malformed
   * @throws {OwnerDiedError} when the lock's previous holder died holding it (the caller now holds it)
   */
  acquire(options?: BlockOptions): boolean {
    return this.lock.acquire(options);
  }

  /**
   * @throws {TimeoutError} (rejects) when not acquired within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   * @throws {OwnerDiedError} (rejects) when the lock's previous holder died holding it (the caller now holds it)
   */
  acquireAsync(options?: BlockOptions): Promise<void> {
    return this.lock.acquireAsync(options);
  }

  /**
   * @throws {SyncStateError} when the lock is not held (by this thread, for an RLock)
   */
  release(): void {
    this.lock.release();
  }

  protected describe(): SynchronizedDescriptor {
    return { obj: this.obj.toDescriptor(), lock: this.lock.toDescriptor(), reentrant: this.lock instanceof RLock };
  }

  override toString(): string {
    return `${this.constructor.name}(${String(this.obj)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Python's `Synchronized`: `.value` reads and writes each under the lock. The read-modify-write
 * helpers take it too, so they cannot land between a `withLock` block's read and its write.
 */
export class Synchronized<D extends DType = DType> extends SynchronizedBase<SharedValue<D>> {
  /**
   * Wraps `obj` with `lock` (default: a new RLock), as Python's `synchronized(obj, lock)`.
   * @throws {ArgumentError} when `obj` is not a SharedValue or `lock` not a Lock or RLock
   */
  constructor(obj: SharedValue<D>, lock?: Lock | RLock) {
    if (!(obj instanceof SharedValue)) throw new ArgumentError(`Synchronized: invalid argument 'obj': expected a SharedValue, got ${show(obj)}`);
    super('Synchronized', obj, lock);
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   * @throws {NotSharedError} when its value's buffer is not a SharedArrayBuffer
   * @throws {DTypeError} when its value's dtype is not a supported typecode
   * @throws {BufferError} when its value's buffer does not hold one element
   */
  static fromDescriptor<D extends DType = DType>(descriptor: SynchronizedDescriptor<D>): Synchronized<D> {
    const { obj, lock } = readDescriptor('Synchronized.fromDescriptor', descriptor);
    return new Synchronized(SharedValue.fromDescriptor(obj as CDataDescriptor<D>), lock);
  }

  /**
   * @throws {OwnerDiedError} when the lock's previous holder died holding it
   */
  get value(): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.value);
  }

  /**
   * @throws {ValueError} when `value` does not fit the type
   * @throws {OwnerDiedError} when the lock's previous holder died holding it
   */
  set value(value: ScalarInput<D>) {
    withLock(this.lock, () => { this.obj.value = value; });
  }

  add(delta: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.add(delta));
  }

  sub(delta: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.sub(delta));
  }

  exchange(value: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.exchange(value));
  }

  compareExchange(expected: ScalarInput<D>, replacement: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.compareExchange(expected, replacement));
  }

  toDescriptor(): SynchronizedDescriptor<D> {
    return this.describe() as SynchronizedDescriptor<D>;
  }
}

export interface SynchronizedArray<D extends DType = DType> {
  /** `a[i]` and `a[i] = v`, each under the lock. */
  [index: number]: ScalarOf<D>;
}

/**
 * Python's `SynchronizedArray`: each element access takes the lock, and so do `toArray()` and
 * `slice()`, which read all their elements under one acquisition (a consistent snapshot).
 * Iteration takes it per element, as Python's does.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the index access the constructor's proxy provides
export class SynchronizedArray<D extends DType = DType> extends SynchronizedBase<SharedArray<D>> {
  /**
   * @throws {ArgumentError} when `obj` is not a SharedArray or `lock` not a Lock or RLock
   */
  constructor(obj: SharedArray<D>, lock?: Lock | RLock) {
    if (!(obj instanceof SharedArray)) throw new ArgumentError(`SynchronizedArray: invalid argument 'obj': expected a SharedArray, got ${show(obj)}`);
    super('SynchronizedArray', obj, lock);
    // biome-ignore lint/correctness/noConstructorReturn: the instance is the index proxy over itself (indexing.ts)
    return indexable(this);
  }

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   * @throws {NotSharedError} when its array's buffer is not a SharedArrayBuffer
   * @throws {DTypeError} when its array's dtype is not a supported typecode
   * @throws {BufferError} when its array's buffer does not hold whole elements
   */
  static fromDescriptor<D extends DType = DType>(descriptor: SynchronizedDescriptor<D>): SynchronizedArray<D> {
    const { obj, lock } = readDescriptor('SynchronizedArray.fromDescriptor', descriptor);
    return new SynchronizedArray(SharedArray.fromDescriptor(obj as CDataDescriptor<D>), lock);
  }

  /** Fixed at creation, so reading it needs no lock. */
  get length(): number {
    return this.obj.length;
  }

  get(i: number): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.get(i));
  }

  set(i: number, value: ScalarInput<D>): void {
    withLock(this.lock, () => this.obj.set(i, value));
  }

  add(i: number, delta: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.add(i, delta));
  }

  sub(i: number, delta: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.sub(i, delta));
  }

  exchange(i: number, value: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.exchange(i, value));
  }

  compareExchange(i: number, expected: ScalarInput<D>, replacement: ScalarInput<D>): ScalarOf<D> {
    return withLock(this.lock, () => this.obj.compareExchange(i, expected, replacement));
  }

  *[Symbol.iterator](): IterableIterator<ScalarOf<D>> {
    for (let i = 0; i < this.obj.length; i++) yield this.get(i);
  }

  toArray(): Array<ScalarOf<D>> {
    return withLock(this.lock, () => this.obj.toArray());
  }

  slice(start?: number, stop?: number): Array<ScalarOf<D>> {
    return withLock(this.lock, () => this.obj.slice(start, stop));
  }

  /**
   * `SharedArray.assign` under the lock, so other lock holders see the whole slice written or none of it.
   * @throws {IndexError} when a bound is not an integer
   * @throws {ArgumentError} when `values` is not iterable
   * @throws {ValueError} when the number of values differs from the slice's length, or a value does not fit the type
   */
  assign(start: number | undefined, stop: number | undefined, values: Iterable<ScalarInput<D>>): void {
    withLock(this.lock, () => this.obj.assign(start, stop, values));
  }

  toDescriptor(): SynchronizedDescriptor<D> {
    return this.describe() as SynchronizedDescriptor<D>;
  }
}
