/**
 * The bootstrap every pool worker runs (compiled; never loaded from source): it takes the
 * thread's liveness identity, imports the user's worker module, runs the pool's initializer
 * and exposes its functions.
 */
import { workerData } from 'node:worker_threads';
import { adoptIdentity, type ThreadIdentity } from '../sync/liveness.js';
import '../kinds.js';
import { decode } from '../transport/kinds.js';
import { loadDefinition } from './load-definition.js';
import { exposeFunctions } from './threads-adapter.js';

const { module: moduleUrl, identity, initializer, initargs } = workerData as {
  module: string; identity: ThreadIdentity; initializer?: string; initargs: unknown;
};
adoptIdentity(identity);
const definition = await loadDefinition(moduleUrl);
if (initializer !== undefined) {
  const init = definition[initializer];
  if (typeof init !== 'function') {
    throw new Error(`Pool: invalid argument 'options.initializer': the worker module ${moduleUrl} has no function ${JSON.stringify(initializer)} (it defines ${Object.keys(definition).map((k) => `'${k}'`).join(', ')})`);
  }
  await init.call(definition, ...(decode(initargs) as unknown[]));
}
exposeFunctions(definition);
