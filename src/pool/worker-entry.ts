/**
 * The bootstrap every pool worker runs (compiled; never loaded from source): it takes the
 * thread's liveness identity, imports the user's worker module, runs the pool's initializer
 * and exposes its functions.
 */
import { workerData } from 'node:worker_threads';
import '../register-kinds.js';
import { adoptIdentity, type ThreadIdentity } from '../sync/liveness.js';
import { decode } from '../transport/transport.js';
import { loadDefinition } from '../worker-module/load.js';
import { noSuchFunction } from '../worker-module/resolve.js';
import { exposeFunctions } from './threads-adapter.js';

const { module: moduleUrl, compiled, identity, initializer, initargs } = workerData as {
  module: string; compiled?: string; identity: ThreadIdentity; initializer?: string; initargs: unknown;
};
adoptIdentity(identity);
const definition = await loadDefinition(moduleUrl, compiled);
if (initializer !== undefined) {
  const init = definition[initializer];
  if (typeof init !== 'function') throw noSuchFunction('Pool', 'options.initializer', moduleUrl, initializer, definition);
  await init.call(definition, ...(decode(initargs) as unknown[]));
}
exposeFunctions(definition, moduleUrl);
