import { afterEach, describe, expect, it } from 'vitest';
import { ValueError, zeros } from '../../src/index.js';
import { nativeAvailable } from '../../src/native/addon.js';
import { mappingCount } from '../../src/io/native.js';

/**
 * SHARED_NDARRAY_MADVISE_HUGEPAGE, numpy's NUMPY_MADVISE_HUGEPAGE: unset or 1, an array from
 * 16 MiB on is one huge-page mapping of the addon's; 0, a plain SharedArrayBuffer; anything else,
 * a ValueError naming the variable, not a silent choice.
 */
const NAME = 'SHARED_NDARRAY_MADVISE_HUGEPAGE';
const saved = process.env[NAME];
afterEach(() => {
  if (saved === undefined) delete process.env[NAME];
  else process.env[NAME] = saved;
});
const large = (): unknown => zeros([2 ** 22]); // 32 MiB of float64, never touched

/**
 * The mappings `make` adds, and what it made. A collection during the allocation can unmap other
 * files' garbage, which makes the count lower than the truth: it is made again, up to 5 times,
 * while the count is not `expected` (a wrong allocator is wrong every time).
 */
function newMappings<T>(make: () => T, expected: number): { count: number; made: T } {
  // every attempt is kept until the last is counted: one dropped would be garbage the next
  // allocation's collection unmaps
  const attempts: T[] = [];
  for (;;) {
    const before = mappingCount();
    attempts.push(make());
    const count = mappingCount() - before;
    if (count === expected || attempts.length === 5) return { count, made: attempts[attempts.length - 1]! };
  }
}

describe.runIf(nativeAvailable())(NAME, () => {
  it.each([[undefined, 1], ['1', 1], ['0', 0]])('%s: %i mappings per large array', (value, mappings) => {
    if (value === undefined) delete process.env[NAME];
    else process.env[NAME] = value;
    expect(newMappings(large, mappings).count).toBe(mappings);
  });

  it.each(['true', '', '2'])('%j: a ValueError naming the variable and what it takes', (value) => {
    process.env[NAME] = value;
    expect(large).toThrow(ValueError);
    expect(large).toThrow(`invalid environment variable ${NAME}: expected '0' (no huge pages) or '1', got ${JSON.stringify(value)}`);
    // a small array never asks
    expect(zeros([4]).size).toBe(4);
  });

  it('an array past 2 GiB in huge pages: one more mapping, zero-filled, its last element addressable', () => {
    delete process.env[NAME];
    const n = 2 ** 31 + 64;
    const { count, made: a } = newMappings(() => zeros([n], 'uint8'), 1); // only the pages written below are touched
    expect(count).toBe(1);
    a.set(n - 1, 9);
    expect([a.get(n - 1), a.get(2 ** 31), a.get(0)]).toEqual([9, 0, 0]);
  });
});
