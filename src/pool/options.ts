/** Validation of the Pool constructor's options. */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';

const RESOURCE_LIMITS = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'];

export function checkResourceLimits(limits: unknown): void {
  checkOptionKeys('Pool', 'options.resourceLimits', limits, RESOURCE_LIMITS);
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new ArgumentError(`Pool: invalid argument 'options.resourceLimits.${key}': expected a positive number of megabytes, got ${show(value)}`);
    }
  }
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
