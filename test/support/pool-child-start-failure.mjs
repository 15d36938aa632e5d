// Child process for test/pool/failures.thread.test.ts, one for two of its tests, all at once:
// - a pool over each broken worker module whose path is an argument: it awaits each start
//   failure and terminates each pool (a JSON line with `file` for each);
// - a pool whose workers are still loading a module that never finishes, terminated: terminate()
//   must stop those threads too (the JSON line with `terminated`).
// It must then exit on its own, at once: no start-up timer (threads' default is 10 s) of any pool
// and no thread still loading may keep it alive.
import { Pool } from '../../dist/index.js';

async function terminateStarting() {
  const pool = new Pool(new URL('./pool-hangs-at-import.mjs', import.meta.url), { size: 2 });
  const task = pool.apply('anything').then(
    () => 'resolved',
    (error) => error.name,
  );
  await pool.terminate();
  console.log(JSON.stringify({ terminated: { task: await task } }));
}

await Promise.all([
  terminateStarting(),
  ...process.argv.slice(2).map(async (file) => {
    const pool = new Pool(new URL(file, import.meta.url), { size: 2 });
    const task = pool.apply('add', 1, 2).then(
      () => 'resolved',
      (error) => error.name,
    );
    const ready = await pool.ready().then(
      () => 'resolved',
      (error) => `${error.name}: ${error.message}`,
    );
    console.log(JSON.stringify({ file, ready, task: await task }));
    await pool.terminate();
  }),
]);
