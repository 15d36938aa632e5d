// Worker for test/sync/*.thread.test.ts. A plain .mjs file because vitest does not transform worker code:
// 'shared-ndarray' resolves (through the package's own exports) to the compiled dist/.
import { defineWorker } from 'shared-ndarray/worker';
import {
  Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore, SharedNDArray, withLock, withLockAsync,
} from 'shared-ndarray';

const CLASSES = { Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Barrier };

/** Objects a worker keeps between tasks (`['worker', 'create' | 'keep', ...]`), by name. */
const kept = new Map();

/** What a task may return about a value: primitives and shared kinds as they are, anything else by class. */
function portable(value) {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof SharedNDArray || Object.values(CLASSES).some((cls) => value instanceof cls)) return value;
  return `[${value.constructor?.name ?? 'object'}]`;
}

/** The class name a worker sees for a value, and whether it is an instance of that exported class. */
function kindOf(value) {
  for (const [name, cls] of Object.entries(CLASSES).reverse()) if (value instanceof cls) return name;
  if (value instanceof SharedNDArray) return 'SharedNDArray';
  return value === null ? 'null' : typeof value === 'object' ? `[${value.constructor?.name ?? 'object'}]` : typeof value;
}

/** The worker's own operations, for `ops`. */
const WORKER_OPS = {
  exit: (_objects, code) => process.exit(code),
  /** Throws outside any task: an uncaught exception, which kills the worker. */
  throwLater: (_objects, message) => { setTimeout(() => { throw new Error(message); }, 0); },
  /** Never returns: the task stays busy, and the thread blocked, until the worker is killed. */
  hang: () => { for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); },
  /** Sleeps `ms` (only to make it likely that another thread is already blocked; never for correctness). */
  nap: (_objects, ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
  /** Never settles, leaving the worker's event loop free (for throwLater). */
  forever: () => new Promise(() => {}),
  create: (_objects, name, cls, ...args) => { kept.set(name, new CLASSES[cls](...args)); return kept.get(name); },
  keep: (objects, name) => { kept.set(name, objects[name]); return true; },
  give: (_objects, name) => kept.get(name),
  forget: () => { kept.clear(); return true; },
  add: (objects, array, index, delta) => Atomics.add(objects[array].data, index, delta),
  load: (objects, array, index) => Atomics.load(objects[array].data, index),
  store: (objects, array, index, value) => Atomics.store(objects[array].data, index, value),
  kind: (objects, name) => kindOf(target(objects, name)),
  /** A property (or getter) of an object. */
  get: (objects, name, property) => target(objects, name)[property],
  /** `withLock(objects[name], ...)` whose body adds 1 to `objects[array][0]` and returns the new value. */
  withLock: (objects, name, array, options) => withLock(objects[name], () => Atomics.add(objects[array].data, 0, 1) + 1, options),
  withLockAsync: (objects, name, array, options) => withLockAsync(objects[name], () => Atomics.add(objects[array].data, 0, 1) + 1, options),
};

function target(objects, name) {
  if (name in objects) return objects[name];
  if (kept.has(name)) return kept.get(name);
  throw new Error(`sync-worker: no object named ${name}`);
}

export default defineWorker({
  /**
   * Runs `steps` in order, each `[name, method, ...args]` on `objects[name]` (or a kept object),
   * or on the worker itself with name 'worker'. Every step reports `{ value }` or `{ error,
   * message }` and how many milliseconds it took; a failing step does not stop the rest unless
   * `stop` is set.
   */
  async ops(objects, steps, stop = false) {
    const results = [];
    for (const [name, method, ...args] of steps) {
      const start = performance.now();
      try {
        let value = name === 'worker' ? WORKER_OPS[method](objects, ...args) : target(objects, name)[method](...args);
        if (value instanceof Promise) value = await value;
        results.push({ value: portable(value), ms: performance.now() - start });
      } catch (error) {
        results.push({ error: error.name, message: error.message, ms: performance.now() - start });
        if (stop) break;
      }
    }
    return results;
  },

  /** Sets the event (a main thread may be blocked in wait() for it). */
  setEvent(event) {
    event.set();
  },

  /** What each argument is on arrival: class name, in containers too. */
  kinds(values) {
    const walk = (v) => {
      if (Array.isArray(v)) return v.map(walk);
      if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, walk(x)]));
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      }
      return kindOf(v);
    };
    return walk(values);
  },

  /** Adds 1 to counter[0] n times, each under the lock (or racing, without one). */
  increment(lock, counter, n) {
    const a = counter.data;
    for (let i = 0; i < n; i++) {
      if (lock) withLock(lock, () => { a[0] = a[0] + 1; });
      else a[0] = a[0] + 1;
    }
    return n;
  },

  /**
   * `rounds` times: takes the semaphore, counts itself into `stats[0]` (inside now), raises
   * `stats[1]` (the most ever inside at once) to it, spins a little, leaves. Returns how often it
   * got in.
   */
  semaphoreRounds(semaphore, stats, rounds) {
    const s = stats.data;
    for (let i = 0; i < rounds; i++) {
      semaphore.acquire();
      const inside = Atomics.add(s, 0, 1) + 1;
      for (let seen = Atomics.load(s, 1); inside > seen; seen = Atomics.load(s, 1)) Atomics.compareExchange(s, 1, seen, inside);
      for (let spin = 0; spin < 200; spin++) Atomics.load(s, 0);
      Atomics.sub(s, 0, 1);
      semaphore.release();
    }
    return rounds;
  },

  /**
   * `cycles` rounds of: write the cycle number to `progress[me]`, wait at the barrier, check that
   * every party has reached this cycle and none has passed the next one. The worker's barrier
   * object gets an action that counts runs in `actions[0]` and records the cycle it completed in
   * `actions[1]`. Returns the indices `wait` returned and the number of failed checks.
   */
  barrierCycles(barrier, progress, actions, me, cycles) {
    const p = progress.data;
    const a = actions.data;
    let cycle = 0;
    barrier.action = () => {
      Atomics.add(a, 0, 1);
      Atomics.store(a, 1, cycle);
    };
    const indices = [];
    let failures = 0;
    for (cycle = 1; cycle <= cycles; cycle++) {
      Atomics.store(p, me, cycle);
      indices.push(barrier.wait(10_000));
      for (let j = 0; j < p.length; j++) {
        const seen = Atomics.load(p, j);
        if (seen < cycle || seen > cycle + 1) failures++;
      }
      // the action ran, for this very cycle, before anyone was released
      if (Atomics.load(a, 0) < cycle || Atomics.load(a, 1) < cycle) failures++;
    }
    return { indices, failures };
  },

  /**
   * A condition waiter: under the lock, takes the next ordinal from `counts[0]`, waits (at most
   * `timeout`), then records its ordinal in `woke` (woke[ordinal] = 1), counts itself in
   * `counts[1]` and returns `{ ordinal, notified }`.
   */
  conditionWaiter(cond, counts, woke, timeout) {
    const c = counts.data;
    cond.acquire();
    try {
      const ordinal = Atomics.add(c, 0, 1);
      const notified = cond.wait(timeout);
      Atomics.store(woke.data, ordinal, 1);
      Atomics.add(c, 1, 1);
      return { ordinal, notified, owned: cond.lock.isOwned() };
    } finally {
      cond.release();
    }
  },

  /**
   * `rounds` times: under the lock, counts itself ready (`counts[0]`) and waits; once woken,
   * counts the wake-up (`counts[1]`) and checks that the main thread's round (`counts[2]`) is
   * the round it waited in, else counts a failure (`counts[3]`): a waiter woken out of turn.
   */
  conditionRounds(cond, counts, rounds) {
    const c = counts.data;
    for (let round = 0; round < rounds; round++) {
      cond.acquire();
      try {
        Atomics.add(c, 0, 1);
        if (!cond.wait(10_000)) Atomics.add(c, 3, 1);
        Atomics.add(c, 1, 1);
        if (Atomics.load(c, 2) !== round) Atomics.add(c, 3, 1);
      } finally {
        cond.release();
      }
    }
    return rounds;
  },

  /**
   * `rounds` times: waits for the event, counts the wake-up in `counts[0]` (and a wait that
   * returned false in `counts[1]`), then meets the main thread at the barrier.
   */
  eventRounds(event, barrier, counts, rounds) {
    const c = counts.data;
    for (let round = 0; round < rounds; round++) {
      if (!event.wait(10_000)) Atomics.add(c, 1, 1);
      Atomics.add(c, 0, 1);
      barrier.wait(10_000);
    }
    return rounds;
  },

  /** `cond.waitFor(() => array[index] >= target && array[index], timeout)`, holding the lock. */
  waitForValue(cond, array, index, target, timeout) {
    cond.acquire();
    try {
      return cond.waitFor(() => Atomics.load(array.data, index) >= target && Atomics.load(array.data, index), timeout);
    } finally {
      cond.release();
    }
  },

  /**
   * Blocks on each of a list of timeouts in turn and reports how long each took. `what` names the
   * call: 'lock' (held by someone else), 'rlock', 'semaphore' (at 0), 'event' (unset), 'condition',
   * 'waitFor', 'barrier' (which then breaks; it is reset between rounds by this worker).
   */
  timeouts(object, what, list) {
    const results = [];
    for (const timeout of list) {
      const start = performance.now();
      let value;
      try {
        switch (what) {
          case 'lock': case 'rlock': case 'semaphore': value = object.acquire({ timeout }); break;
          case 'event': value = object.wait(timeout); break;
          case 'condition': object.acquire(); try { value = object.wait(timeout); } finally { object.release(); } break;
          case 'waitFor': object.acquire(); try { value = object.waitFor(() => 0, timeout); } finally { object.release(); } break;
          case 'barrier': value = object.wait(timeout); break;
          default: throw new Error(`timeouts: unknown ${what}`);
        }
      } catch (error) {
        value = error.name;
        if (what === 'barrier') object.reset();
      }
      results.push({ timeout, value, ms: performance.now() - start });
    }
    return results;
  },
});
