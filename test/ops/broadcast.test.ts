/** Broadcasting of shapes and strides, and the merging of axes the kernels walk as one. */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/index.js';
import { broadcastShapes, broadcastStrides, coalesce } from '../../src/ops/broadcast.js';

describe('broadcastShapes', () => {
  it('aligns trailing axes and repeats length-1 ones', () => {
    expect(broadcastShapes('f', ['a', 'b'], [[2, 1, 3], [4, 1]])).toEqual([2, 4, 3]);
    expect(broadcastShapes('f', ['a', 'b'], [[], [5]])).toEqual([5]);
    expect(broadcastShapes('f', ['a', 'b'], [[0, 1], [1, 3]])).toEqual([0, 3]);
  });
  it('refuses lengths that differ and are not 1, naming the operands', () => {
    expect(() => broadcastShapes('add', ['a', 'b'], [[2, 3], [4]])).toThrow(ShapeError);
    expect(() => broadcastShapes('add', ['a', 'b'], [[2, 3], [4]])).toThrow(/add: operands could not be broadcast together: a \(2, 3\), b \(4,\)/);
  });
});

describe('broadcastStrides', () => {
  it('gives repeated and missing axes stride 0, keeps negative strides', () => {
    expect(broadcastStrides([3], [-1], [2, 3])).toEqual([0, -1]);
    expect(broadcastStrides([2, 1], [5, 1], [2, 4])).toEqual([5, 0]);
  });
});

describe('coalesce', () => {
  it('merges axes every operand walks as one', () => {
    expect(coalesce([2, 3, 4], [[12, 4, 1], [12, 4, 1]])).toEqual({ shape: [24], strides: [[1], [1]] });
  });
  it('keeps an axis where one operand jumps (a transposed input)', () => {
    expect(coalesce([2, 3], [[3, 1], [1, 2]])).toEqual({ shape: [2, 3], strides: [[3, 1], [1, 2]] });
  });
  it('drops length-1 axes and merges across them', () => {
    expect(coalesce([2, 1, 3], [[3, 7, 1], [0, 0, 0]])).toEqual({ shape: [6], strides: [[1], [0]] });
  });
});
