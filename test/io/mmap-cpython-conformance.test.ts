import { closeSync, openSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { scratchDir } from '../support/files.js';
import { pageSize } from '../../src/io/native.js';
import { ArgumentError, IndexError, MMap, OSError, ReadOnlyError, ValueError } from '../../src/index.js';

/**
 * CPython's own mmap tests (Lib/test/test_mmap.py, MmapTests), ported case by case in JS casing
 * (docs/names.md): `m[i]` is `get`/`set`, `m[a:b]` is `slice`/`assign`, `read_byte` is `readByte`.
 * Python's TypeError for a write to a read-only map is ReadOnlyError here, its TypeError or
 * ValueError for a bad argument ArgumentError; its ValueError for a closed map or a position
 * out of range is ValueError. Strings go in as their UTF-8 bytes, so Python's byte strings are
 * written as strings where they are ASCII.
 */

const dir = scratchDir('mmap-cpython-');
const PAGESIZE = pageSize();
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('MmapTests', () => {
  it('test_basic', () => {
    const TESTFN = dir.file(Buffer.concat([Buffer.alloc(PAGESIZE), b('foo'), Buffer.alloc(PAGESIZE - 3)]));
    const fd = openSync(TESTFN, 'r+');
    const m = new MMap(fd, 2 * PAGESIZE);
    closeSync(fd);
    expect(m.find('foo')).toBe(PAGESIZE);
    expect(m.length).toBe(2 * PAGESIZE);
    expect(m.get(0)).toBe(0);
    expect(m.slice(0, 3)).toEqual(b('\0\0\0'));
    // Shouldn't crash on boundary (Issue #5292)
    expect(thrown(() => m.get(m.length))).toBeInstanceOf(IndexError);
    expect(thrown(() => m.set(m.length, 0))).toBeInstanceOf(IndexError);
    // Modify the file's content
    m.set(0, '3'.charCodeAt(0));
    m.assign(PAGESIZE + 3, PAGESIZE + 3 + 3, 'bar');
    expect(m.get(0)).toBe('3'.charCodeAt(0));
    expect(m.slice(0, 3)).toEqual(b('3\0\0'));
    expect(m.slice(PAGESIZE - 1, PAGESIZE + 7)).toEqual(b('\0foobar\0'));
    m.flush();
    // a regular expression over the map: re.search(b'[A-Za-z]+', m)
    const match = /[A-Za-z]+/.exec(m.slice().toString('latin1'));
    expect([match?.index, match!.index + match![0].length]).toEqual([PAGESIZE, PAGESIZE + 6]);
    // test seeking around (try to overflow the seek implementation)
    expect(m.seek(0, 0)).toBe(0);
    expect(m.tell()).toBe(0);
    m.seek(42, 1);
    expect(m.tell()).toBe(42);
    m.seek(0, 2);
    expect(m.tell()).toBe(m.length);
    // Try to seek to negative position, beyond end of mmap
    expect(thrown(() => m.seek(-1))).toBeInstanceOf(ValueError);
    expect(thrown(() => m.seek(1, 2))).toBeInstanceOf(ValueError);
    expect(thrown(() => m.seek(-m.length - 1, 2))).toBeInstanceOf(ValueError);
    // resize() is not supported (docs/differences.md); Python skips the check where it is not either
    expect('resize' in m).toBe(false);
    expect(m.size()).toBe(2 * PAGESIZE);
    m.close();
    // the file holds what was written
    expect(readFileSync(TESTFN).subarray(PAGESIZE - 1, PAGESIZE + 7)).toEqual(b('\0foobar\0'));
  });

  it("size() after the caller closed its descriptor (test_basic's f.close()): the mapped file's, even when the number is reused", () => {
    const TESTFN = dir.file('x'.repeat(100));
    const fd = openSync(TESTFN, 'r+');
    const m = new MMap(fd, 0);
    closeSync(fd);
    // the lowest free number: most likely the one just closed
    const other = openSync(dir.file('y'.repeat(7)), 'r');
    try {
      expect(m.size()).toBe(100);
    } finally {
      closeSync(other);
    }
    m.close();
    m.close();
  });

  it('test_access_parameter', () => {
    const mapsize = 10;
    const TESTFN = dir.file('a'.repeat(mapsize));
    let fd = openSync(TESTFN, 'r');
    let m = new MMap(fd, mapsize, { access: 'read' });
    expect(m.slice()).toEqual(b('a'.repeat(mapsize)));
    // Ensuring that readonly mmap can't be slice assigned, item assigned, write()n or write_byte()n
    expect(thrown(() => m.assign(0, undefined, 'b'.repeat(mapsize)))).toBeInstanceOf(ReadOnlyError);
    expect(thrown(() => m.set(0, 98))).toBeInstanceOf(ReadOnlyError);
    m.seek(0, 0);
    expect(thrown(() => m.write('abc'))).toBeInstanceOf(ReadOnlyError);
    m.seek(0, 0);
    expect(thrown(() => m.writeByte(100))).toBeInstanceOf(ReadOnlyError);
    closeSync(fd);
    m.close();
    expect(readFileSync(TESTFN)).toEqual(b('a'.repeat(mapsize)));

    // Opening mmap with size too big
    fd = openSync(TESTFN, 'r+');
    expect(thrown(() => new MMap(fd, mapsize + 1))).toBeInstanceOf(ValueError);
    closeSync(fd);

    // Opening mmap with access=ACCESS_WRITE: write-through
    fd = openSync(TESTFN, 'r+');
    m = new MMap(fd, mapsize, { access: 'write' });
    m.assign(0, undefined, 'c'.repeat(mapsize));
    expect(m.slice()).toEqual(b('c'.repeat(mapsize)));
    m.flush();
    m.close();
    closeSync(fd);
    expect(readFileSync(TESTFN)).toEqual(b('c'.repeat(mapsize)));

    // Opening mmap with access=ACCESS_COPY: copy-on-write, the file keeps its data
    fd = openSync(TESTFN, 'r+');
    m = new MMap(fd, mapsize, { access: 'copy' });
    m.assign(0, undefined, 'd'.repeat(mapsize));
    expect(m.slice()).toEqual(b('d'.repeat(mapsize)));
    m.flush();
    expect(readFileSync(TESTFN)).toEqual(b('c'.repeat(mapsize)));
    m.close();

    // Ensuring invalid access parameter raises exception
    expect(thrown(() => new MMap(fd, mapsize, { access: 4 as never }))).toBeInstanceOf(ArgumentError);
    closeSync(fd);
  });

  it('test_bad_file_desc: a negative descriptor is refused; a closed one is an OSError', () => {
    expect(thrown(() => new MMap(-2, 4096))).toBeInstanceOf(ArgumentError);
    const fd = openSync(dir.file('x'), 'r');
    closeSync(fd);
    const error = thrown(() => new MMap(fd, 1));
    expect(error).toBeInstanceOf(OSError);
    expect((error as OSError).code).toBe('EBADF');
  });

  it('test_tougher_find', () => {
    const data = 'aabaac\x00deef\x00\x00aa\x00';
    const n = data.length;
    const m = new MMap(dir.file(data), n);
    for (let start = 0; start <= n; start++) {
      for (let finish = start; finish <= n; finish++) {
        const slice = data.slice(start, finish);
        expect(m.find(slice)).toBe(data.indexOf(slice));
        expect(m.find(`${slice}x`)).toBe(-1);
      }
    }
    m.close();
  });

  it('test_find_end', () => {
    const data = 'one two ones';
    const m = new MMap(dir.file(data), data.length);
    expect(m.find('one')).toBe(0);
    expect(m.find('ones')).toBe(8);
    expect(m.find('one', 0, -1)).toBe(0);
    expect(m.find('one', 1)).toBe(8);
    expect(m.find('one', 1, -1)).toBe(8);
    expect(m.find('one', 1, -2)).toBe(-1);
    expect(m.find(b('one'), 1, -1)).toBe(8);
  });

  it('test_rfind', () => {
    const data = 'one two ones';
    const m = new MMap(dir.file(data), data.length);
    expect(m.rfind('one')).toBe(8);
    expect(m.rfind('one ')).toBe(0);
    expect(m.rfind('one', 0, -1)).toBe(8);
    expect(m.rfind('one', 0, -2)).toBe(0);
    expect(m.rfind('one', 1, -1)).toBe(8);
    expect(m.rfind('one', 1, -2)).toBe(-1);
  });

  it('test_double_close', () => {
    const mf = new MMap(dir.file('a'.repeat(2 ** 16)), 2 ** 16, { access: 'read' });
    mf.close();
    mf.close();
    expect(mf.closed).toBe(true);
  });

  it('test_entire_file', () => {
    const mf = new MMap(dir.file('m'.repeat(2 ** 16)), 0);
    expect(mf.length).toBe(2 ** 16);
    expect(mf.read(2 ** 16)).toEqual(b('m'.repeat(2 ** 16)));
    mf.close();
  });

  it('test_length_0_offset', () => {
    const mf = new MMap(dir.file('m'.repeat(65536 * 2)), 0, { offset: 65536, access: 'read' });
    try {
      expect(mf.length).toBe(65536);
      expect(thrown(() => mf.get(80000))).toBeInstanceOf(IndexError);
    } finally {
      mf.close();
    }
  });

  it('test_length_0_large_offset', () => {
    const TESTFN = dir.file('m'.repeat(115699));
    expect(thrown(() => new MMap(TESTFN, 0, { offset: 2147418112 }))).toBeInstanceOf(ValueError);
  });

  it.skip('test_move: move() is not supported (a SharedArrayBuffer cannot change under its views; docs/io.md)', () => {});

  it('test_anonymous', () => {
    const m = new MMap(-1, PAGESIZE);
    // each byte read into one list, compared once (an expect() per byte was most of the test)
    expect(Array.from({ length: PAGESIZE }, (_, x) => m.get(x))).toEqual(new Array(PAGESIZE).fill(0));
    const read: number[] = [];
    for (let x = 0; x < PAGESIZE; x++) {
      m.set(x, x & 255);
      read.push(m.get(x));
    }
    expect(read).toEqual(Array.from({ length: PAGESIZE }, (_, x) => x & 255));
  });

  it.skip('test_extended_getslice, test_extended_set_del_slice: slices with a step are not supported (docs/io.md)', () => {});

  it('test_offset: any nonnegative offset maps (Python: a multiple of ALLOCATIONGRANULARITY); negative ones are refused', () => {
    const halfsize = PAGESIZE;
    const TESTFN = dir.file(Buffer.concat([Buffer.alloc(halfsize), b('foo'), Buffer.alloc(halfsize - 3)]));
    const mapsize = halfsize * 2;
    for (const offset of [-2, -1]) {
      expect(thrown(() => new MMap(TESTFN, mapsize, { offset }))).toBeInstanceOf(ArgumentError);
    }
    const m = new MMap(TESTFN, mapsize - halfsize, { offset: halfsize });
    expect(m.slice(0, 3)).toEqual(b('foo'));
    m.close();
    // not a multiple of the page size: Python refuses it, this maps it
    const odd = new MMap(TESTFN, 2, { offset: halfsize + 1 });
    expect(odd.slice()).toEqual(b('oo'));
    odd.close();
  });

  it('test_context_manager, test_context_manager_exception', () => {
    let m: MMap | undefined;
    {
      using mm = new MMap(-1, 10);
      m = mm;
      expect(mm.closed).toBe(false);
    }
    expect(m.closed).toBe(true);
    const error = thrown(() => {
      using mm = new MMap(-1, 10);
      m = mm;
      throw new OSError('raised', { code: 'EIO', errno: 5, syscall: 'test' });
    });
    expect(error).toBeInstanceOf(OSError);
    expect(m.closed).toBe(true);
  });

  it('test_read_all', () => {
    const m = new MMap(-1, 16);
    // With no parameters, or None or a negative argument, reads all
    m.write(Uint8Array.from({ length: 16 }, (_, i) => i));
    const range = (a: number, z: number): Buffer => Buffer.from(Array.from({ length: z - a }, (_, i) => a + i));
    m.seek(0);
    expect(m.read()).toEqual(range(0, 16));
    m.seek(8);
    expect(m.read()).toEqual(range(8, 16));
    m.seek(16);
    expect(m.read()).toEqual(Buffer.alloc(0));
    m.seek(3);
    expect(m.read(null)).toEqual(range(3, 16));
    m.seek(4);
    expect(m.read(-1)).toEqual(range(4, 16));
    m.seek(5);
    expect(m.read(-2)).toEqual(range(5, 16));
    m.seek(9);
    expect(m.read(-42)).toEqual(range(9, 16));
    m.close();
  });

  it('test_read_invalid_arg', () => {
    const m = new MMap(-1, 16);
    expect(thrown(() => m.read('foo' as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => m.read(5.5))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => m.read([1, 2, 3] as never))).toBeInstanceOf(ArgumentError);
    m.close();
  });

  it('test_empty_file', () => {
    const TESTFN = dir.file('');
    expect(thrown(() => new MMap(TESTFN, 0, { access: 'read' }))).toBeInstanceOf(ValueError);
    expect(thrown(() => new MMap(TESTFN, 0, { access: 'read' })).message).toContain('cannot mmap an empty file');
  });

  it('test_io_methods', () => {
    const data = b('0123456789');
    const TESTFN = dir.file('x'.repeat(data.length));
    const m = new MMap(TESTFN, data.length);
    // Test write_byte()
    for (let i = 0; i < data.length; i++) {
      expect(m.tell()).toBe(i);
      m.writeByte(data[i]!);
      expect(m.tell()).toBe(i + 1);
    }
    expect(thrown(() => m.writeByte('x'.charCodeAt(0)))).toBeInstanceOf(ValueError);
    expect(m.slice()).toEqual(data);
    // Test read_byte()
    m.seek(0);
    for (let i = 0; i < data.length; i++) {
      expect(m.tell()).toBe(i);
      expect(m.readByte()).toBe(data[i]);
      expect(m.tell()).toBe(i + 1);
    }
    expect(thrown(() => m.readByte())).toBeInstanceOf(ValueError);
    // Test read()
    m.seek(3);
    expect(m.read(3)).toEqual(b('345'));
    expect(m.tell()).toBe(6);
    // Test write()
    m.seek(3);
    m.write('bar');
    expect(m.tell()).toBe(6);
    expect(m.slice()).toEqual(b('012bar6789'));
    m.write(new Uint8Array(b('baz')));
    expect(m.tell()).toBe(9);
    expect(m.slice()).toEqual(b('012barbaz9'));
    // data that does not fit is refused whole
    expect(thrown(() => m.write('ba'))).toBeInstanceOf(ValueError);
    expect(m.slice()).toEqual(b('012barbaz9'));
    expect(m.tell()).toBe(9);
    m.close();
  });

  it('test_non_ascii_byte', () => {
    for (const byte of [129, 200, 255]) {
      const m = new MMap(-1, 1);
      m.writeByte(byte);
      expect(m.get(0)).toBe(byte);
      m.seek(0);
      expect(m.readByte()).toBe(byte);
      m.close();
    }
  });

  it('test_write_returning_the_number_of_bytes_written', () => {
    const mm = new MMap(-1, 16);
    expect(mm.write('')).toBe(0);
    expect(mm.write('x')).toBe(1);
    expect(mm.write('yz')).toBe(2);
    expect(mm.write('python')).toBe(6);
  });

  it('slice assignment errors: the slice cannot change size (Python: IndexError)', () => {
    const m = new MMap(-1, 10);
    const error = thrown(() => m.assign(0, 3, 'ab'));
    expect(error).toBeInstanceOf(IndexError);
    expect(error.message).toContain('mmap slice assignment is wrong size');
    expect(thrown(() => m.assign(0, undefined, 'x'.repeat(11)))).toBeInstanceOf(IndexError);
    // clamped bounds, as Python's slices: m[8:100] = b'zz', m[-3:-1] = b'yy'
    m.assign(8, 100, 'zz');
    m.assign(-3, -1, 'yy');
    expect(m.slice(7)).toEqual(b('yyz'));
    expect(m.slice()).toEqual(Buffer.concat([Buffer.alloc(7), b('yyz')]));
    m.close();
  });

  it('test_flush_return_value (anonymous memory has no file to flush: no error for any range inside the map)', () => {
    const mm = new MMap(-1, 16);
    mm.write('python');
    expect(mm.flush()).toBeUndefined();
    expect(mm.flush(1, 6)).toBeUndefined();
    expect(thrown(() => mm.flush(10, 7))).toBeInstanceOf(ValueError);
    mm.close();
  });

  it('a closed map: every method throws ValueError "mmap closed or invalid"', () => {
    const m = new MMap(-1, 16);
    m.close();
    const calls: Array<() => unknown> = [
      () => m.read(), () => m.readByte(), () => m.readline(), () => m.write('x'), () => m.writeByte(1), () => m.seek(0),
      () => m.tell(), () => m.find('x'), () => m.rfind('x'), () => m.get(0), () => m.set(0, 1), () => m.slice(),
      () => m.assign(0, 1, 'x'), () => m.flush(), () => m.size(), () => m.length, () => m.buffer,
    ];
    for (const call of calls) {
      const error = thrown(call);
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toContain('mmap closed or invalid');
    }
  });

  it('test_repr', () => {
    const mapsize = 3 * PAGESIZE;
    const TESTFN = dir.file('a'.repeat(mapsize));
    const offset = PAGESIZE;
    const length = mapsize - offset;
    for (const access of ['write', 'read', 'copy'] as const) {
      for (const pos of [0, Math.floor(length / 10), Math.floor(length / 5), Math.floor(length / 4)]) {
        const mm = new MMap(TESTFN, length, { access, offset });
        mm.seek(pos);
        expect(String(mm)).toBe(`<MMap closed=false, access='${access}', length=${length}, pos=${pos}, offset=${offset}>`);
        mm.close();
        expect(String(mm)).toBe('<MMap closed=true>');
      }
    }
  });

  it.skip('test_prot_readonly, test_tagname, test_madvise, test_resize_*: prot/flags, Windows tag names, madvise and resize are not in MMap (docs/io.md)', () => {});
});

