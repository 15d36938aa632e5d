/**
 * The reference article's "shared numpy array" section: one block of shared doubles is wrapped
 * with frombuffer + reshape as a [workers, 10] matrix, every worker wraps the same memory the same
 * way and fills its own row with its id, and the main thread prints what they wrote. Nothing is
 * copied: each worker receives the SharedArrayBuffer itself.
 *
 * Run: npm start   (or: npm run build && npx tsx examples/shared-numpy-array.ts [workers])
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { frombuffer } from 'shared-ndarray';

const NUM_WORKERS = Number(process.argv[2] ?? availableParallelism());

// multiprocessing.Array(ctypes.c_double, NUM_PROCESS * 10, lock=False)
const sharedArrayBase = new SharedArrayBuffer(NUM_WORKERS * 10 * Float64Array.BYTES_PER_ELEMENT);

const started = performance.now();
const ids = await Promise.all(
  Array.from({ length: NUM_WORKERS }, (_, index) => new Promise<number>((resolve, reject) => {
    // The worker is plain JS: Node 20 cannot start a .ts worker under tsx.
    const worker = new Worker(new URL('./shared-numpy-array.worker.mjs', import.meta.url), {
      workerData: { sharedArrayBase, numWorkers: NUM_WORKERS, index },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  })),
);
const elapsed = performance.now() - started;

const mainArray = frombuffer(sharedArrayBase, { dtype: 'c_double' }).reshape(NUM_WORKERS, 10);
for (let i = 0; i < NUM_WORKERS; i++) console.log(`[${mainArray.row(i).data.join(' ')}]`);
console.log(`${NUM_WORKERS} worker threads (ids ${ids.join(', ')}) filled their rows of one ${mainArray.nbytes}-byte SharedArrayBuffer in ${elapsed.toFixed(1)} ms, zero copies`);
