// Child process for test/pool/failures.thread.test.ts: terminates a pool whose workers are still loading
// a module that never finishes. terminate() must stop those threads too, so the process exits at
// once rather than when the start timeout (threads' default is 10 s) runs out.
import { Pool } from '../../dist/index.js';

const pool = new Pool(new URL('./pool-hangs-at-import.mjs', import.meta.url), { size: 2 });
const task = pool.apply('anything').then(() => 'resolved', (error) => error.name);
await pool.terminate();
console.log(JSON.stringify({ task: await task }));
