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
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
