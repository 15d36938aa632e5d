/**
 * The Redis store's options, checked once on the caller's side (Manager.start/connect) and sent
 * to the manager's thread as plain data.
 *
 * @internal
 */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { checkRedisUrl } from '../redis/url.js';

export interface RedisOptions {
  /** `redis://[user:password@]host:port/db`, or `rediss://…` for TLS. */
  url: string;
  /** The prefix of every key this manager reads and writes; default `'shared-ndarray'`. */
  namespace?: string;
  /** How long a Lock taken through this manager stays held after its process stops renewing it, in ms; default 10 000. */
  lease?: number;
  /** How long to wait for Redis to accept the connection, in ms; default 5 000. */
  connectTimeout?: number;
  /** How long to wait for Redis to answer a call (a blocking call's own wait apart), in ms; default 5 000. */
  commandTimeout?: number;
}

/** What the manager's thread gets. */
export interface RedisConfig {
  readonly url: string;
  readonly namespace: string;
  readonly lease: number;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
  /** 'start' claims the namespace; 'connect' needs one that a start claimed. */
  readonly mode: 'start' | 'connect';
}

export const REDIS_OPTION_KEYS = ['url', 'namespace', 'lease', 'connectTimeout', 'commandTimeout'] as const;

function checkMs(fn: string, name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > 2 ** 31 - 1) {
    throw new ArgumentError(`${fn}: invalid argument 'options.${name}': expected a number of milliseconds from ${min} to ${2 ** 31 - 1}, got ${show(value)}`);
  }
  return value;
}

/** @throws {ArgumentError} when an option is invalid */
export function redisConfig(fn: string, options: RedisOptions, mode: 'start' | 'connect'): RedisConfig {
  checkOptionKeys(fn, 'options', options, REDIS_OPTION_KEYS);
  const { url, namespace = 'shared-ndarray' } = options;
  checkRedisUrl(fn, 'options.url', url);
  if (typeof namespace !== 'string' || namespace === '' || /[\s*?[\]]/.test(namespace)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.namespace': expected a non-empty string without spaces or glob characters (* ? [ ]), got ${show(namespace)}`);
  }
  return {
    url,
    namespace,
    lease: checkMs(fn, 'lease', options.lease, 100, 10_000),
    connectTimeout: checkMs(fn, 'connectTimeout', options.connectTimeout, 1, 5_000),
    commandTimeout: checkMs(fn, 'commandTimeout', options.commandTimeout, 1, 5_000),
    mode,
  };
}
