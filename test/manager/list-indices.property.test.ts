import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { params } from '../support/assert.js';
import { IndexError } from '../../src/errors.js';
import { type Ctx, ListObject } from '../../src/manager/objects.js';

/**
 * The managed list's index and slice arithmetic against CPython's (Objects/sliceobject.c
 * PySlice_AdjustIndices, list.insert, list.pop, list.index's start and stop), written out here
 * from Python's definitions: every length, start, stop and step in a range around the list.
 */

const ctx = { caller: 'test', fn: 'ListProxy.test', defer: () => { throw new Error('no waits here'); } } as unknown as Ctx;
const list = (n: number) => new ListObject(ctx, Array.from({ length: n }, (_, i) => i));

/** `list(range(n))[start:stop:step]` as Python computes it. */
function pySlice(n: number, start: number | null, stop: number | null, step: number | null): number[] {
  const s = step ?? 1;
  const [lower, upper] = s > 0 ? [0, n] : [-1, n - 1];
  const adjust = (i: number | null, fallback: number): number => {
    if (i === null) return fallback;
    if (i < 0) return Math.max(i + n, lower);
    return Math.min(i, upper);
  };
  const from = adjust(start, s < 0 ? upper : lower), to = adjust(stop, s < 0 ? lower : upper);
  const out: number[] = [];
  for (let i = from; s > 0 ? i < to : i > to; i += s) out.push(i);
  return out;
}

const bound = fc.option(fc.integer({ min: -12, max: 12 }), { nil: null });

describe('ListObject indices as CPython computes them', () => {
  it('slice(start, stop, step) is l[start:stop:step]', () => {
    fc.assert(fc.property(fc.nat(8), bound, bound, fc.option(fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0), { nil: null }), (n, start, stop, step) => {
      expect(list(n).slice(ctx, start, stop, step)).toEqual(pySlice(n, start, stop, step));
    }), params(500));
  });

  it('get, set, delete and pop of an index take negatives from the end and raise IndexError outside', () => {
    fc.assert(fc.property(fc.nat(8), fc.integer({ min: -12, max: 12 }), (n, i) => {
      const inside = i >= -n && i < n;
      const at = i < 0 ? i + n : i;
      if (inside) {
        expect(list(n).get(ctx, i)).toBe(at);
        const l = list(n);
        l.set(ctx, i, 'x');
        expect(l.items[at]).toBe('x');
        const d = list(n);
        d.delete(ctx, i);
        expect(d.items).toEqual(pySlice(n, null, null, null).filter((x) => x !== at));
        expect(list(n).pop(ctx, i)).toBe(at);
      } else {
        expect(() => list(n).get(ctx, i)).toThrow(IndexError);
        expect(() => list(n).set(ctx, i, 0)).toThrow(IndexError);
        expect(() => list(n).delete(ctx, i)).toThrow(IndexError);
        expect(() => list(n).pop(ctx, i)).toThrow(IndexError);
      }
    }), params(300));
  });

  it('insert clamps its index; index(x, start, stop) searches l[start:stop]', () => {
    fc.assert(fc.property(fc.nat(8), fc.integer({ min: -12, max: 12 }), bound, bound, (n, i, start, stop) => {
      const l = list(n);
      l.insert(ctx, i, 'x');
      const where = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
      expect(l.items.indexOf('x')).toBe(where);
      const window = pySlice(n, start, stop, 1);
      for (const x of [0, n - 1]) {
        if (n === 0) continue;
        if (window.includes(x)) expect(list(n).index(ctx, x, start ?? undefined, stop ?? undefined)).toBe(x);
        else expect(() => list(n).index(ctx, x, start ?? undefined, stop ?? undefined)).toThrow(/is not in the list/);
      }
    }), params(300));
  });

  it('imul(n) repeats in place; n <= 0 empties', () => {
    fc.assert(fc.property(fc.nat(5), fc.integer({ min: -2, max: 4 }), (len, times) => {
      const l = list(len);
      l.imul(ctx, times);
      expect(l.items).toEqual(Array.from({ length: Math.max(0, times) }, () => pySlice(len, null, null, null)).flat());
    }), params(100));
  });
});
