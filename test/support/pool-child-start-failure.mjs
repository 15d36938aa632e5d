// Child process for test/pool/failures.thread.test.ts: a pool over each broken worker module
// whose path is an argument, all at once. It awaits each start failure, terminates each pool and
// must then exit on its own: no start-up timer (threads' default is 10 s) of any may keep it alive.
import { Pool } from '../../dist/index.js';

await Promise.all(process.argv.slice(2).map(async (file) => {
  const pool = new Pool(new URL(file, import.meta.url), { size: 2 });
  const task = pool.apply('add', 1, 2).then(() => 'resolved', (error) => error.name);
  const ready = await pool.ready().then(() => 'resolved', (error) => `${error.name}: ${error.message}`);
  console.log(JSON.stringify({ file, ready, task: await task }));
  await pool.terminate();
}));
