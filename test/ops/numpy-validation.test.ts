/**
 * numpy's own accuracy suite (numpy/_core/tests/test_umath_accuracy.py: the files
 * umath-validation-set-<fn>.csv of the installed system numpy, read here, not copied: hex input,
 * hex expected, tolerance in ULP) through the public exp, sin, cos, log, expm1, log1p and tanh on
 * float32 and float64 arrays, on both paths: the addon's vector math (in this process, unless the
 * run has SHARED_NDARRAY_NATIVE_MATH=0) and, with SHARED_NDARRAY_NATIVE_MATH=0 (read once per
 * thread: in a child process, test/support/numpy-validation-child.ts under tsx), the JavaScript
 * and WebAssembly kernels. The tolerance is the file's, but 1 ULP for float64 exp, sin and cos
 * whatever the file says (what numpy 2's files say); NaN and infinities exactly, zeros of either
 * sign alike (as numpy's assert_array_max_ulp).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeNumpy, hasNumpy, PYTHON } from '../support/numpy.js';
import { array, cos, exp, expm1, log, log1p, sin, tanh } from '../../src/index.js';
import { nativeMathFunctions } from '../../src/ops/kernels/native.js';

const NAMES = ['exp', 'sin', 'cos', 'log', 'expm1', 'log1p', 'tanh'] as const;
type Name = (typeof NAMES)[number];
const STRICT: ReadonlySet<Name> = new Set(['exp', 'sin', 'cos']);
type DType = 'float32' | 'float64';

/** numpy's tests/data directory (numpy 2's _core, numpy 1's core), or undefined without numpy. */
function dataDir(): string | undefined {
  if (!hasNumpy) return undefined;
  // where numpy is installed, without importing it (0.07 CPU s of the child's 0.08)
  const root = execFileSync(PYTHON, ['-c', 'import importlib.util; print(importlib.util.find_spec("numpy").submodule_search_locations[0])'], { encoding: 'utf8' }).trim();
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

const OPS = { exp, sin, cos, log, expm1, log1p, tanh };
const CHILD = fileURLToPath(new URL('../support/numpy-validation-child.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const bytesOf = (v: Float64Array | Float32Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');

/** Every (function, dtype)'s rows with rows of numpy's files. */
function allRows(dir: string): Array<[Name, DType, Rows]> {
  return NAMES.flatMap((name) => (['float32', 'float64'] as const).map((dtype) => [name, dtype, rows(dir, name, dtype)] as [Name, DType, Rows])).filter(([, , r]) => r.xs.length > 0);
}

/** Each (function, dtype)'s results in a child process with SHARED_NDARRAY_NATIVE_MATH=0, and its native functions. */
function switchedOff(cases: Array<[Name, DType, Rows]>): { functions: string[]; results: Map<string, Float64Array | Float32Array> } {
  const input: Record<string, Record<string, string>> = {};
  for (const [name, dtype, r] of cases) {
    input[name] = { ...input[name], [dtype]: bytesOf(dtype === 'float64' ? Float64Array.from(r.xs) : Float32Array.from(r.xs)) };
  }
  const stdout = execFileSync(process.execPath, ['--import', TSX, CHILD], {
    input: JSON.stringify(input), encoding: 'utf8', env: { ...process.env, SHARED_NDARRAY_NATIVE_MATH: '0' }, timeout: 60_000,
  });
  const { functions, out } = JSON.parse(stdout) as { functions: string[]; out: Record<string, Record<string, string>> };
  const results = new Map<string, Float64Array | Float32Array>();
  for (const [name, dtype] of cases) {
    const b = Buffer.from(out[name]![dtype]!, 'base64');
    const copy = new Uint8Array(b).buffer;
    results.set(`${name} ${dtype}`, dtype === 'float64' ? new Float64Array(copy) : new Float32Array(copy));
  }
  return { functions, results };
}

describeNumpy('numpy\'s validation sets (test_umath_accuracy.py)', () => {
  const dir = dataDir();

  it('are found in the system numpy', () => {
    expect(dir, 'numpy\'s tests/data with umath-validation-set-*.csv').toBeDefined();
    // every function has rows of both dtypes (about 8000 in all)
    expect(allRows(dir!).length).toBe(2 * NAMES.length);
  });

  it(`pass within numpy's tolerances, float64 exp, sin and cos 1 ULP: the addon's vector math${process.env.SHARED_NDARRAY_NATIVE_MATH === '0' ? ' (switched off in this run)' : ''}`, () => {
    if (process.platform === 'linux' && process.arch === 'x64' && process.env.SHARED_NDARRAY_NATIVE_MATH !== '0') {
      expect(Object.keys(nativeMathFunctions())).toEqual(expect.arrayContaining(['exp', 'sin', 'cos']));
    }
    for (const [name, dtype, r] of allRows(dir!)) {
      const got = OPS[name](array(r.xs, dtype)).data as Float64Array | Float32Array;
      expect(misses(r, got, dtype), `${name} ${dtype}`).toEqual([]);
    }
  });

  it('pass within numpy\'s tolerances, float64 exp, sin and cos 1 ULP: SHARED_NDARRAY_NATIVE_MATH=0', () => {
    const cases = allRows(dir!);
    const { functions, results } = switchedOff(cases);
    expect(functions).toEqual([]);
    for (const [name, dtype, r] of cases) {
      const got = results.get(`${name} ${dtype}`)!;
      expect(got.length).toBe(r.xs.length);
      expect(misses(r, got, dtype), `${name} ${dtype}`).toEqual([]);
    }
  });
});
