// Worker module of the cluster tests' daemons (test/cluster/). A plain .mjs file: the daemons are
// the compiled command (dist/cli/main.js), and their threads load the module as it is.
import { defineWorker, progress } from 'shared-ndarray/worker';
import { ValueError } from 'shared-ndarray';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default defineWorker({
  square(x) {
    return x * x;
  },
  add(a, b) {
    return a + b;
  },
  /** What the daemon that ran it is: its process id (the item of a map is ignored). */
  pid() {
    return process.pid;
  },
  /** `[item, pid]` after `ms`: which daemon ran each item, each long enough to hold its daemon's one thread. */
  async slowTagged(item, ms = 100) {
    await sleep(ms);
    return [item, process.pid];
  },
  /** Throws the package's ValueError, with a code of its own. */
  fail(message) {
    throw Object.assign(new ValueError(message), { code: 'E_CLUSTER_TEST' });
  },
  failRange(x) {
    if (x === 3) throw new RangeError(`no ${x}`);
    return x;
  },
  async crunch(n) {
    for (let i = 1; i <= n; i++) {
      await sleep(1);
      progress(i, n);
    }
    return n;
  },
  /** Row r of m[start:stop] gets r * k + its column index; returns the block it wrote. */
  fillRows(m, start, stop, k) {
    const cols = m.shape[1];
    for (let r = start; r < stop; r++) for (let c = 0; c < cols; c++) m.set(r, c, r * k + c);
    return [start, stop];
  },
  structured(n) {
    return { n, big: 2n ** 70n, map: new Map([['a', new Set([1, 2])]]), date: new Date(0), floats: new Float64Array([n, 0.5]) };
  },
});
