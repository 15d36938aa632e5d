/**
 * The low-level memory-map API: typed, validated wrappers over the package's native addon
 * (src/io/native/shared_ndarray_native.cc), which maps files, anonymous memory and POSIX shared
 * memory as SharedArrayBuffers. MMap, SharedMemory and numpy-style memmap are built on these.
 *
 * The package ships the addon prebuilt for some platforms and Node ABIs (prebuilds/); elsewhere
 * its install script compiles it (scripts/build-native.mjs). It is loaded on the first call here,
 * never at import: `import 'shared-ndarray'` works without it, and every function below throws
 * NativeUnavailableError, saying what was tried and how to build it, when none loads.
 *
 * Lifetime: a mapping stays mapped while any SharedArrayBuffer over it is reachable, in this
 * thread or in any worker it was posted to; the addon unmaps it when the last one is collected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError, NativeUnavailableError, OSError, ValueError } from '../errors.js';
import { show } from '../check.js';

/**
 * numpy memmap's modes: 'r' read-only (a private mapping: raw writes through the buffer never
 * reach the file), 'r+' read-write of an existing file, 'w+' create or overwrite, 'c'
 * copy-on-write (writes stay in this process).
 */
export type MapMode = 'r' | 'r+' | 'w+' | 'c';

const MODES: readonly MapMode[] = ['r', 'r+', 'w+', 'c'];

/** What the compiled addon exports (see shared_ndarray_native.cc). */
interface NativeAddon {
  mapFile(file: string | number, mode: MapMode, offset: number, length: number): SharedArrayBuffer;
  mapAnonymous(length: number): SharedArrayBuffer;
  flush(buffer: SharedArrayBuffer, offset: number, length: number): boolean;
  shmOpen(name: string, create: boolean, size: number): SharedArrayBuffer;
  shmUnlink(name: string): void;
  mappingCount(): number;
  pageSize: number;
}

/** The package root: this file is src/io/native.ts or dist/io/native.js. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_SCRIPT = join(ROOT, 'scripts', 'build-native.mjs');
/** Where scripts/build-native.mjs records why the install-time build failed. */
const FAILURE_LOG = join(ROOT, 'build', 'native-build-failure.txt');

/**
 * The addon files to try, in order: only the file SHARED_NDARRAY_NATIVE_ADDON names, when it is set
 * (read on each load attempt), so a pinned build never silently falls back to another; else the one
 * compiled here (build/Release), then the prebuilt one for this platform and NODE_MODULE_VERSION,
 * named as prebuildify and node-gyp-build name them. A compiled addon comes first, as in
 * node-gyp-build: the install script compiles only where no prebuild loads, and in a checkout it
 * is the developer's current build.
 *
 * @internal
 */
export function nativeAddonCandidates(): Array<{ path: string; ifMissing: string }> {
  const override = process.env.SHARED_NDARRAY_NATIVE_ADDON;
  if (override) return [{ path: override, ifMissing: 'not found' }];
  const failure = existsSync(FAILURE_LOG)
    ? ` (the install-time build failed: ${readFileSync(FAILURE_LOG, 'utf8').split('\n', 1)[0]}; details in ${FAILURE_LOG})`
    : '';
  return [
    { path: join(ROOT, 'build', 'Release', 'shared_ndarray_native.node'), ifMissing: `not built${failure}` },
    {
      path: join(ROOT, 'prebuilds', `${process.platform}-${process.arch}`, `node.abi${process.versions.modules}.node`),
      ifMissing: 'no prebuilt addon for this platform and Node ABI',
    },
  ];
}

let addon: NativeAddon | undefined;
let addonPath: string | undefined;

/** Loads the addon on first use; a failure is not cached, so building it later in the process works. */
function load(fn: string): NativeAddon {
  if (addon) return addon;
  const tried: string[] = [];
  for (const { path, ifMissing } of nativeAddonCandidates()) {
    if (!existsSync(path)) {
      tried.push(`${path}: ${ifMissing}`);
      continue;
    }
    try {
      const loaded = createRequire(import.meta.url)(path) as NativeAddon;
      if (typeof loaded.mapFile !== 'function') throw new Error('it does not export mapFile');
      addon = loaded;
      addonPath = path;
      return loaded;
    } catch (cause) {
      // typically ERR_DLOPEN_FAILED: built for another Node ABI (NODE_MODULE_VERSION) or C library
      tried.push(`${path}: does not load: ${(cause as Error).message}`);
    }
  }
  throw new NativeUnavailableError(
    `${fn}: memory maps need shared-ndarray's native addon, and none loads on Node ${process.version} ` +
    `(${process.platform}-${process.arch}, NODE_MODULE_VERSION ${process.versions.modules}); tried ${tried.join('; ')}. ` +
    `Build it with \`node ${BUILD_SCRIPT}\` (needs a C++ compiler, make, python3 and Node's headers), ` +
    'or `npm rebuild shared-ndarray` in your project (if npm skipped the install script: with ' +
    '--ignore-scripts, or under an allowScripts policy that does not approve it, `npm install-scripts approve shared-ndarray` first).',
  );
}

/**
 * The file the addon was loaded from, loading it if need be (NativeUnavailableError when none loads).
 *
 * @internal
 */
export function nativeAddonPath(): string {
  load('nativeAddonPath');
  return addonPath!;
}

/** Whether the addon is built and loads, without throwing. */
export function nativeAvailable(): boolean {
  try {
    load('nativeAvailable');
    return true;
  } catch {
    return false;
  }
}

/** Calls into the addon, turning its errors into this package's classes. */
function call<T>(fn: string, body: (native: NativeAddon) => T): T {
  const native = load(fn);
  try {
    return body(native);
  } catch (error) {
    throw translate(error);
  }
}

/** The addon throws Node-style system errors (code, errno, syscall), RangeError and TypeError. */
function translate(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; errno?: unknown; syscall?: unknown; path?: unknown };
  if (typeof e.code === 'string' && typeof e.syscall === 'string') {
    return new OSError(e.message, {
      code: e.code, errno: typeof e.errno === 'number' ? e.errno : 0, syscall: e.syscall,
      path: typeof e.path === 'string' ? e.path : undefined,
    });
  }
  // a file shorter than the requested range (the arguments were validated before the call)
  if (e instanceof RangeError) return new ValueError(e.message);
  if (e instanceof TypeError) return new ArgumentError(e.message);
  return error;
}

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
