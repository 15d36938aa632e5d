// Child process for test/process/process.thread.test.ts: awaiting a daemon Process's join() must
// wait for it ('joined 0'), yet a daemon Process must not keep the host alive: after 'started' a
// daemon spins for ever, and the process must exit all the same, as Python's do.
import { Process } from '../../dist/index.js';

const MODULE = new URL('./process-worker.mjs', import.meta.url);
const joined = new Process({ module: MODULE, fn: 'sleep', args: [300], daemon: true });
joined.start();
await joined.join();
console.log(`joined ${joined.exitCode}`);

const spinning = new Process({ module: MODULE, fn: 'spin', daemon: true });
spinning.start();
console.log('started');
