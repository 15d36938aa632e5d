// Child process for test/pool/failures.thread.test.ts: a pool over a broken worker module (the path is
// argv[2]). It awaits the start failure, terminates the pool and must then exit on its own: no
// start-up timer (threads' default is 10 s) may keep it alive.
import { Pool } from '../../dist/index.js';

const pool = new Pool(new URL(process.argv[2], import.meta.url), { size: 2 });
const task = pool.apply('add', 1, 2).then(() => 'resolved', (error) => error.name);
const ready = await pool.ready().then(() => 'resolved', (error) => `${error.name}: ${error.message}`);
console.log(JSON.stringify({ ready, task: await task }));
await pool.terminate();
