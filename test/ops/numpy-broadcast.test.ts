/**
 * numpy's broadcasting tests (numpy/lib/tests/test_stride_tricks.py, numpy 2.x), ported: the
 * shapes the elementwise operations broadcast their operands to (two operands through `add`,
 * three through `where`), symmetric in their order, and the shapes that do not broadcast
 * (numpy's ValueError, a ShapeError here). Values are checked too: each result is what the
 * operands' elements add to at every index.
 */
import { describe, expect, it } from 'vitest';
import { add, arange, ShapeError, type SharedNDArray, where } from '../../src/index.js';

/** An array of `shape` whose elements are 0, 1, 2, ... in C order. */
const ramp = (shape: number[]): SharedNDArray => arange(shape.reduce((x, y) => x * y, 1)).reshape(shape);

/** numpy's assert_shapes_correct, through the ufuncs: the broadcast shape, and the values. */
function shapesCorrect(shapes: number[][], expected: number[]): void {
  const arrays = shapes.map(ramp);
  const label = `${JSON.stringify(shapes)} -> ${JSON.stringify(expected)}`;
  if (arrays.length === 1) {
    expect(add(arrays[0]!, 0).shape, label).toEqual(expected);
    return;
  }
  const r = arrays.length === 2 ? add(arrays[0]!, arrays[1]!) : where(true, add(arrays[0]!, arrays[1]!), arrays[2]!);
  expect(r.shape, label).toEqual(expected);
  // every element: the sum of the operands' elements at the broadcast index
  const size = expected.reduce((x, y) => x * y, 1);
  const flat = r.ravel().toArray() as number[];
  for (let q = 0; q < size; q++) {
    const index = expected.map((_, d) => Math.floor(q / expected.slice(d + 1).reduce((x, y) => x * y, 1)) % expected[d]!);
    const at = (a: SharedNDArray): number => {
      const off = expected.length - a.ndim;
      return a.ndim === 0 ? (a.toArray() as number) : (a.get(...a.shape.map((len, d) => (len === 1 ? 0 : index[off + d]!))) as number);
    };
    // three operands: where's true branch is the sum of the first two
    const want = at(arrays[0]!) + at(arrays[1]!);
    expect(flat[q], `${label} at ${String(index)}`).toBe(want);
  }
}

describe('test_stride_tricks.py', () => {
  it('test_same_input_shapes: one, two and three operands of one shape keep it', () => {
    for (const shape of [[], [1], [3], [0, 1], [0, 3], [1, 0], [3, 0], [1, 3], [3, 1], [3, 3]]) {
      shapesCorrect([shape], shape);
      shapesCorrect([shape, shape], shape);
      shapesCorrect([shape, shape, shape], shape);
    }
  });

  const byOnes: [number[][], number[]][] = [
    [[[1], [3]], [3]], [[[1, 3], [3, 3]], [3, 3]], [[[3, 1], [3, 3]], [3, 3]], [[[1, 3], [3, 1]], [3, 3]],
    [[[1, 1], [3, 3]], [3, 3]], [[[1, 1], [1, 3]], [1, 3]], [[[1, 1], [3, 1]], [3, 1]], [[[1, 0], [0, 0]], [0, 0]],
    [[[0, 1], [0, 0]], [0, 0]], [[[1, 0], [0, 1]], [0, 0]], [[[1, 1], [0, 0]], [0, 0]], [[[1, 1], [1, 0]], [1, 0]],
    [[[1, 1], [0, 1]], [0, 1]],
  ];
  const byPrepending: [number[][], number[]][] = [
    [[[], [3]], [3]], [[[3], [3, 3]], [3, 3]], [[[3], [3, 1]], [3, 3]], [[[1], [3, 3]], [3, 3]], [[[], [3, 3]], [3, 3]],
    [[[1, 1], [3]], [1, 3]], [[[1], [3, 1]], [3, 1]], [[[1], [1, 3]], [1, 3]], [[[], [1, 3]], [1, 3]], [[[], [3, 1]], [3, 1]],
    [[[], [0]], [0]], [[[0], [0, 0]], [0, 0]], [[[0], [0, 1]], [0, 0]], [[[1], [0, 0]], [0, 0]], [[[], [0, 0]], [0, 0]],
    [[[1, 1], [0]], [1, 0]], [[[1], [0, 1]], [0, 1]], [[[1], [1, 0]], [1, 0]], [[[], [1, 0]], [1, 0]], [[[], [0, 1]], [0, 1]],
  ];

  it('test_two_compatible_by_ones_input_shapes: length-1 axes repeat, both orders', () => {
    for (const [shapes, expected] of byOnes) {
      shapesCorrect(shapes, expected);
      shapesCorrect([...shapes].reverse(), expected);
    }
  });

  it('test_two_compatible_by_prepending_ones_input_shapes: missing leading axes count as 1, both orders', () => {
    for (const [shapes, expected] of byPrepending) {
      shapesCorrect(shapes, expected);
      shapesCorrect([...shapes].reverse(), expected);
    }
  });

  it('test_incompatible_shapes_raise_valueerror: a ValueError (ShapeError) in either order', () => {
    for (const shapes of [[[3], [4]], [[2, 3], [2]], [[3], [3], [4]], [[1, 3, 4], [2, 3, 3]]]) {
      for (const s of [shapes, [...shapes].reverse()]) {
        const arrays = s.map(ramp);
        const call = (): unknown => (arrays.length === 2 ? add(arrays[0]!, arrays[1]!) : where(arrays[0]!, arrays[1]!, arrays[2]!));
        expect(call, JSON.stringify(s)).toThrow(ShapeError);
      }
    }
  });
});
