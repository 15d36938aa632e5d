/**
 * The low-level memory-map API: typed, validated wrappers over the package's native addon
 * (src/native/), which maps files, anonymous memory and POSIX shared memory as
 * SharedArrayBuffers. MMap, SharedMemory and numpy-style memmap are built on these. The addon is
 * loaded on the first call here, never at import, and every function below throws
 * NativeUnavailableError, saying what was tried and how to build it, when none loads.
 *
 * Lifetime: a mapping stays mapped while any SharedArrayBuffer over it is reachable, in this
 * thread or in any worker it was posted to; the addon unmaps it when the last one is collected.
 */
import { ArgumentError, OSError } from '../errors.js';
import { show } from '../check.js';
import { callAddon as call, loadAddon as load } from '../native/addon.js';

export { nativeAvailable } from '../native/addon.js';
/** @internal */
export { nativeAddonCandidates, nativeAddonPath } from '../native/addon.js';

/**
 * numpy memmap's modes: 'r' read-only (a private mapping: raw writes through the buffer never
 * reach the file), 'r+' read-write of an existing file, 'w+' create or overwrite, 'c'
 * copy-on-write (writes stay in this process).
 */
export type MapMode = 'r' | 'r+' | 'w+' | 'c';

const MODES: readonly MapMode[] = ['r', 'r+', 'w+', 'c'];

/** A Node system error from `fs` (ENOENT from openSync, ...) as an OSError whose message names `fn`. */
export function osError(fn: string, error: unknown): unknown {
  const e = error as Error & { code?: unknown; errno?: unknown; syscall?: unknown; path?: unknown };
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string') return error;
  return new OSError(`${fn}: ${e.message}`, {
    code: e.code, errno: typeof e.errno === 'number' ? e.errno : 0, syscall: e.syscall,
    path: typeof e.path === 'string' ? e.path : undefined,
  }, { cause: error });
}

function checkSize(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a nonnegative integer, got ${show(value)}`);
  }
  return value;
}

/**
 * The alignment of every SharedArrayBuffer the addon makes: the largest typed-array element
 * (Float64Array, BigInt64Array). V8 assumes a SharedArrayBuffer's memory is aligned for every
 * element type, and a typed array over a misaligned one aborts the whole process (not an
 * exception) when an element is read through V8's slow path or written: so no such buffer may
 * ever exist, here or in a worker it is posted to.
 */
export const BUFFER_ALIGN = 8;

/**
 * Maps bytes [offset, offset + length) of a file. Returns a Uint8Array of exactly those bytes,
 * over a SharedArrayBuffer that starts at the nearest multiple of BUFFER_ALIGN at or before
 * `offset`: its `byteOffset` is `offset % BUFFER_ALIGN`, 0 whenever the offset is aligned, so
 * views of misaligned data carry the misalignment in their byte offset, where typed arrays check
 * it (a RangeError, never an abort). `file` is a path or an open file descriptor (which stays
 * open and yours; its open mode must allow the mapping: read-write for 'r+' and 'w+'). The offset
 * need not be page-aligned.
 *
 * - 'r': read-only for this package's APIs. The pages are mapped privately and writable, so a
 *   raw typed-array write cannot crash the process, and it never reaches the file.
 * - 'r+': shared read-write: writes reach the file (on `flush`, or whenever the kernel writes
 *   back) and every other mapping of it, in this or another process.
 * - 'w+': creates the file, or truncates it, to offset + length bytes of zeros, then as 'r+'.
 * - 'c': copy-on-write: writable, but writes stay in this process's memory.
 *
 * For 'r', 'r+' and 'c' the file must hold offset + length bytes, or this throws ValueError
 * naming both sizes (numpy's memmap grows the file for 'r+'; here a caller that wants that grows
 * it first, e.g. with fs.truncateSync). Length 0 gives an empty view. A file truncated under a
 * live mapping makes access past its new end a SIGBUS: do not shrink mapped files.
 */
export function mapFile(file: string | number, mode: MapMode, offset: number, length: number): Uint8Array<SharedArrayBuffer> {
  const fn = 'mapFile';
  if (typeof file === 'number') {
    if (!Number.isSafeInteger(file) || file < 0 || file > 0x7fffffff) {
      throw new ArgumentError(`${fn}: invalid argument 'file': expected a path or an open file descriptor, got ${show(file)}`);
    }
  } else if (typeof file !== 'string' || file === '' || file.includes('\0')) {
    throw new ArgumentError(`${fn}: invalid argument 'file': expected a path or an open file descriptor, got ${show(file)}`);
  }
  if (!MODES.includes(mode)) {
    throw new ArgumentError(`${fn}: invalid argument 'mode': expected one of 'r', 'r+', 'w+', 'c', got ${show(mode)}`);
  }
  checkSize(fn, 'offset', offset);
  checkSize(fn, 'length', length);
  if (offset + length > Number.MAX_SAFE_INTEGER) {
    throw new ArgumentError(`${fn}: invalid argument 'length': offset + length = ${offset + length} is beyond 2^53 - 1`);
  }
  const lead = offset % BUFFER_ALIGN;
  const buffer = call(fn, (native) => native.mapFile(file, mode, offset - lead, lead + length));
  return new Uint8Array(buffer, lead, length);
}

/**
 * `length` bytes of zero-filled anonymous shared memory (Python's `mmap(-1, length)`), as a
 * SharedArrayBuffer. Length 0 gives an empty buffer.
 */
export function mapAnonymous(length: number): SharedArrayBuffer {
  checkSize('mapAnonymous', 'length', length);
  return call('mapAnonymous', (native) => native.mapAnonymous(length));
}

/**
 * Writes the pages of `buffer` that cover bytes [offset, offset + length) back to their file and
 * waits for the write (msync with MS_SYNC). Returns false, doing nothing, for a buffer that is
 * not a shared file mapping ('r' and 'c' maps, anonymous and POSIX shared memory, ordinary
 * SharedArrayBuffers); true after a sync.
 */
export function flush(buffer: SharedArrayBuffer, offset = 0, length?: number): boolean {
  const fn = 'flush';
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new ArgumentError(`${fn}: invalid argument 'buffer': expected a SharedArrayBuffer, got ${show(buffer)}`);
  }
  checkSize(fn, 'offset', offset);
  if (offset > buffer.byteLength) {
    throw new ArgumentError(`${fn}: invalid argument 'offset': expected at most the buffer length ${buffer.byteLength}, got ${offset}`);
  }
  const n = length ?? buffer.byteLength - offset;
  checkSize(fn, 'length', n);
  if (offset + n > buffer.byteLength) {
    throw new ArgumentError(`${fn}: invalid argument 'length': offset + length = ${offset + n} is past the buffer length ${buffer.byteLength}`);
  }
  return call(fn, (native) => native.flush(buffer, offset, n));
}

/**
 * A POSIX shared memory name as Python writes it: an optional leading '/', then 1 to 254
 * characters other than '/'. Returns the name with its leading '/'.
 */
export function shmName(fn: string, name: unknown): string {
  if (typeof name !== 'string') {
    throw new ArgumentError(`${fn}: invalid argument 'name': expected a string, got ${show(name)}`);
  }
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (bare === '' || bare.length > 254 || bare.includes('/') || bare.includes('\0')) {
    throw new ArgumentError(`${fn}: invalid argument 'name': expected 1 to 254 characters other than '/' and NUL, after an optional leading '/', got ${show(name)}`);
  }
  return `/${bare}`;
}

/**
 * Opens POSIX shared memory (shm_open) and maps all of it as a SharedArrayBuffer. `create`: a new
 * segment of `size` bytes, failing with OSError EEXIST if the name is taken (it is never silently
 * reused). Otherwise attaches to an existing one at its current size (`size` is ignored, as in
 * Python). Nothing here ever unlinks a segment except `shmUnlink`.
 */
export function shmOpen(name: string, create: boolean, size: number): SharedArrayBuffer {
  const fn = 'shmOpen';
  const full = shmName(fn, name);
  if (typeof create !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'create': expected a boolean, got ${show(create)}`);
  }
  checkSize(fn, 'size', size);
  return call(fn, (native) => native.shmOpen(full, create, size));
}

/** Removes a POSIX shared memory name (shm_unlink). Mappings of it stay valid until unmapped. */
export function shmUnlink(name: string): void {
  const full = shmName('shmUnlink', name);
  call('shmUnlink', (native) => native.shmUnlink(full));
}

/** The system page size (Python's `mmap.PAGESIZE`). */
export function pageSize(): number {
  return load('pageSize').pageSize;
}

/**
 * How many mappings this process holds (for tests of the unmap-on-collection rule).
 *
 * @internal
 */
export function mappingCount(): number {
  return load('mappingCount').mappingCount();
}
