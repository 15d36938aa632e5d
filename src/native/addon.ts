/**
 * Loading shared-ndarray's native addon (shared_ndarray_native.cc beside this file): memory maps of
 * files, anonymous memory and POSIX shared memory (io/), and huge-page-backed memory for large
 * arrays (ndarray/), each as a SharedArrayBuffer. It sits below ndarray/ so that allocation can
 * use it; the validated public wrappers live in io/native.ts.
 *
 * The package ships the addon prebuilt for some platforms and Node ABIs (prebuilds/); elsewhere
 * its install script compiles it (scripts/build-native.mjs). It is loaded on first use, never at
 * import: `import 'shared-ndarray'` works without it.
 *
 * Lifetime: a mapping stays mapped while any SharedArrayBuffer over it is reachable, in this
 * thread or in any worker it was posted to; the addon unmaps it when the last one is collected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError, NativeUnavailableError, OSError, ValueError } from '../errors.js';

/** What the compiled addon exports (see shared_ndarray_native.cc). */
export interface NativeAddon {
  mapFile(file: string | number, mode: 'r' | 'r+' | 'w+' | 'c', offset: number, length: number): SharedArrayBuffer;
  allocate(length: number): SharedArrayBuffer;
  mapAnonymous(length: number): SharedArrayBuffer;
  flush(buffer: SharedArrayBuffer, offset: number, length: number): boolean;
  shmOpen(name: string, create: boolean, size: number): SharedArrayBuffer;
  shmUnlink(name: string): void;
  mappingCount(): number;
  storeAtExit(words: Int32Array, index: number, value: number): number;
  copy(target: ArrayBufferLike, targetOffset: number, source: ArrayBufferLike, sourceOffset: number, length: number): void;
  cancelStoreAtExit(token: number): void;
  math(widest?: number, expTable?: Float64Array): VectorMath;
  sumRows: NativeSumRows;
  argExtremum: NativeArgExtremum;
  fill: NativeFill;
  pageSize: number;
}

/**
 * `output[outputOffset + j * outputStride] = f(input[inputOffset + j * inputStride])` for
 * `j < count`: one of the addon's vector functions over a strided run of doubles (the addon throws
 * RangeError for indices outside either array). Returns how many elements it finished: `count`,
 * or for exp, sin and cos (the ports of the WebAssembly kernels) a multiple of 4096 short of it,
 * where the block of 4096 from there has a lane the kernel refuses: the caller computes that block
 * with the scalar kernels (src/ops/kernels/native.ts), from its input, which the addon left as it
 * was (its output is unspecified unless it is the input).
 */
export type VectorMathFunction = (
  input: Float64Array, inputOffset: number, inputStride: number,
  output: Float64Array, outputOffset: number, outputStride: number, count: number,
) => number;

/**
 * `acc[accOffset + j]` = the sum down `n` rows of column j, `x[offset + r * rowStride + j]`, for
 * j < m, in the same order as sumRows in src/ops/kernels/reduce.ts (the same bits), with the
 * widest vectors the CPU runs, of at most `widest` doubles (8: AVX-512F, 4: AVX2, 2: SSE2; for
 * tests). The addon throws RangeError for indices outside either array.
 */
export type NativeSumRows = (x: Float64Array, offset: number, n: number, rowStride: number, m: number, acc: Float64Array, accOffset: number, widest?: number) => void;

/**
 * The index in `x[offset, offset + n)`, n >= 1, of the first largest (`sign` 1) or smallest (-1)
 * element, or of the first NaN: argExtremum of src/ops/kernels/reduce.ts for a contiguous run, the
 * same answer, with vector compares of at most `widest` doubles (8: AVX-512F, 4: AVX2, 2: SSE2;
 * for tests). The addon throws RangeError for a run outside `x`.
 */
export type NativeArgExtremum = (x: Float64Array, offset: number, n: number, sign: 1 | -1, widest?: number) => number;

/**
 * `output[outputOffset + j * outputStride] = pow(x[xOffset + j * xStride], y[yOffset + j * yStride])`
 * for `j < count`, over Float64Arrays (`pow`) or Float32Arrays (`powf`): the addon's own pow
 * (AVX-512F) or libmvec's (AVX2), and libmvec's powf;
 * a stride of 0 repeats one element (a scalar exponent). The addon throws
 * RangeError for indices outside any of the arrays, TypeError for arrays of another type.
 */
export type VectorPowFunction<A extends Float64Array | Float32Array> = (
  x: A, xOffset: number, xStride: number,
  y: A, yOffset: number, yStride: number,
  output: A, outputOffset: number, outputStride: number, count: number,
) => void;

/**
 * The addon's vector math for the widest vectors the CPU runs: exp, sin and cos ported from the
 * WebAssembly kernels, the others glibc's libmvec kernels.
 */
export interface VectorMath {
  /** The instructions the functions use: 'avx512f' (8 lanes), 'avx2' (4) or 'none'. */
  readonly isa: string;
  /** The functions this machine has, of exp, log, sin, cos, expm1, log1p and tanh (exp once given its table). */
  readonly functions: Readonly<Partial<Record<'exp' | 'log' | 'sin' | 'cos' | 'expm1' | 'log1p' | 'tanh', VectorMathFunction>>>;
  /** pow of float64 runs, where this machine has it: the addon's own (AVX-512F) or libmvec's (AVX2). */
  readonly pow?: VectorPowFunction<Float64Array>;
  /** libmvec's powf, where this machine has it: float32 runs. */
  readonly powf?: VectorPowFunction<Float32Array>;
}

/** The package root: this file is src/native/addon.ts or dist/native/addon.js. */
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
export function loadAddon(fn: string): NativeAddon {
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
  loadAddon('nativeAddonPath');
  return addonPath!;
}

/** Whether the addon is built and loads, without throwing. */
export function nativeAvailable(): boolean {
  try {
    loadAddon('nativeAvailable');
    return true;
  } catch {
    return false;
  }
}

/** Calls into the addon, turning its errors into this package's classes. */
export function callAddon<T>(fn: string, body: (native: NativeAddon) => T): T {
  const native = loadAddon(fn);
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

/** Set once the addon failed to load for an optional use, so later ones skip straight to their fallback. */
let optionalFallback = false;

/** The addon, or undefined when it does not load (remembered): for uses that have a fallback. */
function optionalAddon(fn: string): NativeAddon | undefined {
  if (optionalFallback) return undefined;
  try {
    return loadAddon(fn);
  } catch {
    optionalFallback = true;
    return undefined;
  }
}

/**
 * `bytes` of fresh zero-filled memory backed by transparent huge pages (private anonymous memory
 * advised MADV_HUGEPAGE, starting on a 2 MiB boundary), or undefined when the addon does not load
 * or the kernel refuses the mapping: the caller then falls back to a plain SharedArrayBuffer, so
 * the addon never makes a large array fail.
 */
export function allocateHugePages(bytes: number): SharedArrayBuffer | undefined {
  const native = optionalAddon('allocate');
  if (native === undefined) return undefined;
  try {
    return native.allocate(bytes);
  } catch {
    return undefined; // ENOMEM and the like: let the plain allocator try, and say why if it fails too
  }
}

/**
 * Arranges for `value` to be stored into `words[index]` when this thread ends, however it ends
 * (a heap over resourceLimits and `terminate()` included, which run no JavaScript), unless the
 * returned function is called first. Undefined when the addon does not load: the caller then
 * learns only of deaths that run the thread's exit handlers.
 */
export function storeAtThreadExit(words: Int32Array, index: number, value: number): (() => void) | undefined {
  const native = optionalAddon('storeAtExit');
  // undefined too for a prebuilt addon from before the hook existed
  if (typeof native?.storeAtExit !== 'function') return undefined;
  const token = native.storeAtExit(words, index, value);
  return () => native.cancelStoreAtExit(token);
}

/** memmove of `length` bytes from `source` at byte `sourceOffset` to `target` at byte `targetOffset`. */
export type BufferCopy = (target: ArrayBufferLike, targetOffset: number, source: ArrayBufferLike, sourceOffset: number, length: number) => void;

/**
 * The addon's memmove between two buffers, either of them shared (the caller keeps the ranges in
 * bounds; the addon throws RangeError otherwise), or undefined when the addon does not load: the
 * caller then copies with TypedArray.prototype.set, which V8 runs a word at a time when either
 * buffer is shared (about 3x slower from L1).
 */
export function bufferCopy(): BufferCopy | undefined {
  const native = optionalAddon('copy');
  // undefined too for a prebuilt addon from before copy existed
  return typeof native?.copy === 'function' ? native.copy : undefined;
}

/**
 * `buffer[byteOffset, byteOffset + byteLength)` filled with the first 8 bytes of `pattern` over
 * and over (pattern byte i % 8 at byte byteOffset + i), with vector stores; `widest` caps the
 * vector in bytes (64: AVX-512F, 32: AVX2, 16: SSE2; for tests). The addon throws RangeError for a
 * range outside the buffer.
 */
export type NativeFill = (buffer: ArrayBufferLike, byteOffset: number, byteLength: number, pattern: ArrayBufferView, widest?: number) => void;

/**
 * The addon's fill, or undefined when the addon does not load or predates it: the caller then
 * fills with TypedArray.prototype.fill, which V8 runs an element at a time over a
 * SharedArrayBuffer (about half the addon's speed on memory, a fifth to a twentieth in cache).
 */
export function nativeFill(): NativeFill | undefined {
  const native = optionalAddon('fill');
  return typeof native?.fill === 'function' ? native.fill : undefined;
}

/**
 * The addon's vector math (AVX-512 or AVX2 kernels), or undefined when the addon does not load,
 * predates math(), or finds no usable vector instructions: the caller then computes with its own
 * kernels. `widest` caps the vector width in doubles (4: AVX2 even on an AVX-512 machine, for
 * tests). `expTable`, the WebAssembly exp's table of (2^(j/128), tail) pairs (256 doubles), is
 * what the native exp reads: without it (in no call so far) there is no native exp.
 */
export function vectorMath(widest = 8, expTable?: Float64Array): VectorMath | undefined {
  const native = optionalAddon('math');
  if (typeof native?.math !== 'function') return undefined;
  const math = native.math(widest, expTable);
  return math.isa === 'none' ? undefined : math;
}

/** The addon's argExtremum, or undefined when the addon does not load or predates it. */
export function nativeArgExtremum(): NativeArgExtremum | undefined {
  const native = optionalAddon('argExtremum');
  return typeof native?.argExtremum === 'function' ? native.argExtremum : undefined;
}

/** The addon's sumRows, or undefined when the addon does not load or predates it. */
export function nativeSumRows(): NativeSumRows | undefined {
  const native = optionalAddon('sumRows');
  return typeof native?.sumRows === 'function' ? native.sumRows : undefined;
}
