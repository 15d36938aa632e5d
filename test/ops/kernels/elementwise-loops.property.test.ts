/**
 * The generated elementwise loops' contiguous paths: four elements a step with one index shared by
 * `out` and every operand when they all start at the same index (same-shaped C arrays), or an
 * index per operand otherwise, then a tail of fewer than four. Each must give the plain
 * element-by-element answer for runs of any length, at equal and at unequal offsets, for one, two
 * and three operands, in the float, int32 and bigint domains; and write nothing outside the run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DType } from '../../../src/index.js';
import { loopFor, type OpName } from '../../../src/ops/kernels/elementwise.js';

const params = { seed: 0x10_0b5_2026, numRuns: 200 };

interface Case { op: OpName; dtype: DType; plain: (...v: never[]) => number | bigint }
const CASES: Case[] = [
  { op: 'add', dtype: 'float64', plain: (x: number, y: number) => x + y },
  { op: 'multiply', dtype: 'float64', plain: (x: number, y: number) => x * y },
  { op: 'negative', dtype: 'float64', plain: (x: number) => -x },
  { op: 'where', dtype: 'float64', plain: (c: number, y: number, z: number) => (c !== 0 ? y : z) },
  { op: 'multiply', dtype: 'int32', plain: (x: number, y: number) => Math.imul(x, y) },
  { op: 'subtract', dtype: 'int64', plain: (x: bigint, y: bigint) => BigInt.asIntN(64, x - y) },
];

const ARITY: Partial<Record<OpName, number>> = { negative: 1, where: 3 };

function filled(dtype: DType, length: number, seed: number): Float64Array | Int32Array | BigInt64Array {
  let state = seed >>> 0;
  const next = (): number => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state; };
  if (dtype === 'int64') return BigInt64Array.from({ length }, () => BigInt(next() - 2 ** 31) * 3n);
  if (dtype === 'int32') return Int32Array.from({ length }, () => next() | 0);
  return Float64Array.from({ length }, () => (next() % 7 === 0 ? 0 : (next() / 2 ** 32 - 0.5) * 1e3));
}

describe('generated elementwise loops, contiguous', () => {
  it('give the plain answer at equal and unequal offsets, any length', () => {
    fc.assert(fc.property(
      fc.constantFrom(...CASES), fc.integer({ min: 0, max: 41 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }), fc.integer(),
      ({ op, dtype, plain }, n, equal, offsets, seed) => {
        const arity = ARITY[op] ?? 2;
        const at = (k: number): number => (equal ? offsets[0]! : offsets[k]!);
        const operands = Array.from({ length: arity }, (_, k) => filled(dtype, n + 6, seed + k));
        const out = filled(dtype, n + 6, seed + 9);
        const before = out.slice();
        const loop = loopFor(op, operands.map(() => dtype), dtype, dtype);
        loop(n, 0, out, at(0), 1, ...operands.flatMap((a, k) => [a, at(k + 1), 1]));
        const expected = before.slice() as typeof before;
        for (let j = 0; j < n; j++) {
          (expected as unknown as Array<number | bigint>)[at(0) + j] = (plain as (...v: Array<number | bigint>) => number | bigint)(...operands.map((a, k) => a[at(k + 1) + j]!));
        }
        expect([...out]).toEqual([...expected]);
      },
    ), params);
  });
});
