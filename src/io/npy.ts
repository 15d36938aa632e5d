/**
 * numpy's `.npy` format, versions 1.0, 2.0 and 3.0: a magic string, a version, the length of a
 * header, the header (a Python dict literal naming `descr`, `fortran_order` and `shape`, padded
 * so the data starts on a 64-byte boundary), then the raw little-endian data.
 *
 * `load` reads straight into shared memory in chunks, so a file larger than 2 GiB (the most one
 * read call moves) loads like any other; `save` writes from the array's own memory when it is
 * contiguous. The header is parsed by a small parser for exactly the Python literals numpy
 * writes, never evaluated.
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ArgumentError, DTypeError, NpyFormatError } from '../errors.js';
import { filePath, show, showShape } from '../check.js';
import { DTYPES, resolveDType, type DType } from '../ndarray/dtype.js';
import { contiguousStrides, sizeOf } from '../ndarray/layout.js';
import { allocate } from '../ndarray/memory.js';
import { SharedNDArray, viewOf } from '../ndarray/ndarray.js';
import { parsePythonLiteral, type PythonValue } from './python-literal.js';

const MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY
/** numpy refuses to read longer headers unless asked (`np.load(max_header_size=...)`). */
export const MAX_HEADER_SIZE = 10_000;
const ALIGN = 64;
/** Bytes per read or write call: well under the 2 GiB one call can move. */
const CHUNK = 1 << 26;

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

/** The dtype a `descr` names, or an error saying why it cannot be a SharedNDArray. */
function dtypeOfDescr(fn: string, where: string, descr: PythonValue | undefined): { dtype: DType; descr: string } {
  if (Array.isArray(descr)) {
    throw new DTypeError(`${fn}: ${where} holds a structured dtype (fields ${show(descr.map((f) => (Array.isArray(f) ? f[0] : f)))}), which has no typed array: save each field as its own array`);
  }
  if (typeof descr !== 'string') throw new NpyFormatError(`${fn}: ${where}: the header's 'descr' should be a dtype string, got ${show(descr)}`);
  const match = /^([<>|=!]?)([a-zA-Z?])(\d*)/.exec(descr);
  const [, order = '', kind = '', size = ''] = match ?? [];
  const named = (what: string, hint: string): DTypeError => new DTypeError(`${fn}: ${where} has dtype ${show(descr)} (${what}), which a SharedNDArray cannot hold: ${hint}`);
  if (kind === 'O') throw named('Python objects, stored pickled', 'object arrays are not supported');
  if ('USaV'.includes(kind) && kind !== '') throw named('strings or raw bytes', 'only numeric and bool dtypes are supported');
  if (kind === 'M' || kind === 'm') throw named('datetime64/timedelta64', "convert it with numpy first, e.g. a.astype('<i8')");
  if (kind === 'c') throw named('complex', 'save the real and imaginary parts as two float arrays');
  if (kind === 'f' && size === '2') throw named('float16', "JavaScript has no float16 typed array; convert it with numpy first, e.g. a.astype('<f4')");
  if ((order === '>' || order === '!') && size !== '1') throw named('big-endian', "typed arrays are little-endian on this host; convert it with numpy first, e.g. a.astype(a.dtype.newbyteorder('<'))");
  try {
    return { dtype: resolveDType(order === '>' ? descr.slice(1) : descr, 'descr', fn), descr };
  } catch (error) {
    throw new DTypeError(`${fn}: ${where} has dtype ${show(descr)}, which a SharedNDArray cannot hold`, { cause: error });
  }
}

/** numpy's spelling of a shape tuple: `()`, `(5,)`, `(2, 3)`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

async function readExactly(fh: FileHandle, into: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, Math.min(CHUNK, into.length - done), position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** Synchronous reads of the few header bytes, so `openMemmap` can stay synchronous like numpy's. */
function readSyncExactly(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Reads and checks the header of the `.npy` file open as `fd`. `name` is what messages call the file.
 * @internal Also used by `openMemmap`.
 */
export function readHeader(fd: number, fn: string, name: string): NpyHeader {
  const where = name;
  const preamble = new Uint8Array(12);
  const got = readSyncExactly(fd, preamble, 0);
  if (got < 10 || !MAGIC.every((b, i) => preamble[i] === b)) {
    throw new NpyFormatError(`${fn}: ${where} is not a .npy file: it does not start with the magic string \\x93NUMPY`);
  }
  const major = preamble[6]!, minor = preamble[7]!;
  if (minor !== 0 || major < 1 || major > 3) {
    throw new NpyFormatError(`${fn}: ${where} has .npy format version ${major}.${minor}; versions 1.0, 2.0 and 3.0 are supported`);
  }
  const version = major as NpyVersion;
  const view = new DataView(preamble.buffer);
  const start = version === 1 ? 10 : 12;
  if (got < start) throw new NpyFormatError(`${fn}: ${where} is truncated inside its header`);
  const headerLength = version === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_SIZE) {
    throw new NpyFormatError(`${fn}: ${where} has a header of ${headerLength} bytes, more than the ${MAX_HEADER_SIZE} numpy reads (its max_header_size): a header that long is not what numpy writes`);
  }
  const headerBytes = new Uint8Array(headerLength);
  if (readSyncExactly(fd, headerBytes, start) < headerLength) {
    throw new NpyFormatError(`${fn}: ${where} is truncated inside its header (it promises ${headerLength} header bytes)`);
  }
  let text: string;
  try {
    text = new TextDecoder(version === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(headerBytes);
  } catch (error) {
    throw new NpyFormatError(`${fn}: ${where} has a malformed header: it is not valid UTF-8, which format 3.0 headers are`, { cause: error });
  }
  let dict: PythonValue;
  try {
    dict = parsePythonLiteral(text);
  } catch (error) {
    throw new NpyFormatError(`${fn}: ${where} has a malformed header: ${(error as Error).message}`, { cause: error });
  }
  if (!(dict instanceof Map)) throw new NpyFormatError(`${fn}: ${where} has a malformed header: expected a dict, got ${show(text.trim())}`);
  const keys = [...dict.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    throw new NpyFormatError(`${fn}: ${where} has a malformed header: expected exactly the keys 'descr', 'fortran_order' and 'shape', got ${show(keys)}`);
  }
  const fortranOrder = dict.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') throw new NpyFormatError(`${fn}: ${where} has a malformed header: 'fortran_order' should be True or False, got ${show(fortranOrder)}`);
  const shapeValue = dict.get('shape');
  if (!Array.isArray(shapeValue) || !shapeValue.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new NpyFormatError(`${fn}: ${where} has a malformed header: 'shape' should be a tuple of non-negative integers, got ${show(shapeValue)}`);
  }
  const shape = shapeValue as number[];
  const { dtype, descr } = dtypeOfDescr(fn, where, dict.get('descr'));
  const dataBytes = sizeOf(shape) * DTYPES[dtype].itemsize;
  if (!Number.isSafeInteger(dataBytes)) throw new NpyFormatError(`${fn}: ${where} has a header whose shape ${showShape(shape)} is too large to address`);
  return { version, dtype, descr, fortranOrder, shape, dataOffset: start + headerLength, dataBytes };
}

/**
 * Loads a `.npy` file into fresh shared memory, ready for pool workers (numpy's `np.load`).
 * A Fortran-order file gives an F-contiguous array, as numpy does. Truncated or malformed files,
 * and dtypes a typed array cannot hold (big-endian, object, structured, float16, complex,
 * strings), are errors, never a partial array.
 * @throws {ArgumentError} (rejects) when `path` is not a non-empty path or a file: URL
 * @throws {NpyFormatError} (rejects) when the file is not a .npy file, or is malformed or truncated
 * @throws {DTypeError} (rejects) when its dtype has no typed array (big-endian, object, float16, ...)
 * @throws {BufferError} (rejects) when the memory cannot be allocated
 * @throws {Error} (rejects) Node's fs error when the file cannot be read (ENOENT, ...)
 */
export async function load(path: string | URL): Promise<SharedNDArray> {
  const fn = 'load';
  const name = filePath(fn, 'path', path);
  const fh = await open(name, 'r');
  try {
    const header = readHeader(fh.fd, fn, name);
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
    return viewOf(header.dtype, data, [...header.shape], contiguousStrides(header.shape, header.fortranOrder ? 'F' : 'C'), 0);
  } finally {
    await fh.close();
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
 * @throws {Error} (rejects) Node's fs error when the file cannot be written (EACCES, ...)
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
  const fh = await open(name, 'w');
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
  } finally {
    await fh.close();
  }
}
