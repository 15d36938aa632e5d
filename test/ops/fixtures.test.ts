/**
 * The elementwise operations against numpy's own answers, recorded in fixtures/ops/elementwise.json
 * by fixtures/ops/generate.py (numpy 1.24 with numpy 2's weak-scalar promotion turned on; see the
 * script for the few places computed the numpy-2 way). This test only reads the committed JSON.
 *
 * Every case: the operands rebuilt as numpy built them (views included: transposed, reversed,
 * stepped, broadcast), the operation called, then dtype, shape and values compared. Integers and
 * bools exactly; floats exactly for arithmetic, rounding, comparisons and selection (one IEEE
 * rounding on both sides), and within ULP_TOLERANCE units in the last place of the result dtype
 * for exp, log, log1p, expm1, sin, cos, tanh and power, where numpy's libm (and its float32 SIMD
 * loops) and V8's differ. Zeros must have numpy's sign (except which of 0 and -0 maximum, minimum
 * and clip pick from two equal zeros), NaN must be NaN.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as sn from '../../src/index.js';
import { array, DTypeError, ShapeError, type SharedNDArray, ValueError, zeros } from '../../src/index.js';
import type { DType, IndexSpec } from '../../src/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface ArraySpec { dtype: DType; shape: number[]; values: Json; view: null | { transpose: true } | { slice: Array<string | number> } }
type Arg = { array: ArraySpec } | { scalar: Json; type: 'int' | 'float' | 'bool' };
interface Case {
  id: number;
  op: string;
  args: Arg[];
  kwargs: { decimals?: number; out?: { dtype: DType; shape: number[] } };
  result: { dtype: DType; shape: number[]; values: Json } | { error: string; message: string };
  note?: string;
}

const FIXTURE = JSON.parse(readFileSync(new URL('../../fixtures/ops/elementwise.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Units in the last place allowed where libms differ (see the header). */
const ULP_TOLERANCE = 4;
const INEXACT = new Set(['exp', 'log', 'log1p', 'expm1', 'sin', 'cos', 'tanh', 'power']);

const BIG = new Set<DType>(['int64', 'uint64']);
/** Which of two equal zeros (0 and -0) maximum and minimum pick is numpy's SIMD loops' accident. */
const SIGNLESS_ZERO = new Set(['maximum', 'minimum', 'clip']);

function decode(v: Json, dtype: DType): number | bigint | boolean {
  if (typeof v === 'boolean') return v;
  if (BIG.has(dtype)) return BigInt(v as number | string);
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return typeof v === 'string' ? Number(v) : (v as number);
}

const decodeNested = (v: Json, dtype: DType): unknown => (Array.isArray(v) ? v.map((x) => decodeNested(x, dtype)) : decode(v, dtype));

function operand(arg: Arg): SharedNDArray | number | bigint | boolean {
  if ('scalar' in arg) {
    if (arg.type === 'bool') return arg.scalar as boolean;
    if (arg.type === 'int' && typeof arg.scalar === 'string') return BigInt(arg.scalar);
    return decode(arg.scalar, 'float64') as number;
  }
  const spec = arg.array;
  let a = array(decodeNested(spec.values, spec.dtype), spec.dtype);
  if (spec.shape.length === 0) a = a.reshape([]);
  if (spec.view && 'transpose' in spec.view) a = a.T;
  else if (spec.view) a = a.slice(...(spec.view.slice as IndexSpec[]));
  return a;
}

function call(c: Case): SharedNDArray {
  const args = c.args.map(operand);
  const options = c.kwargs.out ? { out: zeros(c.kwargs.out.shape, c.kwargs.out.dtype) } : {};
  const fns = sn as unknown as Record<string, (...a: unknown[]) => SharedNDArray>;
  if (c.op === 'round') return sn.round(args[0]!, { ...options, decimals: c.kwargs.decimals ?? 0 });
  return fns[c.op]!(...args, options);
}

/** Distance in units in the last place, in the precision of `dtype`. */
function ulps(a: number, b: number, dtype: DType): number {
  if (dtype === 'float32') {
    const i = new Int32Array(new Float32Array([a, b]).buffer);
    const key = (x: number): number => (x < 0 ? -2147483648 - x : x);
    return Math.abs(key(i[0]!) - key(i[1]!));
  }
  const i = new BigInt64Array(new Float64Array([a, b]).buffer);
  const key = (x: bigint): bigint => (x < 0n ? -(2n ** 63n) - x : x);
  const d = key(i[0]!) - key(i[1]!);
  return Number(d < 0n ? -d : d);
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

function errorClass(e: { error: string; message: string }): new (...a: never[]) => Error {
  if (e.error === 'OverflowError') return ValueError;
  if (e.error === 'ValueError') return /broadcast/.test(e.message) ? ShapeError : ValueError;
  return DTypeError;
}

describe('elementwise operations against numpy', () => {
  const byOp = new Map<string, Case[]>();
  for (const c of FIXTURE.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

  for (const [op, cases] of byOp) {
    it(`${op} (${cases.length} cases)`, () => {
      for (const c of cases) {
        const label = `case ${c.id}: ${op}(${c.args.map((a) => ('scalar' in a ? `${a.scalar} (${a.type})` : `${a.array.dtype}${JSON.stringify(a.array.shape)}${a.array.view ? JSON.stringify(a.array.view) : ''}`)).join(', ')})${c.kwargs.out ? ` out ${c.kwargs.out.dtype}` : ''}`;
        const want = c.result;
        if ('error' in want) {
          expect(() => call(c), label).toThrow(errorClass(want));
          continue;
        }
        const got = call(c);
        expect(got.dtype, label).toBe(want.dtype);
        expect(got.shape, label).toEqual(want.shape);
        const actual = flat(got.toArray());
        const expected = flat(decodeNested(want.values, want.dtype));
        expect(actual.length, label).toBe(expected.length);
        actual.forEach((x, k) => {
          const y = expected[k];
          const where = `${label} [${k}]: got ${String(x)}, numpy ${String(y)}`;
          if (typeof y !== 'number' || !(want.dtype === 'float32' || want.dtype === 'float64')) {
            expect(x, where).toBe(y);
            return;
          }
          const z = x as number;
          if (y === 0 && SIGNLESS_ZERO.has(op)) {
            expect(z === 0, where).toBe(true);
            return;
          }
          if (Number.isNaN(y) || y === 0 || !Number.isFinite(y) || !INEXACT.has(op)) {
            expect(Object.is(z, y) || (z === y && z !== 0), where).toBe(true);
            return;
          }
          expect(ulps(z, y, want.dtype), where).toBeLessThanOrEqual(ULP_TOLERANCE);
        });
      }
    });
  }
});
