/**
 * The worker side of RUN_BUILTIN: runs a function of one of this package's own worker modules,
 * imported on first use. Only the package's compiled `*.worker.js` files are accepted, never a
 * user's module: a pool runs user code only from the module it was started on.
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import type { WorkerDefinition } from './define.js';
import { loadDefinition } from './load.js';
import { noSuchFunction } from './resolve.js';

/** dist/, the root of the package's compiled files (this file is dist/worker-module/builtin.js). */
const PACKAGE_ROOT = new URL('../', import.meta.url).href;

const loaded = new Map<string, WorkerDefinition | Promise<WorkerDefinition>>();

function isBuiltin(moduleUrl: unknown): moduleUrl is string {
  return typeof moduleUrl === 'string' && moduleUrl.startsWith(PACKAGE_ROOT) && /^[\w/-]+\.worker\.js$/.test(moduleUrl.slice(PACKAGE_ROOT.length));
}

function call(definition: WorkerDefinition, moduleUrl: string, fn: string, args: readonly unknown[]): unknown {
  const f = Object.hasOwn(definition, fn) ? definition[fn] : undefined;
  if (typeof f !== 'function') throw noSuchFunction('Pool', 'fn', moduleUrl, fn, definition);
  return f.apply(definition, args as unknown[]);
}

/**
 * Runs `fn(...args)` of the package's worker module `moduleUrl`; synchronous once the module has
 * loaded, so a call costs no more than one of the pool's own module.
 * @throws {ArgumentError} when `moduleUrl` is not one of the package's compiled worker modules, or `fn` is not one of its functions
 */
export function runBuiltin(moduleUrl: unknown, fn: string, args: readonly unknown[]): unknown {
  if (!isBuiltin(moduleUrl)) {
    throw new ArgumentError(`Pool: invalid built-in worker module ${show(moduleUrl)}: expected one of the package's compiled *.worker.js files under ${PACKAGE_ROOT}`);
  }
  let definition = loaded.get(moduleUrl);
  if (definition === undefined) {
    const loading = loadDefinition(moduleUrl).then((d) => {
      loaded.set(moduleUrl, d);
      return d;
    });
    loaded.set(moduleUrl, loading);
    loading.catch(() => loaded.delete(moduleUrl));
    definition = loading;
  }
  if (definition instanceof Promise) return definition.then((d) => call(d, moduleUrl, fn, args));
  return call(definition, moduleUrl, fn, args);
}
