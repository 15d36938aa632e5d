/**
 * Python's `multiprocessing.sharedctypes` functions. `RawValue`/`RawArray` give bare shared
 * memory; `Value`/`Array` wrap it with a lock unless told `{ lock: false }`, as Python does.
 * Typecodes are Python `array` codes ('i', 'd', ...), numpy or ctypes names ('int32', 'c_double').
 *
 * `Array` is exported under that name from the package index only: here it is `sharedArray`, so
 * this module's own `Array` stays the global one.
 */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import type { DTypeLike, ResolveDType, ScalarInput } from '../ndarray/dtype.js';
import { Lock } from '../sync/lock.js';
import { RLock } from '../sync/rlock.js';
import { SharedArray, type SizeOrInit } from './shared-array.js';
import { SharedValue } from './shared-value.js';
import { Synchronized, SynchronizedArray } from './synchronized.js';

export interface SharedCTypeOptions {
  /** `true` (default): a new RLock; `false`: no wrapper, the raw object; or a lock to use. */
  lock?: boolean | Lock | RLock;
}

type Locked = { lock?: true | Lock | RLock };
type Unlocked = { lock: false };

/** The lock `options` asks for, or undefined for none. */
function lockOption(fn: string, options: unknown): Lock | RLock | undefined {
  checkOptionKeys(fn, 'options', options, ['lock']);
  // null counts as the default, like Python's lock=None
  const lock = (options as SharedCTypeOptions | undefined)?.lock ?? true;
  if (lock === true) return new RLock();
  if (lock === false) return undefined;
  if (lock instanceof Lock || lock instanceof RLock) return lock;
  throw new ArgumentError(`${fn}: invalid argument 'options.lock': expected true, false, a Lock or an RLock, got ${show(lock)}`);
}

/**
 * One shared scalar, zero unless `init` is given (Python's `RawValue`).
 * @throws {DTypeError} when `typecode` names no supported type (characters and uint8c included)
 * @throws {ValueError} when `init` does not fit the type
 */
export function RawValue<T extends DTypeLike>(typecode: T, init?: ScalarInput<ResolveDType<T>>): SharedValue<ResolveDType<T>> {
  return SharedValue.create('RawValue', typecode, init);
}

/**
 * A shared scalar behind a lock (Python's `Value`): a Synchronized, or with `{ lock: false }` the SharedValue itself.
 * @throws {DTypeError} when `typecode` names no supported type (characters and uint8c included)
 * @throws {ValueError} when `init` does not fit the type
 * @throws {ArgumentError} when `options.lock` is not a boolean, Lock or RLock
 */
export function Value<T extends DTypeLike>(typecode: T, init: ScalarInput<ResolveDType<T>> | undefined, options: Unlocked): SharedValue<ResolveDType<T>>;
export function Value<T extends DTypeLike>(typecode: T, init?: ScalarInput<ResolveDType<T>>, options?: Locked): Synchronized<ResolveDType<T>>;
export function Value<T extends DTypeLike>(typecode: T, init?: ScalarInput<ResolveDType<T>>, options?: SharedCTypeOptions): SharedValue<ResolveDType<T>> | Synchronized<ResolveDType<T>>;
export function Value(typecode: DTypeLike, init?: unknown, options?: SharedCTypeOptions): SharedValue | Synchronized {
  const obj = SharedValue.create('Value', typecode, init);
  const lock = lockOption('Value', options);
  return lock === undefined ? obj : new Synchronized(obj, lock);
}

/**
 * A shared array of `size` zeros, or of the given values (Python's `RawArray`).
 * @throws {DTypeError} when `typecode` names no supported type (characters and uint8c included)
 * @throws {ArgumentError} when `sizeOrInit` is neither a size nor values
 * @throws {ValueError} when a value does not fit the type
 * @throws {BufferError} when the memory cannot be allocated
 */
export function RawArray<T extends DTypeLike>(typecode: T, sizeOrInit: SizeOrInit<ResolveDType<T>>): SharedArray<ResolveDType<T>> {
  return SharedArray.create('RawArray', typecode, sizeOrInit);
}

/**
 * A shared array behind a lock (Python's `Array`): a SynchronizedArray, or with `{ lock: false }` the SharedArray itself.
 * @throws {DTypeError} when `typecode` names no supported type (characters and uint8c included)
 * @throws {ArgumentError} when `sizeOrInit` is neither a size nor values, or `options.lock` is invalid
 * @throws {ValueError} when a value does not fit the type
 * @throws {BufferError} when the memory cannot be allocated
 */
export function sharedArray<T extends DTypeLike>(typecode: T, sizeOrInit: SizeOrInit<ResolveDType<T>>, options: Unlocked): SharedArray<ResolveDType<T>>;
export function sharedArray<T extends DTypeLike>(typecode: T, sizeOrInit: SizeOrInit<ResolveDType<T>>, options?: Locked): SynchronizedArray<ResolveDType<T>>;
export function sharedArray<T extends DTypeLike>(typecode: T, sizeOrInit: SizeOrInit<ResolveDType<T>>, options?: SharedCTypeOptions): SharedArray<ResolveDType<T>> | SynchronizedArray<ResolveDType<T>>;
export function sharedArray(typecode: DTypeLike, sizeOrInit: SizeOrInit, options?: SharedCTypeOptions): SharedArray | SynchronizedArray {
  const obj = SharedArray.create('Array', typecode, sizeOrInit);
  const lock = lockOption('Array', options);
  return lock === undefined ? obj : new SynchronizedArray(obj, lock);
}
