/**
 * The bootstrap every pool worker runs (compiled; never loaded from source): it takes the
 * thread's liveness identity, imports the user's worker module, runs the pool's initializer
 * and exposes its functions.
 */
import { workerData } from 'node:worker_threads';
import '../deferred-kinds.js';
import { adoptIdentity, type ThreadIdentity } from '../sync/liveness.js';
import { decode } from '../transport/transport.js';
import type { WorkerFunction } from '../worker-module/define.js';
import { runBuiltin } from '../worker-module/builtin.js';
import { loadDefinition } from '../worker-module/load.js';
import { BUILTIN_ONLY, RUN_BUILTIN } from '../worker-module/protocol.js';
import { noSuchFunction } from '../worker-module/resolve.js';
import { exposeFunctions } from './worker-thread.js';

const { module: moduleUrl, compiled, identity, initializer, initargs } = workerData as {
  module: string; compiled?: string; identity: ThreadIdentity; initializer?: string; initargs: unknown;
};
adoptIdentity(identity);
// a pool of built-in modules only (the default pool) has no module of its own to load
const definition: Readonly<Record<string, WorkerFunction>> = moduleUrl === BUILTIN_ONLY ? {} : await loadDefinition(moduleUrl, compiled);
if (initializer !== undefined) {
  const init = definition[initializer];
  if (typeof init !== 'function') throw noSuchFunction('Pool', 'options.initializer', moduleUrl, initializer, Object.keys(definition));
  await init.call(definition, ...(decode(initargs) as unknown[]));
}
exposeFunctions({ ...definition, [RUN_BUILTIN]: runBuiltin }, moduleUrl);
