import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { type RedisServer, startRedis } from '../../bench/harness/redis-server.js';
import { ArgumentError, Manager } from '../../src/index.js';
import { sharedSemantics } from '../support/manager-semantics.js';

/**
 * semantics.thread.test.ts against the Redis store: the same calls, the same answers and errors,
 * on a private redis-server (bench/harness/redis-server.ts).
 */

let redis: RedisServer;
let manager: Manager;
beforeAll(async () => {
  redis = await startRedis();
  manager = await Manager.start({ url: redis.url, namespace: 'semantics' });
});
afterAll(async () => {
  await manager?.shutdown();
  await redis?.stop();
});

describe('dict', () => {
  it('the async forms (straight to Redis from this thread) refuse the same values with the same errors', async () => {
    const d = manager.dict();
    expect((await rejection(d.setAsync({} as never, 1))).message).toMatch(/^DictProxy\.set: invalid argument 'key': expected a string, number/);
    const fn = await rejection(d.setAsync('f', () => 1));
    expect(fn).toBeInstanceOf(ArgumentError);
    expect(fn.message).toMatch(/^DictProxy\.set(Async)?: invalid argument: it cannot be copied into the manager/);
    expect(await rejection(manager.list().appendAsync(Symbol('s')))).toBeInstanceOf(ArgumentError);
    expect((await rejection(d.setAsync('s', { buffer: new SharedArrayBuffer(8) }))).message).toMatch(/argument 2\.buffer is a SharedArrayBuffer/);
  });
});

sharedSemantics(() => manager);
