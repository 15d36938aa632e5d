import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, toBytes } from '../../src/manager/codec.js';

/** The manager's message codec: JSON text for what JSON carries exactly, v8's format for the rest. */
/** [1, <hole>, 3]: JSON would turn the hole into null. */
function sparse(): unknown[] {
  const array: unknown[] = [1];
  array[2] = 3;
  return array;
}

describe('manager message codec', () => {
  const roundTrip = (message: unknown[]): unknown[] => decodeMessage(toBytes(encodeMessage(message)));

  it('plain JSON values go as JSON text, and come back equal', () => {
    const message = ['1', 'set', '7', 'k', { a: [1, 'two', true, null], 'é\ud800': 'x' }];
    expect(typeof encodeMessage(message)).toBe('string');
    expect(roundTrip(message)).toEqual(message);
  });

  it('top-level undefined, infinities, NaN and -0 stay what they were, and the array keeps its length, in JSON', () => {
    const message = [0, undefined, 'x', Infinity, -Infinity, NaN, -0, undefined, 12, undefined, 1e21];
    expect(typeof encodeMessage(message)).toBe('string');
    const back = roundTrip(message);
    expect(back).toHaveLength(message.length);
    expect(back).toEqual(message);
    expect(Object.is(back[6], -0)).toBe(true);
    expect(1 in back && back[1] === undefined).toBe(true);
  });

  it('what JSON would change inside a value goes in v8 format, and comes back as it was', () => {
    const cases: unknown[] = [
      10n, new Map([[1, 'a']]), new Set([1]), new Date(0), new Float64Array([1.5]),
      { nested: undefined }, [undefined], [NaN], { x: Infinity }, [-0], sparse(), Object.create(null), /re/g,
    ];
    cases.forEach((value, i) => {
      const message = [0, value];
      expect(encodeMessage(message), `case ${i}`).toBeInstanceOf(Uint8Array);
      expect(roundTrip(message), `case ${i}`).toEqual(message);
    });
    expect(Object.is((roundTrip([0, [-0]])[1] as number[])[0], -0)).toBe(true);
  });

  it('any message of structured-clone values comes back equal, whichever format it takes', () => {
    const value = fc.oneof(fc.jsonValue(), fc.double(), fc.constant(undefined), fc.bigInt(), fc.array(fc.oneof(fc.double(), fc.constant(undefined))));
    fc.assert(fc.property(fc.array(value, { maxLength: 8 }), (message) => {
      const back = roundTrip(message);
      expect(back).toHaveLength(message.length);
      // toEqual compares primitives with Object.is: NaN equals NaN, -0 does not equal 0
      expect(back).toEqual(message);
    }));
  });

  it('what structured clone cannot copy throws', () => {
    expect(() => encodeMessage([0, () => 1])).toThrow();
    expect(() => encodeMessage([0, Symbol('s')])).toThrow();
  });
});
