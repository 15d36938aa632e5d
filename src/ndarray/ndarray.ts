import { inspect } from 'node:util';
import { ArgumentError, BufferError, CopyRequiredError, IndexError, NotContiguousError, NotSharedError, ReadOnlyError, ShapeError, ValueError } from '../errors.js';
import { checkOptionKeys, show, showShape } from '../check.js';
import { DESCRIPTOR_KIND, DESCRIPTOR_VERSION, type NDArrayDescriptor } from './descriptor.js';
import {
  DTYPES, resolveDType, type DType, type DTypeLike, type ResolveDType, type ScalarInput, type ScalarOf,
  type TypedArray, type TypedArrayOf,
} from './dtype.js';
import { fillRun } from './fill.js';
import { applyIndex, type IndexSpec } from './index-spec.js';
import {
  contiguousStrides, extent, forEachIndex, isContiguousLayout, normalizeAxis, parseOrder, parseShape, sizeOf,
  type Order,
} from './layout.js';
import { allocate, typedArrayOver } from './memory.js';
import { inferShape, reshapeStrides } from './reshape.js';
import { stdlibView, type StdlibView } from './stdlib.js';
import { castFn, fromStored, toStored, type Stored } from './values.js';

/** Options of the low-level constructor, numpy's `ndarray(shape, dtype, buffer, offset, strides, order)`. */
export interface NDArrayOptions<D extends DType = DType> {
  /** Element type (default float64). A canonical name (`'int32'`) also types the result. */
  dtype?: D | DTypeLike;
  /** Memory to view. Omitted: fresh zeroed shared memory. A plain ArrayBuffer gives `isShared === false`. */
  buffer?: ArrayBufferLike | ArrayBufferView;
  /** Byte offset of element `[0, ..., 0]` from the start of `buffer` (numpy's `offset`). */
  byteOffset?: number;
  /** Element strides (not bytes, unlike numpy); default: contiguous in `order`. */
  strides?: readonly number[];
  /** Layout of the default strides; ignored when `strides` are given, as in numpy. */
  order?: Order;
  /** Refuse writes through this array and its views (numpy's `flags.writeable = False`). */
  readonly?: boolean;
}

export interface AstypeOptions {
  /** Memory order of the result: 'C' (default) or 'F'. */
  order?: Order;
  /**
   * Refuse a conversion that changes any value (a ValueError naming the first one) instead of
   * numpy's unsafe casting: int64 to int32 out of range, int64 to float64 beyond 2^53, a fraction
   * to an integer. The checked way to turn numpy's default int64 into JS numbers.
   */
  exact?: boolean;
}

export interface ReshapeOptions {
  /** How elements are read from the array and placed into the new shape (numpy's `order`). */
  order?: Order;
  /** `false`: throw CopyRequiredError unless a view is possible; `true`: always copy; default: view if possible. */
  copy?: boolean;
}

/** What `toArray` returns: nested arrays of scalars, or a scalar for a 0-d array. */
export type NestedArray<T> = T | NestedArray<T>[];

/** Geometry handed between methods of this module without re-validation. */
interface Parts { dtype: DType; data: TypedArray; shape: number[]; strides: number[]; offset: number; readonly?: boolean }

const TRUSTED = Symbol('trusted');
let trusted: Parts | undefined;
/** Set by the class's static block, which can read the private geometry (see packArray). */
let pack: (array: SharedNDArray) => unknown[];

/**
 * A numpy-style strided n-d view over one typed array whose memory is (normally) a
 * SharedArrayBuffer. Views share memory with the array they came from: `slice`, `row`,
 * `transpose`, `T`, `squeeze`, `expandDims`, and `reshape`/`ravel` when the layout allows it.
 * Methods whose names say copy (`copy`, `flatten`, `astype`, `toArray`) never share.
 *
 * Differences from numpy that JS forces: `strides` and `offset` count elements, not bytes
 * (`byteStrides`/`byteOffset` give numpy's values); 64-bit integers are bigints; a single
 * integer index through `slice` gives a 0-d view (use `get` for a scalar).
 */
export class SharedNDArray<D extends DType = DType> {
  readonly dtype: D;
  readonly #data: TypedArrayOf<D>;
  readonly #shape: readonly number[];
  readonly #strides: readonly number[];
  readonly #offset: number;
  // set()'s fast path: numbers in [#min, #max] go straight into the typed array (NaN for none)
  readonly #min: number;
  readonly #max: number;
  readonly #isBool: boolean;
  readonly #readonly: boolean;
  // Frozen copies for the public getters, made on first use: frozen arrays are slow to index,
  // so the hot paths keep reading the private unfrozen ones.
  #frozenShape?: readonly number[];
  #frozenStrides?: readonly number[];

  static {
    pack = (array) => {
      const out: unknown[] = [array.dtype, array.#data.buffer, array.#offset, array.#readonly ? 1 : 0];
      for (const n of array.#shape) out.push(n);
      for (const s of array.#strides) out.push(s);
      return out;
    };
  }

  /**
   * @throws {ArgumentError} when an option is invalid, or strides or byteOffset come without a buffer
   * @throws {ShapeError} when a length is negative or not an integer
   * @throws {DTypeError} when `options.dtype` names no supported dtype
   * @throws {BufferError} when the view reaches outside `options.buffer`, or its offset is unaligned
   */
  constructor(shape: number | readonly number[], options?: NDArrayOptions<D>);
  /** @internal */
  constructor(shape: typeof TRUSTED);
  constructor(shape: number | readonly number[] | typeof TRUSTED, options: NDArrayOptions<D> = {}) {
    let parts: Parts;
    if (shape === TRUSTED && trusted) {
      parts = trusted;
      trusted = undefined;
    } else {
      parts = validateConstructorArgs(shape, options);
    }
    this.dtype = parts.dtype as D;
    this.#data = parts.data as TypedArrayOf<D>;
    this.#shape = parts.shape;
    this.#strides = parts.strides;
    this.#offset = parts.offset;
    const info = DTYPES[parts.dtype];
    const numeric = info.kind === 'f' || parts.dtype === 'uint8c';
    this.#min = numeric ? -Infinity : typeof info.min === 'number' ? info.min : NaN;
    this.#max = numeric ? Infinity : typeof info.max === 'number' ? info.max : NaN;
    this.#isBool = parts.dtype === 'bool';
    this.#readonly = parts.readonly === true;
  }

  /**
   * Rebuilds an array from `toDescriptor()` output (typically in another thread); no data is copied.
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   * @throws {NotSharedError} when its buffer is not a SharedArrayBuffer
   * @throws {DTypeError} when its dtype is not a supported one
   * @throws {ShapeError} when its shape is not a list of lengths
   * @throws {BufferError} when its geometry reaches outside the buffer
   */
  static fromDescriptor<D extends DType = DType>(descriptor: NDArrayDescriptor<D>): SharedNDArray<D> {
    const fn = 'fromDescriptor';
    const d = descriptor as Partial<Record<keyof NDArrayDescriptor, unknown>> | null;
    if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KIND) {
      throw new ArgumentError(`${fn}: invalid argument 'descriptor': expected the object returned by toDescriptor(), got ${show(d)}`);
    }
    if (d.version !== DESCRIPTOR_VERSION) {
      throw new ArgumentError(`${fn}: invalid argument 'descriptor': unsupported descriptor version ${show(d.version)} (expected ${DESCRIPTOR_VERSION})`);
    }
    return viewFromDescriptor(fn, d.dtype, d.buffer, d.offset, d.readonly, d.shape, d.strides) as SharedNDArray<D>;
  }

  // ---- geometry -------------------------------------------------------------------------

  /**
   * False for a read-only array (a memmap opened with mode 'r', or `{ readonly: true }`): `set`
   * and `fill` throw a ReadOnlyError on it and its views. Raw access (`data`, `toStdlib()`) is not
   * guarded: a read-only memmap is mapped copy-on-write, so such writes never reach its file.
   */
  get writeable(): boolean { return !this.#readonly; }

  /** Length of each axis. */
  get shape(): readonly number[] {
    this.#frozenShape ??= Object.freeze([...this.#shape]);
    return this.#frozenShape;
  }
  /** Element strides (numpy's strides divided by `itemsize`); may be negative or zero. */
  get strides(): readonly number[] {
    this.#frozenStrides ??= Object.freeze([...this.#strides]);
    return this.#frozenStrides;
  }
  /** numpy's byte strides. */
  get byteStrides(): number[] { return this.#strides.map((s) => s * this.itemsize); }
  /** Element index of `[0, ..., 0]` counted from the first byte of `buffer`. */
  get offset(): number { return this.#offset; }
  get ndim(): number { return this.#shape.length; }
  get size(): number { return sizeOf(this.#shape); }
  get itemsize(): number { return DTYPES[this.dtype].itemsize; }
  get nbytes(): number { return this.size * this.itemsize; }
  /** The memory this array views: a SharedArrayBuffer unless it was made from a plain ArrayBuffer. */
  get buffer(): ArrayBufferLike { return this.#data.buffer; }
  /** Byte offset of element `[0, ..., 0]` in `buffer`. */
  get byteOffset(): number { return this.#offset * this.itemsize; }
  /** True when the memory is a SharedArrayBuffer, i.e. it can reach workers without a copy. */
  get isShared(): boolean { return this.#data.buffer instanceof SharedArrayBuffer; }

  /**
   * 'C' or 'F': the layout the array is contiguous in ('C' when both, as for 1-d), else the
   * order its strides most resemble. This is what `toStdlib()` reports as row-/column-major.
   */
  get order(): Order {
    if (this.isContiguous('C')) return 'C';
    if (this.isContiguous('F')) return 'F';
    const s = this.#strides.filter((_, i) => this.#shape[i] !== 1).map(Math.abs);
    return s.every((v, i) => i === 0 || s[i - 1]! <= v) && s.length > 1 ? 'F' : 'C';
  }

  /**
   * numpy's C_CONTIGUOUS / F_CONTIGUOUS flags (axes of length 1 may have any stride).
   * @throws {ArgumentError} when `order` is not C or F
   */
  isContiguous(order: Order = 'C'): boolean {
    return isContiguousLayout(this.#shape, this.#strides, parseOrder(order, 'isContiguous'));
  }

  /**
   * The flat typed array of exactly this view's elements, in memory order, sharing memory.
   * Only for C- or F-contiguous views: a strided view has no such array (use `copy().data`).
   * For bool arrays this is the Uint8Array of 0/1 bytes.
   * @throws {NotContiguousError} when the view is strided
   * @throws {BufferError} when the memory was detached
   */
  get data(): TypedArrayOf<D> {
    const span = this.#contiguousSpan('data');
    if (!span) {
      throw new NotContiguousError(`data: this view (shape ${showShape(this.#shape)}, strides ${showShape(this.#strides)}) is not contiguous; use copy().data for a contiguous copy`);
    }
    return this.#data.subarray(span[0], span[1]) as TypedArrayOf<D>;
  }

  /**
   * `[start, end)` element range of a C- or F-contiguous view (empty for a view without
   * elements), undefined for a strided one. Throws if the memory has since been detached.
   */
  #contiguousSpan(fn: string): [number, number] | undefined {
    if (!this.isContiguous('C') && !this.isContiguous('F')) return undefined;
    const span = extent(this.#shape, this.#strides, this.#offset);
    if (!span) return [0, 0];
    if (span[1] >= this.#data.length) throw detachedError(fn);
    return [span[0], span[1] + 1];
  }

  // ---- elements -------------------------------------------------------------------------

  /** Element index of `index[0..count)`: the hot path of get/set, checks inline, messages out of line. */
  #index(index: readonly unknown[], count: number, fn: string): number {
    const shape = this.#shape, strides = this.#strides;
    if (count !== shape.length) throw arityError(fn, shape.length, count);
    let p = this.#offset;
    for (let k = 0; k < count; k++) {
      const i = index[k] as number, len = shape[k]!;
      // nonnegative integers below 2^32 pass this one test; everything else takes the slow path
      if (typeof i === 'number' && (i >>> 0) === i && i < len) p += i * strides[k]!;
      else p += checkIndex(index[k], len, k, fn) * strides[k]!;
    }
    return p;
  }

  /**
   * Element index of `(i, j, k)` for 1 to 3 indices in range, else -1 (take `#index`). The common
   * calls pass their indices as plain parameters, so no rest array is made per element.
   */
  #fastIndex(n: number, i: unknown, j: unknown, k: unknown): number {
    const shape = this.#shape, strides = this.#strides;
    if (n !== shape.length) return -1;
    // nonnegative integers below the axis length pass `(x >>> 0) === x && x < len`
    if (typeof i !== 'number' || (i >>> 0) !== i || i >= shape[0]!) return -1;
    let p = this.#offset + i * strides[0]!;
    if (n === 1) return p;
    if (typeof j !== 'number' || (j >>> 0) !== j || j >= shape[1]!) return -1;
    p += j * strides[1]!;
    if (n === 2) return p;
    if (typeof k !== 'number' || (k >>> 0) !== k || k >= shape[2]!) return -1;
    return p + k * strides[2]!;
  }

  /**
   * One element; negative indices count from the end of their axis.
   * @throws {IndexError} when an index is missing, out of bounds or not an integer
   * @throws {BufferError} when the memory was detached
   */
  get(...index: number[]): ScalarOf<D>;
  get(i?: number, j?: number, k?: number, ..._more: number[]): ScalarOf<D> {
    // biome-ignore lint/complexity/noArguments: a rest parameter would allocate an array per element access
    const n = arguments.length;
    let p = n <= 3 ? this.#fastIndex(n, i, j, k) : -1;
    // the slow path only (negative indices, 4+ dims, errors) pays for the array
    // biome-ignore lint/complexity/noArguments: see above
    if (p === -1) p = this.#index(Array.from(arguments), n, 'get');
    const v = this.#data[p];
    // undefined only when a plain ArrayBuffer under the view was transferred away since
    if (v === undefined) throw detachedError('get');
    return (this.#isBool ? v !== 0 : v) as ScalarOf<D>;
  }

  /**
   * Writes one element: `set(i, j, value)`. The value is checked against the dtype (see `fill`).
   * @throws {IndexError} when an index is missing, out of bounds or not an integer
   * @throws {ValueError} when the value does not fit the dtype
   * @throws {ReadOnlyError} when the array is read-only
   * @throws {BufferError} when the memory was detached
   */
  set(...args: [...index: number[], value: ScalarInput<D>]): void;
  set(a?: unknown, b?: unknown, c?: unknown, d?: unknown, ..._more: unknown[]): void {
    // biome-ignore lint/complexity/noArguments: a rest parameter would allocate an array per element access
    const n = arguments.length - 1;
    if (n < 0) throw new ArgumentError(`set: expected ${this.ndim} ${this.ndim === 1 ? 'index' : 'indices'} followed by a value, got no arguments`);
    let p = n <= 3 ? this.#fastIndex(n, a, b, c) : -1;
    // the slow path only, as in get()
    // biome-ignore lint/complexity/noArguments: see above
    const args = p === -1 ? Array.from(arguments) : undefined;
    if (args !== undefined) p = this.#index(args, n, 'set');
    if (p >= this.#data.length) throw detachedError('set');
    if (this.#readonly) throw readOnlyError('set');
    const v = args !== undefined ? args[n] : n === 1 ? b : n === 2 ? c : d;
    // in-range numbers need no conversion: the typed array's store truncates fractions like numpy
    (this.#data as TypedArray)[p] = typeof v === 'number' && v >= this.#min && v <= this.#max ? v : toStored(this.dtype, v, 'set');
  }

  /**
   * Writes `value` into every element of this view (and nothing outside it). Integers are range
   * checked, a fraction is truncated toward zero as numpy does, bool arrays take booleans only.
   * @throws {ValueError} when the value does not fit the dtype
   * @throws {ReadOnlyError} when the array is read-only
   * @throws {BufferError} when the memory was detached
   */
  fill(value: ScalarInput<D>): this {
    if (this.#readonly) throw readOnlyError('fill');
    const v = toStored(this.dtype, value, 'fill');
    const data = this.#data as TypedArray & Stored[];
    const span = this.#contiguousSpan('fill');
    if (span) {
      fillRun(data, this.dtype, v, span[0], span[1]);
    } else {
      if (extent(this.#shape, this.#strides, this.#offset)![1] >= data.length) throw detachedError('fill');
      forEachIndex(this.#shape, this.#strides, this.#offset, 'C', (p) => { data[p] = v; });
    }
    return this;
  }

  /**
   * Nested JS arrays of the elements (a copy); a 0-d array gives its scalar, like numpy's `tolist`.
   * The array's type does not know its number of dimensions: say it (`toArray(2)` is a
   * `number[][]`) and it is checked.
   * @throws {ShapeError} when `ndim` is given and is not the array's
   * @throws {BufferError} when the memory was detached
   */
  toArray(ndim: 0): ScalarOf<D>;
  toArray(ndim: 1): ScalarOf<D>[];
  toArray(ndim: 2): ScalarOf<D>[][];
  toArray(ndim: 3): ScalarOf<D>[][][];
  toArray(ndim?: number): NestedArray<ScalarOf<D>>;
  toArray(ndim?: number): NestedArray<ScalarOf<D>> {
    if (ndim !== undefined && ndim !== this.ndim) {
      throw new ShapeError(`toArray: invalid argument 'ndim': the array has ${this.ndim} dimensions (shape ${showShape(this.#shape)}), not ${show(ndim)}`);
    }
    const { dtype } = this, data = this.#data, shape = this.#shape, strides = this.#strides;
    const reach = extent(shape, strides, this.#offset);
    if (reach && reach[1] >= data.length) throw detachedError('toArray');
    const build = (axis: number, p: number): NestedArray<ScalarOf<D>> => {
      if (axis === shape.length) return fromStored(dtype, data[p]!) as ScalarOf<D>;
      const out = new Array<NestedArray<ScalarOf<D>>>(shape[axis]!);
      for (let i = 0; i < shape[axis]!; i++) out[i] = build(axis + 1, p + i * strides[axis]!);
      return out;
    };
    return build(0, this.#offset);
  }

  /**
   * Whether the dtype is `dtype` (any spelling `dtype()` takes), narrowing the array's type:
   * `if (a.is('float32')) a.data` is a Float32Array. For arrays typed `SharedNDArray<DType>`, as
   * `load` returns them.
   */
  is<T extends DTypeLike>(dtype: T): this is SharedNDArray<ResolveDType<T>> {
    return this.dtype === resolveDType(dtype, 'dtype', 'is');
  }

  /**
   * Iterates the first axis: scalars for a 1-d array, row views otherwise.
   * @throws {ArgumentError} when the array is 0-d
   */
  *[Symbol.iterator](): IterableIterator<ScalarOf<D> | SharedNDArray<D>> {
    if (this.ndim === 0) throw new ArgumentError('iteration over a 0-d array');
    for (let i = 0; i < this.#shape[0]!; i++) yield this.ndim === 1 ? this.get(i) : this.row(i);
  }

  /**
   * Iterates the rows (views along the first axis), typed as arrays, for `ndim >= 1`.
   * @throws {IndexError} when the array is 0-d
   */
  *rows(): IterableIterator<SharedNDArray<D>> {
    if (this.ndim === 0) throw new IndexError('rows: a 0-d array has no rows');
    for (let i = 0; i < this.#shape[0]!; i++) yield this.row(i);
  }

  // ---- views ----------------------------------------------------------------------------

  #view(shape: number[], strides: number[], offset: number): SharedNDArray<D> {
    return viewOf(this.dtype, this.#data, shape, strides, offset, this.#readonly);
  }

  /**
   * Row `i` (a view of `a[i]`); negative counts from the end.
   * @throws {IndexError} when the array is 0-d, or `i` is out of bounds or not an integer
   */
  row(i: number): SharedNDArray<D> {
    if (this.ndim === 0) throw new IndexError('row: a 0-d array has no rows');
    const len = this.#shape[0]!;
    const k = typeof i === 'number' && (i >>> 0) === i && i < len ? i : checkIndex(i, len, 0, 'row');
    return this.#view(this.#shape.slice(1), this.#strides.slice(1), this.#offset + k * this.#strides[0]!);
  }

  /**
   * numpy basic indexing as a view: `a.slice(1, '2:', '::-1')` is `a[1, 2:, ::-1]`. Each spec is
   * an integer (drops the axis), a `'start:stop:step'` string, `null` or `':'` (whole axis),
   * `'...'` (the remaining axes) or `newaxis`. Missing trailing specs take whole axes.
   * @throws {IndexError} when a spec is malformed or out of bounds, or there are too many
   */
  slice(...specs: IndexSpec[]): SharedNDArray<D> {
    const g = applyIndex(specs, this.#shape, this.#strides, this.#offset);
    return this.#view(g.shape, g.strides, g.offset);
  }

  /**
   * numpy's `reshape`: `a.reshape(2, 3)`, `a.reshape([2, -1], { order: 'F' })`. A view whenever the
   * strides allow it (always for contiguous arrays), else a copy, exactly where numpy copies;
   * `{ copy: false }` throws CopyRequiredError instead of copying, `{ copy: true }` always copies.
   * @throws {ArgumentError} when the order is not an option, or an option is malformed
   * @throws {ShapeError} when the new shape does not hold the same number of elements
   * @throws {CopyRequiredError} when `copy` is false and only a copy can have the new shape
   * @throws {BufferError} when a copy cannot be allocated
   */
  reshape(...args: [...shape: number[]] | [shape: readonly number[], options?: ReshapeOptions] | [...shape: number[], options: ReshapeOptions]): SharedNDArray<D> {
    // reshape(shape, options) with options undefined is a valid call in TypeScript
    if (args.length > 1 && args[args.length - 1] === undefined) args.pop();
    const last = args[args.length - 1];
    if ((last as unknown) === 'C' || (last as unknown) === 'F') {
      throw new ArgumentError(`reshape: invalid argument ${show(last)}: pass the order as an option, e.g. reshape([2, 3], { order: ${show(last)} })`);
    }
    const options: ReshapeOptions = typeof last === 'object' && last !== null && !Array.isArray(last) ? (args.pop() as ReshapeOptions) : {};
    const order = parseOrder(options.order, 'reshape', 'options.order');
    if (options.copy !== undefined && typeof options.copy !== 'boolean') {
      throw new ArgumentError(`reshape: invalid argument 'options.copy': expected a boolean, got ${show(options.copy)}`);
    }
    const shape = inferShape(parseShape(args, 'reshape', 'shape', true), this.size);
    if (options.copy !== true) {
      const strides = reshapeStrides(this.#shape, this.#strides, shape, order);
      if (strides) return this.#view(shape, strides, this.#offset);
      if (options.copy === false) {
        throw new CopyRequiredError(`reshape: cannot reshape this view of shape ${showShape(this.#shape)} into ${showShape(shape)} in ${order} order without copying (copy: false was given)`);
      }
    }
    return viewOf(this.dtype, this.copy(order).#data, shape, contiguousStrides(shape, order), 0);
  }

  /**
   * Permutes the axes (default: reverses them); a view. `a.transpose(1, 0)` or `a.transpose([1, 0])`.
   * @throws {ArgumentError} when an axis is not an integer
   * @throws {ShapeError} when the axes are not a permutation of the array's axes
   */
  transpose(...axes: number[] | [readonly number[]]): SharedNDArray<D> {
    const n = this.ndim;
    const explicit = axes.length === 1 && Array.isArray(axes[0]);
    const list = (explicit ? axes[0] : axes) as unknown[];
    // no arguments reverses the axes; an explicit empty list must match the ndim, as in numpy
    const perm = list.length === 0 && !explicit ? [...Array(n).keys()].reverse() : list.map((a) => normalizeAxis(a, n, 'transpose', 'axes'));
    if (perm.length !== n || new Set(perm).size !== n) {
      throw new ShapeError(`transpose: invalid argument 'axes': expected a permutation of the ${n} axes, got ${show(list)}`);
    }
    return this.#view(perm.map((a) => this.#shape[a]!), perm.map((a) => this.#strides[a]!), this.#offset);
  }

  /** The transpose, a view. */
  get T(): SharedNDArray<D> { return this.transpose(); }

  /**
   * A 1-d array of the elements in `order`: a view when the array is contiguous in that order, else a copy.
   * @throws {ArgumentError} when `order` is not C or F
   * @throws {BufferError} when a copy cannot be allocated
   */
  ravel(order: Order = 'C'): SharedNDArray<D> {
    if (this.isContiguous(parseOrder(order, 'ravel'))) {
      const span = extent(this.#shape, this.#strides, this.#offset);
      return this.#view([this.size], [1], span ? span[0] : this.#offset);
    }
    return this.flatten(order);
  }

  /**
   * Removes axes of length 1 (all of them, or the given ones, which must have length 1); a view.
   * @throws {ArgumentError} when `axis` is not an integer or an array of them
   * @throws {ShapeError} when an axis is out of bounds, repeated or longer than 1
   */
  squeeze(axis?: number | readonly number[]): SharedNDArray<D> {
    const n = this.ndim;
    if (axis !== undefined && typeof axis !== 'number' && !Array.isArray(axis)) {
      throw new ArgumentError(`squeeze: invalid argument 'axis': expected an integer or an array of integers, got ${show(axis)}`);
    }
    const drop = axis === undefined
      ? this.#shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(a, n, 'squeeze'));
    if (new Set(drop).size !== drop.length) throw new ShapeError(`squeeze: repeated axis in ${show(axis)}`);
    for (const a of drop) {
      if (this.#shape[a] !== 1) throw new ShapeError(`squeeze: cannot select an axis to squeeze out which has size not equal to one (axis ${a} has size ${this.#shape[a]})`);
    }
    const keep = [...Array(n).keys()].filter((i) => !drop.includes(i));
    return this.#view(keep.map((i) => this.#shape[i]!), keep.map((i) => this.#strides[i]!), this.#offset);
  }

  /**
   * Inserts axes of length 1 at the given positions of the result (numpy's `expand_dims`); a view.
   * @throws {ArgumentError} when `axis` is not an integer or an array of them
   * @throws {ShapeError} when an axis is out of bounds or repeated
   */
  expandDims(axis: number | readonly number[]): SharedNDArray<D> {
    const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? [...axis] : null;
    if (list === null) throw new ArgumentError(`expandDims: invalid argument 'axis': expected an integer or an array of integers, got ${show(axis)}`);
    const outNdim = this.ndim + list.length;
    const positions = list.map((a) => normalizeAxis(a, outNdim, 'expandDims'));
    if (new Set(positions).size !== positions.length) throw new ShapeError(`expandDims: repeated axis in ${show(list)}`);
    const shape: number[] = [], strides: number[] = [];
    for (let i = 0, src = 0; i < outNdim; i++) {
      if (positions.includes(i)) { shape.push(1); strides.push(0); } else { shape.push(this.#shape[src]!); strides.push(this.#strides[src++]!); }
    }
    return this.#view(shape, strides, this.#offset);
  }

  // ---- copies ---------------------------------------------------------------------------

  /**
   * A contiguous copy in fresh shared memory, laid out in `order`.
   * @throws {ArgumentError} when `order` is not C or F
   * @throws {BufferError} when the memory cannot be allocated, or the source was detached
   */
  copy(order: Order = 'C'): SharedNDArray<D> {
    return this.#convert(this.dtype, parseOrder(order, 'copy'));
  }

  /**
   * A 1-d copy of the elements in `order`, always a copy (numpy's `flatten`).
   * @throws {ArgumentError} when `order` is not C or F
   * @throws {BufferError} when the memory cannot be allocated, or the source was detached
   */
  flatten(order: Order = 'C'): SharedNDArray<D> {
    const c = this.#convert(this.dtype, parseOrder(order, 'flatten'));
    return viewOf(this.dtype, c.#data, [c.size], [1], 0);
  }

  /**
   * A copy converted to `dtype` with numpy's default unsafe casting: integers wrap, floats
   * truncate toward zero, nonzero (and NaN) becomes true. Converting NaN or an infinity to a
   * 64-bit integer throws, as there is no bigint for it.
   * @throws {DTypeError} when `dtype` names no supported dtype
   * @throws {ArgumentError} when `order` is not C or F
   * @throws {ValueError} when NaN or an infinity goes to int64 or uint64
   * @throws {BufferError} when the memory cannot be allocated, or the source was detached
   */
  astype<T extends DTypeLike>(dtype: T, options?: Order | AstypeOptions): SharedNDArray<ResolveDType<T>> {
    const target = resolveDType(dtype, 'dtype', 'astype');
    const { order = 'C', exact = false } = typeof options === 'object' && options !== null ? options : { order: options };
    checkOptionKeys('astype', 'options', typeof options === 'object' ? options : undefined, ['order', 'exact']);
    if (typeof exact !== 'boolean') throw new ArgumentError(`astype: invalid argument 'options.exact': expected a boolean, got ${show(exact)}`);
    const out = this.#convert(target, parseOrder(order, 'astype'));
    if (exact && (target as DType) !== this.dtype) this.#checkExact(out, order);
    return out as unknown as SharedNDArray<ResolveDType<T>>;
  }

  /** `astype(..., { exact: true })`: every converted value must convert back to the original. */
  #checkExact(out: SharedNDArray, order: Order): void {
    const back = castFn(out.dtype, this.dtype);
    const src = this.#data as TypedArray & Stored[], dst = out.#data as TypedArray & Stored[];
    let j = 0;
    forEachIndex(this.#shape, this.#strides, this.#offset, order, (p) => {
      const v = src[p]!, r = back(dst[j]!);
      if (r !== v && !(Number.isNaN(v) && Number.isNaN(r))) {
        throw new ValueError(`astype: ${show(fromStored(this.dtype, v))} (element ${j} in ${order} order) does not fit ${out.dtype} exactly: it would become ${show(fromStored(out.dtype, dst[j]!))} (exact: true)`);
      }
      j++;
    });
  }

  #convert<T extends DType>(target: T, order: Order): SharedNDArray<T> {
    const size = this.size;
    const out = allocate(target, size, 'copy') as TypedArray & Stored[];
    const src = this.#data as TypedArray & Stored[];
    const span = (target as DType) === this.dtype && this.isContiguous(order) ? this.#contiguousSpan('copy') : undefined;
    if (span) {
      (out as TypedArray as Float64Array).set((src as TypedArray as Float64Array).subarray(span[0], span[1]));
    } else {
      const reach = extent(this.#shape, this.#strides, this.#offset);
      if (reach && reach[1] >= src.length) throw detachedError('copy');
      const cast = (target as DType) === this.dtype ? null : castFn(this.dtype, target);
      let j = 0;
      forEachIndex(this.#shape, this.#strides, this.#offset, order, cast
        ? (p) => { out[j++] = cast(src[p]!); }
        : (p) => { out[j++] = src[p]!; });
    }
    return viewOf(target, out, [...this.#shape], contiguousStrides(this.#shape, order), 0);
  }

  // ---- interop --------------------------------------------------------------------------

  /**
   * A plain object that `postMessage` / `workerData` carries to another thread, where
   * `SharedNDArray.fromDescriptor` rebuilds this view over the same memory.
   * @throws {NotSharedError} when the memory is a plain ArrayBuffer
   */
  toDescriptor(): NDArrayDescriptor<D> {
    if (!this.isShared) {
      throw new NotSharedError('toDescriptor: this array is backed by a plain ArrayBuffer, which cannot be shared with another thread without copying; use copy() to move it into shared memory first');
    }
    return {
      kind: DESCRIPTOR_KIND, version: DESCRIPTOR_VERSION, dtype: this.dtype, buffer: this.#data.buffer as SharedArrayBuffer,
      shape: [...this.#shape], strides: [...this.#strides], offset: this.#offset,
      ...(this.#readonly ? { readonly: true } : {}),
    };
  }

  /**
   * A `@stdlib/ndarray` ndarray over the same memory: writes on either side are seen on the
   * other. bool arrays appear as stdlib `uint8` and int64/uint64 as `generic` (stdlib has no
   * shared bool or 64-bit integer dtype). `@stdlib/ndarray` is an optional peer dependency,
   * loaded on the first call.
   * @throws {OptionalDependencyError} when `@stdlib/ndarray` is not installed or does not load
   */
  toStdlib(): StdlibView<D> {
    return stdlibView(this.dtype, this.#data, [...this.#shape], [...this.#strides], this.#offset, this.order);
  }

  /**
   * numpy-like text; like numpy's print threshold, arrays over 1000 elements show their shape only.
   * @throws {BufferError} when the memory was detached
   */
  toString(): string {
    const summary = this.size > 1000 ? `shape=${showShape(this.#shape)}` : formatNested(this.toArray());
    return `SharedNDArray(${summary}, dtype=${this.dtype}${this.isShared ? '' : ', shared=false'})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * `fromDescriptor` past its kind and version: checks every part of a descriptor as that does and
 * makes the view, for the transport's packed form of one too (transport/ndarray-kind.ts), which
 * arrives with no descriptor object to build.
 * @internal
 */
export function viewFromDescriptor(fn: string, dtypeSpec: unknown, buffer: unknown, offset: unknown, readonly: unknown, shapeArg: unknown, stridesArg: unknown): SharedNDArray {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new NotSharedError(`${fn}: invalid argument 'descriptor.buffer': expected a SharedArrayBuffer, got ${show(buffer)}`);
  }
  const dtype = resolveDType(dtypeSpec, 'descriptor.dtype', fn);
  const shape = parseShape([shapeArg], fn, 'descriptor.shape');
  const strides = parseStrides(stridesArg, shape.length, fn, 'descriptor.strides');
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new ArgumentError(`${fn}: invalid argument 'descriptor.offset': expected a nonnegative integer, got ${show(offset)}`);
  }
  const data = typedArrayOver(dtype, buffer, fn);
  const span = extent(shape, strides, offset);
  if (span && (span[0] < 0 || span[1] >= data.length)) {
    throw new BufferError(`${fn}: shape ${showShape(shape)} with strides ${showShape(strides)} from element ${offset} reaches elements ${span[0]}..${span[1]}, outside the buffer's ${data.length} elements`);
  }
  if (readonly !== undefined && typeof readonly !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'descriptor.readonly': expected a boolean, got ${show(readonly)}`);
  }
  return viewOf(dtype, data, shape, strides, offset, readonly === true);
}

/**
 * The transport's packed form of an array, `[dtype, buffer, offset, readonly 0|1, ...shape,
 * ...strides]` (transport/ndarray-kind.ts), read from the private geometry: the public `shape`
 * and `strides` are frozen copies, made on first use, and spreading a frozen array takes the
 * iterator's slow path. Built by push: structured clone sends a holey array key by key.
 * @internal
 */
export function packArray(array: SharedNDArray): unknown[] {
  return pack(array);
}

/**
 * Builds a view from geometry its caller has validated. Module-internal (not exported from the
 * package): it skips every check the public constructor makes.
 */
export function viewOf<D extends DType>(dtype: D, data: TypedArray, shape: number[], strides: number[], offset: number, readonly = false): SharedNDArray<D> {
  trusted = { dtype, data, shape, strides, offset, readonly };
  return new SharedNDArray(TRUSTED) as SharedNDArray<D>;
}

function readOnlyError(fn: string): ReadOnlyError {
  return new ReadOnlyError(`${fn}: assignment destination is read-only (the array was opened read-only; copy() it for a writeable copy)`);
}

function detachedError(fn: string): BufferError {
  return new BufferError(`${fn}: the array's memory is gone: its ArrayBuffer was transferred (detached) or shrunk after the array was made`);
}

function arityError(fn: string, ndim: number, count: number): IndexError {
  return new IndexError(`${fn}: expected ${ndim} ${ndim === 1 ? 'index' : 'indices'} for a ${ndim}-d array, got ${count}`);
}

/** The slow path of index checking: negative indices, and the errors. */
function checkIndex(i: unknown, len: number, axis: number, fn: string): number {
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw new IndexError(`${fn}: index ${axis} must be an integer, got ${show(i)}`);
  }
  if (i < -len || i >= len) throw new IndexError(`${fn}: index ${i} is out of bounds for axis ${axis} with size ${len}`);
  return i < 0 ? i + len : i;
}

function formatNested(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(formatNested).join(', ')}]` : String(value);
}

function parseStrides(strides: unknown, ndim: number, fn: string, argName: string): number[] {
  if (!Array.isArray(strides) || strides.length !== ndim || !strides.every((s) => Number.isSafeInteger(s))) {
    throw new ArgumentError(`${fn}: invalid argument '${argName}': expected ${ndim} integer element strides, got ${show(strides)}`);
  }
  return [...strides] as number[];
}

function validateConstructorArgs(shapeArg: unknown, options: NDArrayOptions): Parts {
  const fn = 'SharedNDArray';
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError(`${fn}: invalid argument 'options': expected an object, got ${show(options)}`);
  }
  const shape = parseShape([typeof shapeArg === 'number' ? [shapeArg] : shapeArg], fn);
  const dtype = resolveDType(options.dtype ?? 'float64', 'options.dtype', fn);
  const order = parseOrder(options.order, fn, 'options.order');
  if (options.readonly !== undefined && typeof options.readonly !== 'boolean') {
    throw new ArgumentError(`${fn}: invalid argument 'options.readonly': expected a boolean, got ${show(options.readonly)}`);
  }
  const readonly = options.readonly === true;
  const strides = options.strides === undefined ? contiguousStrides(shape, order) : parseStrides(options.strides, shape.length, fn, 'options.strides');
  if (options.buffer === undefined) {
    if (options.strides !== undefined || options.byteOffset !== undefined) {
      throw new ArgumentError(`${fn}: 'options.strides' and 'options.byteOffset' need 'options.buffer'`);
    }
    return { dtype, data: allocate(dtype, sizeOf(shape), fn), shape, strides, offset: 0, readonly };
  }
  const [buffer, start, length] = bufferRegion(options.buffer, fn, 'options.buffer');
  const { itemsize } = DTYPES[dtype];
  const byteOffset = options.byteOffset ?? 0;
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new ArgumentError(`${fn}: invalid argument 'options.byteOffset': expected a nonnegative integer, got ${show(byteOffset)}`);
  }
  if (byteOffset > length) {
    throw new BufferError(`${fn}: invalid argument 'options.byteOffset': ${byteOffset} is past the end of a buffer of ${length} bytes`);
  }
  if ((start + byteOffset) % itemsize !== 0) {
    throw new BufferError(`${fn}: byte offset ${start + byteOffset} is not a multiple of ${dtype}'s item size ${itemsize}; JS typed arrays cannot view unaligned elements`);
  }
  const data = typedArrayOver(dtype, buffer, fn);
  const offset = (start + byteOffset) / itemsize;
  // bounds are those of the region the caller handed over, not the whole underlying buffer
  const span = extent(shape, strides, offset);
  const first = start / itemsize, end = Math.floor((start + length) / itemsize);
  if (span && (span[0] < first || span[1] >= end)) {
    throw new BufferError(`${fn}: shape ${showShape(shape)} with strides ${showShape(strides)} at byte offset ${byteOffset} does not fit in a buffer of ${length} bytes`);
  }
  return { dtype, data, shape, strides, offset, readonly };
}

/** The `[buffer, byteStart, byteLength]` an ArrayBuffer, SharedArrayBuffer, typed array, DataView or Buffer covers. */
export function bufferRegion(source: unknown, fn: string, argName: string): [ArrayBufferLike, number, number] {
  if (source instanceof SharedArrayBuffer || source instanceof ArrayBuffer) return [source, 0, source.byteLength];
  if (ArrayBuffer.isView(source)) return [source.buffer, source.byteOffset, source.byteLength];
  throw new ArgumentError(`${fn}: invalid argument '${argName}': expected a SharedArrayBuffer, ArrayBuffer, typed array, DataView or Buffer, got ${show(source)}`);
}

