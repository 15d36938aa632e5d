/**
 * Handing an array to a worker and back: a SharedNDArray through `pool.apply` (the worker gets a
 * view of the same memory, whatever its size) against the same bytes sent by structured clone
 * (postMessage of a plain Uint8Array, no transfer: copied there and copied back), and against the
 * floor, a raw postMessage of a view of a SharedArrayBuffer. 1 MiB, 100 MiB and 1 GiB (1 GiB
 * only without --quick; 1 and 2 MiB with --smoke). The arrays are filled first so their pages are real. The shared
 * hand-offs of all sizes are measured in turns; the copies after them, each size timed whole.
 */
import { Worker } from 'node:worker_threads';
import { Pool, zeros, type SharedNDArray } from 'shared-ndarray';
import type { InterleavedCase, Suite } from '../harness/context.js';
import { formatBytes } from '../harness/format.js';

const MIB = 2 ** 20;
type HandoffPool = Pool<{ handoff: (a: SharedNDArray<'uint8'>) => SharedNDArray<'uint8'> }>;

/** A worker that posts every message back, and a call that waits for the echo. */
function echoWorker(): { send(message: unknown): Promise<unknown>; stop(): Promise<number> } {
  const worker = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));", { eval: true });
  let resolve: ((m: unknown) => void) | undefined;
  worker.on('message', (m: unknown) => resolve?.(m));
  return {
    send: (message) => new Promise((r) => { resolve = r; worker.postMessage(message); }),
    stop: () => worker.terminate(),
  };
}

const ours = (size: string): string => `SharedNDArray (${size}): pool.apply(handoff, a) returns a`;
const floor = (size: string): string => `raw postMessage of a SharedArrayBuffer view (${size}), echoed`;
const clone = (size: string): string => `structured clone (${size}): postMessage(Uint8Array) echoed`;

const suite: Suite = {
  name: 'zerocopy',
  title: 'handing an array to a worker and back: shared vs copied',
  async run(s) {
    const sizes = s.pick([MIB, 100 * MIB, 1024 * MIB], [MIB, 100 * MIB], [MIB, 2 * MIB]).map((bytes) => ({ bytes, size: formatBytes(bytes) }));
    const pool: HandoffPool = new Pool(new URL('../support/handoff.worker.mjs', import.meta.url), { size: 1 });
    const raw = echoWorker();
    try {
      await pool.ready();
      await raw.send(0);
      // The shared hand-offs of every size in turns, apart from the copies: a 1 GiB structured
      // clone leaves gigabytes to unmap and collect, which would slow whatever runs next.
      s.group('shared, no copy: a SharedNDArray through pool.apply, and the raw floor');
      const cases: InterleavedCase[] = [];
      for (const { bytes, size } of sizes) {
        const shared = zeros([bytes], 'uint8').fill(1);
        cases.push({ name: ours(size), fn: async () => { if ((await pool.apply('handoff', shared)).size !== bytes) throw new Error('zerocopy: wrong size back'); }, options: { vs: clone(size) } });
        cases.push({ name: floor(size), fn: () => raw.send(shared.data), options: { peer: true, vs: clone(size) } });
      }
      await s.interleaved(cases, { batch: s.quick ? 500 : 1000, rounds: s.quick ? 5 : 11 });
      cases.length = 0;

      s.group('copied both ways: the same bytes by structured clone (postMessage of a Uint8Array, no transfer)');
      for (const { bytes, size } of sizes) {
        const copied = new Uint8Array(bytes).fill(1);
        // at least 100 MiB copied per run, so a small size is not all timer noise (--smoke: one call)
        const calls = s.smoke ? 1 : Math.max(1, Math.round((100 * MIB) / bytes));
        await s.timed(clone(size), async () => {
          for (let i = 0; i < calls; i++) {
            if ((await raw.send(copied) as Uint8Array).byteLength !== bytes) throw new Error('zerocopy: wrong size back');
          }
        }, { peer: true, runs: bytes >= 2 ** 30 ? 3 : s.quick ? 3 : 5, warmup: true, perCall: calls });
      }
      for (const { size } of sizes) {
        s.compare(`SharedNDArray hand-off / structured clone, ${size}`, ours(size), clone(size));
        // issue 14: a hand-off within 1.3x of a raw SharedArrayBuffer postMessage
        s.compare(`SharedNDArray hand-off / raw SharedArrayBuffer postMessage, ${size}`, ours(size), floor(size), 1.3);
      }
      const first = sizes[0]!.size;
      const last = sizes[sizes.length - 1]!.size;
      s.compare(`SharedNDArray hand-off at ${last} / at ${first}`, ours(last), ours(first), 2);
      s.compare(`structured clone at ${last} / at ${first}`, clone(last), clone(first));
    } finally {
      await pool.terminate();
      await raw.stop();
    }
  },
};
export default suite;
