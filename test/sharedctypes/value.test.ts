import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { TYPECODES } from '../support/typecodes.js';
import {
  ArgumentError, BufferError, DTYPES, DTypeError, Lock, Lockable, NotSharedError, RLock, RawValue, SharedValue,
  Synchronized, Value, ValueError, withLock, type DType,
} from '../../src/index.js';

/**
 * RawValue and Value on one thread: typecodes, value checking, the atomic read-modify-write
 * helpers and the Synchronized wrapper. Cross-thread behaviour is in workers.thread.test.ts.
 */

const INTEGER_DTYPES = (Object.keys(DTYPES) as DType[]).filter((d) => DTYPES[d].kind === 'i' || (DTYPES[d].kind === 'u' && d !== 'uint8c'));
const zeroOf = (d: DType) => (d === 'bool' ? false : d === 'int64' || d === 'uint64' ? 0n : 0);

describe('typecodes', () => {
  it.each(Object.entries(TYPECODES))("'%s' is %s, zero unless initialised", (code, dtype) => {
    const raw = RawValue(code as 'd');
    expect(raw.dtype).toBe(dtype);
    expect(raw.value).toBe(zeroOf(dtype));
    expect(raw.buffer.byteLength).toBe(DTYPES[dtype].itemsize);
    expect(Value(code as 'd').getObj().dtype).toBe(dtype);
    const seven = dtype === 'int64' || dtype === 'uint64' ? 7n : 7;
    expect(RawValue(code as 'd', 7).value).toBe(seven);
    expect(RawValue(code as 'd', 7n).value).toBe(seven);
  });

  it('dtype names, numpy strings and ctypes names work too, bool included', () => {
    expect(RawValue('float64', 2.5).value).toBe(2.5);
    expect(RawValue('<i4', -3).value).toBe(-3);
    expect(RawValue('c_double', 0.25).value).toBe(0.25);
    expect(RawValue(DTYPES.uint16, 9).dtype).toBe('uint16');
    expect(RawValue('bool').value).toBe(false);
    expect(RawValue('?', true).value).toBe(true);
  });

  it.each(INTEGER_DTYPES)('%s holds its whole range, and refuses one past either end', (dtype) => {
    const { min, max } = DTYPES[dtype];
    const v = RawValue(dtype, min as number);
    expect(v.value).toBe(min);
    v.value = max as number;
    expect(v.value).toBe(max);
    const big = typeof max === 'bigint';
    const above = big ? (max as bigint) + 1n : (max as number) + 1, below = big ? (min as bigint) - 1n : (min as number) - 1;
    expect(thrown(() => { v.value = above as number; })).toEqual(new ValueError(`value: ${big ? `${above}n` : above} is out of range for ${dtype} [${min}, ${max}]`));
    expect(thrown(() => RawValue(dtype, below as number))).toEqual(new ValueError(`RawValue: invalid argument 'init': ${big ? `${below}n` : below} is out of range for ${dtype} [${min}, ${max}]`));
    expect(v.value).toBe(max);
  });

  it('floats keep what their dtype can hold: float32 rounds, float64 keeps NaN, infinities and -0', () => {
    expect(RawValue('f', 0.1).value).toBe(Math.fround(0.1));
    expect(RawValue('f', 2n ** 60n + 1n).value).toBe(2 ** 60);
    for (const x of [Number.NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_VALUE]) expect(Object.is(RawValue('d', x).value, x)).toBe(true);
    expect(Object.is(RawValue('f', -0).value, -0)).toBe(true);
  });

  it("refuses 'c', 'u' and uint8c with a DTypeError that suggests 'B', and unknown names as the resolver does", () => {
    const hint = "JS has no fixed-width character type; use 'B' (uint8) and store text as bytes, e.g. new TextEncoder().encode(text)";
    expect(thrown(() => RawValue('c' as never))).toEqual(new DTypeError(`RawValue: invalid argument 'typecode': typecode "c" (c_char) is not supported: ${hint}`));
    expect(thrown(() => Value('u' as never))).toEqual(new DTypeError(`Value: invalid argument 'typecode': typecode "u" (c_wchar) is not supported: ${hint}`));
    expect(thrown(() => RawValue('uint8c'))).toEqual(new DTypeError("RawValue: invalid argument 'typecode': dtype uint8c is not supported: Atomics cannot operate on a Uint8ClampedArray, and ctypes has no clamped type; use 'B' (uint8)"));
    const unknown = thrown(() => RawValue('x' as never));
    expect(unknown).toBeInstanceOf(DTypeError);
    expect(unknown.message).toMatch(/^RawValue: invalid argument 'typecode': unknown dtype "x"; supported dtypes: /);
    expect(thrown(() => RawValue(7 as never))).toBeInstanceOf(DTypeError);
  });
});

describe('value checking', () => {
  it('refuses fractions, NaN, booleans and strings for integers, as ctypes does', () => {
    const int = (got: string) => new ValueError(`RawValue: invalid argument 'init': expected an integer (a number or bigint) for int32, got ${got}`);
    expect(thrown(() => RawValue('i', 1.5))).toEqual(int('1.5'));
    expect(thrown(() => RawValue('i', Number.NaN))).toEqual(int('NaN'));
    expect(thrown(() => RawValue('i', Infinity))).toEqual(int('Infinity'));
    expect(thrown(() => RawValue('i', true as never))).toEqual(int('true'));
    expect(thrown(() => RawValue('i', '1' as never))).toEqual(int('"1"'));
  });

  it('floats take numbers and bigints only; bool takes booleans only', () => {
    expect(thrown(() => RawValue('d', 'x' as never))).toEqual(new ValueError('RawValue: invalid argument \'init\': expected a number or bigint for float64, got "x"'));
    expect(thrown(() => RawValue('d', null as never))).toEqual(new ValueError('RawValue: invalid argument \'init\': expected a number or bigint for float64, got null'));
    expect(thrown(() => RawValue('bool', 1 as never))).toEqual(new ValueError('RawValue: invalid argument \'init\': expected a boolean for bool, got 1'));
    expect(RawValue('d', 3n).value).toBe(3);
  });

  it('every writer checks its value and leaves the old one on refusal', () => {
    const v = RawValue('h', 5);
    expect(thrown(() => { v.value = 0.5; })).toEqual(new ValueError('value: expected an integer (a number or bigint) for int16, got 0.5'));
    expect(thrown(() => v.add(0.5))).toEqual(new ValueError("add: invalid argument 'delta': expected an integer (a number or bigint) for int16, got 0.5"));
    expect(thrown(() => v.sub(40000))).toEqual(new ValueError("sub: invalid argument 'delta': 40000 is out of range for int16 [-32768, 32767]"));
    expect(thrown(() => v.exchange(-40000))).toEqual(new ValueError("exchange: invalid argument 'value': -40000 is out of range for int16 [-32768, 32767]"));
    expect(thrown(() => v.compareExchange(0.5, 1))).toEqual(new ValueError("compareExchange: invalid argument 'expected': expected an integer (a number or bigint) for int16, got 0.5"));
    expect(thrown(() => v.compareExchange(5, 1n << 20n))).toEqual(new ValueError("compareExchange: invalid argument 'replacement': 1048576n is out of range for int16 [-32768, 32767]"));
    expect(v.value).toBe(5);
  });
});

describe('atomic read-modify-write', () => {
  it('add and sub return the previous value; integers wrap around as in C', () => {
    const v = RawValue('i', 10);
    expect(v.add(5)).toBe(10);
    expect(v.sub(20)).toBe(15);
    expect(v.value).toBe(-5);
    const byte = RawValue('b', 127);
    expect(byte.add(1)).toBe(127);
    expect(byte.value).toBe(-128);
    const ubyte = RawValue('B');
    expect(ubyte.sub(1)).toBe(0);
    expect(ubyte.value).toBe(255);
    const u64 = RawValue('Q', 2n ** 64n - 1n);
    expect(u64.add(1)).toBe(2n ** 64n - 1n);
    expect(u64.value).toBe(0n);
    const i64 = RawValue('q', 2n ** 53n);
    expect(i64.add(1)).toBe(2n ** 53n);
    expect(i64.value).toBe(2n ** 53n + 1n);
  });

  it('float add rounds once to the dtype, and terminates on NaN and infinities', () => {
    const d = RawValue('d', 0.1);
    expect(d.add(0.2)).toBe(0.1);
    expect(d.value).toBe(0.1 + 0.2);
    expect(d.sub(1)).toBe(0.1 + 0.2);
    expect(d.value).toBe(0.1 + 0.2 - 1);
    const f = RawValue('f', 1);
    expect(f.add(2 ** -30)).toBe(1);
    expect(f.value).toBe(1);
    expect(f.add(0.1)).toBe(1);
    expect(f.value).toBe(Math.fround(1 + 0.1));
    const nan = RawValue('d', Number.NaN);
    expect(nan.add(1)).toBeNaN();
    expect(nan.value).toBeNaN();
    const inf = RawValue('f', Infinity);
    expect(inf.sub(Infinity)).toBe(Infinity);
    expect(inf.value).toBeNaN();
    const negZero = RawValue('d', -0);
    expect(Object.is(negZero.add(0), -0)).toBe(true);
    expect(Object.is(negZero.value, 0)).toBe(true);
  });

  it('exchange swaps in a value and returns the old one, for every type', () => {
    expect(RawValue('d', 1.5).exchange(2)).toBe(1.5);
    const b = RawValue('bool');
    expect(b.exchange(true)).toBe(false);
    expect(b.value).toBe(true);
    const q = RawValue('L', 3n);
    expect(q.exchange(4)).toBe(3n);
    expect(q.value).toBe(4n);
  });

  it('compareExchange writes only on a match and returns what was there, for integers and bool', () => {
    const v = RawValue('I', 7);
    expect(v.compareExchange(6, 1)).toBe(7);
    expect(v.value).toBe(7);
    expect(v.compareExchange(7, 2 ** 32 - 1)).toBe(7);
    expect(v.value).toBe(2 ** 32 - 1);
    const q = RawValue('q', -1n);
    expect(q.compareExchange(-1, 5n)).toBe(-1n);
    expect(q.value).toBe(5n);
    const flag = RawValue('bool');
    expect(flag.compareExchange(false, true)).toBe(false);
    expect(flag.compareExchange(false, true)).toBe(true);
  });

  it('compareExchange is refused for floats and add/sub for bool, naming the dtype', () => {
    const why = 'it would compare bit patterns, which disagree with === for NaN and -0; use add()/sub(), or a lock';
    expect(thrown(() => RawValue('d').compareExchange(0, 1))).toEqual(new DTypeError(`compareExchange: not supported for float64: ${why}`));
    expect(thrown(() => RawValue('f').compareExchange(0, 1))).toEqual(new DTypeError(`compareExchange: not supported for float32: ${why}`));
    const hint = 'not supported for bool; set the value, or use exchange() or compareExchange()';
    expect(thrown(() => RawValue('bool').add(true))).toEqual(new DTypeError(`add: ${hint}`));
    expect(thrown(() => RawValue('bool').sub(true))).toEqual(new DTypeError(`sub: ${hint}`));
  });
});

describe('Value and Synchronized', () => {
  it('locks with a new RLock by default, with no lock for { lock: false }, or with the lock given', () => {
    const v = Value('i', 7);
    expect(v).toBeInstanceOf(Synchronized);
    expect(v).toBeInstanceOf(Lockable);
    expect(v.getLock()).toBeInstanceOf(RLock);
    expect(Value('i').getLock()).not.toBe(v.getLock());
    expect(v.getObj()).toBeInstanceOf(SharedValue);
    expect(v.value).toBe(7);
    const raw = Value('d', 1.5, { lock: false });
    expect(raw).toBeInstanceOf(SharedValue);
    expect(raw.value).toBe(1.5);
    expect(Value('d', undefined, {}).getLock()).toBeInstanceOf(RLock);
    expect(Value('d', undefined, { lock: true }).getLock()).toBeInstanceOf(RLock);
    expect(Value('d', undefined, { lock: null as unknown as true }).getLock()).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(Value('d', 0, { lock }).getLock()).toBe(lock);
    const rlock = new RLock();
    expect(Value('d', 0, { lock: rlock }).getLock()).toBe(rlock);
  });

  it('refuses any other lock option or options object', () => {
    const bad = (got: string) => new ArgumentError(`Value: invalid argument 'options.lock': expected true, false, a Lock or an RLock, got ${got}`);
    expect(thrown(() => Value('i', 0, { lock: 3 as never }))).toEqual(bad('3'));
    expect(thrown(() => Value('i', 0, { lock: 'yes' as never }))).toEqual(bad('"yes"'));
    expect(thrown(() => Value('i', 0, { lock: Value('i') as never }))).toEqual(bad('a Synchronized'));
    expect(thrown(() => Value('i', 0, { lok: true } as never))).toEqual(new ArgumentError("Value: invalid argument 'options': unknown option \"lok\" (expected one of 'lock')"));
    expect(thrown(() => Value('i', 0, 5 as never))).toEqual(new ArgumentError("Value: invalid argument 'options': expected an options object, got 5"));
  });

  it('.value and the helpers work through the lock; withLock makes += one step', () => {
    const v = Value('i', 1);
    v.value = 41;
    withLock(v, () => { v.value += 1; });
    expect(v.value).toBe(42);
    expect(v.add(8)).toBe(42);
    expect(v.sub(10)).toBe(50);
    expect(v.exchange(3)).toBe(40);
    expect(v.compareExchange(3, 4)).toBe(3);
    expect(v.getObj().value).toBe(4);
    expect(v.getLock().locked()).toBe(false);
    expect(thrown(() => { v.value = 0.5; })).toBeInstanceOf(ValueError);
    expect(v.getLock().locked()).toBe(false);
  });

  it('acquire, release and hold act on its lock, as Python\'s `with v:` does', () => {
    const lock = new Lock();
    const v = Value('i', 0, { lock });
    expect(v.acquire()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(v.acquire({ block: false })).toBe(false);
    v.release();
    expect(lock.locked()).toBe(false);
    {
      using held = v.hold();
      expect(lock.locked()).toBe(true);
      v.getObj().value = 5;
      void held;
    }
    expect(lock.locked()).toBe(false);
    expect(v.value).toBe(5);
  });

  it('acquireAsync and holdAsync wait without blocking', async () => {
    const v = Value('d');
    await v.acquireAsync();
    expect(v.getLock().isOwned()).toBe(true);
    v.release();
    {
      await using held = await v.holdAsync();
      expect(v.getLock().locked()).toBe(true);
      void held;
    }
    expect(v.getLock().locked()).toBe(false);
  });

  it('new Synchronized(obj, lock) checks both, as Python\'s synchronized(obj, lock)', () => {
    const obj = RawValue('i', 3);
    expect(new Synchronized(obj).getLock()).toBeInstanceOf(RLock);
    expect(new Synchronized(obj).value).toBe(3);
    expect(thrown(() => new Synchronized({} as never))).toEqual(new ArgumentError("Synchronized: invalid argument 'obj': expected a SharedValue, got an object"));
    expect(thrown(() => new Synchronized(obj, 'x' as never))).toEqual(new ArgumentError("Synchronized: invalid argument 'lock': expected a Lock, an RLock or undefined (a new RLock), got \"x\""));
  });

  it('prints what it holds', () => {
    expect(String(RawValue('q', -3))).toBe('SharedValue(int64, -3)');
    expect(String(Value('bool', true))).toBe('Synchronized(SharedValue(bool, true))');
  });
});

describe('descriptors', () => {
  it('fromDescriptor rebuilds a value over the same memory, and a Synchronized over the same lock', () => {
    const raw = RawValue('d', 1);
    const copy = SharedValue.fromDescriptor(raw.toDescriptor());
    copy.value = 2;
    expect(raw.value).toBe(2);
    const v = Value('i', 0, { lock: new Lock() });
    const w = Synchronized.fromDescriptor(v.toDescriptor());
    expect(w.getLock()).toBeInstanceOf(Lock);
    v.acquire();
    expect(w.getLock().locked()).toBe(true);
    v.release();
    expect(Synchronized.fromDescriptor(Value('i').toDescriptor()).getLock()).toBeInstanceOf(RLock);
  });

  it('fromDescriptor checks what it is given', () => {
    const fn = 'SharedValue.fromDescriptor';
    expect(thrown(() => SharedValue.fromDescriptor(null as never))).toEqual(new ArgumentError(`${fn}: invalid argument 'descriptor': expected what toDescriptor() returned, got null`));
    expect(thrown(() => SharedValue.fromDescriptor({ dtype: 'int32', buffer: new ArrayBuffer(4) } as never)))
      .toEqual(new NotSharedError(`${fn}: invalid argument 'descriptor.buffer': expected a SharedArrayBuffer, got an ArrayBuffer`));
    expect(thrown(() => SharedValue.fromDescriptor({ dtype: 'int32', buffer: new SharedArrayBuffer(8) })))
      .toEqual(new BufferError(`${fn}: invalid argument 'descriptor.buffer': 8 bytes do not hold exactly one int32 element of 4 bytes`));
    expect(thrown(() => SharedValue.fromDescriptor({ dtype: 'c' as never, buffer: new SharedArrayBuffer(1) }))).toBeInstanceOf(DTypeError);
    expect(thrown(() => SharedValue.fromDescriptor({ dtype: 'uint8c', buffer: new SharedArrayBuffer(1) }))).toBeInstanceOf(DTypeError);
    const good = Value('i').toDescriptor();
    expect(thrown(() => Synchronized.fromDescriptor({ ...good, reentrant: 'yes' as never }))).toEqual(new ArgumentError("Synchronized.fromDescriptor: invalid argument 'descriptor': expected what toDescriptor() returned, got an object"));
    expect(thrown(() => Synchronized.fromDescriptor({ ...good, lock: {} as never }))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => Synchronized.fromDescriptor({ ...good, obj: { dtype: 'int32', buffer: new SharedArrayBuffer(2) } }))).toBeInstanceOf(BufferError);
  });
});
