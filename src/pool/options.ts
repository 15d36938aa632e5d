/** Validation of the Pool constructor's arguments (and Process's module). */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArgumentError, checkOptionKeys, show } from '../errors.js';

export function resolveModule(workerModule: unknown, fn = 'Pool', name = 'workerModule'): URL {
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
  if (!existsSync(fileURLToPath(url))) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': no such file: ${fileURLToPath(url)}`);
  }
  return url;
}

const RESOURCE_LIMITS = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'];

export function checkResourceLimits(limits: unknown): void {
  checkOptionKeys('Pool', 'options.resourceLimits', limits, RESOURCE_LIMITS);
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new ArgumentError(`Pool: invalid argument 'options.resourceLimits.${key}': expected a positive number of megabytes, got ${show(value)}`);
    }
  }
}

export function positiveInteger(fn: string, name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new ArgumentError(`${fn}: invalid argument '${name}': expected a positive integer, got ${show(value)}`);
  }
  return value as number;
}


export function checkInitializer(initializer: unknown, initargs: unknown): void {
  if (initializer !== undefined && (typeof initializer !== 'string' || initializer === '')) {
    throw new ArgumentError(`Pool: invalid argument 'options.initializer': expected the name of a function of the worker module, got ${show(initializer)}`);
  }
  if (initargs !== undefined && !Array.isArray(initargs)) {
    throw new ArgumentError(`Pool: invalid argument 'options.initargs': expected an array of arguments, got ${show(initargs)}`);
  }
  if (initargs !== undefined && initializer === undefined) {
    throw new ArgumentError("Pool: invalid argument 'options.initargs': given without options.initializer, the function to pass them to");
  }
}
