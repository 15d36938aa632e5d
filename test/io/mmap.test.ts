import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import {
  ArgumentError, IndexError, MMap, OSError, ReadOnlyError, SharedNDArrayError, ValueError, frombuffer, type MMapAccess,
} from '../../src/index.js';

/** Python's mmap object (src/io/mmap.ts), checked against what CPython 3 does for the same calls. */

let dir = '';
let counter = 0;
function file(bytes: Uint8Array | string): string {
  const path = join(dir, `m${counter++}.bin`);
  writeFileSync(path, bytes);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-ndarray-mmap-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the article (Python docs) example', () => {
  it('readline, slice, same-size slice assignment, seek, readline, close', () => {
    const hello = file('Hello Python!\n');
    const f = openSync(hello, 'r+');
    try {
      const mm = new MMap(f, 0);
      expect(mm.readline().toString()).toBe('Hello Python!\n');
      expect(mm.slice(0, 5).toString()).toBe('Hello');
      mm.assign(6, undefined, ' world!\n');
      expect(mm.seek(0)).toBe(0);
      // CPython prints b'Hello  world!\n': the 8 bytes after "Hello " are replaced
      expect(mm.readline().toString()).toBe('Hello  world!\n');
      mm.close();
      expect(mm.closed).toBe(true);
    } finally {
      closeSync(f);
    }
    expect(readFileSync(hello, 'utf8')).toBe('Hello  world!\n');
  });
});

describe('opening', () => {
  it('takes a path, a file: URL, a descriptor or a FileHandle; length 0 is the whole file from offset', async () => {
    const path = file('0123456789');
    expect(new MMap(path, 0).read().toString()).toBe('0123456789');
    expect(new MMap(pathToFileURL(path), 4).read().toString()).toBe('0123');
    const fd = openSync(path, 'r');
    try {
      expect(new MMap(fd, 0, { access: 'read', offset: 7 }).read().toString()).toBe('789');
    } finally {
      closeSync(fd);
    }
    const handle = await open(path, 'r+');
    try {
      const mm = new MMap(handle, 3, { offset: 5 });
      expect(mm.length).toBe(3);
      expect(mm.offset).toBe(5);
      expect(mm.access).toBe('write');
      mm.write('abc');
      expect(readFileSync(path, 'utf8')).toBe('01234abc89');
    } finally {
      await handle.close();
    }
  });

  it('-1 maps anonymous memory of `length` zero bytes', () => {
    const mm = new MMap(-1, 13);
    expect(mm.length).toBe(13);
    expect(mm.size()).toBe(13);
    expect(mm.read().equals(Buffer.alloc(13))).toBe(true);
    mm.seek(0);
    mm.write('anonymous');
    expect(mm.slice(0, 4).toString()).toBe('anon');
    mm.flush(); // nothing to write back to: a no-op
    expect(thrown(() => new MMap(-1, 0))).toBeInstanceOf(ValueError);
    expect(thrown(() => new MMap(-1, 10, { offset: 1 }))).toBeInstanceOf(ValueError);
  });

  it("refuses what Python refuses, with Python's messages", () => {
    const empty = file('');
    expect(thrown(() => new MMap(empty, 0)).message).toBe('MMap: cannot mmap an empty file');
    const ten = file('0123456789');
    expect(thrown(() => new MMap(ten, 0, { offset: 10 })).message).toBe('MMap: mmap offset is greater than file size (offset 10, file 10 bytes)');
    expect(thrown(() => new MMap(ten, 11)).message).toBe('MMap: mmap length is greater than file size (offset 0 + length 11 > file 10 bytes)');
    expect(thrown(() => new MMap(ten, 5, { offset: 6 }))).toBeInstanceOf(ValueError);
    const missing = thrown(() => new MMap(join(dir, 'missing.txt'), 0));
    expect(missing).toBeInstanceOf(OSError);
    expect(missing).toMatchObject({ code: 'ENOENT', syscall: 'open' });
    expect(missing.message).toMatch(/^MMap: ENOENT: no such file or directory, open '.*missing\.txt'$/);
    // write access needs a descriptor open for writing
    const fd = openSync(ten, 'r');
    try {
      expect(thrown(() => new MMap(fd, 0))).toMatchObject({ name: 'OSError', code: 'EACCES' });
    } finally {
      closeSync(fd);
    }
  });

  it('validates arguments and options', () => {
    const ten = file('0123456789');
    const cases: Array<[() => unknown, string]> = [
      [() => new MMap(ten, -1), "MMap: invalid argument 'length': expected a nonnegative integer, got -1"],
      [() => new MMap(ten, 0, { access: 'rw' as MMapAccess }), `MMap: invalid argument 'options.access': expected 'read', 'write' or 'copy', got "rw"`],
      [() => new MMap(ten, 0, { offset: 0.5 }), "MMap: invalid argument 'options.offset': expected an integer, got 0.5"],
      [() => new MMap(ten, 0, { prot: 1 } as never), `MMap: invalid argument 'options': unknown option "prot" (expected one of 'access', 'offset')`],
      [() => new MMap(-2, 10), "MMap: invalid argument 'file': expected a path, URL, file descriptor, FileHandle or -1, got -2"],
      [() => new MMap({} as never, 10), "MMap: invalid argument 'file': expected a path, URL, file descriptor, FileHandle or -1, got an object"],
    ];
    for (const [call, message] of cases) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toBe(message);
    }
  });
});

describe('reading and writing like a file', () => {
  it('read(n), read() and read(-1) take from the position and advance it', () => {
    const mm = new MMap(file('abcdefghij'), 0);
    expect(mm.read(3).toString()).toBe('abc');
    expect(mm.tell()).toBe(3);
    expect(mm.read(0).length).toBe(0);
    expect(mm.read(-1).toString()).toBe('defghij');
    expect(mm.read().length).toBe(0);
    mm.seek(8);
    expect(mm.read(100).toString()).toBe('ij');
    expect(mm.tell()).toBe(10);
  });

  it('readline: through each "\\n", then the unterminated rest, then empty at EOF', () => {
    const mm = new MMap(file('one\n\nthree\nlast'), 0);
    expect(mm.readline().toString()).toBe('one\n');
    expect(mm.readline().toString()).toBe('\n');
    expect(mm.readline().toString()).toBe('three\n');
    expect(mm.readline().toString()).toBe('last');
    expect(mm.readline().length).toBe(0);
    expect(mm.tell()).toBe(mm.length);
  });

  it('readByte and writeByte move one byte and refuse at the end', () => {
    const path = file('AB');
    const mm = new MMap(path, 0);
    expect(mm.readByte()).toBe(65);
    mm.writeByte(67);
    expect(mm.tell()).toBe(2);
    expect(thrown(() => mm.readByte()).message).toBe('MMap.readByte: read byte out of range');
    expect(thrown(() => mm.writeByte(1)).message).toBe('MMap.writeByte: write byte out of range');
    expect(thrown(() => mm.writeByte(256))).toBeInstanceOf(ArgumentError);
    expect(readFileSync(path, 'utf8')).toBe('AC');
  });

  it('write takes Buffers, typed arrays and UTF-8 strings, returns the count, and refuses data past the end', () => {
    const path = file(Buffer.alloc(12));
    const mm = new MMap(path, 0);
    expect(mm.write(Buffer.from([1, 2]))).toBe(2);
    expect(mm.write(new Uint16Array([0x0403]))).toBe(2);
    expect(mm.write('é')).toBe(2); // UTF-8: c3 a9
    expect(mm.tell()).toBe(6);
    const e = thrown(() => mm.write('1234567'));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe('MMap.write: data out of range: 7 bytes at position 6 of 12');
    expect(mm.tell()).toBe(6);
    expect(mm.write('123456')).toBe(6);
    mm.flush();
    expect([...readFileSync(path)]).toEqual([1, 2, 3, 4, 0xc3, 0xa9, 49, 50, 51, 52, 53, 54]);
    expect(thrown(() => mm.write(42 as never))).toBeInstanceOf(ArgumentError);
  });

  it('seek from the start, the current position and the end; out of range is refused', () => {
    const mm = new MMap(file('0123456789'), 0);
    expect(mm.seek(4)).toBe(4);
    expect(mm.seek(3, 1)).toBe(7);
    expect(mm.seek(-2, 1)).toBe(5);
    expect(mm.seek(-1, 2)).toBe(9);
    expect(mm.read().toString()).toBe('9');
    expect(mm.seek(0, 2)).toBe(10);
    expect(thrown(() => mm.seek(-11, 2)).message).toBe('MMap.seek: seek out of range: position -1 is outside [0, 10]');
    expect(thrown(() => mm.seek(11))).toBeInstanceOf(ValueError);
    expect(thrown(() => mm.seek(1, 1))).toBeInstanceOf(ValueError);
    expect(thrown(() => mm.seek(0, 3 as never)).message).toBe('MMap.seek: unknown seek type: expected whence 0, 1 or 2, got 3');
    expect(mm.tell()).toBe(10);
  });
});

describe('find and rfind', () => {
  // every expected value is CPython 3.11's for the same call on b'abcabcabc'
  const make = (): MMap => new MMap(file('abcabcabc'), 0);

  it('find: the lowest index from the position (the default start), within [start, end)', () => {
    const mm = make();
    expect(mm.find('bc')).toBe(1);
    expect(mm.find('bc', 2)).toBe(4);
    expect(mm.find('bc', -2)).toBe(7);
    expect(mm.find('bc', 0, 2)).toBe(-1); // 'bc' at 1 ends at 3 > 2
    expect(mm.find('bc', 0, 3)).toBe(1);
    expect(mm.find('bc', 0, -6)).toBe(1);
    expect(mm.find('x')).toBe(-1);
    expect(mm.find('')).toBe(0);
    expect(mm.find('', 20)).toBe(9); // start clamps to the length, where '' is found
    expect(mm.find(Buffer.from('ca'))).toBe(2);
    mm.seek(5);
    expect(mm.find('abc')).toBe(6); // from the position, as in Python
    expect(mm.find('abc', 0)).toBe(0);
    expect(mm.find('abc', 5, 3)).toBe(-1);
    expect(mm.find('', 5, 3)).toBe(-1);
  });

  it('rfind: the highest index within [start, end), start also defaulting to the position', () => {
    const mm = make();
    expect(mm.rfind('abc')).toBe(6);
    expect(mm.rfind('abc', 0, 8)).toBe(3);
    expect(mm.rfind('abc', 0, -1)).toBe(3);
    expect(mm.rfind('c', 0, 3)).toBe(2);
    expect(mm.rfind('')).toBe(9);
    expect(mm.rfind('', 0, 4)).toBe(4);
    expect(mm.rfind('zz')).toBe(-1);
    mm.seek(7);
    expect(mm.rfind('abc')).toBe(-1);
    expect(mm.rfind('bc')).toBe(7);
  });
});

describe('indexing and slices', () => {
  it('get/set one byte, negative indices from the end, IndexError outside', () => {
    const path = file('abc');
    const mm = new MMap(path, 0);
    expect(mm.get(0)).toBe(97);
    expect(mm.get(-1)).toBe(99);
    mm.set(-3, 65);
    expect(readFileSync(path, 'utf8')).toBe('Abc');
    for (const i of [3, -4]) {
      const e = thrown(() => mm.get(i));
      expect(e).toBeInstanceOf(IndexError);
      expect(e.message).toBe(`MMap.get: mmap index out of range: ${i} for a map of 3 bytes`);
    }
    expect(thrown(() => mm.set(3, 1))).toBeInstanceOf(IndexError);
    expect(thrown(() => mm.set(0, -1))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => mm.get(0.5))).toBeInstanceOf(ArgumentError);
  });

  it("slice copies with Python's clamping", () => {
    const mm = new MMap(file('0123456789'), 0);
    expect(mm.slice().toString()).toBe('0123456789');
    expect(mm.slice(6).toString()).toBe('6789');
    expect(mm.slice(-3).toString()).toBe('789');
    expect(mm.slice(2, -5).toString()).toBe('234');
    expect(mm.slice(-100, 2).toString()).toBe('01');
    expect(mm.slice(8, 100).toString()).toBe('89');
    expect(mm.slice(5, 2).length).toBe(0);
    const copy = mm.slice(0, 2);
    copy[0] = 0;
    expect(mm.get(0)).toBe(48); // a copy, not a view
  });

  it('slice assignment must keep the size (IndexError "mmap slice assignment is wrong size")', () => {
    const path = file('0123456789');
    const mm = new MMap(path, 0);
    mm.assign(2, 4, 'ab');
    mm.assign(-2, undefined, new Uint8Array([65, 66]));
    mm.assign(5, 5, '');
    expect(readFileSync(path, 'utf8')).toBe('01ab4567AB');
    for (const [start, stop, data] of [[0, 3, 'ab'], [0, 3, 'abcd'], [8, 100, 'abc'], [5, 2, 'x']] as const) {
      const e = thrown(() => mm.assign(start, stop, data));
      expect(e).toBeInstanceOf(IndexError);
      expect(e.message).toMatch(/^MMap\.assign: mmap slice assignment is wrong size: \d+ bytes for a slice of \d+$/);
    }
    expect(readFileSync(path, 'utf8')).toBe('01ab4567AB');
  });
});

describe('access modes', () => {
  it("'read' refuses every write through the API with ReadOnlyError; reading works", () => {
    const path = file('readonly');
    const mm = new MMap(path, 0, { access: 'read' });
    expect(mm.read(4).toString()).toBe('read');
    const writes: Array<[string, () => unknown]> = [
      ['write', () => mm.write('x')], ['writeByte', () => mm.writeByte(1)], ['set', () => mm.set(0, 1)],
      ['assign', () => mm.assign(0, 1, 'x')],
    ];
    for (const [name, call] of writes) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(ReadOnlyError);
      expect(e).toBeInstanceOf(SharedNDArrayError);
      expect(e.message).toBe(`MMap.${name}: mmap can't modify a readonly memory map`);
    }
    mm.flush();
    // a raw write through the buffer changes only this process's private copy
    new Uint8Array(mm.buffer)[0] = 0x52; // 'R'
    expect(mm.slice(0, 4).toString()).toBe('Read');
    expect(readFileSync(path, 'utf8')).toBe('readonly');
  });

  it("'copy' is writable but never reaches the file; 'write' does, and other maps see it at once", () => {
    const path = file('0123456789');
    const copy = new MMap(path, 0, { access: 'copy' });
    const writer = new MMap(path, 0);
    const reader = new MMap(path, 0, { access: 'read' });
    copy.write('cc');
    copy.flush();
    expect(readFileSync(path, 'utf8')).toBe('0123456789');
    writer.seek(8);
    writer.write('WW');
    expect(reader.slice(8).toString()).toBe('WW');
    expect(copy.slice().toString()).toBe('cc23456789'); // the page it wrote is its own copy now
    writer.flush(8, 2);
    expect(readFileSync(path, 'utf8')).toBe('01234567WW');
  });

  it('flush validates its range as Python does', () => {
    const mm = new MMap(file('0123456789'), 0);
    mm.flush(0, 10);
    mm.flush(9);
    expect(thrown(() => mm.flush(5, 6)).message).toBe('MMap.flush: flush values out of range: offset 5 + size 6 > length 10');
    expect(thrown(() => mm.flush(-1))).toBeInstanceOf(ArgumentError);
  });
});

describe('size, buffer and views', () => {
  it('size() is the file size now, length the mapped bytes', () => {
    const path = file('0123456789');
    const mm = new MMap(path, 4, { offset: 3 });
    expect(mm.length).toBe(4);
    expect(mm.size()).toBe(10);
    writeFileSync(path, '0123456789abc'); // grows in place: the map is unchanged
    expect(mm.size()).toBe(13);
    expect(mm.read().toString()).toBe('3456');
  });

  it('buffer is the mapped SharedArrayBuffer: a SharedNDArray over it writes the file', () => {
    const path = file(Buffer.alloc(8 * 6));
    const mm = new MMap(path, 0);
    const a = frombuffer(mm.buffer, { dtype: 'float64' }).reshape(2, 3);
    a.set(1, 2, 6.5);
    mm.flush();
    const disk = readFileSync(path);
    expect(disk.readDoubleLE(5 * 8)).toBe(6.5);
    expect(mm.buffer).toBe(mm.buffer);
    expect(mm.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('closing', () => {
  it('every method on a closed map throws ValueError "mmap closed or invalid"; close again is fine', () => {
    const mm = new MMap(file('0123456789'), 0);
    const view = new Uint8Array(mm.buffer);
    mm.close();
    mm.close();
    expect(mm.closed).toBe(true);
    const calls: Array<[string, () => unknown]> = [
      ['read', () => mm.read()], ['readByte', () => mm.readByte()], ['readline', () => mm.readline()],
      ['write', () => mm.write('x')], ['writeByte', () => mm.writeByte(1)], ['seek', () => mm.seek(0)],
      ['tell', () => mm.tell()], ['find', () => mm.find('1')], ['rfind', () => mm.rfind('1')], ['size', () => mm.size()],
      ['length', () => mm.length], ['get', () => mm.get(0)], ['set', () => mm.set(0, 1)], ['slice', () => mm.slice()],
      ['assign', () => mm.assign(0, 1, 'x')], ['flush', () => mm.flush()], ['buffer', () => mm.buffer],
    ];
    for (const [name, call] of calls) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(ValueError);
      expect(e.message).toBe(`MMap.${name}: mmap closed or invalid`);
    }
    // the memory itself stays mapped for the view that still holds it
    expect(view[9]).toBe(57);
  });

  it('`using` closes at the end of the block', () => {
    let outer: MMap;
    {
      using mm = new MMap(-1, 4);
      outer = mm;
      expect(outer.closed).toBe(false);
    }
    expect(outer.closed).toBe(true);
  });
});
