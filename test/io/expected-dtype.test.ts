// load(path, { dtype }) and openMemmap(path, { dtype }): the file must hold that dtype, and the
// result is typed with it, so it can go to a typed pool call without a cast.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ArgumentError, DTypeError, type Memmap, type SharedNDArray, arange, load, openMemmap, save } from '../../src/index.js';
import { rejection, thrown } from '../support/assert.js';

const tmp = mkdtempSync(join(tmpdir(), 'expected-dtype-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("options.dtype of load and openMemmap", () => {
  it('checks the dtype and types the result; any spelling of the dtype', async () => {
    const path = join(tmp, 'f4.npy');
    await save(path, arange(6, 'float32').reshape(2, 3));
    const a = await load(path, { dtype: 'float32' });
    expectTypeOf(a).toEqualTypeOf<SharedNDArray<'float32'>>();
    expect(a.toArray(2)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect((await load(path, { dtype: '<f4' })).dtype).toBe('float32');
    expectTypeOf(await load(path)).toEqualTypeOf<SharedNDArray>();
    const m = openMemmap(path, { mode: 'r', dtype: 'f' });
    expectTypeOf(m).toEqualTypeOf<Memmap<'float32'>>();
    expect(m.get(1, 2)).toBe(5);
  });

  it('another dtype is a DTypeError naming both, before any data is read or mapped', async () => {
    const path = join(tmp, 'i8.npy');
    await save(path, arange(0n, 3n));
    const error = await rejection(load(path, { dtype: 'float64' }));
    expect(error).toBeInstanceOf(DTypeError);
    expect(error.message).toBe(`load: ${path} holds int64 data, not the float64 that options.dtype expects (convert with astype after loading, or drop options.dtype)`);
    const mapped = thrown(() => openMemmap(path, { dtype: 'int32' }));
    expect(mapped).toBeInstanceOf(DTypeError);
    expect(mapped.message).toMatch(/^openMemmap: .* holds int64 data, not the int32 that options\.dtype expects/);
  });

  it('an unknown dtype or option is an ArgumentError or DTypeError naming it', async () => {
    const path = join(tmp, 'f4.npy');
    expect(await rejection(load(path, { dtype: 'float128' as never }))).toBeInstanceOf(DTypeError);
    expect(await rejection(load(path, { type: 'float32' } as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => openMemmap(path, { dtyp: 'f4' } as never))).toBeInstanceOf(ArgumentError);
  });
});
