/**
 * Python's `mmap.mmap` object: a file (or anonymous memory) mapped into memory, read and written
 * like a file (read, readline, write, seek, tell, find) and like a byte string (get, slice,
 * assign). The memory is a SharedArrayBuffer (`buffer`), so views of it go to pool workers with
 * zero copies, and other processes that map the same file see the same bytes.
 */
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { ArgumentError, BufferError, IndexError, ReadOnlyError, ValueError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { BUFFER_ALIGN, flush, mapAnonymous, mapFile, osError, type MapMode } from './native.js';

/**
 * Python's ACCESS_READ, ACCESS_WRITE (the default: writes reach the file) and ACCESS_COPY
 * (writable, but writes stay in this process).
 */
export type MMapAccess = 'read' | 'write' | 'copy';

export interface MMapOptions {
  /** Default 'write', Python's default for a file opened for writing. */
  access?: MMapAccess;
  /** Byte offset in the file where the map starts; any offset, page-aligned or not. Default 0. */
  offset?: number;
}

/** What to map: a path, a `file:` URL, an open file descriptor or FileHandle, or -1 for anonymous memory. */
export type MMapFile = string | URL | number | FileHandle;

/** Bytes in: a Buffer, typed array or DataView (its bytes), or a string (its UTF-8 encoding). */
export type BytesLike = string | ArrayBufferView;

const ACCESS: readonly MMapAccess[] = ['read', 'write', 'copy'];
const MODE: Record<MMapAccess, MapMode> = { read: 'r', write: 'r+', copy: 'c' };

function toBytes(fn: string, name: string, value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new ArgumentError(`${fn}: invalid argument '${name}': expected a Buffer, typed array, DataView or string, got ${show(value)}`);
}

function integer(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected an integer, got ${show(value)}`);
  }
  return value;
}

function nonnegative(fn: string, name: string, value: unknown): number {
  if (integer(fn, name, value) < 0) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a nonnegative integer, got ${value as number}`);
  }
  return value as number;
}

/** Python's slice-index clamping: negative counts from the end, then clamp to [0, length]. */
function clampIndex(value: number, length: number): number {
  if (value < 0) return Math.max(0, value + length);
  return Math.min(value, length);
}

/** The descriptors MMaps hold for `size()` (#holdFile), closed when a map is collected unclosed. */
const heldFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
});

function isFileHandle(value: unknown): value is FileHandle {
  return typeof value === 'object' && value !== null && typeof (value as FileHandle).fd === 'number'
    && typeof (value as FileHandle).close === 'function';
}

/**
 * A memory map, after Python's `mmap.mmap(fileno, length, access=..., offset=...)`:
 *
 * ```ts
 * const mm = new MMap('hello.txt', 0);          // the whole file, read-write
 * mm.readline();                                 // <Buffer 'Hello Python!\n'>
 * mm.assign(6, mm.length, ' world!\n');          // mm[6:] = b" world!\n"
 * mm.close();
 * ```
 *
 * `file` is a path, a `file:` URL, an open file descriptor or FileHandle (its open mode must allow
 * the access; it stays open and yours), or -1 for `length` bytes of anonymous shared memory.
 * `length` 0 maps the whole file from `offset`; a file shorter than offset + length is refused
 * (ValueError), as is an empty file. Unlike Python, `offset` need not be a multiple of the page
 * size; `buffer` needs a multiple of 8.
 *
 * Indices follow Python: negative ones count from the end. Bytes come out as Buffers (copies).
 * Bytes go in as Buffers, typed arrays or strings; a string is written as its UTF-8 bytes, and
 * `find` looks for its UTF-8 bytes. Read access refuses every write through this API
 * (ReadOnlyError); a raw write through `buffer` then changes only this process's private copy.
 *
 * Lifetime: `close()` (or `using`) drops this object's hold on the memory; every method then
 * throws ValueError "mmap closed or invalid". The memory itself stays mapped while any view or
 * worker still holds `buffer`, and is unmapped when the last holder is garbage collected, so a
 * view never outlives its memory. Writes reach the file in their own time; `flush()` forces them.
 *
 * Not supported: `resize` and `move` (a SharedArrayBuffer cannot change size under its views),
 * `madvise`, slices with a step.
 */
export class MMap implements Disposable {
  /** The access this map was opened with. */
  readonly access: MMapAccess;
  /** The file offset the map starts at. */
  readonly offset: number;
  #buffer: SharedArrayBuffer | undefined;
  /** The mapped bytes: `#buffer` from byte `offset % BUFFER_ALIGN` (see mapFile). */
  #bytes: Buffer | undefined;
  #pos = 0;
  /** Where `size()` reads the file size: a path, a descriptor, or nothing for anonymous memory. */
  readonly #file: { path: string } | { fd: number } | undefined;

  /**
   * @throws {ArgumentError} when `file`, `length` or an option is invalid
   * @throws {ValueError} when the file is empty or shorter than offset + length
   * @throws {OSError} when the file cannot be opened or mapped
   * @throws {NativeUnavailableError} when the native addon is not built or does not load
   */
  constructor(file: MMapFile, length: number, options: MMapOptions = {}) {
    const fn = 'MMap';
    checkOptionKeys(fn, 'options', options, ['access', 'offset']);
    const access = options.access ?? 'write';
    if (!ACCESS.includes(access)) {
      throw new ArgumentError(`${fn}: invalid argument 'options.access': expected 'read', 'write' or 'copy', got ${show(access)}`);
    }
    const offset = nonnegative(fn, 'options.offset', options.offset ?? 0);
    nonnegative(fn, 'length', length);
    this.access = access;
    this.offset = offset;

    if (file === -1) {
      if (length === 0) throw new ValueError(`${fn}: cannot map an empty anonymous region: expected a length above 0`);
      if (offset !== 0) throw new ValueError(`${fn}: anonymous memory has no offset: expected options.offset 0, got ${offset}`);
      this.#file = undefined;
      this.#buffer = mapAnonymous(length);
      this.#bytes = Buffer.from(this.#buffer);
    } else {
      let fd: number;
      let own = false;
      if (typeof file === 'number') {
        if (!Number.isSafeInteger(file) || file < 0) {
          throw new ArgumentError(`${fn}: invalid argument 'file': expected a path, URL, file descriptor, FileHandle or -1, got ${show(file)}`);
        }
        fd = file;
      } else if (isFileHandle(file)) {
        fd = file.fd;
      } else {
        let path: string;
        if (file instanceof URL) path = fileURLToPath(file);
        else if (typeof file === 'string' && file !== '') path = file;
        else throw new ArgumentError(`${fn}: invalid argument 'file': expected a path, URL, file descriptor, FileHandle or -1, got ${show(file)}`);
        try {
          // O_NONBLOCK: a FIFO fails in mapFile instead of blocking here (regular files ignore it)
          fd = openSync(path, (access === 'write' ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NONBLOCK);
        } catch (error) {
          throw osError(fn, error);
        }
        own = true;
        this.#file = { path };
      }
      try {
        let size: number;
        try {
          size = fstatSync(fd).size;
        } catch (error) {
          throw osError(fn, error);
        }
        // Python's checks and messages
        if (length === 0) {
          if (size === 0) throw new ValueError(`${fn}: cannot mmap an empty file`);
          if (offset >= size) throw new ValueError(`${fn}: mmap offset is greater than file size (offset ${offset}, file ${size} bytes)`);
          length = size - offset;
        } else if (offset > size || size - offset < length) {
          throw new ValueError(`${fn}: mmap length is greater than file size (offset ${offset} + length ${length} > file ${size} bytes)`);
        }
        const mapped = mapFile(fd, MODE[access], offset, length);
        this.#buffer = mapped.buffer;
        this.#bytes = Buffer.from(mapped.buffer, mapped.byteOffset, mapped.byteLength);
        if (!own) this.#file = { fd: this.#holdFile(fd) };
      } finally {
        if (own) closeSync(fd);
      }
    }
  }

  /**
   * A descriptor of the caller's file that stays valid after the caller closes theirs, as
   * Python's mmap dup()s it: `size()` must stat this file, not whatever file later reuses the
   * number. Reopening /dev/fd/N is a dup for this purpose (same file, even renamed or deleted);
   * closed by `close()`, or when the map is collected unclosed.
   */
  #holdFile(fd: number): number {
    let own: number;
    try {
      own = openSync(`/dev/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      // a file this process may map but not reopen for reading: stat the caller's descriptor
      return fd;
    }
    heldFiles.register(this, own, this);
    return own;
  }

  /** The mapped bytes, for methods; throws once closed. */
  #mem(fn: string): Buffer {
    if (!this.#bytes) throw new ValueError(`MMap.${fn}: mmap closed or invalid`);
    return this.#bytes;
  }

  #writable(fn: string): Buffer {
    const bytes = this.#mem(fn);
    if (this.access === 'read') throw new ReadOnlyError(`MMap.${fn}: mmap can't modify a readonly memory map`);
    return bytes;
  }

  /**
   * The mapped memory as a SharedArrayBuffer: wrap it in typed arrays or `frombuffer` for a
   * SharedNDArray, and hand those to workers, all without copying. It stays valid after `close()`.
   *
   * Only for a map whose offset is a multiple of 8 (any offset Python accepts is one): a
   * SharedArrayBuffer must start 8-byte aligned, because a typed array over a misaligned one
   * aborts the process. Other offsets throw BufferError here; the methods work at any offset.
   * @throws {ValueError} when the map is closed
   * @throws {BufferError} when the map's offset is not a multiple of 8
   */
  get buffer(): SharedArrayBuffer {
    const bytes = this.#mem('buffer');
    if (bytes.byteOffset !== 0) {
      throw new BufferError(
        `MMap.buffer: this map starts at file offset ${this.offset}, which is not a multiple of ${BUFFER_ALIGN}, and a SharedArrayBuffer must start ` +
        `${BUFFER_ALIGN}-byte aligned (a typed array over a misaligned one aborts the process): map from offset ${this.offset - bytes.byteOffset} ` +
        `and view from byte ${bytes.byteOffset}, or use this map's methods (read, slice, find, ...), which work at any offset`);
    }
    return this.#buffer!;
  }

  /**
   * The number of bytes mapped (Python's `len(mm)`).
   * @throws {ValueError} when the map is closed
   */
  get length(): number {
    return this.#mem('length').length;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#bytes === undefined;
  }

  /**
   * The size of the file now (which may differ from `length`); for anonymous memory, `length`.
   * @throws {ValueError} when the map is closed
   * @throws {OSError} when the file cannot be stat'ed
   */
  size(): number {
    const bytes = this.#mem('size');
    const file = this.#file;
    if (!file) return bytes.length;
    try {
      return 'path' in file ? statSync(file.path).size : fstatSync(file.fd).size;
    } catch (error) {
      throw osError('MMap.size', error);
    }
  }

  /** The current position. */
  tell(): number {
    this.#mem('tell');
    return this.#pos;
  }

  /**
   * Moves the position to `pos` bytes from the start (`whence` 0), from the current position (1)
   * or from the end (2), and returns it. A position outside [0, length] is refused (ValueError).
   * @throws {ValueError} when the position would leave [0, length], `whence` is not 0, 1 or 2, or the map is closed
   * @throws {ArgumentError} when `pos` is not an integer
   */
  seek(pos: number, whence: 0 | 1 | 2 = 0): number {
    const bytes = this.#mem('seek');
    integer('MMap.seek', 'pos', pos);
    if (whence !== 0 && whence !== 1 && whence !== 2) {
      throw new ValueError(`MMap.seek: unknown seek type: expected whence 0, 1 or 2, got ${show(whence)}`);
    }
    const target = pos + (whence === 0 ? 0 : whence === 1 ? this.#pos : bytes.length);
    if (target < 0 || target > bytes.length) {
      throw new ValueError(`MMap.seek: seek out of range: position ${target} is outside [0, ${bytes.length}]`);
    }
    this.#pos = target;
    return target;
  }

  /**
   * Up to `n` bytes from the position (all the rest when `n` is omitted or negative), advancing it.
   * @throws {ArgumentError} when `n` is not an integer
   * @throws {ValueError} when the map is closed
   */
  read(n?: number | null): Buffer {
    const bytes = this.#mem('read');
    const rest = bytes.length - this.#pos;
    const count = n === undefined || n === null ? rest : integer('MMap.read', 'n', n) < 0 ? rest : Math.min(n, rest);
    const out = Buffer.from(bytes.subarray(this.#pos, this.#pos + count));
    this.#pos += count;
    return out;
  }

  /**
   * The byte at the position, as a number, advancing it; ValueError at the end.
   * @throws {ValueError} at the end, or when the map is closed
   */
  readByte(): number {
    const bytes = this.#mem('readByte');
    if (this.#pos >= bytes.length) throw new ValueError('MMap.readByte: read byte out of range');
    return bytes[this.#pos++]!;
  }

  /** The bytes from the position through the next "\n" (included), or to the end; advances past them. */
  readline(): Buffer {
    const bytes = this.#mem('readline');
    const newline = bytes.indexOf(10, this.#pos);
    const stop = newline === -1 ? bytes.length : newline + 1;
    const out = Buffer.from(bytes.subarray(this.#pos, stop));
    this.#pos = stop;
    return out;
  }

  /**
   * Writes `data` at the position and advances past it; returns the number of bytes written. Data
   * that does not fit before the end is refused whole (ValueError), since a map cannot grow.
   * @throws {ReadOnlyError} when the access is read
   * @throws {ArgumentError} when `data` is not bytes or a string
   * @throws {ValueError} when `data` does not fit before the end, or the map is closed
   */
  write(data: BytesLike): number {
    const bytes = this.#writable('write');
    const src = toBytes('MMap.write', 'data', data);
    if (src.length > bytes.length - this.#pos) {
      throw new ValueError(`MMap.write: data out of range: ${src.length} bytes at position ${this.#pos} of ${bytes.length}`);
    }
    bytes.set(src, this.#pos);
    this.#pos += src.length;
    return src.length;
  }

  /**
   * Writes one byte (0 to 255) at the position and advances; ValueError at the end.
   * @throws {ReadOnlyError} when the access is read
   * @throws {ArgumentError} when `byte` is not an integer from 0 to 255
   * @throws {ValueError} at the end, or when the map is closed
   */
  writeByte(byte: number): void {
    const bytes = this.#writable('writeByte');
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
      throw new ArgumentError(`MMap.writeByte: invalid argument 'byte': expected an integer from 0 to 255, got ${show(byte)}`);
    }
    if (this.#pos >= bytes.length) throw new ValueError('MMap.writeByte: write byte out of range');
    bytes[this.#pos++] = byte;
  }

  /** find and rfind: `sub` wholly inside [start, end), with Python's defaults and clamping. */
  #search(fn: 'find' | 'rfind', sub: unknown, start: number | undefined, end: number | undefined): number {
    const bytes = this.#mem(fn);
    const needle = toBytes(`MMap.${fn}`, 'sub', sub);
    // Python's default start is the current position, not 0
    const s = clampIndex(start === undefined ? this.#pos : integer(`MMap.${fn}`, 'start', start), bytes.length);
    const e = clampIndex(end === undefined ? bytes.length : integer(`MMap.${fn}`, 'end', end), bytes.length);
    if (e - s < needle.length) return -1;
    if (needle.length === 0) return fn === 'find' ? s : e;
    const region = bytes.subarray(s, e);
    const i = fn === 'find' ? region.indexOf(needle) : region.lastIndexOf(needle);
    return i === -1 ? -1 : s + i;
  }

  /**
   * The lowest index of `sub` wholly inside [start, end), or -1. `start` defaults to the current
   * position (as in Python), `end` to the end; negative ones count from the end.
   * @throws {ArgumentError} when `sub` is not bytes or a string, or a bound is not an integer
   * @throws {ValueError} when the map is closed
   */
  find(sub: BytesLike, start?: number, end?: number): number {
    return this.#search('find', sub, start, end);
  }

  /**
   * The highest index of `sub` wholly inside [start, end), or -1; defaults as `find`.
   * @throws {ArgumentError} when `sub` is not bytes or a string, or a bound is not an integer
   * @throws {ValueError} when the map is closed
   */
  rfind(sub: BytesLike, start?: number, end?: number): number {
    return this.#search('rfind', sub, start, end);
  }

  /**
   * The byte at `index` (Python's `mm[i]`); negative counts from the end; IndexError outside.
   * @throws {IndexError} when `index` is out of range
   * @throws {ArgumentError} when `index` is not an integer
   * @throws {ValueError} when the map is closed
   */
  get(index: number): number {
    const bytes = this.#mem('get');
    return bytes[this.#index('get', index, bytes.length)]!;
  }

  /**
   * Sets the byte at `index` (Python's `mm[i] = byte`).
   * @throws {ReadOnlyError} when the access is read
   * @throws {IndexError} when `index` is out of range
   * @throws {ArgumentError} when `index` is not an integer, or `byte` not one from 0 to 255
   * @throws {ValueError} when the map is closed
   */
  set(index: number, byte: number): void {
    const bytes = this.#writable('set');
    const i = this.#index('set', index, bytes.length);
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
      throw new ArgumentError(`MMap.set: invalid argument 'byte': expected an integer from 0 to 255, got ${show(byte)}`);
    }
    bytes[i] = byte;
  }

  #index(fn: string, index: number, length: number): number {
    const i = integer(`MMap.${fn}`, 'index', index);
    const j = i < 0 ? i + length : i;
    if (j < 0 || j >= length) throw new IndexError(`MMap.${fn}: mmap index out of range: ${i} for a map of ${length} bytes`);
    return j;
  }

  /**
   * A copy of the bytes [start, stop) (Python's `mm[start:stop]`), with Python's slice clamping.
   * @throws {ArgumentError} when a bound is not an integer
   * @throws {ValueError} when the map is closed
   */
  slice(start = 0, stop?: number): Buffer {
    const bytes = this.#mem('slice');
    const s = clampIndex(integer('MMap.slice', 'start', start), bytes.length);
    const e = clampIndex(stop === undefined ? bytes.length : integer('MMap.slice', 'stop', stop), bytes.length);
    return Buffer.from(bytes.subarray(s, Math.max(s, e)));
  }

  /**
   * Python's `mm[start:stop] = data`: `data` must have exactly as many bytes as the slice has,
   * since a map cannot change size (IndexError "mmap slice assignment is wrong size").
   * @throws {ReadOnlyError} when the access is read
   * @throws {IndexError} when `data` is not exactly as long as the slice
   * @throws {ArgumentError} when a bound is not an integer, or `data` is not bytes or a string
   * @throws {ValueError} when the map is closed
   */
  assign(start: number, stop: number | undefined, data: BytesLike): void {
    const bytes = this.#writable('assign');
    const s = clampIndex(integer('MMap.assign', 'start', start), bytes.length);
    const e = Math.max(s, clampIndex(stop === undefined ? bytes.length : integer('MMap.assign', 'stop', stop), bytes.length));
    const src = toBytes('MMap.assign', 'data', data);
    if (src.length !== e - s) {
      throw new IndexError(`MMap.assign: mmap slice assignment is wrong size: ${src.length} bytes for a slice of ${e - s}`);
    }
    bytes.set(src, s);
  }

  /**
   * Writes changes in [offset, offset + size) back to the file and waits (msync). Does nothing for
   * read or copy access and anonymous memory, whose writes never reach a file.
   * @throws {ArgumentError} when `offset` or `size` is not a nonnegative integer
   * @throws {ValueError} when the range passes the end, or the map is closed
   * @throws {OSError} when msync fails
   */
  flush(offset = 0, size?: number): void {
    const bytes = this.#mem('flush');
    const o = nonnegative('MMap.flush', 'offset', offset);
    const n = size === undefined ? bytes.length - o : nonnegative('MMap.flush', 'size', size);
    if (o + n > bytes.length) {
      throw new ValueError(`MMap.flush: flush values out of range: offset ${o} + size ${n} > length ${bytes.length}`);
    }
    if (this.access !== 'write' || !this.#file) return;
    flush(this.#buffer!, bytes.byteOffset + o, n);
  }

  /**
   * Drops this object's hold on the memory; calling it again does nothing. Views of `buffer` keep
   * the memory mapped until they are collected; unwritten changes still reach the file.
   */
  close(): void {
    this.#bytes = undefined;
    this.#buffer = undefined;
    if (heldFiles.unregister(this) && this.#file && 'fd' in this.#file) closeSync(this.#file.fd);
  }

  /** Python's repr: `<MMap closed=false, access='write', length=4096, pos=0, offset=0>`, or `<MMap closed=true>`. */
  toString(): string {
    if (!this.#bytes) return '<MMap closed=true>';
    return `<MMap closed=false, access='${this.access}', length=${this.#bytes.length}, pos=${this.#pos}, offset=${this.offset}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
