import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { agents, child } from '../support/manager-redis-processes.js';
import { sleep } from '../support/pools.js';
import { freePort, type RedisServer, startRedis } from '../../bench/harness/redis-server.js';
import {
  ArgumentError, BrokenBarrierError, type ConditionProxy, type Custom, Manager, ManagerConnectionError, ManagerStateError, OwnerDiedError, Pool, TimeoutError,
} from '../../src/index.js';

/**
 * The Redis store beyond the shared semantics (redis-semantics.thread.test.ts): other processes
 * reaching the same objects with Manager.connect, leases of locks whose holder died, Redis killed
 * mid-call and restarted, ACL credentials, namespaces, shutdown, options.
 *
 * The tests run concurrently (most of their time is waits: leases running out, timeouts, other
 * processes starting), on one server and, where they can, one manager (`NS`, a 1 s lease), each
 * on objects named for it. The other processes are two long-lived agents the tests take turns on
 * (manager-redis-processes.ts), and one process of its own for each that a test kills.
 */

const MODULE = new URL('../support/manager-worker.mjs', import.meta.url);
const COUNTER = new URL('../support/manager-counter.mjs', import.meta.url);
const NS = 'shared';

let redis: RedisServer;
let manager: Manager;
beforeAll(async () => {
  redis = await startRedis();
  manager = await Manager.start({ url: redis.url, namespace: NS, lease: 1_000 });
});
afterAll(async () => {
  await manager?.shutdown();
  await redis?.stop();
});
// registered after the hook above, so that they exit (their afterAll runs first) while the manager they connected to is up
const use = agents(() => redis.url, NS, 2);

interface Counter {
  increment(by?: number): number;
  read(): number;
  later(ms: number): Promise<number>;
}

/** Resolves once `n` waiters counted themselves under the condition's lock and released it by waiting. */
async function waiting(cond: ConditionProxy, entered: { get(): number }, n: number): Promise<void> {
  for (;;) {
    if (cond.acquire({ block: false })) {
      const count = entered.get();
      cond.release();
      if (count === n) return;
    }
    // each look is three calls to Redis, and a waiter may take a process's start to arrive
    await sleep(25);
  }
}

describe.concurrent('a process killed mid-way', () => {
  it('its lock is taken over after its lease (OwnerDiedError); calls on its object fail with ManagerStateError, in flight too; notify() skips its wait', async () => {
    const lock = manager.Lock({ name: 'killed-held' });
    const cond = manager.Condition(undefined, { name: 'killed-cond' });
    const entered = manager.Value('i', 0, { name: 'killed-entered' });
    // one process for the three, since its start is most of what each costs: it holds the lock,
    // owns a Counter, and waits on the Condition (manager-redis-child.mjs, victim)
    const victim = child('victim', redis.url, NS, 'killed', COUNTER.href);
    expect(await victim.line).toBe('ready');
    await waiting(cond, entered, 1);
    expect(lock.acquire({ block: false })).toBe(false);
    const theirs = manager.dict('killed-objs').get('theirs') as Custom<Counter>;
    expect(theirs.increment()).toBe(101);
    expect(await theirs.incrementAsync(2)).toBe(103);
    const inFlight = rejection(theirs.laterAsync(60_000));
    // the live holder renews its lease (a second here, renewed every third of that): two leases later it still holds the lock
    expect(await rejection(lock.acquireAsync({ timeout: 2_000 }))).toBeInstanceOf(TimeoutError);
    victim.process.kill('SIGKILL');
    await victim.exit;

    const lockTakenOver = async () => {
      const error = await rejection(lock.acquireAsync({ timeout: 5_000 }));
      expect(error).toBeInstanceOf(OwnerDiedError);
      expect(error.message).toMatch(/^LockProxy\.acquire: the process that held this lock stopped renewing its lease/);
      // the taker holds it now, renews it (its lease is a second too), and releases it as usual
      expect(lock.locked()).toBe(true);
      expect(await rejection(lock.acquireAsync({ timeout: 2_000 }))).toBeInstanceOf(TimeoutError);
      lock.release();
      expect(lock.acquire({ block: false })).toBe(true);
      lock.release();
    };
    const objectGone = async () => {
      const error = await inFlight;
      expect(error).toBeInstanceOf(ManagerStateError);
      expect(error.message).toMatch(/^Counter\.call: the manager that created this Counter is gone/);
      expect(thrown(() => theirs.read())).toBeInstanceOf(ManagerStateError);
    };
    // a waiter killed in its wait takes no notify: once its lease ran out, notify() wakes the next live waiter
    const waitSkipped = () => use(1, async (agent) => {
      const live = agent.run('cond-wait', 'killed');
      await waiting(cond, entered, 2);
      // the killed waiter's lease (1 s, no longer renewed) runs out; the live one's is renewed
      await sleep(2_000);
      cond.acquire();
      cond.notify(1);
      cond.release();
      expect(await live.output).toBe('notified\n');
    });
    await Promise.all([lockTakenOver(), objectGone(), waitSkipped()]);
  }, 60_000);
});

describe.concurrent('two processes, one namespace', () => {
  it('two Node processes share a dict, a Queue and a Lock by name', () => use(2, async (a, b) => {
    const counts = manager.dict<string, number>('xproc-counts');
    const jobs = manager.Queue<string>(0, { name: 'xproc-jobs' });
    const n = 100;
    const runs = { a: a.run('work', 'xproc', 'a', String(n)), b: b.run('work', 'xproc', 'b', String(n)) };
    const got: string[] = [];
    for (let i = 0; i < 2 * n; i++) got.push(await jobs.getAsync({ timeout: 20_000 }));
    // each ended without an error
    expect(await runs.a.output).toBe('done\n');
    expect(await runs.b.output).toBe('done\n');
    // the lock made every read-modify-write exact, across processes
    expect(await counts.getAsync('n')).toBe(2 * n);
    // every item arrived once, each process's in its own order
    for (const tag of ['a', 'b']) expect(got.filter((s) => s.startsWith(`${tag}:`))).toEqual(Array.from({ length: n }, (_, i) => `${tag}:${i}`));
  }), 60_000);
});

describe.concurrent('registered types across processes', () => {
  it('the object lives in the process that created it; other processes call it through Redis', () => use(2, async (a, b) => {
    await manager.register('Counter', { module: COUNTER, export: 'Counter' });
    const counter = manager.create<Counter>('Counter', 5);
    manager.dict('custom-objs').set('counter', counter);
    const runs = [a.run('custom', 'custom', '50'), b.run('custom', 'custom', '50')];
    // each sees its proxy's typeid, the count after its own increments, and the error classes of a
    // hidden method and of the method's own failure
    for (const run of runs) expect(await run.output).toMatch(/^Counter (5[5-9]|[6-9]\d|10[0-5]) ArgumentError TypeError\n$/);
    expect(counter.read()).toBe(105);
    expect(thrown(() => counter.increment(1n as never))).toBeInstanceOf(TypeError);
    expect(await counter.incrementAsync(10)).toBe(115);
  }), 60_000);

  it('an owner that shuts down: calls on its objects fail at once', () => use(1, async (agent) => {
    const owner = agent.run('own', 'custom-shutdown', COUNTER.href, 'shutdown');
    expect(await owner.line).toBe('owned');
    const theirs = manager.dict('custom-shutdown-objs').get('theirs') as Custom<Counter>;
    expect(theirs.read()).toBe(100);
    agent.stop(owner);
    expect(await owner.output).toBe('owned\nshut down\n');
    expect(thrown(() => theirs.read())).toBeInstanceOf(ManagerStateError);
  }), 60_000);
});

describe.concurrent('Condition and Barrier across processes', () => {
  it('a Condition: notify() wakes the process that waited first, notifyAll() the other', () => use(2, async (a, b) => {
    const cond = manager.Condition(undefined, { name: 'xcond-cond' });
    const entered = manager.Value('i', 0, { name: 'xcond-entered' });
    const first = a.run('cond-wait', 'xcond');
    await waiting(cond, entered, 1);
    const second = b.run('cond-wait', 'xcond');
    await waiting(cond, entered, 2);
    cond.acquire();
    cond.notify();
    cond.release();
    expect(await first.output).toBe('notified\n');
    // one notify woke one waiter: the second still waits (it would have printed by now)
    await sleep(300);
    expect(second.lines).toEqual([]);
    expect(second.ended).toBe(false);
    await cond.acquireAsync();
    await cond.notifyAllAsync();
    await cond.releaseAsync();
    expect(await second.output).toBe('notified\n');
  }), 60_000);

  it('a party that died before it arrived leaves the others a broken barrier after its timeout, not a hang', async () => {
    const barrier = manager.Barrier(3, { name: 'xbarrier-dead-barrier', timeout: 1_000 });
    const third = child('barrier', redis.url, NS, 'xbarrier-dead', '3');
    third.process.kill('SIGKILL');
    await third.exit;
    await use(1, async (agent) => {
      const other = agent.run('barrier', 'xbarrier-dead', '3');
      expect(await rejection(barrier.waitAsync())).toBeInstanceOf(BrokenBarrierError);
      expect(barrier.broken).toBe(true);
      // the other process's two waits: broken by the timeout, then refused while broken
      expect((await other.output).trim().split('\n')).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
    });
  }, 60_000);

  it('a Barrier of three: two processes and this one pass it twice, with each arrival index once per generation', () => use(2, async (a, b) => {
    const barrier = manager.Barrier(3, { name: 'xbarrier-barrier' });
    const runs = [a.run('barrier', 'xbarrier', '3'), b.run('barrier', 'xbarrier', '3')];
    const mine = [await barrier.waitAsync(), await barrier.waitAsync()];
    const theirs = [(await runs[0]!.output).trim().split('\n').map(Number), (await runs[1]!.output).trim().split('\n').map(Number)];
    for (let generation = 0; generation < 2; generation++) {
      expect([mine[generation], theirs[0]![generation], theirs[1]![generation]].sort()).toEqual([0, 1, 2]);
    }
  }), 60_000);
});

describe.concurrent('proxies in worker threads', () => {
  it('a Redis-backed proxy passed to pool workers is live there, blocking calls and all', async () => {
    await using pool = new Pool(MODULE, { size: 2 });
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

describe.concurrent('values in Redis', () => {
  it('Value.add is one step and exact: doubles as JS adds them, bigints past 2^53, concurrent adds all count', async () => {
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
    await using other = await Manager.connect({ url: redis.url, namespace: NS });
    const n = manager.Value('i', 0, { name: 'values-n' });
    const m = other.Value('i', 0, { name: 'values-n' });
    await Promise.all([...Array.from({ length: 100 }, () => n.addAsync(1)), ...Array.from({ length: 100 }, () => m.addAsync(1))]);
    expect(n.value).toBe(200);
  });

  it('Array: elements as bytes, every typecode kind; out-of-range and unfitting values refused as embedded', async () => {
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

describe.concurrent('namespaces, start and connect, shutdown', () => {
  it('each namespace is its own: the same name in two namespaces is two objects', async () => {
    const one = manager;
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

describe.concurrent('failures', () => {
  it('Redis unreachable: ManagerConnectionError within the connect timeout', async () => {
    const port = await freePort();
    const error = await rejection(Manager.start({ url: `redis://127.0.0.1:${port}`, connectTimeout: 1_000 }));
    expect(error).toBeInstanceOf(ManagerConnectionError);
    expect(error.message).toMatch(new RegExp(`^Manager\\.start: cannot connect to Redis at redis://127\\.0\\.0\\.1:${port}`));
  });

  it('Redis killed mid-call: a ManagerConnectionError, not a hang; restarted: the proxies work again', async () => {
    const own = await startRedis();
    try {
      const faulty = await Manager.start({ url: own.url, namespace: 'fault', commandTimeout: 1_000 });
      const q = faulty.Queue<number>();
      const d = faulty.dict<string, number>();
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
      await faulty.shutdown();
    } finally {
      await own.stop();
    }
  }, 30_000);

  it('ACL user and password from the URL; a wrong password is a ManagerConnectionError', async () => {
    const acl = await startRedis(['--user', 'default', 'off', '--user', 'app', 'on', '>s3cret', '~*', '&*', '+@all']);
    try {
      const url = `redis://app:s3cret@127.0.0.1:${acl.port}`;
      await using first = await Manager.start({ url, namespace: 'acl' });
      first.dict('d').set('k', 'v');
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
