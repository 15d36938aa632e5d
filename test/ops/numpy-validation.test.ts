/**
 * numpy's own accuracy suite (numpy/_core/tests/test_umath_accuracy.py: the files
 * umath-validation-set-<fn>.csv of the installed system numpy, read here, not copied: hex input,
 * hex expected, tolerance in ULP) through the public exp, sin, cos, log, expm1, log1p and tanh on
 * float32 and float64 arrays, on both paths: the addon's vector math and, with
 * SHARED_NDARRAY_NATIVE_MATH=0 (read once per module graph: a fresh one is imported for each
 * path), the JavaScript and WebAssembly kernels. The tolerance is the file's, but 1 ULP for
 * float64 exp, sin and cos whatever the file says (what numpy 2's files say); NaN and infinities
 * exactly, zeros of either sign alike (as numpy's assert_array_max_ulp).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { describeNumpy, hasNumpy, PYTHON } from '../support/numpy.js';

const NAMES = ['exp', 'sin', 'cos', 'log', 'expm1', 'log1p', 'tanh'] as const;
type Name = (typeof NAMES)[number];
const STRICT: ReadonlySet<Name> = new Set(['exp', 'sin', 'cos']);
type DType = 'float32' | 'float64';

/** numpy's tests/data directory (numpy 2's _core, numpy 1's core), or undefined without numpy. */
function dataDir(): string | undefined {
  if (!hasNumpy) return undefined;
  const root = execFileSync(PYTHON, ['-c', 'import numpy, os; print(os.path.dirname(numpy.__file__))'], { encoding: 'utf8' }).trim();
  return [join(root, '_core', 'tests', 'data'), join(root, 'core', 'tests', 'data')].find((d) => existsSync(join(d, 'umath-validation-set-exp.csv')));
}

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const fromHex = (hex: string, dtype: DType): number => {
  if (dtype === 'float64') {
    u64[0] = BigInt.asUintN(64, BigInt(hex));
    return f64[0]!;
  }
  u32[0] = Number(BigInt(hex));
  return f32[0]!;
};
/** The value's place on a scale where neighbouring values of its dtype differ by one, ±0 both 0. */
const place = (x: number, dtype: DType): bigint => {
  if (dtype === 'float64') {
    f64[0] = x;
    const b = BigInt.asIntN(64, u64[0]!);
    return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
  }
  f32[0] = x;
  const b = u32[0]! | 0;
  return BigInt(b < 0 ? -(b & 0x7fffffff) : b);
};

interface Rows { xs: number[]; want: number[]; tolerance: number[] }

function rows(dir: string, name: Name, dtype: DType): Rows {
  const lines = readFileSync(join(dir, `umath-validation-set-${name}.csv`), 'utf8').split('\n').filter((l) => l.startsWith(`np.${dtype},`));
  const cells = lines.map((l) => l.split(','));
  return {
    xs: cells.map((c) => fromHex(c[1]!, dtype)),
    want: cells.map((c) => fromHex(c[2]!, dtype)),
    tolerance: cells.map((c) => (dtype === 'float64' && STRICT.has(name) ? 1 : Number(c[3]))),
  };
}

/** The rows `got` misses: NaN and infinities exactly, else within the row's tolerance. */
function misses(r: Rows, got: ArrayLike<number>, dtype: DType): string[] {
  const out: string[] = [];
  for (let i = 0; i < r.xs.length; i++) {
    const g = got[i]!, w = r.want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w) || Number.isNaN(g) || !Number.isFinite(g)) {
      if (!Object.is(g, w)) out.push(`${r.xs[i]}: ${g}, numpy ${w}`);
      continue;
    }
    let d = place(g, dtype) - place(w, dtype);
    if (d < 0n) d = -d;
    if (d > BigInt(r.tolerance[i]!)) out.push(`${r.xs[i]}: ${g}, numpy ${w} (${d} ULP, tolerance ${r.tolerance[i]})`);
  }
  return out;
}

/** The package's src/ as a fresh module graph, with SHARED_NDARRAY_NATIVE_MATH as `value` when it loads. */
async function packageWith(value: string | undefined) {
  const saved = process.env.SHARED_NDARRAY_NATIVE_MATH;
  if (value === undefined) delete process.env.SHARED_NDARRAY_NATIVE_MATH;
  else process.env.SHARED_NDARRAY_NATIVE_MATH = value;
  try {
    vi.resetModules();
    const sn = await import('../../src/index.js');
    const native = await import('../../src/ops/kernels/native.js');
    // the switch is read on first use: use it now, under `value`
    const functions = native.nativeMathFunctions();
    return { sn, functions };
  } finally {
    if (saved === undefined) delete process.env.SHARED_NDARRAY_NATIVE_MATH;
    else process.env.SHARED_NDARRAY_NATIVE_MATH = saved;
  }
}

describeNumpy('numpy\'s validation sets (test_umath_accuracy.py)', () => {
  for (const [path, value] of [['the addon\'s vector math', undefined], ['SHARED_NDARRAY_NATIVE_MATH=0', '0']] as const) {
    it(`within numpy's tolerances, float64 exp, sin and cos 1 ULP: ${path}`, async () => {
      const dir = dataDir();
      expect(dir, 'numpy\'s tests/data with umath-validation-set-*.csv').toBeDefined();
      const { sn, functions } = await packageWith(value);
      if (value === '0') expect(Object.keys(functions)).toEqual([]);
      else if (process.platform === 'linux' && process.arch === 'x64') expect(Object.keys(functions)).toEqual(expect.arrayContaining(['exp', 'sin', 'cos']));
      let checked = 0;
      for (const name of NAMES) {
        for (const dtype of ['float32', 'float64'] as const) {
          const r = rows(dir!, name, dtype);
          if (r.xs.length === 0) continue;
          const got = sn[name](sn.array(r.xs, dtype)).data as Float64Array | Float32Array;
          expect(got.length).toBe(r.xs.length);
          expect(misses(r, got, dtype), `${name} ${dtype}`).toEqual([]);
          checked += r.xs.length;
        }
      }
      // every function has rows of both dtypes (about 8000 in all)
      expect(checked).toBeGreaterThan(5000);
    });
  }
});
