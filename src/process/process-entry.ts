/**
 * The bootstrap a Process's worker thread runs (compiled): load the module, run the function once,
 * report how it ended, and exit, as Python's child process does when its target returns, whatever
 * timers or handles are left.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../deferred-kinds.js';
import { decode, encode } from '../transport/transport.js';
import { loadDefinition } from '../worker-module/load.js';
import { PROCESS_ERROR } from '../worker-module/protocol.js';
import { noSuchFunction } from '../worker-module/resolve.js';

// its liveness identity, in workerData too, is adopted if it loads sync/liveness.ts (see there)
const { module: moduleUrl, compiled, fn, args } = workerData as { module: string; compiled?: string; fn: string; args: unknown };
let code = 0;
try {
  const definition = await loadDefinition(moduleUrl, compiled);
  const target = definition[fn];
  if (typeof target !== 'function') throw noSuchFunction('Process', 'fn', moduleUrl, fn, definition);
  await target.call(definition, ...(decode(args) as unknown[]));
} catch (error) {
  code = 1;
  parentPort?.postMessage({ [PROCESS_ERROR]: encode(error) });
}
process.exit(code);
