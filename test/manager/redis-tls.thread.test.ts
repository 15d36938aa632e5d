import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../support/assert.js';
import { type RedisServer, startRedis } from '../../bench/harness/redis-server.js';
import { ArgumentError, Manager, ManagerConnectionError } from '../../src/index.js';
import { sharedSemantics } from '../support/manager-semantics.js';

/**
 * The Redis store over TLS: a private redis-server that serves only TLS and requires a client
 * certificate, with a throwaway CA made by openssl (bench/harness/redis-server.ts); the shared
 * semantics run over it, and the tls option's checks.
 */

let redis: RedisServer;
let manager: Manager;
beforeAll(async () => {
  redis = await startRedis([], { tls: true });
  manager = await Manager.start({ url: redis.url, namespace: 'tls', tls: redis.tls });
});
afterAll(async () => {
  await manager?.shutdown();
  await redis?.stop();
});

// these wait for managers to start (and connections to be refused): side by side
describe.concurrent('rediss:// with options.tls', () => {
  it('a second manager reaches the objects over TLS with Manager.connect, PEMs as Buffers or strings', async () => {
    manager.dict('results').set('k', 1);
    const tls = redis.tls!;
    await using other = await Manager.connect({ url: redis.url, namespace: 'tls', tls: { ca: Buffer.from(tls.ca), cert: Buffer.from(tls.cert), key: tls.key } });
    expect(await other.dict('results').getAsync('k')).toBe(1);
    expect(other.dict('results').get('k')).toBe(1);
  });

  it('without the CA, or without the client certificate the server requires, the connection is refused', async () => {
    const tls = redis.tls!;
    const [untrusted, anonymous, plain] = await Promise.all([
      rejection(Manager.start({ url: redis.url, connectTimeout: 2_000, tls: { cert: tls.cert, key: tls.key } })),
      rejection(Manager.start({ url: redis.url, connectTimeout: 2_000, tls: { ca: tls.ca } })),
      // plain text to a TLS port: no answer Redis understands
      rejection(Manager.start({ url: redis.url.replace('rediss:', 'redis:'), connectTimeout: 1_000 })),
    ]);
    expect(untrusted).toBeInstanceOf(ManagerConnectionError);
    expect(untrusted.message).toMatch(/^Manager\.start: cannot connect to Redis at rediss:\/\/127\.0\.0\.1:\d+/);
    expect(anonymous).toBeInstanceOf(ManagerConnectionError);
    expect(plain).toBeInstanceOf(ManagerConnectionError);
  });

  it('bad tls options are refused with the package messages', async () => {
    expect((await rejection(Manager.start({ url: 'redis://127.0.0.1:1', tls: { ca: 'x' } }))).message)
      .toBe(`Manager.start: invalid argument 'options.tls': TLS options need a rediss:// url, got "redis://127.0.0.1:1"`);
    expect((await rejection(Manager.start({ url: redis.url, tls: { ca: 5 as never } }))).message)
      .toBe("Manager.start: invalid argument 'options.tls.ca': expected a PEM certificate (a string or a Buffer) or an array of them, got 5");
    expect((await rejection(Manager.start({ url: redis.url, tls: { cert: 'x' } }))).message)
      .toBe("Manager.start: invalid argument 'options.tls': a client certificate needs both 'cert' and 'key', got only 'cert'");
    expect((await rejection(Manager.start({ url: redis.url, tls: { rejectUnauthorized: 'no' as never } }))).message)
      .toBe(`Manager.start: invalid argument 'options.tls.rejectUnauthorized': expected a boolean, got "no"`);
    expect(await rejection(Manager.connect({ url: redis.url, tls: { servername: 'x' } as never }))).toBeInstanceOf(ArgumentError);
    expect(await rejection(Manager.start({ url: redis.url, tls: 'yes' as never }))).toBeInstanceOf(ArgumentError);
  });
});

sharedSemantics(() => manager);
