/**
 * numpy's array methods for the operations, installed on SharedNDArray's prototype from here:
 * ndarray/ sits below ops/ and cannot import it, so the class is augmented (TypeScript module
 * augmentation for the types, prototype assignment for the code). Importing the package root or
 * `shared-ndarray/ops` installs them.
 */
import { SharedNDArray } from '../ndarray/ndarray.js';
import * as ew from './elementwise.js';
import type { Operand, RoundOptions, UfuncOptions } from './elementwise.js';
import { dot, dotAsync, type MatmulOptions } from './matmul.js';

declare module '../ndarray/ndarray.js' {
  interface SharedNDArray<D extends DType = DType> {
    /** `add(this, b, options)`. */
    add(b: Operand, options?: UfuncOptions): SharedNDArray;
    addAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    subtract(b: Operand, options?: UfuncOptions): SharedNDArray;
    subtractAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    multiply(b: Operand, options?: UfuncOptions): SharedNDArray;
    multiplyAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    divide(b: Operand, options?: UfuncOptions): SharedNDArray;
    divideAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    power(b: Operand, options?: UfuncOptions): SharedNDArray;
    powerAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    mod(b: Operand, options?: UfuncOptions): SharedNDArray;
    modAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    maximum(b: Operand, options?: UfuncOptions): SharedNDArray;
    maximumAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    minimum(b: Operand, options?: UfuncOptions): SharedNDArray;
    minimumAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    equal(b: Operand, options?: UfuncOptions): SharedNDArray;
    equalAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    notEqual(b: Operand, options?: UfuncOptions): SharedNDArray;
    notEqualAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    less(b: Operand, options?: UfuncOptions): SharedNDArray;
    lessAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    lessEqual(b: Operand, options?: UfuncOptions): SharedNDArray;
    lessEqualAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    greater(b: Operand, options?: UfuncOptions): SharedNDArray;
    greaterAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    greaterEqual(b: Operand, options?: UfuncOptions): SharedNDArray;
    greaterEqualAsync(b: Operand, options?: UfuncOptions): Promise<SharedNDArray>;
    negative(options?: UfuncOptions): SharedNDArray;
    negativeAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    abs(options?: UfuncOptions): SharedNDArray;
    absAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    sqrt(options?: UfuncOptions): SharedNDArray;
    sqrtAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    exp(options?: UfuncOptions): SharedNDArray;
    expAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    log(options?: UfuncOptions): SharedNDArray;
    logAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    log1p(options?: UfuncOptions): SharedNDArray;
    log1pAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    expm1(options?: UfuncOptions): SharedNDArray;
    expm1Async(options?: UfuncOptions): Promise<SharedNDArray>;
    sin(options?: UfuncOptions): SharedNDArray;
    sinAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    cos(options?: UfuncOptions): SharedNDArray;
    cosAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    tanh(options?: UfuncOptions): SharedNDArray;
    tanhAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    floor(options?: UfuncOptions): SharedNDArray;
    floorAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    ceil(options?: UfuncOptions): SharedNDArray;
    ceilAsync(options?: UfuncOptions): Promise<SharedNDArray>;
    /** `round(this, options)` (numpy's `a.round(decimals)`). */
    round(options?: RoundOptions): SharedNDArray;
    roundAsync(options?: RoundOptions): Promise<SharedNDArray>;
    /** `clip(this, min, max, options)`. */
    clip(min: Operand | null | undefined, max: Operand | null | undefined, options?: UfuncOptions): SharedNDArray;
    clipAsync(min: Operand | null | undefined, max: Operand | null | undefined, options?: UfuncOptions): Promise<SharedNDArray>;
    /** `dot(this, b, options)` (numpy's `a.dot(b)`): a number for two vectors. */
    dot(b: SharedNDArray, options?: MatmulOptions): SharedNDArray | number;
    dotAsync(b: SharedNDArray, options?: MatmulOptions): Promise<SharedNDArray | number>;
  }
}

type DType = import('../ndarray/dtype.js').DType;

const BINARY = ['add', 'subtract', 'multiply', 'divide', 'power', 'mod', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;
const UNARY = ['negative', 'abs', 'sqrt', 'exp', 'log', 'log1p', 'expm1', 'sin', 'cos', 'tanh', 'floor', 'ceil', 'round'] as const;

const proto = SharedNDArray.prototype as unknown as Record<string, unknown>;
const functions = ew as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of [...BINARY, ...UNARY, 'clip'] as const) {
  for (const form of [name, `${name}Async`]) {
    const f = functions[form]!;
    Object.defineProperty(proto, form, {
      value: function (this: SharedNDArray, ...args: unknown[]) { return f(this, ...args); },
      writable: true, configurable: true,
    });
  }
}
Object.defineProperty(proto, 'dot', { value(this: SharedNDArray, b: SharedNDArray, options?: MatmulOptions) { return dot(this, b, options); }, writable: true, configurable: true });
Object.defineProperty(proto, 'dotAsync', { value(this: SharedNDArray, b: SharedNDArray, options?: MatmulOptions) { return dotAsync(this, b, options); }, writable: true, configurable: true });
