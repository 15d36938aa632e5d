import { ShapeError } from '../errors.js';
import { showShape } from '../check.js';
import { contiguousStrides, sizeOf, type Order } from './layout.js';

/** Replaces the one `-1` in a requested shape by the length that keeps `size` elements. */
export function inferShape(requested: readonly number[], size: number, fn = 'reshape'): number[] {
  const fail = () => new ShapeError(`${fn}: cannot reshape array of size ${size} into shape ${showShape(requested)}`);
  const unknown = requested.indexOf(-1);
  if (unknown === -1) {
    if (sizeOf(requested) !== size) throw fail();
    return [...requested];
  }
  let known = 1;
  requested.forEach((d, i) => { if (i !== unknown) known *= d; });
  if (known === 0 || size % known !== 0) throw fail();
  const shape = [...requested];
  shape[unknown] = size / known;
  return shape;
}

/**
 * The strides that present the same elements in `newShape` (read in `order`) without moving any
 * data, or `null` when no such strides exist and a reshape has to copy. This is the rule numpy
 * applies (its `_attempt_nocopy_reshape`): group old and new axes into runs with equal products;
 * each run of old axes must be contiguous with itself in `order`, and the new axes of the run get
 * strides derived from the run's innermost stride.
 */
export function reshapeStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[], order: Order): number[] | null {
  if (sizeOf(shape) === 0) return contiguousStrides(newShape, order);
  const oldDims: number[] = [], oldStrides: number[] = [];
  shape.forEach((d, i) => { if (d !== 1) { oldDims.push(d); oldStrides.push(strides[i]!); } });
  const result = new Array<number>(newShape.length).fill(1);
  let oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < newShape.length && oi < oldDims.length) {
    let np = newShape[ni]!, op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= newShape[nj++]!;
      else op *= oldDims[oj++]!;
    }
    for (let ok = oi; ok < oj - 1; ok++) {
      const contiguous = order === 'C'
        ? oldStrides[ok] === oldDims[ok + 1]! * oldStrides[ok + 1]!
        : oldStrides[ok + 1] === oldDims[ok]! * oldStrides[ok]!;
      if (!contiguous) return null;
    }
    if (order === 'C') {
      result[nj - 1] = oldStrides[oj - 1]!;
      for (let nk = nj - 1; nk > ni; nk--) result[nk - 1] = result[nk]! * newShape[nk]!;
    } else {
      result[ni] = oldStrides[oi]!;
      for (let nk = ni + 1; nk < nj; nk++) result[nk] = result[nk - 1]! * newShape[nk - 1]!;
    }
    ni = nj++;
    oi = oj++;
  }
  return result;
}
