// A sketch of the pool protocol without `threads`, for the pool suite: one message each way,
// { id, fn, args } in and { id, reply } out, with the package's transport encoding kept, so the
// case measures what a pool would cost if its adapter talked to worker_threads directly. The
// public toDescriptors/fromDescriptors are the pool's encode/decode.
import { parentPort } from 'node:worker_threads';
import { fromDescriptors as decode, toDescriptors as encode } from 'shared-ndarray';

const functions = { echo: (x) => x };
parentPort.on('message', ({ id, fn, args }) => {
  let reply;
  try {
    reply = { ok: true, value: encode(functions[fn](...decode(args))) };
  } catch (error) {
    reply = { ok: false, error: encode(error) };
  }
  parentPort.postMessage({ id, reply });
});
parentPort.postMessage('ready');
