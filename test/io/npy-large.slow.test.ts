import { ftruncateSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir, writeNpy } from '../support/files.js';
import { load } from '../../src/index.js';

/**
 * The .npy test that moves 2 GiB into memory: seconds of page faults and copying, whatever the
 * disk, so it runs with `npm test` but not in the inner-loop `npm run test:unit` (the other
 * load/save tests are in npy.test.ts).
 */

/**
 * On tmpfs where there is one: a read of a hole there copies the shared zero page, where a disk
 * file system first fills 2 GiB of page cache with zeros (about 2 CPU s against 9 for the load).
 */
const tmp = scratchDir('npy-large-test-', { inMemory: true }).path;

/**
 * What these tests check is how `load` reads, not the memory it reads into: huge pages (docs/
 * arrays.md) are off here, as SHARED_NDARRAY_MADVISE_HUGEPAGE=0 lets a user turn them off. On a
 * VM where a fresh huge page is dear the 2 GiB load took 4-5.6 kernel CPU s in them against
 * ~1 s in 4 KiB pages (the test's cost, not a check); huge pages past 2 GiB are checked in
 * test/ndarray/huge-pages-env.test.ts.
 */
const HUGE_PAGES = 'SHARED_NDARRAY_MADVISE_HUGEPAGE';
const savedHugePages = process.env[HUGE_PAGES];
beforeAll(() => {
  process.env[HUGE_PAGES] = '0';
});
afterAll(() => {
  if (savedHugePages === undefined) delete process.env[HUGE_PAGES];
  else process.env[HUGE_PAGES] = savedHugePages;
});

// concurrent: the first test waits on the kernel's page faults in libuv's threads while the
// second computes on the main thread
describe.concurrent('files larger than 2 GiB', () => {
  it('load streams past the 2 GiB a single read can move (a sparse file, so the test is quick)', async () => {
    const n = 2 ** 31 + 64;
    const file = join(tmp, 'large.npy');
    writeNpy(file, '|u1', n, (fd, at) => {
      ftruncateSync(fd, at + n);
      writeSync(fd, Uint8Array.of(7), 0, 1, at + 2 ** 31 - 1);
      writeSync(fd, Uint8Array.of(9), 0, 1, at + n - 1);
    });
    const a = await load(file);
    expect(a.shape).toEqual([n]);
    expect(a.get(2 ** 31 - 1)).toBe(7);
    expect(a.get(n - 1)).toBe(9);
    expect(a.get(2 ** 31)).toBe(0);
    rmSync(file);
  }, 60_000);

  it('load of a file read by several readers at once puts every element in its place', async () => {
    // 136 MB: four shares of 34 MiB, the last one short and none on an element boundary of the file
    const n = 17_000_003;
    const file = join(tmp, 'shares.npy');
    // the values 0..n-1 written a block at a time from one reused buffer: what save(arange(n))
    // writes, without a 136 MB array of fresh memory (huge pages, faulted in) that nothing checks
    writeNpy(file, '<f8', n, (fd, at) => {
      const block = new Float64Array(1 << 20);
      for (let start = 0; start < n; start += block.length) {
        const length = Math.min(block.length, n - start);
        for (let i = 0; i < length; i++) block[i] = start + i;
        writeSync(fd, block, 0, 8 * length, at + 8 * start);
      }
    });
    const a = await load(file, { dtype: 'float64' });
    rmSync(file);
    expect(a.shape).toEqual([n]);
    // one read of `data` (a getter that checks contiguity), not one per element
    const data = a.data;
    let wrong = -1;
    for (let i = 0; i < n && wrong < 0; i++) if (data[i] !== i) wrong = i;
    expect(wrong).toBe(-1);
  }, 60_000);
});
