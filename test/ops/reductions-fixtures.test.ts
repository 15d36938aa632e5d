/**
 * The reductions against numpy 1.24's own answers, recorded in fixtures/ops/reductions.json by
 * fixtures/ops/reductions.py (regenerate with `/usr/bin/python3 fixtures/ops/reductions.py`; this
 * test reads the committed JSON and needs no python).
 *
 * Each input is rebuilt as numpy built it (same values, same view: transposed, reversed, stepped),
 * the same reduction runs with the same options, and dtype, shape and values are compared:
 * integers and bools exactly; floats within (4 + n) ulps of max(|numpy's value|, the same
 * reduction of |x|), n being the elements reduced into each output (numpy rounds float32 at every
 * step and adds rows in order; we round once and add rows pairwise). For float64 sums and means
 * the fixture also holds the correctly rounded answer (math.fsum), and ours must be at least as
 * close to it as numpy's, or within 1 ulp of the magnitude sum.
 *
 * Deliberate differences (docs/differences.md): with no axis, no keepdims and no out the result is
 * a JS scalar (numpy: a numpy scalar), and argmin/argmax's flat index is a number.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, ValueError, array, type DType, type SharedNDArray } from '../../src/index.js';
import * as ops from '../../src/ops/reductions.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Input { dtype: DType; shape: number[]; values: Json[]; view: null | { transpose: number[] } | { slice: string[] } }
interface Result { dtype: string; shape: number[]; values: Json }
interface Case {
  input: string;
  fn: ops.ReductionName;
  options: { axis?: number | number[]; keepdims?: boolean; dtype?: string; ddof?: number };
  result: Result | { error: string; message: string };
  scale?: Json;
  fsum?: Json;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/ops/reductions.json', import.meta.url), 'utf8')) as {
  numpy: string; inputs: Record<string, Input>; cases: Case[];
};

const ERRORS: Record<string, new (...args: never[]) => Error> = { AxisError: ShapeError, ValueError, TypeError: ArgumentError };

function decode(v: Json, dtype: string): unknown {
  if (Array.isArray(v)) return v.map((x) => decode(x, dtype));
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(v as number | string);
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

function build(input: Input): SharedNDArray {
  const base = array(decode(input.values, input.dtype), input.dtype).reshape(input.shape);
  if (input.view === null) return base;
  if ('transpose' in input.view) return base.transpose(input.view.transpose);
  return base.slice(...input.view.slice);
}

const FNS: Record<ops.ReductionName, (a: SharedNDArray, o: object) => unknown> = {
  sum: ops.sum, prod: ops.prod, mean: ops.mean, var: ops.var, std: ops.std, min: ops.min, max: ops.max,
  argmin: ops.argmin, argmax: ops.argmax, any: ops.any, all: ops.all,
} as Record<ops.ReductionName, (a: SharedNDArray, o: object) => unknown>;

/** The spacing of floats of this dtype at magnitude m. */
function ulp(m: number, dtype: string): number {
  const bits = dtype === 'float32' ? 23 : 52;
  const e = m === 0 || !Number.isFinite(m) ? (dtype === 'float32' ? -126 : -1022) : Math.max(Math.floor(Math.log2(m)), dtype === 'float32' ? -126 : -1022);
  return 2 ** (e - bits);
}

const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

function label(c: Case): string {
  return `${c.fn}(${c.input}, ${JSON.stringify(c.options)})`;
}

describe(`reductions against numpy ${fixture.numpy}`, () => {
  it('covers every reduction, dtype and an error of each kind', () => {
    expect(new Set(fixture.cases.map((c) => c.fn)).size).toBe(11);
    expect(new Set(Object.values(fixture.inputs).map((i) => i.dtype)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(fixture.cases.flatMap((c) => ('error' in c.result ? [c.result.error] : [])))).toEqual(new Set(['AxisError', 'ValueError']));
  });

  for (const c of fixture.cases) {
    it(label(c), () => {
      const a = build(fixture.inputs[c.input]!);
      const call = (): unknown => FNS[c.fn](a, c.options);
      if ('error' in c.result) {
        // numpy's ValueError for a repeated axis is the package's ShapeError, as for squeeze
        const cls = c.result.message.startsWith('duplicate value') ? ShapeError : ERRORS[c.result.error]!;
        expect(call).toThrow(cls);
        return;
      }
      const expected = c.result;
      const got = call();
      const whole = c.options.axis === undefined && c.options.keepdims !== true;
      let values: unknown;
      if (whole) {
        expect(expected.shape).toEqual([]);
        const kind = expected.dtype === 'bool' ? 'boolean' : expected.dtype.endsWith('int64') && !c.fn.startsWith('arg') ? 'bigint' : 'number';
        expect(typeof got).toBe(kind);
        values = c.fn.startsWith('arg') ? BigInt(got as number) : got;
      } else {
        const arr = got as SharedNDArray;
        expect(arr.dtype).toBe(expected.dtype);
        expect(arr.shape).toEqual(expected.shape);
        values = arr.toArray();
      }
      const want = flat(decode(expected.values, expected.dtype));
      const have = flat(values);
      expect(have.length).toBe(want.length);
      if (expected.dtype !== 'float32' && expected.dtype !== 'float64') {
        expect(have).toEqual(want);
        return;
      }
      const outputs = Math.max(want.length, 1);
      const count = a.size / outputs;
      const scale = c.scale == null ? undefined : flat(decode(c.scale, 'float64')) as number[];
      const fsum = c.fsum == null ? undefined : flat(decode(c.fsum, 'float64')) as number[];
      want.forEach((w, i) => {
        const h = have[i] as number, e = w as number;
        if (Number.isNaN(e) || !Number.isFinite(e)) {
          expect(h, `${label(c)} element ${i}`).toBe(e);
          return;
        }
        const m = Math.max(Math.abs(e), scale ? Math.abs(scale[i]!) : 0);
        const tol = (4 + count) * ulp(m, expected.dtype);
        expect(Math.abs(h - e), `${label(c)} element ${i}: ${h} vs numpy ${e}`).toBeLessThanOrEqual(tol);
        if (fsum) {
          const exact = fsum[i]!;
          const ours = Math.abs(h - exact), numpys = Math.abs(e - exact);
          expect(ours, `${label(c)} element ${i}: error ${ours} vs numpy's ${numpys}`).toBeLessThanOrEqual(Math.max(numpys, ulp(m, 'float64')));
        }
      });
    });
  }
});
