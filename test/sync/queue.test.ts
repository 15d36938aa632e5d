import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, Empty, Event, Full, JoinableQueue, Lock, Queue, RawArray, Semaphore, SimpleQueue, SyncStateError, TimeoutError, Value, zeros,
} from '../../src/index.js';
import { rejection, thrown } from '../support/assert.js';

describe('Queue, in one thread', () => {
  it('is FIFO and carries what structured clone carries, typed arrays as their own type', () => {
    const q = new Queue();
    const items: unknown[] = [
      0, -0, NaN, Infinity, 1.5, 2 ** 53, 'text', '', true, false, null, undefined, 12n,
      { a: [1, { b: 'c' }] }, [1, 2, 3], new Map([[1, 'one']]), new Set(['s']), new Date(5),
      Int8Array.of(-1), Uint8Array.of(255), Uint8ClampedArray.of(7), Int16Array.of(-300), Uint16Array.of(60000),
      Int32Array.of(-5), Uint32Array.of(4e9), Float32Array.of(0.5), Float64Array.of(Math.PI, -1),
      BigInt64Array.of(-(2n ** 63n)), BigUint64Array.of(2n ** 64n - 1n), new Uint8Array(0),
    ];
    for (const item of items) q.put(item);
    expect(q.qsize()).toBe(items.length);
    for (const item of items) {
      const got = q.get();
      expect(got).toEqual(item);
      if (ArrayBuffer.isView(item)) expect((got as object).constructor).toBe(item.constructor);
    }
    expect(q.empty()).toBe(true);
  });

  it('keeps -0 and NaN bit-exact enough for Object.is', () => {
    const q = new Queue();
    q.put(-0);
    q.put(NaN);
    expect(Object.is(q.get(), -0)).toBe(true);
    expect(Number.isNaN(q.get())).toBe(true);
  });

  it('round-trips any sequence of puts and gets through a small ring that wraps (model-based)', () => {
    const item = fc.oneof(
      fc.double(),
      fc.string({ maxLength: 40 }),
      fc.array(fc.integer(), { maxLength: 12 }).map((a) => Int32Array.from(a)),
      fc.record({ id: fc.integer(), tags: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) }),
    );
    const op = fc.oneof(item.map((v) => ({ put: v })), fc.constant({ get: true }));
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 200, max: 600 }), (ops, bytes) => {
      const q = new Queue(0, { bytes });
      const model: unknown[] = [];
      for (const o of ops) {
        if ('put' in o) {
          try {
            q.putNowait(o.put);
            model.push(o.put);
          } catch (error) {
            if (!(error instanceof Full)) throw error;
          }
        } else if (model.length === 0) {
          expect(() => q.getNowait()).toThrow(Empty);
        } else {
          expect(q.getNowait()).toEqual(model.shift());
        }
        expect(q.qsize()).toBe(model.length);
      }
    }), { numRuns: 150 });
  });

  it('maxsize bounds the items: full(), putNowait throws Full, put waits out its timeout', () => {
    const q = new Queue(2);
    expect(q.maxsize).toBe(2);
    q.put('a');
    expect(q.full()).toBe(false);
    q.put('b');
    expect(q.full()).toBe(true);
    expect(() => q.putNowait('c')).toThrow(new Full('Queue.putNowait: the queue is full'));
    expect(() => q.put('c', { block: false })).toThrow(Full);
    const t0 = performance.now();
    expect(() => q.put('c', { timeout: 60 })).toThrow(new Full('Queue.put: the queue stayed full for 60 ms'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(59);
    expect([q.get(), q.get()]).toEqual(['a', 'b']);
    expect(new Queue(-1).full()).toBe(false);
  });

  it('an empty queue: getNowait throws Empty, get waits out its timeout, getAsync rejects with Empty', async () => {
    const q = new Queue();
    expect(() => q.getNowait()).toThrow(new Empty('Queue.getNowait: the queue is empty'));
    const t0 = performance.now();
    expect(() => q.get({ timeout: 40 })).toThrow(new Empty('Queue.get: the queue stayed empty for 40 ms'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    const error = await rejection(q.getAsync({ timeout: 30 }));
    expect(error).toBeInstanceOf(Empty);
    await expect(q.putAsync(1)).resolves.toBeUndefined();
    await expect(q.getAsync()).resolves.toBe(1);
  });

  it('getAsync waits without blocking the event loop and takes the next put', async () => {
    const q = new Queue();
    const pending = q.getAsync({ timeout: 20_000 });
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    // the interval keeps firing while the get is pending (a fixed 30 ms wait saw only 2 ticks on a loaded machine)
    while (ticks < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    q.put('late');
    await expect(pending).resolves.toBe('late');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
  });

  it('putAsync waiting for room copies a typed array at once: later writes by the caller do not leak in', async () => {
    const q = new Queue(1);
    q.put(0);
    const data = Float64Array.of(1, 2, 3);
    const put = q.putAsync(data);
    await new Promise((resolve) => setTimeout(resolve, 10));
    data.fill(9);
    expect(q.get()).toBe(0);
    await put;
    expect(q.get()).toEqual(Float64Array.of(1, 2, 3));
  });

  it('an item larger than the ring is refused with the size to ask for; one that fits exactly goes in', () => {
    const q = new Queue(0, { bytes: 100 });
    expect(() => q.put(new Uint8Array(93))).toThrow(new ArgumentError("Queue.put: invalid argument 'item': it takes 101 bytes in the queue (8 of them its frame), more than the queue's ring of 100 bytes: create the queue with { bytes: 101 } or more"));
    expect(q.qsize()).toBe(0);
    q.put(new Uint8Array(92).fill(7));
    expect(q.full()).toBe(false);
    expect(() => q.putNowait(1)).toThrow(Full);
    expect(q.get()).toEqual(new Uint8Array(92).fill(7));
  });

  it('refuses what structured clone cannot copy, saying why', () => {
    const q = new Queue();
    for (const bad of [() => 1, Symbol('s'), { f() {} }]) {
      const error = thrown(() => q.put(bad));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^Queue\.put: invalid argument 'item': it cannot be copied into the queue \(.*could not be cloned\.\); items are copied by structured clone/);
    }
    expect(q.qsize()).toBe(0);
  });

  it('refuses a shared object anywhere in an item, naming where it is: a copy would arrive as a stub', () => {
    const q = new Queue();
    const cases: [unknown, string][] = [
      [zeros(3).fill(5), 'it is a SharedNDArray'],
      [{ result: zeros(2), id: 1 }, 'item.result is a SharedNDArray'],
      [new Lock(), 'it is a Lock'],
      [[1, { locks: [new Semaphore(2)] }], 'item[1].locks[0] is a Semaphore'],
      [new Map([['v', Value('i', 1)]]), 'item.get("v") is a Synchronized'],
      [new Set([RawArray('d', 2)]), 'item (a Set member) is a SharedArray'],
      [{ q: new Queue() }, 'item.q is a Queue'],
      [{ 'a b': new Event() }, 'item["a b"] is an Event'],
      [new SharedArrayBuffer(8), 'it is a SharedArrayBuffer'],
      [{ buffer: new SharedArrayBuffer(8) }, 'item.buffer is a SharedArrayBuffer'],
    ];
    for (const [bad, where] of cases) {
      const error = thrown(() => q.put(bad));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toBe(`Queue.put: invalid argument 'item': ${where}, which lives in shared memory and cannot be copied into the queue (a copy would arrive as a stub); pass shared objects as Pool or Process arguments instead, or put a copy of the data (a SharedNDArray's toArray(), a typed array)`);
    }
    expect(q.qsize()).toBe(0);
    // data copied out of shared memory is data: a view's elements, an error, a cycle
    const view = new Float64Array(new SharedArrayBuffer(16)).fill(2);
    const cyclic: Record<string, unknown> = { error: new Error('e') };
    cyclic.self = cyclic;
    q.put(view);
    q.put(cyclic);
    expect(q.get()).toEqual(Float64Array.of(2, 2));
    const back = q.get() as Record<string, unknown>;
    expect(back.self).toBe(back);
  });

  it('close() stops this handle only', async () => {
    const q = new Queue();
    q.put(1);
    const other = Queue.fromDescriptor(q.toDescriptor()) as Queue;
    q.close();
    expect(() => q.put(2)).toThrow(new SyncStateError('Queue.put: the queue is closed (close() was called on this handle)'));
    expect(() => q.get()).toThrow(SyncStateError);
    await expect(q.getAsync()).rejects.toThrow(SyncStateError);
    expect(other.get()).toBe(1);
  });

  it('validates its arguments', () => {
    expect(() => new Queue(1.5)).toThrow("Queue: invalid argument 'maxsize': expected an integer (0 or less for no limit, as in Python), got 1.5");
    expect(() => new Queue('2' as never)).toThrow(ArgumentError);
    expect(() => new Queue(0, { bytes: 8 })).toThrow("Queue: invalid argument 'options.bytes': expected an integer from 9 to 2147483583, got 8");
    expect(() => new Queue(0, { size: 1 } as never)).toThrow('unknown option "size"');
    expect(() => new JoinableQueue(0, { bytes: -1 })).toThrow("JoinableQueue: invalid argument 'options.bytes'");
    const q = new Queue();
    expect(() => q.get({ timeout: -1 })).toThrow("Queue.get: invalid argument 'options.timeout': expected a timeout in milliseconds");
    expect(() => q.get({ block: 'no' } as never)).toThrow("Queue.get: invalid argument 'options.block': expected a boolean, got \"no\"");
    expect(() => q.put(1, { wait: true } as never)).toThrow('unknown option "wait"');
    expect(() => Queue.fromDescriptor({ type: 'Queue', buffer: new SharedArrayBuffer(10) } as never)).toThrow("Queue.fromDescriptor: invalid argument 'descriptor'");
    expect(() => Queue.fromDescriptor({ type: 'Stack' } as never)).toThrow(ArgumentError);
  });
});

describe('SimpleQueue and JoinableQueue', () => {
  it('SimpleQueue puts and gets, and has no timeouts or sizes', async () => {
    const q = new SimpleQueue({ bytes: 64 });
    q.put('a');
    await q.putAsync('b');
    expect(q.empty()).toBe(false);
    expect(q.get()).toBe('a');
    await expect(q.getAsync()).resolves.toBe('b');
    expect(q.empty()).toBe(true);
    expect('putNowait' in q).toBe(false);
  });

  it('JoinableQueue: join waits for taskDone of every item; too many taskDone throws', async () => {
    const q = new JoinableQueue();
    expect(q.join(0)).toBe(true);
    q.put(1);
    q.put(2);
    expect(q.join(20)).toBe(false);
    await expect(q.joinAsync(20)).rejects.toThrow(new TimeoutError('JoinableQueue.joinAsync: timed out after 20 ms'));
    const joined = q.joinAsync(5000);
    q.get();
    q.taskDone();
    q.get();
    q.taskDone();
    await joined;
    expect(() => q.taskDone()).toThrow(new SyncStateError('JoinableQueue.taskDone: called more times than there were items put'));
  });
});
