/**
 * The manager suite's Redis cases (called from manager.ts): a Redis-backed Manager's dict set and
 * get, blocking and async, against a raw ioredis SET/GET round trip to the same redis-server, a
 * private one on a free loopback port started for the run (persistence off). The cases run in
 * turns (interleaved), so a background load weighs on all of them alike. The bar: the
 * Redis backend within 1.3x of a raw client round trip. A blocking call is also measured against
 * the raw way to block on a round trip: the raw client in another thread, woken and waited for
 * with Atomics (two thread hops that no blocking form on Node can avoid).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Manager } from 'shared-ndarray';
import type { SuiteContext } from '../harness/context.js';
import { INSTALL, importPeer } from '../harness/peers.js';
import { REDIS_SERVER, startRedis } from '../harness/redis-server.js';

const TARGET = 1.3;

interface RawClient {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  call(command: string, ...args: string[]): Promise<unknown>;
  disconnect(): void;
}

const RAW_SET = 'raw ioredis: await r.set(k, v)';
const RAW_GET = 'raw ioredis: await r.get(k)';
const RAW_BLOCKING = 'raw ioredis SET in another thread, this one blocked in Atomics.wait';
const ECHO = new URL('../support/redis-echo.worker.mjs', import.meta.url);
const CASES = [
  'Redis Manager: d.set(k, v) (blocking)', 'Redis Manager: d.get(k) (blocking)',
  'Redis Manager: await d.setAsync(k, v)', 'Redis Manager: await d.getAsync(k)',
] as const;

export async function redisCases(s: SuiteContext): Promise<void> {
  s.group('Redis-backed Manager vs a raw ioredis round trip, same server (time per call)');
  const ioredis = await importPeer<{ Redis: new (url: string) => RawClient }>('ioredis');
  const missing = REDIS_SERVER === undefined ? 'redis-server is not installed: apt-get install redis-server' : ioredis === undefined ? `ioredis is not installed: ${INSTALL.npm('ioredis')}` : undefined;
  if (missing !== undefined) {
    for (const name of [RAW_SET, RAW_GET, RAW_BLOCKING, ...CASES]) s.skip(name, missing, { peer: name.startsWith('raw') });
    return;
  }
  const server = await startRedis();
  const { url } = server;
  const raw = new ioredis!.Redis(url);
  let echo: Worker | undefined;
  try {
    s.peerVersion('redis-server', String(await raw.call('INFO', 'server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown');
    await using manager = await Manager.start({ url, namespace: 'bench' });
    // the floor for a blocking call: the round trip above, made by a thread that this one blocks on
    const words = new Int32Array(new SharedArrayBuffer(12));
    echo = new Worker(ECHO, { workerData: { words: words.buffer, url } });
    await once(echo, 'message');
    const blockOnRaw = (): void => {
      const before = Atomics.load(words, 1);
      Atomics.add(words, 0, 1);
      Atomics.notify(words, 0);
      Atomics.wait(words, 1, before);
    };
    const d = manager.dict<number, number>();
    let i = 0;
    await s.interleaved([
      { name: RAW_SET, fn: () => raw.set(`k${i++ % 100}`, String(i)), options: { peer: true } },
      { name: RAW_GET, fn: () => raw.get(`k${i++ % 100}`), options: { peer: true } },
      { name: RAW_BLOCKING, fn: async () => blockOnRaw(), options: { peer: true, vs: RAW_SET } },
      { name: CASES[0], fn: async () => d.set(i++ % 100, i), options: { vs: RAW_SET } },
      { name: CASES[1], fn: async () => d.get(i++ % 100), options: { vs: RAW_GET } },
      { name: CASES[2], fn: () => d.setAsync(i++ % 100, i), options: { vs: RAW_SET } },
      { name: CASES[3], fn: () => d.getAsync(i++ % 100), options: { vs: RAW_GET } },
    ], { batch: s.quick ? 200 : 1000, rounds: s.quick ? 5 : 15 });
    s.compare(`Redis d.set blocking / raw SET (target <= ${TARGET})`, CASES[0], RAW_SET, TARGET);
    s.compare(`Redis d.get blocking / raw GET (target <= ${TARGET})`, CASES[1], RAW_GET, TARGET);
    // a blocking call cannot make the round trip itself (no synchronous sockets in Node): the raw
    // way to block on one is this, and the bar applied to it says what the Manager adds
    s.compare(`Redis d.set blocking / the raw SET made by a thread it blocks on (target <= ${TARGET})`, CASES[0], RAW_BLOCKING, TARGET);
    s.compare(`Redis d.setAsync / raw SET (target <= ${TARGET})`, CASES[2], RAW_SET, TARGET);
    s.compare(`Redis d.getAsync / raw GET (target <= ${TARGET})`, CASES[3], RAW_GET, TARGET);
    s.note('Redis cases: a private redis-server on loopback; the blocking calls are made on the main thread (a worker blocks the same way); the raw client is ioredis on the main thread, and for the blocking floor on a worker thread that the main thread wakes and waits for (bench/support/redis-echo.worker.mjs).');
  } finally {
    await echo?.terminate();
    raw.disconnect();
    await server.stop();
  }
}
