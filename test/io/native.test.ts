import { execFile, execFileSync } from 'node:child_process';
import {
  closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { ArgumentError, MMap, OSError, Pool, ValueError, frombuffer, zeros } from '../../src/index.js';
import { flush, mapAnonymous, mapFile, nativeAddonPath, nativeAvailable, pageSize, type MapMode } from '../../src/io/native.js';

/**
 * The low-level memory-map API over the native addon (src/io/native.ts): every mode of mapFile,
 * unaligned offsets, empty maps, errors, flush, pool workers writing a mapped file, the
 * unmap-on-collection rule, and what happens without the addon.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const support = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

let dir = '';
let counter = 0;
/** A fresh file in the test directory holding `bytes` (or nothing). */
function file(bytes?: Uint8Array | string): string {
  const path = join(dir, `f${counter++}.bin`);
  if (bytes !== undefined) writeFileSync(path, bytes);
  return path;
}
/** 3 pages and a bit of bytes i % 251, so every offset has a distinct-looking neighbourhood. */
const pattern = (n = 3 * 4096 + 123): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-ndarray-native-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the addon', () => {
  it('is built and loads (npm ci or the test setup built it)', () => {
    expect(existsSync(nativeAddonPath())).toBe(true);
    expect(nativeAvailable()).toBe(true);
    expect(pageSize()).toBeGreaterThanOrEqual(4096);
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

describe('a mapped file shared with pool workers', () => {
  type MMapWorker = {
    fillRows(array: unknown, start: number, stop: number): number;
    fillRowsAndFlush(array: unknown, start: number, stop: number): boolean;
    mappingCount(): number;
  };

  it('workers write a float64 matrix that lives in a file; after flush the file holds their writes', async () => {
    const rows = 8, cols = 300; // rows span pages, and the map starts mid-page
    const path = join(dir, 'matrix.bin');
    const offset = 24; // a float64-aligned, page-unaligned header
    const { buffer } = mapFile(path, 'w+', offset, rows * cols * 8);
    const a = frombuffer(buffer, { dtype: 'float64' }).reshape(rows, cols);
    const pool = new Pool<MMapWorker>(new URL('../support/mmap-worker.mjs', import.meta.url), { size: 2 });
    try {
      const ids = await pool.mapRows('fillRows', a as never);
      expect(new Set(ids).size).toBeGreaterThanOrEqual(1);
      // the registry is per process: workers see the main thread's mappings
      expect(await pool.apply('mappingCount')).toBeGreaterThanOrEqual(1);
      expect(flush(buffer)).toBe(true);
      const disk = readFileSync(path);
      expect(disk.length).toBe(offset + rows * cols * 8);
      const values = new Float64Array(disk.buffer.slice(disk.byteOffset + offset, disk.byteOffset + disk.length));
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(values[r * cols + c]).toBe(r * 1000 + c);

      // a worker can flush too: the addon is context-aware and loads in worker threads
      const flushed = await pool.mapRows('fillRowsAndFlush', a as never);
      expect(flushed.every((x) => x === true)).toBe(true);
      const again = readFileSync(path);
      const after = new Float64Array(again.buffer.slice(again.byteOffset + offset, again.byteOffset + again.length));
      for (let r = 0; r < rows; r++) expect(after[r * cols]).toBe(-(r + 1));
    } finally {
      await pool.terminate();
    }
  });

  it('a copy-on-write map sent to workers: their writes are seen here, never in the file', async () => {
    const path = file(Buffer.alloc(4 * 16 * 8));
    const { buffer } = mapFile(path, 'c', 0, 4 * 16 * 8);
    const a = frombuffer(buffer, { dtype: 'float64' }).reshape(4, 16);
    const pool = new Pool<MMapWorker>(new URL('../support/mmap-worker.mjs', import.meta.url), { size: 2 });
    try {
      await pool.mapRows('fillRows', a as never);
    } finally {
      await pool.terminate();
    }
    expect(a.get(3, 15)).toBe(3015);
    expect(readFileSync(path).every((x) => x === 0)).toBe(true);
  });
});

describe('lifetime', () => {
  it('a view keeps the mapping after MMap.close(), also in a worker; collecting the last one unmaps it', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--expose-gc', support('mmap-lifetime.mjs')], { timeout: 20_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      start: 0,
      mapped: 1,
      closedError: 'ValueError: MMap.read: mmap closed or invalid',
      viewAfterClose: [42, 1, 43],
      stillMapped: 1, // the view is alive: gc does not unmap
      afterCollect: 0,
      disk: [42, 1, 43], // the writes through the view after close() reached the file
      workerOnly: 1, // only a worker holds the buffer now
      workerSum: (4096 / 256) * (255 * 256) / 2,
      afterWorker: 0,
    });
  });
});

describe('without the addon', () => {
  it('the package imports and works; the memory-map API throws NativeUnavailableError saying how to build it', async () => {
    for (const addon of [join(dir, 'missing', 'shared_ndarray_native.node'), (() => { const p = join(dir, 'broken.node'); writeFileSync(p, 'not a shared object'); return p; })()]) {
      const { stdout, stderr } = await run(process.execPath, [support('native-missing.mjs')], {
        env: { ...process.env, SHARED_NDARRAY_NATIVE_ADDON: addon }, timeout: 20_000,
      });
      expect(stderr).toBe('');
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out.sum).toBe(5);
      expect(out.available).toBe(false);
      for (const key of ['mmap', 'shm', 'anonymous']) {
        const e = out[key] as { name: string; isClass: boolean; message: string };
        expect(e.name).toBe('NativeUnavailableError');
        expect(e.isClass).toBe(true);
        expect(e.message).toContain(addon);
        expect(e.message).toContain(addon.endsWith('broken.node') ? 'does not load' : 'is not built');
        expect(e.message).toContain(`node ${join(ROOT, 'scripts', 'build-native.mjs')}`);
        expect(e.message).toContain('npm rebuild shared-ndarray');
      }
      expect((out.mmap as { message: string }).message).toMatch(/^mapAnonymous: memory maps need shared-ndarray's native addon/);
      expect((out.shm as { message: string }).message).toMatch(/^shmOpen: /);
    }
  }, 30_000);

  it('a failed build exits 0 with one warning and a recorded reason, which the error then quotes', async () => {
    // a copy of what an installed package holds, built with a compiler that always fails
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    for (const part of ['package.json', 'binding.gyp', 'scripts', 'dist', 'src/io/native']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    const failed = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env: { ...process.env, CXX: 'false' }, timeout: 60_000 });
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^shared-ndarray: WARNING: the optional memory-map addon \(MMap, SharedMemory, memmap\) was not built: node-gyp rebuild exited with \d+: /);
    expect(failed.stderr).toContain('To retry: `node scripts/build-native.mjs`');
    expect(failed.stderr.trim().split('\n')).toHaveLength(3);
    const log = join(pkg, 'build', 'native-build-failure.txt');
    expect(readFileSync(log, 'utf8')).toMatch(/^node-gyp rebuild exited with/);
    const probe = join(pkg, 'probe.mjs');
    writeFileSync(probe, "import { mapAnonymous } from './dist/io/native.js';\ntry { mapAnonymous(1); } catch (e) { console.log(e.name + ': ' + e.message); }\n");
    const { stdout } = await run(process.execPath, [probe], { cwd: pkg, timeout: 20_000 });
    expect(stdout).toContain('NativeUnavailableError: mapAnonymous: memory maps need');
    expect(stdout).toContain(`(the install-time build failed: node-gyp rebuild exited with`);
    expect(stdout).toContain(`details in ${log}`);

    // and a good build clears the record
    // (outside npm, so without npm_config_nodedir: the headers next to this node binary, no download)
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
    const built = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env, timeout: 60_000 });
    const prefix = dirname(dirname(realpathSync(process.execPath)));
    expect(built.stdout.trim()).toBe(`shared-ndarray: built the memory-map addon build/Release/shared_ndarray_native.node (headers from ${join(prefix, 'include', 'node')})`);
    expect(existsSync(log)).toBe(false);
    const ok = await run(process.execPath, ['-e', "import('./dist/io/native.js').then((n) => console.log(n.mapAnonymous(3).byteLength))"], { cwd: pkg, timeout: 20_000 });
    expect(ok.stdout.trim()).toBe('3');
  }, 120_000);
});

describe('zeros still come from plain SharedArrayBuffers', () => {
  it('flush of an ordinary array buffer is a no-op', () => {
    expect(flush(zeros([4]).buffer as SharedArrayBuffer)).toBe(false);
  });
});
