// Run by test/io/native.thread.test.ts in a child process whose main thread has not loaded the
// addon: worker threads that alone loaded it map memory and exit while holding the mapping, or
// after handing it to this thread. Before the addon pinned itself in memory, Node unloaded it at
// the worker's exit and the mapping's deleter then ran in unloaded code (SIGSEGV, exit 139).
// Prints one JSON line of observations.
import { Worker } from 'node:worker_threads';

const nativeUrl = new URL('../../dist/io/native.js', import.meta.url).href;

/** Runs `body` in a fresh worker that imports the addon as `n`; resolves with its message and exit code. */
function inWorker(body) {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     import(${JSON.stringify(nativeUrl)}).then((n) => { ${body} });`,
    { eval: true },
  );
  let message;
  worker.on('message', (m) => { message = m; });
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => resolve({ message, code }));
  });
}

const out = {};
// 1. The worker keeps its mapping alive until its isolate is torn down.
out.kept = (await inWorker(`globalThis.keep = n.mapAnonymous(4096); new Uint8Array(globalThis.keep)[0] = 1; parentPort.postMessage('mapped');`)).code;
// 2. The worker hands its mapping to this thread and exits; this thread writes it afterwards,
//    then drops it, and the deleter runs here.
const handed = await inWorker(`parentPort.postMessage(n.mapAnonymous(8192));`);
let bytes = new Uint8Array(handed.message);
bytes.fill(7);
out.handed = { code: handed.code, sum: bytes.reduce((a, b) => a + b, 0) };
const { mappingCount } = await import(nativeUrl);
out.liveBeforeCollect = mappingCount() >= 1;
handed.message = undefined;
bytes = undefined;
for (let i = 0; i < 50 && mappingCount() > 0; i++) {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
out.afterCollect = mappingCount();
console.log(JSON.stringify(out));
