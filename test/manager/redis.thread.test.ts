import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { trackPools, sleep } from '../support/pools.js';
import { type RedisServer, startRedis } from '../../bench/harness/redis-server.js';
import {
  ArgumentError, BrokenBarrierError, type ConditionProxy, type Custom, Manager, ManagerConnectionError, ManagerStateError, OwnerDiedError, Pool,
} from '../../src/index.js';

/**
 * The Redis store beyond the shared semantics (redis-semantics.thread.test.ts): other processes
 * reaching the same objects with Manager.connect, leases of locks whose holder died, Redis killed
 * mid-call and restarted, ACL credentials, namespaces, shutdown, options.
 */

const CHILD = new URL('../support/manager-redis-child.mjs', import.meta.url);
const MODULE = new URL('../support/manager-worker.mjs', import.meta.url);
const COUNTER = new URL('../support/manager-counter.mjs', import.meta.url);
const track = trackPools();

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * A child process running manager-redis-child.mjs: `line` resolves with its first stdout line,
 * `output` with all of it once it exits.
 */
function child(...args: string[]): { process: ChildProcess; line: Promise<string>; output: Promise<string>; exit: Promise<number | null> } {
  const p = spawn(process.execPath, [CHILD.pathname, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  p.stderr!.on('data', (d) => { err += d; });
  const line = new Promise<string>((resolve, reject) => {
    p.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    p.once('exit', (code) => reject(new Error(`child exited (${code}) before a line: ${err}`)));
  });
  // awaited later by the test; meanwhile a child's early failure must not be an unhandled rejection
  line.catch(() => {});
  const exit = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
  const output = exit.then((code) => {
    if (code !== 0) throw new Error(`child exited (${code}): ${err}`);
    return out;
  });
  output.catch(() => {});
  return { process: p, line, output, exit };
}


describe('two processes, one namespace', () => {
  it('two Node processes share a dict, a Queue and a Lock by name', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'xproc' });
    const counts = manager.dict<string, number>('counts');
    const jobs = manager.Queue<string>(0, { name: 'jobs' });
    const n = 100;
    const a = child('work', redis.url, 'xproc', 'a', String(n));
    const b = child('work', redis.url, 'xproc', 'b', String(n));
    const got: string[] = [];
    for (let i = 0; i < 2 * n; i++) got.push(await jobs.getAsync({ timeout: 20_000 }));
    expect(await a.line).toBe('done');
    expect(await b.line).toBe('done');
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
    // the lock made every read-modify-write exact, across processes
    expect(await counts.getAsync('n')).toBe(2 * n);
    // every item arrived once, each process's in its own order
    for (const tag of ['a', 'b']) expect(got.filter((s) => s.startsWith(`${tag}:`))).toEqual(Array.from({ length: n }, (_, i) => `${tag}:${i}`));
  }, 60_000);

  it('a lock held by a process that was killed is taken over after its lease, with OwnerDiedError', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'lease', lease: 1_000 });
    const lock = manager.Lock({ name: 'held' });
    const holder = child('hold', redis.url, 'lease');
    expect(await holder.line).toBe('held');
    // the live holder renews its lease (a second here, renewed every third of that): three leases later it still holds the lock
    expect(lock.acquire({ timeout: 3_000 })).toBe(false);
    holder.process.kill('SIGKILL');
    await holder.exit;
    const error = await rejection(lock.acquireAsync({ timeout: 5_000 }));
    expect(error).toBeInstanceOf(OwnerDiedError);
    expect(error.message).toMatch(/^LockProxy\.acquire: the process that held this lock stopped renewing its lease/);
    // the taker holds it now, renews it, and releases it as usual
    expect(lock.locked()).toBe(true);
    expect(lock.acquire({ timeout: 2_000 })).toBe(false);
    lock.release();
    expect(lock.acquire({ block: false })).toBe(true);
    lock.release();
  }, 30_000);
});

describe('Condition and Barrier across processes', () => {
  /** Resolves once `n` waiters counted themselves under the condition's lock and released it by waiting. */
  async function waiting(cond: ConditionProxy, entered: { get(): number }, n: number): Promise<void> {
    for (;;) {
      if (cond.acquire({ block: false })) {
        const count = entered.get();
        cond.release();
        if (count === n) return;
      }
      await sleep(10);
    }
  }

  it('a Condition: notify() wakes the process that waited first, notifyAll() the other', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'xcond' });
    const cond = manager.Condition(undefined, { name: 'cond' });
    const entered = manager.Value('i', 0, { name: 'entered' });
    const first = child('cond-wait', redis.url, 'xcond');
    await waiting(cond, entered, 1);
    const second = child('cond-wait', redis.url, 'xcond');
    await waiting(cond, entered, 2);
    cond.acquire();
    cond.notify();
    cond.release();
    expect(await first.line).toBe('notified');
    expect(await first.exit).toBe(0);
    // one notify woke one waiter: the second still waits (it would have printed by now)
    await sleep(300);
    expect(second.process.exitCode).toBeNull();
    await cond.acquireAsync();
    await cond.notifyAllAsync();
    await cond.releaseAsync();
    expect(await second.line).toBe('notified');
    expect(await second.exit).toBe(0);
  }, 60_000);

  it('a waiter killed in its wait takes no notify: once its lease ran out, notify() wakes the next live waiter', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'xcond-dead', lease: 1_000 });
    const cond = manager.Condition(undefined, { name: 'cond' });
    const entered = manager.Value('i', 0, { name: 'entered' });
    const dead = child('cond-wait', redis.url, 'xcond-dead');
    await waiting(cond, entered, 1);
    dead.process.kill('SIGKILL');
    await dead.exit;
    const live = child('cond-wait', redis.url, 'xcond-dead');
    await waiting(cond, entered, 2);
    // the killed waiter's lease (1 s, no longer renewed) runs out; the live one's is renewed
    await sleep(2_000);
    cond.acquire();
    cond.notify(1);
    cond.release();
    expect(await live.line).toBe('notified');
    expect(await live.exit).toBe(0);
  }, 60_000);

  it('a Barrier of three: two processes and this one pass it twice, with each arrival index once per generation', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'xbarrier' });
    const barrier = manager.Barrier(3, { name: 'barrier' });
    const a = child('barrier', redis.url, 'xbarrier', '3');
    const b = child('barrier', redis.url, 'xbarrier', '3');
    const mine = [await barrier.waitAsync(), await barrier.waitAsync()];
    const theirs = [(await a.output).trim().split('\n').map(Number), (await b.output).trim().split('\n').map(Number)];
    for (let generation = 0; generation < 2; generation++) {
      expect([mine[generation], theirs[0]![generation], theirs[1]![generation]].sort()).toEqual([0, 1, 2]);
    }
  }, 60_000);

  it('a party that died before it arrived leaves the others a broken barrier after its timeout, not a hang', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'xbarrier-dead' });
    const barrier = manager.Barrier(3, { name: 'barrier', timeout: 1_000 });
    const third = child('barrier', redis.url, 'xbarrier-dead', '3');
    third.process.kill('SIGKILL');
    await third.exit;
    const other = child('barrier', redis.url, 'xbarrier-dead', '3');
    expect(await rejection(barrier.waitAsync())).toBeInstanceOf(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
    // the other process's two waits: broken by the timeout, then refused while broken
    expect((await other.output).trim().split('\n')).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
  }, 60_000);
});

describe('registered types across processes', () => {
  interface Counter {
    increment(by?: number): number;
    read(): number;
    later(ms: number): Promise<number>;
  }

  it('the object lives in the process that created it; other processes call it through Redis', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'custom' });
    await manager.register('Counter', { module: COUNTER, export: 'Counter' });
    const counter = manager.create<Counter>('Counter', 5);
    manager.dict('objs').set('counter', counter);
    const a = child('custom', redis.url, 'custom', '50');
    const b = child('custom', redis.url, 'custom', '50');
    // each sees its proxy's typeid, the count after its own increments, and the error classes of a
    // hidden method and of the method's own failure
    for (const other of [a, b]) expect(await other.line).toMatch(/^Counter (5[5-9]|[6-9]\d|10[0-5]) ArgumentError TypeError$/);
    expect(counter.read()).toBe(105);
    expect(thrown(() => counter.increment(1n as never))).toBeInstanceOf(TypeError);
    expect(await counter.incrementAsync(10)).toBe(115);
  }, 60_000);

  it('calls on an object whose process died fail with ManagerStateError once its lease runs out, calls in flight too', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'custom-dead', lease: 1_000 });
    const owner = child('own', redis.url, 'custom-dead', COUNTER.href);
    expect(await owner.line).toBe('owned');
    const theirs = manager.dict('objs').get('theirs') as Custom<Counter>;
    expect(theirs.increment()).toBe(101);
    expect(await theirs.incrementAsync(2)).toBe(103);
    const inFlight = rejection(theirs.laterAsync(60_000));
    await sleep(200);
    owner.process.kill('SIGKILL');
    await owner.exit;
    const error = await inFlight;
    expect(error).toBeInstanceOf(ManagerStateError);
    expect(error.message).toMatch(/^Counter\.call: the manager that created this Counter is gone/);
    expect(thrown(() => theirs.read())).toBeInstanceOf(ManagerStateError);
  }, 60_000);

  it('an owner that shuts down: calls on its objects fail at once', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'custom-shutdown' });
    const owner = child('own', redis.url, 'custom-shutdown', COUNTER.href, 'shutdown');
    expect(await owner.line).toBe('owned');
    const theirs = manager.dict('objs').get('theirs') as Custom<Counter>;
    expect(theirs.read()).toBe(100);
    owner.process.stdin!.end('stop\n');
    expect(await owner.output).toBe('owned\nshut down\n');
    expect(thrown(() => theirs.read())).toBeInstanceOf(ManagerStateError);
  }, 60_000);
});

describe('proxies in worker threads', () => {
  it('a Redis-backed proxy passed to pool workers is live there, blocking calls and all', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'pool' });
    const pool = track(new Pool(MODULE, { size: 2 }));
    const d = manager.dict<number, number>();
    const l = manager.list<number>();
    await Promise.all([0, 1].map((k) => pool.apply('fill', d, l, k * 20, (k + 1) * 20)));
    expect(d.len()).toBe(40);
    expect(d.get(7)).toBe(49);
    const lock = manager.Lock();
    const value = manager.Value('i', 0);
    await Promise.all([0, 1].map(() => pool.apply('increment', lock, value, 50)));
    expect(value.value).toBe(100);
  }, 60_000);
});

describe('values in Redis', () => {
  it('Value.add is one step and exact: doubles as JS adds them, bigints past 2^53, concurrent adds all count', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'values' });
    const f = manager.Value('d', 0.1);
    expect(f.add(0.2)).toBe(0.1 + 0.2);
    f.value = -0;
    expect(Object.is(f.value, -0)).toBe(true);
    f.value = Number.NaN;
    expect(f.value).toBeNaN();
    f.value = 1e308;
    expect(f.add(1e308)).toBe(Infinity);
    const big = manager.Value('q', 2n ** 60n);
    expect(big.add(1n)).toBe(2n ** 60n + 1n);
    expect(thrown(() => big.add(1 as never)).message).toMatch(/^ValueProxy\.add: invalid argument 'delta': expected a bigint/);
    expect(thrown(() => big.add(2n ** 63n))).toBeInstanceOf(ArgumentError);
    // Python's manager Value keeps any value, whatever its typecode
    const text = manager.Value<unknown>('i', { a: [1] });
    expect(text.value).toEqual({ a: [1] });
    await using other = await Manager.connect({ url: redis.url, namespace: 'values' });
    const n = manager.Value('i', 0, { name: 'n' });
    const m = other.Value('i', 0, { name: 'n' });
    await Promise.all([...Array.from({ length: 100 }, () => n.addAsync(1)), ...Array.from({ length: 100 }, () => m.addAsync(1))]);
    expect(n.value).toBe(200);
  });

  it('Array: elements as bytes, every typecode kind; out-of-range and unfitting values refused as embedded', async () => {
    await using manager = await Manager.start({ url: redis.url, namespace: 'arrays' });
    const q = manager.Array('q', [-(2n ** 62n), 5n]);
    q.set(1, 2n ** 62n);
    expect(q.toArray()).toEqual([-(2n ** 62n), 2n ** 62n]);
    const d = manager.Array('d', [0.5, -1.25, 3]);
    expect(d.get(-1)).toBe(3);
    d.set(0, Math.PI);
    expect(await d.getAsync(0)).toBe(Math.PI);
    expect(d.len()).toBe(3);
    expect(thrown(() => d.get(3)).message).toBe('ArrayProxy.get: array index 3 out of range for length 3');
    expect(thrown(() => q.set(0, 1 as never)).message).toMatch(/^ArrayProxy\.set: invalid argument 'value': expected a bigint/);
  });
});

describe('namespaces, start and connect, shutdown', () => {
  it('each namespace is its own: the same name in two namespaces is two objects', async () => {
    await using one = await Manager.start({ url: redis.url, namespace: 'one' });
    await using two = await Manager.start({ url: redis.url, namespace: 'two' });
    one.dict('results').set('k', 1);
    two.dict('results').set('k', 2);
    expect(one.dict('results').get('k')).toBe(1);
    expect(two.dict('results').get('k')).toBe(2);
    expect(one.dict('results').keys()).toEqual(['k']);
  });

  it('connect needs a started namespace; shutdown of a connected manager leaves the objects, of the starting one deletes them', async () => {
    const missing = await rejection(Manager.connect({ url: redis.url, namespace: 'never-started' }));
    expect(missing).toBeInstanceOf(ManagerStateError);
    expect(missing.message).toBe(`Manager.connect: no manager was started in namespace "never-started" at redis://127.0.0.1:${redis.port}; start one with Manager.start({ url, namespace })`);
    const started = await Manager.start({ url: redis.url, namespace: 'owned' });
    const d = started.dict('results');
    d.set('answer', 42);
    const connected = await Manager.connect({ url: redis.url, namespace: 'owned' });
    const seen = connected.dict('results');
    expect(seen.get('answer')).toBe(42);
    expect(thrown(() => connected.list('results')).message).toBe('Manager.list: the name "results" is taken by a dict, not a list');
    await connected.shutdown();
    expect(thrown(() => seen.get('answer'))).toBeInstanceOf(ManagerStateError);
    expect(await rejection(seen.getAsync('answer'))).toBeInstanceOf(ManagerStateError);
    expect(d.get('answer')).toBe(42);
    await started.shutdown();
    expect(thrown(() => d.get('answer'))).toBeInstanceOf(ManagerStateError);
    expect((await rejection(Manager.connect({ url: redis.url, namespace: 'owned' }))).message).toMatch(/^Manager\.connect: no manager was started in namespace "owned"/);
    // a new start of the namespace begins empty
    await using again = await Manager.start({ url: redis.url, namespace: 'owned' });
    expect(again.dict('results').len()).toBe(0);
  });

  it('bad options are refused with the package messages', async () => {
    expect((await rejection(Manager.start({ url: 'http://x' }))).message)
      .toBe(`Manager.start: invalid argument 'options.url': expected 'redis://[user:password@]host[:port][/db]' (or rediss:// for TLS), got "http://x"`);
    expect((await rejection(Manager.start({ url: redis.url, namespace: 'a b' }))).message)
      .toMatch(/^Manager\.start: invalid argument 'options\.namespace': expected a non-empty string without spaces/);
    expect((await rejection(Manager.start({ url: redis.url, lease: 5 }))).message)
      .toBe("Manager.start: invalid argument 'options.lease': expected a number of milliseconds from 100 to 2147483647, got 5");
    expect((await rejection(Manager.start({ namespace: 'x' }))).message)
      .toMatch(/^Manager\.start: invalid argument 'options': unknown option "namespace"/);
    expect((await rejection(Manager.connect(undefined as never))).message)
      .toBe("Manager.connect: invalid argument 'options': expected { url, namespace? } of a Redis-backed manager, got undefined");
    expect(await rejection(Manager.connect({ url: redis.url, bogus: 1 } as never))).toBeInstanceOf(ArgumentError);
  });
});

describe('failures', () => {
  it('Redis unreachable: ManagerConnectionError within the connect timeout', async () => {
    const closed = await startRedis();
    await closed.stop();
    const error = await rejection(Manager.start({ url: closed.url, connectTimeout: 1_000 }));
    expect(error).toBeInstanceOf(ManagerConnectionError);
    expect(error.message).toMatch(new RegExp(`^Manager\\.start: cannot connect to Redis at redis://127\\.0\\.0\\.1:${closed.port}`));
  });

  it('Redis killed mid-call: a ManagerConnectionError, not a hang; restarted: the proxies work again', async () => {
    const own = await startRedis();
    try {
      const manager = await Manager.start({ url: own.url, namespace: 'fault', commandTimeout: 1_000 });
      const q = manager.Queue<number>();
      const d = manager.dict<string, number>();
      const waiting = rejection(q.getAsync());
      await new Promise((r) => setTimeout(r, 100));
      await own.kill();
      const error = await waiting;
      expect(error).toBeInstanceOf(ManagerConnectionError);
      expect(error.message).toMatch(/^QueueProxy\.get: Redis at redis:\/\/127\.0\.0\.1:\d+\/? did not answer/);
      // while it is down, calls fail at once rather than queueing
      expect(thrown(() => d.set('x', 1))).toBeInstanceOf(ManagerConnectionError);
      await own.start();
      // the client reconnects by itself within about a second
      let works = false;
      for (let i = 0; i < 100 && !works; i++) {
        try {
          d.set('x', 2);
          works = true;
        } catch (e) {
          expect(e).toBeInstanceOf(ManagerConnectionError);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(works).toBe(true);
      expect(d.get('x')).toBe(2);
      q.put(7);
      expect(q.get()).toBe(7);
      await manager.shutdown();
    } finally {
      await own.stop();
    }
  }, 30_000);

  it('ACL user and password from the URL; a wrong password is a ManagerConnectionError', async () => {
    const acl = await startRedis(['--user', 'default', 'off', '--user', 'app', 'on', '>s3cret', '~*', '&*', '+@all']);
    try {
      const url = `redis://app:s3cret@127.0.0.1:${acl.port}`;
      await using manager = await Manager.start({ url, namespace: 'acl' });
      manager.dict('d').set('k', 'v');
      await using other = await Manager.connect({ url, namespace: 'acl' });
      expect(other.dict('d').get('k')).toBe('v');
      const wrong = await rejection(Manager.start({ url: `redis://app:nope@127.0.0.1:${acl.port}` }));
      expect(wrong).toBeInstanceOf(ManagerConnectionError);
      // the password is not repeated in messages
      expect(wrong.message).toMatch(/^Manager\.start: cannot connect to Redis at redis:\/\/app:\*\*\*@127\.0\.0\.1/);
      expect(await rejection(Manager.start({ url: acl.url }))).toBeInstanceOf(ManagerConnectionError);
    } finally {
      await acl.stop();
    }
  });
});
