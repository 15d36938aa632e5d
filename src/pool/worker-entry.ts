/**
 * The bootstrap every pool worker runs (compiled; never loaded from source): it takes the
 * thread's liveness identity, imports the user's worker module and exposes its functions.
 */
import { workerData } from 'node:worker_threads';
import { adoptIdentity, type ThreadIdentity } from '../sync/liveness.js';
import '../sync/kinds.js';
import { loadDefinition } from './load-definition.js';
import { exposeFunctions } from './threads-adapter.js';

const { module: moduleUrl, identity } = workerData as { module: string; identity: ThreadIdentity };
adoptIdentity(identity);
exposeFunctions(await loadDefinition(moduleUrl));
