import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { params, thrown } from '../support/assert.js';
import { TYPECODES } from '../support/typecodes.js';
import * as pkg from '../../src/index.js';
import {
  ArgumentError, Array as SharedCArray, BufferError, DTYPES, DTypeError, IndexError, Lock, Lockable, RLock, RawArray, RawValue,
  SharedArray, SharedNDArray, SynchronizedArray, Value, ValueError, frombuffer, withLock, type DType,
} from '../../src/index.js';
import { decode, encode } from '../../src/transport/transport.js';

/**
 * RawArray and Array on one thread: sizes and initialisers, Python's indexing through the index
 * proxy, copies, the ndarray view and the SynchronizedArray wrapper. Cross-thread behaviour is
 * in workers.thread.test.ts.
 */

const zeroOf = (d: DType) => (d === 'int64' || d === 'uint64' ? 0n : 0);

describe('RawArray', () => {
  it.each(Object.entries(TYPECODES))("'%s' gives a zero-filled %s array of the size asked", (code, dtype) => {
    const a = RawArray(code as 'd', 3);
    expect(a).toBeInstanceOf(SharedArray);
    expect(a.dtype).toBe(dtype);
    expect(a.length).toBe(3);
    expect(a.buffer.byteLength).toBe(3 * DTYPES[dtype].itemsize);
    expect(a.toArray()).toEqual([zeroOf(dtype), zeroOf(dtype), zeroOf(dtype)]);
  });

  it("the article's examples: RawArray('h', 7), RawArray('i', (9, 2, 8)), Value('i', 7)", () => {
    expect(RawArray('h', 7).toArray()).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const s = RawArray('i', [9, 2, 8]);
    expect(s.toArray()).toEqual([9, 2, 8]);
    expect(String(s)).toBe('SharedArray(int32, [9, 2, 8])');
    expect(Value('i', 7).value).toBe(7);
  });

  it('takes its values from any iterable or array-like', () => {
    expect(RawArray('d', new Float32Array([0.5, 2])).toArray()).toEqual([0.5, 2]);
    expect(RawArray('q', new Set([1n, 2n])).toArray()).toEqual([1n, 2n]);
    expect(RawArray('B', (function* () { yield 1; yield 2; })()).toArray()).toEqual([1, 2]);
    expect(RawArray('H', { length: 2, 0: 7, 1: 8 }).toArray()).toEqual([7, 8]);
    expect(RawArray('bool', [true, false]).toArray()).toEqual([true, false]);
    expect(RawArray('i', RawArray('i', [4, 5])).toArray()).toEqual([4, 5]);
    const empty = RawArray('d', []);
    expect(empty.length).toBe(0);
    expect(empty.buffer.byteLength).toBe(0);
    expect(RawArray('d', 0).toArray()).toEqual([]);
  });

  it('refuses sizes and initialisers it cannot use, and checks every value', () => {
    const bad = (fn: string, got: string) => new ArgumentError(`${fn}: invalid argument 'sizeOrInit': expected a nonnegative integer size, or an iterable or array-like of values, got ${got}`);
    expect(thrown(() => RawArray('i', -1))).toEqual(bad('RawArray', '-1'));
    expect(thrown(() => RawArray('i', 1.5))).toEqual(bad('RawArray', '1.5'));
    expect(thrown(() => RawArray('i', Number.NaN))).toEqual(bad('RawArray', 'NaN'));
    expect(thrown(() => RawArray('i', 2n as never))).toEqual(bad('RawArray', '2n'));
    expect(thrown(() => RawArray('i', 'abc' as never))).toEqual(bad('RawArray', '"abc"'));
    expect(thrown(() => RawArray('i', null as never))).toEqual(bad('RawArray', 'null'));
    expect(thrown(() => SharedCArray('i', {} as never))).toEqual(bad('Array', 'an object'));
    expect(thrown(() => SharedCArray('i', { length: -1 } as never))).toEqual(bad('Array', 'an object'));
    expect(thrown(() => RawArray('i', [1, 2.5]))).toEqual(new ValueError("RawArray: invalid argument 'sizeOrInit[1]': expected an integer (a number or bigint) for int32, got 2.5"));
    expect(thrown(() => SharedCArray('B', [256]))).toEqual(new ValueError("Array: invalid argument 'sizeOrInit[0]': 256 is out of range for uint8 [0, 255]"));
    expect(thrown(() => SharedCArray('c' as never, 3))).toBeInstanceOf(DTypeError);
    expect(thrown(() => SharedCArray('c' as never, 3)).message).toMatch(/^Array: invalid argument 'typecode': typecode "c" \(c_char\) is not supported: .* use 'B' \(uint8\)/);
    expect(thrown(() => RawArray('d', 2 ** 40))).toBeInstanceOf(BufferError);
  });
});

describe('indexing', () => {
  it('a[i] reads and a[i] = v writes; negative indices count from the end, as in Python', () => {
    const a = RawArray('i', [1, 2, 3]);
    expect([a[0], a[1], a[2], a[-1], a[-3]]).toEqual([1, 2, 3, 3, 1]);
    a[0] = 10;
    a[-1] = 30;
    expect(a.toArray()).toEqual([10, 2, 30]);
    expect(a.get(-2)).toBe(2);
    a.set(-2, 20);
    expect(a[1]).toBe(20);
    expect(a[-0]).toBe(10);
  });

  it('outside the array is an IndexError, not undefined', () => {
    const a = RawArray('d', 3);
    expect(thrown(() => a[3])).toEqual(new IndexError('get: index 3 is out of range for length 3'));
    expect(thrown(() => a[-4])).toEqual(new IndexError('get: index -4 is out of range for length 3'));
    expect(thrown(() => { a[3] = 1; })).toEqual(new IndexError('set: index 3 is out of range for length 3'));
    expect(thrown(() => a[1.5])).toEqual(new IndexError('get: index must be an integer, got 1.5'));
    expect(thrown(() => a.get('1' as never))).toEqual(new IndexError('get: index must be an integer, got "1"'));
    expect(thrown(() => a.add(3, 1))).toEqual(new IndexError('add: index 3 is out of range for length 3'));
    expect(thrown(() => a.compareExchange(-9, 0, 1))).toEqual(new IndexError('compareExchange: index -9 is out of range for length 3'));
    expect(thrown(() => { a[0] = 'x' as never; })).toEqual(new ValueError('set: invalid argument \'value\': expected a number or bigint for float64, got "x"'));
  });

  it('only canonical number keys are indices; names and symbols reach the object', () => {
    const a = RawArray('i', [1, 2]);
    expect((a as unknown as Record<string, unknown>)['01']).toBeUndefined();
    expect(a.length).toBe(2);
    expect(typeof a[Symbol.iterator]).toBe('function');
    expect([0 in a, 1 in a, 2 in a, -1 in a, 'length' in a, 'get' in a]).toEqual([true, true, false, false, true, true]);
    expect(Array.isArray(a)).toBe(false);
  });

  it('the package exports Array without touching the global one', () => {
    expect(pkg.Array).toBe(SharedCArray);
    expect(pkg.Array).not.toBe(globalThis.Array);
    // the non-shadowing alias is the same function
    expect(pkg.sharedArray).toBe(pkg.Array);
    expect(Array.isArray([])).toBe(true);
    const raw = RawArray('i', [1]);
    const back = decode(encode([raw, [2, 3]])) as [SharedArray<'int32'>, number[]];
    expect(Array.isArray(back[1])).toBe(true);
    expect(back[0]).toBeInstanceOf(SharedArray);
  });

  it('per-element add, sub, exchange and compareExchange follow the value rules', () => {
    const a = RawArray('I', [0, 5]);
    expect(a.sub(0, 1)).toBe(0);
    expect(a[0]).toBe(2 ** 32 - 1);
    expect(a.add(-1, 2)).toBe(5);
    expect(a.exchange(1, 9)).toBe(7);
    expect(a.compareExchange(1, 9, 1)).toBe(9);
    expect(a.toArray()).toEqual([2 ** 32 - 1, 1]);
    const f = RawArray('f', [1.5]);
    expect(f.add(0, 0.25)).toBe(1.5);
    expect(f[0]).toBe(1.75);
    expect(thrown(() => f.compareExchange(0, 1.75, 0))).toBeInstanceOf(DTypeError);
    expect(thrown(() => RawArray('bool', 1).add(0, true))).toBeInstanceOf(DTypeError);
  });
});

describe('copies and views', () => {
  it('iterates, spreads and copies out as plain arrays', () => {
    const a = RawArray('q', [1n, -2n, 3n]);
    expect([...a]).toEqual([1n, -2n, 3n]);
    const copy = a.toArray();
    copy[0] = 100n;
    expect(a[0]).toBe(1n);
    expect(a.slice(1)).toEqual([-2n, 3n]);
    expect(a.slice(-2, -1)).toEqual([-2n]);
    expect(a.slice(5)).toEqual([]);
    expect(a.slice(2, 1)).toEqual([]);
    expect(thrown(() => a.slice(0.5))).toEqual(new IndexError("slice: invalid argument 'start': expected an integer or undefined, got 0.5"));
    expect(thrown(() => a.slice(0, '1' as never))).toEqual(new IndexError("slice: invalid argument 'stop': expected an integer or undefined, got \"1\""));
  });

  it('ndarray() is a 1-d SharedNDArray over the same memory that reshapes like numpy', () => {
    const a = RawArray('d', 6);
    const view = a.ndarray();
    expect(view).toBeInstanceOf(SharedNDArray);
    expect(view.dtype).toBe('float64');
    expect(view.shape).toEqual([6]);
    expect(view.buffer).toBe(a.buffer);
    const m = view.reshape(2, 3);
    m.row(1).fill(7);
    m.set(0, 0, 1);
    expect(a.toArray()).toEqual([1, 0, 0, 7, 7, 7]);
    a[2] = 5;
    expect(m.get(0, 2)).toBe(5);
    expect(frombuffer(a.buffer, { dtype: 'c_double' }).reshape(2, 3).toArray()).toEqual([[1, 0, 5], [7, 7, 7]]);
    expect(RawArray('bool', [true]).ndarray().get(0)).toBe(true);
    expect(RawArray('Q', 2).ndarray().dtype).toBe('uint64');
  });

  it('prints short arrays whole and long ones by length', () => {
    expect(String(RawArray('bool', [true, false]))).toBe('SharedArray(bool, [true, false])');
    expect(String(RawArray('d', 1001))).toBe('SharedArray(float64, length=1001)');
    expect(String(SharedCArray('i', [1, 2]))).toBe('SynchronizedArray(SharedArray(int32, [1, 2]))');
  });
});

describe('Array and SynchronizedArray', () => {
  it('locks with a new RLock by default, with none for { lock: false }, or with the lock given', () => {
    const a = SharedCArray('i', [1, 2, 3]);
    expect(a).toBeInstanceOf(SynchronizedArray);
    expect(a).toBeInstanceOf(Lockable);
    expect(a.getLock()).toBeInstanceOf(RLock);
    expect(a.getObj()).toBeInstanceOf(SharedArray);
    expect(SharedCArray('d', 2, { lock: false })).toBeInstanceOf(SharedArray);
    const lock = new Lock();
    expect(SharedCArray('d', 2, { lock }).getLock()).toBe(lock);
    expect(thrown(() => SharedCArray('d', 2, { lock: {} as never }))).toEqual(new ArgumentError("Array: invalid argument 'options.lock': expected true, false, a Lock or an RLock, got an object"));
    expect(thrown(() => new SynchronizedArray(Value('i') as never))).toEqual(new ArgumentError("SynchronizedArray: invalid argument 'obj': expected a SharedArray, got a Synchronized"));
  });

  it('indexes, copies and updates through the lock, leaving it free', () => {
    const a = SharedCArray('i', [1, 2, 3]);
    expect(a.length).toBe(3);
    expect([a[0], a[-1]]).toEqual([1, 3]);
    a[1] = 20;
    withLock(a, () => { a[0]! += 1; });
    expect(a.toArray()).toEqual([2, 20, 3]);
    expect(a.slice(-2)).toEqual([20, 3]);
    expect([...a]).toEqual([2, 20, 3]);
    expect(a.add(2, 1)).toBe(3);
    expect(a.sub(2, 2)).toBe(4);
    expect(a.exchange(2, 9)).toBe(2);
    expect(a.compareExchange(2, 9, 8)).toBe(9);
    expect(a.get(2)).toBe(8);
    a.set(2, 7);
    expect(a.getObj()[2]).toBe(7);
    expect(thrown(() => a[3])).toEqual(new IndexError('get: index 3 is out of range for length 3'));
    expect(a.getLock().locked()).toBe(false);
  });

  it('acquire and release act on its lock', () => {
    const a = SharedCArray('d', 1, { lock: new Lock() });
    expect(a.acquire()).toBe(true);
    expect(a.acquire({ block: false })).toBe(false);
    a.getObj()[0] = 1;
    a.release();
    expect(a.getLock().locked()).toBe(false);
    expect(a[0]).toBe(1);
  });

  it('fromDescriptor rebuilds an array over the same memory and lock, and checks what it is given', () => {
    const raw = RawArray('i', [1, 2]);
    SharedArray.fromDescriptor(raw.toDescriptor())[0] = 5;
    expect(raw[0]).toBe(5);
    expect(SharedArray.fromDescriptor({ dtype: 'float64', buffer: new SharedArrayBuffer(0) }).length).toBe(0);
    expect(thrown(() => SharedArray.fromDescriptor({ dtype: 'int32', buffer: new SharedArrayBuffer(7) })))
      .toEqual(new BufferError("SharedArray.fromDescriptor: invalid argument 'descriptor.buffer': 7 bytes do not hold whole int32 elements of 4 bytes"));
    const a = SharedCArray('i', 2, { lock: new Lock() });
    const b = SynchronizedArray.fromDescriptor(a.toDescriptor());
    expect(b.getLock()).toBeInstanceOf(Lock);
    b[1] = 3;
    expect(a[1]).toBe(3);
    a.acquire();
    expect(b.acquire({ block: false })).toBe(false);
    a.release();
    expect(thrown(() => SynchronizedArray.fromDescriptor(undefined as never))).toBeInstanceOf(ArgumentError);
  });
});

/** Values each dtype holds exactly, for round trips. */
function valuesOf(dtype: DType): fc.Arbitrary<unknown> {
  const { min, max } = DTYPES[dtype];
  if (dtype === 'bool') return fc.boolean();
  if (dtype === 'float32') return fc.float();
  if (dtype === 'float64') return fc.double();
  if (typeof min === 'bigint') return fc.bigInt({ min, max: max as bigint });
  return fc.integer({ min: min as number, max: max as number });
}

const CTYPE_DTYPES = (Object.keys(DTYPES) as DType[]).filter((d) => d !== 'uint8c');

describe('properties', () => {
  it.each(CTYPE_DTYPES)('%s: RawArray(values) and Array(values) give the values back exactly', (dtype) => {
    fc.assert(fc.property(fc.array(valuesOf(dtype), { maxLength: 20 }), (values) => {
      const raw = RawArray(dtype, values as never);
      expect(raw.length).toBe(values.length);
      for (const [i, v] of raw.toArray().entries()) expect(Object.is(v, values[i])).toBe(true);
      for (const [i, v] of SharedCArray(dtype, values as never).toArray().entries()) expect(Object.is(v, values[i])).toBe(true);
    }), params(50));
  });

  it('RawArray(size) has size zeros', () => {
    fc.assert(fc.property(fc.nat(64), fc.constantFrom(...Object.keys(TYPECODES)), (n, code) => {
      const a = RawArray(code as 'd', n);
      expect(a.toArray()).toEqual(new Array(n).fill(zeroOf(TYPECODES[code]!)));
    }), params(100));
  });

  it('a[i] and slice(start, stop) follow Python: negative from the end, IndexError past the ends, slices clamped', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 10 }), fc.integer({ min: -13, max: 13 }),
      fc.option(fc.integer({ min: -13, max: 13 }), { nil: undefined }), fc.option(fc.integer({ min: -13, max: 13 }), { nil: undefined }),
      (values, i, start, stop) => {
        const a = RawArray('h', values);
        const n = values.length;
        if (i >= -n && i < n) expect(a[i]).toBe(values[i < 0 ? i + n : i]);
        else expect(thrown(() => a[i])).toBeInstanceOf(IndexError);
        expect(a.slice(start, stop)).toEqual(values.slice(start, stop));
      },
    ), params(300));
  });

  it('add returns the running value and the total wraps like the C type', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 30 }), (deltas) => {
      const v = RawValue('i');
      let expected = 0;
      for (const d of deltas) {
        expect(v.add(d)).toBe(expected);
        expected = (expected + d) | 0;
      }
      expect(v.value).toBe(expected);
    }), params(100));
  });
});
