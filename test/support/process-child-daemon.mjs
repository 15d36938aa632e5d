// Child process for test/process/process.thread.test.ts: a daemon Process must not keep the host alive
// ('exit'), yet awaiting its join() must wait for it ('join'), as Python's do.
import { Process } from '../../dist/index.js';

const MODULE = new URL('./process-worker.mjs', import.meta.url);
if (process.argv[2] === 'join') {
  const p = new Process({ module: MODULE, fn: 'sleep', args: [300], daemon: true });
  p.start();
  await p.join();
  console.log(`joined ${p.exitCode}`);
} else {
  const p = new Process({ module: MODULE, fn: 'spin', daemon: true });
  p.start();
  console.log('started');
}
