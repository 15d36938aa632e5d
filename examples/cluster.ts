/**
 * The pool's API over machines: worker daemons take tasks from a Redis queue (BullMQ), run them on
 * their threads, and write array rows in place. This process starts two daemons (this same file,
 * in the daemon role) and a ClusterPool on their queue, then
 * 1. counts the primes below 1,000,001 by trial division, as the article does, over 8 ranges: map;
 * 2. fills a matrix, row blocks spread over the daemons, twice: a memmap of a `.npy` file (every
 *    machine must see its path: a shared filesystem) and a RedisNDArray (held in Redis by rows;
 *    each task fetches and writes back only its rows). Each is checked element by element.
 * Prints the count, then one line per matrix.
 *
 * On real machines, start the daemons with the command instead, one per machine:
 *   npx shared-ndarray worker --redis redis://host:6379 --queue primes --module examples/cluster.worker.ts
 * Needs a Redis 7 server and the optional peers `npm install bullmq ioredis`.
 *
 * Run: npx tsx examples/cluster.ts [redis://127.0.0.1:6379] [numbers]
 * `numbers` (default 1,000,000, the article's) is where the count stops: a smaller one runs faster.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createMemmap, divideRange, type SharedNDArray } from 'shared-ndarray';
import { ClusterPool, RedisNDArray, WorkerDaemon } from 'shared-ndarray/cluster';

const MODULE = new URL('./cluster.worker.ts', import.meta.url);
const ROWS = 64;
const COLS = 1000;

const [role, url = 'redis://127.0.0.1:6379', queue = '', namespace = ''] = process.argv[2] === 'daemon' ? process.argv.slice(2) : ['main', process.argv[2]];
const CHECK_NUMBERS = Number((role === 'main' && process.argv[3]) || 1_000_000);

/** Whether every element of the matrix is its element number, as fillRows writes it. */
function filled(matrix: SharedNDArray): boolean {
  for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) if (matrix.get(r, c) !== r * COLS + c) return false;
  return true;
}

if (role === 'daemon') {
  // what `shared-ndarray worker` runs: until SIGTERM, then finish the running tasks and stop
  const daemon = await WorkerDaemon.start({ url: url!, queue: queue!, namespace: namespace!, module: MODULE, threads: 1 });
  console.log('ready');
  process.once('SIGTERM', () => { daemon.close().then(() => process.exit(0)); });
} else {
  const id = `cluster-example-${process.pid}`;
  // two daemons: this same file, under the same loader (tsx), in the daemon role
  const daemons = [0, 1].map(() => spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'daemon', url, id, id], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(daemons.map(async (child) => {
    const [line] = await Promise.race([
      createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((next) => [next.value as string]),
      new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`a daemon exited (${code}) before it was ready`)))),
    ]);
    if (line !== 'ready') throw new Error(`a daemon said ${JSON.stringify(line)}`);
  }));
  const dir = mkdtempSync(join(tmpdir(), 'cluster-example-'));
  const pool = new ClusterPool<typeof import('./cluster.worker.js')>(MODULE, { url, queue: id, namespace: id });
  try {
    const counts = await pool.map('worker', divideRange(2, CHECK_NUMBERS + 1, 8));
    console.log(counts.reduce((a, b) => a + b, 0));

    const npy = createMemmap(join(dir, 'matrix.npy'), { dtype: 'float64', shape: [ROWS, COLS] });
    await pool.mapRows('fillRows', npy, { rowsPerTask: 8 });
    // the daemons wrote the file; this process's own map of it sees their writes
    console.log(`memmap .npy: ${ROWS} x ${COLS} ${filled(npy) ? 'filled by the daemons' : 'NOT filled'}`);

    await using matrix = await RedisNDArray.create('matrix', { url, namespace: id, shape: [ROWS, COLS], dtype: 'float64' });
    await pool.mapRows('fillRows', matrix, { rowsPerTask: 8 });
    console.log(`RedisNDArray: ${ROWS} x ${COLS} ${filled(await matrix.toArray()) ? 'filled by the daemons' : 'NOT filled'}`);
    await matrix.delete();
  } finally {
    pool.close();
    await pool.join();
    for (const d of daemons) d.kill('SIGTERM');
    await Promise.all(daemons.map((d) => new Promise((resolve) => (d.exitCode !== null ? resolve(null) : d.once('exit', resolve)))));
    rmSync(dir, { recursive: true, force: true });
  }
}
