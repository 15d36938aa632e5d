// Child process for test/pool/failures.thread.test.ts: an AsyncResult callback that throws is reported as
// an uncaught exception (like a throwing event listener), and the result stays collectable.
import { Pool } from '../../dist/index.js';

process.on('uncaughtException', (error) => console.log(`uncaught: ${error.message}`));
process.on('unhandledRejection', (error) => console.log(`unhandled rejection: ${error.message}`));
const pool = new Pool(new URL('./pool-basic.mjs', import.meta.url), { size: 1 });
const result = pool.applyAsync('square', [3], { callback: () => { throw new Error('bug in callback'); } });
console.log(`get: ${await result.get()}`);
await new Promise((resolve) => setTimeout(resolve, 20));
await pool.terminate();
