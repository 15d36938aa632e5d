// The startup suite's raw Worker doing what a pool worker does: it loads the same worker module
// as the pool (echo.worker.mjs, which imports shared-ndarray/worker) and answers each message with
// its function's result. The pool's start is held to this, not to an eval'd string that loads no
// module at all.
import { parentPort } from 'node:worker_threads';
import echo from '../echo.worker.mjs';

parentPort.on('message', (m) => parentPort.postMessage(echo.echo(m)));
