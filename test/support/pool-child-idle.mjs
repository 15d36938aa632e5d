// Child process for test/pool/failures.thread.test.ts, one for two of its tests.
//
// 1. An AsyncResult callback that throws is reported as an uncaught exception (like a throwing
//    event listener), and the result stays collectable: the 'get: ' and 'uncaught: ' lines.
// 2. It uses a pool (results, a failure, worker deaths by exit and by an uncaught exception) and
//    never closes or terminates it. Idle workers are unref'd and dead ones stopped, so once the
//    main module is done and the last task (deliberately not awaited) has finished, the process
//    must exit on its own: the JSON line, then 'last task'.
import { Pool } from '../../dist/index.js';

process.on('uncaughtException', (error) => console.log(`uncaught: ${error.message}`));
process.on('unhandledRejection', (error) => console.log(`unhandled rejection: ${error.message}`));
const pool = new Pool(new URL('./pool-basic.mjs', import.meta.url), { size: 2 });
const result = pool.applyAsync('square', [3], {
  callback: () => {
    throw new Error('bug in callback');
  },
});
console.log(`get: ${await result.get()}`);
await new Promise((resolve) => setTimeout(resolve, 20));

const squares = await pool.map('square', [1, 2, 3, 4]);
const failure = await pool.apply('fail', 'expected').then(
  () => 'resolved',
  (error) => error.message,
);
const death = await pool.apply('exit', 3).then(
  () => 'resolved',
  (error) => error.name,
);
const uncaught = await pool.apply('uncaughtLater', 'expected').then(
  () => 'resolved',
  (error) => error.name,
);
const sum = await pool.apply('add', 20, 22);
console.log(JSON.stringify({ squares, failure, death, uncaught, sum }));
// A running task keeps the process alive (its worker is ref'd) even though nothing awaits it.
void pool.apply('sleepThen', 200, 'last task').then((value) => console.log(value));
