/**
 * What every Redis user of the package (the Manager's store, the cluster) checks of a Redis URL.
 * The client itself (ioredis) is an optional peer dependency, loaded by each user on first use.
 *
 * @internal
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

/**
 * @throws {ArgumentError} when `url` is not a `redis://` or `rediss://` URL with a host and an optional numeric db
 */
export function checkRedisUrl(fn: string, name: string, url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '' || !/^\/?\d*$/.test(parsed.pathname)) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected 'redis://[user:password@]host[:port][/db]' (or rediss:// for TLS), got ${show(url)}`);
  }
  return url as string;
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.href;
}
