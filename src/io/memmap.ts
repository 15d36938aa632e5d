/**
 * numpy's `memmap`: an array whose memory is a file, mapped (see native.ts) as a
 * SharedArrayBuffer. It is a SharedNDArray, so it goes to pool workers with zero copies like any
 * other, and every process that maps the same file sees the same bytes. `openMemmap` and
 * `createMemmap` do the same for `.npy` files, after their header (numpy's
 * `np.load(mmap_mode=...)` and `np.lib.format.open_memmap`).
 *
 * Two limits numpy does not have, both refused with BufferError before anything is mapped:
 * - Alignment: the data must start at a file offset that is a multiple of the dtype's item size
 *   (any offset for 1-byte dtypes). A typed array cannot view misaligned elements, and a buffer
 *   whose memory starts misaligned would abort the process, so such data is refused rather than
 *   mapped; numpy writes `.npy` data 64-byte aligned, so only files from other writers, or raw
 *   files at odd offsets, meet this. Map the bytes as 'uint8', or `load()` a copy.
 * - Length: one array has at most as many elements as one typed array can have in the running
 *   V8: 2^32 under Node 20, whatever the dtype (`buffer.constants.MAX_LENGTH`); 2^53 - 1 bytes
 *   under Node 22 and later. Map a larger file in parts, with `memmap`'s offset and shape.
 */
import { closeSync, openSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { ArgumentError, BufferError, NpyFormatError, ValueError } from '../errors.js';
import { checkOptionKeys, filePath, show, showShape } from '../check.js';
import { DTYPES, resolveDType, type DType, type DTypeLike, type ResolveDType } from '../ndarray/dtype.js';
import { parseOrder, parseShape, sizeOf, type Order } from '../ndarray/layout.js';
import { checkTypedArrayLength } from '../ndarray/memory.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import { BUFFER_ALIGN, flush, mapFile, osError, type MapMode } from './native.js';
import { checkExpectedDType, encodeHeader, readHeader, type NpyHeader, type NpyVersion } from './npy.js';

export type MemmapMode = MapMode;

/** numpy's long names for the modes. */
const MODE_NAMES: Readonly<Record<string, MemmapMode>> = {
  r: 'r', readonly: 'r', 'r+': 'r+', readwrite: 'r+', 'w+': 'w+', write: 'w+', c: 'c', copyonwrite: 'c',
};

export interface MemmapOptions<T extends DTypeLike = DTypeLike> {
  /** Default `'uint8'`, as numpy's. */
  dtype?: T;
  /** Default: a 1-d array of everything from `offset` to the end of the file. Required for 'w+'. */
  shape?: number | readonly number[];
  /**
   * 'r' read-only, 'r+' (default) read-write of an existing file, which grows to fit `shape` as
   * numpy grows it; 'w+' creates or overwrites; 'c' copy-on-write: writable, never written back.
   */
  mode?: MemmapMode | 'readonly' | 'readwrite' | 'write' | 'copyonwrite';
  /** Byte offset in the file where the array starts. */
  offset?: number;
  order?: Order;
}

function checkMode(fn: string, mode: unknown, allowed: readonly MemmapMode[]): MemmapMode {
  const resolved = typeof mode === 'string' ? MODE_NAMES[mode] : undefined;
  if (resolved === undefined || !allowed.includes(resolved)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.mode': expected one of ${allowed.map((m) => `'${m}'`).join(', ')}, got ${show(mode)}`);
  }
  return resolved;
}

function fileSize(fn: string, path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    throw osError(fn, error);
  }
}

/**
 * Refuses, before anything is mapped, `count` elements of `dtype` at byte `offset` of a file that
 * one typed array cannot view. The typed array starts at the buffer's aligned start, up to
 * BUFFER_ALIGN - 1 bytes before `offset` (see mapFile), so those bytes count too.
 */
function checkMappedLength(fn: string, dtype: DType, offset: number, count: number): void {
  checkTypedArrayLength(dtype, count + (offset % BUFFER_ALIGN) / DTYPES[dtype].itemsize, fn);
}

/** Where a mapped buffer's data lies in its file. */
export interface MappedFile {
  /** The file's path as it was given (relative paths are relative to the process's cwd then). */
  readonly filename: string;
  readonly mode: MemmapMode;
  /** File byte where the data starts. */
  readonly fileOffset: number;
  /** Byte of the buffer where that data starts (mapFile aligns the buffer's start down). */
  readonly byteOffset: number;
  /** Bytes of data mapped. */
  readonly byteLength: number;
}

/**
 * Every buffer that a Memmap maps, keyed by the buffer: a view of a memmap (a row, a slice) is a
 * plain SharedNDArray, yet the cluster must know that it, too, is a file that other machines can
 * map. Weak, so it does not keep a mapping alive.
 */
const MAPPED = new WeakMap<ArrayBufferLike, MappedFile>();

/**
 * The file that `array`'s memory maps, when it is a Memmap or a view of one; undefined otherwise.
 * @internal Used by cluster/ to send such an array as a reference to its file.
 */
export function mappedFileOf(array: SharedNDArray): MappedFile | undefined {
  return MAPPED.get(array.buffer);
}

/**
 * A SharedNDArray over a memory-mapped file. Its views (slices, rows, reshapes) are ordinary
 * SharedNDArrays over the same mapping. The mapping lives as long as any of them, here or in a
 * worker, is reachable: `close()` flushes and lets go of this object's claim, it does not unmap
 * memory a view may still use.
 */
export class Memmap<D extends DType = DType> extends SharedNDArray<D> {
  readonly filename: string;
  readonly mode: MemmapMode;
  /** Byte offset of the array in the file (numpy's `offset`; `offset` here is SharedNDArray's element offset). */
  readonly fileOffset: number;
  #closed = false;

  /** @internal Use `memmap`, `openMemmap` or `createMemmap`; `bytes` is what `mapFile` returned. */
  constructor(bytes: Uint8Array, dtype: D, shape: readonly number[], order: Order, info: { filename: string; mode: MemmapMode; fileOffset: number }) {
    super(shape, { dtype, buffer: bytes.buffer, byteOffset: bytes.byteOffset, order, readonly: info.mode === 'r' });
    this.filename = info.filename;
    this.mode = info.mode;
    this.fileOffset = info.fileOffset;
    MAPPED.set(bytes.buffer, { filename: info.filename, mode: info.mode, fileOffset: info.fileOffset, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength });
  }

  /**
   * Writes changes back to the file and waits for the disk (msync). A no-op for modes 'r' and
   * 'c', whose writes never reach the file.
   * @throws {ValueError} when the memmap is closed
   * @throws {OSError} when msync fails
   */
  flush(): void {
    if (this.#closed) throw new ValueError(`flush: the memmap of ${this.filename} is closed`);
    if (this.mode === 'r+' || this.mode === 'w+') flush(this.data.buffer as SharedArrayBuffer);
  }

  /** Flushes, then refuses further `flush()` calls. Views stay usable until they are collected. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
  }

  get closed(): boolean {
    return this.#closed;
  }
}

/**
 * Maps a file as an array (numpy's `np.memmap(path, dtype, mode, offset, shape, order)`).
 *
 * ```ts
 * const m = memmap('data.f8', { dtype: 'float64', shape: [1000, 1000], mode: 'w+' });
 * await pool.mapRows('fillRows', m);   // workers write the file's pages in place
 * m.flush();
 * ```
 * @throws {ArgumentError} when `path` or an option is invalid, or `shape` is missing in mode w+
 * @throws {DTypeError} when `options.dtype` names no supported dtype
 * @throws {ShapeError} when a length of `options.shape` is negative or not an integer
 * @throws {ValueError} when the file is shorter than `offset`, or its bytes are not whole items
 * @throws {OSError} when the file cannot be opened, grown or mapped (ENOENT, EACCES, ...)
 * @throws {NativeUnavailableError} when the native addon is not built or does not load
 */
export function memmap<T extends DTypeLike = 'uint8'>(path: string | URL, options: MemmapOptions<T> = {}): Memmap<ResolveDType<T>> {
  const fn = 'memmap';
  const file = filePath(fn, 'path', path);
  checkOptionKeys(fn, 'options', options, ['dtype', 'shape', 'mode', 'offset', 'order']);
  const dtype = resolveDType(options.dtype ?? 'uint8', 'options.dtype', fn) as ResolveDType<T>;
  const mode = checkMode(fn, options.mode ?? 'r+', ['r', 'r+', 'w+', 'c']);
  const order = parseOrder(options.order, fn, 'options.order');
  const offset = options.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new ArgumentError(`${fn}: invalid argument 'options.offset': expected a nonnegative integer number of bytes, got ${show(offset)}`);
  }
  const { itemsize } = DTYPES[dtype];
  let shape: number[];
  if (options.shape === undefined) {
    if (mode === 'w+') throw new ArgumentError(`${fn}: invalid argument 'options.shape': required in mode 'w+', which makes a new file`);
    const available = fileSize(fn, file) - offset;
    if (available < 0) throw new ValueError(`${fn}: offset ${offset} is past the end of ${file} (${available + offset} bytes)`);
    if (available % itemsize !== 0) {
      throw new ValueError(`${fn}: the ${available} bytes of ${file} after offset ${offset} are not a whole number of ${dtype} items (${itemsize} bytes); give a shape`);
    }
    shape = [available / itemsize];
  } else {
    shape = parseShape([typeof options.shape === 'number' ? [options.shape] : options.shape], fn, 'options.shape');
  }
  const bytes = sizeOf(shape) * itemsize;
  // A typed array cannot start at a byte that is not a multiple of its element size (and one over
  // a misaligned buffer would abort the process), so misaligned data is refused, where numpy maps it
  if (offset % itemsize !== 0) {
    throw new BufferError(
      `${fn}: offset ${offset} is not a multiple of ${dtype}'s item size ${itemsize}: a typed array cannot view misaligned elements (numpy can). ` +
      `Map the bytes (dtype 'uint8') and copy them into an aligned array, or use an offset that is a multiple of ${itemsize}`);
  }
  checkMappedLength(fn, dtype, offset, sizeOf(shape));
  if (mode === 'r+' && fileSize(fn, file) < offset + bytes) {
    // numpy grows the file to fit the array in 'r+' (its mmap would fail otherwise)
    try {
      truncateSync(file, offset + bytes);
    } catch (error) {
      throw osError(fn, error);
    }
  }
  return new Memmap(mapFile(file, mode, offset, bytes), dtype, shape, order, { filename: file, mode, fileOffset: offset });
}

export interface OpenMemmapOptions<T extends DTypeLike = DTypeLike> {
  /** 'r', 'r+' (default) or 'c'; a new file is `createMemmap`'s. */
  mode?: 'r' | 'r+' | 'c' | 'readonly' | 'readwrite' | 'copyonwrite';
  /** The dtype the file must hold (a DTypeError otherwise); types the result. */
  dtype?: T;
}

/**
 * Maps the data of an existing `.npy` file, after its header: numpy's
 * `np.load(path, mmap_mode=mode)`. A Fortran-order file maps as an F-contiguous array.
 * @throws {ArgumentError} when `path` or `options.mode` is invalid
 * @throws {NpyFormatError} when the file is not a .npy file, or is malformed or truncated
 * @throws {DTypeError} when its dtype has no typed array
 * @throws {OSError} when the file cannot be opened or mapped
 * @throws {NativeUnavailableError} when the native addon is not built or does not load
 * @throws {DTypeError} when `options.dtype` is given and the file holds another dtype
 */
export function openMemmap<T extends DTypeLike = DType>(path: string | URL, options: OpenMemmapOptions<T> = {}): Memmap<ResolveDType<T>> {
  const fn = 'openMemmap';
  const file = filePath(fn, 'path', path);
  checkOptionKeys(fn, 'options', options, ['mode', 'dtype']);
  const mode = checkMode(fn, options.mode ?? 'r+', ['r', 'r+', 'c']);
  const expected = options.dtype === undefined ? undefined : resolveDType(options.dtype, 'options.dtype', fn);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw osError(fn, error);
  }
  let header: NpyHeader;
  try {
    header = readHeader(fd, fn, file);
  } catch (error) {
    throw osError(fn, error);
  } finally {
    closeSync(fd);
  }
  const available = fileSize(fn, file) - header.dataOffset;
  if (available < header.dataBytes) {
    throw new NpyFormatError(`${fn}: ${file} is truncated: its header promises shape ${showShape(header.shape)} of ${header.dtype}, ${header.dataBytes} bytes of data, but ${Math.max(0, available)} bytes follow the header`);
  }
  const { dtype, dataOffset } = header;
  checkExpectedDType(fn, file, expected, dtype);
  if (dataOffset % DTYPES[dtype].itemsize !== 0) {
    throw new BufferError(
      `${fn}: the data of ${file} starts at byte ${dataOffset}, which is not a multiple of ${dtype}'s item size ${DTYPES[dtype].itemsize}: ` +
      'a typed array cannot view misaligned elements (numpy can; numpy itself writes the data 64-byte aligned). ' +
      `load() reads a copy into aligned memory, or memmap(path, { dtype: 'uint8', offset: ${dataOffset} }) maps the bytes`);
  }
  checkMappedLength(fn, dtype, dataOffset, sizeOf(header.shape));
  const bytes = mapFile(file, mode, dataOffset, header.dataBytes);
  return new Memmap(bytes, dtype, header.shape, header.fortranOrder ? 'F' : 'C', { filename: file, mode, fileOffset: dataOffset }) as Memmap<ResolveDType<T>>;
}

export interface CreateMemmapOptions<T extends DTypeLike = DTypeLike> {
  dtype?: T;
  shape: number | readonly number[];
  /** 'F' writes a Fortran-order file (`fortran_order: True`). */
  order?: Order;
  version?: NpyVersion;
}

/**
 * Creates (or overwrites) a `.npy` file of zeros with the given dtype and shape, and maps its
 * data read-write: numpy's `np.lib.format.open_memmap(path, mode='w+', dtype, shape)`. Workers
 * can fill it in place; numpy reads the result with `np.load`.
 * @throws {ArgumentError} when `path` or an option is invalid, or `shape` is missing
 * @throws {DTypeError} when `options.dtype` names no supported dtype
 * @throws {ShapeError} when a length of `options.shape` is negative or not an integer
 * @throws {OSError} when the file cannot be written or mapped
 * @throws {NativeUnavailableError} when the native addon is not built or does not load
 */
export function createMemmap<T extends DTypeLike = 'float64'>(path: string | URL, options: CreateMemmapOptions<T>): Memmap<ResolveDType<T>> {
  const fn = 'createMemmap';
  const file = filePath(fn, 'path', path);
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError(`${fn}: invalid argument 'options': expected { dtype, shape }, got ${show(options)}`);
  }
  checkOptionKeys(fn, 'options', options, ['dtype', 'shape', 'order', 'version']);
  const dtype = resolveDType(options.dtype ?? 'float64', 'options.dtype', fn) as ResolveDType<T>;
  if (options.shape === undefined) throw new ArgumentError(`${fn}: invalid argument 'options.shape': required (the shape of the new array)`);
  const shape = parseShape([typeof options.shape === 'number' ? [options.shape] : options.shape], fn, 'options.shape');
  const order = parseOrder(options.order, fn, 'options.order');
  if (options.version !== undefined && options.version !== 1 && options.version !== 2 && options.version !== 3) {
    throw new ArgumentError(`${fn}: invalid argument 'options.version': expected 1, 2 or 3, got ${show(options.version)}`);
  }
  const header = encodeHeader(fn, dtype, shape, order === 'F' && shape.length > 1, options.version);
  const bytes = sizeOf(shape) * DTYPES[dtype].itemsize;
  // the header is padded to 64 bytes, so the data is aligned: only its length can be refused
  checkMappedLength(fn, dtype, header.length, sizeOf(shape));
  try {
    writeFileSync(file, header);
    truncateSync(file, header.length + bytes);
  } catch (error) {
    throw osError(fn, error);
  }
  return new Memmap(mapFile(file, 'r+', header.length, bytes), dtype, shape, order, { filename: file, mode: 'w+', fileOffset: header.length });
}
