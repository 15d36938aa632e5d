/**
 * `SharedArray`: a fixed-length array of one type in shared memory, what Python's
 * `RawArray('d', 10)` is. Each element is read and written atomically, one at a time: reading
 * the whole array is not a snapshot (a SynchronizedArray's lock gives one). `ndarray()` views the
 * same memory as a SharedNDArray, as numpy's `frombuffer` does with a ctypes array.
 */
import { inspect } from 'node:util';
import { ArgumentError, IndexError, ValueError } from '../errors.js';
import { show } from '../check.js';
import { frombuffer } from '../ndarray/create.js';
import type { DType, ScalarInput, ScalarOf } from '../ndarray/dtype.js';
import { allocate } from '../ndarray/memory.js';
import type { SharedNDArray } from '../ndarray/ndarray.js';
import { Cells } from './cells.js';
import { toCValue } from './convert.js';
import { cellsFromDescriptor, type CDataDescriptor } from './descriptor.js';
import { checkIndex, indexable } from './indexing.js';
import { resolveTypecode } from './typecode.js';

/** `RawArray`'s second argument: a length (zero-filled), or the initial values. */
export type SizeOrInit<D extends DType = DType> = number | Iterable<ScalarInput<D>> | ArrayLike<ScalarInput<D>>;

export interface SharedArray<D extends DType = DType> {
  /** `a[i]` and `a[i] = v`, as `get(i)` and `set(i, v)`. */
  [index: number]: ScalarOf<D>;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the index access the constructor's proxy provides
export class SharedArray<D extends DType = DType> {
  // An ordinary field, not #private: methods run with the index proxy as `this`.
  private readonly cells: Cells;

  private constructor(cells: Cells) {
    this.cells = cells;
    // biome-ignore lint/correctness/noConstructorReturn: the instance is the index proxy over itself (indexing.ts)
    return indexable(this);
  }

  /** @internal RawArray and Array: `fn` names the caller in errors. */
  static create<D extends DType>(fn: string, typecode: unknown, sizeOrInit: unknown): SharedArray<D> {
    const dtype = resolveTypecode(typecode, fn);
    const init = initialValues(fn, sizeOrInit);
    const cells = new Cells(dtype, allocate(dtype, typeof init === 'number' ? init : init.length, fn).buffer as SharedArrayBuffer);
    if (typeof init !== 'number') {
      init.forEach((v, i) => {
        cells.store(i, v, `${fn}: invalid argument 'sizeOrInit[${i}]'`);
      });
    }
    return new SharedArray(cells);
  }

  /**
   * The array over the memory of `toDescriptor()`'s output, typically in another thread.
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   * @throws {NotSharedError} when its buffer is not a SharedArrayBuffer
   * @throws {DTypeError} when its dtype is not a supported typecode
   * @throws {BufferError} when its buffer does not hold whole elements
   */
  static fromDescriptor<D extends DType = DType>(descriptor: CDataDescriptor<D>): SharedArray<D> {
    return new SharedArray(cellsFromDescriptor('SharedArray.fromDescriptor', descriptor, false));
  }

  get dtype(): D {
    return this.cells.dtype as D;
  }

  get buffer(): SharedArrayBuffer {
    return this.cells.buffer;
  }

  get length(): number {
    return this.cells.length;
  }

  /**
   * Element `i`; negative indices count from the end, as in Python.
   * @throws {IndexError} when `i` is out of range or not an integer
   */
  get(i: number): ScalarOf<D> {
    return this.cells.load(checkIndex(i, this.cells.length, 'get')) as ScalarOf<D>;
  }

  /**
   * @throws {IndexError} when `i` is out of range or not an integer
   * @throws {ValueError} when `value` does not fit the type
   */
  set(i: number, value: ScalarInput<D>): void {
    this.cells.store(checkIndex(i, this.cells.length, 'set'), value, 'set: invalid argument \'value\'');
  }

  /**
   * Atomically adds `delta` to element `i` and returns its previous value (integers wrap around, as in C).
   * @throws {IndexError} when `i` is out of range or not an integer
   * @throws {DTypeError} when the type is bool
   * @throws {ValueError} when `delta` does not fit the type
   */
  add(i: number, delta: ScalarInput<D>): ScalarOf<D> {
    return this.cells.add(checkIndex(i, this.cells.length, 'add'), delta, 'add') as ScalarOf<D>;
  }

  /**
   * Atomically subtracts `delta` from element `i` and returns its previous value.
   * @throws {IndexError} when `i` is out of range or not an integer
   * @throws {DTypeError} when the type is bool
   * @throws {ValueError} when `delta` does not fit the type
   */
  sub(i: number, delta: ScalarInput<D>): ScalarOf<D> {
    return this.cells.add(checkIndex(i, this.cells.length, 'sub'), delta, 'sub', true) as ScalarOf<D>;
  }

  /**
   * Atomically writes element `i` and returns its previous value.
   * @throws {IndexError} when `i` is out of range or not an integer
   * @throws {ValueError} when `value` does not fit the type
   */
  exchange(i: number, value: ScalarInput<D>): ScalarOf<D> {
    return this.cells.exchange(checkIndex(i, this.cells.length, 'exchange'), value, 'exchange: invalid argument \'value\'') as ScalarOf<D>;
  }

  /**
   * Atomically writes `replacement` to element `i` if it is `expected`; returns its previous value. Integer and bool types only.
   * @throws {IndexError} when `i` is out of range or not an integer
   * @throws {DTypeError} when the type is float32 or float64
   * @throws {ValueError} when a value does not fit the type
   */
  compareExchange(i: number, expected: ScalarInput<D>, replacement: ScalarInput<D>): ScalarOf<D> {
    return this.cells.compareExchange(checkIndex(i, this.cells.length, 'compareExchange'), expected, replacement, 'compareExchange') as ScalarOf<D>;
  }

  *[Symbol.iterator](): IterableIterator<ScalarOf<D>> {
    for (let i = 0; i < this.cells.length; i++) yield this.cells.load(i) as ScalarOf<D>;
  }

  /** A plain JS array copy of the elements (Python's `a[:]`). */
  toArray(): Array<ScalarOf<D>> {
    return this.slice();
  }

  /**
   * A plain JS array copy of `[start, stop)`, bounds as Python slices take them: negative from the end, clamped.
   * @throws {IndexError} when a bound is not an integer
   */
  slice(start?: number, stop?: number): Array<ScalarOf<D>> {
    const n = this.cells.length;
    const from = sliceBound(start, 0, n, 'start'), to = sliceBound(stop, n, n, 'stop');
    const out: Array<ScalarOf<D>> = [];
    for (let i = from; i < to; i++) out.push(this.cells.load(i) as ScalarOf<D>);
    return out;
  }

  /**
   * Writes `values` over `[start, stop)` (Python's `a[start:stop] = values`), bounds as `slice`
   * takes them. As with ctypes arrays, the slice cannot change length: `values` must have as many
   * elements as it covers. Every value is checked before the first is written.
   * @throws {IndexError} when a bound is not an integer
   * @throws {ArgumentError} when `values` is not iterable
   * @throws {ValueError} when the number of values differs from the slice's length, or a value does not fit the type
   */
  assign(start: number | undefined, stop: number | undefined, values: Iterable<ScalarInput<D>>): void {
    const n = this.cells.length;
    const from = sliceBound(start, 0, n, 'start');
    const to = Math.max(from, sliceBound(stop, n, n, 'stop'));
    if (values == null || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError(`assign: invalid argument 'values': expected an iterable of values, got ${show(values)}`);
    }
    const list = Array.from(values as Iterable<unknown>);
    if (list.length !== to - from) {
      throw new ValueError(`assign: invalid argument 'values': can only assign a sequence of the same size, got ${list.length} values for a slice of ${to - from}`);
    }
    list.forEach((v, i) => { toCValue(this.cells.dtype, v, `assign: invalid argument 'values[${i}]'`); });
    list.forEach((v, i) => { this.cells.store(from + i, v, 'assign'); });
  }

  /** A 1-d SharedNDArray over the same memory (numpy's `frombuffer(a, dtype)`); `.reshape(...)` it as needed. */
  ndarray(): SharedNDArray<D> {
    return frombuffer(this.cells.buffer, { dtype: this.cells.dtype }) as SharedNDArray as SharedNDArray<D>;
  }

  /** Plain data carrying the buffer itself: `SharedArray.fromDescriptor` rebuilds this array over the same memory. */
  toDescriptor(): CDataDescriptor<D> {
    return { dtype: this.dtype, buffer: this.buffer };
  }

  /** Like SharedNDArray's, long arrays show their length only. */
  toString(): string {
    const n = this.cells.length;
    return `SharedArray(${this.dtype}, ${n > 1000 ? `length=${n}` : `[${this.toArray().join(', ')}]`})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The size, or the initial values as an array. */
function initialValues(fn: string, sizeOrInit: unknown): number | unknown[] {
  if (typeof sizeOrInit === 'number') {
    if (Number.isSafeInteger(sizeOrInit) && sizeOrInit >= 0) return sizeOrInit;
  } else if (typeof sizeOrInit === 'object' && sizeOrInit !== null) {
    const length = (sizeOrInit as { length?: unknown }).length;
    if (Symbol.iterator in sizeOrInit || (Number.isSafeInteger(length) && (length as number) >= 0)) {
      return Array.from(sizeOrInit as ArrayLike<unknown>);
    }
  }
  throw new ArgumentError(`${fn}: invalid argument 'sizeOrInit': expected a nonnegative integer size, or an iterable or array-like of values, got ${show(sizeOrInit)}`);
}

function sliceBound(bound: unknown, fallback: number, n: number, name: string): number {
  if (bound === undefined) return fallback;
  if (typeof bound !== 'number' || !Number.isInteger(bound)) {
    throw new IndexError(`slice: invalid argument '${name}': expected an integer or undefined, got ${show(bound)}`);
  }
  return bound < 0 ? Math.max(0, bound + n) : Math.min(bound, n);
}
