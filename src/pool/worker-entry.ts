/**
 * The bootstrap every pool worker runs (compiled; never loaded from source). It imports the
 * user's worker module, finds its `defineWorker` definition and exposes it. TypeScript modules are
 * loaded through tsx's ESM hooks, registered here because on Node 20 a worker does not inherit
 * the loader of a `tsx`-run parent.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { adoptIdentity, type ThreadIdentity } from '../sync/liveness.js';
import '../sync/kinds.js';
import { isWorkerDefinition, type WorkerDefinition } from '../worker.js';
import { exposeFunctions } from './threads-adapter.js';

const TS_EXTENSION = /\.[cm]?tsx?$/i;

async function registerTsx(moduleUrl: string): Promise<void> {
  let api: { register(): unknown } | undefined;
  try {
    api = (await import('tsx/esm/api')) as { register(): unknown };
  } catch {
    try {
      const resolved = createRequire(moduleUrl).resolve('tsx/esm/api');
      api = (await import(pathToFileURL(resolved).href)) as { register(): unknown };
    } catch {
      throw new Error(`worker module ${moduleUrl} is TypeScript, and tsx was not found to load it: install tsx (npm i -D tsx) and run under it, or give the pool the compiled .js module`);
    }
  }
  api.register();
}

function findDefinition(mod: Record<string, unknown>, moduleUrl: string): WorkerDefinition {
  if (isWorkerDefinition(mod['default'])) return mod['default'];
  const named = Object.entries(mod).filter(([, value]) => isWorkerDefinition(value));
  if (named.length === 1) return named[0]![1] as WorkerDefinition;
  if (named.length > 1) {
    throw new Error(`worker module ${moduleUrl} exports ${named.length} defineWorker() definitions (${named.map(([k]) => k).join(', ')}); export exactly one, preferably as the default export`);
  }
  throw new Error(`worker module ${moduleUrl} does not export a defineWorker() definition: add \`export default defineWorker({ ... })\` (from 'shared-ndarray/worker')`);
}

const { module: moduleUrl, identity } = workerData as { module: string; identity: ThreadIdentity };
adoptIdentity(identity);
if (TS_EXTENSION.test(moduleUrl)) await registerTsx(moduleUrl);
const mod = (await import(moduleUrl)) as Record<string, unknown>;
exposeFunctions(findDefinition(mod, moduleUrl));
