// Child process for test/pool/failures.thread.test.ts: an application with its own SIGINT handler and a
// live pool. threads 1.7.0 installs SIGINT/SIGTERM handlers that call process.exit(); the pool must
// remove exactly those, so SIGINT runs only this application's handler and the pool keeps working.
//
// argv[2] is when the application installs its handler: 'before' creating the pool, or 'after'
// (right after `new Pool()`, while the pool is still loading threads).
import { Pool } from '../../dist/index.js';

const mode = process.argv[2];
if (mode !== 'before' && mode !== 'after') throw new Error(`usage: pool-child-signals.mjs before|after, got ${mode}`);

let pool;
let signals = 0;
// Keeps the process alive until the signal came (idle pool workers do not); a bounded safety net.
const keepAlive = setTimeout(() => {
  console.log('no SIGINT arrived');
  process.exitCode = 2;
}, 10_000);

function onSigint() {
  signals++;
  console.log(`host handler: SIGINT ${signals}`);
  void (async () => {
    const after = await pool.apply('add', 40, 2);
    console.log(`pool after SIGINT: ${after}`);
    clearTimeout(keepAlive);
    await pool.terminate();
    console.log('terminated');
  })();
}

const counts = () => ({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') });
const initial = counts();
if (mode === 'before') process.on('SIGINT', onSigint);
const before = counts();
pool = new Pool(new URL('./pool-basic.mjs', import.meta.url), { size: 2 });
if (mode === 'after') process.on('SIGINT', onSigint);
await pool.ready();
const first = await pool.apply('add', 1, 2);
const now = counts();
console.log(JSON.stringify({ initial, before, now, hostHandlerInstalled: process.listeners('SIGINT').includes(onSigint), first }));
console.log('ready for SIGINT');
