import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  DTYPES, DTypeError, NotSharedError, type SharedNDArray, SharedNDArrayError, arange, frombuffer, fromStdlib, ones, zeros,
  type DType, type StdlibNdarray,
} from '../../src/index.js';
import { OptionalDependencyError } from '../../src/errors.js';
import { requireOptional } from '../../src/ndarray/stdlib.js';
import { thrown } from '../support/assert.js';

/** A stdlib ndarray as these tests use it (loaded untyped through require). */
type AnyNd = StdlibNdarray & { set(...args: unknown[]): unknown };

/**
 * Interop with @stdlib/ndarray and @stdlib/blas over one memory. stdlib packages are CommonJS
 * directory modules, so they are loaded with createRequire (an ESM directory import fails).
 */
const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type StdlibCtor = (dtype: string, buffer: ArrayLike<unknown>, shape: number[], strides: number[], offset: number, order: string) => AnyNd;
const ndarray = require('@stdlib/ndarray/ctor') as StdlibCtor;
const stdlibFill = require('@stdlib/ndarray/fill') as (x: StdlibNdarray, value: unknown) => AnyNd;
const stdlibMap = require('@stdlib/ndarray/map') as (x: StdlibNdarray, fcn: (v: number) => number) => AnyNd;
const stdlibUnary = require('@stdlib/ndarray/base/unary') as (arrays: [StdlibNdarray, StdlibNdarray], fcn: (v: number) => number) => void;
const BooleanArray = require('@stdlib/array/bool') as new (values: boolean[]) => ArrayLike<boolean>;
const Complex128Array = require('@stdlib/array/complex128') as new (length: number) => ArrayLike<unknown>;
type Strided = Float64Array;
const dscal = require('@stdlib/blas/base/dscal') as {
  ndarray(N: number, alpha: number, x: Strided, strideX: number, offsetX: number): Strided;
};
const daxpy = require('@stdlib/blas/base/daxpy') as {
  ndarray(N: number, alpha: number, x: Strided, strideX: number, offsetX: number, y: Strided, strideY: number, offsetY: number): Strided;
};
const ddot = require('@stdlib/blas/ddot') as (x: StdlibNdarray, y: StdlibNdarray) => AnyNd;

const ALL_DTYPES = Object.keys(DTYPES) as DType[];

/** What toStdlib() reports: stdlib has no shared bool and no 64-bit integer dtype (src/ndarray/stdlib.ts). */
const EXPECTED_STDLIB_DTYPE: Record<DType, string> = {
  int8: 'int8', uint8: 'uint8', uint8c: 'uint8c', int16: 'int16', uint16: 'uint16', int32: 'int32',
  uint32: 'uint32', int64: 'generic', uint64: 'generic', float32: 'float32', float64: 'float64', bool: 'uint8',
};

/** Value k (1-based, small) as stdlib stores it and as our `get` returns it, for each dtype. */
function valuesFor(dtype: DType, k: number): { stdlib: unknown; ours: unknown } {
  if (dtype === 'bool') return { stdlib: k % 2, ours: k % 2 === 1 };
  if (dtype === 'int64') return { stdlib: -(2n ** 40n) - BigInt(k), ours: -(2n ** 40n) - BigInt(k) };
  if (dtype === 'uint64') return { stdlib: 2n ** 63n + BigInt(k), ours: 2n ** 63n + BigInt(k) };
  if (dtype === 'float32' || dtype === 'float64') return { stdlib: k + 0.5, ours: k + 0.5 };
  return { stdlib: k, ours: k };
}

/** Value k as our `set` takes it. */
function oursInput(dtype: DType, k: number): never {
  return valuesFor(dtype, k).ours as never;
}

function* indices2(shape: readonly number[]): Generator<[number, number]> {
  for (let i = 0; i < shape[0]!; i++) for (let j = 0; j < shape[1]!; j++) yield [i, j];
}

/** Elements of the whole underlying array that are not zero / false. */
function nonzeroCount(a: SharedNDArray): number {
  return (a.toArray() as unknown[][]).flat().filter((x) => x !== 0 && x !== 0n && x !== false).length;
}

describe('toStdlib(): a @stdlib/ndarray ndarray over the same memory', () => {
  const views: Record<string, (a: SharedNDArray) => SharedNDArray> = {
    contiguous: (a) => a,
    transposed: (a) => a.T,
    'negatively strided': (a) => a.slice('::-1', '::-2'),
    'offset row block': (a) => a.slice('1:', '1:3'),
  };

  for (const dtype of ALL_DTYPES) {
    for (const [viewName, makeView] of Object.entries(views)) {
      it(`${dtype}, ${viewName}: writes through stdlib .set are ours and ours are stdlib's`, () => {
        const base = zeros([3, 4], dtype);
        const v = makeView(base);
        const s = v.toStdlib();
        expect(String(s.dtype)).toBe(EXPECTED_STDLIB_DTYPE[dtype]);
        expect(s.data.buffer).toBe(base.buffer);
        expect(Array.from(s.shape)).toEqual([...v.shape]);
        expect(Array.from(s.strides)).toEqual([...v.strides]);
        expect(s.offset).toBe(v.offset);

        let k = 0;
        for (const [i, j] of indices2(v.shape)) {
          k++;
          s.set(i, j, valuesFor(dtype, k).stdlib as never);
          expect(v.get(i, j)).toBe(valuesFor(dtype, k).ours);
        }
        // stdlib wrote inside the view only (bool writes 0 for even k, so count odd k for it).
        expect(nonzeroCount(base)).toBe(dtype === 'bool' ? Math.ceil(v.size / 2) : v.size);

        k = 100;
        for (const [i, j] of indices2(v.shape)) {
          k++;
          v.set(i, j, oursInput(dtype, k));
          expect(s.get(i, j)).toBe(valuesFor(dtype, k).stdlib);
        }
      });
    }
  }

  it('reports row-major for C-contiguous and column-major for F-contiguous views', () => {
    const a = zeros([3, 4]);
    expect(a.toStdlib().order).toBe('row-major');
    expect(a.T.toStdlib().order).toBe('column-major');
    expect(zeros([3, 4], 'float64', 'F').toStdlib().order).toBe('column-major');
  });

  it('views a frombuffer array at a byte offset without copying', () => {
    const sab = new SharedArrayBuffer(64);
    const a = frombuffer(sab, { dtype: 'float32', offset: 16, count: 6 }).reshape(2, 3);
    const s = a.toStdlib();
    expect(s.data.buffer).toBe(sab);
    s.set(1, 2, 2.5);
    expect(new Float32Array(sab)[4 + 5]).toBe(2.5);
    expect(a.get(1, 2)).toBe(2.5);
  });

  it('handles a 0-d view (stdlib wants strides [0] for zero-dimensional arrays)', () => {
    const a = arange(6).reshape(2, 3);
    const scalar = a.slice(1, 2); // 0-d view of a[1, 2]
    expect(scalar.ndim).toBe(0);
    const s = scalar.toStdlib();
    expect(s.shape).toEqual([]);
    expect(s.get()).toBe(5);
    s.set(-1);
    expect(a.get(1, 2)).toBe(-1);
  });
});

describe('fromStdlib()', () => {
  it('wraps a stdlib ndarray over a SharedArrayBuffer without copying (row-major, column-major, negative strides, sub-array)', () => {
    const sab = new SharedArrayBuffer(8 * 12);
    const data = new Float64Array(sab);
    data.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    const cases: Array<[string, AnyNd]> = [
      ['row-major', ndarray('float64', data, [3, 4], [4, 1], 0, 'row-major')],
      ['column-major', ndarray('float64', data, [3, 4], [1, 3], 0, 'column-major')],
      ['negative strides', ndarray('float64', data, [2, 3], [-4, -2], 11, 'row-major')],
      ['sub-array at a byte offset', ndarray('float64', data.subarray(2, 10), [2, 2], [1, 4], 1, 'column-major')],
    ];
    for (const [name, x] of cases) {
      const w = fromStdlib(x);
      expect(w.isShared, name).toBe(true);
      expect(w.buffer, name).toBe(sab);
      expect(w.dtype, name).toBe('float64');
      expect([...w.shape], name).toEqual(Array.from(x.shape));
      for (const [i, j] of indices2(w.shape)) expect(w.get(i, j), `${name} [${i}, ${j}]`).toBe(x.get(i, j));
      // writes both ways
      w.set(1, 1, -100);
      expect(x.get(1, 1), name).toBe(-100);
      x.set(0, 1, -200);
      expect(w.get(0, 1), name).toBe(-200);
      data.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    }
    // the sub-array case addresses the right absolute elements: x[i, j] = data[2 + 1 + i + 4j]
    const [, sub] = cases[3]!;
    const w = fromStdlib(sub);
    expect(w.toArray()).toEqual([[3, 7], [4, 8]]);
    expect(w.byteOffset).toBe(3 * 8);
  });

  for (const dtype of ALL_DTYPES) {
    it(`round-trips our ${dtype} memory: fromStdlib(a.toStdlib()) is the same memory`, () => {
      const a = zeros([2, 3], dtype);
      const v = a.slice('::-1', '::2');
      const w = fromStdlib(v.toStdlib());
      expect(w.buffer).toBe(a.buffer);
      expect([...w.shape]).toEqual([...v.shape]);
      expect([...w.strides]).toEqual([...v.strides]);
      expect(w.offset).toBe(v.offset);
      // bool comes back as uint8 (stdlib sees bytes; documented in src/ndarray/stdlib.ts)
      expect(w.dtype).toBe(dtype === 'bool' ? 'uint8' : dtype);
      v.set(1, 1, oursInput(dtype, 1));
      expect(w.get(1, 1)).toBe(dtype === 'bool' ? 1 : valuesFor(dtype, 1).ours);
    });
  }

  it('wraps stdlib generic arrays over shared BigInt64Array / BigUint64Array as int64 / uint64', () => {
    const i64 = new BigInt64Array(new SharedArrayBuffer(32));
    const u64 = new BigUint64Array(new SharedArrayBuffer(32));
    const wi = fromStdlib(ndarray('generic', i64, [4], [1], 0, 'row-major'));
    const wu = fromStdlib(ndarray('generic', u64, [2, 2], [1, 2], 0, 'column-major'));
    expect(wi.dtype).toBe('int64');
    expect(wu.dtype).toBe('uint64');
    wi.set(3, -(2n ** 63n));
    expect(i64[3]).toBe(-(2n ** 63n));
    u64[1] = 2n ** 64n - 1n;
    expect(wu.get(1, 0)).toBe(2n ** 64n - 1n);
  });

  it('throws NotSharedError for non-shared memory unless { copy: true }, which gives independent shared memory', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const x = ndarray('float64', data, [2, 3], [1, 2], 0, 'column-major');
    expect(() => fromStdlib(x)).toThrow(NotSharedError);
    expect(() => fromStdlib(x, { copy: false })).toThrow(NotSharedError);

    const c = fromStdlib(x, { copy: true });
    expect(c.isShared).toBe(true);
    expect(c.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.buffer).not.toBe(data.buffer);
    expect(c.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    c.set(0, 0, 99);
    expect(x.get(0, 0)).toBe(1);
    x.set(1, 2, -1);
    expect(c.get(1, 2)).toBe(6);

    // our own array over a plain ArrayBuffer is not shared either
    const plain = frombuffer(new ArrayBuffer(16), { dtype: 'int32' });
    expect(() => fromStdlib(plain.toStdlib())).toThrow(NotSharedError);
    expect(fromStdlib(plain.toStdlib(), { copy: true }).isShared).toBe(true);
  });

  it('copies stdlib bool (BooleanArray) and generic plain-Array ndarrays only when asked', () => {
    const b = ndarray('bool', new BooleanArray([true, false, false, true]), [2, 2], [2, 1], 0, 'row-major');
    expect(() => fromStdlib(b)).toThrow(NotSharedError);
    const cb = fromStdlib(b, { copy: true });
    expect(cb.dtype).toBe('bool');
    expect(cb.isShared).toBe(true);
    expect(cb.toArray()).toEqual([[true, false], [false, true]]);

    const g = ndarray('generic', [1, 2, 3, 4, 5, 6], [3, 2], [1, 3], 0, 'column-major');
    expect(() => fromStdlib(g)).toThrow(NotSharedError);
    const cg = fromStdlib(g, { copy: true });
    expect(cg.dtype).toBe('float64');
    expect(cg.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('refuses stdlib dtypes without a counterpart (complex128) with DTypeError', () => {
    const z = ndarray('complex128', new Complex128Array(2), [2], [1], 0, 'row-major');
    expect(() => fromStdlib(z)).toThrow(DTypeError);
    expect(() => fromStdlib(z, { copy: true })).toThrow(DTypeError);
  });

  it('wraps a zero-dimensional stdlib ndarray (shape [], strides [0])', () => {
    const data = new Float64Array(new SharedArrayBuffer(16));
    data[1] = 4.5;
    const x = ndarray('float64', data, [], [0], 1, 'row-major');
    expect(x.get()).toBe(4.5);
    const w = fromStdlib(x);
    expect(w.ndim).toBe(0);
    expect(w.buffer).toBe(data.buffer);
    expect(w.toArray()).toBe(4.5);
  });
});

describe('stdlib operations running on our memory', () => {
  it('blas/base/dscal scales a strided column and a reversed column in place', () => {
    const a = arange(12).reshape(3, 4);
    const col = a.slice(':', 1).toStdlib(); // stride 4, offset 1
    dscal.ndarray(col.shape[0]!, 10, col.data as Strided, col.strides[0]!, col.offset);
    expect(a.toArray()).toEqual([[0, 10, 2, 3], [4, 50, 6, 7], [8, 90, 10, 11]]);

    const rev = a.slice('::-1', 3); // a[::-1, 3]: elements 11, 7, 3; stride -4, offset 11
    const s = rev.toStdlib();
    expect([s.strides[0], s.offset]).toEqual([-4, 11]);
    dscal.ndarray(2, -1, s.data as Strided, s.strides[0]!, s.offset); // first two of the reversed view: a[2,3], a[1,3]
    expect(a.slice(':', 3).toArray()).toEqual([3, -7, -11]);
  });

  it('blas/base/daxpy adds a scaled row into a reversed column of another array', () => {
    const x = arange(12).reshape(3, 4);
    const y = ones([4, 3]);
    const xr = x.row(1).toStdlib(); // 4, 5, 6, 7
    const yc = y.slice('::-1', 2).toStdlib(); // y[3,2], y[2,2], y[1,2], y[0,2]
    daxpy.ndarray(4, 2, xr.data as Strided, xr.strides[0]!, xr.offset, yc.data as Strided, yc.strides[0]!, yc.offset);
    expect(y.toArray()).toEqual([[1, 1, 15], [1, 1, 13], [1, 1, 11], [1, 1, 9]]);
    expect(x.row(1).toArray()).toEqual([4, 5, 6, 7]);
  });

  it('blas/ddot computes dot products of our 1-d views and batched over our 2-d views', () => {
    const a = arange(12).reshape(3, 4);
    // a[0] · a[2, ::-1] = [0,1,2,3]·[11,10,9,8] = 0 + 10 + 18 + 24
    const d = ddot(a.row(0).toStdlib(), a.slice(2, '::-1').toStdlib());
    expect(d.shape).toEqual([]);
    expect(d.get()).toBe(52);

    // batched over rows of a and of a reversed-rows view
    const b = a.slice('::-1');
    const rows = ddot(a.toStdlib(), b.toStdlib());
    const expected = [0, 1, 2].map((i) => [0, 1, 2, 3].reduce((sum, j) => sum + a.get(i, j) * b.get(i, j), 0));
    expect([0, 1, 2].map((i) => rows.get(i))).toEqual(expected);
    expect(expected).toEqual([0 * 8 + 1 * 9 + 2 * 10 + 3 * 11, 16 + 25 + 36 + 49, 62]);

    // over the columns of a, via the transpose (a non-C-contiguous stdlib view)
    const cols = ddot(a.T.toStdlib(), a.T.toStdlib());
    expect([0, 1, 2, 3].map((j) => cols.get(j))).toEqual([80, 107, 140, 179]);
  });

  it('ndarray/fill writes only the cells of a strided view', () => {
    const a = zeros([3, 4]);
    stdlibFill(a.slice('1:', '::-2').toStdlib(), 7);
    expect(a.toArray()).toEqual([[0, 0, 0, 0], [0, 7, 0, 7], [0, 7, 0, 7]]);

    const b = zeros([2, 3], 'int64');
    stdlibFill(b.T.toStdlib(), 2n ** 55n + 1n);
    expect(b.toArray()).toEqual([[2n ** 55n + 1n, 2n ** 55n + 1n, 2n ** 55n + 1n], [2n ** 55n + 1n, 2n ** 55n + 1n, 2n ** 55n + 1n]]);

    const flags = zeros([2, 2], 'bool');
    stdlibFill(flags.slice(':', 1).toStdlib(), 1);
    expect(flags.toArray()).toEqual([[false, true], [false, true]]);
  });

  it('ndarray/map reads our transposed view; its non-shared result needs { copy: true }', () => {
    const a = arange(6).reshape(2, 3);
    const m = stdlibMap(a.T.toStdlib(), (v) => v * 10);
    expect(m.shape).toEqual([3, 2]);
    expect((m.data as unknown as ArrayBufferView).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(() => fromStdlib(m)).toThrow(NotSharedError);
    const c = fromStdlib(m, { copy: true });
    expect(c.toArray()).toEqual([[0, 30], [10, 40], [20, 50]]);
    expect(c.isShared).toBe(true);
  });

  it('ndarray/base/unary writes its output into our transposed float32 array', () => {
    const x = arange(6).reshape(2, 3);
    const y = zeros([3, 2], 'float32');
    stdlibUnary([x.toStdlib(), y.T.toStdlib()], (v) => v * v + 0.5);
    expect(y.toArray()).toEqual([[0.5, 9.5], [1.5, 16.5], [4.5, 25.5]]);
  });

  it('a stdlib 0-d result (ddot) can be copied into shared memory', () => {
    const a = arange(4);
    const d = ddot(a.toStdlib(), a.toStdlib());
    expect(d.get()).toBe(14);
    const c = fromStdlib(d, { copy: true });
    expect(c.ndim).toBe(0);
    expect(c.toArray()).toBe(14);
  });
});

describe('typing against stdlib\'s own declarations', () => {
  it('toStdlib() results are accepted by typed stdlib functions, and fromStdlib() takes stdlib\'s ndarray type', () => {
    // `npm test` type-checks this file: these calls compile only if our types fit stdlib's
    const ddot = require('@stdlib/blas/ddot') as typeof import('@stdlib/blas/ddot');
    const ctor = require('@stdlib/ndarray/ctor') as typeof import('@stdlib/ndarray/ctor');
    const a = arange(3);
    expect(ddot(a.toStdlib(), a.toStdlib()).get()).toBe(5);
    const x = ctor('float64', new Float64Array(new SharedArrayBuffer(32)), [2, 2], [2, 1], 0, 'row-major');
    expect(fromStdlib(x).shape).toEqual([2, 2]);
  });
});

describe('@stdlib/ndarray is an optional peer dependency', () => {
  it('importing the package loads none of stdlib; toStdlib() loads it on first use', async () => {
    // a fresh process: this one has stdlib loaded already. The compiled package, as users import it.
    const script = [
      "import { createRequire } from 'node:module';",
      "const cache = createRequire(import.meta.url).cache;",
      "const loaded = () => Object.keys(cache).filter((k) => k.includes('/@stdlib/')).length;",
      "const { zeros, fromStdlib } = await import('shared-ndarray');",
      'const a = zeros([2, 2]);',
      'const afterImport = loaded();',
      // fromStdlib reads any ndarray-shaped object: it never needs stdlib itself
      'const wrapped = fromStdlib({ dtype: "float64", data: a.data, shape: [4], strides: [1], offset: 0, get: () => 0 }).size;',
      'const afterFromStdlib = loaded();',
      'const s = a.toStdlib();',
      'console.log(JSON.stringify({ afterImport, wrapped, afterFromStdlib, afterToStdlib: loaded(), dtype: s.dtype }));',
    ].join('\n');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 20_000 });
    expect(stderr).toBe('');
    const out = JSON.parse(stdout) as { afterImport: number; wrapped: number; afterFromStdlib: number; afterToStdlib: number; dtype: string };
    expect(out).toMatchObject({ afterImport: 0, wrapped: 4, afterFromStdlib: 0, dtype: 'float64' });
    expect(out.afterToStdlib).toBeGreaterThan(0);
  });

  it('a package that is not installed: OptionalDependencyError naming the function, the package and the install command', () => {
    const e = thrown(() => requireOptional('toStdlib', '@stdlib/no-such-package', '@stdlib/no-such-package/ctor'));
    expect(e).toBeInstanceOf(OptionalDependencyError);
    expect(e).toBeInstanceOf(SharedNDArrayError);
    expect(e.message).toBe('toStdlib: needs the optional peer dependency @stdlib/no-such-package, which is not installed; install it with `npm install @stdlib/no-such-package`');
    expect((e as OptionalDependencyError).module).toBe('@stdlib/no-such-package');
    expect((e.cause as NodeJS.ErrnoException).code).toBe('MODULE_NOT_FOUND');
  });

  it('an installed package that does not load (it throws, or its own dependency is missing) says so, not "not installed"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shared-ndarray-optional-'));
    try {
      const throws = join(dir, 'throws.cjs');
      writeFileSync(throws, "throw new Error('boom at load');\n");
      const needs = join(dir, 'needs.cjs');
      writeFileSync(needs, "require('shared-ndarray-no-such-dependency');\n");
      const a = thrown(() => requireOptional('toStdlib', 'pkg', throws));
      expect(a).toBeInstanceOf(OptionalDependencyError);
      expect(a.message).toBe('toStdlib: needs the optional peer dependency pkg, which does not load (boom at load); install it with `npm install pkg`');
      const b = thrown(() => requireOptional('toStdlib', 'pkg', needs));
      expect(b.message).toMatch(/^toStdlib: needs the optional peer dependency pkg, which does not load \(Cannot find module 'shared-ndarray-no-such-dependency'\)/);
      expect(requireOptional('toStdlib', '@stdlib/ndarray', '@stdlib/ndarray/ctor')).toBe(require('@stdlib/ndarray/ctor'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
