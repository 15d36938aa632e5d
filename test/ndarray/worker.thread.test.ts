import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BufferError, NotSharedError, SharedNDArray, arange, frombuffer, isNDArrayDescriptor, zeros,
  type NDArrayDescriptor,
} from '../../src/index.js';

/**
 * Zero-copy crossing of thread boundaries with a raw `node:worker_threads` Worker. The worker
 * (test/support/ndarray-worker.mjs) runs the compiled package from dist/; this file runs src/.
 * The two only share plain descriptor objects, so everything the main thread observes after a
 * worker write went through the one SharedArrayBuffer, never through a message.
 */

const WORKER_URL = new URL('../support/ndarray-worker.mjs', import.meta.url);
const CALL_TIMEOUT_MS = 5_000;

interface Summary {
  dtype: string;
  shape: number[];
  strides: number[];
  offset: number;
  isShared: boolean;
  bufferIsShared: boolean;
  bufferByteLength: number;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { name?: string; message?: string };
}

class WorkerCallError extends Error {
  constructor(readonly remoteName: string | undefined, message: string | undefined) {
    super(`worker threw ${remoteName}: ${message}`);
  }
}

const live: Worker[] = [];

afterEach(async () => {
  await Promise.all(live.splice(0).map((w) => w.terminate()));
});

interface Client {
  worker: Worker;
  ready: Promise<Record<string, Summary>>;
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
}

function startWorker(workerData: Record<string, unknown> = {}): Client {
  const worker = new Worker(WORKER_URL, { workerData });
  live.push(worker);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  const ready = new Promise<Record<string, Summary>>((resolve, reject) => {
    pending.set(0, { resolve: (r) => resolve((r as { ready: Record<string, Summary> }).ready), reject });
  });
  const failAll = (e: unknown): void => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new WorkerCallError(m.error?.name, m.error?.message));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`worker exited with code ${code}`)));
  return {
    worker,
    ready,
    call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`worker op ${op} timed out`));
        }, CALL_TIMEOUT_MS);
        pending.set(id, {
          resolve: (v) => { clearTimeout(timer); resolve(v as T); },
          reject: (e) => { clearTimeout(timer); reject(e); },
        });
        worker.postMessage({ id, op, ...args });
      });
    },
  };
}

function summaryOf(a: SharedNDArray): Summary {
  return {
    dtype: a.dtype, shape: [...a.shape], strides: [...a.strides], offset: a.offset,
    isShared: true, bufferIsShared: true, bufferByteLength: a.buffer.byteLength,
  };
}

describe('SharedNDArray across a raw worker_threads Worker', () => {
  it('workerData: the worker rebuilds contiguous, strided, transposed, int64 and bool views over the same memory', async () => {
    const a = zeros([4, 8]);
    const v = a.slice('::2', '1:5'); // shape [2, 4], strides [16, 1], offset 1
    const t = a.T; // shape [8, 4], strides [1, 8]
    const big = zeros([3], 'int64');
    const flags = zeros([2, 3], 'bool');
    expect(v.strides).toEqual([16, 1]);
    expect(v.offset).toBe(1);

    const client = startWorker({
      descriptors: {
        a: a.toDescriptor(), v: v.toDescriptor(), t: t.toDescriptor(), big: big.toDescriptor(), flags: flags.toDescriptor(),
      },
    });
    const ready = await client.ready;
    expect(ready).toEqual({
      a: summaryOf(a), v: summaryOf(v), t: summaryOf(t), big: summaryOf(big), flags: summaryOf(flags),
    });

    // Worker writes through the contiguous array: every cell, seen here with no data message.
    await client.call('pattern', { name: 'a', base: 0 });
    for (let i = 0; i < 4; i++) for (let j = 0; j < 8; j++) expect(a.get(i, j)).toBe(8 * i + j);

    // Through the strided view: exactly the cells a[::2, 1:5] change.
    expect(await client.call('pattern', { name: 'v', base: 1000 })).toBe(8);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 8; j++) {
        const inView = i % 2 === 0 && j >= 1 && j < 5;
        expect(a.get(i, j)).toBe(inView ? 1000 + (i / 2) * 4 + (j - 1) : 8 * i + j);
      }
    }

    // Through the transpose: t[j, i] is a[i, j], the k-th element of t in C order is j * 4 + i.
    await client.call('pattern', { name: 't', base: 5000 });
    for (let i = 0; i < 4; i++) for (let j = 0; j < 8; j++) expect(a.get(i, j)).toBe(5000 + j * 4 + i);

    // int64 beyond 2^53: values stay exact bigints on both sides.
    await client.call('pattern', { name: 'big', base: 2n ** 60n });
    expect(big.toArray()).toEqual([2n ** 60n, 2n ** 60n + 1n, 2n ** 60n + 2n]);

    await client.call('pattern', { name: 'flags', base: 0 });
    expect(flags.toArray()).toEqual([[true, false, true], [false, true, false]]);

    // Now the main thread writes and the worker reads the same cells back.
    for (let i = 0; i < 4; i++) for (let j = 0; j < 8; j++) a.set(i, j, -(8 * i + j) - 0.25);
    big.set(1, -(2n ** 62n));
    flags.fill(false).set(1, 2, true);
    expect(await client.call('read', { name: 'a' })).toEqual(a.toArray());
    expect(await client.call('read', { name: 'v' })).toEqual(v.toArray());
    expect(await client.call('read', { name: 't' })).toEqual(a.T.toArray());
    expect(await client.call('read', { name: 'big' })).toEqual([2n ** 60n, -(2n ** 62n), 2n ** 60n + 2n]);
    expect(await client.call('read', { name: 'flags' })).toEqual([[false, false, false], [false, false, true]]);
  });

  it('postMessage: descriptors sent after start-up arrive as the same memory', async () => {
    const client = startWorker();
    expect(await client.ready).toEqual({});

    const a = zeros([4, 8], 'float32');
    const view = a.slice('1:', '::-3'); // rows 1..3, columns 7, 4, 1
    expect(view.shape).toEqual([3, 3]);
    expect(view.strides).toEqual([8, -3]);
    expect(await client.call('adopt', { name: 'a', descriptor: a.toDescriptor() })).toEqual(summaryOf(a));
    expect(await client.call('adopt', { name: 'view', descriptor: view.toDescriptor() })).toEqual(summaryOf(view));

    await client.call('pattern', { name: 'view', base: 1 });
    expect(view.toArray()).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect([a.get(1, 7), a.get(1, 4), a.get(1, 1), a.get(3, 1)]).toEqual([1, 2, 3, 9]);
    // Nothing outside the view was touched.
    expect((a.toArray() as number[][]).flat().filter((x) => x !== 0)).toHaveLength(view.size);

    view.set(2, 0, 42);
    const seen = await client.call<number[][]>('read', { name: 'a' });
    expect(seen[3]![7]).toBe(42);
    expect(seen).toEqual(a.toArray());

    // Two descriptors of one buffer in one message arrive as one SharedArrayBuffer object.
    await client.call('adoptMany', { descriptors: { x: a.toDescriptor(), y: view.toDescriptor() } });
    expect(await client.call('sameBufferObject', { a: 'x', b: 'y' })).toBe(true);
  });

  it("the worker's buffer is the very memory: raw Int32Array writes cross both ways", async () => {
    const a = zeros([4, 8]);
    const big = zeros([4], 'int64');
    const client = startWorker({ descriptors: { a: a.toDescriptor() } });
    await client.ready;
    await client.call('adopt', { name: 'big', descriptor: big.toDescriptor() });

    // A separate Int32Array over the buffer in main, not the array's own typed array.
    const raw = new Int32Array(a.buffer);
    raw[5] = 0x12345678;
    raw[63] = -123456789;
    expect(await client.call('int32', { name: 'a', index: 5 })).toBe(0x12345678);
    expect(await client.call('int32', { name: 'a', index: 63 })).toBe(-123456789);
    // ...and the worker's float64 view of those bits matches ours.
    expect(await client.call('read', { name: 'a' })).toEqual(a.toArray());
    expect(a.get(3, 7)).not.toBe(0);

    // The worker writes raw 32-bit words; main sees the int64 element they form (little-endian).
    await client.call('writeInt32', { name: 'big', index: 2, value: 7 });
    await client.call('writeInt32', { name: 'big', index: 3, value: 1 });
    expect(big.get(1)).toBe((1n << 32n) | 7n);
    expect(new Int32Array(big.buffer)[2]).toBe(7);

    // frombuffer over the same SharedArrayBuffer is a third view of the same memory.
    const words = frombuffer(a.buffer, { dtype: 'int32' });
    words.set(0, -1);
    expect(await client.call('int32', { name: 'a', index: 0 })).toBe(-1);
  });

  it('Atomics: main and worker hand values back and forth with no data in messages', async () => {
    const control = new Int32Array(new SharedArrayBuffer(8));
    const a = zeros([2]);
    const client = startWorker({ descriptors: { a: a.toDescriptor() }, control: control.buffer });
    await client.ready;

    const rounds = 5;
    const done = client.call<number>('atomicsDouble', { name: 'a', rounds });
    // if an assertion below fails first, the pending call must not surface as a second, unhandled error
    done.catch(() => undefined);
    for (let r = 1; r <= rounds; r++) {
      a.set(0, r * 1.5);
      Atomics.store(control, 0, r);
      Atomics.notify(control, 0);
      while (Atomics.load(control, 1) < r) {
        // Node allows a bounded Atomics.wait on the main thread; the worker runs independently.
        expect(Atomics.wait(control, 1, r - 1, CALL_TIMEOUT_MS)).not.toBe('timed-out');
      }
      expect(a.get(1)).toBe(r * 3);
    }
    expect(await done).toBe(rounds);
  });

  it('the worker validates descriptors: geometry outside the buffer is refused there too', async () => {
    const a = zeros([2, 3]);
    const client = startWorker();
    await client.ready;
    const d = a.toDescriptor();
    const tampered: NDArrayDescriptor = { ...d, offset: d.offset + 1 };
    await expect(client.call('adopt', { name: 'bad', descriptor: tampered })).rejects.toMatchObject({ remoteName: 'BufferError' });
    // The worker is still usable afterwards.
    expect(await client.call('adopt', { name: 'good', descriptor: d })).toEqual(summaryOf(a));
  });
});

describe('descriptors', () => {
  it('survive structuredClone without copying the SharedArrayBuffer', () => {
    const a = arange(12).reshape(3, 4);
    const v = a.slice('::-1', '1::2'); // a[::-1, 1::2], shape [3, 2], strides [-4, 2], offset 9
    const d = v.toDescriptor();
    const c = structuredClone(d);
    expect(c).not.toBe(d);
    expect(isNDArrayDescriptor(c)).toBe(true);
    expect({ ...c, buffer: null }).toEqual({ ...d, buffer: null });
    expect(c.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.buffer.byteLength).toBe(a.buffer.byteLength);

    const r = SharedNDArray.fromDescriptor(c);
    expect(r.toArray()).toEqual(v.toArray());
    expect(r.toArray()).toEqual([[9, 11], [5, 7], [1, 3]]);
    // Writes after the clone cross both ways: the clone carried memory, not a snapshot.
    a.set(0, 1, 100);
    expect(r.get(2, 0)).toBe(100);
    r.set(0, 1, -7);
    expect(a.get(2, 3)).toBe(-7);
    new Float64Array(c.buffer)[4] = 0.5;
    expect(a.get(1, 0)).toBe(0.5);

    // Several descriptors of one buffer cloned together keep one buffer object.
    const both = structuredClone({ x: a.toDescriptor(), y: v.toDescriptor() });
    expect(both.x.buffer).toBe(both.y.buffer);
  });

  it('refuse non-shared memory on both ends', () => {
    const plain = frombuffer(new ArrayBuffer(32));
    expect(plain.isShared).toBe(false);
    expect(() => plain.toDescriptor()).toThrow(NotSharedError);
    const d = zeros([4]).toDescriptor();
    const forged = { ...d, buffer: new ArrayBuffer(32) } as unknown as NDArrayDescriptor;
    expect(() => SharedNDArray.fromDescriptor(forged)).toThrow(NotSharedError);
    expect(() => SharedNDArray.fromDescriptor({ ...d, shape: [5] })).toThrow(BufferError);
  });
});
