import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { frombuffer } from '../../src/index.js';
import { flush, mapFile } from '../../src/io/native.js';
import { filePool } from '../support/pools.js';
import { scratchDir } from '../support/files.js';

/**
 * Memory-mapped files shared with pool workers, and the unmap-on-collection rule (in a child
 * process that can force garbage collection). The API itself is in native.test.ts.
 */

const run = promisify(execFile);
const support = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

const { path: dir, file } = scratchDir('shared-ndarray-native-');

describe('a mapped file shared with pool workers', () => {
  type MMapWorker = {
    fillRows(array: unknown, start: number, stop: number): number;
    fillRowsAndFlush(array: unknown, start: number, stop: number): boolean;
    mappingCount(): number;
  };
  const workers = filePool<MMapWorker>(new URL('../support/mmap-worker.mjs', import.meta.url), { size: 2 });

  it('workers write a float64 matrix that lives in a file; after flush the file holds their writes', async () => {
    const rows = 8, cols = 300; // rows span pages, and the map starts mid-page
    const path = join(dir, 'matrix.bin');
    const offset = 24; // a float64-aligned, page-unaligned header
    const { buffer } = mapFile(path, 'w+', offset, rows * cols * 8);
    const a = frombuffer(buffer, { dtype: 'float64' }).reshape(rows, cols);
    const pool = workers();
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
  });

  it('a copy-on-write map sent to workers: their writes are seen here, never in the file', async () => {
    const path = file(Buffer.alloc(4 * 16 * 8));
    const { buffer } = mapFile(path, 'c', 0, 4 * 16 * 8);
    const a = frombuffer(buffer, { dtype: 'float64' }).reshape(4, 16);
    await workers().mapRows('fillRows', a as never);
    expect(a.get(3, 15)).toBe(3015);
    expect(readFileSync(path).every((x) => x === 0)).toBe(true);
  });
});

// concurrent: each test is a child process of its own
describe.concurrent('lifetime', () => {
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

  it('a worker that alone loaded the addon can exit holding a mapping, or after handing it over', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--expose-gc', support('worker-mapping-exit.mjs')], { timeout: 20_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      kept: 0,
      handed: { code: 0, sum: 7 * 8192 },
      liveBeforeCollect: true,
      afterCollect: 0,
    });
  });
});
