/**
 * Loads a worker module in a worker thread and finds its `defineWorker` definition. A TypeScript
 * module comes compiled by the thread that started the worker (compile-ts.ts); when it could not
 * be, it is loaded through tsx's ESM hooks, registered here because on Node 20 a worker does not
 * inherit the loader of a `tsx`-run parent. Used by the pool's and Process's bootstraps.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { WorkerStartError } from '../errors.js';
import { isWorkerDefinition, type WorkerDefinition } from './define.js';

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
      throw new WorkerStartError(`worker module ${moduleUrl} is TypeScript, and tsx was not found to load it: install tsx (npm i -D tsx) and run under it, or give the pool the compiled .js module`);
    }
  }
  api.register();
}

function findDefinition(mod: Record<string, unknown>, moduleUrl: string): WorkerDefinition {
  if (isWorkerDefinition(mod.default)) return mod.default;
  const named = Object.entries(mod).filter(([, value]) => isWorkerDefinition(value));
  if (named.length === 1) return named[0]![1] as WorkerDefinition;
  if (named.length > 1) {
    throw new WorkerStartError(`worker module ${moduleUrl} exports ${named.length} defineWorker() definitions (${named.map(([k]) => k).join(', ')}); export exactly one, preferably as the default export`);
  }
  throw new WorkerStartError(`worker module ${moduleUrl} does not export a defineWorker() definition: add \`export default defineWorker({ ... })\` (from 'shared-ndarray/worker')`);
}

/** `compiledUrl`: the JavaScript compile-ts.ts made of the TypeScript module `moduleUrl`, if it could. */
export async function loadDefinition(moduleUrl: string, compiledUrl?: string): Promise<WorkerDefinition> {
  if (compiledUrl !== undefined) {
    // stack traces name the TypeScript sources, as under tsx (the compiled file maps back to them)
    process.setSourceMapsEnabled(true);
  } else if (TS_EXTENSION.test(moduleUrl)) {
    await registerTsx(moduleUrl);
  }
  const mod = (await import(compiledUrl ?? moduleUrl)) as Record<string, unknown>;
  return findDefinition(mod, moduleUrl);
}
