import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

/**
 * Splits the integers of `[lo, hi)` into `parts` consecutive half-open ranges that cover each
 * integer exactly once; sizes differ by at most one, larger ranges first. (The reference
 * article's `divide_range` uses a truncated step and can drop or add a tail range.) When
 * `parts > hi - lo` the last ranges are empty, so the result always has `parts` entries.
 * @throws {ArgumentError} when `lo`, `hi` or `parts` is invalid (safe integers, lo <= hi, parts >= 1)
 */
export function divideRange(lo: number, hi: number, parts: number): Array<[start: number, stop: number]> {
  const fn = 'divideRange';
  if (!Number.isSafeInteger(lo)) throw new ArgumentError(`${fn}: invalid argument 'lo': expected a safe integer, got ${show(lo)}`);
  if (!Number.isSafeInteger(hi)) throw new ArgumentError(`${fn}: invalid argument 'hi': expected a safe integer, got ${show(hi)}`);
  if (hi < lo) throw new ArgumentError(`${fn}: invalid argument 'hi': expected hi >= lo (${lo}), got ${hi}`);
  if (!Number.isSafeInteger(hi - lo)) throw new ArgumentError(`${fn}: invalid arguments 'lo', 'hi': the range length ${hi} - ${lo} is not a safe integer`);
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw new ArgumentError(`${fn}: invalid argument 'parts': expected a positive integer, got ${show(parts)}`);
  }
  const length = hi - lo;
  const base = Math.floor(length / parts);
  const extra = length % parts;
  const ranges: Array<[number, number]> = [];
  let start = lo;
  for (let i = 0; i < parts; i++) {
    const stop = start + base + (i < extra ? 1 : 0);
    ranges.push([start, stop]);
    start = stop;
  }
  return ranges;
}
