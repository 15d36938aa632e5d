import { ArgumentError, ShapeError } from '../errors.js';
import { show } from '../check.js';

export type Order = 'C' | 'F';

/** Number of elements of a shape (1 for the 0-d shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Element strides of a freshly allocated array of `shape` laid out in `order`. */
export function contiguousStrides(shape: readonly number[], order: Order): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  if (order === 'C') {
    for (let i = shape.length - 1; i >= 0; i--) { strides[i] = step; step *= Math.max(shape[i]!, 1); }
  } else {
    for (let i = 0; i < shape.length; i++) { strides[i] = step; step *= Math.max(shape[i]!, 1); }
  }
  return strides;
}

/**
 * numpy's (relaxed) contiguity flag: the elements fill one gap-free run in the given order.
 * Axes of length 1 may carry any stride, and an empty array is contiguous in both orders.
 */
export function isContiguousLayout(shape: readonly number[], strides: readonly number[], order: Order): boolean {
  if (sizeOf(shape) === 0) return true;
  let expected = 1;
  const n = shape.length;
  for (let k = 0; k < n; k++) {
    const i = order === 'C' ? n - 1 - k : k;
    if (shape[i] === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/** The lowest and highest element index a view touches (undefined when it touches none). */
export function extent(shape: readonly number[], strides: readonly number[], offset: number): [number, number] | undefined {
  let lo = offset, hi = offset;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return undefined;
    const reach = (shape[i]! - 1) * strides[i]!;
    if (reach < 0) lo += reach; else hi += reach;
  }
  return [lo, hi];
}

export const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/**
 * Validates a shape given as varargs (`2, 3`) or one array (`[2, 3]`) and returns a fresh array.
 * `allowInfer` accepts one -1 for reshape.
 */
export function parseShape(args: readonly unknown[], fn: string, argName = 'shape', allowInfer = false): number[] {
  const list = args.length === 1 && (Array.isArray(args[0]) || isNumericTypedArray(args[0]))
    ? Array.from(args[0] as ArrayLike<unknown>)
    : typeof args[0] === 'number' || args.length === 0 ? [...args] : null;
  if (list === null) {
    throw new ArgumentError(`${fn}: invalid argument '${argName}': expected an array of nonnegative integers or integers as separate arguments, got ${show(args[0])}`);
  }
  let inferred = false;
  for (const d of list) {
    if (allowInfer && d === -1 && !inferred) { inferred = true; continue; }
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      const expect = allowInfer ? 'nonnegative integers and at most one -1' : 'nonnegative integers';
      throw new ShapeError(`${fn}: invalid argument '${argName}': expected ${expect}, got ${show(list)}`);
    }
  }
  // the contiguous strides must stay exact too, which also bounds the size
  if (list.reduce<number>((n, d) => n * Math.max(d as number, 1), 1) > MAX_SIZE) {
    throw new ShapeError(`${fn}: invalid argument '${argName}': shape ${show(list)} has more elements than can be indexed`);
  }
  return list as number[];
}

function isNumericTypedArray(x: unknown): boolean {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

export function parseOrder(order: unknown, fn: string, argName = 'order'): Order {
  if (order === undefined) return 'C';
  if (order === 'C' || order === 'F') return order;
  throw new ArgumentError(`${fn}: invalid argument '${argName}': expected 'C' or 'F', got ${show(order)}`);
}

/** Normalises an axis (negative counts from the end) against `ndim`, numpy's AxisError as ShapeError. */
export function normalizeAxis(axis: unknown, ndim: number, fn: string, argName = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ArgumentError(`${fn}: invalid argument '${argName}': expected an integer axis, got ${show(axis)}`);
  }
  if (axis < -ndim || axis >= ndim) {
    throw new ShapeError(`${fn}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Calls `visit(index)` with the element index of every element of a strided view, in logical
 * order `order` (C: last axis fastest, F: first axis fastest). The innermost loop is a plain
 * stride walk so copies and fills stay close to a typed-array loop.
 */
export function forEachIndex(
  shape: readonly number[], strides: readonly number[], offset: number, order: Order,
  visit: (index: number) => void,
): void {
  const n = shape.length;
  if (n === 0) { visit(offset); return; }
  if (sizeOf(shape) === 0) return;
  // axes from slowest to fastest
  const axes = order === 'C' ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
  const inner = axes[n - 1]!;
  const innerLen = shape[inner]!, innerStride = strides[inner]!;
  const counter = new Array<number>(n - 1).fill(0);
  let base = offset;
  for (;;) {
    for (let j = 0, p = base; j < innerLen; j++, p += innerStride) visit(p);
    let k = n - 2;
    for (; k >= 0; k--) {
      const ax = axes[k]!;
      base += strides[ax]!;
      if (++counter[k]! < shape[ax]!) break;
      base -= strides[ax]! * shape[ax]!;
      counter[k] = 0;
    }
    if (k < 0) return;
  }
}
