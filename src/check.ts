/**
 * Formatting and validation shared by every public boundary, so messages read the same
 * everywhere: `fn: invalid argument 'name': expected X, got Y`. The error classes themselves are
 * in errors.ts.
 */
import { fileURLToPath } from 'node:url';
import { ArgumentError } from './errors.js';

/** A short, unambiguous rendering of any received value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(show).join(', ');
    return `[${items}${value.length > 8 ? ', ...' : ''}]`;
  }
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== 'Object' ? withArticle(ctor) : 'an object';
}

/** `a float64`, `an int32`, `an ArrayBuffer`. */
export function withArticle(word: string): string {
  return `${/^[aeio]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** Formats a shape the way numpy prints it: `(3,)`, `(2, 3)`, `()`. */
export function showShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Checks that `options` is undefined or a plain options object with only `allowed` keys, so a
 * misspelt option (`{ thread: 2 }`) is an error instead of silently ignored.
 */
export function checkOptionKeys(fn: string, name: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected an options object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ArgumentError(`${fn}: invalid argument '${name}': unknown option ${show(key)} (expected one of ${allowed.map((k) => `'${k}'`).join(', ')})`);
    }
  }
}

/** A whole number >= 1 (a size, a count, a chunk length). */
export function positiveInteger(fn: string, name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a positive integer, got ${show(value)}`);
  }
  return value as number;
}

/**
 * The path a file argument names: a non-empty string as it is, or a `file:` URL decoded by
 * `fileURLToPath` (percent-escapes and all), the one conversion every file-taking function uses.
 */
export function filePath(fn: string, name: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (value instanceof URL && value.protocol === 'file:') {
    try {
      return fileURLToPath(value);
    } catch (cause) {
      throw new ArgumentError(`${fn}: invalid argument '${name}': ${(cause as Error).message}`, { cause });
    }
  }
  throw new ArgumentError(`${fn}: invalid argument '${name}': expected a file path or a file: URL, got ${show(value)}`);
}
