import { existsSync, ftruncateSync, mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { writeNpy } from '../support/files.js';
import { BufferError, DTYPES, createMemmap, load, memmap, openMemmap, zeros, type DType } from '../../src/index.js';
import { maxTypedArrayLength } from '../../src/ndarray/memory.js';

/**
 * A SharedNDArray is a view of one typed array, so it has at most as many elements as one typed
 * array can have in the running V8 (2^32 under Node 20). Beyond that, every way to make an array
 * says so, naming the limit, before it allocates or maps anything; it used to fail deep inside with
 * "cannot view the buffer: Invalid typed array length", which reads like a detached buffer.
 */

const tmp = mkdtempSync(join(tmpdir(), 'typed-array-limit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const limitMessage = (fn: string, count: number, dtype: DType): string =>
  `${fn}: ${count} elements of ${dtype} are more than one typed array can hold in this runtime ` +
  `(at most ${maxTypedArrayLength(dtype)} elements under Node ${process.version}), and a SharedNDArray is a view of one typed array: ` +
  'split the data into several arrays (memmap maps any part of a file, given an offset and a shape)';

/** A sparse `.npy` of `count` bytes of uint8 (numpy's header layout), so the test costs no disk. */
function sparseNpy(name: string, count: number): string {
  const file = join(tmp, name);
  writeNpy(file, '|u1', count, (fd, at) => {
    ftruncateSync(fd, at + count);
    writeSync(fd, Uint8Array.of(9), 0, 1, at + count - 1);
  });
  return file;
}

describe('the typed-array length limit of the runtime', () => {
  it('is what V8 enforces: the limit itself works, one more element does not', () => {
    const max = maxTypedArrayLength('uint8');
    expect(max).toBeGreaterThanOrEqual(2 ** 32);
    if (max === 2 ** 32) {
      // Node 20: 2^32 elements, whatever the element size (the pages are never touched)
      const sab = new SharedArrayBuffer(max + 1);
      expect(new Uint8Array(sab, 0, max).length).toBe(max);
      expect(() => new Uint8Array(sab, 0, max + 1)).toThrow(/Invalid typed array length/);
      expect(maxTypedArrayLength('float64')).toBe(2 ** 32);
    }
  });

  it('every way to make an array refuses more elements with BufferError naming the limit, before allocating', () => {
    for (const dtype of Object.keys(DTYPES) as DType[]) {
      const count = maxTypedArrayLength(dtype) + 1;
      if (!Number.isSafeInteger(count * DTYPES[dtype].itemsize)) continue; // a shape error comes first
      const e = thrown(() => zeros([count], dtype));
      expect(e, dtype).toBeInstanceOf(BufferError);
      expect(e.message).toBe(limitMessage('zeros', count, dtype));
    }
  });

  const sparseOk = maxTypedArrayLength('uint8') <= 2 ** 40;
  it.runIf(sparseOk)('openMemmap, memmap, load and createMemmap of a file past the limit: BufferError naming it', async () => {
    const count = maxTypedArrayLength('uint8') + 1;
    const file = sparseNpy('over.npy', count);
    for (const mode of ['r', 'r+', 'c'] as const) {
      const e = thrown(() => openMemmap(file, { mode }));
      expect(e).toBeInstanceOf(BufferError);
      expect(e.message).toBe(limitMessage('openMemmap', count, 'uint8'));
    }
    const m = thrown(() => memmap(file, { dtype: 'uint8', mode: 'r' }));
    expect(m.message).toBe(limitMessage('memmap', count + 128, 'uint8')); // the whole file, header and all
    const l = await load(file).then(() => new Error('loaded'), (error: Error) => error);
    expect(l).toBeInstanceOf(BufferError);
    expect(l.message).toBe(limitMessage('load', count, 'uint8'));
    const created = join(tmp, 'never.npy');
    const c = thrown(() => createMemmap(created, { dtype: 'uint8', shape: [count] }));
    expect(c.message).toBe(limitMessage('createMemmap', count, 'uint8'));
    expect(existsSync(created)).toBe(false);
    rmSync(file);
  });

  it.runIf(sparseOk)('a file of exactly the limit maps, and its last element reads and writes', () => {
    const count = maxTypedArrayLength('uint8');
    const file = sparseNpy('exact.npy', count);
    const a = openMemmap(file, { mode: 'c' });
    expect(a.shape).toEqual([count]);
    expect(a.get(count - 1)).toBe(9);
    a.set(count - 1, 10);
    expect(a.get(count - 1)).toBe(10);
    expect(a.get(count - 2)).toBe(0);
    rmSync(file);
  });
});
