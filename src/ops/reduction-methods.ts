/**
 * numpy's reduction methods (`a.sum({ axis: 0 })`, `a.mean()`, …, and each `…Async`), installed
 * on SharedNDArray's prototype as methods.ts installs the elementwise ones: ndarray/ sits below
 * ops/ and cannot import it.
 */
import type { DType, Scalar, ScalarOf } from '../ndarray/dtype.js';
import { SharedNDArray } from '../ndarray/ndarray.js';
import * as reductions from './reductions.js';
import type { ArgOptions, ArrayResult, MeanOptions, ReduceOptions, SumDType, SumOptions, VarOptions, Whole } from './reductions.js';

declare module '../ndarray/ndarray.js' {
  interface SharedNDArray<D extends DType = DType> {
    /** `sum(this, options)`: a JS scalar without axis, keepdims or out, else an array. */
    sum(options: ArrayResult<SumOptions>): SharedNDArray;
    sum(options?: Whole<SumOptions> & { dtype?: undefined }): ScalarOf<SumDType<D>>;
    sum(options?: SumOptions): SharedNDArray | Scalar;
    sumAsync(options: ArrayResult<SumOptions>): Promise<SharedNDArray>;
    sumAsync(options?: Whole<SumOptions> & { dtype?: undefined }): Promise<ScalarOf<SumDType<D>>>;
    sumAsync(options?: SumOptions): Promise<SharedNDArray | Scalar>;
    /** `prod(this, options)`. */
    prod(options: ArrayResult<SumOptions>): SharedNDArray;
    prod(options?: Whole<SumOptions> & { dtype?: undefined }): ScalarOf<SumDType<D>>;
    prod(options?: SumOptions): SharedNDArray | Scalar;
    prodAsync(options: ArrayResult<SumOptions>): Promise<SharedNDArray>;
    prodAsync(options?: Whole<SumOptions> & { dtype?: undefined }): Promise<ScalarOf<SumDType<D>>>;
    prodAsync(options?: SumOptions): Promise<SharedNDArray | Scalar>;
    /** `mean(this, options)`. */
    mean(options: ArrayResult<MeanOptions>): SharedNDArray;
    mean(options?: Whole<MeanOptions>): number;
    mean(options?: MeanOptions): SharedNDArray | Scalar;
    meanAsync(options: ArrayResult<MeanOptions>): Promise<SharedNDArray>;
    meanAsync(options?: Whole<MeanOptions>): Promise<number>;
    meanAsync(options?: MeanOptions): Promise<SharedNDArray | Scalar>;
    /** `var(this, options)`. */
    var(options: ArrayResult<VarOptions>): SharedNDArray;
    var(options?: Whole<VarOptions>): number;
    var(options?: VarOptions): SharedNDArray | Scalar;
    varAsync(options: ArrayResult<VarOptions>): Promise<SharedNDArray>;
    varAsync(options?: Whole<VarOptions>): Promise<number>;
    varAsync(options?: VarOptions): Promise<SharedNDArray | Scalar>;
    /** `std(this, options)`. */
    std(options: ArrayResult<VarOptions>): SharedNDArray;
    std(options?: Whole<VarOptions>): number;
    std(options?: VarOptions): SharedNDArray | Scalar;
    stdAsync(options: ArrayResult<VarOptions>): Promise<SharedNDArray>;
    stdAsync(options?: Whole<VarOptions>): Promise<number>;
    stdAsync(options?: VarOptions): Promise<SharedNDArray | Scalar>;
    /** `min(this, options)` (numpy's `a.min()`). */
    min(options: ArrayResult<ReduceOptions>): SharedNDArray<D>;
    min(options?: Whole<ReduceOptions>): ScalarOf<D>;
    min(options?: ReduceOptions): SharedNDArray<D> | ScalarOf<D>;
    minAsync(options: ArrayResult<ReduceOptions>): Promise<SharedNDArray<D>>;
    minAsync(options?: Whole<ReduceOptions>): Promise<ScalarOf<D>>;
    minAsync(options?: ReduceOptions): Promise<SharedNDArray<D> | ScalarOf<D>>;
    /** `max(this, options)`. */
    max(options: ArrayResult<ReduceOptions>): SharedNDArray<D>;
    max(options?: Whole<ReduceOptions>): ScalarOf<D>;
    max(options?: ReduceOptions): SharedNDArray<D> | ScalarOf<D>;
    maxAsync(options: ArrayResult<ReduceOptions>): Promise<SharedNDArray<D>>;
    maxAsync(options?: Whole<ReduceOptions>): Promise<ScalarOf<D>>;
    maxAsync(options?: ReduceOptions): Promise<SharedNDArray<D> | ScalarOf<D>>;
    /** `argmin(this, options)`. */
    argmin(options: ArrayResult<ArgOptions>): SharedNDArray;
    argmin(options?: Whole<ArgOptions>): number;
    argmin(options?: ArgOptions): SharedNDArray | number;
    argminAsync(options: ArrayResult<ArgOptions>): Promise<SharedNDArray>;
    argminAsync(options?: Whole<ArgOptions>): Promise<number>;
    argminAsync(options?: ArgOptions): Promise<SharedNDArray | number>;
    /** `argmax(this, options)`. */
    argmax(options: ArrayResult<ArgOptions>): SharedNDArray;
    argmax(options?: Whole<ArgOptions>): number;
    argmax(options?: ArgOptions): SharedNDArray | number;
    argmaxAsync(options: ArrayResult<ArgOptions>): Promise<SharedNDArray>;
    argmaxAsync(options?: Whole<ArgOptions>): Promise<number>;
    argmaxAsync(options?: ArgOptions): Promise<SharedNDArray | number>;
    /** `any(this, options)`. */
    any(options: ArrayResult<ReduceOptions>): SharedNDArray;
    any(options?: Whole<ReduceOptions>): boolean;
    any(options?: ReduceOptions): SharedNDArray | boolean;
    anyAsync(options: ArrayResult<ReduceOptions>): Promise<SharedNDArray>;
    anyAsync(options?: Whole<ReduceOptions>): Promise<boolean>;
    anyAsync(options?: ReduceOptions): Promise<SharedNDArray | boolean>;
    /** `all(this, options)`. */
    all(options: ArrayResult<ReduceOptions>): SharedNDArray;
    all(options?: Whole<ReduceOptions>): boolean;
    all(options?: ReduceOptions): SharedNDArray | boolean;
    allAsync(options: ArrayResult<ReduceOptions>): Promise<SharedNDArray>;
    allAsync(options?: Whole<ReduceOptions>): Promise<boolean>;
    allAsync(options?: ReduceOptions): Promise<SharedNDArray | boolean>;
  }
}

const NAMES = ['sum', 'prod', 'mean', 'var', 'std', 'min', 'max', 'argmin', 'argmax', 'any', 'all'] as const;

const proto = SharedNDArray.prototype as unknown as Record<string, unknown>;
const functions = reductions as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of NAMES) {
  for (const form of [name, `${name}Async`]) {
    const f = functions[form]!;
    Object.defineProperty(proto, form, {
      value: function (this: SharedNDArray, options?: unknown) { return f(this, options); },
      writable: true, configurable: true,
    });
  }
}
