/**
 * numpy broadcasting over views of any layout: shapes align at their last axes, a length-1 (or
 * missing) axis repeats with stride 0. Strides count elements and may be negative or zero, so a
 * transposed, reversed or already-broadcast view needs no copy.
 */
import { ShapeError } from '../errors.js';
import { showShape } from '../check.js';

/**
 * The shape `shapes` broadcast to (`np.broadcast_shapes`).
 * @throws {ShapeError} when two lengths of one axis differ and neither is 1
 */
export function broadcastShapes(fn: string, names: readonly string[], shapes: ReadonlyArray<readonly number[]>): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (let k = 0; k < shapes.length; k++) {
    const shape = shapes[k]!;
    for (let i = 0; i < shape.length; i++) {
      const axis = ndim - shape.length + i;
      const len = shape[i]!;
      if (len === out[axis] || len === 1) continue;
      if (out[axis] === 1) {
        out[axis] = len;
        continue;
      }
      const shown = shapes.map((s, j) => `${names[j]} ${showShape(s)}`).join(', ');
      throw new ShapeError(`${fn}: operands could not be broadcast together: ${shown} (axis ${axis - ndim} has lengths ${out[axis]} and ${len})`);
    }
  }
  return out;
}

/** The strides of a view of `shape`/`strides` broadcast to `target` (which broadcastShapes accepted). */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : strides[i]!;
  return out;
}

/**
 * Merges adjacent axes that every operand walks as one (`stride[i] === shape[i+1] * stride[i+1]`
 * for all of them) and drops length-1 axes, so a contiguous or uniformly strided operation becomes
 * one long axis: fewer loop levels, and the outer axis the planner splits is as long as it can be.
 * Returns the new shape and each operand's new strides.
 */
export function coalesce(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): { shape: number[]; strides: number[][] } {
  const keep: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) keep.push(i);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const i of keep) {
    const last = outShape.length - 1;
    const len = shape[i]!;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === len * s[i]!)) {
      outShape[last]! *= len;
      for (let k = 0; k < strides.length; k++) outStrides[k]![last] = strides[k]![i]!;
      continue;
    }
    outShape.push(len);
    for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![i]!);
  }
  return { shape: outShape, strides: outStrides };
}
