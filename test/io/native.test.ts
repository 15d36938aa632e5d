import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { ArgumentError, MMap, OSError, ValueError, frombuffer, zeros } from '../../src/index.js';
import {
  flush, mapAnonymous, mapFile, nativeAddonCandidates, nativeAddonPath, nativeAvailable, pageSize, type MapMode,
} from '../../src/io/native.js';
import { scratchDir } from '../support/files.js';
import { bufferCopy } from '../../src/native/addon.js';

/**
 * The low-level memory-map API over the native addon (src/io/native.ts): every mode of mapFile,
 * unaligned offsets, empty maps, errors and flush. Pool workers writing a mapped file and the
 * unmap-on-collection rule are in native.thread.test.ts, the install script and a missing addon
 * in native.e2e.test.ts.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { path: dir, file } = scratchDir('shared-ndarray-native-');
/** 3 pages and a bit of bytes i % 251, so every offset has a distinct-looking neighbourhood. */
const pattern = (n = 3 * 4096 + 123): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

describe('the addon', () => {
  it('loads: compiled here (npm ci or the test setup built it), else the prebuild for this Node ABI', () => {
    expect(nativeAvailable()).toBe(true);
    const compiled = join(ROOT, 'build', 'Release', 'shared_ndarray_native.node');
    const prebuilt = join(ROOT, 'prebuilds', `${process.platform}-${process.arch}`, `node.abi${process.versions.modules}.node`);
    expect(nativeAddonCandidates().map((c) => c.path)).toEqual([compiled, prebuilt]);
    // build/Release is compiled for the development Node: other Nodes (npm run test:node) take the prebuild
    expect([compiled, prebuilt]).toContain(nativeAddonPath());
    expect(pageSize()).toBeGreaterThanOrEqual(4096);
  });
});

describe('copy (bufferCopy): the memmove of the ops\' WebAssembly block copies', () => {
  it('copies between shared and plain buffers at any byte offsets, and refuses a range past either end', () => {
    const copy = bufferCopy()!;
    expect(copy).toBeTypeOf('function');
    const shared = new SharedArrayBuffer(64), plain = new ArrayBuffer(64);
    new Uint8Array(shared).set(pattern(64));
    copy(plain, 3, shared, 5, 50);
    expect(Buffer.from(plain, 3, 50).equals(pattern(64).subarray(5, 55))).toBe(true);
    expect(new Uint8Array(plain, 0, 3).every((b) => b === 0) && new Uint8Array(plain, 53).every((b) => b === 0)).toBe(true);
    const back = new SharedArrayBuffer(64);
    copy(back, 0, plain, 3, 50);
    expect(Buffer.from(back, 0, 50).equals(pattern(64).subarray(5, 55))).toBe(true);
    // overlapping, within one buffer
    copy(shared, 1, shared, 0, 63);
    expect(Buffer.from(shared, 1).equals(pattern(64).subarray(0, 63))).toBe(true);
    expect(() => copy(plain, 60, shared, 0, 5)).toThrow(RangeError);
    expect(() => copy(plain, 0, shared, 60, 5)).toThrow(RangeError);
    expect(() => copy(new Uint8Array(8) as unknown as ArrayBuffer, 0, shared, 0, 1)).toThrow(TypeError);
  });
});

describe('mapFile modes', () => {
  it("'r+': a shared map; writes reach the file and another map of it, and flush syncs them", () => {
    const path = file(pattern());
    const a = mapFile(path, 'r+', 0, 10_000).buffer;
    const b = mapFile(path, 'r+', 0, 10_000).buffer;
    expect(a).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteLength).toBe(10_000);
    expect(Buffer.from(a).equals(pattern().subarray(0, 10_000))).toBe(true);
    new Uint8Array(a).set([7, 8, 9], 5000);
    // the same page cache: the other map and read(2) see it at once
    expect([...new Uint8Array(b, 5000, 3)]).toEqual([7, 8, 9]);
    expect([...readFileSync(path).subarray(5000, 5003)]).toEqual([7, 8, 9]);
    expect(flush(a)).toBe(true);
    expect(flush(a, 5000, 3)).toBe(true);
    expect(statSync(path).size).toBe(pattern().length);
  });

  it("'w+': creates the file, or truncates it, to offset + length zero bytes, then maps it shared", () => {
    const fresh = join(dir, 'fresh.bin');
    const a = mapFile(fresh, 'w+', 104, 50);
    expect(a.byteLength).toBe(50);
    expect(statSync(fresh).size).toBe(154);
    expect(a.every((x) => x === 0)).toBe(true);
    new Float64Array(a.buffer, a.byteOffset, 6).set([1.5, 2.5]);
    expect(flush(a.buffer)).toBe(true);
    const disk = readFileSync(fresh);
    expect(disk.subarray(0, 104).every((x) => x === 0)).toBe(true);
    expect([...new Float64Array(disk.buffer.slice(disk.byteOffset + 104, disk.byteOffset + 120))]).toEqual([1.5, 2.5]);

    const big = file(pattern());
    mapFile(big, 'w+', 0, 10);
    expect(readFileSync(big)).toEqual(Buffer.alloc(10));
  });

  it("'r': reads the file; a raw write neither crashes nor reaches the file or other maps", () => {
    const path = file(pattern());
    const shared = mapFile(path, 'r+', 0, 100).buffer;
    const r = mapFile(path, 'r', 0, 100).buffer;
    expect(Buffer.from(r).equals(pattern().subarray(0, 100))).toBe(true);
    new Uint8Array(r)[3] = 200;
    expect(new Uint8Array(r)[3]).toBe(200);
    expect(readFileSync(path)[3]).toBe(3);
    expect(new Uint8Array(shared)[3]).toBe(3);
    expect(flush(r)).toBe(false);
  });

  it("'c': copy-on-write; writes stay in this map, never in the file", () => {
    const path = file(pattern());
    const c = mapFile(path, 'c', 4096, 4096).buffer;
    const other = mapFile(path, 'r+', 4096, 4096).buffer;
    new Uint8Array(c).fill(1);
    expect(new Uint8Array(c).every((x) => x === 1)).toBe(true);
    expect(flush(c)).toBe(false);
    expect(readFileSync(path).equals(pattern())).toBe(true);
    expect(Buffer.from(other).equals(pattern().subarray(4096, 8192))).toBe(true);
  });

  it('maps exactly [offset, offset + length) at page-unaligned offsets, reading and writing the right bytes', () => {
    const data = pattern();
    const path = file(data);
    for (const offset of [1, 7, 4095, 4096, 4097, 8190, 12_000]) {
      for (const length of [1, 2, 100, data.length - offset]) {
        if (offset + length > data.length) continue;
        for (const mode of ['r', 'r+', 'c'] as MapMode[]) {
          const m = mapFile(path, mode, offset, length);
          expect(m.byteLength).toBe(length);
          expect(Buffer.from(m).equals(data.subarray(offset, offset + length)), `${mode} ${offset} ${length}`).toBe(true);
        }
      }
    }
    // a write at an unaligned offset lands at that offset of the file
    const m = mapFile(path, 'r+', 4097, 10);
    m.set([250, 251], 8);
    expect(flush(m.buffer, m.byteOffset + 8, 2)).toBe(true);
    const disk = readFileSync(path);
    expect([disk[4104], disk[4105], disk[4106], disk[4107]]).toEqual([data[4104], 250, 251, data[4107]]);
  });

  it('maps an open file descriptor, leaving it open', () => {
    const path = file(pattern());
    const fd = openSync(path, 'r+');
    try {
      const m = mapFile(fd, 'r+', 10, 5);
      m[0] = 99;
      expect(readFileSync(path)[10]).toBe(99);
      expect(statSync(path).size).toBe(pattern().length);
      expect(() => mapFile(fd, 'r', 0, 1)).not.toThrow();
    } finally {
      closeSync(fd);
    }
  });

  it('maps an empty file, or length 0 anywhere inside a file, as an empty buffer without calling mmap', () => {
    const empty = file('');
    for (const mode of ['r', 'r+', 'c', 'w+'] as MapMode[]) {
      const m = mapFile(empty, mode, 0, 0).buffer;
      expect(m).toBeInstanceOf(SharedArrayBuffer);
      expect(m.byteLength).toBe(0);
      expect(flush(m)).toBe(false);
    }
    const path = file(pattern(10));
    expect(mapFile(path, 'r', 10, 0).byteLength).toBe(0);
    expect(mapFile(path, 'r+', 3, 0).byteLength).toBe(0);
    expect(mapAnonymous(0).byteLength).toBe(0);
  });
});

describe('mapFile errors', () => {
  it('a missing file: OSError ENOENT naming the call and the path', () => {
    const missing = join(dir, 'missing.bin');
    for (const mode of ['r', 'r+', 'c'] as MapMode[]) {
      const e = thrown(() => mapFile(missing, mode, 0, 1));
      expect(e).toBeInstanceOf(OSError);
      expect(e.message).toBe(`mapFile: open '${missing}' failed: no such file or directory (ENOENT)`);
      expect(e).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'open', path: missing });
    }
    expect(existsSync(missing)).toBe(false);
    const e = thrown(() => mapFile(join(dir, 'no', 'such', 'dir.bin'), 'w+', 0, 1));
    expect(e).toMatchObject({ name: 'OSError', code: 'ENOENT' });
  });

  it('a file shorter than offset + length: ValueError naming both sizes; r+ does not grow the file', () => {
    const path = file(pattern(100));
    for (const mode of ['r', 'r+', 'c'] as MapMode[]) {
      const e = thrown(() => mapFile(path, mode, 60, 41));
      expect(e).toBeInstanceOf(ValueError);
      expect(e.message).toBe(`mapFile: the file '${path}' is 100 bytes, shorter than offset + length = 101 bytes`);
    }
    expect(() => mapFile(path, 'r', 200, 0)).toThrow(/is 100 bytes, shorter than offset \+ length = 200 bytes/);
    expect(statSync(path).size).toBe(100);
  });

  it('a descriptor opened read-only cannot be mapped shared read-write (OSError EACCES)', () => {
    const path = file(pattern(100));
    const fd = openSync(path, 'r');
    try {
      expect(thrown(() => mapFile(fd, 'r+', 0, 10))).toMatchObject({ name: 'OSError', code: 'EACCES', syscall: 'mmap' });
      expect(mapFile(fd, 'c', 0, 10).byteLength).toBe(10);
    } finally {
      closeSync(fd);
    }
    expect(thrown(() => mapFile(dir, 'r+', 0, 1))).toMatchObject({ name: 'OSError', code: 'EISDIR' });
  });

  it('a FIFO is refused at once (OSError ENODEV from mmap), not waited on for a writer', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const mode of ['r', 'r+', 'c'] as MapMode[]) {
      expect(thrown(() => mapFile(fifo, mode, 0, 1)), mode).toMatchObject({ name: 'OSError', code: 'ENODEV', syscall: 'mmap' });
    }
    // MMap sees a 0-byte file first, as Python does
    expect(thrown(() => new MMap(fifo, 1, { access: 'read' }))).toBeInstanceOf(ValueError);
  });

  it('invalid arguments: ArgumentError in the package style, before any file is touched', () => {
    const path = file(pattern(100));
    const cases: Array<[() => unknown, string]> = [
      [() => mapFile(path, 'rw' as MapMode, 0, 1), `mapFile: invalid argument 'mode': expected one of 'r', 'r+', 'w+', 'c', got "rw"`],
      [() => mapFile(path, 'r', -1, 1), "mapFile: invalid argument 'offset': expected a nonnegative integer, got -1"],
      [() => mapFile(path, 'r', 0, 1.5), "mapFile: invalid argument 'length': expected a nonnegative integer, got 1.5"],
      [() => mapFile(path, 'r', 0, Number.NaN), "mapFile: invalid argument 'length': expected a nonnegative integer, got NaN"],
      [() => mapFile(path, 'r', '1' as unknown as number, 1), `mapFile: invalid argument 'offset': expected a nonnegative integer, got "1"`],
      [() => mapFile('', 'r', 0, 1), `mapFile: invalid argument 'file': expected a path or an open file descriptor, got ""`],
      [() => mapFile('a\0b', 'r', 0, 1), `mapFile: invalid argument 'file': expected a path or an open file descriptor, got "a\\u0000b"`],
      [() => mapFile(-1, 'r', 0, 1), "mapFile: invalid argument 'file': expected a path or an open file descriptor, got -1"],
      [() => mapFile(null as unknown as string, 'r', 0, 1), "mapFile: invalid argument 'file': expected a path or an open file descriptor, got null"],
      [() => mapFile(path, 'r', 2 ** 52, 2 ** 52), "mapFile: invalid argument 'length': offset + length = 9007199254740992 is beyond 2^53 - 1"],
      [() => mapAnonymous(-5), "mapAnonymous: invalid argument 'length': expected a nonnegative integer, got -5"],
    ];
    for (const [call, message] of cases) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toBe(message);
    }
    const created = join(dir, 'never-created.bin');
    expect(() => mapFile(created, 'w+', -1, 1)).toThrow(ArgumentError);
    expect(existsSync(created)).toBe(false);
  });
});

describe('flush', () => {
  it('is a no-op returning false for memory that is not a shared file map', () => {
    expect(flush(new SharedArrayBuffer(16))).toBe(false);
    expect(flush(mapAnonymous(100))).toBe(false);
    expect(flush(mapFile(file(pattern(10)), 'r+', 0, 10).buffer, 4, 0)).toBe(false);
  });

  it('validates its arguments', () => {
    const m = mapFile(file(pattern(100)), 'r+', 0, 100).buffer;
    expect(thrown(() => flush(new ArrayBuffer(8) as unknown as SharedArrayBuffer)).message)
      .toBe("flush: invalid argument 'buffer': expected a SharedArrayBuffer, got an ArrayBuffer");
    expect(thrown(() => flush(m, 101)).message).toBe("flush: invalid argument 'offset': expected at most the buffer length 100, got 101");
    expect(thrown(() => flush(m, 50, 51)).message).toBe("flush: invalid argument 'length': offset + length = 101 is past the buffer length 100");
    expect(thrown(() => flush(m, -1))).toBeInstanceOf(ArgumentError);
  });
});

describe('mapAnonymous', () => {
  it('gives zero-filled, writable shared memory that views and typed arrays share', () => {
    const m = mapAnonymous(3 * 4096 + 5);
    expect(m.byteLength).toBe(3 * 4096 + 5);
    expect(new Uint8Array(m).every((x) => x === 0)).toBe(true);
    const a = frombuffer(m, { dtype: 'uint8' });
    a.set(3 * 4096 + 4, 255);
    expect(new Uint8Array(m)[3 * 4096 + 4]).toBe(255);
    const i32 = new Int32Array(m, 0, 4);
    expect(Atomics.add(i32, 1, 5)).toBe(0);
    expect(Atomics.load(i32, 1)).toBe(5);
  });
});

describe('zeros still come from plain SharedArrayBuffers', () => {
  it('flush of an ordinary array buffer is a no-op', () => {
    expect(flush(zeros([4]).buffer as SharedArrayBuffer)).toBe(false);
  });
});
