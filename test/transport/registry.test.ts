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
