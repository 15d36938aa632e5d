/** Validation of the Pool constructor's options. */
import { ArgumentError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { MAX_TIMER_MS } from './worker-thread.js';

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


/**
 * `maxQueue`, `maxTasksPerChild` and `idleTimeout`: each a whole number (at least 0 for maxQueue,
 * 1 for the others) or Infinity, which is also what leaving it out means; `spinWait` a whole
 * number of microseconds.
 */
export function checkLimits(options: { maxQueue?: unknown; maxTasksPerChild?: unknown; idleTimeout?: unknown; spinWait?: unknown }): void {
  const limits = [['maxQueue', 0, 'an integer >= 0'], ['maxTasksPerChild', 1, 'a positive integer'], ['idleTimeout', 1, 'a positive integer of milliseconds']] as const;
  for (const [name, least, expected] of limits) {
    const value = options[name];
    if (value === undefined || value === Infinity) continue;
    if (!Number.isSafeInteger(value) || (value as number) < least) {
      throw new ArgumentError(`Pool: invalid argument 'options.${name}': expected ${expected} (or Infinity), got ${show(value)}`);
    }
  }
  if (typeof options.idleTimeout === 'number' && Number.isFinite(options.idleTimeout) && options.idleTimeout > MAX_TIMER_MS) {
    throw new ArgumentError(`Pool: invalid argument 'options.idleTimeout': expected at most ${MAX_TIMER_MS} ms (or Infinity), got ${options.idleTimeout}`);
  }
  const spin = options.spinWait;
  if (spin !== undefined && !(Number.isSafeInteger(spin) && (spin as number) >= 0 && (spin as number) <= MAX_SPIN_WAIT)) {
    throw new ArgumentError(`Pool: invalid argument 'options.spinWait': expected an integer of microseconds from 0 to ${MAX_SPIN_WAIT}, got ${show(spin)}`);
  }
}

/** `spinWait`'s default and its most, in microseconds. */
export const DEFAULT_SPIN_WAIT = 100;
// a poll of the next call never holds the worker's event loop longer than its turn (1 ms)
const MAX_SPIN_WAIT = 1000;

/** The per-call options every submitting method checks: `signal` and, where it has one, `onProgress`. */
export function checkCallOptions(method: string, options: { signal?: unknown; onProgress?: unknown } | undefined): void {
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ArgumentError(`pool.${method}: invalid argument 'options.signal': expected an AbortSignal, got ${show(signal)}`);
  }
  const onProgress = options?.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ArgumentError(`pool.${method}: invalid argument 'options.onProgress': expected a function, got ${show(onProgress)}`);
  }
}
