import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArgumentError, Memmap, NpyFormatError, OSError, ReadOnlyError, SharedNDArray, ValueError, arange, createMemmap, load, memmap,
  openMemmap, save,
} from '../../src/index.js';
import { describeNumpy, python as runPython } from '../support/numpy.js';

const tmp = mkdtempSync(join(tmpdir(), 'memmap-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string): string => join(tmp, name);
const bytesOf = (...values: number[]): Buffer => Buffer.from(Float64Array.from(values).buffer);

describe('memmap modes, as numpy means them', () => {
  it("'w+' creates the file; 'r+' writes reach it and another mapping of it", () => {
    const path = file('wplus.f8');
    const m = memmap(path, { dtype: 'float64', shape: [2, 3], mode: 'w+' });
    expect(m).toBeInstanceOf(Memmap);
    expect(m).toBeInstanceOf(SharedNDArray);
    expect(m.isShared).toBe(true);
    expect(statSync(path).size).toBe(48);
    m.set(1, 2, 7.5);
    m.flush();
    expect(readFileSync(path).subarray(40).equals(bytesOf(7.5))).toBe(true);
    const other = memmap(path, { dtype: 'float64', shape: [6], mode: 'r+' });
    expect(other.get(5)).toBe(7.5);
    other.set(0, -1);
    expect(m.get(0, 0)).toBe(-1);
    expect(m.filename).toBe(path);
    expect(m.mode).toBe('w+');
    expect(m.fileOffset).toBe(0);
  });

  it("'r' refuses writes through the array and every view, and a raw write never reaches the file", () => {
    const path = file('r.f8');
    writeFileSync(path, bytesOf(1, 2, 3, 4));
    const m = memmap(path, { dtype: 'float64', mode: 'r' });
    expect(m.shape).toEqual([4]);
    expect(m.writeable).toBe(false);
    expect(() => m.set(0, 9)).toThrow(ReadOnlyError);
    expect(() => m.slice('1:').fill(0)).toThrow(ReadOnlyError);
    m.data[0] = 99;
    m.flush();
    expect(readFileSync(path).equals(bytesOf(1, 2, 3, 4))).toBe(true);
    expect(m.toArray()).toEqual([99, 2, 3, 4]);
  });

  it("'c' is writable but never written back", () => {
    const path = file('c.f8');
    writeFileSync(path, bytesOf(1, 2));
    const m = memmap(path, { dtype: 'float64', mode: 'c' });
    m.fill(5);
    m.flush();
    expect(m.toArray()).toEqual([5, 5]);
    expect(readFileSync(path).equals(bytesOf(1, 2))).toBe(true);
    expect(memmap(path, { dtype: 'float64', mode: 'r' }).toArray()).toEqual([1, 2]);
  });

  it("offset, order and numpy's long mode names; the default dtype is uint8, 'r+' grows a short file", () => {
    const path = file('offset.bin');
    writeFileSync(path, Buffer.concat([Buffer.from('HEADER!!'), bytesOf(1, 2, 3, 4, 5, 6)]));
    const f = memmap(path, { dtype: 'float64', shape: [2, 3], offset: 8, order: 'F', mode: 'readonly' });
    expect(f.order).toBe('F');
    expect(f.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    const bytes = memmap(path, { mode: 'r', shape: [8] });
    expect(bytes.dtype).toBe('uint8');
    expect(Buffer.from(bytes.data.subarray(bytes.offset, bytes.offset + 8)).toString()).toBe('HEADER!!');
    const grown = memmap(file('grow.bin'), { dtype: 'int32', shape: [4], mode: 'w+' });
    grown.close();
    const bigger = memmap(file('grow.bin'), { dtype: 'int32', shape: [10], mode: 'readwrite' });
    expect(statSync(file('grow.bin')).size).toBe(40);
    expect(bigger.get(9)).toBe(0);
  });

  it('close() flushes and refuses later flushes; views stay usable', () => {
    const m = memmap(file('close.f8'), { dtype: 'float64', shape: [3], mode: 'w+' });
    const view = m.slice('1:');
    view.fill(2);
    m.close();
    expect(m.closed).toBe(true);
    m.close();
    expect(() => m.flush()).toThrow(ValueError);
    expect(readFileSync(file('close.f8')).equals(bytesOf(0, 2, 2))).toBe(true);
    view.set(0, 3);
    expect(view.get(0)).toBe(3);
  });

  it('refuses bad arguments and impossible files with clear errors', () => {
    const path = file('small.bin');
    writeFileSync(path, Buffer.alloc(10));
    expect(() => memmap(path, { dtype: 'float64', mode: 'r' })).toThrow(`memmap: the 10 bytes of ${path} after offset 0 are not a whole number of float64 items (8 bytes); give a shape`);
    expect(() => memmap(path, { mode: 'r', shape: [11] })).toThrow(ValueError);
    expect(() => memmap(path, { mode: 'r', offset: 11 })).toThrow(`memmap: offset 11 is past the end of ${path} (10 bytes)`);
    expect(() => memmap(file('new.bin'), { mode: 'w+' })).toThrow("memmap: invalid argument 'options.shape': required in mode 'w+', which makes a new file");
    expect(() => memmap(path, { mode: 'x' as never })).toThrow("memmap: invalid argument 'options.mode': expected one of 'r', 'r+', 'w+', 'c', got \"x\"");
    expect(() => memmap(path, { offset: -1 })).toThrow("memmap: invalid argument 'options.offset': expected a nonnegative integer number of bytes, got -1");
    expect(() => memmap(path, { size: 3 } as never)).toThrow('unknown option "size"');
    expect(() => memmap('', {})).toThrow(ArgumentError);
    expect(() => memmap(file('missing.bin'), { mode: 'r' })).toThrow(OSError);
    // a failed system call is an OSError naming the function, whichever call failed
    expect(() => memmap(tmp, { shape: [1 << 20] })).toThrow(OSError);
    expect(() => memmap(tmp, { shape: [1 << 20] })).toThrow(/^memmap: EISDIR/);
    expect(() => openMemmap(tmp)).toThrow(OSError);
    expect(() => openMemmap(tmp)).toThrow(/^openMemmap: EISDIR/);
  });
});

describe('.npy memmaps', () => {
  it('createMemmap writes the header numpy writes, and maps zeros after it', async () => {
    const path = file('created.npy');
    const m = createMemmap(path, { dtype: 'int16', shape: [2, 3] });
    expect(m.shape).toEqual([2, 3]);
    expect(m.mode).toBe('w+');
    m.set(1, 1, -5);
    m.flush();
    const saved = file('saved.npy');
    await save(saved, m.copy());
    expect(readFileSync(path).equals(readFileSync(saved))).toBe(true);
    expect((await load(path)).toArray()).toEqual([[0, 0, 0], [0, -5, 0]]);
  });

  it('openMemmap maps a saved file after its header, Fortran order included, in every mode', async () => {
    const path = file('opened.npy');
    await save(path, arange(6).reshape(2, 3).copy('F'));
    const r = openMemmap(path, { mode: 'r' });
    expect(r.order).toBe('F');
    expect(r.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(() => r.set(0, 0, 1)).toThrow(ReadOnlyError);
    const rw = openMemmap(path);
    rw.set(1, 2, 50);
    rw.flush();
    expect((await load(path)).get(1, 2)).toBe(50);
    const c = openMemmap(path, { mode: 'copyonwrite' });
    c.set(0, 0, -1);
    expect((await load(path)).get(0, 0)).toBe(0);
    expect(rw.fileOffset).toBe(128);
  });

  it('openMemmap refuses truncated files and a w+ mode', async () => {
    const path = file('trunc.npy');
    await save(path, arange(10));
    writeFileSync(path, readFileSync(path).subarray(0, 128 + 40));
    expect(() => openMemmap(path, { mode: 'r' })).toThrow(NpyFormatError);
    expect(() => openMemmap(path, { mode: 'w+' as never })).toThrow("openMemmap: invalid argument 'options.mode': expected one of 'r', 'r+', 'c'");
    expect(() => createMemmap(path, {} as never)).toThrow("createMemmap: invalid argument 'options.shape': required");
  });
});

describeNumpy('memmaps and numpy', () => {
  const python = async (code: string): Promise<string> => (await runPython(code, tmp)).trim();

  it("we and numpy's np.memmap see each other's writes to the same file", async () => {
    const path = file('both.f4');
    const m = memmap(path, { dtype: 'float32', shape: [4], mode: 'w+' });
    m.set(0, 1.5);
    m.flush();
    expect(await python(`
import numpy as np
a = np.memmap('both.f4', dtype='<f4', mode='r+', shape=(4,))
print(a[0]); a[3] = 42.25; a.flush()`)).toBe('1.5');
    expect(m.get(3)).toBe(42.25);
    expect(openMemmap(await (async () => {
      await python("import numpy as np; m = np.lib.format.open_memmap('np.npy', mode='w+', dtype='<i4', shape=(2, 2)); m[1, 0] = 9; m.flush()");
      return file('np.npy');
    })(), { mode: 'r' }).toArray()).toEqual([[0, 0], [9, 0]]);
  });
});
