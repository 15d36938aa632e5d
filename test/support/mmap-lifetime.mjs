// Run with --expose-gc by test/io/native.thread.test.ts: the unmap-on-collection rule. A mapping stays
// mapped while any view of its SharedArrayBuffer lives, here or in a worker, after MMap.close();
// it is unmapped once the last one is collected. Prints one JSON line of observations.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MMap } from 'shared-ndarray';
import { mappingCount } from '../../dist/io/native.js';

const dir = mkdtempSync(join(tmpdir(), 'mmap-lifetime-'));
const file = join(dir, 'data.bin');
writeFileSync(file, Buffer.alloc(10_000, 1));

/**
 * Collects garbage until the count of live mappings drops to `target`, or gives up after `rounds`
 * collections. A full collection frees at once whatever it will ever free, and the mappings that
 * must go were gone after at most one round in every run; so the checks that a live view keeps its
 * mapping, which always run to the end, stop after 5 rounds (50 of them were a second and a half).
 */
async function collectUntil(target, rounds = 50) {
  for (let i = 0; i < rounds && mappingCount() > target; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return mappingCount();
}

const out = { start: mappingCount() };

// 1. A view outlives MMap.close(): it still reads and writes the file's memory.
let mm = new MMap(file, 0, { offset: 104 });
let view = new Uint8Array(mm.buffer);
out.mapped = mappingCount();
mm.close();
let closedError = '';
try { mm.read(1); } catch (e) { closedError = `${e.name}: ${e.message}`; }
out.closedError = closedError;
view[0] = 42;
view[view.length - 1] = 43;
out.viewAfterClose = [view[0], view[1], view[view.length - 1]];
out.stillMapped = await collectUntil(0, 5);
mm = undefined;
view = undefined;
out.afterCollect = await collectUntil(0);
const disk = readFileSync(file);
out.disk = [disk[104], disk[105], disk[9999]];

// 2. A worker holds the only reference: the memory stays mapped until the worker is gone.
let anon = new MMap(-1, 4096);
const worker = new Worker(`
  const { parentPort } = require('node:worker_threads');
  let bytes;
  parentPort.on('message', (msg) => {
    if (msg.buffer) { bytes = new Uint8Array(msg.buffer); parentPort.postMessage('got'); }
    else if (msg === 'write') { for (let i = 0; i < bytes.length; i++) bytes[i] = i & 255; parentPort.postMessage(bytes.reduce((a, b) => a + b, 0)); }
    else if (msg === 'drop') { bytes = undefined; globalThis.gc(); parentPort.postMessage('dropped'); }
  });
`, { eval: true });
const reply = () => new Promise((resolve) => worker.once('message', resolve));
worker.postMessage({ buffer: anon.buffer });
await reply();
anon.close();
anon = undefined;
out.workerOnly = await collectUntil(0, 5);
worker.postMessage('write');
out.workerSum = await reply();
worker.postMessage('drop');
await reply();
await worker.terminate();
out.afterWorker = await collectUntil(0);

rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(out));
