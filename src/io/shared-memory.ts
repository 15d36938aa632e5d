/**
 * Python's `multiprocessing.shared_memory.SharedMemory`: a named block of POSIX shared memory
 * (shm_open) that separate processes attach to by name. `buf` is a SharedArrayBuffer, so a
 * SharedNDArray over it (`frombuffer(shm.buf, { dtype })`) is shared with other processes and,
 * zero-copy, with worker threads.
 */
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { ArgumentError, OSError, ValueError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { shmName, shmOpen, shmUnlink } from './native.js';

export interface SharedMemoryOptions {
  /** The block's name, with or without a leading '/'. Required to attach; generated (`psm_` + hex) when creating without one. */
  name?: string;
  /** Create a new block (failing with OSError EEXIST if the name is taken) instead of attaching to one. Default false. */
  create?: boolean;
  /** Bytes to create, above 0; ignored when attaching (the block's own size is used), as in Python. */
  size?: number;
}

/** What a SharedMemory crosses to another thread as: its name and the memory itself. */
export interface SharedMemoryDescriptor {
  readonly name: string;
  readonly buf: SharedArrayBuffer;
}

/** Python's prefix and length for generated names: '/psm_' and 8 hex digits. */
function generatedName(): string {
  // node:crypto costs several ms of CPU to load: loaded by the first unnamed block, not with the package
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return `psm_${randomBytes(4).toString('hex')}`;
}

/**
 * A block of shared memory by name, after Python's `SharedMemory(name=None, create=False, size=0)`:
 *
 * ```ts
 * const shm = new SharedMemory({ create: true, size: 8 * 100 });
 * const a = frombuffer(shm.buf, { dtype: 'float64' });     // in another process:
 * // const b = frombuffer(new SharedMemory({ name: shm.name }).buf, { dtype: 'float64' });
 * shm.close();
 * shm.unlink();                                             // once, when no process needs the name
 * ```
 *
 * Unlike CPython there is no resource tracker: nothing is ever unlinked automatically, at exit or
 * otherwise, so a process that attaches and exits never destroys a block others still use. The
 * block's name lives until `unlink()` is called (by its creator, as a rule: any process may call
 * it, as in Python) or the machine restarts; its memory lives until the name is unlinked and the
 * last mapping is gone.
 *
 * `close()` drops this object's hold on `buf`; views of it keep the memory mapped until they are
 * collected.
 *
 * Passed to a worker (a pool argument, a Process argument), it arrives as a SharedMemory of the
 * same name over the same memory, as Python's pickles by name; a closed one cannot be sent.
 */
export class SharedMemory implements Disposable {
  /** The name other processes attach with, without the leading '/' (as Python reports it). */
  readonly name: string;
  /** The block's size in bytes. */
  readonly size: number;
  #buf: SharedArrayBuffer | undefined;

  /**
   * @throws {ArgumentError} when an option is invalid, or the name (to attach) or size (to create) is missing
   * @throws {OSError} EEXIST when creating a name that exists, ENOENT when attaching to one that does not
   * @throws {NativeUnavailableError} when the native addon is not built or does not load
   */
  constructor(options: SharedMemoryOptions | string = {}, descriptor?: SharedMemoryDescriptor) {
    const fn = 'SharedMemory';
    if (descriptor !== undefined) {
      // another thread's block: the same memory, not a second mapping of the name
      if (typeof descriptor?.name !== 'string' || !(descriptor.buf instanceof SharedArrayBuffer)) {
        throw new ArgumentError(`SharedMemory.fromDescriptor: invalid argument 'descriptor': expected { name, buf } from toDescriptor(), got ${show(descriptor)}`);
      }
      this.name = descriptor.name;
      this.#buf = descriptor.buf;
      this.size = descriptor.buf.byteLength;
      return;
    }
    const opts: SharedMemoryOptions = typeof options === 'string' ? { name: options } : options;
    checkOptionKeys(fn, 'options', opts, ['name', 'create', 'size']);
    const create = opts.create ?? false;
    if (typeof create !== 'boolean') throw new ArgumentError(`${fn}: invalid argument 'options.create': expected a boolean, got ${show(create)}`);
    const size = opts.size ?? 0;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new ArgumentError(`${fn}: invalid argument 'options.size': expected a nonnegative integer, got ${show(size)}`);
    }
    if (create && size === 0) throw new ArgumentError(`${fn}: invalid argument 'options.size': expected a positive size to create a block, got 0`);
    if (!create && opts.name === undefined) throw new ArgumentError(`${fn}: invalid argument 'options.name': a name is required to attach (it can only be omitted when create is true)`);

    if (opts.name !== undefined) {
      const full = shmName(fn, opts.name);
      this.#buf = shmOpen(full, create, size);
      this.name = full.slice(1);
    } else {
      // a fresh random name, retried on the (unlikely) collision as Python does
      for (;;) {
        const name = generatedName();
        try {
          this.#buf = shmOpen(name, true, size);
        } catch (error) {
          if (error instanceof OSError && error.code === 'EEXIST') continue;
          throw error;
        }
        this.name = name;
        break;
      }
    }
    this.size = this.#buf.byteLength;
  }

  /**
   * The block `toDescriptor()` describes, over the same memory, typically in another thread.
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: SharedMemoryDescriptor): SharedMemory {
    return new SharedMemory({}, descriptor);
  }

  /**
   * Plain data carrying the memory itself, for another thread.
   * @throws {ValueError} when it is closed (Python's unpickling of a gone block fails too)
   */
  toDescriptor(): SharedMemoryDescriptor {
    if (!this.#buf) throw new ValueError(`SharedMemory.toDescriptor: the SharedMemory ${show(this.name)} is closed and cannot be sent to another thread`);
    return { name: this.name, buf: this.#buf };
  }

  /** Python's repr: `SharedMemory('psm_1a2b3c4d', size=512)`. */
  toString(): string {
    return `SharedMemory('${this.name}', size=${this.size})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /**
   * The block's memory. Throws ValueError after `close()`.
   * @throws {ValueError} when it is closed
   */
  get buf(): SharedArrayBuffer {
    if (!this.#buf) throw new ValueError(`SharedMemory.buf: the SharedMemory ${show(this.name)} is closed`);
    return this.#buf;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#buf === undefined;
  }

  /** Drops this object's hold on the memory (it stays mapped while views of `buf` live); never unlinks. */
  close(): void {
    this.#buf = undefined;
  }

  /**
   * Removes the name, so no further process can attach; memory already attached stays valid.
   * Call it once, when every process is done with the name (OSError ENOENT if it is gone already).
   * Works before or after `close()`.
   * @throws {OSError} ENOENT when the name is gone already
   */
  unlink(): void {
    shmUnlink(this.name);
  }

  /** Closes (does not unlink). */
  [Symbol.dispose](): void {
    this.close();
  }
}
