/**
 * Handing an array to a worker and back: a SharedNDArray through `pool.apply` (the worker gets a
 * view of the same memory, whatever its size) against the same bytes sent by structured clone
 * (postMessage of a plain Uint8Array, no transfer: copied there and copied back), and against the
 * floor, a raw postMessage of a view of a SharedArrayBuffer. 1 MiB, 100 MiB and 1 GiB (1 GiB
 * only without --quick). The arrays are filled first so their pages are real.
 */
import { Worker } from 'node:worker_threads';
import { Pool, zeros, type SharedNDArray } from '../../src/index.js';
import type { InterleavedCase, Suite } from '../harness/context.js';

const MIB = 2 ** 20;
type HandoffPool = Pool<{ handoff: (a: SharedNDArray<'uint8'>) => SharedNDArray<'uint8'> }>;

function label(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : `${bytes / MIB} MiB`;
}

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

const suite: Suite = {
  name: 'zerocopy',
  title: 'handing an array to a worker and back: shared vs copied',
  async run(s) {
    const sizes = s.quick ? [MIB, 100 * MIB] : [MIB, 100 * MIB, 1024 * MIB];
    const pool: HandoffPool = new Pool(new URL('../support/handoff.worker.mjs', import.meta.url), { size: 1 });
    const raw = echoWorker();
    try {
      await pool.ready();
      await raw.send(0);
      for (const bytes of sizes) {
        const size = label(bytes);
        const OURS = `SharedNDArray (${size}): pool.apply(handoff, a) returns a`;
        const FLOOR = `raw postMessage of a SharedArrayBuffer view (${size}), echoed`;
        const CLONE = `structured clone (${size}): postMessage(Uint8Array) echoed, copied both ways`;
        s.group(`${size} to a worker and back`);
        const shared = zeros([bytes], 'uint8').fill(1);
        const cloned = new Uint8Array(bytes).fill(1);
        const cases: InterleavedCase[] = [
          { name: OURS, fn: async () => { if ((await pool.apply('handoff', shared)).size !== bytes) throw new Error('zerocopy: wrong size back'); }, options: { vs: CLONE } },
          { name: FLOOR, fn: () => raw.send(shared.data), options: { peer: true, vs: CLONE } },
          {
            name: CLONE,
            fn: async () => { if ((await raw.send(cloned) as Uint8Array).byteLength !== bytes) throw new Error('zerocopy: wrong size back'); },
            options: { peer: true },
            // about 0.1 s of copying per turn at most
            batch: Math.max(1, Math.round((100 * MIB) / bytes)),
          },
        ];
        await s.interleaved(cases, { batch: 200, rounds: bytes >= 2 ** 30 ? 3 : s.quick ? 5 : 9 });
        s.compare(`SharedNDArray hand-off / structured clone, ${size}`, OURS, CLONE);
        s.compare(`SharedNDArray hand-off / raw SharedArrayBuffer postMessage, ${size}`, OURS, FLOOR);
      }
      const first = label(sizes[0]!);
      const last = label(sizes[sizes.length - 1]!);
      s.compare(`SharedNDArray hand-off at ${last} / at ${first}`, `SharedNDArray (${last}): pool.apply(handoff, a) returns a`, `SharedNDArray (${first}): pool.apply(handoff, a) returns a`, 2);
      s.compare(`structured clone at ${last} / at ${first}`, `structured clone (${last}): postMessage(Uint8Array) echoed, copied both ways`, `structured clone (${first}): postMessage(Uint8Array) echoed, copied both ways`);
    } finally {
      await pool.terminate();
      await raw.stop();
    }
  },
};
export default suite;
