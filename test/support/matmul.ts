/**
 * What the matmul tests share: numpy's fixtures (fixtures/ops/matmul.json), the operands they
 * describe, a plain model of numpy's matmul rules, and the tolerance check.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { DTypeError, ShapeError } from '../../src/errors.js';
import { array, zeros } from '../../src/ndarray/create.js';
import type { SharedNDArray } from '../../src/ndarray/ndarray.js';
import { dot, matmul } from '../../src/ops/index.js';

export interface OperandSpec { n: number; dtype: 'float32' | 'float64'; shape: number[]; ops: Array<{ op: 'transpose'; axes: number[] | null } | { op: 'slice'; index: Array<string | number> }> }
export type Nested = number | Nested[];
export interface Case {
  id: string;
  fn: 'matmul' | 'dot';
  a: OperandSpec;
  b: OperandSpec;
  out?: { shape: number[]; dtype: 'float32' | 'float64' | 'int32' };
  result: { shape: number[]; dtype: string; values: Nested } | { error: string; message: string };
}

export const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/ops/matmul.json', import.meta.url), 'utf8')) as { cases: Case[] };
const UNIT_ROUNDOFF = { float64: 2 ** -53, float32: 2 ** -24 } as const;

export function build(spec: OperandSpec): SharedNDArray {
  const values = Array.from({ length: spec.n }, (_, i) => ((i * 7919) % 1000) / 997 - 0.5);
  let x: SharedNDArray = array(values, spec.dtype).reshape(spec.shape);
  for (const op of spec.ops) x = op.op === 'transpose' ? (op.axes ? x.transpose(op.axes) : x.transpose()) : x.slice(...op.index);
  return x;
}

export const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

/**
 * The model: numpy's matmul rules written out plainly over nested values. Returns the result's
 * shape, its values and |A|·|B| (both flat, C order), k, and the values summed in float64.
 */
export function model(a: SharedNDArray, b: SharedNDArray): { shape: number[]; values: number[]; magnitude: number[]; k: number } {
  const aShape = a.ndim === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.ndim === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const nb = Math.max(aBatch.length, bBatch.length);
  const batch = Array.from({ length: nb }, (_, d) => Math.max(aBatch[d - (nb - aBatch.length)] ?? 1, bBatch[d - (nb - bBatch.length)] ?? 1));
  const [m, k] = aShape.slice(-2) as [number, number];
  const n = bShape[bShape.length - 1]!;
  const pick = (own: number[], idx: number[]) => idx.slice(nb - own.length).map((v, d) => (own[d] === 1 ? 0 : v));
  const values: number[] = [], magnitude: number[] = [];
  // the operands' values read once (a get() per multiply-add was most of the matmul tests' time)
  const aValues = a.toArray() as Nested, bValues = b.toArray() as Nested;
  const total = batch.reduce((x, y) => x * y, 1);
  for (let q = 0; q < total; q++) {
    const idx: number[] = [];
    for (let d = nb - 1, r = q; d >= 0; d--) { idx.unshift(r % batch[d]!); r = Math.floor(r / batch[d]!); }
    // this batch's matrices as nested rows (a vector as one row of A, or one column of B)
    const am = (a.ndim === 1 ? [aValues] : pick(aBatch, idx).reduce((v, i) => (v as Nested[])[i]!, aValues)) as number[][];
    const bm = (b.ndim === 1 ? (bValues as number[]).map((v) => [v]) : pick(bBatch, idx).reduce((v, i) => (v as Nested[])[i]!, bValues)) as number[][];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, t = 0;
        for (let p = 0; p < k; p++) {
          const x = am[i]![p]!;
          const y = bm[p]![j]!;
          s += x * y;
          t += Math.abs(x * y);
        }
        values.push(s);
        magnitude.push(t);
      }
    }
  }
  return { shape: [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])], values, magnitude, k };
}

export function expectClose(got: number[], want: number[], magnitude: number[], k: number, dtype: 'float32' | 'float64', factor: number, id: string): void {
  expect(got.length).toBe(want.length);
  const u = UNIT_ROUNDOFF[dtype];
  for (let i = 0; i < got.length; i++) {
    const bound = factor * (k + 2) * u * magnitude[i]! + Number.MIN_VALUE;
    if (!(Math.abs(got[i]! - want[i]!) <= bound)) expect.fail(`${id}: element ${i}: got ${got[i]}, expected ${want[i]} within ${bound}`);
  }
}

export const valuesOf = (r: SharedNDArray | number): number[] => (typeof r === 'number' ? [r] : flat(r.toArray() as Nested));

/** Elements' multiply-adds of a fixture's product (what decides between inline and the pool). */
export function work(c: Case): number {
  const a = build(c.a), b = build(c.b);
  const k = a.shape[a.ndim - 1]!;
  const m = a.ndim === 1 ? 1 : a.shape.slice(0, -1).reduce((x, y) => x * y, 1);
  const n = b.ndim === 1 ? 1 : b.shape[b.ndim - 1]!;
  const batchB = b.ndim > 2 ? b.shape.slice(0, -2).reduce((x, y) => x * y, 1) : 1;
  return m * n * k * batchB;
}

/** Runs fixture `c` through the public function and checks it against numpy's answer. */
export function checkFixture(c: Case): void {
  const a = build(c.a), b = build(c.b);
  const f = c.fn === 'matmul' ? matmul : dot;
  const out = c.out ? zeros(c.out.shape, c.out.dtype) : undefined;
  const call = () => f(a, b, out ? { out } : undefined);
  if ('error' in c.result) {
    const Class = c.result.error === 'UFuncTypeError' ? DTypeError : ShapeError;
    expect(call).toThrow(Class);
    expect(call).toThrow(new RegExp(`^${c.fn}: invalid argument '(a|b|options\\.out)'`));
    return;
  }
  const r = call();
  const { shape, dtype, values } = c.result;
  if (shape.length === 0 && !out) {
    expect(typeof r).toBe('number');
  } else {
    const arr = r as SharedNDArray;
    expect(arr.shape).toEqual(shape);
    expect(arr.dtype).toBe(out ? c.out!.dtype : dtype);
    if (out) expect(arr).toBe(out);
  }
  const ref = model(a, b);
  const precision = (out ? c.out!.dtype : dtype) === 'float32' || dtype === 'float32' ? 'float32' : 'float64';
  expectClose(valuesOf(r), flat(values), ref.magnitude, ref.k, precision, 2, c.id);
}
