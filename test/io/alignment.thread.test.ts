import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { BufferError, DTYPES, MMap, memmap, openMemmap, type DType } from '../../src/index.js';
import { mapFile, nativeAddonPath } from '../../src/io/native.js';

/**
 * Misaligned data in a memory map. A typed array over a SharedArrayBuffer whose memory starts at a
 * misaligned address aborts the process when an element is read through V8's slow path or written
 * (`Check failed: kInt32Size <= alignof(ElementType)`, exit 133): the addon used to make such
 * buffers whenever a file offset was not a multiple of 8. Now every buffer starts 8-byte aligned
 * and the misalignment lives in a byte offset, so each mapping function either maps the data
 * correctly or refuses it with BufferError.
 */

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/alignment-child.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'alignment-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Case { fn: string; dtype: DType; offset?: number; at?: number; outcome: string; message?: string }

/** What each case must give: 'ok', or BufferError with a message matching the pattern. */
function expectation(c: Case): 'ok' | RegExp {
  const { itemsize } = DTYPES[c.dtype];
  const family = c.fn.split(' ')[0];
  if (family === 'memmap' || family === 'openMemmap') {
    return c.offset! % itemsize === 0 ? 'ok' : new RegExp(`^${family}: .*${c.offset}.* not a multiple of ${c.dtype}'s item size ${itemsize}: a typed array cannot view misaligned elements`);
  }
  if (c.fn.endsWith('read()') || family === 'createMemmap') return 'ok';
  if (family === 'MMap' && c.offset! % 8 !== 0) return new RegExp(`^MMap.buffer: this map starts at file offset ${c.offset}, which is not a multiple of 8`);
  return c.at! % itemsize === 0 ? 'ok' : new RegExp(`^frombuffer: offset ${c.at} .* is not aligned to ${c.dtype}'s item size ${itemsize}`);
}

describe('misaligned data never aborts the process', () => {
  it('every mapping function maps it correctly or refuses it with BufferError: every dtype, every offset mod 8 (in a child process)', async () => {
    // a child process: before the fix this aborted (exit 133), which must not take the test runner with it
    const { stdout, stderr } = await run(process.execPath, [CHILD], { maxBuffer: 64 << 20 }).catch((error: { code?: unknown; signal?: unknown; stderr?: string }) => {
      throw new Error(`the child died (exit ${String(error.code)}, signal ${String(error.signal)}): ${String(error.stderr).slice(0, 2000)}`);
    });
    expect(stderr).toBe('');
    const cases = stdout.trim().split('\n').map((line) => JSON.parse(line) as Case);
    const dtypes = Object.keys(DTYPES).length;
    // memmap 3 modes × 8 offsets, openMemmap 3 modes × 8 offsets, createMemmap 3 versions, MMap 3
    // accesses × 8 offsets × 8 frombuffer offsets, SharedMemory and Memmap.buffer × 8 offsets
    expect(cases.length).toBe(dtypes * (24 + 24 + 3 + 3 * 64 + 16) + 3 * 8);
    for (const c of cases) {
      const want = expectation(c);
      const label = `${c.fn} ${c.dtype} offset ${String(c.offset)} at ${String(c.at)}: ${c.message ?? ''}`;
      if (want === 'ok') {
        expect(c.outcome, label).toBe('ok');
      } else {
        expect(c.outcome, label).toBe('BufferError');
        expect(c.message, label).toMatch(want);
      }
    }
    // both kinds of outcome occur for every element size: the cases test something
    for (const size of [2, 4, 8]) {
      const sized = cases.filter((c) => DTYPES[c.dtype].itemsize === size && c.fn.startsWith('openMemmap'));
      expect(new Set(sized.map((c) => c.outcome))).toEqual(new Set(['ok', 'BufferError']));
    }
  });

  it('the messages say what is misaligned and what to do instead', () => {
    const raw = join(tmp, 'raw.bin');
    writeFileSync(raw, Buffer.alloc(200));
    const e = thrown(() => memmap(raw, { dtype: 'uint16', mode: 'c', offset: 69, shape: [3] }));
    expect(e).toBeInstanceOf(BufferError);
    expect(e.message).toBe("memmap: offset 69 is not a multiple of uint16's item size 2: a typed array cannot view misaligned elements (numpy can). "
      + "Map the bytes (dtype 'uint8') and copy them into an aligned array, or use an offset that is a multiple of 2");

    // a .npy whose header ends at byte 69, as the file: numpy maps it, we cannot
    const npy = join(tmp, 'odd.npy');
    const header = `${"{'descr': '<u2', 'fortran_order': False, 'shape': (3,), }".padEnd(58, ' ')}\n`;
    writeFileSync(npy, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]), Buffer.from(header), Buffer.alloc(6)]));
    const f = thrown(() => openMemmap(npy, { mode: 'c' }));
    expect(f).toBeInstanceOf(BufferError);
    expect(f.message).toBe(`openMemmap: the data of ${npy} starts at byte 69, which is not a multiple of uint16's item size 2: `
      + 'a typed array cannot view misaligned elements (numpy can; numpy itself writes the data 64-byte aligned). '
      + "load() reads a copy into aligned memory, or memmap(path, { dtype: 'uint8', offset: 69 }) maps the bytes");

    const mm = new MMap(raw, 10, { offset: 69 });
    expect(mm.read(3)).toEqual(Buffer.alloc(3));
    const g = thrown(() => mm.buffer);
    expect(g).toBeInstanceOf(BufferError);
    expect(g.message).toBe('MMap.buffer: this map starts at file offset 69, which is not a multiple of 8, and a SharedArrayBuffer must start 8-byte aligned '
      + '(a typed array over a misaligned one aborts the process): map from offset 64 and view from byte 5, '
      + "or use this map's methods (read, slice, find, ...), which work at any offset");
  });

  it('mapFile starts every buffer 8-byte aligned: the misalignment is the view\'s byteOffset', () => {
    const raw = join(tmp, 'bytes.bin');
    writeFileSync(raw, Buffer.from(Array.from({ length: 100 }, (_, i) => i)));
    for (let offset = 0; offset < 16; offset++) {
      const view = mapFile(raw, 'r', offset, 20);
      expect(view.byteOffset).toBe(offset % 8);
      expect(view.buffer.byteLength).toBe(20 + (offset % 8));
      expect([...view.subarray(0, 3)]).toEqual([offset, offset + 1, offset + 2]);
    }
    // the addon itself refuses to make a misaligned buffer, whoever calls it
    const addon = createRequire(import.meta.url)(nativeAddonPath()) as { mapFile(file: string, mode: string, offset: number, length: number): SharedArrayBuffer };
    expect(() => addon.mapFile(raw, 'r', 3, 1)).toThrow(new RangeError("mapFile: 'offset' must be a multiple of 8, so the buffer starts aligned for every typed array"));
    expect(addon.mapFile(raw, 'r', 8, 1).byteLength).toBe(1);
  });
});
