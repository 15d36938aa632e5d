// Another process for test/manager/redis.thread.test.ts: it reaches the parent's Redis-backed
// manager with Manager.connect, by namespace and names, and calls it with the blocking forms from
// its main thread. Each mode's objects are named `<prefix>-<name>`, so that the tests share one
// namespace.
//
// Usage: node manager-redis-child.mjs <mode> <url> <namespace> <prefix> [args...]
//   runs one mode, prints its lines, exits (or is killed by the test).
// Or:    node manager-redis-child.mjs agent <url> <namespace>
//   one connection that runs the modes the lines on stdin ask for, one after another, so that a
//   test file does not pay a process and a connection per call it makes from another process:
//   in `<id> <mode> <prefix> [args...]` (or `<id> stop`, for a running `own`), out `<id> <line>`
//   per line of the mode, then `<id> .end`, or `<id> .error <message>` when it threw. Ends, after
//   shutting its manager down, when stdin does.
import { createInterface } from 'node:readline';
import { Manager } from 'shared-ndarray';

const lease = 1_000;

/** Each mode: ctx = { manager() (the process's connection), url, namespace, prefix, args, out(line), stopped (a Promise) }. */
const MODES = {
  /**
   * n times, under the shared lock: counter += 1 (a read and a write that race without the lock);
   * and each i goes on the shared queue, tagged with this process's tag
   */
  async work({ manager, prefix, args: [tag, n], out }) {
    const m = await manager();
    const counts = m.dict(`${prefix}-counts`);
    const jobs = m.Queue(0, { name: `${prefix}-jobs` });
    const lock = m.Lock({ name: `${prefix}-lock` });
    for (let i = 0; i < Number(n); i++) {
      lock.acquire();
      try {
        counts.set('n', (counts.get('n') ?? 0) + 1);
      } finally {
        lock.release();
      }
      jobs.put(`${tag}:${i}`);
    }
    out('done');
  },
  /**
   * counts itself in 'entered' under the condition's lock, waits to be notified, prints
   * 'notified' or 'timeout' (args[0]: the wait's timeout in ms, default none)
   */
  async 'cond-wait'({ manager, prefix, args: [timeout], out }) {
    const m = await manager();
    const cond = m.Condition(undefined, { name: `${prefix}-cond` });
    const entered = m.Value('i', 0, { name: `${prefix}-entered` });
    cond.acquire();
    entered.add(1);
    const notified = cond.wait(timeout === undefined ? undefined : Number(timeout));
    cond.release();
    out(notified ? 'notified' : 'timeout');
  },
  /** one party of the barrier named 'barrier' (args[0] parties): prints its arrival index, or the error's class, twice */
  async barrier({ manager, prefix, args: [parties], out }) {
    const m = await manager();
    const barrier = m.Barrier(Number(parties), { name: `${prefix}-barrier` });
    for (let generation = 0; generation < 2; generation++) {
      try {
        out(String(barrier.wait()));
      } catch (error) {
        out(error.name);
      }
    }
  },
  /** calls the registered Counter the starting process stored under 'objs'.'counter', args[0] times */
  async custom({ manager, prefix, args: [n], out }) {
    const m = await manager();
    const counter = m.dict(`${prefix}-objs`).get('counter');
    for (let i = 0; i < Number(n); i++) counter.increment();
    const errorName = (f) => {
      try {
        f();
      } catch (error) {
        return error.constructor.name;
      }
    };
    // a method that is not exposed, and an error the method itself throws (a number plus a bigint)
    const hidden = errorName(() => counter._hidden());
    const thrown = errorName(() => counter.increment(1n));
    out(`${counter.typeid} ${await counter.readAsync()} ${hidden} ${thrown}`);
  },
  /**
   * on a manager of its own: registers Counter (module args[0]), creates one, stores it under
   * 'objs'.'theirs', prints 'owned', and once told to stop (a line on stdin; `<id> stop` for an
   * agent) shuts its manager down
   */
  async own({ url, namespace, prefix, args: [module], out, stopped }) {
    const m = await Manager.connect({ url, namespace, lease });
    await m.register('Counter', { module, export: 'Counter' });
    m.dict(`${prefix}-objs`).set('theirs', m.create('Counter', 100));
    out('owned');
    await stopped;
    await m.shutdown();
    out('shut down');
  },
  /**
   * for a test that kills it: holds the lock 'held' (renewing its lease), owns a Counter (module
   * args[0]) stored under 'objs'.'theirs', prints 'ready', then waits on the Condition as
   * cond-wait does
   */
  async victim(ctx) {
    const m = await ctx.manager();
    await m.register('Counter', { module: ctx.args[0], export: 'Counter' });
    m.dict(`${ctx.prefix}-objs`).set('theirs', m.create('Counter', 100));
    m.Lock({ name: `${ctx.prefix}-held` }).acquire();
    ctx.out('ready');
    await MODES['cond-wait']({ ...ctx, args: [] });
  },
};

const [mode, url, namespace, ...rest] = process.argv.slice(2);
let connection;
const manager = () => (connection ??= Manager.connect({ url, namespace, lease }));

if (mode === 'agent') {
  const stops = new Map();
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [id, command, prefix, ...args] = line.split(' ');
    if (command === 'stop') {
      stops.get(id)?.();
      return;
    }
    const stopped = new Promise((resolve) => stops.set(id, resolve));
    const out = (text) => process.stdout.write(`${id} ${text}\n`);
    queue = queue.then(async () => {
      try {
        if (!Object.hasOwn(MODES, command)) throw new Error(`unknown mode ${command}`);
        await MODES[command]({ manager, url, namespace, prefix, args, out, stopped });
        out('.end');
      } catch (error) {
        out(`.error ${String(error?.stack ?? error).replaceAll('\n', ' | ')}`);
      } finally {
        stops.delete(id);
      }
    });
  });
  lines.once('close', () => {
    void queue.then(async () => {
      if (connection !== undefined) await (await connection).shutdown();
    });
  });
} else if (Object.hasOwn(MODES, mode)) {
  const [prefix, ...args] = rest;
  const stopped = new Promise((resolve) => process.stdin.once('data', resolve));
  await MODES[mode]({ manager, url, namespace, prefix, args, out: (line) => console.log(line), stopped });
  if (connection !== undefined) await (await connection).shutdown();
  process.stdin.destroy();
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
