/**
 * Every error this package throws, in one place, so callers can catch by class and tests can
 * assert on both the class and the message. Messages name the function, the argument and what
 * was expected, in the style `fn: invalid argument 'name': expected X, got Y`.
 */

/** Base class: `catch (e) { if (e instanceof SharedNDArrayError) ... }` catches everything we throw. */
export class SharedNDArrayError extends Error {
  override name = 'SharedNDArrayError';
}

/** An argument of the wrong type or outside its documented domain (numpy raises TypeError/ValueError). */
export class ArgumentError extends SharedNDArrayError {
  override name = 'ArgumentError';
}

/** An unknown, unsupported or big-endian dtype. */
export class DTypeError extends SharedNDArrayError {
  override name = 'DTypeError';
}

/** An index out of range, the wrong number of indices, or a malformed index spec (numpy's IndexError). */
export class IndexError extends SharedNDArrayError {
  override name = 'IndexError';
}

/** A shape that does not fit: reshape size mismatch, ragged nested input, bad axis (numpy's ValueError). */
export class ShapeError extends SharedNDArrayError {
  override name = 'ShapeError';
}

/** A buffer whose length, offset or alignment does not fit the requested dtype and count. */
export class BufferError extends SharedNDArrayError {
  override name = 'BufferError';
}

/** A value that does not fit the array's dtype: wrong JS type, out of range, NaN for an integer. */
export class ValueError extends SharedNDArrayError {
  override name = 'ValueError';
}

/** A `.npy` file that is not one, is truncated, or whose header is malformed or lies. */
export class NpyFormatError extends SharedNDArrayError {
  override name = 'NpyFormatError';
}

/**
 * A write to a read-only array (numpy: "assignment destination is read-only") or through a
 * read-only memory map (Python's "mmap can't modify a readonly memory map").
 */
export class ReadOnlyError extends SharedNDArrayError {
  override name = 'ReadOnlyError';
}

/** A view was demanded (`{ copy: false }`) where only a copy can give the result. */
export class CopyRequiredError extends SharedNDArrayError {
  override name = 'CopyRequiredError';
}

/** An operation that needs contiguous memory was called on a strided view. */
export class NotContiguousError extends SharedNDArrayError {
  override name = 'NotContiguousError';
}

/** Memory that is not a SharedArrayBuffer was asked to cross a thread boundary without a copy. */
export class NotSharedError extends SharedNDArrayError {
  override name = 'NotSharedError';
}

/** Work offered to a pool that is closed or terminated, or `join()` before `close()` (Python's ValueError). */
export class PoolStateError extends SharedNDArrayError {
  override name = 'PoolStateError';
}

/** A worker module that could not be loaded or did not define its functions with `defineWorker`. */
export class WorkerStartError extends SharedNDArrayError {
  override name = 'WorkerStartError';
}

/**
 * A worker that stopped while it ran a task: `process.exit`, an uncaught exception outside the task,
 * or a resource limit. The task is rejected with this; the pool replaces the worker.
 */
export class WorkerDiedError extends SharedNDArrayError {
  override name = 'WorkerDiedError';
}

/**
 * Work cancelled through its `signal` or `AsyncResult.cancel()`. Shaped like the AbortError of
 * Node's own APIs (`name` 'AbortError', `code` 'ABORT_ERR', `cause` the signal's reason), so code
 * that checks `error.name === 'AbortError'` treats it the same.
 */
export class AbortError extends SharedNDArrayError {
  override name = 'AbortError';
  readonly code = 'ABORT_ERR';
}

/** A result that was not ready within the timeout given (Python's multiprocessing.TimeoutError). */
export class TimeoutError extends SharedNDArrayError {
  override name = 'TimeoutError';
}

/**
 * A lock acquired from a thread that died holding it (a robust mutex's EOWNERDEAD). The caller now
 * holds the lock: the data it guards may be half-updated, so repair it, then `release()`.
 */
export class OwnerDiedError extends SharedNDArrayError {
  override name = 'OwnerDiedError';
}

/** A Barrier that was aborted, reset, timed out or whose action threw (Python's BrokenBarrierError). */
export class BrokenBarrierError extends SharedNDArrayError {
  override name = 'BrokenBarrierError';
}

/**
 * `putNowait` on a full queue, or `put` that timed out (Python's queue.Full); work submitted to a
 * pool whose queue already holds `maxQueue` waiting tasks.
 */
export class Full extends SharedNDArrayError {
  override name = 'Full';
}

/** `getNowait` on an empty queue, or `get` that timed out (Python's queue.Empty). */
export class Empty extends SharedNDArrayError {
  override name = 'Empty';
}

/**
 * A synchronisation object used against its protocol: releasing a lock that is not held (or, for
 * an RLock, held by another thread), over-releasing a BoundedSemaphore, waiting on a Condition
 * without its lock, `taskDone` more times than items were put, a closed queue (Python raises
 * RuntimeError or ValueError for these).
 */
export class SyncStateError extends SharedNDArrayError {
  override name = 'SyncStateError';
}

/** A Process used out of order: started twice, joined before it started (Python's AssertionError). */
export class ProcessStateError extends SharedNDArrayError {
  override name = 'ProcessStateError';
}

/**
 * The memory-map addon behind MMap and SharedMemory is not built, or does not load (built for
 * another Node version). Its message says why and how to build it; nothing else in the package
 * needs the addon.
 */
export class NativeUnavailableError extends SharedNDArrayError {
  override name = 'NativeUnavailableError';
}

/**
 * An optional peer dependency that a function needs is not installed, or does not load. `module`
 * is the package to install; the message names the function and the install command.
 */
export class OptionalDependencyError extends SharedNDArrayError {
  override name = 'OptionalDependencyError';
  readonly module: string;

  constructor(message: string, module: string, options?: ErrorOptions) {
    super(message, options);
    this.module = module;
  }
}

/**
 * A system call that failed (Python's OSError): opening a missing file, mapping without
 * permission, creating a shared memory name that exists. `code` ('ENOENT'), `errno` (negative, as
 * in Node's own errors), `syscall` and `path` are those of Node's system errors.
 */
export class OSError extends SharedNDArrayError {
  override name = 'OSError';
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  readonly path: string | undefined;

  constructor(message: string, details: { code: string; errno: number; syscall: string; path?: string | undefined }, options?: ErrorOptions) {
    super(message, options);
    this.code = details.code;
    this.errno = details.errno;
    this.syscall = details.syscall;
    this.path = details.path;
  }
}

/** A key that a Manager's dict or Namespace does not hold, or `popitem()` on an empty one (Python's KeyError). */
export class KeyError extends SharedNDArrayError {
  override name = 'KeyError';
}

/**
 * A Manager that is shut down (or was never reached): every call through its proxies throws this
 * (Python raises a ConnectionRefusedError or BrokenPipeError from a dead manager's proxies).
 */
export class ManagerStateError extends SharedNDArrayError {
  override name = 'ManagerStateError';
}

/**
 * A Redis-backed Manager that cannot reach Redis: it refused or dropped the connection, or did not
 * answer within the command timeout. Nothing is retried behind the caller's back; the proxies work
 * again once Redis is back (the client reconnects by itself).
 */
export class ManagerConnectionError extends SharedNDArrayError {
  override name = 'ManagerConnectionError';
}

/**
 * An array argument of a cluster task that no other machine can reach: a SharedNDArray larger
 * than what travels by value, or a by-value array where `mapRows` must write rows in place. The
 * message says which store to use instead: a memmap of a `.npy` file on a path every machine
 * sees, or a RedisNDArray.
 */
export class UnreachableArrayError extends SharedNDArrayError {
  override name = 'UnreachableArrayError';
}

/**
 * A cluster's Redis (its pool, a worker daemon, a RedisNDArray) cannot be reached: it refused or
 * dropped the connection, or did not answer within the command timeout.
 */
export class ClusterConnectionError extends SharedNDArrayError {
  override name = 'ClusterConnectionError';
}
