import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import {
  ArgumentError, DTypeError, Lock, Process, RawArray, RawValue, RLock, SharedArray, SharedValue, Synchronized, SynchronizedArray,
  Value, ValueError, sharedArray,
} from '../../src/index.js';

/**
 * CPython's own sharedctypes tests (Lib/test/_test_multiprocessing.py: _TestValue, _TestArray),
 * ported case by case in JS casing (docs/names.md): Python's `Array` is `sharedArray` here, `a[:]`
 * is `toArray()`, `a[i:j]` is `slice(i, j)` and `a[i:j] = seq` is `assign(i, j, seq)`. The child
 * process is a `Process` running test/support/sync-cpython.mjs's port of the child function.
 */

const WORKER = new URL('../support/sync-cpython.mjs', import.meta.url);

/** p = Process(target=fn, args=args); p.start(); p.join(); and it exited cleanly */
async function runProcess(fn: string, args: unknown[]): Promise<void> {
  const p = new Process({ module: WORKER, fn, args, daemon: true });
  p.start();
  await p.join();
  expect(p.error).toBeUndefined();
  expect(p.exitCode).toBe(0);
}

describe('_TestValue', () => {
  // ('c', b'x', b'y') is refused: characters are not a typecode here (docs/sync.md; use 'B')
  const codesValues = [['i', 4343, 24234], ['d', 3.625, -4.25], ['h', -232, 234]] as const;

  for (const raw of [false, true]) {
    it(raw ? 'test_rawvalue' : 'test_value', async () => {
      const values = codesValues.map(([code, value]) => (raw ? RawValue(code, value) : Value(code, value)));
      expect(values.map((sv) => sv.value)).toEqual(codesValues.map((cv) => cv[1]));
      await runProcess('valueF', [values, codesValues.map((cv) => cv[2])]);
      expect(values.map((sv) => sv.value)).toEqual(codesValues.map((cv) => cv[2]));
    });
  }

  it("the 'c' typecode is refused", () => {
    expect(thrown(() => Value('c' as unknown as 'i', 0))).toBeInstanceOf(DTypeError);
    expect(thrown(() => RawValue('c' as unknown as 'i'))).toBeInstanceOf(DTypeError);
  });

  it('test_getobj_getlock', () => {
    const val1 = Value('i', 5);
    expect(val1.getLock()).toBeInstanceOf(RLock);
    expect(val1.getObj()).toBeInstanceOf(SharedValue);
    expect(val1.getObj().value).toBe(5);

    // lock=None: the default, a new RLock
    const val2 = Value('i', 5, { lock: null as unknown as true });
    expect(val2.getLock()).toBeInstanceOf(RLock);
    expect(val2.getObj()).toBeInstanceOf(SharedValue);

    const lock = new Lock();
    const val3 = Value('i', 5, { lock });
    expect(val3.getLock()).toBe(lock);
    expect(val3.getObj().value).toBe(5);

    const arr4 = Value('i', 5, { lock: false });
    expect(arr4).toBeInstanceOf(SharedValue);
    expect('getLock' in arr4).toBe(false);
    expect('getObj' in arr4).toBe(false);

    // Python: AttributeError ('navalue' has no acquire); here ArgumentError naming the option
    const error = thrown(() => Value('i', 5, { lock: 'navalue' as never }));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toContain("'options.lock'");

    const arr5 = RawValue('i', 5);
    expect('getLock' in arr5).toBe(false);
    expect('getObj' in arr5).toBe(false);
  });
});

describe('_TestArray', () => {
  for (const raw of [false, true]) {
    it(raw ? 'test_rawarray' : 'test_array', async () => {
      const seq = [680, 626, 934, 821, 150, 233, 548, 982, 714, 831];
      const arr = raw ? RawArray('i', seq) : sharedArray('i', seq);
      expect(arr.length).toBe(seq.length);
      expect(arr[3]).toBe(seq[3]);
      expect(arr.slice(2, 7)).toEqual(seq.slice(2, 7));
      // arr[4:8] = seq[4:8] = array.array('i', [1, 2, 3, 4])
      arr.assign(4, 8, new Int32Array([1, 2, 3, 4]));
      seq.splice(4, 4, 1, 2, 3, 4);
      expect(arr.toArray()).toEqual(seq);
      // f(seq): seq[i] += seq[i - 1]
      for (let i = 1; i < seq.length; i++) seq[i]! += seq[i - 1]!;
      await runProcess('arrayF', [arr]);
      expect(arr.toArray()).toEqual(seq);
    });
  }

  it('test_array_from_size: zeroed, then arr[:] = range(10)', () => {
    const size = 10;
    for (let k = 0; k < 3; k++) {
      const arr = sharedArray('i', size);
      expect(arr.length).toBe(size);
      expect([...arr]).toEqual(Array(size).fill(0));
      arr.assign(undefined, undefined, Array.from({ length: 10 }, (_, i) => i));
      expect([...arr]).toEqual(Array.from({ length: 10 }, (_, i) => i));
    }
  });

  it('slice assignment errors: the slice cannot change size; nothing is written when a value does not fit', () => {
    for (const arr of [RawArray('i', [1, 2, 3, 4]), sharedArray('i', [1, 2, 3, 4])]) {
      // Python: ValueError('Can only assign sequence of same size')
      let error = thrown(() => arr.assign(0, 2, [9]));
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toContain('same size');
      expect(thrown(() => arr.assign(undefined, undefined, [1, 2, 3, 4, 5]))).toBeInstanceOf(ValueError);
      // bounds clamp as Python's do: arr[-2:] and arr[3:1] (empty)
      arr.assign(-2, undefined, [7, 8]);
      expect(arr.toArray()).toEqual([1, 2, 7, 8]);
      arr.assign(3, 1, []);
      // Python's ctypes: TypeError for a value of the wrong type (here ValueError, as for a[i] = v)
      error = thrown(() => arr.assign(0, 2, [5, 'x' as never]));
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toContain("'values[1]'");
      expect(arr.toArray()).toEqual([1, 2, 7, 8]);
      expect(thrown(() => arr.assign(0, 2, 5 as never))).toBeInstanceOf(ArgumentError);
    }
  });

  it('test_getobj_getlock_obj', () => {
    const range10 = Array.from({ length: 10 }, (_, i) => i);
    const arr1 = sharedArray('i', range10);
    expect(arr1).toBeInstanceOf(SynchronizedArray);
    expect(arr1.getLock()).toBeInstanceOf(RLock);
    expect(arr1.getObj()).toBeInstanceOf(SharedArray);

    const arr2 = sharedArray('i', range10, { lock: null as unknown as true });
    expect(arr2.getLock()).toBeInstanceOf(RLock);
    expect(arr2.getObj().toArray()).toEqual(range10);

    const lock = new Lock();
    const arr3 = sharedArray('i', range10, { lock });
    expect(arr3.getLock()).toBe(lock);

    const arr4 = sharedArray('i', range10, { lock: false });
    expect(arr4).toBeInstanceOf(SharedArray);
    expect('getLock' in arr4).toBe(false);
    expect('getObj' in arr4).toBe(false);
    expect(thrown(() => sharedArray('i', range10, { lock: 'notalock' as never }))).toBeInstanceOf(ArgumentError);

    const arr5 = RawArray('i', range10);
    expect('getLock' in arr5).toBe(false);
    expect('getObj' in arr5).toBe(false);
    expect(Value('i', 1)).toBeInstanceOf(Synchronized);
  });
});
