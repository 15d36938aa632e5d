/**
 * numpy's `.npy` format, versions 1.0, 2.0 and 3.0: a magic string, a version, the length of a
 * header, the header (a Python dict literal naming `descr`, `fortran_order` and `shape`, padded
 * so the data starts on a 64-byte boundary), then the raw little-endian data.
 *
 * `load` reads straight into shared memory in chunks, so a file larger than 2 GiB (the most one
 * read call moves) loads like any other; `save` writes from the array's own memory when it is
 * contiguous. The header is parsed as numpy reads it (Python's literal syntax, numpy's dtype
 * strings: python-literal.ts, npy-descr.ts), never evaluated, and what numpy refuses is refused.
 */
import { constants, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ArgumentError, DTypeError, NpyFormatError, ShapeError } from '../errors.js';
import { checkOptionKeys, filePath, show, showShape } from '../check.js';
import { DTYPES, resolveDType, type DType, type DTypeLike, type ResolveDType } from '../ndarray/dtype.js';
import { contiguousStrides, parseShape, sizeOf } from '../ndarray/layout.js';
import { allocate, checkTypedArrayLength } from '../ndarray/memory.js';
import { SharedNDArray, viewOf } from '../ndarray/ndarray.js';
import { osError } from './native.js';
import { dtypeOfDescr } from './npy-descr.js';
import { PythonTuple, parsePythonLiteral, pythonRepr, type PythonValue } from './python-literal.js';

const MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY
/** numpy refuses to read longer headers unless asked (`np.load(max_header_size=...)`). */
export const MAX_HEADER_SIZE = 10_000;
const ALIGN = 64;
/**
 * Bytes per read or write call at most: a gigabyte, under the 2 GiB one call can move (each call is
 * a trip through libuv's thread pool).
 */
const CHUNK = 1 << 30;

export type NpyVersion = 1 | 2 | 3;

export interface NpyHeader {
  readonly version: NpyVersion;
  readonly dtype: DType;
  /** The `descr` string as the file spells it, e.g. `'<f8'`. */
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Byte offset of the data in the file. */
  readonly dataOffset: number;
  /** Bytes of data the header promises. */
  readonly dataBytes: number;
}

/** numpy's spelling of a shape tuple: `()`, `(5,)`, `(2, 3)`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Reads of a large file run as up to this many calls at once, each into its own share of the
 * array, so that the page faults and the copy out of the page cache use every core. A 4 GiB load
 * (bench/suites/alloc.ts, page cache warm, other jobs paused) took 450-1530 ms as one call at a
 * time, 268-319 ms as two at once and 243-288 ms as four (libuv's pool has four threads).
 */
const READERS = 4;
/** The smallest share a reader gets: below it a trip through libuv's pool costs more than it saves. */
const MIN_SHARE = 32 << 20;
/** Shares start on 2 MiB boundaries, so no huge page is faulted in by two readers. */
const SHARE_ALIGN = 2 << 20;

/** Bytes read into `into` from `position`: all of them, unless the file ends first. */
async function readExactly(fh: FileHandle, into: Uint8Array, position: number): Promise<number> {
  const readers = Math.min(READERS, Math.floor(into.length / MIN_SHARE));
  if (readers < 2) return readRange(fh, into, position);
  const share = Math.ceil(into.length / readers / SHARE_ALIGN) * SHARE_ALIGN;
  const reads: Array<Promise<number>> = [];
  for (let start = 0; start < into.length; start += share) {
    reads.push(readRange(fh, into.subarray(start, Math.min(into.length, start + share)), position + start));
  }
  // every read settles before the caller may close the file
  const results = await Promise.allSettled(reads);
  let done = 0;
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
    done += result.value;
  }
  return done;
}

async function readRange(fh: FileHandle, into: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, Math.min(CHUNK, into.length - done), position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/**
 * Synchronous reads of the few header bytes, so `openMemmap` can stay synchronous like numpy's;
 * from an fd, or from `.npy` bytes already in memory (an array that travelled by value).
 */
function readSyncExactly(fd: number | Uint8Array, into: Uint8Array, position: number): number {
  if (typeof fd !== 'number') {
    const part = fd.subarray(Math.min(position, fd.length), Math.min(position + into.length, fd.length));
    into.set(part);
    return part.length;
  }
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Reads and checks the header of the `.npy` file open as `fd` (or of `.npy` bytes), refusing what
 * numpy's `_read_array_header`, and the array it then makes, refuse. `name` is what messages call the file.
 * @internal Also used by `openMemmap`.
 */
export function readHeader(fd: number | Uint8Array, fn: string, name: string): NpyHeader {
  const where = name;
  const malformed = (what: string, cause?: unknown): NpyFormatError =>
    new NpyFormatError(`${fn}: ${where} has a malformed header: ${what}`, cause === undefined ? undefined : { cause });
  const preamble = new Uint8Array(12);
  const got = readSyncExactly(fd, preamble, 0);
  if (!MAGIC.every((b, i) => i >= got || preamble[i] === b) || got === 0) {
    throw new NpyFormatError(`${fn}: ${where} is not a .npy file: it does not start with the magic string \\x93NUMPY`);
  }
  if (got < 8) throw new NpyFormatError(`${fn}: ${where} is truncated: it ends after ${got} bytes, inside the magic string and version`);
  const major = preamble[6]!, minor = preamble[7]!;
  if (minor !== 0 || major < 1 || major > 3) {
    throw new NpyFormatError(`${fn}: ${where} has .npy format version ${major}.${minor}; versions 1.0, 2.0 and 3.0 are supported`);
  }
  const version = major as NpyVersion;
  const view = new DataView(preamble.buffer);
  const start = version === 1 ? 10 : 12;
  if (got < start) throw new NpyFormatError(`${fn}: ${where} is truncated: it ends after ${got} bytes, inside the length of its header`);
  const headerLength = version === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  // numpy counts characters; a UTF-8 character is at most 4 bytes
  const tooLong = (chars: number): NpyFormatError => new NpyFormatError(
    `${fn}: ${where} has a header of ${chars} ${version === 3 ? 'characters' : 'bytes'}, more than the ${MAX_HEADER_SIZE} numpy reads (its max_header_size): a header that long is not what numpy writes`);
  if (headerLength > (version === 3 ? 4 : 1) * MAX_HEADER_SIZE) throw tooLong(headerLength);
  const headerBytes = new Uint8Array(headerLength);
  if (readSyncExactly(fd, headerBytes, start) < headerLength) {
    throw new NpyFormatError(`${fn}: ${where} is truncated inside its header (it promises ${headerLength} header bytes)`);
  }
  let text: string;
  if (version === 3) {
    try {
      // ignoreBOM: a byte-order mark stays in the text, where Python refuses it
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
    } catch (error) {
      throw malformed('it is not valid UTF-8, which format 3.0 headers are', error);
    }
    const chars = [...text].length;
    if (chars > MAX_HEADER_SIZE) throw tooLong(chars);
  } else {
    text = Buffer.from(headerBytes.buffer, headerBytes.byteOffset, headerBytes.length).toString('latin1');
  }
  let dict: PythonValue;
  try {
    // numpy filters format 1.0 and 2.0 headers for Python 2's spellings (3L), not 3.0 headers
    dict = parsePythonLiteral(text, { legacy: version < 3 });
  } catch (error) {
    throw malformed((error as Error).message, error);
  }
  if (!(dict instanceof Map)) throw malformed(`expected a dict, got ${pythonRepr(dict)}`);
  const keys = [...dict.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    throw malformed(`expected exactly the keys 'descr', 'fortran_order' and 'shape', got ${show(keys)}`);
  }
  const shapeValue = dict.get('shape');
  if (!(shapeValue instanceof PythonTuple) || !shapeValue.items.every((d) => typeof d === 'number' || typeof d === 'bigint')) {
    throw malformed(`'shape' should be a tuple of integers, got ${pythonRepr(shapeValue)}`);
  }
  // the one shape check every array goes through: negative or too many elements is a ShapeError
  let shape: number[];
  try {
    const huge = shapeValue.items.find((d) => typeof d === 'bigint');
    if (huge !== undefined) throw new ShapeError(`dimension ${pythonRepr(huge)} is beyond 2^53 - 1`);
    shape = parseShape([shapeValue.items], fn, 'shape');
  } catch (error) {
    throw new ShapeError(`${fn}: ${where} has a header whose shape ${pythonRepr(shapeValue)} no array can have: ${(error as Error).message.replace(/^.*?invalid argument 'shape': /, '')}`, { cause: error });
  }
  const fortranOrder = dict.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') throw malformed(`'fortran_order' should be True or False, got ${pythonRepr(fortranOrder)}`);
  const { dtype, descr } = dtypeOfDescr(fn, where, dict.get('descr'));
  const size = sizeOf(shape);
  checkTypedArrayLength(dtype, size, fn);
  return { version, dtype, descr, fortranOrder, shape, dataOffset: start + headerLength, dataBytes: size * DTYPES[dtype].itemsize };
}

/**
 * Loads a `.npy` file into fresh shared memory, ready for pool workers (numpy's `np.load`).
 * A Fortran-order file gives an F-contiguous array, as numpy does. Every header numpy refuses is
 * refused (NpyFormatError), as are truncated files; dtypes numpy reads but a typed array cannot
 * hold (big-endian, object, structured, float16, complex, strings, datetimes) are a DTypeError; a
 * shape no array can have (negative, or more elements than can be indexed) a ShapeError; more
 * elements than one typed array holds (2^32 under Node 20) a BufferError. Never a partial array.
 * @throws {ArgumentError} (rejects) when `path` is not a non-empty path or a file: URL
 * @throws {NpyFormatError} (rejects) when the file is not a .npy file, or is malformed or truncated
 * @throws {DTypeError} (rejects) when its dtype has no typed array (big-endian, object, float16, ...)
 * @throws {ShapeError} (rejects) when its shape is negative or has more elements than can be indexed
 * @throws {BufferError} (rejects) when it holds more elements than one typed array can, or the memory cannot be allocated
 * @throws {DTypeError} (rejects) when `options.dtype` is given and the file holds another dtype
 * @throws {OSError} (rejects) when the file cannot be opened or read (ENOENT, EISDIR, EACCES, ...)
 */
export async function load<T extends DTypeLike = DType>(path: string | URL, options?: LoadOptions<T>): Promise<SharedNDArray<ResolveDType<T>>> {
  const fn = 'load';
  const name = filePath(fn, 'path', path);
  checkOptionKeys(fn, 'options', options, ['dtype']);
  const expected = options?.dtype === undefined ? undefined : resolveDType(options.dtype, 'options.dtype', fn);
  const fh = await open(name, 'r').catch((error: unknown) => { throw osError(fn, error); });
  try {
    const header = readHeader(fh.fd, fn, name);
    checkExpectedDType(fn, name, expected, header.dtype);
    const { size: fileSize } = await fh.stat();
    const available = fileSize - header.dataOffset;
    if (available < header.dataBytes) {
      throw new NpyFormatError(`${fn}: ${name} is truncated: its header promises shape ${showShape(header.shape)} of ${header.dtype}, ${header.dataBytes} bytes of data, but ${Math.max(0, available)} bytes follow the header`);
    }
    const size = sizeOf(header.shape);
    const data = allocate(header.dtype, size, fn);
    const bytes = new Uint8Array(data.buffer, 0, header.dataBytes);
    if (await readExactly(fh, bytes, header.dataOffset) < header.dataBytes) {
      throw new NpyFormatError(`${fn}: ${name} was truncated while it was read`);
    }
    return viewOf(header.dtype, data, [...header.shape], contiguousStrides(header.shape, header.fortranOrder ? 'F' : 'C'), 0) as SharedNDArray<ResolveDType<T>>;
  } catch (error) {
    // reading a directory fails only here (EISDIR), not at open
    throw osError(fn, error);
  } finally {
    await fh.close();
  }
}

export interface LoadOptions<T extends DTypeLike = DTypeLike> {
  /**
   * The dtype the file must hold (any spelling `dtype()` takes): a file of another dtype is a
   * DTypeError, and the result is typed `SharedNDArray<that dtype>` for TypeScript.
   */
  dtype?: T;
}

/**
 * `options.dtype` of load/openMemmap: the file must hold it.
 * @internal
 */
export function checkExpectedDType(fn: string, name: string, expected: DType | undefined, actual: DType): void {
  if (expected !== undefined && expected !== actual) {
    throw new DTypeError(`${fn}: ${name} holds ${actual} data, not the ${expected} that options.dtype expects (convert with astype after loading, or drop options.dtype)`);
  }
}

export interface SaveOptions {
  /** Format version; default 1.0, or 2.0 when the header does not fit 1.0's 65535 bytes (numpy's choice). */
  version?: NpyVersion;
}

/**
 * The bytes before the data: magic, version, header length and the header, space-padded and
 * ended by a newline so the data starts on a 64-byte boundary.
 * @internal Also used by `createMemmap`.
 */
export function encodeHeader(fn: string, dtype: DType, shape: readonly number[], fortranOrder: boolean, version?: NpyVersion): Uint8Array {
  const dict = `{'descr': '${DTYPES[dtype].descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${pyTuple(shape)}, }`;
  const fits1 = (bytes: number): boolean => bytes <= 0xffff;
  const v = version ?? (fits1(dict.length + ALIGN) ? 1 : 2);
  const prefix = v === 1 ? 10 : 12;
  const padded = Math.ceil((prefix + dict.length + 1) / ALIGN) * ALIGN - prefix;
  if (v === 1 && !fits1(padded)) throw new ArgumentError(`${fn}: invalid argument 'options.version': a header of ${padded} bytes does not fit version 1.0 (at most 65535); use 2`);
  const out = new Uint8Array(prefix + padded);
  out.set(MAGIC);
  out[6] = v;
  const view = new DataView(out.buffer);
  if (v === 1) view.setUint16(8, padded, true);
  else view.setUint32(8, padded, true);
  out.set(new TextEncoder().encode(`${dict.padEnd(padded - 1, ' ')}\n`), prefix);
  return out;
}

/**
 * Writes `array` as a `.npy` file numpy reads (`np.save`). A C- or F-contiguous array is written
 * from its own memory (F as `fortran_order: True`, as numpy does); any other view is copied to C
 * order first.
 * @throws {ArgumentError} (rejects) when `path`, `array` or `options.version` is invalid
 * @throws {OSError} (rejects) when the file cannot be opened or written (ENOENT, EACCES, ENOSPC, ...)
 */
export async function save(path: string | URL, array: SharedNDArray, options: SaveOptions = {}): Promise<void> {
  const fn = 'save';
  const name = filePath(fn, 'path', path);
  if (!(array instanceof SharedNDArray)) throw new ArgumentError(`${fn}: invalid argument 'array': expected a SharedNDArray, got ${show(array)}`);
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: invalid argument 'options': expected an options object, got ${show(options)}`);
  const { version } = options;
  if (version !== undefined && version !== 1 && version !== 2 && version !== 3) {
    throw new ArgumentError(`${fn}: invalid argument 'options.version': expected 1, 2 or 3, got ${show(version)}`);
  }
  const fortran = !array.isContiguous('C') && array.isContiguous('F');
  const source = array.isContiguous('C') || fortran ? array : array.copy('C');
  const header = encodeHeader(fn, source.dtype, source.shape, fortran, version);
  // `data` is already the view's own elements (from its offset on)
  const data = source.data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // 'w' without O_TRUNC: an existing file is overwritten in place and cut to length after. Freeing
  // its blocks first and allocating them again as the data comes (delayed allocation) made a
  // rewrite of 1 GiB take 2-3x np.save's time, which preallocates (fallocate) for the same reason.
  const fh = await open(name, constants.O_WRONLY | constants.O_CREAT, 0o666).catch((error: unknown) => { throw osError(fn, error); });
  try {
    await fh.write(header, 0, header.length, 0);
    for (let done = 0; done < bytes.length; done += CHUNK) {
      const chunk = bytes.subarray(done, Math.min(bytes.length, done + CHUNK));
      let written = 0;
      while (written < chunk.length) {
        const { bytesWritten } = await fh.write(chunk, written, chunk.length - written, header.length + done + written);
        written += bytesWritten;
      }
    }
    if ((await fh.stat()).isFile()) await fh.truncate(header.length + bytes.length);
  } catch (error) {
    throw osError(fn, error); // ENOSPC, EFBIG, ...
  } finally {
    await fh.close();
  }
}

/**
 * `array` as the bytes of a `.npy` file, in memory: what a small array sends to another machine.
 * Like `save`, a C- or F-contiguous array is not copied first; any other view is.
 * @internal Used by cluster/.
 */
export function toNpyBytes(fn: string, array: SharedNDArray): Uint8Array {
  const fortran = !array.isContiguous('C') && array.isContiguous('F');
  const source = array.isContiguous('C') || fortran ? array : array.copy('C');
  const header = encodeHeader(fn, source.dtype, source.shape, fortran);
  const data = source.data;
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

/**
 * The inverse of `toNpyBytes` (numpy's `np.load(io.BytesIO(bytes))`): a fresh array in shared memory.
 * @internal Used by cluster/.
 * @throws {NpyFormatError} when `bytes` are not a whole `.npy` file
 */
export function fromNpyBytes(fn: string, bytes: Uint8Array, name: string): SharedNDArray {
  const header = readHeader(bytes, fn, name);
  if (bytes.length - header.dataOffset < header.dataBytes) {
    throw new NpyFormatError(`${fn}: ${name} is truncated: its header promises ${header.dataBytes} bytes of data, but ${Math.max(0, bytes.length - header.dataOffset)} bytes follow the header`);
  }
  const data = allocate(header.dtype, sizeOf(header.shape), fn);
  new Uint8Array(data.buffer, 0, header.dataBytes).set(bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes));
  return viewOf(header.dtype, data, [...header.shape], contiguousStrides(header.shape, header.fortranOrder ? 'F' : 'C'), 0);
}
