/**
 * Every `throw` in src/ is exercised here: each test asserts the error class, that it is a
 * SharedNDArrayError, its `name`, and its message (exact, or a regex naming the function and the
 * argument). Organised by the public function a user calls.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, BufferError, CopyRequiredError, DTYPES, DTypeError, IndexError, NotContiguousError, NotSharedError,
  ShapeError, SharedNDArray, SharedNDArrayError, ValueError, arange, array, dtype, empty, frombuffer,
  fromStdlib, full, newaxis, ones, zeros, type NDArrayDescriptor, type StdlibNdarray,
} from '../../src/index.js';
import { maxTypedArrayLength } from '../../src/ndarray/memory.js';

type ErrorClass = new (message?: string) => SharedNDArrayError;

/** Runs `fn`, which must throw `cls` (a SharedNDArrayError) whose message matches `message`. */
function throws(fn: () => unknown, cls: ErrorClass, message: string | RegExp): SharedNDArrayError {
  expect(fn).toThrow(cls);
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SharedNDArrayError);
  expect(caught).toBeInstanceOf(Error);
  const err = caught as SharedNDArrayError;
  if (cls !== SharedNDArrayError) expect(err.name).toBe(cls.name);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  return err;
}

/** A byte-for-byte snapshot of the whole memory behind an array or buffer. */
function snapshot(source: SharedNDArray | ArrayBufferLike): number[] {
  const buffer = source instanceof SharedNDArray ? source.buffer : source;
  return Array.from(new Uint8Array(buffer));
}

const SUPPORTED = 'int8, uint8, uint8c, int16, uint16, int32, uint32, int64, uint64, float32, float64, bool';
const stdlibCtor = createRequire(import.meta.url)('@stdlib/ndarray/ctor') as (
  dtype: string, data: unknown, shape: number[], strides: number[], offset: number, order: string,
) => StdlibNdarray;

// ---------------------------------------------------------------------------------------------
describe('the error classes', () => {
  it('all derive from SharedNDArrayError and Error and carry their own name', () => {
    const classes = [ArgumentError, DTypeError, IndexError, ShapeError, BufferError, ValueError, CopyRequiredError, NotContiguousError, NotSharedError];
    for (const C of classes) {
      const e = new C('m');
      expect(e).toBeInstanceOf(SharedNDArrayError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(C.name);
      expect(e.message).toBe('m');
    }
    expect(new SharedNDArrayError('x').name).toBe('SharedNDArrayError');
  });
});

// ---------------------------------------------------------------------------------------------
describe('dtype()', () => {
  it('refuses a non-string, non-DTypeInfo spec', () => {
    for (const [spec, shown] of [[42, '42'], [undefined, 'undefined'], [null, 'null'], [{}, 'an object'], [NaN, 'NaN'], [8n, '8n'], [Float64Array, 'function Float64Array'], [['f8'], '["f8"]'], [true, 'true']] as const) {
      throws(() => dtype(spec as never), DTypeError,
        `dtype: invalid argument 'dtype': expected a dtype name such as 'float64', 'f8' or 'd', got ${shown}`);
    }
  });


  it('refuses big-endian spellings and suggests the little-endian one', () => {
    throws(() => dtype('>f8' as never), DTypeError,
      `dtype: invalid argument 'dtype': big-endian dtype ">f8" is not supported; JS typed arrays are little-endian on this host (use '<f8')`);
    throws(() => dtype('!i4' as never), DTypeError, /^dtype: invalid argument 'dtype': big-endian dtype "!i4" is not supported; .*\(use '<i4'\)$/);
    throws(() => dtype('>u2' as never), DTypeError, /big-endian dtype ">u2" is not supported/);
  });

  it('refuses numpy dtypes it cannot hold, naming what they are', () => {
    const cases: [string, string][] = [
      ['f2', 'float16'], ['<f2', 'float16'], ['e', 'float16'], ['float16', 'float16'], ['c16', 'complex128'],
      ['c8', 'complex64'], ['complex', 'complex128'], ['O', 'object'], ['object', 'object'], ['U10', 'str'],
      ['S5', 'bytes'], ['V8', 'void (structured)'], ['M8', 'datetime64'], ['m8', 'timedelta64'], ['g', 'longdouble'],
      ['f16', 'float128'],
    ];
    for (const [spec, what] of cases) {
      throws(() => dtype(spec as never), DTypeError,
        `dtype: invalid argument 'dtype': dtype ${JSON.stringify(spec)} (${what}) is not supported; supported dtypes: ${SUPPORTED}`);
    }
  });

  it('refuses unknown names and lists what is supported', () => {
    for (const spec of ['float65', 'abc', '', 'Float64', '<', '>', 'i3', 'c_char', 'int128']) {
      throws(() => dtype(spec as never), DTypeError,
        `dtype: invalid argument 'dtype': unknown dtype ${JSON.stringify(spec)}; supported dtypes: ${SUPPORTED}, numpy strings such as '<f8' or 'i4', and typecodes such as 'd' or 'i'`);
    }
  });

  it('refuses an object whose name is not a dtype', () => {
    throws(() => dtype({ name: 'float65' } as never), DTypeError, /^dtype: invalid argument 'dtype': expected a dtype name .* got an object$/);
  });

  it('refuses an object whose name is an Object.prototype key', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      throws(() => dtype({ name } as never), DTypeError, /^dtype: invalid argument 'dtype': expected a dtype name/);
    }
  });

  it('zeros() with such an object throws a DTypeError, not a native TypeError', () => {
    throws(() => zeros(3, { name: 'toString' } as never), DTypeError, /^zeros: invalid argument 'dtype'/);
  });

  it('accepts the 1-byte types with a big-endian prefix, as numpy does (byte order is meaningless for one byte)', () => {
    // numpy 1.24: np.dtype('>i1') == int8, np.dtype('>b') == int8, np.dtype('>?') == bool
    expect(dtype('>i1' as never)).toBe('int8');
    expect(dtype('>u1' as never)).toBe('uint8');
    expect(dtype('>?' as never)).toBe('bool');
  });
});

// ---------------------------------------------------------------------------------------------
describe('dtype arguments of the other functions', () => {
  it('name the calling function and argument', () => {
    throws(() => zeros(3, 'f2' as never), DTypeError, /^zeros: invalid argument 'dtype': dtype "f2" \(float16\) is not supported/);
    throws(() => empty(3, '>f8' as never), DTypeError, /^empty: invalid argument 'dtype': big-endian dtype ">f8"/);
    throws(() => ones(3, 'c16' as never), DTypeError, /^ones: invalid argument 'dtype': dtype "c16" \(complex128\)/);
    throws(() => full(3, 1 as never, 'O' as never), DTypeError, /^full: invalid argument 'dtype': dtype "O" \(object\)/);
    throws(() => arange(3, 'float65' as never), DTypeError, /^arange: invalid argument 'dtype': unknown dtype "float65"/);
    throws(() => array([1], 'x' as never), DTypeError, /^array: invalid argument 'dtype': unknown dtype "x"/);
    throws(() => frombuffer(new SharedArrayBuffer(8), { dtype: 'f2' as never }), DTypeError, /^frombuffer: invalid argument 'options.dtype': dtype "f2"/);
    throws(() => zeros(2).astype('>i4' as never), DTypeError, /^astype: invalid argument 'dtype': big-endian dtype ">i4"/);
    throws(() => new SharedNDArray([2], { dtype: 5 as never }), DTypeError, /^SharedNDArray: invalid argument 'options.dtype': expected a dtype name/);
    throws(() => zeros(3, 5 as never), DTypeError, /^zeros: invalid argument 'dtype': expected a dtype name .* got 5$/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('zeros / empty / ones (shape validation)', () => {
  it('refuses a shape that is neither a number nor an array', () => {
    const cases: [unknown, string][] = [['3', '"3"'], [undefined, 'undefined'], [null, 'null'], [{}, 'an object'], [3n, '3n'], [true, 'true']];
    for (const [shape, shown] of cases) {
      throws(() => zeros(shape as never), ArgumentError,
        `zeros: invalid argument 'shape': expected an array of nonnegative integers or integers as separate arguments, got ${shown}`);
    }
    throws(() => empty('2' as never), ArgumentError, /^empty: invalid argument 'shape'/);
    throws(() => ones({ length: 2 } as never), ArgumentError, /^ones: invalid argument 'shape'/);
  });

  it('refuses negative, fractional, non-finite or non-number lengths', () => {
    const cases: [unknown, string][] = [
      [-1, '[-1]'], [2.5, '[2.5]'], [NaN, '[NaN]'], [Infinity, '[Infinity]'], [[2, -1], '[2, -1]'], [[2, 0.5], '[2, 0.5]'],
      [[1, '2'], '[1, "2"]'], [[2n], '[2n]'], [[undefined], '[undefined]'], [[2 ** 53], '[9007199254740992]'],
    ];
    for (const [shape, shown] of cases) {
      throws(() => zeros(shape as never), ShapeError, `zeros: invalid argument 'shape': expected nonnegative integers, got ${shown}`);
    }
    throws(() => ones(new Float64Array([1.5]) as unknown as number[]), ShapeError, `ones: invalid argument 'shape': expected nonnegative integers, got [1.5]`);
    throws(() => empty([-3]), ShapeError, /^empty: invalid argument 'shape': expected nonnegative integers, got \[-3\]$/);
    // -1 is only for reshape
    throws(() => zeros([-1, 2]), ShapeError, `zeros: invalid argument 'shape': expected nonnegative integers, got [-1, 2]`);
  });

  it('refuses a shape with more elements than can be indexed', () => {
    throws(() => zeros([2 ** 30, 2 ** 30]), ShapeError,
      `zeros: invalid argument 'shape': shape [1073741824, 1073741824] has more elements than can be indexed`);
  });

  it('refuses more elements than one typed array holds (2^53 - 1 bytes at most, 2^32 elements under Node 20)', () => {
    // 2^52 float64 elements is a legal element count but 2^55 bytes
    throws(() => zeros([2 ** 26, 2 ** 26]), BufferError,
      /^zeros: 4503599627370496 elements of float64 are more than one typed array can hold in this runtime \(at most \d+ elements under Node v/);
  });

  // Under Node 20 a typed array holds at most 2^32 elements, which the engine allocates (lazily)
  // on a large machine: no element count both passes that check and is certain to be refused.
  it.runIf(maxTypedArrayLength('float64') >= 2 ** 45)('reports an allocation the engine refuses as BufferError with the cause', () => {
    // 2^48 bytes exceeds any x64 user address space
    const err = throws(() => zeros(2 ** 45), BufferError,
      /^zeros: cannot allocate 281474976710656 bytes of shared memory for 35184372088832 elements of float64: .+/);
    expect(err.cause).toBeInstanceOf(RangeError);
  });

  it('allocation errors name the function that allocated', () => {
    throws(() => zeros([2 ** 26, 2 ** 26]), BufferError, /^zeros: /);
    throws(() => ones(2 ** 45), BufferError, /^ones: /);
  });

  it('refuses an unknown order', () => {
    for (const [order, shown] of [['X', '"X"'], ['c', '"c"'], ['A', '"A"'], ['K', '"K"'], [1, '1'], [null, 'null']] as const) {
      throws(() => zeros(3, 'f8', order as never), ArgumentError, `zeros: invalid argument 'order': expected 'C' or 'F', got ${shown}`);
    }
    throws(() => ones(3, 'f8', 'x' as never), ArgumentError, /^ones: invalid argument 'order'/);
    throws(() => empty(3, 'f8', 'x' as never), ArgumentError, /^empty: invalid argument 'order'/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('full', () => {
  it('refuses a value of no scalar type when no dtype is given', () => {
    for (const [value, shown] of [['a', '"a"'], [undefined, 'undefined'], [null, 'null'], [{}, 'an object'], [[1], '[1]']] as const) {
      throws(() => full(3, value as never), ArgumentError, `full: invalid argument 'value': expected a number, bigint or boolean, got ${shown}`);
    }
  });

  it('refuses a value that does not fit the given dtype', () => {
    throws(() => full(3, 300, 'int8'), ValueError, `full: invalid argument 'value': value 300 is out of range for int8 [-128, 127]`);
    throws(() => full(3, NaN, 'int32'), ValueError, `full: invalid argument 'value': cannot store NaN in an int32 array (integers only)`);
    throws(() => full(3, 1.5 as never, 'bool'), ValueError, `full: invalid argument 'value': expected a boolean for a bool array, got 1.5`);
    throws(() => full(3, true as never, 'float64'), ValueError, `full: invalid argument 'value': expected a number for a float64 array, got true`);
    throws(() => full(3, 2n ** 64n, 'uint64'), ValueError,
      `full: invalid argument 'value': value 18446744073709551616n is out of range for uint64 [0, 18446744073709551615]`);
    throws(() => full(3, -1, 'uint8'), ValueError, /^full: invalid argument 'value': value -1 is out of range for uint8 \[0, 255\]$/);
    throws(() => full(3, 'x' as never, 'int16'), ValueError, `full: invalid argument 'value': expected a number or bigint for an int16 array, got "x"`);
  });

  it('refuses an inferred int64 value out of range', () => {
    throws(() => full(2, 2n ** 63n), ValueError, /^full: invalid argument 'value': value 9223372036854775808n is out of range for int64/);
  });

  it('checks shape and dtype with its own name', () => {
    throws(() => full(-1, 0), ShapeError, /^full: invalid argument 'shape'/);
    throws(() => full(2, 0 as never, 'f2' as never), DTypeError, /^full: invalid argument 'dtype'/);
    throws(() => full(2, 0, 'f8', 'Q' as never), ArgumentError, /^full: invalid argument 'order'/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('arange', () => {
  it('refuses zero or more than three numeric arguments', () => {
    throws(() => (arange as (...a: unknown[]) => unknown)(), ArgumentError, 'arange: expected (stop), (start, stop) or (start, stop, step), got 0 numeric arguments');
    throws(() => (arange as (...a: unknown[]) => unknown)(undefined), ArgumentError, /got 0 numeric arguments$/);
    throws(() => (arange as (...a: unknown[]) => unknown)(1, 2, 3, 4), ArgumentError, 'arange: expected (stop), (start, stop) or (start, stop, step), got 4 numeric arguments');
    throws(() => (arange as (...a: unknown[]) => unknown)(1, 2, 3, 4, 'f8'), ArgumentError, /got 4 numeric arguments$/);
    // a lone string is not taken as a dtype: there must be a stop first
    throws(() => arange('5' as never), ArgumentError, 'arange: invalid arguments: expected finite numbers (or all bigints), got ["5"]');
  });

  it('refuses non-finite, non-number or mixed number/bigint arguments', () => {
    const cases: [unknown[], string][] = [
      [[NaN], '[NaN]'], [[Infinity], '[Infinity]'], [[0, -Infinity], '[0, -Infinity]'], [[1, 2n], '[1, 2n]'],
      [[1n, 5, 1n], '[1n, 5, 1n]'], [[{}], '[an object]'], [[null], '[null]'], [[true], '[true]'], [[0, 1, NaN], '[0, 1, NaN]'],
    ];
    for (const [args, shown] of cases) {
      throws(() => (arange as (...a: unknown[]) => unknown)(...args), ArgumentError,
        `arange: invalid arguments: expected finite numbers (or all bigints), got ${shown}`);
    }
  });

  it('refuses a zero step', () => {
    throws(() => arange(0, 5, 0), ArgumentError, `arange: invalid argument 'step': must not be zero`);
    throws(() => arange(0, 5, -0), ArgumentError, `arange: invalid argument 'step': must not be zero`);
    throws(() => arange(0n, 5n, 0n), ArgumentError, `arange: invalid argument 'step': must not be zero`);
  });

  it('refuses elements that do not fit the dtype', () => {
    throws(() => arange(300, 'int8'), ValueError, 'arange: element: value 128 is out of range for int8 [-128, 127]');
    throws(() => arange(-1, 2, 'uint8'), ValueError, 'arange: element: value -1 is out of range for uint8 [0, 255]');
    throws(() => arange(2, 'bool'), ValueError, 'arange: element: expected a boolean for a bool array, got 0');
    throws(() => arange(0n, 2n ** 64n + 1n, 2n ** 64n, 'uint64'), ValueError, /^arange: element: value 18446744073709551616n is out of range for uint64/);
  });

  it('a length too large to allocate is reported as numpy does, without a nonexistent \'shape\' argument', () => {
    throws(() => arange(1e300), ShapeError, /^arange: maximum allowed size exceeded: \(\[1e\+300\]\) would give 1e\+300 elements$/);
  });

  it('accepts a DTypeInfo object as the dtype', () => {
    const a = arange(5, DTYPES.int32);
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual([0, 1, 2, 3, 4]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('array', () => {
  it('refuses raw memory and points at frombuffer', () => {
    throws(() => array(new ArrayBuffer(8)), ArgumentError, `array: invalid argument 'input': got an ArrayBuffer; use frombuffer() to view raw bytes`);
    throws(() => array(new SharedArrayBuffer(8)), ArgumentError, `array: invalid argument 'input': got a SharedArrayBuffer; use frombuffer() to view raw bytes`);
    throws(() => array(new DataView(new SharedArrayBuffer(8))), ArgumentError, `array: invalid argument 'input': got a DataView; use frombuffer() to view raw bytes`);
  });

  it('refuses ragged input: a sequence where a scalar belongs', () => {
    throws(() => array([1, [2]]), ShapeError, 'array: ragged nested input: expected a scalar at depth 1, got [2]');
    throws(() => array([[1, 2], [3, [4]]]), ShapeError, 'array: ragged nested input: expected a scalar at depth 2, got [4]');
    throws(() => array([1, new Float64Array(1)]), ShapeError, 'array: ragged nested input: expected a scalar at depth 1, got a Float64Array');
  });

  it('refuses ragged input: a sequence of the wrong length or a scalar where a sequence belongs', () => {
    throws(() => array([[1, 2], [3]]), ShapeError, 'array: ragged nested input: expected a sequence of length 2 at depth 1, got [3]');
    throws(() => array([[1, 2], 3]), ShapeError, 'array: ragged nested input: expected a sequence of length 2 at depth 1, got 3');
    throws(() => array([[], [1]]), ShapeError, 'array: ragged nested input: expected a sequence of length 0 at depth 1, got [1]');
    throws(() => array([[[1], [2]], [[3], [4, 5]]]), ShapeError, 'array: ragged nested input: expected a sequence of length 1 at depth 2, got [4, 5]');
  });

  it('refuses elements that are not numbers, bigints or booleans', () => {
    const cases: [unknown, string][] = [
      [['a'], '"a"'], [[undefined], 'undefined'], [[null], 'null'], [[{}], 'an object'], ['abc', '"abc"'],
      [undefined, 'undefined'], [[[1, 'x']], '"x"'], [[1, Symbol('s')], 'Symbol(s)'], [{ length: 1 }, 'an object'],
    ];
    for (const [input, shown] of cases) {
      throws(() => array(input), ArgumentError, `array: invalid argument 'input': elements must be numbers, bigints or booleans, got ${shown}`);
    }
  });

  it('refuses a mix of scalar kinds without a dtype', () => {
    throws(() => array([1, 2n]), DTypeError, 'array: cannot infer one dtype for a mix of bigint and number values; pass a dtype');
    throws(() => array([true, 1]), DTypeError, 'array: cannot infer one dtype for a mix of boolean and number values; pass a dtype');
    throws(() => array([[1n], [false]]), DTypeError, 'array: cannot infer one dtype for a mix of bigint and boolean values; pass a dtype');
  });

  it('refuses elements that do not fit the dtype, naming the flat element index', () => {
    throws(() => array([1, 300], 'int8'), ValueError, 'array: element 1: value 300 is out of range for int8 [-128, 127]');
    throws(() => array([[0, 0], [NaN, 0]], 'int32'), ValueError, 'array: element 2: cannot store NaN in an int32 array (integers only)');
    throws(() => array([1.5], 'bool'), ValueError, 'array: element 0: expected a boolean for a bool array, got 1.5');
    throws(() => array([true], 'float64'), ValueError, 'array: element 0: expected a number for a float64 array, got true');
    throws(() => array([2n ** 64n], 'uint64'), ValueError, 'array: element 0: value 18446744073709551616n is out of range for uint64 [0, 18446744073709551615]');
    throws(() => array(['1'], 'f8'), ValueError, 'array: element 0: expected a number for a float64 array, got "1"');
    throws(() => array(new Float64Array([1, Infinity]), 'int16'), ValueError, 'array: element 1: cannot store Infinity in an int16 array (integers only)');
    throws(() => array(new Int16Array([-1]), 'uint16'), ValueError, 'array: element 0: value -1 is out of range for uint16 [0, 65535]');
  });

  it('refuses a dtype that cannot be held', () => {
    throws(() => array([1], 'f2' as never), DTypeError, /^array: invalid argument 'dtype': dtype "f2" \(float16\) is not supported/);
  });

  it('treats nested SharedNDArrays as the sequences they are (numpy: np.array([a, b]).shape == (2, 2))', () => {
    const a = array([arange(2), arange(2)]);
    expect(a.shape).toEqual([2, 2]);
    expect(a.toArray()).toEqual([[0, 1], [0, 1]]);
  });

  it('refuses an unknown order', () => {
    throws(() => array([1, 2], undefined, 'X' as never), ArgumentError, `array: invalid argument 'order': expected 'C' or 'F', got "X"`);
  });

  it('SharedNDArray input with a bad dtype/order is reported under array(), not astype()/copy()', () => {
    throws(() => array(arange(2), 'f2' as never), DTypeError, /^array: invalid argument 'dtype'/);
    throws(() => array(arange(2), undefined, 'X' as never), ArgumentError, /^array: invalid argument 'order'/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('frombuffer', () => {
  it('refuses an options argument that is not an object', () => {
    for (const [opts, shown] of [[null, 'null'], ['f8', '"f8"'], [8, '8']] as const) {
      throws(() => frombuffer(new SharedArrayBuffer(8), opts as never), ArgumentError, `frombuffer: invalid argument 'options': expected an object, got ${shown}`);
    }
  });

  it('refuses something that is not memory', () => {
    for (const [buf, shown] of [['abc', '"abc"'], [[1, 2], '[1, 2]'], [undefined, 'undefined'], [null, 'null'], [8, '8'], [{ byteLength: 8 }, 'an object']] as const) {
      throws(() => frombuffer(buf as never), ArgumentError,
        `frombuffer: invalid argument 'buffer': expected a SharedArrayBuffer, ArrayBuffer, typed array, DataView or Buffer, got ${shown}`);
    }
  });

  it('refuses an offset past the end or negative', () => {
    throws(() => frombuffer(new SharedArrayBuffer(8), { offset: 9 }), BufferError,
      `frombuffer: invalid argument 'options.offset': must be from 0 to the buffer length 8, got 9`);
    throws(() => frombuffer(new SharedArrayBuffer(8), { offset: -8 }), BufferError,
      `frombuffer: invalid argument 'options.offset': must be from 0 to the buffer length 8, got -8`);
    // the length is that of the view, not the whole buffer
    const view = new Uint8Array(new SharedArrayBuffer(32), 8, 16);
    throws(() => frombuffer(view, { dtype: 'uint8', offset: 17 }), BufferError, /buffer length 16, got 17$/);
  });

  it('refuses an offset of the wrong type', () => {
    for (const [offset, shown] of [[1.5, '1.5'], [NaN, 'NaN'], ['8', '"8"'], [8n, '8n'], [Infinity, 'Infinity'], [{}, 'an object']] as const) {
      throws(() => frombuffer(new SharedArrayBuffer(16), { offset: offset as never }), ArgumentError,
        `frombuffer: invalid argument 'options.offset': expected a nonnegative integer number of bytes, got ${shown}`);
    }
  });

  it('a wrongly typed offset is an ArgumentError, like a wrongly typed count and the constructor\'s byteOffset', () => {
    throws(() => frombuffer(new SharedArrayBuffer(16), { offset: 'x' as never }), ArgumentError, /^frombuffer: invalid argument 'options.offset'/);
  });

  it('refuses an offset not aligned to the item size', () => {
    throws(() => frombuffer(new SharedArrayBuffer(16), { offset: 4 }), BufferError,
      `frombuffer: offset 4 (byte 4 of the underlying buffer) is not aligned to float64's item size 8; JS typed arrays cannot view unaligned elements`);
    throws(() => frombuffer(new SharedArrayBuffer(16), { dtype: 'int32', offset: 2 }), BufferError, /^frombuffer: offset 2 \(byte 2 of the underlying buffer\) is not aligned to int32's item size 4/);
    // a view starting at an odd byte misaligns even offset 0
    throws(() => frombuffer(new Uint8Array(new SharedArrayBuffer(32), 3, 16)), BufferError,
      /^frombuffer: offset 0 \(byte 3 of the underlying buffer\) is not aligned to float64's item size 8/);
    throws(() => frombuffer(new DataView(new SharedArrayBuffer(32), 4, 16), { dtype: 'int16', offset: 1 }), BufferError,
      /^frombuffer: offset 1 \(byte 5 of the underlying buffer\) is not aligned to int16's item size 2/);
  });

  it('refuses a remaining size that is not a multiple of the item size (count -1)', () => {
    throws(() => frombuffer(new SharedArrayBuffer(12)), BufferError, `frombuffer: buffer size 12 (after offset 0) must be a multiple of float64's item size 8`);
    throws(() => frombuffer(new SharedArrayBuffer(18), { offset: 8 }), BufferError, `frombuffer: buffer size 10 (after offset 8) must be a multiple of float64's item size 8`);
    throws(() => frombuffer(new Uint8Array(new SharedArrayBuffer(16), 0, 7), { dtype: 'int16', count: -1 }), BufferError, /^frombuffer: buffer size 7 \(after offset 0\) must be a multiple of int16's item size 2$/);
  });

  it('refuses a count past the end', () => {
    throws(() => frombuffer(new SharedArrayBuffer(16), { count: 3 }), BufferError,
      `frombuffer: buffer is smaller than requested size: count 3 × 8 bytes = 24 bytes, but only 16 bytes follow offset 0`);
    throws(() => frombuffer(new SharedArrayBuffer(16), { count: 2, offset: 8 }), BufferError,
      `frombuffer: buffer is smaller than requested size: count 2 × 8 bytes = 16 bytes, but only 8 bytes follow offset 8`);
    throws(() => frombuffer(new SharedArrayBuffer(16), { count: 1, offset: 16 }), BufferError, /count 1 × 8 bytes = 8 bytes, but only 0 bytes follow offset 16$/);
  });

  it('refuses a count that is neither -1 nor a nonnegative integer', () => {
    for (const [count, shown] of [[-2, '-2'], [1.5, '1.5'], [NaN, 'NaN'], ['2', '"2"'], [2n, '2n'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      throws(() => frombuffer(new SharedArrayBuffer(16), { count: count as never }), ArgumentError,
        `frombuffer: invalid argument 'options.count': expected -1 or a nonnegative integer, got ${shown}`);
    }
  });

  it('a detached ArrayBuffer gives a SharedNDArrayError, not a native TypeError', () => {
    const ab = new ArrayBuffer(16);
    structuredClone(ab, { transfer: [ab] });
    expect(ab.byteLength).toBe(0);
    throws(() => frombuffer(ab), BufferError, /^frombuffer: cannot view the buffer: .*detached/);
  });

  it('leaves the buffer untouched when it throws', () => {
    const sab = new SharedArrayBuffer(16);
    new Uint8Array(sab).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const before = snapshot(sab);
    expect(() => frombuffer(sab, { count: 3 })).toThrow(BufferError);
    expect(() => frombuffer(sab, { offset: 4 })).toThrow(BufferError);
    expect(snapshot(sab)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
describe('get', () => {
  const a = arange(6).reshape(2, 3);

  it('refuses the wrong number of indices', () => {
    throws(() => a.get(), IndexError, 'get: expected 2 indices for a 2-d array, got 0');
    throws(() => a.get(0), IndexError, 'get: expected 2 indices for a 2-d array, got 1');
    throws(() => a.get(0, 0, 0), IndexError, 'get: expected 2 indices for a 2-d array, got 3');
    throws(() => arange(3).get(0, 0), IndexError, 'get: expected 1 index for a 1-d array, got 2');
    throws(() => arange(3).get(), IndexError, 'get: expected 1 index for a 1-d array, got 0');
    throws(() => zeros([]).get(0), IndexError, 'get: expected 0 indices for a 0-d array, got 1');
  });

  it('refuses indices that are not integers', () => {
    const cases: [unknown, string][] = [[1.5, '1.5'], [NaN, 'NaN'], [Infinity, 'Infinity'], ['1', '"1"'], [undefined, 'undefined'], [null, 'null'], [true, 'true'], [[0], '[0]']];
    for (const [i, shown] of cases) {
      throws(() => a.get(0, i as never), IndexError, `get: index 1 must be an integer, got ${shown}`);
    }
    throws(() => a.get(0.5, 0), IndexError, 'get: index 0 must be an integer, got 0.5');
  });

  it('a bigint index is an IndexError, not a native TypeError', () => {
    // regression of e2bfb59 "Fast paths for get/set/row": `1n >>> 0` throws "Cannot mix BigInt and other types"
    throws(() => a.get(0, 1n as never), IndexError, 'get: index 1 must be an integer, got 1n');
    throws(() => zeros(3).set(1n as never, 5), IndexError, 'set: index 0 must be an integer, got 1n');
    throws(() => a.row(1n as never), IndexError, 'row: index 0 must be an integer, got 1n');
  });

  it('refuses out-of-range indices, positive and negative', () => {
    throws(() => a.get(2, 0), IndexError, 'get: index 2 is out of bounds for axis 0 with size 2');
    throws(() => a.get(-3, 0), IndexError, 'get: index -3 is out of bounds for axis 0 with size 2');
    throws(() => a.get(0, 3), IndexError, 'get: index 3 is out of bounds for axis 1 with size 3');
    throws(() => a.get(0, -4), IndexError, 'get: index -4 is out of bounds for axis 1 with size 3');
    throws(() => a.get(0, 2 ** 53), IndexError, 'get: index 9007199254740992 is out of bounds for axis 1 with size 3');
    throws(() => zeros(0).get(0), IndexError, 'get: index 0 is out of bounds for axis 0 with size 0');
  });

  it('checks bounds against the view, not the underlying memory', () => {
    const v = arange(10).slice('2:5');
    throws(() => v.get(3), IndexError, 'get: index 3 is out of bounds for axis 0 with size 3');
    throws(() => v.get(-4), IndexError, 'get: index -4 is out of bounds for axis 0 with size 3');
  });
});

// ---------------------------------------------------------------------------------------------
describe('set', () => {
  it('refuses the wrong number of indices', () => {
    const a = zeros([2, 3]);
    throws(() => a.set(0, 1), IndexError, 'set: expected 2 indices for a 2-d array, got 1');
    throws(() => a.set(0, 0, 0, 1), IndexError, 'set: expected 2 indices for a 2-d array, got 3');
    throws(() => zeros(3).set(0, 0, 1), IndexError, 'set: expected 1 index for a 1-d array, got 2');
    throws(() => zeros([]).set(0, 1), IndexError, 'set: expected 0 indices for a 0-d array, got 1');
  });

  it('set() without any argument says the value is missing rather than "got -1" indices', () => {
    const set = zeros(3).set as (...args: unknown[]) => void;
    throws(() => set.call(zeros(3)), ArgumentError, 'set: expected 1 index followed by a value, got no arguments');
    throws(() => set.call(zeros([2, 2])), ArgumentError, 'set: expected 2 indices followed by a value, got no arguments');
  });

  it('refuses non-integer and out-of-range indices', () => {
    const a = zeros([2, 3]);
    throws(() => a.set(0.5, 0, 1), IndexError, 'set: index 0 must be an integer, got 0.5');
    throws(() => a.set(0, '1' as never, 1), IndexError, 'set: index 1 must be an integer, got "1"');
    throws(() => a.set(0, NaN, 1), IndexError, 'set: index 1 must be an integer, got NaN');
    throws(() => a.set(2, 0, 1), IndexError, 'set: index 2 is out of bounds for axis 0 with size 2');
    throws(() => a.set(0, -4, 1), IndexError, 'set: index -4 is out of bounds for axis 1 with size 3');
  });

  it('refuses values that do not fit the dtype', () => {
    throws(() => zeros(1, 'int8').set(0, 300), ValueError, 'set: value 300 is out of range for int8 [-128, 127]');
    throws(() => zeros(1, 'int8').set(0, -129), ValueError, 'set: value -129 is out of range for int8 [-128, 127]');
    throws(() => zeros(1, 'uint8').set(0, -1), ValueError, 'set: value -1 is out of range for uint8 [0, 255]');
    throws(() => zeros(1, 'uint16').set(0, 65536), ValueError, 'set: value 65536 is out of range for uint16 [0, 65535]');
    throws(() => zeros(1, 'int32').set(0, 2 ** 31), ValueError, 'set: value 2147483648 is out of range for int32 [-2147483648, 2147483647]');
    throws(() => zeros(1, 'uint32').set(0, 2n ** 32n), ValueError, 'set: value 4294967296n is out of range for uint32 [0, 4294967295]');
    throws(() => zeros(1, 'int64').set(0, 2n ** 63n), ValueError, 'set: value 9223372036854775808n is out of range for int64 [-9223372036854775808, 9223372036854775807]');
    throws(() => zeros(1, 'int64').set(0, 2 ** 63), ValueError, 'set: value 9223372036854776000 is out of range for int64 [-9223372036854775808, 9223372036854775807]');
    throws(() => zeros(1, 'uint64').set(0, 2n ** 64n), ValueError, 'set: value 18446744073709551616n is out of range for uint64 [0, 18446744073709551615]');
    throws(() => zeros(1, 'uint64').set(0, -1n), ValueError, 'set: value -1n is out of range for uint64 [0, 18446744073709551615]');
  });

  it('refuses NaN and infinities for integer dtypes', () => {
    throws(() => zeros(1, 'int32').set(0, NaN), ValueError, 'set: cannot store NaN in an int32 array (integers only)');
    throws(() => zeros(1, 'int8').set(0, Infinity), ValueError, 'set: cannot store Infinity in an int8 array (integers only)');
    throws(() => zeros(1, 'uint64').set(0, -Infinity), ValueError, 'set: cannot store -Infinity in a uint64 array (integers only)');
    throws(() => zeros(1, 'uint8c').set(0, NaN), ValueError, 'set: cannot store NaN in a uint8c array');
  });

  it('refuses values of the wrong JS type', () => {
    throws(() => zeros(1, 'bool').set(0, 1.5 as never), ValueError, 'set: expected a boolean for a bool array, got 1.5');
    throws(() => zeros(1, 'bool').set(0, 1 as never), ValueError, 'set: expected a boolean for a bool array, got 1');
    throws(() => zeros(1, 'bool').set(0, 'true' as never), ValueError, 'set: expected a boolean for a bool array, got "true"');
    throws(() => zeros(1, 'bool').set(0, 1n as never), ValueError, 'set: expected a boolean for a bool array, got 1n');
    throws(() => zeros(1).set(0, true as never), ValueError, 'set: expected a number for a float64 array, got true');
    throws(() => zeros(1, 'float32').set(0, '1' as never), ValueError, 'set: expected a number for a float32 array, got "1"');
    throws(() => zeros(1).set(0, undefined as never), ValueError, 'set: expected a number for a float64 array, got undefined');
    throws(() => zeros(1).set(0, null as never), ValueError, 'set: expected a number for a float64 array, got null');
    throws(() => zeros(1).set(0, {} as never), ValueError, 'set: expected a number for a float64 array, got an object');
    throws(() => zeros(1, 'int32').set(0, false as never), ValueError, 'set: expected a number or bigint for an int32 array, got false');
    throws(() => zeros(1, 'int64').set(0, '5' as never), ValueError, 'set: expected a number or bigint for an int64 array, got "5"');
  });

  it('writes nothing when it throws', () => {
    const a = arange(6, 'int8').reshape(2, 3);
    const before = snapshot(a);
    expect(() => a.set(1, 1, 300)).toThrow(ValueError);
    expect(() => a.set(1, 1, NaN)).toThrow(ValueError);
    expect(() => a.set(1, 1, 'x' as never)).toThrow(ValueError);
    expect(() => a.set(2, 1, 7)).toThrow(IndexError);
    expect(() => a.set(1, 7)).toThrow(IndexError);
    expect(() => a.set(1, 0.5, 7)).toThrow(IndexError);
    expect(snapshot(a)).toEqual(before);
    expect(a.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);

    const b = zeros(2, 'bool');
    expect(() => b.set(0, 1 as never)).toThrow(ValueError);
    expect(b.toArray()).toEqual([false, false]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('fill', () => {
  it('refuses values that do not fit the dtype', () => {
    throws(() => zeros(3, 'int8').fill(300), ValueError, 'fill: value 300 is out of range for int8 [-128, 127]');
    throws(() => zeros(3, 'int32').fill(NaN), ValueError, 'fill: cannot store NaN in an int32 array (integers only)');
    throws(() => zeros(3, 'bool').fill(1.5 as never), ValueError, 'fill: expected a boolean for a bool array, got 1.5');
    throws(() => zeros(3).fill(true as never), ValueError, 'fill: expected a number for a float64 array, got true');
    throws(() => zeros(3, 'uint64').fill(2n ** 64n), ValueError, 'fill: value 18446744073709551616n is out of range for uint64 [0, 18446744073709551615]');
    throws(() => zeros(3, 'uint8c').fill(NaN), ValueError, 'fill: cannot store NaN in a uint8c array');
    throws(() => zeros(3, 'int16').fill(undefined as never), ValueError, 'fill: expected a number or bigint for an int16 array, got undefined');
  });

  it('writes nothing when it throws, on contiguous and strided views', () => {
    const a = arange(12, 'int8').reshape(3, 4);
    const before = snapshot(a);
    expect(() => a.fill(1000)).toThrow(ValueError);
    expect(() => a.slice(':', '::2').fill(-1000)).toThrow(ValueError);
    expect(() => a.slice('::-1').fill(NaN)).toThrow(ValueError);
    expect(() => a.T.fill(Infinity)).toThrow(ValueError);
    expect(() => a.row(1).fill('1' as never)).toThrow(ValueError);
    expect(snapshot(a)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
describe('data', () => {
  it('refuses a non-contiguous view', () => {
    const a = arange(12).reshape(3, 4);
    throws(() => arange(6).slice('::2').data, NotContiguousError,
      'data: this view (shape (3,), strides (2,)) is not contiguous; use copy().data for a contiguous copy');
    throws(() => arange(6).slice('::-1').data, NotContiguousError, /^data: this view \(shape \(6,\), strides \(-1,\)\) is not contiguous/);
    throws(() => a.slice(':', '1:3').data, NotContiguousError, /^data: this view \(shape \(3, 2\), strides \(4, 1\)\) is not contiguous/);
    throws(() => a.slice(':', 1).data, NotContiguousError, /^data: this view \(shape \(3,\), strides \(4,\)\) is not contiguous/);
    throws(() => a.T.slice('1:3').data, NotContiguousError, /^data: this view \(shape \(2, 3\), strides \(1, 4\)\) is not contiguous/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('iteration and row', () => {
  it('refuses to iterate a 0-d array', () => {
    throws(() => [...zeros([])], ArgumentError, 'iteration over a 0-d array');
    throws(() => { for (const _ of array(5)) void _; }, ArgumentError, 'iteration over a 0-d array');
  });

  it('row refuses a 0-d array, a bad index and an out-of-range index', () => {
    throws(() => zeros([]).row(0), IndexError, 'row: a 0-d array has no rows');
    const a = zeros([3, 2]);
    throws(() => a.row(3), IndexError, 'row: index 3 is out of bounds for axis 0 with size 3');
    throws(() => a.row(-4), IndexError, 'row: index -4 is out of bounds for axis 0 with size 3');
    throws(() => a.row(1.5), IndexError, 'row: index 0 must be an integer, got 1.5');
    throws(() => a.row('1' as never), IndexError, 'row: index 0 must be an integer, got "1"');
    throws(() => a.row(undefined as never), IndexError, 'row: index 0 must be an integer, got undefined');
  });
});

// ---------------------------------------------------------------------------------------------
describe('slice', () => {
  const a = arange(6).reshape(2, 3);

  it('refuses more than one ellipsis', () => {
    throws(() => a.slice('...', '...'), IndexError, `slice: an index can only have a single ellipsis ('...'), got 2`);
    throws(() => a.slice('...', 0, '...', '...'), IndexError, `slice: an index can only have a single ellipsis ('...'), got 3`);
  });

  it('refuses too many indices', () => {
    throws(() => a.slice(0, 0, 0), IndexError, 'slice: too many indices for array: array is 2-dimensional, but 3 were indexed');
    throws(() => a.slice(':', ':', ':', '...'), IndexError, 'slice: too many indices for array: array is 2-dimensional, but 3 were indexed');
    throws(() => zeros([]).slice(0), IndexError, 'slice: too many indices for array: array is 0-dimensional, but 1 were indexed');
    // newaxis does not consume an axis, so this is fine ...
    expect(a.slice(newaxis, 0, newaxis, 0).shape).toEqual([1, 1]);
  });

  it('refuses integer indices that are not integers or out of range', () => {
    for (const [spec, shown] of [[1.5, '1.5'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      throws(() => a.slice(spec), IndexError, `slice: index 0 must be an integer, got ${shown}`);
    }
    throws(() => a.slice(':', 0.5), IndexError, 'slice: index 1 must be an integer, got 0.5');
    throws(() => a.slice(2), IndexError, 'slice: index 2 is out of bounds for axis 0 with size 2');
    throws(() => a.slice(-3), IndexError, 'slice: index -3 is out of bounds for axis 0 with size 2');
    throws(() => a.slice(0, 3), IndexError, 'slice: index 3 is out of bounds for axis 1 with size 3');
    throws(() => a.slice(' 5 '), IndexError, 'slice: index 5 is out of bounds for axis 0 with size 2');
    throws(() => a.slice(newaxis, '...', -4), IndexError, 'slice: index -4 is out of bounds for axis 1 with size 3');
  });

  it('refuses a zero step', () => {
    throws(() => a.slice('1:2:0'), IndexError, 'slice: slice step cannot be zero in "1:2:0" (index 0)');
    throws(() => a.slice(':', '::0'), IndexError, 'slice: slice step cannot be zero in "::0" (index 1)');
    throws(() => a.slice(':', '::-0'), IndexError, 'slice: slice step cannot be zero in "::-0" (index 1)');
  });

  it('refuses malformed specs of every kind', () => {
    const expected = (k: number, shown: string) =>
      `slice: index ${k} must be an integer, a 'start:stop:step' string, ':', null, '...' or newaxis, got ${shown}`;
    const cases: [unknown, string][] = [
      ['abc', '"abc"'], ['1:2:3:4', '"1:2:3:4"'], ['1.5', '"1.5"'], ['1..2', '"1..2"'], ['..', '".."'], ['', '""'],
      ['1:a', '"1:a"'], [true, 'true'], [{}, 'an object'], [undefined, 'undefined'], [1n, '1n'], [[0], '[0]'],
      [Symbol('x'), 'Symbol(x)'], ['1e2', '"1e2"'], ['0x1', '"0x1"'],
    ];
    for (const [spec, shown] of cases) throws(() => a.slice(spec as never), IndexError, expected(0, shown));
    throws(() => a.slice(0, 'x'), IndexError, expected(1, '"x"'));
  });
});

// ---------------------------------------------------------------------------------------------
describe('reshape', () => {
  const a = arange(6);

  it('refuses a shape of the wrong size', () => {
    throws(() => a.reshape(4), ShapeError, 'reshape: cannot reshape array of size 6 into shape (4,)');
    throws(() => a.reshape(2, 2), ShapeError, 'reshape: cannot reshape array of size 6 into shape (2, 2)');
    throws(() => a.reshape([]), ShapeError, 'reshape: cannot reshape array of size 6 into shape ()');
    throws(() => a.reshape(4, -1), ShapeError, 'reshape: cannot reshape array of size 6 into shape (4, -1)');
    throws(() => zeros([0, 3]).reshape(0, -1), ShapeError, 'reshape: cannot reshape array of size 0 into shape (0, -1)');
    throws(() => a.reshape(0, -1), ShapeError, 'reshape: cannot reshape array of size 6 into shape (0, -1)');
  });

  it('refuses negative, fractional or doubly-inferred lengths', () => {
    throws(() => a.reshape(-1, -1), ShapeError, `reshape: invalid argument 'shape': expected nonnegative integers and at most one -1, got [-1, -1]`);
    throws(() => a.reshape(-2, -3), ShapeError, `reshape: invalid argument 'shape': expected nonnegative integers and at most one -1, got [-2, -3]`);
    throws(() => a.reshape([2, 1.5]), ShapeError, `reshape: invalid argument 'shape': expected nonnegative integers and at most one -1, got [2, 1.5]`);
    throws(() => a.reshape(2, NaN), ShapeError, /^reshape: invalid argument 'shape': .* got \[2, NaN\]$/);
    throws(() => a.reshape(2, '3' as never), ShapeError, /^reshape: invalid argument 'shape': .* got \[2, "3"\]$/);
  });

  it('refuses a shape that is not numbers', () => {
    throws(() => a.reshape('2' as never, '3' as never), ArgumentError,
      `reshape: invalid argument 'shape': expected an array of nonnegative integers or integers as separate arguments, got "2"`);
    throws(() => a.reshape(null as never), ArgumentError, /^reshape: invalid argument 'shape': .* got null$/);
  });

  it('refuses bad options', () => {
    throws(() => a.reshape([2, 3], { copy: 'no' as never }), ArgumentError, `reshape: invalid argument 'options.copy': expected a boolean, got "no"`);
    throws(() => a.reshape([2, 3], { copy: 0 as never }), ArgumentError, `reshape: invalid argument 'options.copy': expected a boolean, got 0`);
    throws(() => a.reshape([2, 3], { order: 'A' as never }), ArgumentError, `reshape: invalid argument 'options.order': expected 'C' or 'F', got "A"`);
  });

  it('refuses copy: false when only a copy can do', () => {
    const t = arange(6).reshape(2, 3).T;
    throws(() => t.reshape([6], { copy: false }), CopyRequiredError,
      'reshape: cannot reshape this view of shape (3, 2) into (6,) in C order without copying (copy: false was given)');
    throws(() => arange(6).reshape(2, 3).reshape(6, { order: 'F', copy: false }), CopyRequiredError, /into \(6,\) in F order without copying/);
    // ... whereas a strided 1-d view always reshapes as a view
    expect(() => arange(12).slice('::2').reshape(2, 3, { copy: false })).not.toThrow();
  });

  it('a stray positional order after an array shape is blamed on the order, not the valid shape', () => {
    const err = throws(() => a.reshape([2, 3] as never, 'F' as never), ArgumentError, /^reshape: /);
    expect(err.message).toMatch(/"F"/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('transpose', () => {
  const a = zeros([2, 3, 4]);

  it('refuses a repeated axis or the wrong number of axes', () => {
    throws(() => a.transpose(0, 0, 1), ShapeError, `transpose: invalid argument 'axes': expected a permutation of the 3 axes, got [0, 0, 1]`);
    throws(() => a.transpose([0, 1]), ShapeError, `transpose: invalid argument 'axes': expected a permutation of the 3 axes, got [0, 1]`);
    throws(() => a.transpose(0, 1, 2, 0), ShapeError, /expected a permutation of the 3 axes, got \[0, 1, 2, 0\]$/);
    throws(() => a.transpose(0, -3, 1), ShapeError, /expected a permutation of the 3 axes, got \[0, -3, 1\]$/);
  });

  it('refuses an axis out of range', () => {
    throws(() => a.transpose(0, 1, 3), ShapeError, 'transpose: axis 3 is out of bounds for array of dimension 3');
    throws(() => a.transpose(-4, 0, 1), ShapeError, 'transpose: axis -4 is out of bounds for array of dimension 3');
  });

  it('refuses an axis that is not an integer', () => {
    throws(() => a.transpose(0, 1.5, 2), ArgumentError, `transpose: invalid argument 'axes': expected an integer axis, got 1.5`);
    throws(() => a.transpose(['0', 1, 2] as never), ArgumentError, `transpose: invalid argument 'axes': expected an integer axis, got "0"`);
    throws(() => a.transpose(0, NaN, 2), ArgumentError, /got NaN$/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('squeeze', () => {
  const a = zeros([1, 3, 1]);

  it('refuses an axis whose length is not 1', () => {
    throws(() => a.squeeze(1), ShapeError, 'squeeze: cannot select an axis to squeeze out which has size not equal to one (axis 1 has size 3)');
    throws(() => a.squeeze([0, -2]), ShapeError, /\(axis 1 has size 3\)$/);
  });

  it('refuses an axis out of range or not an integer', () => {
    throws(() => a.squeeze(3), ShapeError, 'squeeze: axis 3 is out of bounds for array of dimension 3');
    throws(() => a.squeeze(-4), ShapeError, 'squeeze: axis -4 is out of bounds for array of dimension 3');
    throws(() => a.squeeze(0.5), ArgumentError, `squeeze: invalid argument 'axis': expected an integer axis, got 0.5`);
    throws(() => a.squeeze(['0'] as never), ArgumentError, `squeeze: invalid argument 'axis': expected an integer axis, got "0"`);
  });

  it('refuses a non-number, non-array axis with an ArgumentError (expandDims does), not a native TypeError', () => {
    for (const axis of [null, {}, 1n]) {
      throws(() => a.squeeze(axis as never), ArgumentError, /^squeeze: invalid argument 'axis'/);
    }
  });

  it('refuses a repeated axis (numpy: ValueError: duplicate value in \'axis\')', () => {
    throws(() => a.squeeze([0, 0]), ShapeError, 'squeeze: repeated axis in [0, 0]');
    throws(() => a.squeeze([2, -1]), ShapeError, 'squeeze: repeated axis in [2, -1]');
  });
});

// ---------------------------------------------------------------------------------------------
describe('expandDims', () => {
  const a = zeros([2, 3]);

  it('refuses an axis that is neither a number nor an array', () => {
    for (const [axis, shown] of [['0', '"0"'], [null, 'null'], [{}, 'an object'], [1n, '1n'], [undefined, 'undefined']] as const) {
      throws(() => a.expandDims(axis as never), ArgumentError, `expandDims: invalid argument 'axis': expected an integer or an array of integers, got ${shown}`);
    }
  });

  it('refuses an axis out of range for the result', () => {
    throws(() => a.expandDims(3), ShapeError, 'expandDims: axis 3 is out of bounds for array of dimension 3');
    throws(() => a.expandDims(-4), ShapeError, 'expandDims: axis -4 is out of bounds for array of dimension 3');
    throws(() => a.expandDims([0, 4]), ShapeError, 'expandDims: axis 4 is out of bounds for array of dimension 4');
    throws(() => zeros([]).expandDims(1), ShapeError, 'expandDims: axis 1 is out of bounds for array of dimension 1');
  });

  it('refuses a fractional axis', () => {
    throws(() => a.expandDims(0.5), ArgumentError, `expandDims: invalid argument 'axis': expected an integer axis, got 0.5`);
    throws(() => a.expandDims([0, NaN]), ArgumentError, `expandDims: invalid argument 'axis': expected an integer axis, got NaN`);
  });

  it('refuses a repeated axis', () => {
    throws(() => a.expandDims([0, 0]), ShapeError, 'expandDims: repeated axis in [0, 0]');
    throws(() => a.expandDims([1, -3]), ShapeError, 'expandDims: repeated axis in [1, -3]');
  });
});

// ---------------------------------------------------------------------------------------------
describe('copy / flatten / ravel / astype / isContiguous (order and dtype)', () => {
  const a = arange(6).reshape(2, 3);

  it('refuses an unknown order, naming the method', () => {
    throws(() => a.copy('A' as never), ArgumentError, `copy: invalid argument 'order': expected 'C' or 'F', got "A"`);
    throws(() => a.flatten('K' as never), ArgumentError, `flatten: invalid argument 'order': expected 'C' or 'F', got "K"`);
    throws(() => a.ravel('c' as never), ArgumentError, `ravel: invalid argument 'order': expected 'C' or 'F', got "c"`);
    throws(() => a.astype('f4', 'Z' as never), ArgumentError, `astype: invalid argument 'order': expected 'C' or 'F', got "Z"`);
    throws(() => a.isContiguous('f' as never), ArgumentError, `isContiguous: invalid argument 'order': expected 'C' or 'F', got "f"`);
    throws(() => a.copy(null as never), ArgumentError, `copy: invalid argument 'order': expected 'C' or 'F', got null`);
  });

  it('astype refuses NaN and infinities into 64-bit integers', () => {
    throws(() => array([1, NaN]).astype('int64'), ValueError, 'astype: cannot convert NaN to int64');
    throws(() => array([Infinity]).astype('uint64'), ValueError, 'astype: cannot convert Infinity to uint64');
    throws(() => array([-Infinity], 'float32').astype('i8'), ValueError, 'astype: cannot convert -Infinity to int64');
  });
});

// ---------------------------------------------------------------------------------------------
describe('toDescriptor / fromDescriptor', () => {
  const valid = (): NDArrayDescriptor => arange(6).reshape(2, 3).toDescriptor();
  const from = (d: unknown) => SharedNDArray.fromDescriptor(d as NDArrayDescriptor);

  it('toDescriptor refuses an array over a plain ArrayBuffer', () => {
    const msg = 'toDescriptor: this array is backed by a plain ArrayBuffer, which cannot be shared with another thread without copying; use copy() to move it into shared memory first';
    throws(() => frombuffer(new ArrayBuffer(16)).toDescriptor(), NotSharedError, msg);
    throws(() => new SharedNDArray([2], { buffer: new Float64Array(2) }).toDescriptor(), NotSharedError, msg);
    throws(() => frombuffer(new ArrayBuffer(32)).slice('::2').toDescriptor(), NotSharedError, msg);
  });

  it('refuses something that is not a descriptor', () => {
    const cases: [unknown, string][] = [[null, 'null'], [undefined, 'undefined'], ['shared-ndarray', '"shared-ndarray"'], [{}, 'an object'], [{ ...valid(), kind: 'ndarray' }, 'an object'], [arange(2), 'a SharedNDArray']];
    for (const [d, shown] of cases) {
      throws(() => from(d), ArgumentError, `fromDescriptor: invalid argument 'descriptor': expected the object returned by toDescriptor(), got ${shown}`);
    }
  });

  it('refuses another version', () => {
    for (const [version, shown] of [[2, '2'], [0, '0'], ['1', '"1"'], [undefined, 'undefined']] as const) {
      throws(() => from({ ...valid(), version }), ArgumentError, `fromDescriptor: invalid argument 'descriptor': unsupported descriptor version ${shown} (expected 1)`);
    }
  });

  it('refuses memory that is not a SharedArrayBuffer', () => {
    const cases: [unknown, string][] = [[new ArrayBuffer(48), 'an ArrayBuffer'], [new Float64Array(new SharedArrayBuffer(48)), 'a Float64Array'], [undefined, 'undefined'], [{}, 'an object']];
    for (const [buffer, shown] of cases) {
      throws(() => from({ ...valid(), buffer }), NotSharedError, `fromDescriptor: invalid argument 'descriptor.buffer': expected a SharedArrayBuffer, got ${shown}`);
    }
  });

  it('refuses a bad dtype, shape or strides', () => {
    throws(() => from({ ...valid(), dtype: 'f2' }), DTypeError, /^fromDescriptor: invalid argument 'descriptor.dtype': dtype "f2" \(float16\) is not supported/);
    throws(() => from({ ...valid(), dtype: undefined }), DTypeError, /^fromDescriptor: invalid argument 'descriptor.dtype': expected a dtype name .* got undefined$/);
    throws(() => from({ ...valid(), shape: [2, -3] }), ShapeError, `fromDescriptor: invalid argument 'descriptor.shape': expected nonnegative integers, got [2, -3]`);
    throws(() => from({ ...valid(), shape: [2, 1.5] }), ShapeError, /^fromDescriptor: invalid argument 'descriptor.shape'/);
    throws(() => from({ ...valid(), shape: undefined }), ArgumentError, /^fromDescriptor: invalid argument 'descriptor.shape': expected an array .* got undefined$/);
    throws(() => from({ ...valid(), strides: [3] }), ArgumentError, `fromDescriptor: invalid argument 'descriptor.strides': expected 2 integer element strides, got [3]`);
    throws(() => from({ ...valid(), strides: [3, 0.5] }), ArgumentError, `fromDescriptor: invalid argument 'descriptor.strides': expected 2 integer element strides, got [3, 0.5]`);
    throws(() => from({ ...valid(), strides: '3,1' }), ArgumentError, `fromDescriptor: invalid argument 'descriptor.strides': expected 2 integer element strides, got "3,1"`);
  });

  it('refuses a bad offset', () => {
    for (const [offset, shown] of [[-1, '-1'], [1.5, '1.5'], ['0', '"0"'], [undefined, 'undefined'], [NaN, 'NaN'], [0n, '0n']] as const) {
      throws(() => from({ ...valid(), offset }), ArgumentError, `fromDescriptor: invalid argument 'descriptor.offset': expected a nonnegative integer, got ${shown}`);
    }
  });

  it('refuses geometry that reaches outside the buffer', () => {
    throws(() => from({ ...valid(), offset: 1 }), BufferError,
      `fromDescriptor: shape (2, 3) with strides (3, 1) from element 1 reaches elements 1..6, outside the buffer's 6 elements`);
    throws(() => from({ ...valid(), strides: [4, 1] }), BufferError, /reaches elements 0\.\.6, outside the buffer's 6 elements$/);
    throws(() => from({ ...valid(), strides: [-3, 1] }), BufferError,
      `fromDescriptor: shape (2, 3) with strides (-3, 1) from element 0 reaches elements -3..2, outside the buffer's 6 elements`);
    throws(() => from({ ...valid(), shape: [3, 3] }), BufferError, /reaches elements 0\.\.8, outside the buffer's 6 elements$/);
    // a wider dtype over the same bytes has fewer elements
    throws(() => from({ ...valid(), dtype: 'int8', buffer: new SharedArrayBuffer(5) }), BufferError, /outside the buffer's 5 elements$/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('new SharedNDArray(shape, options)', () => {
  it('refuses options that are not an object', () => {
    for (const [options, shown] of [[null, 'null'], ['f8', '"f8"'], [1, '1']] as const) {
      throws(() => new SharedNDArray([2], options as never), ArgumentError, `SharedNDArray: invalid argument 'options': expected an object, got ${shown}`);
    }
  });

  it('refuses a bad shape', () => {
    throws(() => new SharedNDArray(-1), ShapeError, `SharedNDArray: invalid argument 'shape': expected nonnegative integers, got [-1]`);
    throws(() => new SharedNDArray([2, 0.5]), ShapeError, /^SharedNDArray: invalid argument 'shape'/);
    throws(() => new SharedNDArray('2' as never), ArgumentError, /^SharedNDArray: invalid argument 'shape': expected an array .* got "2"$/);
    throws(() => new SharedNDArray(Symbol('trusted') as never), ArgumentError, /^SharedNDArray: invalid argument 'shape': .* got Symbol\(trusted\)$/);
  });

  it('refuses a bad order', () => {
    throws(() => new SharedNDArray([2], { order: 'K' as never }), ArgumentError, `SharedNDArray: invalid argument 'options.order': expected 'C' or 'F', got "K"`);
  });

  it('refuses strides or byteOffset without a buffer', () => {
    const msg = `SharedNDArray: 'options.strides' and 'options.byteOffset' need 'options.buffer'`;
    throws(() => new SharedNDArray([2], { strides: [1] }), ArgumentError, msg);
    throws(() => new SharedNDArray([2], { byteOffset: 0 }), ArgumentError, msg);
  });

  it('refuses strides of the wrong length or kind', () => {
    const buffer = new SharedArrayBuffer(64);
    throws(() => new SharedNDArray([2, 2], { buffer, strides: [1] }), ArgumentError, `SharedNDArray: invalid argument 'options.strides': expected 2 integer element strides, got [1]`);
    throws(() => new SharedNDArray([2], { buffer, strides: [1.5] }), ArgumentError, `SharedNDArray: invalid argument 'options.strides': expected 1 integer element strides, got [1.5]`);
    throws(() => new SharedNDArray([2], { buffer, strides: [NaN] }), ArgumentError, /got \[NaN\]$/);
    throws(() => new SharedNDArray([2], { buffer, strides: 1 as never }), ArgumentError, /got 1$/);
    throws(() => new SharedNDArray([2], { strides: [1, 1] }), ArgumentError, /expected 1 integer element strides, got \[1, 1\]$/);
  });

  it('refuses a buffer that is not memory', () => {
    for (const [buffer, shown] of [['abc', '"abc"'], [[1, 2], '[1, 2]'], [42, '42'], [null, 'null']] as const) {
      throws(() => new SharedNDArray([2], { buffer: buffer as never }), ArgumentError,
        `SharedNDArray: invalid argument 'options.buffer': expected a SharedArrayBuffer, ArrayBuffer, typed array, DataView or Buffer, got ${shown}`);
    }
  });

  it('refuses a bad byteOffset', () => {
    const buffer = new SharedArrayBuffer(64);
    for (const [byteOffset, shown] of [[-8, '-8'], [1.5, '1.5'], ['8', '"8"'], [NaN, 'NaN'], [8n, '8n']] as const) {
      throws(() => new SharedNDArray([2], { buffer, byteOffset: byteOffset as never }), ArgumentError,
        `SharedNDArray: invalid argument 'options.byteOffset': expected a nonnegative integer, got ${shown}`);
    }
  });

  it('refuses a misaligned start', () => {
    throws(() => new SharedNDArray([2], { buffer: new SharedArrayBuffer(64), byteOffset: 4 }), BufferError,
      `SharedNDArray: byte offset 4 is not a multiple of float64's item size 8; JS typed arrays cannot view unaligned elements`);
    throws(() => new SharedNDArray([2], { dtype: 'int32', buffer: new Uint8Array(new SharedArrayBuffer(64), 2) }), BufferError,
      /^SharedNDArray: byte offset 2 is not a multiple of int32's item size 4/);
  });

  it('refuses geometry outside the buffer (or outside the view it was given)', () => {
    throws(() => new SharedNDArray([3], { buffer: new SharedArrayBuffer(16) }), BufferError,
      'SharedNDArray: shape (3,) with strides (1,) at byte offset 0 does not fit in a buffer of 16 bytes');
    throws(() => new SharedNDArray([2], { buffer: new SharedArrayBuffer(16), byteOffset: 8 }), BufferError,
      'SharedNDArray: shape (2,) with strides (1,) at byte offset 8 does not fit in a buffer of 16 bytes');
    throws(() => new SharedNDArray([2, 2], { buffer: new SharedArrayBuffer(32), strides: [3, 1] }), BufferError,
      'SharedNDArray: shape (2, 2) with strides (3, 1) at byte offset 0 does not fit in a buffer of 32 bytes');
    throws(() => new SharedNDArray([2], { buffer: new SharedArrayBuffer(32), strides: [-1] }), BufferError,
      'SharedNDArray: shape (2,) with strides (-1,) at byte offset 0 does not fit in a buffer of 32 bytes');
    // the region of a typed array, not its whole buffer, bounds the array
    const region = new Float64Array(new SharedArrayBuffer(64), 1 * 8, 2);
    throws(() => new SharedNDArray([3], { buffer: region }), BufferError,
      'SharedNDArray: shape (3,) with strides (1,) at byte offset 0 does not fit in a buffer of 16 bytes');
    throws(() => new SharedNDArray([2], { buffer: region, strides: [-1] }), BufferError, /does not fit in a buffer of 16 bytes$/);
    throws(() => new SharedNDArray([1], { buffer: region, byteOffset: 16 }), BufferError, /at byte offset 16 does not fit in a buffer of 16 bytes$/);
  });

  it('writes nothing to the buffer when it throws', () => {
    const sab = new SharedArrayBuffer(32);
    new Float64Array(sab).set([1, 2, 3, 4]);
    const before = snapshot(sab);
    expect(() => new SharedNDArray([5], { buffer: sab })).toThrow(BufferError);
    expect(() => new SharedNDArray([2], { buffer: sab, byteOffset: 3 })).toThrow(BufferError);
    expect(() => new SharedNDArray([2], { buffer: sab, dtype: 'f2' as never })).toThrow(DTypeError);
    expect(() => new SharedNDArray([2], { buffer: sab, strides: [0.5] })).toThrow(ArgumentError);
    expect(snapshot(sab)).toEqual(before);
    expect(Array.from(new Float64Array(sab))).toEqual([1, 2, 3, 4]);
  });

  it('a detached ArrayBuffer gives a SharedNDArrayError, not a native TypeError', () => {
    const ab = new ArrayBuffer(16);
    structuredClone(ab, { transfer: [ab] });
    throws(() => new SharedNDArray([0], { buffer: ab }), BufferError, /^SharedNDArray: cannot view the buffer: .*detached/);
  });

  it('refuses a byteOffset past the end of the buffer, even for an empty array (numpy does too)', () => {
    throws(() => new SharedNDArray([0], { buffer: new SharedArrayBuffer(16), byteOffset: 24 }), BufferError,
      "SharedNDArray: invalid argument 'options.byteOffset': 24 is past the end of a buffer of 16 bytes");
  });
});

// ---------------------------------------------------------------------------------------------
describe('fromStdlib', () => {
  it('refuses something that is not a stdlib ndarray', () => {
    const cases: [unknown, string][] = [[null, 'null'], [undefined, 'undefined'], [{}, 'an object'], [[1, 2], '[1, 2]'], [new Float64Array(2), 'a Float64Array'],
      [{ shape: [1], strides: [1], offset: '0', data: [1] }, 'an object'], [{ shape: [1], strides: [1], offset: 0 }, 'an object']];
    for (const [x, shown] of cases) {
      throws(() => fromStdlib(x as never), ArgumentError, `fromStdlib: invalid argument 'x': expected a @stdlib/ndarray ndarray, got ${shown}`);
    }
  });

  it('refuses options.copy that is not a boolean', () => {
    const x = stdlibCtor('float64', new Float64Array(4), [4], [1], 0, 'row-major');
    throws(() => fromStdlib(x, { copy: 'yes' as never }), ArgumentError, `fromStdlib: invalid argument 'options.copy': expected a boolean, got "yes"`);
    throws(() => fromStdlib(x, { copy: 1 as never }), ArgumentError, `fromStdlib: invalid argument 'options.copy': expected a boolean, got 1`);
  });

  it('refuses a stdlib dtype with no counterpart', () => {
    const Complex128Array = createRequire(import.meta.url)('@stdlib/array/complex128') as new (n: number) => ArrayLike<unknown>;
    const x = stdlibCtor('complex128', new Complex128Array(2), [2], [1], 0, 'row-major');
    throws(() => fromStdlib(x, { copy: true }), DTypeError,
      `fromStdlib: stdlib dtype 'complex128' has no SharedNDArray counterpart; supported: ${SUPPORTED} (and 'generic' over a BigInt64Array/BigUint64Array)`);
    const fake = { dtype: 'float32', data: new Float64Array(2), shape: [2], strides: [1], offset: 0, order: 'row-major' } as unknown as StdlibNdarray;
    throws(() => fromStdlib(fake), DTypeError, /^fromStdlib: stdlib dtype 'float32' has no SharedNDArray counterpart/);
  });

  it('refuses non-shared memory unless copy: true', () => {
    const msg = `fromStdlib: this stdlib ndarray's memory is not a SharedArrayBuffer, so it cannot be wrapped without copying; pass { copy: true } to copy it into shared memory`;
    throws(() => fromStdlib(stdlibCtor('float64', new Float64Array(4), [2, 2], [2, 1], 0, 'row-major')), NotSharedError, msg);
    throws(() => fromStdlib(stdlibCtor('float64', new Float64Array(4), [2, 2], [2, 1], 0, 'row-major'), { copy: false }), NotSharedError, msg);
    throws(() => fromStdlib(stdlibCtor('generic', [1, 2], [2], [1], 0, 'row-major')), NotSharedError, msg);
    expect(fromStdlib(stdlibCtor('float64', new Float64Array([1, 2, 3, 4]), [2, 2], [2, 1], 0, 'row-major'), { copy: true }).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('refuses geometry outside the stdlib array\'s data', () => {
    const data = new Float64Array(new SharedArrayBuffer(32));
    const fake = { dtype: 'float64', data, shape: [5], strides: [1], offset: 0, order: 'row-major' } as unknown as StdlibNdarray;
    throws(() => fromStdlib(fake), BufferError, /^fromStdlib: the stdlib array's shape, strides and offset reach outside its data \(.*shape \(5,\) with strides \(1,\) at byte offset 0 does not fit in a buffer of 32 bytes\)$/);
  });

  it('errors raised while wrapping/copying name fromStdlib, not SharedNDArray or set', () => {
    const data = new Float64Array(new SharedArrayBuffer(32));
    const fake = { dtype: 'float64', data, shape: [5], strides: [1], offset: 0, order: 'row-major' } as unknown as StdlibNdarray;
    throws(() => fromStdlib(fake), BufferError, /^fromStdlib: /);
    throws(() => fromStdlib(stdlibCtor('generic', ['a', 'b'], [2], [1], 0, 'row-major'), { copy: true }), ValueError, /^fromStdlib: /);
  });
});

// ---------------------------------------------------------------------------------------------
describe('review follow-ups', () => {
  /** A plain ArrayBuffer transferred away after an array was made over it. */
  const detachedArray = () => {
    const ab = new ArrayBuffer(32);
    const a = frombuffer(ab, { dtype: 'float64' });
    structuredClone(ab, { transfer: [ab] });
    return a;
  };

  it('use of an array whose ArrayBuffer was detached later is a BufferError, not undefined or a native error', () => {
    const gone = /: the array's memory is gone: its ArrayBuffer was transferred \(detached\) or shrunk after the array was made$/;
    throws(() => detachedArray().get(0), BufferError, /^get: the array's memory is gone/);
    throws(() => detachedArray().set(0, 1), BufferError, gone);
    throws(() => detachedArray().fill(1), BufferError, /^fill: the array's memory is gone/);
    throws(() => detachedArray().slice('::2').fill(1), BufferError, /^fill: the array's memory is gone/);
    throws(() => detachedArray().copy(), BufferError, /^copy: the array's memory is gone/);
    throws(() => detachedArray().slice('::-1').copy(), BufferError, /^copy: the array's memory is gone/);
    throws(() => detachedArray().data, BufferError, /^data: the array's memory is gone/);
    throws(() => detachedArray().toArray(), BufferError, /^toArray: the array's memory is gone/);
  });

  it('fromStdlib refuses a SharedNDArray, and names itself for geometry the constructor refuses', () => {
    throws(() => fromStdlib(zeros(2) as never), ArgumentError, "fromStdlib: invalid argument 'x': this is already a SharedNDArray (use it directly, or copy())");
    const data = new Float64Array(new SharedArrayBuffer(32));
    const fake = { dtype: 'float64', data, shape: [2], strides: [1.5], offset: 0, get: () => 0 } as StdlibNdarray;
    throws(() => fromStdlib(fake), ArgumentError, /^fromStdlib: invalid stdlib ndarray: SharedNDArray: invalid argument 'options.strides': expected 1 integer element strides, got \[1.5\]$/);
  });

  it('fromStdlib refuses a non-object options argument', () => {
    throws(() => fromStdlib(zeros(2).toStdlib(), null as never), ArgumentError, "fromStdlib: invalid argument 'options': expected an object, got null");
  });

  it('transpose with an explicit empty axes list must match the ndim, as in numpy', () => {
    throws(() => zeros([2, 3]).transpose([]), ShapeError, "transpose: invalid argument 'axes': expected a permutation of the 2 axes, got []");
    expect(zeros([]).transpose([]).shape).toEqual([]);
  });

  it('refuses shapes whose contiguous strides would not be exact integers, even when empty', () => {
    throws(() => zeros([0, 2 ** 40, 2 ** 40]), ShapeError, /^zeros: invalid argument 'shape': shape \[0, 1099511627776, 1099511627776\] has more elements than can be indexed$/);
  });

  it('unknown names that are Object.prototype keys get the plain unknown-dtype message', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      throws(() => dtype(name as never), DTypeError, new RegExp(`^dtype: invalid argument 'dtype': unknown dtype "${name}"; supported dtypes:`));
    }
  });

  it('DTYPES cannot be changed by a caller', () => {
    expect(Object.isFrozen(DTYPES)).toBe(true);
    expect(Object.isFrozen(DTYPES.int32)).toBe(true);
    expect(() => { (DTYPES as { int32: unknown }).int32 = DTYPES.float64; }).toThrow(TypeError);
  });
});
