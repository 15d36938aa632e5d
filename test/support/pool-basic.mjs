// Worker module for test/pool/*.thread.test.ts. A plain .mjs file because vitest does not transform
// worker code: `shared-ndarray/worker` and `shared-ndarray` resolve (package self-reference) to
// the compiled dist/, which test/support/build.ts builds before any test runs.
import { threadId } from 'node:worker_threads';
import { defineWorker, progress } from 'shared-ndarray/worker';
import { ArgumentError, SharedNDArray, frombuffer, registerKind, zeros } from 'shared-ndarray';

/** The classes returnTagged registered as kinds, by name. */
const tagged = new Map();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default defineWorker({
  add(a, b) {
    return a + b;
  },
  square(x) {
    return x * x;
  },
  /** A result structured clone cannot copy. */
  returnFunction() {
    return () => 1;
  },
  echo(value) {
    return value;
  },
  threadId() {
    return threadId;
  },
  /** `[item, threadId]`: which thread ran which item. */
  tagged(item) {
    return [item, threadId];
  },
  async asyncDouble(x) {
    await sleep(1);
    return x * 2;
  },
  /** Resolves to `value` after `ms` milliseconds. */
  async delayed({ ms, value }) {
    await sleep(ms);
    return value;
  },
  async sleepThen(ms, value) {
    await sleep(ms);
    return value;
  },
  /** Objects, arrays, typed arrays, Maps, bigints, nested: all by structured clone. */
  structured(n) {
    return {
      n,
      list: [1, 'two', [3, [4]], null, true],
      floats: new Float64Array([0.5, n]),
      bytes: new Uint8Array([1, 2, 255]),
      big: 2n ** 64n + BigInt(n),
      map: new Map([['k', new Set([1, 2])]]),
      date: new Date(0),
    };
  },
  /** Rows, for checking `map` flattens only one level. */
  pair(x) {
    return [x, [x]];
  },
  failIfNegative(x) {
    if (x < 0) throw new RangeError(`negative item ${x}`);
    return x;
  },
  async failAsyncIfNegative(x) {
    await sleep(1);
    if (x < 0) throw new RangeError(`negative item ${x}`);
    return x;
  },
  fail(message) {
    throw new Error(message);
  },
  async failAsync(message) {
    await sleep(1);
    throw new Error(message);
  },
  failType(message) {
    throw new TypeError(message);
  },
  /** The ndarray code inside the worker throws its own ArgumentError. */
  failLibrary() {
    return frombuffer(new SharedArrayBuffer(8), null);
  },
  /** ...and its own DTypeError. */
  failDType() {
    return zeros([2], 'no-such-dtype');
  },
  failWithCode(code) {
    const error = new Error(`failed with ${code}`);
    error.code = code;
    throw error;
  },
  failCustomName() {
    class CustomError extends Error {
      name = 'CustomError';
    }
    throw new CustomError('custom');
  },
  /** Errors inside a result are rebuilt as their classes too. */
  errorsInResult() {
    return [new TypeError('inner type'), { deep: new ArgumentError('inner argument') }];
  },
  /** Describes errors that arrived inside the arguments. */
  describeErrors(list) {
    return list.map((e) => [e instanceof Error, e instanceof ArgumentError, e.constructor.name, e.name, e.message]);
  },
  /** A value of a kind only this worker registered (named `kind`), and an array that looks encoded. */
  returnTagged(kind) {
    if (!tagged.has(kind)) {
      class Tagged {}
      registerKind({ name: kind, is: (v) => v instanceof Tagged, encode: () => 1, decode: () => new Tagged() });
      tagged.set(kind, Tagged);
    }
    return new (tagged.get(kind))();
  },
  returnLookalike(kind) {
    return ['__sharedNdarrayTransport', kind, 1];
  },
  /** Calls a sibling through `this`, as it would inline. */
  viaThis(x) {
    return this.add(x, 1);
  },
  /** An error with a cause and Node system-error fields. */
  failWithCause() {
    const error = new Error('outer', { cause: new TypeError('inner') });
    Object.assign(error, { errno: -2, path: '/nope', syscall: 'open', code: 'ENOENT' });
    throw error;
  },
  failAggregate() {
    throw new AggregateError([new RangeError('a'), new Error('b')], 'several');
  },
  returnPlainNDArray() {
    return frombuffer(new ArrayBuffer(16));
  },

  // ---- shared memory -------------------------------------------------------------------

  /** Row function: fills rows [start, stop) with this thread's id; returns what it did. */
  fillRows(array, start, stop) {
    for (let r = start; r < stop; r++) array.row(r).fill(threadId);
    return { start, stop, threadId };
  },
  /** Row function echoing its extra arguments. */
  rowArgs(array, start, stop, ...rest) {
    return [array.shape, start, stop, ...rest];
  },
  /**
   * Adds 1 to element 0 of an int32 array with Atomics and returns a view of elements 1: of the
   * same memory plus facts the worker saw.
   */
  atomicsView(array) {
    const previous = Atomics.add(array.data, 0, 1);
    return {
      previous,
      view: array.slice('1:'),
      isShared: array.buffer instanceof SharedArrayBuffer,
      isNDArray: array instanceof SharedNDArray,
    };
  },
  /** Whether two arguments arrived over one SharedArrayBuffer object (they came in one message). */
  sameBuffer(x, y) {
    return [x.buffer === y.buffer, x.buffer instanceof SharedArrayBuffer];
  },
  /** Writes into SharedNDArrays found inside an object, an array and a Map; returns them nested. */
  nested(input) {
    input.obj.a.set(0, 11);
    input.list[1].set(0, 22);
    input.map.get('m').set(0, 33);
    const fresh = zeros([2], 'int32');
    fresh.set(1, 44);
    return {
      same: input.obj.a.buffer === input.list[1].buffer,
      types: [input.obj.a, input.list[1], input.map.get('m')].map((a) => a instanceof SharedNDArray),
      back: [input.obj.a, { deeper: new Map([['m', input.map.get('m')]]) }],
      set: new Set([input.obj.a]),
      fresh,
    };
  },
  /**
   * A barrier over a shared int32 counter: increments it and waits until `n` tasks have arrived.
   * Two calls only both succeed if they run at the same time on two different threads.
   */
  barrier(counter, n) {
    const cell = counter.data;
    Atomics.add(cell, 0, 1);
    Atomics.notify(cell, 0);
    const deadline = Date.now() + 5000;
    for (let seen = Atomics.load(cell, 0); seen < n; seen = Atomics.load(cell, 0)) {
      if (Date.now() > deadline) throw new Error(`barrier: only ${seen} of ${n} tasks arrived`);
      Atomics.wait(cell, 0, seen, 100);
    }
    return threadId;
  },

  /**
   * A task the main thread controls: stores this thread's id in `cells[i]` (it has started), then
   * waits until `cells[0]` is set (released); fails after 10 s so a forgotten gate cannot hang.
   */
  gate({ cells, i }) {
    const data = cells.data;
    Atomics.store(data, i, threadId);
    Atomics.notify(data, i);
    const deadline = Date.now() + 10_000;
    while (Atomics.load(data, 0) === 0) {
      if (Date.now() > deadline) throw new Error(`gate ${i}: never released`);
      Atomics.wait(data, 0, 0, 100);
    }
    return threadId;
  },
  /** Reports progress(1, n) ... progress(n, n), awaiting a timer between reports. */
  async progressSteps(n) {
    for (let i = 1; i <= n; i++) {
      await sleep(1);
      progress(i, n);
    }
    return n;
  },
  progressWith(done, total) {
    progress(done, total);
  },

  // ---- ways to die ---------------------------------------------------------------------

  spin() {
    for (;;) {
      // an infinite loop: only terminate() can stop it
    }
  },
  exit(code) {
    process.exit(code);
  },
  uncaughtLater(message) {
    setTimeout(() => {
      throw new Error(message);
    }, 0);
    return new Promise(() => {});
  },
  allocateForever() {
    const keep = [];
    for (;;) keep.push(new Array(100_000).fill(keep.length + 0.5));
  },
  /** Returns at once; the thread exits `ms` later, while idle. */
  exitLater(ms, code) {
    setTimeout(() => process.exit(code), ms);
    return 'returned';
  },
});
