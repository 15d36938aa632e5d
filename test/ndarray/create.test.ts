/**
 * Creation (zeros/empty/ones/full/arange/array/frombuffer), element access (get/set/fill), the
 * `data` view, geometry getters, iteration, printing and the `dtype()` resolver. Expected values
 * that depend on numpy semantics were checked against numpy 1.24.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  DTYPES, IndexError, SharedNDArray, arange, array, dtype, empty, frombuffer, fromStdlib, full, ones, zeros, type DType,
} from '../../src/index.js';

/** Elements of a view in memory order of the underlying buffer, read independently of the library. */
function raw(a: SharedNDArray, ctor: { new (b: ArrayBufferLike): ArrayLike<unknown> } = Float64Array): unknown[] {
  return Array.from(new ctor(a.buffer));
}

// ---------------------------------------------------------------------------------------------
describe('zeros / empty / ones', () => {
  it('take a shape as a number, an array, a typed array, or [] for 0-d', () => {
    expect(zeros(3).shape).toEqual([3]);
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    // accepted at run time although ShapeLike does not list typed arrays
    expect(zeros(new Int32Array([2, 3]) as unknown as number[]).shape).toEqual([2, 3]);
    const s = zeros([]);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.size).toBe(1);
    expect(s.toArray()).toBe(0);
    expect(zeros([2, 0, 3]).size).toBe(0);
    expect(zeros(0).toArray()).toEqual([]);
  });

  it('default to float64 in C order, in fresh shared memory', () => {
    const a = zeros([2, 3]);
    expect(a.dtype).toBe('float64');
    expect(a.strides).toEqual([3, 1]);
    expect(a.order).toBe('C');
    expect(a.isShared).toBe(true);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.buffer.byteLength).toBe(48);
    expect(a.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(zeros(2).buffer).not.toBe(zeros(2).buffer);
  });

  it('accept a dtype in any spelling and an order', () => {
    const a = zeros([2, 3], '<i4', 'F');
    expect(a.dtype).toBe('int32');
    expect(a.strides).toEqual([1, 2]);
    expect(a.byteStrides).toEqual([4, 8]);
    expect(a.order).toBe('F');
    expect(zeros(2, 'd').dtype).toBe('float64');
    expect(zeros(2, DTYPES.uint16).dtype).toBe('uint16');
  });

  it('zeros gives typed zeros: false for bool, 0n for 64-bit integers', () => {
    expect(zeros(2, 'bool').toArray()).toEqual([false, false]);
    expect(zeros(2, 'int64').toArray()).toEqual([0n, 0n]);
    expect(zeros(2, 'uint64').toArray()).toEqual([0n, 0n]);
  });

  it('empty is zero-filled shared memory', () => {
    const a = empty([2, 2], 'int16');
    expect(a.dtype).toBe('int16');
    expect(a.isShared).toBe(true);
    expect(a.toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('ones gives 1, 1n or true', () => {
    expect(ones(3).toArray()).toEqual([1, 1, 1]);
    expect(ones([2, 2], 'int8').toArray()).toEqual([[1, 1], [1, 1]]);
    expect(ones(2, 'int64').toArray()).toEqual([1n, 1n]);
    expect(ones(2, 'uint64').toArray()).toEqual([1n, 1n]);
    expect(ones(2, 'bool').toArray()).toEqual([true, true]);
    expect(ones([]).toArray()).toBe(1);
    const f = ones([2, 3], 'f4', 'F');
    expect(f.order).toBe('F');
    expect(Array.from(f.data)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('full', () => {
  it('infers the dtype from the value: boolean → bool, bigint → int64, number → float64', () => {
    const b = full(2, true);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual([true, true]);
    const i = full([2], 7n);
    expect(i.dtype).toBe('int64');
    expect(i.toArray()).toEqual([7n, 7n]);
    const f = full([2, 2], 2.5);
    expect(f.dtype).toBe('float64');
    expect(f.toArray()).toEqual([[2.5, 2.5], [2.5, 2.5]]);
    expect(full(1, NaN).get(0)).toBeNaN();
    expect(full([], -1).toArray()).toBe(-1);
  });

  it('follows an explicit dtype and order, converting like set', () => {
    expect(full(3, 7, 'int8').toArray()).toEqual([7, 7, 7]);
    expect(full(2, 2.9, 'int32').toArray()).toEqual([2, 2]);
    expect(full(2, -2.9, 'int32').toArray()).toEqual([-2, -2]);
    expect(full(2, 5, 'int64').toArray()).toEqual([5n, 5n]);
    expect(full(2, 5n, 'float32').toArray()).toEqual([5, 5]);
    expect(full(2, false, 'bool').toArray()).toEqual([false, false]);
    expect(full(2, 2n ** 64n - 1n, 'uint64').get(1)).toBe(2n ** 64n - 1n);
    const f = full([2, 3], 4, 'uint16', 'F');
    expect(f.strides).toEqual([1, 2]);
    expect(f.toArray()).toEqual([[4, 4, 4], [4, 4, 4]]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('arange', () => {
  it('takes (stop), (start, stop) and (start, stop, step), default float64', () => {
    const a = arange(5);
    expect(a.dtype).toBe('float64');
    expect(a.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 6).toArray()).toEqual([2, 3, 4, 5]);
    expect(arange(1, 10, 3).toArray()).toEqual([1, 4, 7]);
    expect(arange(1, 10, 4.5).toArray()).toEqual([1, 5.5]);
  });

  it('counts down with a negative step', () => {
    expect(arange(10, 0, -3).toArray()).toEqual([10, 7, 4, 1]);
    expect(arange(1, 0, -0.25).toArray()).toEqual([1, 0.75, 0.5, 0.25]);
    expect(arange(-1, -4, -1).toArray()).toEqual([-1, -2, -3]);
  });

  it('takes a float step with numpy\'s length and values (start 0)', () => {
    // np.arange(0, 1, 0.1).tolist()
    expect(arange(0, 1, 0.1).toArray()).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9]);
    expect(arange(-3, 3, 1.5).toArray()).toEqual([-3, -1.5, 0, 1.5]);
    // np.arange(0.1, 0.3, 0.1) has 2 elements: ceil((0.3 - 0.1) / 0.1) = ceil(1.9999999999999998)
    expect(arange(0.1, 0.3, 0.1).size).toBe(2);
    expect(arange(0.5).toArray()).toEqual([0]);
  });

  it('float values equal numpy\'s bit for bit when start is not 0', () => {
    // numpy fills start + i * delta with delta = (start + step) - start (DOUBLE_fill), not step itself:
    // np.arange(1, 2, 0.3).tolist() == [1.0, 1.3, 1.6, 1.9000000000000001]; here the last is 1.9.
    expect(arange(1, 2, 0.3).toArray()).toEqual([1, 1.3, 1.6, 1.9000000000000001]);
    expect(arange(-1, 1, 0.3).toArray()).toEqual([-1, -0.7, -0.3999999999999999, -0.09999999999999987, 0.20000000000000018, 0.5000000000000002, 0.8000000000000003]);
  });

  it('gives int64 bigints for bigint arguments', () => {
    const a = arange(4n);
    expect(a.dtype).toBe('int64');
    expect(a.toArray()).toEqual([0n, 1n, 2n, 3n]);
    expect(arange(2n, 5n).toArray()).toEqual([2n, 3n, 4n]);
    expect(arange(0n, 10n, 3n).toArray()).toEqual([0n, 3n, 6n, 9n]);
    expect(arange(10n, 0n, -3n).toArray()).toEqual([10n, 7n, 4n, 1n]);
    expect(arange(2n ** 62n, 2n ** 62n + 2n).toArray()).toEqual([2n ** 62n, 2n ** 62n + 1n]);
  });

  it('takes the dtype as the last argument', () => {
    const a = arange(5, 'int32');
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 4, 'i2').dtype).toBe('int16');
    const b = arange(0, 10, 3, 'u1');
    expect(b.dtype).toBe('uint8');
    expect(b.toArray()).toEqual([0, 3, 6, 9]);
    expect(arange(3n, 'float64').toArray()).toEqual([0, 1, 2]);
    expect(arange(3, 'int64').toArray()).toEqual([0n, 1n, 2n]);
    expect(arange(1n, 7n, 2n, 'uint64').toArray()).toEqual([1n, 3n, 5n]);
    expect(arange(3, undefined).dtype).toBe('float64');
    // np.arange(0.5, 3, dtype=np.int32) → [0, 1, 2] (truncation toward zero)
    expect(arange(0.5, 3, 'int32').toArray()).toEqual([0, 1, 2]);
  });

  it('gives an empty array when the range is empty', () => {
    for (const a of [arange(0), arange(-3), arange(5, 1), arange(0, 5, -1), arange(5n, 1n), arange(1, 1, 'int8')]) {
      expect(a.shape).toEqual([0]);
      expect(a.toArray()).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('array', () => {
  it('copies nested JS arrays, inferring float64 / bool / int64', () => {
    const a = array([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float64');
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(array([[[1], [2]], [[3], [4]]]).shape).toEqual([2, 2, 1]);
    expect(array([true, false]).dtype).toBe('bool');
    expect(array([true, false]).toArray()).toEqual([true, false]);
    expect(array([1n, -2n]).dtype).toBe('int64');
    expect(array([1n, -2n]).toArray()).toEqual([1n, -2n]);
    expect(array([]).shape).toEqual([0]);
    expect(array([]).dtype).toBe('float64');
    expect(array([[], []]).shape).toEqual([2, 0]);
    expect(array([1, 2]).isShared).toBe(true);
  });

  it('does not keep a reference to the input', () => {
    const input = [1, 2, 3];
    const a = array(input);
    input[0] = 99;
    expect(a.get(0)).toBe(1);
  });

  it('keeps a typed array\'s own dtype (a Node Buffer is uint8) and copies it', () => {
    const cases: [ArrayBufferView & ArrayLike<number | bigint>, DType][] = [
      [new Int16Array([1, -2]), 'int16'], [new Float32Array([1.5, 2]), 'float32'], [new Uint8ClampedArray([1, 255]), 'uint8c'],
      [new Uint32Array([1, 2 ** 32 - 1]), 'uint32'], [new BigInt64Array([1n, -1n]), 'int64'], [new BigUint64Array([1n, 2n ** 64n - 1n]), 'uint64'],
      [Buffer.from([1, 2]), 'uint8'], [new Int8Array([-128, 127]), 'int8'], [new Float64Array([0.1]), 'float64'],
    ];
    for (const [input, expected] of cases) {
      const a = array(input);
      expect(a.dtype).toBe(expected);
      expect(a.toArray()).toEqual(Array.from(input));
      expect(a.buffer).not.toBe(input.buffer);
    }
    const shared = new Float64Array(new SharedArrayBuffer(16));
    const c = array(shared);
    c.set(0, 5);
    expect(shared[0]).toBe(0);
  });

  it('converts to an explicit dtype, truncating floats toward zero', () => {
    const a = array([1.9, -1.9, 0.5], 'int16');
    expect(a.dtype).toBe('int16');
    expect(a.toArray()).toEqual([1, -1, 0]);
    expect(array(new Float32Array([3.5]), 'int64').toArray()).toEqual([3n]);
    expect(array([1, 2], 'uint64').toArray()).toEqual([1n, 2n]);
    expect(array([1n, 2n], 'float64').toArray()).toEqual([1, 2]);
    expect(array([1, 2n], 'float64').toArray()).toEqual([1, 2]);
  });

  it('copies a SharedNDArray (keeping or converting its dtype), sharing no memory', () => {
    const src = arange(6, 'int32').reshape(2, 3);
    const a = array(src);
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual(src.toArray());
    expect(a.buffer).not.toBe(src.buffer);
    a.set(0, 0, 100);
    expect(src.get(0, 0)).toBe(0);
    const b = array(src.T, 'float32');
    expect(b.dtype).toBe('float32');
    expect(b.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(b.isContiguous('C')).toBe(true);
  });

  it('turns a scalar into a 0-d array', () => {
    const a = array(5);
    expect(a.shape).toEqual([]);
    expect(a.dtype).toBe('float64');
    expect(a.toArray()).toBe(5);
    expect(a.get()).toBe(5);
    expect(array(5n).toArray()).toBe(5n);
    expect(array(true).toArray()).toBe(true);
    expect(array(3.7, 'int8').toArray()).toBe(3);
  });

  it('lays the copy out in Fortran order with order F', () => {
    const a = array([[1, 2, 3], [4, 5, 6]], undefined, 'F');
    expect(a.strides).toEqual([1, 2]);
    expect(a.order).toBe('F');
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(a.data as Float64Array)).toEqual([1, 4, 2, 5, 3, 6]);
    const b = array(arange(6).reshape(2, 3), 'int8', 'F');
    expect(b.dtype).toBe('int8');
    expect(Array.from(b.data)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(array([[1, 2]], undefined, 'C').strides).toEqual([2, 1]);
  });

  it('accepts 0-d SharedNDArrays as elements', () => {
    expect(array([array(1), array(2)]).toArray()).toEqual([1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('frombuffer', () => {
  it('views a SharedArrayBuffer without copying, in both directions', () => {
    const sab = new SharedArrayBuffer(32);
    const f64 = new Float64Array(sab);
    const a = frombuffer(sab);
    expect(a.dtype).toBe('float64');
    expect(a.shape).toEqual([4]);
    expect(a.isShared).toBe(true);
    expect(a.buffer).toBe(sab);
    expect(a.byteOffset).toBe(0);
    a.set(1, 2.5);
    expect(f64[1]).toBe(2.5);
    f64[3] = -7;
    expect(a.get(3)).toBe(-7);
    a.fill(1);
    expect(Array.from(f64)).toEqual([1, 1, 1, 1]);
  });

  it('respects the byteOffset of a typed array, DataView or Node Buffer over shared memory', () => {
    const sab = new SharedArrayBuffer(64);
    const f64 = new Float64Array(sab);
    f64.set([0, 1, 2, 3, 4, 5, 6, 7]);

    const fromTyped = frombuffer(new Float64Array(sab, 16, 3));
    expect(fromTyped.toArray()).toEqual([2, 3, 4]);
    expect(fromTyped.byteOffset).toBe(16);
    expect(fromTyped.offset).toBe(2);
    expect(fromTyped.buffer).toBe(sab);
    fromTyped.set(0, 20);
    expect(f64[2]).toBe(20);

    const fromView = frombuffer(new DataView(sab, 40, 16));
    expect(fromView.toArray()).toEqual([5, 6]);
    expect(fromView.byteOffset).toBe(40);

    const bytes = Buffer.from(sab, 3, 6);
    const fromNodeBuffer = frombuffer(bytes, { dtype: 'uint8' });
    expect(fromNodeBuffer.byteOffset).toBe(3);
    expect(fromNodeBuffer.shape).toEqual([6]);
    fromNodeBuffer.set(0, 0xff);
    expect(new Uint8Array(sab)[3]).toBe(0xff);
    expect(bytes[0]).toBe(0xff);
    expect(fromNodeBuffer.isShared).toBe(true);

    // a wider dtype through a byte view
    const i32 = frombuffer(new Uint8Array(sab, 8, 16), { dtype: 'int32', offset: 4, count: 2 });
    expect(i32.byteOffset).toBe(12);
    expect(i32.shape).toEqual([2]);
  });

  it('views a plain ArrayBuffer too, with isShared false', () => {
    const ab = new ArrayBuffer(16);
    const a = frombuffer(ab, { dtype: 'int32' });
    expect(a.isShared).toBe(false);
    expect(a.buffer).toBe(ab);
    a.set(2, 9);
    expect(new Int32Array(ab)[2]).toBe(9);
    expect(inspect(a)).toBe('SharedNDArray([0, 0, 9, 0], dtype=int32, shared=false)');
    expect(frombuffer(new Uint16Array([1, 2]), { dtype: 'uint16' }).isShared).toBe(false);
  });

  it('follows numpy\'s count/offset rules (offset in bytes, count -1 takes the rest)', () => {
    const sab = new SharedArrayBuffer(16);
    new Uint8Array(sab).set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    // np.frombuffer(bytearray(range(16)), dtype=np.uint8, count=-1, offset=4)
    expect(frombuffer(sab, { dtype: 'uint8', offset: 4 }).toArray()).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(frombuffer(sab, { dtype: 'uint8', offset: 4, count: -1 }).size).toBe(12);
    expect(frombuffer(sab, { dtype: 'uint8', offset: 4, count: 3 }).toArray()).toEqual([4, 5, 6]);
    expect(frombuffer(sab, { dtype: 'uint16', offset: 2, count: 2 }).toArray()).toEqual([0x0302, 0x0504]);
    expect(frombuffer(sab, { dtype: 'float64', offset: 8 }).shape).toEqual([1]);
    expect(frombuffer(sab, { count: 0 }).shape).toEqual([0]);
    // offset == length is allowed and gives an empty array (numpy too)
    expect(frombuffer(sab, { offset: 16 }).shape).toEqual([0]);
    expect(frombuffer(sab, { dtype: 'uint8', count: 16 }).size).toBe(16);
    expect(frombuffer(sab, {}).dtype).toBe('float64');
    expect(frombuffer(sab).size).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
describe('get / set', () => {
  it('take negative indices from the end of each axis', () => {
    const a = arange(12).reshape(3, 4);
    expect(a.get(-1, -1)).toBe(11);
    expect(a.get(-3, 0)).toBe(0);
    expect(a.get(1, -4)).toBe(4);
    a.set(-1, -2, 100);
    expect(a.get(2, 2)).toBe(100);
    const v = arange(10).slice('::-2');
    expect(v.get(0)).toBe(9);
    expect(v.get(-1)).toBe(1);
  });

  it('address a 0-d array with no indices', () => {
    const s = zeros([], 'int16');
    s.set(7);
    expect(s.get()).toBe(7);
  });

  it('truncate floats toward zero into integer dtypes, like numpy', () => {
    // a = np.zeros(3, np.int32); a[0] = 2.7; a[1] = -2.7 → [2, -2]
    for (const d of ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'] as const) {
      const a = zeros(3, d);
      a.set(0, 2.7);
      a.set(1, d.startsWith('u') ? 0.99 : -2.7);
      a.set(2, -0.5);
      expect(a.toArray()).toEqual([2, d.startsWith('u') ? 0 : -2, 0]);
    }
    const i8 = zeros(2, 'int8');
    i8.set(0, 127.9);
    i8.set(1, -128.9);
    expect(i8.toArray()).toEqual([127, -128]);
    const big = zeros(2, 'int64');
    big.set(0, 2.9);
    big.set(1, -2.9);
    expect(big.toArray()).toEqual([2n, -2n]);
  });

  it('take bigints for 64-bit integers and give bigints back', () => {
    const a = zeros(3, 'int64');
    a.set(0, 2n ** 63n - 1n);
    a.set(1, -(2n ** 63n));
    a.set(2, 42);
    expect(a.get(0)).toBe(2n ** 63n - 1n);
    expect(a.get(1)).toBe(-(2n ** 63n));
    expect(a.get(2)).toBe(42n);
    expect(typeof a.get(2)).toBe('bigint');
    const u = zeros(1, 'uint64');
    u.set(0, 2n ** 64n - 1n);
    expect(u.get(0)).toBe(2n ** 64n - 1n);
  });

  it('take bigints for other numeric dtypes too', () => {
    const a = zeros(2, 'int32');
    a.set(0, -5n);
    expect(a.get(0)).toBe(-5);
    const f = zeros(1, 'float32');
    f.set(0, 3n);
    expect(f.get(0)).toBe(3);
  });

  it('give booleans for bool arrays', () => {
    const b = zeros(2, 'bool');
    b.set(1, true);
    expect(b.get(0)).toBe(false);
    expect(b.get(1)).toBe(true);
    expect(Array.from(b.data)).toEqual([0, 1]);
  });

  it('uint8c clamps and rounds like Uint8ClampedArray', () => {
    const c = zeros(4, 'uint8c');
    c.set(0, 300);
    c.set(1, -5);
    c.set(2, 1.5);
    c.set(3, 2n ** 70n);
    expect(c.toArray()).toEqual([255, 0, 2, 255]);
  });

  it('float32 rounds to single precision', () => {
    const f = zeros(1, 'float32');
    f.set(0, 0.1);
    expect(f.get(0)).toBe(Math.fround(0.1));
  });
});

// ---------------------------------------------------------------------------------------------
describe('fill', () => {
  it('fills a whole array and returns it', () => {
    const a = zeros([2, 2], 'int16');
    expect(a.fill(3)).toBe(a);
    expect(a.toArray()).toEqual([[3, 3], [3, 3]]);
    expect(zeros(2, 'int64').fill(5).toArray()).toEqual([5n, 5n]);
    expect(zeros(2, 'bool').fill(true).toArray()).toEqual([true, true]);
    expect(zeros(2, 'int32').fill(-1.5).toArray()).toEqual([-1, -1]);
    expect(zeros([], 'float32').fill(2).toArray()).toBe(2);
  });

  it('on strided views touches only the view\'s elements', () => {
    const a = arange(12).reshape(3, 4);
    a.slice(':', 1).fill(-1);
    expect(a.toArray()).toEqual([[0, -1, 2, 3], [4, -1, 6, 7], [8, -1, 10, 11]]);
    a.slice('0:2', '2:4').fill(-2);
    expect(a.toArray()).toEqual([[0, -1, -2, -2], [4, -1, -2, -2], [8, -1, 10, 11]]);
    a.slice('::-2', '::3').fill(-3);
    expect(a.toArray()).toEqual([[-3, -1, -2, -3], [4, -1, -2, -2], [-3, -1, 10, -3]]);
    expect(raw(a)).toEqual([-3, -1, -2, -3, 4, -1, -2, -2, -3, -1, 10, -3]);
  });

  it('on contiguous sub-views (C and F) touches only the view\'s elements', () => {
    const a = arange(12).reshape(3, 4);
    a.row(1).fill(0);
    expect(raw(a)).toEqual([0, 1, 2, 3, 0, 0, 0, 0, 8, 9, 10, 11]);
    const f = zeros([4, 3], 'f8', 'F');
    f.slice(':', 1).fill(5);
    expect(raw(f)).toEqual([0, 0, 0, 0, 5, 5, 5, 5, 0, 0, 0, 0]);
    expect(f.toArray()).toEqual([[0, 5, 0], [0, 5, 0], [0, 5, 0], [0, 5, 0]]);
    // a view over part of a buffer given to frombuffer
    const sab = new SharedArrayBuffer(40);
    frombuffer(sab, { offset: 8, count: 2 }).fill(9);
    expect(Array.from(new Float64Array(sab))).toEqual([0, 9, 9, 0, 0]);
    expect(zeros(0).fill(1).toArray()).toEqual([]);
    const b = arange(3);
    b.slice('2:2').fill(1);
    expect(b.toArray()).toEqual([0, 1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('data', () => {
  it('is a subarray over exactly a C-contiguous view, sharing memory', () => {
    const a = arange(12).reshape(3, 4);
    const rows = a.slice('1:3');
    const d = rows.data;
    expect(d).toBeInstanceOf(Float64Array);
    expect(Array.from(d)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(d.buffer).toBe(a.buffer);
    expect(d.byteOffset).toBe(32);
    d[0] = -4;
    expect(a.get(1, 0)).toBe(-4);
    a.set(2, 3, -11);
    expect(d[7]).toBe(-11);
    expect(Array.from(a.row(2).data)).toEqual([8, 9, 10, -11]);
    expect(Array.from(a.slice(1, '1:3').data)).toEqual([5, 6]);
  });

  it('is a subarray over exactly an F-contiguous view, in memory order', () => {
    const c = arange(6).reshape(2, 3);
    const t = c.T;
    expect(t.isContiguous('F')).toBe(true);
    expect(Array.from(t.data)).toEqual([0, 1, 2, 3, 4, 5]);
    const f = array([[1, 2, 3], [4, 5, 6]], 'int32', 'F');
    const cols = f.slice(':', '1:3');
    expect(cols.isContiguous('F')).toBe(true);
    expect(cols.data).toBeInstanceOf(Int32Array);
    expect(Array.from(cols.data)).toEqual([2, 5, 3, 6]);
    cols.data[0] = 20;
    expect(f.get(0, 1)).toBe(20);
  });

  it('covers 0-d, empty, length-1-axis and bool views', () => {
    const a = arange(6);
    expect(Array.from(a.slice(4).data)).toEqual([4]);
    expect(a.slice('3:3').data.length).toBe(0);
    expect(zeros([2, 0]).data.length).toBe(0);
    expect(Array.from(a.reshape(3, 2).slice('1:2').data)).toEqual([2, 3]);
    expect(Array.from(arange(4).expandDims(0).data)).toEqual([0, 1, 2, 3]);
    const b = array([true, false, true]);
    expect(b.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 1]);
  });

  it('of a copy of a strided view is contiguous', () => {
    expect(Array.from(arange(6).slice('::2').copy().data)).toEqual([0, 2, 4]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('geometry getters', () => {
  it('report numpy\'s attributes', () => {
    const a = zeros([3, 4], 'int32');
    expect(a.itemsize).toBe(4);
    expect(a.size).toBe(12);
    expect(a.ndim).toBe(2);
    expect(a.nbytes).toBe(48);
    expect(a.byteStrides).toEqual([16, 4]);
    expect(a.byteOffset).toBe(0);
    expect(a.isShared).toBe(true);

    const v = a.slice('1:', '::-2');
    expect(v.shape).toEqual([2, 2]);
    expect(v.strides).toEqual([4, -2]);
    expect(v.byteStrides).toEqual([16, -8]);
    expect(v.offset).toBe(7);
    expect(v.byteOffset).toBe(28);
    expect(v.size).toBe(4);
    expect(v.nbytes).toBe(16);
    expect(v.buffer).toBe(a.buffer);

    for (const [d, size] of [['int8', 1], ['uint8c', 1], ['bool', 1], ['int16', 2], ['uint32', 4], ['float32', 4], ['int64', 8], ['uint64', 8], ['float64', 8]] as const) {
      expect(zeros(1, d).itemsize).toBe(size);
    }
    expect(zeros([]).nbytes).toBe(8);
    expect(zeros([5, 0]).nbytes).toBe(0);
  });

  it('shape and strides are read-only copies', () => {
    const a = zeros([2, 3]);
    expect(Object.isFrozen(a.shape)).toBe(true);
    expect(Object.isFrozen(a.strides)).toBe(true);
    expect(() => (a.shape as number[]).push(1)).toThrow(TypeError);
    expect(a.shape).toEqual([2, 3]);
  });

  it('order is C, F, or the order the strides resemble', () => {
    const a = arange(12).reshape(3, 4);
    expect(a.order).toBe('C');
    expect(a.T.order).toBe('F');
    expect(arange(3).order).toBe('C');
    expect(zeros([2, 3], 'f8', 'F').order).toBe('F');
    expect(a.slice(':', '::2').order).toBe('C');
    expect(a.T.slice('::2').order).toBe('F');
  });
});

// ---------------------------------------------------------------------------------------------
describe('iteration, toArray and printing', () => {
  it('iterates the first axis: scalars for 1-d, row views otherwise', () => {
    expect([...arange(3)]).toEqual([0, 1, 2]);
    expect([...arange(3n)]).toEqual([0n, 1n, 2n]);
    expect([...array([true, false])]).toEqual([true, false]);
    const a = arange(6).reshape(3, 2);
    const rows = [...a] as SharedNDArray[];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    rows[1]!.set(0, 20);
    expect(a.get(1, 0)).toBe(20);
    expect([...zeros([0, 2])]).toEqual([]);
    expect([...a.T].map((r) => (r as SharedNDArray).toArray())).toEqual([[0, 20, 4], [1, 3, 5]]);
  });

  it('toArray of a 0-d array is its scalar; otherwise nested arrays (a copy)', () => {
    expect(zeros([]).toArray()).toBe(0);
    expect(arange(6).slice(2).toArray()).toBe(2);
    expect(array(7n).toArray()).toBe(7n);
    const a = arange(4).reshape(2, 2);
    const nested = a.toArray() as number[][];
    nested[0]![0] = 99;
    expect(a.get(0, 0)).toBe(0);
    expect(a.T.toArray()).toEqual([[0, 2], [1, 3]]);
  });

  it('toString and inspect are readable', () => {
    expect(String(arange(3))).toBe('SharedNDArray([0, 1, 2], dtype=float64)');
    expect(String(arange(4, 'int32').reshape(2, 2))).toBe('SharedNDArray([[0, 1], [2, 3]], dtype=int32)');
    expect(String(arange(2n))).toBe('SharedNDArray([0, 1], dtype=int64)');
    expect(String(array([true, false]))).toBe('SharedNDArray([true, false], dtype=bool)');
    expect(String(array(2.5))).toBe('SharedNDArray(2.5, dtype=float64)');
    expect(String(zeros([0]))).toBe('SharedNDArray([], dtype=float64)');
    expect(`${arange(2, 'uint8')}`).toBe('SharedNDArray([0, 1], dtype=uint8)');
    expect(inspect(arange(3))).toBe('SharedNDArray([0, 1, 2], dtype=float64)');
    expect(inspect({ a: arange(2) })).toBe('{ a: SharedNDArray([0, 1], dtype=float64) }');
    expect(inspect(zeros([10, 101], 'int8'))).toBe('SharedNDArray(shape=(10, 101), dtype=int8)');
    expect(inspect(zeros(1001))).toBe('SharedNDArray(shape=(1001,), dtype=float64)');
    expect(inspect(zeros(1000)).startsWith('SharedNDArray([0, 0,')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('dtype() resolver', () => {
  it('accepts canonical names and DTypeInfo objects', () => {
    for (const name of Object.keys(DTYPES) as DType[]) {
      expect(dtype(name)).toBe(name);
      expect(dtype(DTYPES[name])).toBe(name);
    }
  });

  it('accepts numpy type strings with or without a <, = or | prefix', () => {
    const cases: [string, DType][] = [
      ['<f8', 'float64'], ['=f8', 'float64'], ['f8', 'float64'], ['<f4', 'float32'], ['<i8', 'int64'], ['=i4', 'int32'],
      ['<i2', 'int16'], ['|i1', 'int8'], ['|u1', 'uint8'], ['<u2', 'uint16'], ['<u4', 'uint32'], ['<u8', 'uint64'],
      ['|b1', 'bool'], ['?', 'bool'], ['|?', 'bool'], ['<float64', 'float64'], ['=int8', 'int8'], ['|bool', 'bool'],
    ];
    for (const [spec, expected] of cases) expect(dtype(spec as never)).toBe(expected);
    // the descr written in .npy headers round-trips
    for (const name of Object.keys(DTYPES) as DType[]) {
      if (name !== 'uint8c') expect(dtype(DTYPES[name].descr as never)).toBe(name);
    }
  });

  it('accepts Python array/struct typecodes (LP64) like numpy', () => {
    const cases: [string, DType][] = [
      ['b', 'int8'], ['B', 'uint8'], ['h', 'int16'], ['H', 'uint16'], ['i', 'int32'], ['I', 'uint32'],
      ['l', 'int64'], ['L', 'uint64'], ['q', 'int64'], ['Q', 'uint64'], ['f', 'float32'], ['d', 'float64'],
      ['<d', 'float64'], ['=l', 'int64'],
    ];
    for (const [spec, expected] of cases) expect(dtype(spec as never)).toBe(expected);
  });

  it('accepts numpy names', () => {
    const cases: [string, DType][] = [
      ['byte', 'int8'], ['ubyte', 'uint8'], ['short', 'int16'], ['ushort', 'uint16'], ['intc', 'int32'], ['uintc', 'uint32'],
      ['int', 'int64'], ['int_', 'int64'], ['uint', 'uint64'], ['long', 'int64'], ['ulong', 'uint64'], ['longlong', 'int64'],
      ['ulonglong', 'uint64'], ['intp', 'int64'], ['uintp', 'uint64'], ['single', 'float32'], ['float', 'float64'],
      ['double', 'float64'], ['bool_', 'bool'],
    ];
    for (const [spec, expected] of cases) expect(dtype(spec as never)).toBe(expected);
  });

  it('accepts ctypes names', () => {
    const cases: [string, DType][] = [
      ['c_double', 'float64'], ['c_float', 'float32'], ['c_byte', 'int8'], ['c_ubyte', 'uint8'], ['c_int8', 'int8'],
      ['c_uint8', 'uint8'], ['c_short', 'int16'], ['c_ushort', 'uint16'], ['c_int16', 'int16'], ['c_uint16', 'uint16'],
      ['c_int', 'int32'], ['c_uint', 'uint32'], ['c_int32', 'int32'], ['c_uint32', 'uint32'], ['c_long', 'int64'],
      ['c_ulong', 'uint64'], ['c_longlong', 'int64'], ['c_ulonglong', 'uint64'], ['c_int64', 'int64'], ['c_uint64', 'uint64'],
      ['c_size_t', 'uint64'], ['c_ssize_t', 'int64'], ['c_bool', 'bool'],
    ];
    for (const [spec, expected] of cases) expect(dtype(spec as never)).toBe(expected);
  });

  it('resolves at the type level too', () => {
    const d: 'float64' = dtype('c_double');
    const i: 'int32' = dtype('<i4');
    const b: 'bool' = dtype('?');
    expect([d, i, b]).toEqual(['float64', 'int32', 'bool']);
    const a = zeros(2, 'c_int16');
    const v: number = a.get(0);
    expect(v).toBe(0);
    expect(a.dtype).toBe('int16');
  });
});

describe('review follow-ups', () => {
  it('array(typedArray) copies in one step and keeps the dtype; a different dtype converts each value', () => {
    const src = new Float64Array([1.5, -2, 3]);
    const a = array(src);
    expect(a.dtype).toBe('float64');
    expect(a.buffer).not.toBe(src.buffer);
    expect(a.toArray()).toEqual([1.5, -2, 3]);
    const i = array(new Int16Array([1, -2]), 'int8');
    expect([i.dtype, i.toArray()]).toEqual(['int8', [1, -2]]);
  });

  it('array() of nested typed arrays or SharedNDArrays keeps their common dtype (numpy keeps int32)', () => {
    expect(array([new Int32Array([1, 2]), new Int32Array([3, 4])]).dtype).toBe('int32');
    const rows = [arange(2, 'int16'), arange(2, 'int16')];
    const a = array(rows);
    expect([a.dtype, a.shape, a.toArray()]).toEqual(['int16', [2, 2], [[0, 1], [0, 1]]]);
    // parts that disagree fall back to inference from the values
    expect(array([new Int32Array([1]), [2]]).dtype).toBe('float64');
  });

  it('reshape(shape, undefined) is the same as reshape(shape)', () => {
    const opts: { order?: 'C' | 'F' } | undefined = undefined;
    expect(arange(6).reshape([2, 3], opts).shape).toEqual([2, 3]);
  });

  it('astype from bool reads any nonzero byte as 1, as numpy does', () => {
    const b = frombuffer(new Uint8Array([0, 5, 255]), { dtype: 'bool' });
    expect(b.toArray()).toEqual([false, true, true]);
    expect([b.get(0), b.get(1), b.get(2)]).toEqual([false, true, true]);
    expect([...b]).toEqual([false, true, true]);
    expect(b.astype('int32').toArray()).toEqual([0, 1, 1]);
    expect(b.astype('int64').toArray()).toEqual([0n, 1n, 1n]);
    expect(b.astype('float64').toArray()).toEqual([0, 1, 1]);
  });

  it('arange with an integer dtype and a fractional step follows numpy: [0, 1, 2, 3]', () => {
    expect(arange(0, 5, 1.5, 'int32').toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(0, 2, 0.5, 'int32').toArray()).toEqual([0, 0, 0, 0]);
  });

  it('zero-size views whose offset lies past the end still cross threads and stdlib', () => {
    const empty2 = zeros([4, 0]).slice(3);
    expect(SharedNDArray.fromDescriptor(empty2.toDescriptor()).shape).toEqual([0]);
    // an empty slice keeps the offset it had (numpy's start can be out of range for an empty result)
    const none = arange(3).slice('-5:-9:-1');
    expect([none.shape, none.offset]).toEqual([[0], 0]);
    expect(SharedNDArray.fromDescriptor(none.toDescriptor()).shape).toEqual([0]);
    expect(fromStdlib(none.toStdlib()).shape).toEqual([0]);
    expect(fromStdlib(zeros([3, 0]).row(2).toStdlib()).shape).toEqual([0]);
  });

  it('a huge slice step on an axis left with one element keeps a safe stride, so the view crosses threads', () => {
    const one = arange(10).slice('::99999999999999999999');
    expect(one.toArray()).toEqual([0]);
    expect(SharedNDArray.fromDescriptor(one.toDescriptor()).toArray()).toEqual([0]);
  });

  it('toString summarises arrays over 1000 elements, like numpy\'s print threshold', () => {
    expect(String(zeros([7, 143]))).toBe('SharedNDArray(shape=(7, 143), dtype=float64)');
    expect(String(zeros(1000))).toMatch(/^SharedNDArray\(\[0, 0, .*0\], dtype=float64\)$/);
    expect(String(arange(3))).toBe('SharedNDArray([0, 1, 2], dtype=float64)');
  });

  it('rows() iterates row views typed as arrays', () => {
    const m = zeros([3, 2], 'int32');
    let k = 0;
    for (const r of m.rows()) r.fill(k++);
    expect(m.toArray()).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(() => zeros([]).rows().next()).toThrow(IndexError);
    expect(() => zeros([]).rows().next()).toThrow(/^rows: a 0-d array has no rows$/);
  });

  it('uint8c stores like Uint8ClampedArray: clamps, and rounds half to even', () => {
    const c = zeros(5, 'uint8c');
    for (const [i, v] of [2.5, 2.7, 3.5, -7, 300].entries()) c.set(i, v);
    expect(c.toArray()).toEqual([2, 3, 4, 0, 255]);
  });

  it('the public constructor infers its type from a canonical dtype name', () => {
    const a = new SharedNDArray([2], { dtype: 'int32' });
    const d: 'int32' = a.dtype;
    expect(d).toBe('int32');
  });
});

describe('64-bit integers to float32 round once, ties to even (values computed by numpy 1.24)', () => {
  it('astype and set agree with numpy on exact halfway points', () => {
    const i64 = array([2n ** 60n + 2n ** 36n, 2n ** 60n + 3n * 2n ** 36n, -(2n ** 60n + 2n ** 36n), 2n ** 53n + 1n, 2n ** 24n + 1n, 2n ** 24n + 3n]);
    // biome-ignore lint/correctness/noPrecisionLoss: numpy's digits of exact float32 values; the rule counts digits, not bits
    const numpy = [1152921504606846976, 1152921779484753920, -1152921504606846976, 9007199254740992, 16777216, 16777220];
    expect(i64.astype('float32').toArray()).toEqual(numpy);
    const f = zeros(numpy.length, 'float32');
    for (const [k, v] of (i64.toArray() as bigint[]).entries()) f.set(k, v);
    expect(f.toArray()).toEqual(numpy);
    const u64 = array([2n ** 63n + 2n ** 39n, 2n ** 63n + 3n * 2n ** 39n], 'uint64');
    // biome-ignore lint/correctness/noPrecisionLoss: 2 ** 63 and 2 ** 63 + 2 ** 41, exact in float32 and float64
    expect(u64.astype('float32').toArray()).toEqual([9223372036854775808, 9223374235878031360]);
  });
});
