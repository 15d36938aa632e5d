// Worker module for test/sharedctypes/workers.thread.test.ts. Plain .mjs: workers load the compiled dist/
// through the package's self-reference (see pool-basic.mjs).
import { threadId } from 'node:worker_threads';
import { defineWorker } from 'shared-ndarray/worker';
import { withLock } from 'shared-ndarray';

/**
 * Waits until `parties` tasks have arrived at `gate` (an int32 SharedValue), so the loops after
 * it run at the same time on different threads instead of one after another.
 */
function arrive(gate, parties) {
  gate.add(1);
  const word = new Int32Array(gate.buffer);
  Atomics.notify(word, 0);
  const deadline = Date.now() + 10_000;
  for (let seen = gate.value; seen < parties; seen = gate.value) {
    if (Date.now() > deadline) throw new Error(`arrive: only ${seen} of ${parties} tasks arrived`);
    Atomics.wait(word, 0, seen, 50);
  }
}

export default defineWorker({
  /** `n` atomic adds (or subs) of `delta` to a value, or to element `index` of an array. */
  addMany(gate, parties, target, index, delta, n, op = 'add') {
    arrive(gate, parties);
    for (let k = 0; k < n; k++) {
      if (index === null) target[op](delta);
      else target[op](index, delta);
    }
    return n;
  },
  /** `v.value += 1` under the wrapper's own lock, the way Python code does `with v.get_lock():`. */
  incrementLocked(gate, parties, v, n) {
    arrive(gate, parties);
    for (let k = 0; k < n; k++) withLock(v, () => { v.value += 1; });
    return n;
  },
  /** `a[i] += 1` under a SynchronizedArray's lock. */
  incrementItemLocked(gate, parties, a, i, n) {
    arrive(gate, parties);
    for (let k = 0; k < n; k++) withLock(a, () => { a[i] += 1; });
    return n;
  },
  /** `v.value += 1` with no lock: a read and a write other threads may come between. */
  incrementRaw(gate, parties, v, n) {
    arrive(gate, parties);
    for (let k = 0; k < n; k++) v.value += 1;
    return n;
  },
  /** Increments by compareExchange retry loops; returns how many attempts lost a race. */
  casIncrement(gate, parties, v, n) {
    arrive(gate, parties);
    let retries = 0;
    for (let k = 0; k < n; k++) {
      for (let old = v.value; v.compareExchange(old, old + 1) !== old; old = v.value) retries++;
    }
    return retries;
  },
  /** What arrived: its class, dtype, contents and lock. */
  describe(x) {
    const raw = typeof x.getObj === 'function' ? x.getObj() : x;
    return {
      kind: x.constructor.name,
      raw: raw.constructor.name,
      dtype: raw.dtype,
      contents: 'value' in raw ? raw.value : raw.toArray(),
      lock: typeof x.getLock === 'function' ? x.getLock().constructor.name : null,
    };
  },
  /** Whether this thread could take `x`'s lock without waiting (released again if so). */
  tryAcquire(x) {
    const got = x.acquire({ block: false });
    if (got) x.release();
    return got;
  },
  setValue(x, value) {
    x.value = value;
  },
  setItem(x, i, value) {
    x[i] = value;
  },
  /** Returns its argument: results cross back through the same transport. */
  echo(x) {
    return x;
  },
  /** The reference article's worker: views the shared doubles as `rows` × 10 and fills row `index` with this thread's id. */
  fillRow(raw, rows, index) {
    raw.ndarray().reshape(rows, 10).row(index).fill(threadId);
    return threadId;
  },
});
