/** Argument parsers for commander: each throws commander's InvalidArgumentError with a precise message. */
import { InvalidArgumentError } from 'commander';

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
