// Child script for test/ops/worker-death.thread.test.ts: a blocking `sqrt` on the main thread
// over a pool whose workers die mid-block (argv[2]: 'exit' or 'oom'). Prints what it threw as
// JSON and exits; if the call hangs, the parent's timeout kills this process.
import { INLINE_THRESHOLD, Pool, arange, sqrt } from 'shared-ndarray';

const how = process.argv[2];
const pool = new Pool(new URL('./ops-dying-worker.mjs', import.meta.url), {
  size: 2,
  initializer: 'dieInSqrt',
  initargs: [how, 1000],
  ...(how === 'oom' ? { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } } : {}),
});
await pool.ready();
const a = arange(INLINE_THRESHOLD * 4);
const started = performance.now();
let seen;
try {
  sqrt(a, { pool });
  seen = { name: 'none', message: 'sqrt returned', ms: performance.now() - started };
} catch (error) {
  seen = { name: error.name, message: error.message, ms: performance.now() - started };
}
console.log(JSON.stringify(seen));
await pool.terminate();
