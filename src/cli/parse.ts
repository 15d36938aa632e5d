/** Argument parsers for commander: each throws commander's InvalidArgumentError with a precise message. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { checkRedisUrl } from '../redis/url.js';

/** Digits with single underscores between them, an optional fraction, an optional exponent. */
const DECIMAL = /^(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e\+?\d+)?$/i;

/** A non-negative safe integer written as `1000000`, `1_000_000`, `1e6` or `2.5e9`. */
export function parseCount(text: string): number {
  const value = DECIMAL.test(text) ? Number(text.replace(/_/g, '')) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`expected a whole number >= 0 such as 1000000, 1_000_000 or 1e6 (at most 2^53 - 1), got '${text}'.`);
  }
  return value;
}

/** A positive integer, e.g. a thread count. */
export function parsePositive(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`expected a positive whole number, got '${text}'.`);
  }
  return value;
}

/** A `redis://` or `rediss://` URL. */
export function parseRedisUrl(text: string): string {
  try {
    return checkRedisUrl('', '', text);
  } catch {
    throw new InvalidArgumentError(`expected redis://[user:password@]host[:port][/db] (or rediss:// for TLS), got '${text}'.`);
  }
}

/** A queue name or key prefix: no spaces, ':' or glob characters. */
export function parseName(text: string): string {
  if (!/^[^\s:*?[\]]+$/.test(text)) throw new InvalidArgumentError(`expected a name without spaces, ':' or glob characters (* ? [ ]), got '${text}'.`);
  return text;
}

/** An existing file, as an absolute path. */
export function parseFile(text: string): string {
  const path = resolve(text);
  if (!existsSync(path)) throw new InvalidArgumentError(`no such file: '${path}'.`);
  return path;
}
