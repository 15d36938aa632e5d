import { describe, expect, it } from 'vitest';
import { arange } from '../src/index.js';

describe('smoke', () => {
  it('reshapes a range', () => {
    expect(arange(6).reshape(2, 3).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
  });
});
