// Another process for test/manager/redis-*.thread.test.ts: it reaches the parent's Redis-backed
// manager with Manager.connect, by namespace and names, and calls it with the blocking forms from
// its main thread. Usage: node manager-redis-child.mjs <mode> <url> <namespace> [args...]
import { Manager } from 'shared-ndarray';

const [mode, url, namespace, ...rest] = process.argv.slice(2);
const lease = 1_000;

if (mode === 'work') {
  // n times, under the shared lock: counter += 1 (a read and a write that race without the lock);
  // and each i goes on the shared queue, tagged with this process's tag
  const [tag, n] = [rest[0], Number(rest[1])];
  const manager = await Manager.connect({ url, namespace, lease });
  const counts = manager.dict('counts');
  const jobs = manager.Queue(0, { name: 'jobs' });
  const lock = manager.Lock({ name: 'lock' });
  for (let i = 0; i < n; i++) {
    lock.acquire();
    try {
      counts.set('n', (counts.get('n') ?? 0) + 1);
    } finally {
      lock.release();
    }
    jobs.put(`${tag}:${i}`);
  }
  await manager.shutdown();
  console.log('done');
} else if (mode === 'hold') {
  // takes the lock and keeps it (renewing its lease) until killed
  const manager = await Manager.connect({ url, namespace, lease });
  const lock = manager.Lock({ name: 'held' });
  lock.acquire();
  manager.dict('state').set('holder', process.pid);
  console.log('held');
  setInterval(() => {}, 1000);
} else if (mode === 'cond-wait') {
  // counts itself in 'entered' under the condition's lock, waits to be notified, prints
  // 'notified' or 'timeout' (rest[0]: the wait's timeout in ms, default none)
  const manager = await Manager.connect({ url, namespace, lease });
  const cond = manager.Condition(undefined, { name: 'cond' });
  const entered = manager.Value('i', 0, { name: 'entered' });
  cond.acquire();
  entered.add(1);
  const notified = cond.wait(rest[0] === undefined ? undefined : Number(rest[0]));
  cond.release();
  console.log(notified ? 'notified' : 'timeout');
  await manager.shutdown();
} else if (mode === 'barrier') {
  // one party of the barrier named 'barrier' (rest[0] parties): prints its arrival index, or the error's class
  const manager = await Manager.connect({ url, namespace, lease });
  const barrier = manager.Barrier(Number(rest[0]), { name: 'barrier' });
  for (let generation = 0; generation < 2; generation++) {
    try {
      console.log(String(barrier.wait()));
    } catch (error) {
      console.log(error.name);
    }
  }
  await manager.shutdown();
} else if (mode === 'custom') {
  // calls the registered Counter the starting process stored under 'objs'.'counter', rest[0] times
  const manager = await Manager.connect({ url, namespace, lease });
  const counter = manager.dict('objs').get('counter');
  for (let i = 0; i < Number(rest[0]); i++) counter.increment();
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
  console.log(`${counter.typeid} ${await counter.readAsync()} ${hidden} ${thrown}`);
  await manager.shutdown();
} else if (mode === 'own') {
  // registers Counter (module rest[0]), creates one, stores it under 'objs'.'theirs', and serves it until killed
  const manager = await Manager.connect({ url, namespace, lease });
  await manager.register('Counter', { module: rest[0], export: 'Counter' });
  manager.dict('objs').set('theirs', manager.create('Counter', 100));
  console.log('owned');
  if (rest[1] === 'shutdown') {
    await new Promise((resolve) => process.stdin.once('data', resolve));
    await manager.shutdown();
    console.log('shut down');
  } else {
    setInterval(() => {}, 1000);
  }
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
