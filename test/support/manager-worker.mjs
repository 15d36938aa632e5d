// Worker for test/manager/*.thread.test.ts (plain .mjs: workers load the compiled dist/). Proxies
// arrive here live: every call below reaches the manager's objects from this thread, blocking.
import { defineWorker } from 'shared-ndarray/worker';

let kept;

export default defineWorker({
  /** A pool initializer: keeps `proxy` for later tasks. */
  keep(proxy) {
    kept = proxy;
  },
  /** Appends `i` to the kept list; returns the list's length. */
  appendKept(i) {
    kept.append(i);
    return kept.len();
  },
  /** d[key] = value, then what the dict holds. */
  dictSet(d, key, value) {
    d.set(key, value);
    return d.items();
  },
  /** Fills `d[i] = i * i` and `l.append(i)` for i in [from, to). */
  fill(d, l, from, to) {
    for (let i = from; i < to; i++) {
      d.set(i, i * i);
      l.append(i);
    }
  },
  /** `n` times, under `lock`: v = v + 1 (a read and a write, racing without the lock). */
  increment(lock, value, n) {
    for (let i = 0; i < n; i++) {
      lock.acquire();
      value.set(value.get() + 1);
      lock.release();
    }
  },
  /** Takes `count` items off `q`, summing them; marks each done. */
  consume(q, count) {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      sum += q.get();
      q.taskDone();
    }
    return sum;
  },
  /** The proxy's class name and a nested proxy's, to check they arrive live. */
  kinds(d) {
    const inner = d.get('inner');
    inner.append('from worker');
    return [d.constructor.name, inner.constructor.name, inner.toArray()];
  },
  /** Sets the namespace's attributes through attribute access. */
  namespace(ns) {
    ns.count = (ns.count ?? 0) + 1;
    ns.who = 'worker';
    return ns.toObject();
  },
  /** Waits at the barrier; returns its index. */
  barrier(b) {
    return b.wait(10_000);
  },
  /** Waits for the event, then returns the dict's value of 'go'. */
  waitEvent(e, d) {
    e.wait();
    return d.get('go');
  },
  /**
   * `n` writes and read-backs of values from 0 to ~2 KB under keys of its own, and appends to a
   * shared list; returns the read-backs that differed from what was written.
   */
  stress(d, l, who, n) {
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const value = { who, i, text: 'x'.repeat((i * 37) % 2000) };
      d.set(`${who}:${i}`, value);
      const back = d.get(`${who}:${i}`);
      if (back.who !== who || back.i !== i || back.text !== value.text) wrong++;
      l.append(i);
    }
    return wrong;
  },
  /** The error a call on a shut-down manager throws here. */
  callAfterShutdown(d, started, stop) {
    started.set();
    stop.wait();
    try {
      d.get('x');
      return 'no error';
    } catch (error) {
      return [error.name, error.message];
    }
  },
});
