import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { params, rejection, thrown } from '../support/assert.js';
import { type RedisServer, startRedis } from '../../bench/harness/redis-server.js';
import {
  ArgumentError, ClusterConnectionError, DTypeError, DTYPES, KeyError, Lock, ReadOnlyError, SharedNDArray, ShapeError, UnreachableArrayError, ValueError,
  arange, createMemmap, load, memmap, openMemmap, zeros, type DType,
} from '../../src/index.js';
import {
  MAX_BY_VALUE_BYTES, RedisNDArray, byteSpan, connectRedis, decodeArgs, decodeResult, encodeArgs, encodeResult,
  type ArrayContext, type Encoded, type RedisClientLike,
} from '../../src/cluster/arrays/index.js';

/**
 * The cluster's array codec and RedisNDArray against a private redis-server: what each kind of
 * array becomes on the way to another machine, the rows window of a mapRows task and its commit.
 * The daemon's side runs in this process here; it maps the same files and reaches the same Redis
 * as a daemon on another machine would.
 */

const NS = 'clarrays-test';
let redis: RedisServer;
let client: RedisClientLike;
let ctx: ArrayContext;
let dir: string;
let url: string;

beforeAll(async () => {
  redis = await startRedis();
  url = redis.url;
  client = await connectRedis('test', url);
  ctx = { redis: client, namespace: NS };
  dir = mkdtempSync(join(tmpdir(), 'clarrays-'));
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** As BullMQ carries job data: through JSON. */
const overTheWire = (e: Encoded): unknown => JSON.parse(JSON.stringify(e));

const ALL_DTYPES = Object.keys(DTYPES) as DType[];

/** Deterministic values for any dtype: small integers, so every dtype holds them exactly. */
function sample(dtype: DType, shape: number[], seed = 1): SharedNDArray {
  const a = zeros(shape, dtype);
  const n = a.size;
  const flat = a.reshape(n);
  for (let i = 0; i < n; i++) {
    const v = ((i * 7 + seed * 13) % 100);
    flat.set(i, (dtype === 'bool' ? v % 2 === 1 : dtype === 'int64' || dtype === 'uint64' ? BigInt(v) : v) as never);
  }
  return a;
}

let names = 0;
const fresh = (): string => `a${names++}`;

describe('by value: small arrays travel as .npy bytes', () => {
  it('every dtype, several shapes and layouts, round-trips exactly through JSON', async () => {
    for (const dtype of ALL_DTYPES) {
      for (const shape of [[5], [3, 4], [2, 3, 2], [0, 3], [1]]) {
        for (const order of ['C', 'F'] as const) {
          const a = sample(dtype, shape).copy(order);
          const { args } = await decodeArgs(overTheWire(await encodeArgs([a], ctx)), ctx);
          const b = args[0] as SharedNDArray;
          expect(b).toBeInstanceOf(SharedNDArray);
          expect(b.dtype).toBe(dtype);
          expect(b.shape).toEqual(shape);
          expect(b.toArray()).toEqual(a.toArray());
          expect(b.buffer).not.toBe(a.buffer);
        }
      }
    }
  });

  it('strided views (steps, negative steps, transposes) arrive as their values', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...ALL_DTYPES), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(),
      async (dtype, rows, cols, step, reverse, transpose) => {
        let v = sample(dtype, [rows, cols]).slice(`${reverse ? '::-' : '::'}${step}`, `::${step}`);
        if (transpose) v = v.T;
        const { args } = await decodeArgs(overTheWire(await encodeArgs([v, v], ctx)), ctx);
        expect((args[0] as SharedNDArray).toArray()).toEqual(v.toArray());
        // one array used twice is sent once and arrives as one array
        expect(args[1]).toBe(args[0]);
      }), params(60));
  });

  it('up to MAX_BY_VALUE_BYTES travels; one byte more is refused with UnreachableArrayError naming both stores', async () => {
    const fits = zeros(MAX_BY_VALUE_BYTES, 'uint8');
    const { args } = await decodeArgs(await encodeArgs([fits], ctx), ctx);
    expect((args[0] as SharedNDArray).size).toBe(MAX_BY_VALUE_BYTES);
    const big = zeros(MAX_BY_VALUE_BYTES / 8 + 1, 'float64');
    const error = await rejection(encodeArgs([1, big], ctx));
    expect(error).toBeInstanceOf(UnreachableArrayError);
    expect(error.message).toMatch(/args\[1\].*float64.*too large.*memmap.*RedisNDArray/s);
    // deep inside an object too
    expect(await rejection(encodeArgs([{ data: [big] }], ctx))).toBeInstanceOf(UnreachableArrayError);
  });

  it('the array mapRows splits may not travel by value, however small: its rows are written in place', async () => {
    const error = await rejection(encodeArgs([zeros([4, 4]), 3], ctx, { rowsIndex: 0 }));
    expect(error).toBeInstanceOf(UnreachableArrayError);
    expect(error.message).toMatch(/mapRows.*in place.*memmap.*RedisNDArray/s);
    // the other arguments still may
    const m = createMemmap(join(dir, 'split.npy'), { shape: [4, 4] });
    await expect(encodeArgs([m, zeros(3)], ctx, { rowsIndex: 0 })).resolves.toBeDefined();
  });
});

describe('other values', () => {
  it('structured-clone values round-trip, arrays found inside objects, Maps and Sets', async () => {
    const a = arange(6, 'int32');
    const value = { n: 1, big: 2n ** 70n, when: new Date(5), m: new Map([['k', a]]), s: new Set([1, 2]), nested: [{ a }], t: new Float32Array([1.5]) };
    const back = await decodeResult(overTheWire(await encodeResult(value, ctx)), ctx) as typeof value;
    expect(back.n).toBe(1);
    expect(back.big).toBe(2n ** 70n);
    expect(back.when.getTime()).toBe(5);
    expect([...back.s]).toEqual([1, 2]);
    expect(back.t).toEqual(new Float32Array([1.5]));
    const m = back.m.get('k')!;
    expect(m.toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(back.nested[0]!.a).toBe(m);
    expect(await decodeResult(await encodeResult(undefined, ctx), ctx)).toBeUndefined();
  });

  it('a function, or a Lock (this process\'s memory), is an ArgumentError naming where it is', async () => {
    expect((await rejection(encodeArgs([1, () => 1], ctx))).message).toMatch(/args cannot be copied/);
    const error = await rejection(encodeArgs([{ lock: new Lock() }], ctx));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(/args\[0\]\.lock.*Lock/);
  });

  it('garbage is refused', async () => {
    expect(await rejection(decodeArgs({ v: 2 }, ctx))).toBeInstanceOf(ArgumentError);
    expect(await rejection(decodeArgs(null, ctx))).toBeInstanceOf(ArgumentError);
    expect(await rejection(decodeArgs(await encodeResult(5, ctx), ctx))).toBeInstanceOf(ArgumentError);
    expect(await rejection(encodeArgs('x' as never, ctx))).toBeInstanceOf(ArgumentError);
  });
});

describe('memmap references', () => {
  it('any view of a memmap travels as its file: the daemon writes the file in place and commit() flushes', async () => {
    const path = join(dir, 'views.npy');
    const m = createMemmap(path, { shape: [6, 5], dtype: 'int16' });
    const views = [m, m.slice('1:5', '::2'), m.slice('::-1'), m.T, m.row(3)];
    for (const [i, v] of views.entries()) {
      const encoded = overTheWire(await encodeArgs([v], ctx, { rowsIndex: 0 }));
      expect(JSON.stringify(encoded).length).toBeLessThan(2000); // a reference, not the data
      const { args, commit } = await decodeArgs(encoded, ctx);
      const d = args[0] as SharedNDArray;
      expect(d.buffer).not.toBe(m.buffer);
      expect(d.shape).toEqual(v.shape);
      d.fill(i + 1);
      await commit();
      expect(v.toArray()).toEqual(d.toArray()); // the same file bytes, seen through the original map
    }
    m.flush();
    const onDisk = await load(path);
    expect(onDisk.toArray()).toEqual(m.toArray());
  });

  it('a mapRows task flushes the bytes of its rows only: byteSpan is the span of exactly the bytes its rows touch, for any view', () => {
    const path = join(dir, 'span.npy');
    const m = createMemmap(path, { shape: [7, 4, 3], dtype: 'int16' });
    const views = [m, m.slice('1:6', '::-1'), m.slice('::-2', ':', '1:'), m.T, m.transpose(1, 0, 2), m.row(2), m.slice('3:3')];
    fc.assert(fc.property(fc.integer({ min: 0, max: views.length - 1 }), fc.nat(8), fc.nat(8), (v, a, b) => {
      const view = views[v]!;
      const n = view.shape[0]!;
      const start = Math.min(a, b, n), stop = Math.min(Math.max(a, b), n);
      const itemsize = DTYPES[view.dtype].itemsize;
      // brute force: every element of rows [start, stop), as bytes from the mapped data's start
      let lo = Infinity, hi = -Infinity;
      const rows = view.slice(`${start}:${stop}`);
      const base = (rows.byteOffset - m.byteOffset);
      const index = new Array<number>(rows.ndim).fill(0);
      if (rows.size > 0) {
        for (let k = 0; k < rows.size; k++) {
          let rest = k, at = base;
          for (let d = rows.ndim - 1; d >= 0; d--) { index[d] = rest % rows.shape[d]!; rest = Math.floor(rest / rows.shape[d]!); at += index[d]! * rows.strides[d]! * itemsize; }
          lo = Math.min(lo, at); hi = Math.max(hi, at + itemsize);
        }
      }
      const ref = { dtype: view.dtype, shape: view.shape, strides: view.strides, byteOffset: view.byteOffset - m.byteOffset };
      expect(byteSpan(ref, { start, stop })).toEqual(rows.size === 0 ? undefined : [lo, hi]);
      expect(byteSpan(ref, { start, stop })?.[1] ?? 0).toBeLessThanOrEqual(m.nbytes);
    }), { numRuns: 300 });
    // without a window, the whole view: here the whole array
    expect(byteSpan({ dtype: 'int16', shape: m.shape, strides: m.strides, byteOffset: 0 })).toEqual([0, m.nbytes]);
    m.close();
  });

  it('a raw (headerless) memmap at an offset, and a read-only one', async () => {
    const path = join(dir, 'raw.f8');
    const m = memmap(path, { dtype: 'float64', shape: [4, 4], mode: 'w+', offset: 64 });
    const { args, commit } = await decodeArgs(await encodeArgs([m.slice('2:')], ctx), ctx);
    (args[0] as SharedNDArray).fill(2.5);
    await commit();
    expect((m.slice('2:').toArray() as number[][]).flat()).toEqual(Array(8).fill(2.5));
    expect(readFileSync(path).readDoubleLE(64 + 8 * 8)).toBe(2.5);
    m.flush();
    const r = openMemmap(join(dir, 'views.npy'), { mode: 'r' });
    const got = (await decodeArgs(await encodeArgs([r], ctx), ctx)).args[0] as SharedNDArray;
    expect(got.writeable).toBe(false);
    expect(thrown(() => got.fill(0))).toBeInstanceOf(ReadOnlyError);
  });

  it('a copy-on-write memmap holds changes its file does not: it travels by value, or is refused when large', async () => {
    const c = openMemmap(join(dir, 'views.npy'), { mode: 'c' });
    c.fill(9);
    const got = (await decodeArgs(await encodeArgs([c], ctx), ctx)).args[0] as SharedNDArray;
    expect(got.toArray()).toEqual(c.toArray());
    const path = join(dir, 'big.npy');
    createMemmap(path, { shape: MAX_BY_VALUE_BYTES, dtype: 'uint16' });
    expect(await rejection(encodeArgs([openMemmap(path, { mode: 'c' })], ctx))).toBeInstanceOf(UnreachableArrayError);
    // mapped r+, the same large file is a reference
    await expect(encodeArgs([openMemmap(path)], ctx)).resolves.toBeDefined();
  });

  it('a file that is gone on the daemon\'s machine is an OSError there', async () => {
    const path = join(dir, 'gone.npy');
    const m = createMemmap(path, { shape: [3] });
    const encoded = await encodeArgs([m], ctx);
    rmSync(path);
    expect((await rejection(decodeArgs(encoded, ctx))).name).toBe('OSError');
  });
});

describe('RedisNDArray references and the rows window', () => {
  it('a mapRows task sees its rows at their GLOBAL indexes; rows outside are zeros and never written', async () => {
    const source = sample('int32', [10, 4]);
    const a = await RedisNDArray.fromArray(fresh(), source, { url, namespace: NS, rowsPerBlock: 3 });
    const encoded = overTheWire(await encodeArgs([a, 'x'], ctx, { rowsIndex: 0 }));
    const { args, commit } = await decodeArgs(encoded, ctx, { index: 0, start: 2, stop: 7 });
    const local = args[0] as SharedNDArray;
    expect(local.shape).toEqual([10, 4]);
    expect(args[1]).toBe('x');
    for (let r = 0; r < 10; r++) {
      expect(local.row(r).toArray()).toEqual(r >= 2 && r < 7 ? source.row(r).toArray() : [0, 0, 0, 0]);
    }
    for (let r = 0; r < 10; r++) local.row(r).fill(-r);
    await commit();
    const after = await a.toArray();
    for (let r = 0; r < 10; r++) {
      expect(after.row(r).toArray()).toEqual(r >= 2 && r < 7 ? [-r, -r, -r, -r] : source.row(r).toArray());
    }
    await a.delete();
  });

  it('commit writes exactly its block, whatever the blocks and windows, is idempotent, and neighbours sharing a block keep their rows', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom<DType>('uint8', 'float64', 'int64', 'bool'),
      fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }),
      async (rows, cols, rpb, dtype, x, y) => {
        const shape = cols === 0 ? [rows] : [rows, cols];
        const a = await RedisNDArray.create(fresh(), { url, namespace: NS, shape, dtype, rowsPerBlock: rpb });
        const cut = Math.min(rows, Math.min(x, y)), end = Math.min(rows, Math.max(x, y));
        const tasks = [[0, cut], [cut, end], [end, rows]] as const;
        const encoded = await encodeArgs([a], ctx, { rowsIndex: 0 });
        // the three tasks decode and commit at once: adjacent windows share blocks
        const decoded = await Promise.all(tasks.map(([s, e]) => decodeArgs(encoded, ctx, { index: 0, start: s, stop: e })));
        const want = sample(dtype, shape, 3);
        decoded.forEach((d, i) => {
          const local = d.args[0] as SharedNDArray;
          // every task writes every row: only its own may reach Redis
          const flat = local.reshape(local.size), wanted = want.reshape(want.size), junk = dtype === 'bool' ? true : dtype === 'int64' ? 99n : 99;
          for (let k = 0; k < local.size; k++) {
            const r = Math.floor(k / Math.max(1, cols));
            flat.set(k, (i === tasks.findIndex(([s, e]) => r >= s && r < e) ? wanted.get(k) : junk) as never);
          }
        });
        await Promise.all(decoded.map((d) => d.commit()));
        expect((await a.toArray()).toArray()).toEqual(want.toArray());
        // a retried task writes the same bytes again
        await Promise.all([decoded[1]!.commit(), (await decodeArgs(encoded, ctx, { index: 0, start: cut, stop: end })).commit()]);
        expect((await a.toArray()).toArray()).toEqual(want.toArray());
        await a.delete();
      }), params(40));
  });

  it('a RedisNDArray not split by mapRows arrives whole and read-only; a bad window is refused', async () => {
    const a = await RedisNDArray.fromArray(fresh(), sample('float32', [5, 2]), { url, namespace: NS });
    const { args } = await decodeArgs(await encodeArgs([a], ctx), ctx);
    expect((args[0] as SharedNDArray).toArray()).toEqual(sample('float32', [5, 2]).toArray());
    expect((args[0] as SharedNDArray).writeable).toBe(false);
    const encoded = await encodeArgs([a], ctx, { rowsIndex: 0 });
    expect(await rejection(decodeArgs(encoded, ctx, { index: 0, start: 3, stop: 6 }))).toBeInstanceOf(ArgumentError);
    expect(await rejection(decodeArgs(encoded, ctx, { index: 0, start: 3, stop: 2 }))).toBeInstanceOf(ArgumentError);
    expect(await rejection(decodeArgs(encoded, { namespace: NS }, { index: 0, start: 0, stop: 1 }))).toBeInstanceOf(ArgumentError);
    await a.delete();
  });

  it('another namespace is refused at submission; a deleted or recreated array at decoding', async () => {
    const other = await RedisNDArray.create(fresh(), { url, namespace: 'elsewhere', shape: [2] });
    const error = await rejection(encodeArgs([other], ctx));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(/namespace "elsewhere".*"clarrays-test"/);
    await other.delete();
    const name = fresh();
    const a = await RedisNDArray.create(name, { url, namespace: NS, shape: [2] });
    const encoded = await encodeArgs([a], ctx, { rowsIndex: 0 });
    await a.delete();
    expect(await rejection(decodeArgs(encoded, ctx, { index: 0, start: 0, stop: 1 }))).toBeInstanceOf(KeyError);
    const again = await RedisNDArray.create(name, { url, namespace: NS, shape: [2] });
    expect((await rejection(decodeArgs(encoded, ctx, { index: 0, start: 0, stop: 1 }))).message).toMatch(/deleted and created anew/);
    await again.delete();
  });
});

describe('RedisNDArray', () => {
  it('create, open by name from another handle, read and write rows, toArray, delete', async () => {
    const name = fresh();
    await using a = await RedisNDArray.create(name, { url, namespace: NS, shape: [7, 3], dtype: 'uint16', rowsPerBlock: 2 });
    expect([a.name, a.namespace, a.dtype, a.shape, a.rowsPerBlock, a.ndim, a.size, a.nbytes]).toEqual([name, NS, 'uint16', [7, 3], 2, 2, 21, 42]);
    expect((await a.toArray()).toArray()).toEqual(zeros([7, 3], 'uint16').toArray());
    const b = await RedisNDArray.open(name, { url, namespace: NS });
    expect([b.dtype, b.shape, b.rowsPerBlock]).toEqual(['uint16', [7, 3], 2]);
    await b.writeRows(1, sample('uint16', [4, 3]).T.copy().T); // an F-ordered block
    expect((await a.readRows(1, 5)).toArray()).toEqual(sample('uint16', [4, 3]).toArray());
    expect((await a.readRows(0, 1)).toArray()).toEqual([[0, 0, 0]]);
    expect((await a.readRows(5)).shape).toEqual([2, 3]);
    expect((await a.readRows(3, 3)).shape).toEqual([0, 3]);
    await b.close();
    await a.delete();
    expect(a.closed).toBe(true);
    expect(await rejection(RedisNDArray.open(name, { url, namespace: NS }))).toBeInstanceOf(KeyError);
    // every key is gone
    expect(await client.call('KEYS', `${NS}:ndarray:${name}*`)).toEqual([]);
  });

  it('default rowsPerBlock fills about 1 MiB; a 1-d array stores elements as rows', async () => {
    const a = await RedisNDArray.create(fresh(), { url, namespace: NS, shape: [100, 1000], dtype: 'float64' });
    expect(a.rowsPerBlock).toBe(131);
    await a.delete();
    const v = await RedisNDArray.fromArray(fresh(), arange(10, 'int64'), { url, namespace: NS, rowsPerBlock: 4 });
    expect((await v.readRows(3, 9)).toArray()).toEqual([3n, 4n, 5n, 6n, 7n, 8n]);
    await v.delete();
  });

  it('bad arguments are typed errors naming the argument', async () => {
    const name = fresh();
    expect((await rejection(RedisNDArray.create('', { url, shape: [1] }))).message).toMatch(/'name'/);
    expect((await rejection(RedisNDArray.create('a b', { url, shape: [1] }))).message).toMatch(/'name'/);
    expect((await rejection(RedisNDArray.create(name, { url: 'http://x', shape: [1] }))).message).toMatch(/'options.url'/);
    expect((await rejection(RedisNDArray.create(name, { url, shape: [1], namespace: 'a*' }))).message).toMatch(/'options.namespace'/);
    expect((await rejection(RedisNDArray.create(name, { url, shape: [1], rowsPerBlock: 0 }))).message).toMatch(/'options.rowsPerBlock'/);
    expect((await rejection(RedisNDArray.create(name, { url, shape: [1], shap: 1 } as never))).message).toMatch(/unknown option "shap"/);
    expect(await rejection(RedisNDArray.create(name, { url, shape: [1], dtype: 'complex' as never }))).toBeInstanceOf(DTypeError);
    expect(await rejection(RedisNDArray.create(name, { url, shape: [] }))).toBeInstanceOf(ShapeError);
    expect(await rejection(RedisNDArray.create(name, { url } as never))).toBeInstanceOf(ArgumentError);
    expect(await rejection(RedisNDArray.fromArray(name, [1, 2] as never, { url }))).toBeInstanceOf(ArgumentError);
    const a = await RedisNDArray.create(name, { url, namespace: NS, shape: [4, 2], dtype: 'int8' });
    expect(await rejection(RedisNDArray.create(name, { url, namespace: NS, shape: [1] }))).toBeInstanceOf(ValueError);
    expect((await rejection(a.readRows(-1))).message).toMatch(/'start'/);
    expect((await rejection(a.readRows(2, 5))).message).toMatch(/'stop'/);
    expect((await rejection(a.readRows(1.5))).message).toMatch(/'start'/);
    expect(await rejection(a.writeRows(3, zeros([2, 2], 'int8')))).toBeInstanceOf(ShapeError);
    expect(await rejection(a.writeRows(0, zeros([2, 3], 'int8')))).toBeInstanceOf(ShapeError);
    expect(await rejection(a.writeRows(0, zeros([2, 2], 'int16') as never))).toBeInstanceOf(DTypeError);
    expect(await rejection(a.writeRows(0, [[1, 2]] as never))).toBeInstanceOf(ArgumentError);
    await a.delete();
    expect(await rejection(a.readRows())).toBeInstanceOf(ValueError);
  });

  it('a Redis that is down is a ClusterConnectionError in bounded time, at connecting and at a call', async () => {
    const down = await startRedis();
    const a = await RedisNDArray.create('x', { url: down.url, shape: [3], commandTimeout: 1000 });
    const encoded = await encodeArgs([a], { namespace: 'shared-ndarray' }, { rowsIndex: 0 });
    const other = await connectRedis('test', down.url, 1000, 1000);
    await down.kill();
    try {
      const t0 = Date.now();
      expect(await rejection(a.readRows())).toBeInstanceOf(ClusterConnectionError);
      expect(await rejection(a.writeRows(0, zeros(3)))).toBeInstanceOf(ClusterConnectionError);
      expect(await rejection(decodeArgs(encoded, { redis: other, namespace: 'shared-ndarray' }, { index: 0, start: 0, stop: 3 }))).toBeInstanceOf(ClusterConnectionError);
      const error = await rejection(RedisNDArray.open('x', { url: down.url, connectTimeout: 500 }));
      expect(error).toBeInstanceOf(ClusterConnectionError);
      expect(error.message).toMatch(/cannot connect to Redis at redis:\/\/127\.0\.0\.1/);
      // bounded: each call fails at once or within its timeout, never hangs
      expect(Date.now() - t0).toBeLessThan(20_000);
    } finally {
      other.disconnect();
      await a.close();
      await down.stop();
    }
  });
});
