/** Where a Pool's or Process's worker module is: checked once, on the calling thread. */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { show } from '../check.js';
import { ArgumentError } from '../errors.js';
import type { WorkerDefinition } from './define.js';

/** A file URL or an absolute path (a relative one would depend on the cwd of whoever runs it) to an existing file. */
export function resolveModule(workerModule: unknown, fn: string, name: string): URL {
  let url: URL;
  if (workerModule instanceof URL) url = workerModule;
  else if (typeof workerModule === 'string' && workerModule.startsWith('file:')) url = new URL(workerModule);
  else if (typeof workerModule === 'string' && isAbsolute(workerModule)) url = pathToFileURL(workerModule);
  else {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a file URL or an absolute path (e.g. new URL('./my.worker.js', import.meta.url)), got ${show(workerModule)}`);
  }
  if (url.protocol !== 'file:') {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a file: URL, got ${show(url.href)}`);
  }
  const path = fileURLToPath(url);
  if (existsSync(path)) return url;
  // TypeScript's own rule: an import of './w.js' means './w.ts' in the sources, and tsx runs it
  const source = JS_TO_TS.exec(path);
  const sibling = source ? `${source[1]}.${source[2]!.replace('js', 'ts')}` : undefined;
  if (sibling !== undefined && existsSync(sibling)) return pathToFileURL(sibling);
  throw new ArgumentError(`${fn}: invalid argument '${name}': no such file: ${path}${sibling ? ` (nor ${sibling})` : ''}`);
}

const JS_TO_TS = /^(.*)\.(js|mjs|cjs)$/;

/** The error for a function name the worker module does not define, listing those it does. */
export function noSuchFunction(fn: string, name: string, moduleUrl: string, wanted: unknown, definition: WorkerDefinition | Iterable<string>): ArgumentError {
  // the pool's own functions (RUN_BUILTIN) are no business of the user's
  const known = (Symbol.iterator in definition ? [...(definition as Iterable<string>)] : Object.keys(definition)).filter((k) => !k.startsWith('__sharedNdarray'));
  return new ArgumentError(`${fn}: invalid argument '${name}': the worker module ${moduleUrl} has no function ${show(wanted)} (it defines ${known.map((k) => `'${k}'`).join(', ')})`);
}
