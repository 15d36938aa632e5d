/**
 * The bootstrap a Process's worker thread runs (compiled): take the liveness identity, load the
 * module, run the function once, report how it ended, and exit, as Python's child process does
 * when its target returns, whatever timers or handles are left.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../deferred-kinds.js';
import { adoptIdentity, type ThreadIdentity } from '../sync/liveness.js';
import { decode, encode } from '../transport/transport.js';
import { loadDefinition } from '../worker-module/load.js';
import { PROCESS_ERROR } from '../worker-module/protocol.js';
import { noSuchFunction } from '../worker-module/resolve.js';

const { module: moduleUrl, compiled, fn, args, identity } = workerData as {
  module: string; compiled?: string; fn: string; args: unknown; identity: ThreadIdentity;
};
adoptIdentity(identity);
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
