import { IndexError } from '../errors.js';
import { show } from '../check.js';

/**
 * numpy's `np.newaxis`. In numpy `None` means newaxis; here `null` means a whole axis (`':'`), so
 * a new axis is spelled with this symbol instead.
 */
export const newaxis: unique symbol = Symbol('shared-ndarray.newaxis');

/**
 * One entry of `slice(...)`: an integer (selects and drops the axis), a `'start:stop:step'` string
 * with any part omitted, `null` or `':'` for the whole axis, `'...'` for all remaining axes,
 * or `newaxis`.
 */
export type IndexSpec = number | string | null | typeof newaxis;

/** A Python slice already clipped to an axis of known length: numpy's PySlice_AdjustIndices. */
export interface Range { start: number; step: number; length: number }

const SLICE = /^\s*([+-]?\d+)?\s*:\s*([+-]?\d+)?\s*(?::\s*([+-]?\d+)?\s*)?$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;

/** Clips `start:stop:step` to an axis of length `len` exactly as Python does. */
export function adjustSlice(start: number | undefined, stop: number | undefined, step: number, len: number): Range {
  let lo: number, hi: number;
  if (step > 0) {
    lo = start === undefined ? 0 : start < 0 ? Math.max(start + len, 0) : Math.min(start, len);
    hi = stop === undefined ? len : stop < 0 ? Math.max(stop + len, 0) : Math.min(stop, len);
    return { start: lo, step, length: hi > lo ? Math.ceil((hi - lo) / step) : 0 };
  }
  lo = start === undefined ? len - 1 : start < 0 ? Math.max(start + len, -1) : Math.min(start, len - 1);
  hi = stop === undefined ? -1 : stop < 0 ? Math.max(stop + len, -1) : Math.min(stop, len - 1);
  return { start: lo, step, length: lo > hi ? Math.ceil((lo - hi) / -step) : 0 };
}

export interface ViewGeometry { shape: number[]; strides: number[]; offset: number }

/**
 * Applies numpy basic indexing to a view's geometry and returns the new geometry: no element is
 * touched, so the result is always a view of the same memory.
 */
export function applyIndex(specs: readonly unknown[], shape: readonly number[], strides: readonly number[], offset: number): ViewGeometry {
  const consumed = specs.filter((s) => s !== newaxis && s !== '...').length;
  const ellipses = specs.filter((s) => s === '...').length;
  if (ellipses > 1) throw new IndexError(`slice: an index can only have a single ellipsis ('...'), got ${ellipses}`);
  if (consumed > shape.length) {
    throw new IndexError(`slice: too many indices for array: array is ${shape.length}-dimensional, but ${consumed} were indexed`);
  }
  const out: ViewGeometry = { shape: [], strides: [], offset };
  let axis = 0;
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k];
    if (spec === newaxis) { out.shape.push(1); out.strides.push(0); continue; }
    if (spec === '...') {
      const fill = shape.length - consumed;
      for (let j = 0; j < fill; j++, axis++) { out.shape.push(shape[axis]!); out.strides.push(strides[axis]!); }
      continue;
    }
    const len = shape[axis]!, stride = strides[axis]!;
    if (typeof spec === 'number' || (typeof spec === 'string' && INTEGER.test(spec))) {
      const i = typeof spec === 'number' ? spec : Number(spec);
      if (!Number.isInteger(i)) throw new IndexError(`slice: index ${k} must be an integer, got ${show(spec)}`);
      if (i < -len || i >= len) throw new IndexError(`slice: index ${i} is out of bounds for axis ${axis} with size ${len}`);
      out.offset += (i < 0 ? i + len : i) * stride;
      axis++;
      continue;
    }
    let range: Range;
    if (spec === null || spec === ':') {
      range = { start: 0, step: 1, length: len };
    } else if (typeof spec === 'string' && SLICE.test(spec)) {
      const [, a, b, c] = SLICE.exec(spec)!;
      const step = c === undefined ? 1 : Number(c);
      if (step === 0) throw new IndexError(`slice: slice step cannot be zero in ${show(spec)} (index ${k})`);
      range = adjustSlice(a === undefined ? undefined : Number(a), b === undefined ? undefined : Number(b), step, len);
    } else {
      throw new IndexError(`slice: index ${k} must be an integer, a 'start:stop:step' string, ':', null, '...' or newaxis, got ${show(spec)}`);
    }
    out.offset += range.length > 0 ? range.start * stride : 0;
    out.shape.push(range.length);
    // the step of an axis with at most one element is never taken: keep the stride a safe integer
    out.strides.push(range.length > 1 ? range.step * stride : stride);
    axis++;
  }
  for (; axis < shape.length; axis++) { out.shape.push(shape[axis]!); out.strides.push(strides[axis]!); }
  return out;
}
