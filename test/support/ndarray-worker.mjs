// Worker for test/ndarray/worker.thread.test.ts. A plain .mjs file because vitest does not transform
// worker code: it loads the compiled package from dist/ (built by test/support/build.ts).
//
// Protocol: every request is `{ id, op, ...args }` and gets exactly one reply
// `{ id, ok: true, result }` or `{ id, ok: false, error: { name, message } }`. On start-up the
// worker posts `{ id: 0, ok: true, result: { ready: { <name>: summary } } }` for the arrays it
// rebuilt from `workerData.descriptors`. No element data ever travels in a message except in the
// explicit `read`/`int32` replies the test uses to look at what the worker sees.
import { parentPort, workerData } from 'node:worker_threads';
import { SharedNDArray, isNDArrayDescriptor } from '../../dist/index.js';

if (!parentPort) throw new Error('ndarray-worker.mjs must run as a worker thread');

/** @type {Map<string, SharedNDArray>} */
const arrays = new Map();
const control = workerData?.control instanceof SharedArrayBuffer ? new Int32Array(workerData.control) : undefined;

function summary(a) {
  return {
    dtype: a.dtype, shape: [...a.shape], strides: [...a.strides], offset: a.offset,
    isShared: a.isShared, bufferIsShared: a.buffer instanceof SharedArrayBuffer, bufferByteLength: a.buffer.byteLength,
  };
}

function adopt(name, descriptor) {
  if (!isNDArrayDescriptor(descriptor)) throw new TypeError(`adopt: ${name} is not a descriptor`);
  const a = SharedNDArray.fromDescriptor(descriptor);
  arrays.set(name, a);
  return summary(a);
}

function get(name) {
  const a = arrays.get(name);
  if (!a) throw new Error(`no array named ${name}`);
  return a;
}

/** Every index of `shape` in C order. */
function* indices(shape) {
  const size = shape.reduce((p, n) => p * n, 1);
  const index = new Array(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    yield index.slice();
    for (let ax = shape.length - 1; ax >= 0 && ++index[ax] === shape[ax]; ax--) index[ax] = 0;
  }
}

/** The value the k-th element (C order) gets from `pattern`: base + k, or k even for bool. */
function patternValue(dtype, base, k) {
  if (dtype === 'bool') return k % 2 === 0;
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(base) + BigInt(k);
  return Number(base) + k;
}

const ops = {
  adopt: ({ name, descriptor }) => adopt(name, descriptor),
  adoptMany: ({ descriptors }) => Object.fromEntries(Object.entries(descriptors).map(([n, d]) => [n, adopt(n, d)])),
  summary: ({ name }) => summary(get(name)),
  sameBufferObject: ({ a, b }) => get(a).buffer === get(b).buffer,
  // Writes base + k into the k-th element of the view, in C order of the view.
  pattern: ({ name, base }) => {
    const a = get(name);
    let k = 0;
    for (const index of indices(a.shape)) a.set(...index, patternValue(a.dtype, base, k++));
    return k;
  },
  write: ({ name, cells }) => {
    const a = get(name);
    for (const [index, value] of cells) a.set(...index, value);
    return cells.length;
  },
  read: ({ name }) => get(name).toArray(),
  int32: ({ name, index }) => new Int32Array(get(name).buffer)[index],
  writeInt32: ({ name, index, value }) => { new Int32Array(get(name).buffer)[index] = value; return true; },
  // Atomics handshake without messages: for round r = 1..rounds the worker waits until
  // control[0] >= r (main has written a[0]), writes a[1] = 2 * a[0], then publishes control[1] = r.
  atomicsDouble: ({ name, rounds }) => {
    if (!control) throw new Error('atomicsDouble needs workerData.control');
    const a = get(name);
    for (let r = 1; r <= rounds; r++) {
      while (Atomics.load(control, 0) < r) {
        if (Atomics.wait(control, 0, r - 1, 5000) === 'timed-out') throw new Error(`atomicsDouble: timed out in round ${r}`);
      }
      a.set(1, a.get(0) * 2);
      Atomics.store(control, 1, r);
      Atomics.notify(control, 1);
    }
    return rounds;
  },
};

for (const [name, descriptor] of Object.entries(workerData?.descriptors ?? {})) adopt(name, descriptor);

parentPort.on('message', (msg) => {
  try {
    const op = ops[msg.op];
    if (!op) throw new Error(`unknown op ${msg.op}`);
    parentPort.postMessage({ id: msg.id, ok: true, result: op(msg) });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: { name: e?.name, message: e?.message } });
  }
});

parentPort.postMessage({ id: 0, ok: true, result: { ready: Object.fromEntries([...arrays].map(([n, a]) => [n, summary(a)])) } });
