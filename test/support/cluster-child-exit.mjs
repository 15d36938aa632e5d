// Child process for test/cluster/cluster.thread.test.ts: submits a task to a queue no daemon
// serves yet and awaits nothing at the top level, so only the pool's pending work can keep the
// process alive until the test starts a daemon; after the last result the open (never closed)
// pool must let the process exit on its own.
import { ClusterPool } from '../../dist/cluster/index.js';

const [url, queue] = process.argv.slice(2);
const pool = new ClusterPool(new URL('./cluster-worker.mjs', import.meta.url), { url, queue });
void pool.apply('square', 7).then(async (first) => {
  const rest = await pool.map('square', [1, 2, 3]);
  console.log(JSON.stringify({ first, rest }));
});
