import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import {
  ArgumentError, DTypeError, IndexError, KeyError, Manager, TimeoutError, ValueError,
} from '../../src/index.js';
import { sharedSemantics } from '../support/manager-semantics.js';

/**
 * The embedded manager's objects against Python's semantics, from the main thread, in both forms
 * (blocking and async). Crossing into other threads is in crossing.thread.test.ts.
 */

let manager: Manager;
beforeAll(async () => {
  manager = await Manager.start();
});
afterAll(async () => {
  await manager.shutdown();
});

describe('dict', () => {
  it('get/set/delete/has/len/keys/values/items/copy, keys keep their types', async () => {
    const d = manager.dict<string | number, unknown>({ a: 1 });
    d.set(1, 'one');
    d.set('1', 'string one');
    expect(d.get('a')).toBe(1);
    expect(d.get(1)).toBe('one');
    expect(d.get('1')).toBe('string one');
    expect(d.get('missing')).toBeUndefined();
    expect(d.get('missing', 'fallback')).toBe('fallback');
    expect(d.has(1)).toBe(true);
    expect(await d.hasAsync(2)).toBe(false);
    expect(d.len()).toBe(3);
    expect(d.keys()).toEqual(['a', 1, '1']);
    expect(d.values()).toEqual([1, 'one', 'string one']);
    expect(await d.itemsAsync()).toEqual([['a', 1], [1, 'one'], ['1', 'string one']]);
    d.delete(1);
    expect(thrown(() => d.delete(1))).toBeInstanceOf(KeyError);
    expect(d.copy()).toEqual(new Map<unknown, unknown>([['a', 1], ['1', 'string one']]));
    d.clear();
    expect(await d.lenAsync()).toBe(0);
  });

  it('values are copies: changing what was stored or read does not change the dict', () => {
    const d = manager.dict();
    const value = { list: [1, 2] };
    d.set('v', value);
    value.list.push(3);
    const read = d.get('v') as { list: number[] };
    expect(read).toEqual({ list: [1, 2] });
    read.list.push(4);
    expect(d.get('v')).toEqual({ list: [1, 2] });
  });

  it('pop with and without a default, popitem LIFO and on empty, setdefault, update', async () => {
    const d = manager.dict<string, number>([['x', 1], ['y', 2]]);
    expect(d.pop('x')).toBe(1);
    expect(d.pop('x', 0)).toBe(0);
    expect(d.pop('x', undefined as unknown as number)).toBeUndefined();
    const error = thrown(() => d.pop('x'));
    expect(error).toBeInstanceOf(KeyError);
    expect(error.message).toBe('DictProxy.pop: no key "x" (and no default given)');
    expect(await rejection(d.popAsync('x'))).toBeInstanceOf(KeyError);
    d.update({ z: 3 });
    d.update(new Map([['w', 4]]));
    expect(d.popitem()).toEqual(['w', 4]);
    expect(await d.popitemAsync()).toEqual(['z', 3]);
    expect(d.setdefault('y', 9)).toBe(2);
    expect(d.setdefault('n', 9)).toBe(9);
    expect(d.get('n')).toBe(9);
    d.clear();
    const empty = thrown(() => d.popitem());
    expect(empty).toBeInstanceOf(KeyError);
    expect(empty.message).toBe('DictProxy.popitem: the dictionary is empty');
  });

  it('refuses keys that are not primitives, values structured clone cannot copy, and shared memory', () => {
    const d = manager.dict();
    expect(thrown(() => d.set({} as never, 1)).message).toMatch(/^DictProxy\.set: invalid argument 'key': expected a string, number/);
    const fn = thrown(() => d.set('f', () => 1));
    expect(fn).toBeInstanceOf(ArgumentError);
    expect(fn.message).toMatch(/^DictProxy\.set: invalid argument: it cannot be copied into the manager/);
    const shared = thrown(() => d.set('s', { buffer: new SharedArrayBuffer(8) }));
    expect(shared).toBeInstanceOf(ArgumentError);
    expect(shared.message).toMatch(/argument 2\.buffer is a SharedArrayBuffer, which lives in shared memory/);
    expect(thrown(() => d.update(5 as never)).message).toMatch(/^DictProxy\.update: invalid argument 'other'/);
  });
});

sharedSemantics(() => manager);

describe('locks and semaphores', () => {
  it('Event', async () => {
    const e = manager.Event();
    expect(e.isSet()).toBe(false);
    expect(e.wait(10)).toBe(false);
    expect(await rejection(e.waitAsync(10))).toBeInstanceOf(TimeoutError);
    const waiting = e.waitAsync();
    e.set();
    await waiting;
    expect(e.wait()).toBe(true);
    e.clear();
    expect(e.isSet()).toBe(false);
  });
});

describe('Value and Array', () => {
  it('Value: get, set, the value property, add', async () => {
    const v = manager.Value('d', 1.5);
    expect(v.value).toBe(1.5);
    v.value = 2.5;
    expect(await v.getAsync()).toBe(2.5);
    expect(v.add(1)).toBe(3.5);
    expect(thrown(() => manager.Value('c', 1))).toBeInstanceOf(DTypeError);
  });

  it('Array: typed elements, negative indices, toArray; values that do not fit refused', () => {
    const a = manager.Array('i', [1, 2, 3]);
    a.set(-1, 30);
    expect(a.get(0)).toBe(1);
    expect(a.len()).toBe(3);
    expect(a.toArray()).toEqual([1, 2, 30]);
    expect(thrown(() => a.get(3))).toBeInstanceOf(IndexError);
    expect(thrown(() => a.set(0, 'x' as never))).toBeInstanceOf(ValueError);
    expect(manager.Array('q', [1n, 2n]).toArray()).toEqual([1n, 2n]);
    expect(manager.Array('d', 2).toArray()).toEqual([0, 0]);
  });
});

describe('bad input to the manager', () => {
  it('refuses bad options and arguments with the package messages', async () => {
    expect((await rejection(Manager.start({ slots: 0 }))).message).toBe("Manager.start: invalid argument 'options.slots': expected an integer from 1 to 4096, got 0");
    expect((await rejection(Manager.start({ bogus: 1 } as never))).message).toMatch(/^Manager\.start: invalid argument 'options': unknown option "bogus"/);
    expect(thrown(() => manager.create('Nope')).message).toBe('Manager.create: unknown typeid "Nope": register it first with manager.register("Nope", { module, export })');
    expect(thrown(() => manager.Queue(1.5))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => manager.Condition({} as never))).toBeInstanceOf(ArgumentError);
  });
});
