import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/manager/codec.js';

/** The manager's message codec: JSON for what JSON carries exactly, v8's format for the rest. */
/** [1, <hole>, 3]: JSON would turn the hole into null. */
function sparse(): unknown[] {
  const array: unknown[] = [1];
  array[2] = 3;
  return array;
}

describe('manager message codec', () => {
  const roundTrip = (message: unknown[]): unknown[] => decodeMessage(encodeMessage(message));

  it('plain JSON values go as JSON (first byte 1), and come back equal', () => {
    const message = ['1', 'set', '7', 'k', { a: [1, 'two', true, null], 'é\ud800': 'x' }];
    expect(encodeMessage(message)[0]).toBe(1);
    expect(roundTrip(message)).toEqual(message);
  });

  it('top-level undefined items stay undefined, and the array keeps its length, in JSON', () => {
    const message = [0, undefined, 'x', undefined];
    expect(encodeMessage(message)[0]).toBe(1);
    const back = roundTrip(message);
    expect(back).toHaveLength(4);
    expect(back).toEqual(message);
    expect(1 in back && back[1] === undefined).toBe(true);
  });

  it('what JSON would change goes in v8 format (first byte 2), and comes back as it was', () => {
    const cases: unknown[] = [
      -0, NaN, Infinity, 10n, new Map([[1, 'a']]), new Set([1]), new Date(0), new Float64Array([1.5]),
      { nested: undefined }, [undefined], sparse(), Object.create(null), /re/g,
    ];
    cases.forEach((value, i) => {
      const message = [0, value];
      expect(encodeMessage(message)[0], `case ${i}`).toBe(2);
      expect(roundTrip(message), `case ${i}`).toEqual(message);
    });
    expect(Object.is(roundTrip([-0])[0], -0)).toBe(true);
  });

  it('what structured clone cannot copy throws', () => {
    expect(() => encodeMessage([0, () => 1])).toThrow();
    expect(() => encodeMessage([0, Symbol('s')])).toThrow();
  });
});
