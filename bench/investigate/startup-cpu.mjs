/**
 * The startup suite's two bars in CPU time, which a loaded machine moves far less than the suite's
 * wall clock: fresh processes, the cases alternating, medians.
 * - `import`: the main thread's CPU (`process.cpuUsage()`, all threads) and wall time of
 *   `import()` of the package root (dist/ of this checkout, or each `dir` given: another build's
 *   package directory, with a package.json) against `import('piscina')` (its ES-module wrapper, as
 *   the suite imports it).
 * - `worker`: a worker thread's own CPU (`/proc/thread-self/schedstat`) from its start to its
 *   first reply, for a raw `eval`'d CommonJS Worker, an empty ES-module Worker, and, of each
 *   package directory, a raw ES-module Worker that imports a `defineWorker` module and answers
 *   (`module`: what the startup suite's bar compares a pool with) and a pool worker running it.
 * - `start`: the startup suite's pool case itself, from creating two Workers or a pool of 2 to
 *   both first replies: all threads' CPU (`process.cpuUsage()`) and wall time, for raw `eval`'d
 *   Workers and, of each package directory (built with its bench: `npm run build`), raw Workers
 *   over `raw-echo.worker.mjs` (`module`) and the pool over `echo.worker.mjs`.
 *
 * Run: npm run build && node bench/investigate/startup-cpu.mjs import|worker|start [runs] [dir...]
 * (Linux only, for schedstat.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const POST_CPU = "require('node:worker_threads').parentPort.postMessage(Number(require('node:fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6);";
const ESM_CPU = "import { parentPort } from 'node:worker_threads'; import { readFileSync } from 'node:fs'; parentPort.postMessage(Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6);";
/** The startup suite's raw eval'd Worker (bench/support/startup/pool.mjs). */
const ECHO = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));";
const self = fileURLToPath(import.meta.url);
const here = fileURLToPath(new URL('../..', import.meta.url));

// a child: one measurement, one JSON line
if (process.argv[2] === 'child') {
  const [, , , what, target, how] = process.argv;
  if (what === 'import') {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await import(target);
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall: t1 - t0 }));
  } else if (what === 'start') {
    const support = (file) => pathToFileURL(`${target}/dist/bench/support/${file}`);
    const Pool = how === 'pool' ? (await import(pathToFileURL(`${target}/dist/index.js`).href)).Pool : undefined;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let stop;
    if (Pool !== undefined) {
      const pool = new Pool(support('echo.worker.mjs'), { size: 2 });
      await Promise.all([pool.apply('echo', 1), pool.apply('echo', 2)]);
      stop = () => pool.terminate();
    } else {
      const workers = [1, 2].map(() => (how === 'module' ? new Worker(support('startup/raw-echo.worker.mjs')) : new Worker(ECHO, { eval: true })));
      await Promise.all(workers.map((w, i) => new Promise((resolve) => { w.once('message', resolve); w.postMessage(i); })));
      stop = () => Promise.all(workers.map((w) => w.terminate()));
    }
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall: t1 - t0 }));
    await stop();
  } else {
    const first = (w) => new Promise((resolve) => w.once('message', resolve)).finally(() => w.terminate());
    let cpu;
    if (target === 'raw') cpu = await first(new Worker(POST_CPU, { eval: true }));
    else if (target === 'esm') cpu = await first(new Worker(new URL(`data:text/javascript,${encodeURIComponent(ESM_CPU)}`)));
    else {
      // a worker module of its own, importing that package's worker entry by path
      const dir = target;
      const module = join(mkdtempSync(join(tmpdir(), 'startup-cpu-')), 'cpu.worker.mjs');
      writeFileSync(module, `import { defineWorker } from ${JSON.stringify(pathToFileURL(`${dir}/dist/worker.js`).href)};\n${ESM_CPU.replace(/parentPort\.postMessage\((.*)\);$/, 'export default defineWorker({ cpu: () => $1 });')}`);
      if (how === 'module') {
        const raw = join(dirname(module), 'raw.mjs');
        writeFileSync(raw, "import { parentPort } from 'node:worker_threads';\nimport definition from './cpu.worker.mjs';\nparentPort.postMessage(definition.cpu());\n");
        cpu = await first(new Worker(pathToFileURL(raw)));
      } else {
        const { Pool } = await import(pathToFileURL(`${dir}/dist/index.js`).href);
        const pool = new Pool(pathToFileURL(module), { size: 1 });
        cpu = await pool.apply('cpu');
        await pool.terminate();
      }
      rmSync(dirname(module), { recursive: true });
    }
    console.log(JSON.stringify({ cpu }));
  }
  process.exit(0);
}

const [mode = 'import', runsArg = '21', ...dirs] = process.argv.slice(2);
const runs = Number(runsArg);
const packages = dirs.length > 0 ? dirs : [here];
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const cases = mode === 'import'
  ? [...packages.map((d) => [d, pathToFileURL(`${d}/dist/index.js`).href]), ['piscina', 'piscina']]
  : [['raw', 'raw'], ...(mode === 'worker' ? [['esm', 'esm']] : []), ...packages.flatMap((d) => [[`${d} module`, d, 'module'], [`${d} pool`, d, 'pool']])];
const results = new Map(cases.map(([label]) => [label, []]));
for (let i = 0; i < runs; i++) {
  for (const [label, ...args] of cases) results.get(label).push(JSON.parse(execFileSync(process.execPath, [self, 'child', mode, ...args], { encoding: 'utf8' })));
}
// against piscina's import, or the raw Worker
const ref = mode === 'import' ? cases.at(-1)[0] : 'raw';
const base = median(results.get(ref).map((r) => r.cpu));
for (const [label] of cases) {
  const rs = results.get(label);
  const cpu = median(rs.map((r) => r.cpu));
  const wall = mode !== 'worker' ? `, wall ${median(rs.map((r) => r.wall)).toFixed(1)} ms` : '';
  console.log(`${label}: CPU ${cpu.toFixed(1)} ms (${(cpu / base).toFixed(2)}x ${ref})${wall}`);
}
