import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemmap, load, openMemmap } from '../../src/index.js';
import { describeNumpy, python as runPython } from '../support/numpy.js';
import { filePool } from '../support/pools.js';

/** .npy memmaps written in place by pool workers (memmap.test.ts has the rest). */

const tmp = mkdtempSync(join(tmpdir(), 'memmap-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string): string => join(tmp, name);
const workers = filePool(new URL('../support/memmap-worker.mjs', import.meta.url), { size: 2 });

describe('.npy memmaps shared with pool workers', () => {
  it('pool workers fill a .npy memmap in place, and a read-only one arrives read-only', async () => {
    const path = file('pool.npy');
    const m = createMemmap(path, { dtype: 'float64', shape: [6, 4] });
    await workers().mapRows('fillRows', m, { rowsPerTask: 2 });
    m.flush();
    const back = await load(path);
    for (let r = 0; r < 6; r++) for (let c = 0; c < 4; c++) expect(back.get(r, c)).toBe(r * 1000 + c);
    expect(await workers().apply('tryWrite', openMemmap(path, { mode: 'r' }))).toBe('ReadOnlyError');
  });
});

describeNumpy('memmaps and numpy', () => {
  const python = async (code: string): Promise<string> => (await runPython(code, tmp)).trim();

  it('numpy reads what a pool of workers wrote into a .npy memmap', async () => {
    const m = createMemmap(file('workers.npy'), { dtype: 'float64', shape: [8, 5] });
    await workers().mapRows('fillRows', m);
    m.flush();
    expect(await python(`
import numpy as np
a = np.load('workers.npy')
r, c = np.indices((8, 5))
print(a.shape, a.dtype, bool((a == r * 1000 + c).all()))`)).toBe('(8, 5) float64 True');
  });
});
