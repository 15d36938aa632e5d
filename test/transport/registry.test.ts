import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lock, SharedNDArray, fromDescriptors, toDescriptors, zeros } from '../../src/index.js';

/**
 * encode/decode take a short path for the usual call arguments and results (a shared object, or
 * a short list of primitives and distinct shared objects) and the walk for everything else: both
 * must give what a structured-clone round trip of the walk gives, repeated references included.
 */
const crossed = (value: unknown): unknown => fromDescriptors(structuredClone(toDescriptors(value)));

/** Whether two arrays view the same memory (structured clone gives a new SharedArrayBuffer object over it). */
let mark = 0;
function sameMemory(p: unknown, q: SharedNDArray): boolean {
  if (!(p instanceof SharedNDArray)) return false;
  q.data[0] = ++mark;
  return p.data[0] === mark;
}

describe('transport encode/decode', () => {
  const a = zeros([3], 'int32').fill(7);
  const b = zeros([2, 2]);
  const lock = new Lock();
  const shared = [a, b, lock] as const;

  it('rebuilds each shared object over the same memory, a repeated one as one object', () => {
    fc.assert(fc.property(
      // each element: one of the shared objects (by index) or a primitive
      fc.array(fc.oneof(fc.record({ shared: fc.constantFrom(0, 1, 2) }), fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant(undefined))), { maxLength: 6 }),
      (picks) => {
        const input = picks.map((p) => (typeof p === 'object' && p !== null ? shared[p.shared] : p));
        const out = crossed(input) as unknown[];
        expect(out).toHaveLength(input.length);
        for (let i = 0; i < input.length; i++) {
          const x = input[i];
          if (x instanceof SharedNDArray) {
            expect(out[i]).toBeInstanceOf(SharedNDArray);
            expect(sameMemory(out[i], x)).toBe(true);
            expect((out[i] as SharedNDArray).shape).toEqual(x.shape);
          } else if (x instanceof Lock) expect(out[i]).toBeInstanceOf(Lock);
          else expect(out[i]).toBe(x);
          for (let j = 0; j < input.length; j++) {
            if (typeof x === 'object' && x !== null) expect(out[i] === out[j]).toBe(x === input[j]);
          }
        }
      },
    ));
  });

  it('carries a lone shared object, and shared objects nested in containers', () => {
    expect(sameMemory(crossed(a), a)).toBe(true);
    const nested = crossed({ x: [a, new Map([['k', b]])], y: new Set([lock]) }) as { x: [SharedNDArray, Map<string, SharedNDArray>]; y: Set<Lock> };
    expect(sameMemory(nested.x[0], a)).toBe(true);
    expect(sameMemory(nested.x[1].get('k'), b)).toBe(true);
    expect([...nested.y][0]).toBeInstanceOf(Lock);
    const many = crossed([1, a, 2, b, 3, a]) as unknown[];
    expect(many[1]).toBe(many[5]);
    expect(crossed([1, 'x', null])).toEqual([1, 'x', null]);
    expect(crossed([{ plain: 1 }, a])).toEqual([{ plain: 1 }, expect.any(SharedNDArray)]);
  });
});

describe('the wire form of an encoded value', () => {
  const TAG = '__sharedNdarrayTransport';

  it('carries a value\'s own arrays that look encoded as the data they are, repeated references too', () => {
    const lookalike = [TAG, 'ndarray', ['float64', 1, 0, 0]];
    expect(crossed(lookalike)).toEqual(lookalike);
    expect(crossed([lookalike, 1])).toEqual([lookalike, 1]);
    expect(crossed({ x: [TAG], y: [[TAG, '', []]] })).toEqual({ x: [TAG], y: [[TAG, '', []]] });
    const a = zeros([2]);
    const inner = [TAG, a];
    const out = crossed([inner, inner, { again: inner }]) as [unknown[], unknown[], { again: unknown[] }];
    expect(out[0]).toBe(out[1]);
    expect(out[2].again).toBe(out[0]);
    expect(out[0][0]).toBe(TAG);
    expect(sameMemory(out[0][1], a)).toBe(true);
    // an array that holds itself
    const cycle: unknown[] = [TAG];
    cycle.push(cycle);
    const back = crossed(cycle) as unknown[];
    expect(back[0]).toBe(TAG);
    expect(back[1]).toBe(back);
  });

  it('refuses a malformed encoded value with an ArgumentError naming what it expected', () => {
    for (const bad of [[TAG], [TAG, 1, 2], [TAG, 'error', 1, 2], [TAG, '', 5], [TAG, '', [], 1]]) {
      expect(() => fromDescriptors(bad)).toThrow(/decode: invalid encoded value/);
    }
  });

  it('carries an array spliced into its encoded value, [tag, \'ndarray\', dtype, buffer, ...]', () => {
    const a = zeros([2, 3], 'int16');
    const encoded = toDescriptors(a) as unknown[];
    expect(encoded).toEqual([TAG, 'ndarray', 'int16', a.buffer, 0, 0, 2, 3, 3, 1]);
    expect(sameMemory(fromDescriptors(structuredClone(encoded)), a)).toBe(true);
  });

  it('checks a packed array as fromDescriptor checks a descriptor', () => {
    const buffer = new SharedArrayBuffer(16);
    const cases: Array<[unknown[], RegExp]> = [
      [['float64', buffer, 0, 0, 3, 1], /reaches elements 0\.\.2, outside the buffer's 2 elements/],
      [['float64', new ArrayBuffer(16), 0, 0, 2, 1], /expected a SharedArrayBuffer/],
      [['nope', buffer, 0, 0, 2, 1], /descriptor\.dtype/],
      [['float64', buffer, -1, 0, 2, 1], /descriptor\.offset/],
      [['float64', buffer, 0, 2, 2, 1], /readonly 0 or 1/],
      [['float64', buffer, 0, 0, 2], /expected \[dtype, buffer, offset, readonly/],
      [['float64', buffer, 0, 0, 2.5, 1], /descriptor\.shape/],
    ];
    for (const [packed, message] of cases) expect(() => fromDescriptors([TAG, 'ndarray', ...packed])).toThrow(message);
    expect(() => fromDescriptors([TAG, 'ndarray', 1, 2])).toThrow(/expected \[dtype, buffer, offset, readonly/);
    const ok = fromDescriptors([TAG, 'ndarray', 'float64', buffer, 1, 1, 1, 1]) as SharedNDArray;
    expect([ok.shape, ok.offset, ok.writeable]).toEqual([[1], 1, false]);
  });
});
