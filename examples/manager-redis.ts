/**
 * The Manager across processes, through Redis: this process starts a Redis-backed manager and a
 * second Node process that connects to it by namespace. Both take ranges of [2, 1,000,001) from
 * one shared Queue, count their primes and add the counts to one shared dict under one shared
 * Lock, by name. Prints the total, then how many processes took part and how many ranges they
 * counted. The starting manager owns the namespace: its shutdown (the end of `await using`)
 * deletes it from Redis. Needs a Redis 7 server and the optional peer `npm install ioredis`.
 *
 * Run: npx tsx examples/manager-redis.ts [redis://127.0.0.1:6379] [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Manager, countPrimesTrialDivision, divideRange, Empty } from 'shared-ndarray';

const RANGES = 8;

/** What both processes run: take ranges until the queue is empty, add each count under the lock. */
function work(manager: Manager): void {
  const ranges = manager.Queue<[number, number]>(0, { name: 'ranges' });
  const totals = manager.dict<string, number>('totals');
  const lock = manager.Lock({ name: 'totals-lock' });
  manager.dict<number, boolean>('processes').set(process.pid, true);
  for (;;) {
    let range: [number, number];
    try {
      range = ranges.get({ block: false });
    } catch (error) {
      if (error instanceof Empty) break;
      throw error;
    }
    const count = countPrimesTrialDivision(...range);
    // a read and a write of the shared dict: the lock keeps the other process out in between
    lock.acquire();
    try {
      totals.set('primes', (totals.get('primes') ?? 0) + count);
      totals.set('ranges', (totals.get('ranges') ?? 0) + 1);
    } finally {
      lock.release();
    }
  }
}

// the worker role is given the namespace, the main one the numbers
const [role, url = 'redis://127.0.0.1:6379', given] = process.argv[2] === 'worker' ? process.argv.slice(2) : ['main', ...process.argv.slice(2)];

if (role === 'worker') {
  // the second process: the same objects, by namespace and name
  const manager = await Manager.connect({ url: url!, namespace: given! });
  manager.Event({ name: 'joined' }).set();
  work(manager);
  await manager.shutdown();
} else {
  const namespace = `manager-redis-example-${process.pid}`;
  await using manager = await Manager.start({ url, namespace });
  const ranges = manager.Queue<[number, number]>(0, { name: 'ranges' });
  const numbers = Number(given ?? 1_000_000);
  for (const range of divideRange(2, numbers + 1, RANGES)) await ranges.putAsync(range);
  // the other process: this same file, under the same loader (tsx), with the worker role
  const other = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'worker', url, namespace], { stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => other.once('exit', resolve));
  // both start together: the other process sets the Event once it has connected
  await manager.Event({ name: 'joined' }).waitAsync(30_000);
  work(manager);
  if ((await exited) !== 0) throw new Error('the other process failed');
  const totals = manager.dict<string, number>('totals');
  console.log(await totals.getAsync('primes'));
  console.log(`${await manager.dict('processes').lenAsync()} processes counted ${await totals.getAsync('ranges')} ranges`);
}
