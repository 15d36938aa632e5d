import { threadId } from 'node:worker_threads';
import { defineWorker } from 'shared-ndarray/worker';
import { withLock } from 'shared-ndarray';

/** Python's idiom: the initializer stores the shared objects in module state for the tasks. */
let shared;

export default defineWorker({
  init(lock, counter, tag) {
    if (tag === 'throw') throw new TypeError('initializer refused');
    shared = { lock, counter, tag };
  },
  /** An initializer that counts its runs, over all threads, in `counter[0]`. */
  countStarts(counter) {
    Atomics.add(counter.data, 0, 1);
    shared = { counter, tag: 'counted' };
  },
  /** This thread's id, and whether the initializer ran in it. */
  whoAmI() {
    return [threadId, shared?.tag ?? null];
  },
  bump(n) {
    const a = shared.counter.data;
    for (let i = 0; i < n; i++) withLock(shared.lock, () => { a[0] += 1; });
    return shared.tag;
  },
});
