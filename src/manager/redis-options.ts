/**
 * The Redis store's options, checked once on the caller's side (Manager.start/connect) and sent
 * to the manager's thread as plain data.
 *
 * @internal
 */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { checkRedisUrl, safeUrl } from '../redis/url.js';

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
  /**
   * TLS for a `rediss://` url (Node's `tls.connect` options of the same names): `ca`, the PEM of
   * the certificate authority that signed the server's certificate when it is not one Node trusts;
   * `cert` and `key`, a client certificate when the server asks for one; `rejectUnauthorized`
   * (default true), false only to skip the server's certificate check.
   */
  tls?: RedisTlsOptions;
}

export interface RedisTlsOptions {
  ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
  rejectUnauthorized?: boolean;
}

/** What the manager's thread gets. */
export interface RedisConfig {
  readonly url: string;
  readonly namespace: string;
  readonly lease: number;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
  readonly tls: RedisTlsOptions | undefined;
  /** 'start' claims the namespace; 'connect' needs one that a start claimed. */
  readonly mode: 'start' | 'connect';
}

export const REDIS_OPTION_KEYS = ['url', 'namespace', 'lease', 'connectTimeout', 'commandTimeout', 'tls'] as const;

function checkMs(fn: string, name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > 2 ** 31 - 1) {
    throw new ArgumentError(`${fn}: invalid argument 'options.${name}': expected a number of milliseconds from ${min} to ${2 ** 31 - 1}, got ${show(value)}`);
  }
  return value;
}

function isPem(value: unknown): value is string | Uint8Array {
  return (typeof value === 'string' && value !== '') || (value instanceof Uint8Array && value.length > 0);
}

/** `options.tls`, checked, as plain data for the manager's thread (strings and Uint8Arrays copy as they are). */
function checkTls(fn: string, url: string, tls: unknown): RedisTlsOptions | undefined {
  if (tls === undefined) return undefined;
  if (typeof tls !== 'object' || tls === null || Array.isArray(tls)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.tls': expected { ca?, cert?, key?, rejectUnauthorized? }, got ${show(tls)}`);
  }
  checkOptionKeys(fn, 'options.tls', tls, ['ca', 'cert', 'key', 'rejectUnauthorized']);
  if (!url.toLowerCase().startsWith('rediss://')) {
    throw new ArgumentError(`${fn}: invalid argument 'options.tls': TLS options need a rediss:// url, got ${show(safeUrl(url))}`);
  }
  const { ca, cert, key, rejectUnauthorized } = tls as RedisTlsOptions;
  if (ca !== undefined && !(isPem(ca) || (Array.isArray(ca) && ca.length > 0 && ca.every(isPem)))) {
    throw new ArgumentError(`${fn}: invalid argument 'options.tls.ca': expected a PEM certificate (a string or a Buffer) or an array of them, got ${show(ca)}`);
  }
  for (const [name, value] of [['cert', cert], ['key', key]] as const) {
    if (value !== undefined && !isPem(value)) throw new ArgumentError(`${fn}: invalid argument 'options.tls.${name}': expected a PEM ${name === 'key' ? 'private key' : 'certificate'} (a string or a Buffer), got ${show(value)}`);
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new ArgumentError(`${fn}: invalid argument 'options.tls': a client certificate needs both 'cert' and 'key', got only '${cert === undefined ? 'key' : 'cert'}'`);
  }
  if (rejectUnauthorized !== undefined && typeof rejectUnauthorized !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'options.tls.rejectUnauthorized': expected a boolean, got ${show(rejectUnauthorized)}`);
  }
  const plain = (v: string | Uint8Array) => (typeof v === 'string' ? v : new Uint8Array(v));
  return {
    ...(ca === undefined ? {} : { ca: Array.isArray(ca) ? ca.map(plain) : plain(ca as string | Uint8Array) }),
    ...(cert === undefined ? {} : { cert: plain(cert) }),
    ...(key === undefined ? {} : { key: plain(key) }),
    ...(rejectUnauthorized === undefined ? {} : { rejectUnauthorized }),
  };
}

/** @throws {ArgumentError} when an option is invalid */
export function redisConfig(fn: string, options: RedisOptions, mode: 'start' | 'connect'): RedisConfig {
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
    tls: checkTls(fn, url, options.tls),
    mode,
  };
}
