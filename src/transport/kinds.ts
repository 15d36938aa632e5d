/** The shared kinds every thread knows. Importing this module registers them. */
import * as errors from '../errors.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import type { NDArrayDescriptor } from '../ndarray/descriptor.js';
import { registerKind } from './registry.js';

registerKind<SharedNDArray, NDArrayDescriptor>({
  name: 'ndarray',
  is: (value): value is SharedNDArray => value instanceof SharedNDArray,
  encode: (array) => array.toDescriptor(),
  decode: (descriptor) => SharedNDArray.fromDescriptor(descriptor),
});

interface ErrorDescriptor {
  name: string;
  message: string;
  stack: string | undefined;
  code: unknown;
}

type ErrorClass = new (message: string) => Error;

/** Errors are rebuilt as the class they were thrown as, so `instanceof` works across threads. */
const errorClasses = new Map<string, ErrorClass>();
for (const c of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) errorClasses.set(c.name, c);
for (const c of Object.values(errors) as unknown[]) {
  if (typeof c === 'function' && c.prototype instanceof Error) errorClasses.set(new (c as ErrorClass)('').name, c as ErrorClass);
}

registerKind<Error, ErrorDescriptor>({
  name: 'error',
  is: (value): value is Error => value instanceof Error,
  encode: (error) => ({ name: error.name, message: error.message, stack: error.stack, code: (error as { code?: unknown }).code }),
  decode: ({ name, message, stack, code }) => {
    const error = new (errorClasses.get(name) ?? Error)(message);
    if (error.name !== name) error.name = name;
    error.stack = stack;
    if (code !== undefined) (error as { code?: unknown }).code = code;
    return error;
  },
});

export { encode, decode, registerKind } from './registry.js';
export type { TransportKind } from './registry.js';
