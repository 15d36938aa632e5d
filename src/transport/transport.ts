/**
 * The transport's public functions, and errors as a kind every thread knows (importing this module
 * registers it). Arrays are a kind of their own (ndarray-kind.ts), so that a worker sent none
 * never compiles ndarray/.
 */
import * as errors from '../errors.js';
import { decode, encode, registerKind } from './registry.js';

interface ErrorDescriptor {
  name: string;
  message: string;
  stack: string | undefined;
  /** Own primitive fields (`code`, `errno`, `path`, `syscall`, ...). */
  fields: Record<string, string | number | boolean | bigint | null | undefined>;
  /** `cause` and AggregateError's `errors`, encoded in turn. */
  cause?: unknown;
  errors?: unknown;
}

type ErrorClass = new (message: string) => Error;

/** Errors are rebuilt as the class they were thrown as, so `instanceof` works across threads. */
const errorClasses = new Map<string, ErrorClass>();
for (const c of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) errorClasses.set(c.name, c);
for (const c of Object.values(errors) as unknown[]) {
  if (typeof c === 'function' && c.prototype instanceof Error) errorClasses.set(c.name, c as ErrorClass);
}

const PRIMITIVE = new Set(['string', 'number', 'boolean', 'bigint', 'undefined']);

registerKind<Error, ErrorDescriptor>({
  name: 'error',
  shared: false,
  is: (value): value is Error => value instanceof Error,
  encode: (error) => {
    const fields: ErrorDescriptor['fields'] = {};
    for (const [key, value] of Object.entries(error)) {
      if (key !== 'name' && key !== 'message' && key !== 'stack' && (value === null || PRIMITIVE.has(typeof value))) {
        fields[key] = value as ErrorDescriptor['fields'][string];
      }
    }
    const descriptor: ErrorDescriptor = { name: error.name, message: error.message, stack: error.stack, fields };
    if ('cause' in error) descriptor.cause = encode(error.cause);
    if (error instanceof AggregateError) descriptor.errors = encode(error.errors);
    return descriptor;
  },
  decode: ({ name, message, stack, fields, cause, errors: inner }) => {
    const error = inner !== undefined
      ? new AggregateError(decode(inner) as unknown[], message)
      : new (errorClasses.get(name) ?? Error)(message);
    if (error.name !== name) error.name = name;
    error.stack = stack;
    Object.assign(error, fields);
    if (cause !== undefined) Object.defineProperty(error, 'cause', { value: decode(cause), writable: true, configurable: true });
    return error;
  },
});

export { encode, decode, findShared, registerKind } from './registry.js';

/**
 * For threads a Pool or Process did not start: `new Worker(file, { workerData: toDescriptors({ lock, q }) })`
 * on one side and `fromDescriptors(workerData)` on the other give the worker the same shared
 * objects. Structured clone alone would deliver `{}` for each (it drops their private state).
 * @throws {NotSharedError} when it holds a SharedNDArray over a plain ArrayBuffer
 */
export function toDescriptors<T>(value: T): unknown {
  return encode(value);
}

/**
 * The inverse of `toDescriptors`, in the receiving thread.
 * @throws {ArgumentError} when a value's kind is not registered in this thread, or its descriptor is malformed
 */
export function fromDescriptors<T = unknown>(value: unknown): T {
  return decode(value) as T;
}
export type { TransportKind } from './registry.js';
