/**
 * The reference article's "shared numpy array" section: a multiprocessing.Array of doubles
 * without a lock, wrapped with frombuffer + reshape as a [workers, 10] matrix; pool workers wrap
 * the same memory the same way, each fills its row with its thread id, and the main thread prints
 * what they wrote. Nothing is copied: the array crosses to the workers as its SharedArrayBuffer.
 *
 * Run: npx tsx examples/shared-numpy-array.ts [workers]
 */
import { availableParallelism } from 'node:os';
// The namespace keeps the code as the article writes it, and the global Array unshadowed.
import * as multiprocessing from 'shared-ndarray';
import { frombuffer } from 'shared-ndarray';

const NUM_PROCESS = Number(process.argv[2] ?? availableParallelism());

// multiprocessing.Array(ctypes.c_double, NUM_PROCESS * 10, lock=False)
const sharedArrayBase = multiprocessing.Array('c_double', NUM_PROCESS * 10, { lock: false });

const pool = new multiprocessing.Pool<typeof import('./primes.worker.js')>(new URL('./primes.worker.ts', import.meta.url), { size: NUM_PROCESS });
// Wait until every worker has started, so each idle worker takes one row (a worker that started
// first would otherwise take them all: the tasks are that short).
await pool.ready();
const result = await pool.starmap('fillRow', Array.from({ length: NUM_PROCESS }, (_, index) => [sharedArrayBase, NUM_PROCESS, index] as const));
pool.close();
await pool.join();

const mainArray = frombuffer(sharedArrayBase.buffer, { dtype: 'c_double' }).reshape(NUM_PROCESS, 10);
console.log(String(mainArray));
console.log(`thread ids: ${result.join(', ')}`);
