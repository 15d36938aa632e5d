import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, MAX_HEADER_SIZE, NpyFormatError, OSError, ShapeError, type SharedNDArray, array, arange, load, save, zeros, type DType,
} from '../../src/index.js';
import { rejection } from '../support/assert.js';
import { describeNumpy, python as runPython } from '../support/numpy.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/npy/', import.meta.url));
interface Entry { file: string; dtype: DType; shape: number[]; order: 'C' | 'F'; fortranOrder: boolean; version: number; values: string[] }
interface Refused { file: string; refused: string }
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { numpy: string; files: Array<Entry | Refused> };
const arrays = manifest.files.filter((e): e is Entry => 'values' in e);
const refused = manifest.files.filter((e): e is Refused => 'refused' in e);

const tmp = mkdtempSync(join(tmpdir(), 'npy-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A value as generate.py wrote it, parsed the way the dtype reads it back. */
function expected(dtype: DType, text: string): unknown {
  if (dtype === 'bool') return text === 'True';
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(text);
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** All elements in C order. */
const flat = (a: SharedNDArray): unknown[] => (a.ndim === 0 ? [a.get()] : [...a.flatten().toArray() as unknown[]]);

describe('load: files written by numpy', () => {
  it(`covers every dtype, 0-d to 4-d, C and F order, format 1.0, 2.0 and 3.0 (numpy ${manifest.numpy})`, () => {
    expect(arrays.length).toBeGreaterThan(100);
    expect(new Set(arrays.map((e) => e.dtype)).size).toBe(11);
    expect(new Set(arrays.map((e) => e.shape.length))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(new Set(arrays.map((e) => e.version))).toEqual(new Set([1, 2, 3]));
    expect(arrays.some((e) => e.fortranOrder)).toBe(true);
  });

  it.each(arrays.map((e) => [e.file, e] as const))('%s', async (_, entry) => {
    const a = await load(join(FIXTURES, entry.file));
    expect(a.dtype).toBe(entry.dtype);
    expect(a.shape).toEqual(entry.shape);
    expect(a.isShared).toBe(true);
    if (entry.fortranOrder) expect(a.order).toBe('F');
    else expect(a.isContiguous('C')).toBe(true);
    const got = flat(a);
    const want = entry.values.map((v) => expected(entry.dtype, v));
    expect(got).toHaveLength(want.length);
    for (const [i, v] of got.entries()) expect(Object.is(v, want[i]) || v === want[i]).toBe(true);
  });

  it.each(refused.map((e) => [e.file, e] as const))('refuses %s with a DTypeError naming its dtype', async (_, entry) => {
    const error = await rejection(load(join(FIXTURES, entry.file)));
    expect(error).toBeInstanceOf(DTypeError);
    expect(error.message).toContain(`load: ${join(FIXTURES, entry.file)}`);
    if (entry.refused !== 'structured') expect(error.message).toContain(JSON.stringify(entry.refused));
    else expect(error.message).toContain('structured dtype');
  });
});

describe('save: what numpy writes, byte for byte', () => {
  it.each(arrays.map((e) => [e.file, e] as const))('%s', async (_, entry) => {
    const a = await load(join(FIXTURES, entry.file));
    const out = join(tmp, `resaved-${entry.file}`);
    await save(out, a, { version: entry.version as 1 | 2 | 3 });
    expect(readFileSync(out).equals(readFileSync(join(FIXTURES, entry.file)))).toBe(true);
  });
});

describe('save and load round trips', () => {
  const dtypes: DType[] = ['bool', 'int8', 'uint8', 'uint8c', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

  it('any dtype, shape and layout (C, F, strided views) comes back equal, data 64-byte aligned', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...dtypes), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }), fc.constantFrom('C', 'F', 'T', 'step'),
      async (dtype, shape, layout) => {
        const n = shape.reduce((a, b) => a * b, 1);
        let a: SharedNDArray = arange(n).astype(dtype === 'bool' ? 'int8' : dtype).reshape(shape);
        if (dtype === 'bool') a = a.astype('bool');
        if (layout === 'F') a = a.copy('F');
        if (layout === 'T') a = a.T;
        if (layout === 'step' && a.ndim > 0) a = a.slice('::2');
        const file = join(tmp, 'prop.npy');
        await save(file, a);
        const bytes = readFileSync(file);
        const headerLength = bytes.readUInt16LE(8);
        expect((10 + headerLength) % 64).toBe(0);
        expect(bytes[10 + headerLength - 1]).toBe(0x0a);
        const b = await load(file);
        expect(b.dtype).toBe(dtype === 'uint8c' ? 'uint8' : dtype);
        expect(b.shape).toEqual(a.shape);
        expect(b.toArray()).toEqual(a.toArray());
      },
    ), { numRuns: 120 });
  });

  it('a contiguous view that starts inside its buffer saves its own elements, not later ones', async () => {
    const file = join(tmp, 'offset-view.npy');
    const rows = arange(30).slice('10:20');
    await save(file, rows);
    expect((await load(file)).toArray()).toEqual(rows.toArray());
    const tail = arange(24).reshape(2, 3, 4).slice('1:');
    await save(file, tail);
    expect((await load(file)).toArray()).toEqual(tail.toArray());
    const fTail = arange(12).reshape([3, 4], { order: 'F' }).slice(null, '2:');
    await save(file, fTail);
    expect((await load(file)).toArray()).toEqual(fTail.toArray());
  });

  it('overwriting a larger file leaves exactly the new file, byte for byte', async () => {
    const file = join(tmp, 'overwrite.npy');
    const fresh = join(tmp, 'overwrite-fresh.npy');
    await save(file, arange(10_000));
    const small = arange(6).reshape(2, 3);
    await save(file, small);
    await save(fresh, small);
    expect(readFileSync(file)).toEqual(readFileSync(fresh));
    expect((await load(file)).toArray()).toEqual(small.toArray());
    // and a larger array over a smaller file
    await save(file, arange(5000));
    expect((await load(file)).toArray()).toEqual(arange(5000).toArray());
  });

  it('writes to a device too: only a regular file is cut to length', async () => {
    // ftruncate of a character device fails (EINVAL); O_TRUNC, used before, ignored it
    await expect(save('/dev/null', arange(100))).resolves.toBeUndefined();
  });

  it('validates its arguments', async () => {
    await expect(save('', zeros([1]))).rejects.toThrow("save: invalid argument 'path': expected a file path or a file: URL, got \"\"");
    await expect(save(join(tmp, 'x.npy'), [1, 2] as never)).rejects.toThrow("save: invalid argument 'array': expected a SharedNDArray, got [1, 2]");
    await expect(save(join(tmp, 'x.npy'), zeros([1]), { version: 4 as never })).rejects.toThrow("save: invalid argument 'options.version': expected 1, 2 or 3, got 4");
    await expect(load(42 as never)).rejects.toThrow(ArgumentError);
  });

  it('a file that cannot be opened, read or written is an OSError naming the call, like numpy\'s', async () => {
    const missing = join(tmp, 'missing.npy');
    const enoent = await rejection(load(missing));
    expect(enoent).toBeInstanceOf(OSError);
    expect(enoent).toMatchObject({ code: 'ENOENT', syscall: 'open', path: missing });
    expect(enoent.message).toMatch(/^load: ENOENT: no such file or directory, open '.*missing\.npy'$/);
    // a directory opens, and fails at the first read
    expect(await rejection(load(tmp))).toMatchObject({ name: 'OSError', code: 'EISDIR' });
    expect(await rejection(save(join(tmp, 'no-such-dir', 'x.npy'), zeros([1])))).toMatchObject({ name: 'OSError', code: 'ENOENT', syscall: 'open' });
    expect(await rejection(save(tmp, zeros([1])))).toMatchObject({ name: 'OSError', code: 'EISDIR' });
  });
});

describe('malformed files fail with a clear error, never a partial array', () => {
  const good = (): Buffer => readFileSync(join(FIXTURES, 'float64_3x4_C.npy'));
  const header = (dict: string, version = 1): Buffer => {
    const prefix = version === 1 ? 10 : 12;
    const padded = Math.ceil((prefix + dict.length + 1) / 64) * 64 - prefix;
    const out = Buffer.alloc(prefix + padded, 0x20);
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(out);
    if (version === 1) out.writeUInt16LE(padded, 8);
    else out.writeUInt32LE(padded, 8);
    out.write(dict, prefix, 'latin1');
    out[out.length - 1] = 0x0a;
    return out;
  };
  const loadBytes = async (bytes: Buffer): Promise<Error> => {
    const file = join(tmp, 'bad.npy');
    writeFileSync(file, bytes);
    return rejection(load(file));
  };
  const cases: Array<[string, () => Buffer, RegExp]> = [
    ['a wrong magic string', () => Buffer.concat([Buffer.from('PK\x03\x04'), good().subarray(4)]), /is not a \.npy file: it does not start with the magic string/],
    ['an empty file', () => Buffer.alloc(0), /is not a \.npy file/],
    ['an unknown format version', () => { const b = good(); b[6] = 4; return b; }, /has \.npy format version 4\.0; versions 1\.0, 2\.0 and 3\.0 are supported/],
    ['truncated data', () => good().subarray(0, good().length - 8), /is truncated: its header promises shape \(3, 4\) of float64, 96 bytes of data, but 88 bytes follow the header/],
    ['a header that lies about its shape', () => Buffer.concat([header("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 4), }"), good().subarray(128)]), /is truncated: its header promises shape \(4, 4\) of float64, 128 bytes of data, but 96 bytes follow/],
    ['a header over the size numpy allows', () => header(`{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'pad': '${'x'.repeat(MAX_HEADER_SIZE)}'}`, 2), new RegExp(`has a header of \\d+ bytes, more than the ${MAX_HEADER_SIZE} numpy reads`)],
    ['a truncated header', () => good().subarray(0, 40), /is truncated inside its header \(it promises 118 header bytes\)/],
    ['a header that is not a dict', () => header("('descr', '<f8')"), /has a malformed header: expected a dict/],
    ['a missing key', () => header("{'descr': '<f8', 'shape': (1,), }"), /expected exactly the keys 'descr', 'fortran_order' and 'shape', got \["descr", "shape"\]/],
    ['an extra key', () => header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}"), /expected exactly the keys/],
    ['a negative dimension (ShapeError)', () => header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"), /has a header whose shape \(-1,\) no array can have: expected nonnegative integers, got \[-1\]/],
    ['a shape that is not a tuple', () => header("{'descr': '<f8', 'fortran_order': False, 'shape': 3, }"), /'shape' should be a tuple/],
    ['fortran_order not a bool', () => header("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }"), /'fortran_order' should be True or False, got 0/],
    ['an unknown dtype', () => header("{'descr': '<x8', 'fortran_order': False, 'shape': (1,), }"), /has a malformed header: 'descr' is "<x8", which is not a numpy dtype$/],
    ['code instead of a literal', () => header("{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (1,)}"), /has a malformed header: expected a value, found "_" at character 10/],
    ['text after the dict', () => header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } extra"), /unexpected text after the value/],
    ['an unterminated string', () => header("{'descr': '<f8, 'fortran_order': False}"), /has a malformed header/],
    ['a format 3.0 header that is not UTF-8', () => { const b = header("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", 3); b[b.length - 2] = 0xff; return b; }, /has a malformed header: it is not valid UTF-8/],
  ];
  it.each(cases)('%s', async (_, bytes, message) => {
    const error = await loadBytes(bytes());
    expect(error.message).toMatch(message);
    expect([NpyFormatError, DTypeError, ShapeError].some((c) => error instanceof c)).toBe(true);
  });

  it('accepts what old numpy wrote: Python 2 long integers, 16-byte alignment, trailing bytes after the data', async () => {
    const data = Buffer.alloc(16);
    data.writeDoubleLE(1.5, 0);
    data.writeDoubleLE(-2, 8);
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }";
    const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
    const text = Buffer.from(`${dict}${' '.repeat(Math.ceil((10 + dict.length + 1) / 16) * 16 - 10 - dict.length - 1)}\n`, 'latin1');
    prefix.writeUInt16LE(text.length, 8);
    const file = join(tmp, 'old.npy');
    writeFileSync(file, Buffer.concat([prefix, text, data, Buffer.from('another array follows')]));
    expect((await load(file)).toArray()).toEqual([1.5, -2]);
  });
});

describeNumpy('live round trips with numpy', () => {
  const python = (code: string): Promise<string> => runPython(code, tmp);

  it('numpy loads what we save, with the same values, dtype and order', async () => {
    const cases: Array<[string, SharedNDArray]> = [
      ['f8_c', array([[1.5, -2, NaN], [Infinity, 0, 7]])],
      ['f8_f', array([[1.5, -2, 3], [4, 5, 6]]).copy('F')],
      ['i8', array([-(2n ** 63n), 5n, 2n ** 63n - 1n])],
      ['u2_view', arange(24).astype('uint16').reshape(2, 3, 4).slice(null, '::-1', '1:3')],
      ['bool_0d', zeros([], 'bool').fill(true)],
      ['f4_empty', zeros([0, 3], 'float32')],
    ];
    for (const [name, a] of cases) await save(join(tmp, `${name}.npy`), a);
    const out = await python(`
import json, numpy as np
r = {}
for n in ${JSON.stringify(cases.map(([n]) => n))}:
    a = np.load(n + '.npy')
    r[n] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'f': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
            'values': [repr(x) for x in a.ravel().tolist()]}
print(json.dumps(r))`);
    const got = JSON.parse(out) as Record<string, { dtype: string; shape: number[]; f: boolean; values: string[] }>;
    for (const [name, a] of cases) {
      expect(got[name]!.dtype).toBe(a.dtype);
      expect(got[name]!.shape).toEqual(a.shape);
      expect(got[name]!.f).toBe(name === 'f8_f');
      const mine = flat(a).map((v) => typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'bigint' ? String(v) : Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : Number.isInteger(v) && a.dtype.startsWith('float') ? `${v as number}.0` : String(v));
      expect(got[name]!.values).toEqual(mine);
    }
  });

  it('we load what numpy saves, including Fortran order and format 2.0', async () => {
    const out = await python(`
import json, numpy as np
rng = np.random.default_rng(7)
specs = {'a': ('<f8', (3, 5), 'C', None), 'b': ('<i4', (4, 2, 3), 'F', None), 'c': ('<u8', (6,), 'C', (2, 0)), 'd': ('|b1', (2, 2), 'F', (3, 0))}
r = {}
for name, (dt, shape, order, version) in specs.items():
    a = np.array(rng.integers(0, 2**31, size=shape), order=order).astype(dt, order=order)
    if dt == '<f8': a = a / 7.0
    with open(name + '.npy', 'wb') as f:
        np.lib.format.write_array(f, a, version=version)
    r[name] = {'shape': list(a.shape), 'values': [repr(x) for x in a.ravel().tolist()], 'f': order == 'F'}
print(json.dumps(r))`);
    const want = JSON.parse(out) as Record<string, { shape: number[]; values: string[]; f: boolean }>;
    for (const [name, w] of Object.entries(want)) {
      const a = await load(join(tmp, `${name}.npy`));
      expect(a.shape).toEqual(w.shape);
      if (w.f) expect(a.order).toBe('F');
      const values = flat(a).map((v) => typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
      expect(values.map((v, i) => (a.dtype === 'float64' ? Number(v) === Number(w.values[i]) : v === w.values[i]))).not.toContain(false);
    }
  });
});
