/**
 * `SharedValue`: one scalar in shared memory, what Python's `RawValue('i', 7)` (a ctypes `c_int`
 * in shared memory) is. Made by `RawValue`, or by `Value` with `{ lock: false }`.
 */
import { inspect } from 'node:util';
import type { DType, ScalarInput, ScalarOf } from '../ndarray/dtype.js';
import { allocate } from '../ndarray/memory.js';
import { Cells } from './cells.js';
import { cellsFromDescriptor, type CDataDescriptor } from './descriptor.js';
import { resolveTypecode } from './typecode.js';

export class SharedValue<D extends DType = DType> {
  readonly #cells: Cells;

  private constructor(cells: Cells) {
    this.#cells = cells;
  }

  /** @internal RawValue and Value: `fn` names the caller in errors. */
  static create<D extends DType>(fn: string, typecode: unknown, init: unknown): SharedValue<D> {
    const dtype = resolveTypecode(typecode, fn);
    const cells = new Cells(dtype, allocate(dtype, 1, fn).buffer as SharedArrayBuffer);
    if (init !== undefined) cells.store(0, init, `${fn}: invalid argument 'init'`);
    return new SharedValue(cells);
  }

  /**
   * The value over the memory of `toDescriptor()`'s output, typically in another thread.
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   * @throws {NotSharedError} when its buffer is not a SharedArrayBuffer
   * @throws {DTypeError} when its dtype is not a supported typecode
   * @throws {BufferError} when its buffer does not hold whole elements
   */
  static fromDescriptor<D extends DType = DType>(descriptor: CDataDescriptor<D>): SharedValue<D> {
    return new SharedValue(cellsFromDescriptor('SharedValue.fromDescriptor', descriptor, true));
  }

  get dtype(): D {
    return this.#cells.dtype as D;
  }

  /** The memory: exactly one element. */
  get buffer(): SharedArrayBuffer {
    return this.#cells.buffer;
  }

  /** An atomic read or write; bigint for int64/uint64, boolean for bool. */
  get value(): ScalarOf<D> {
    return this.#cells.load(0) as ScalarOf<D>;
  }

  /**
   * @throws {ValueError} when `value` does not fit the type
   */
  set value(value: ScalarInput<D>) {
    this.#cells.store(0, value, 'value');
  }

  /**
   * Atomically adds `delta` and returns the previous value (integers wrap around, as in C).
   * @throws {DTypeError} when the type is bool
   * @throws {ValueError} when `delta` does not fit the type
   */
  add(delta: ScalarInput<D>): ScalarOf<D> {
    return this.#cells.add(0, delta, 'add') as ScalarOf<D>;
  }

  /**
   * Atomically subtracts `delta` and returns the previous value.
   * @throws {DTypeError} when the type is bool
   * @throws {ValueError} when `delta` does not fit the type
   */
  sub(delta: ScalarInput<D>): ScalarOf<D> {
    return this.#cells.add(0, delta, 'sub', true) as ScalarOf<D>;
  }

  /**
   * Atomically writes `value` and returns the previous value.
   * @throws {ValueError} when `value` does not fit the type
   */
  exchange(value: ScalarInput<D>): ScalarOf<D> {
    return this.#cells.exchange(0, value, 'exchange: invalid argument \'value\'') as ScalarOf<D>;
  }

  /**
   * Atomically writes `replacement` if the value is `expected`; returns the previous value. Integer and bool types only.
   * @throws {DTypeError} when the type is float32 or float64
   * @throws {ValueError} when a value does not fit the type
   */
  compareExchange(expected: ScalarInput<D>, replacement: ScalarInput<D>): ScalarOf<D> {
    return this.#cells.compareExchange(0, expected, replacement, 'compareExchange') as ScalarOf<D>;
  }

  /** Plain data carrying the buffer itself: `SharedValue.fromDescriptor` rebuilds this value over the same memory. */
  toDescriptor(): CDataDescriptor<D> {
    return { dtype: this.dtype, buffer: this.buffer };
  }

  toString(): string {
    return `SharedValue(${this.dtype}, ${String(this.value)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
