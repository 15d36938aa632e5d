// The startup suite's child: from creating a pool of 2 workers (its package already imported) to
// the first results of both, in a fresh process, for this package, piscina or raw worker_threads
// Workers: `raw-module` over an ES-module file that loads the same worker module and answers (what
// a pool does), `raw` over an eval'd CommonJS string that loads nothing. Prints one JSON line of
// seconds.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const which = process.argv[2];
const support = (file) => new URL(`../${file}`, import.meta.url);
let start;
if (which === 'ours') {
  const { Pool } = await import('shared-ndarray');
  start = performance.now();
  const pool = new Pool(support('echo.worker.mjs'), { size: 2 });
  await Promise.all([pool.apply('echo', 1), pool.apply('echo', 2)]);
  report();
  await pool.terminate();
} else if (which === 'piscina') {
  const { Piscina } = await import('piscina');
  start = performance.now();
  const pool = new Piscina({ filename: fileURLToPath(support('piscina-echo.mjs')), minThreads: 2, maxThreads: 2 });
  await Promise.all([pool.run(1), pool.run(2)]);
  report();
  await pool.destroy();
} else if (which === 'raw-module') {
  start = performance.now();
  const workers = [new Worker(support('startup/raw-echo.worker.mjs')), new Worker(support('startup/raw-echo.worker.mjs'))];
  await firstReplies(workers);
} else {
  start = performance.now();
  const code = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));";
  const workers = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  await firstReplies(workers);
}

async function firstReplies(workers) {
  await Promise.all(workers.map((w, i) => new Promise((resolve) => { w.once('message', resolve); w.postMessage(i); })));
  report();
  await Promise.all(workers.map((w) => w.terminate()));
}

function report() {
  console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000 }));
}
