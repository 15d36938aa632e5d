import { describe, expect, it } from 'vitest';
import { ArgumentError, ReadOnlyError, SharedNDArray, array } from '../../src/index.js';

const readonlyOf = (): SharedNDArray<'float64'> => {
  const base = array([[1, 2, 3], [4, 5, 6]]);
  return new SharedNDArray([2, 3], { dtype: 'float64', buffer: base.data, readonly: true });
};

describe('read-only arrays (numpy flags.writeable = False)', () => {
  it('refuse set and fill, on themselves and on every view', () => {
    const a = readonlyOf();
    expect(a.writeable).toBe(false);
    expect(() => a.set(0, 0, 9)).toThrow(new ReadOnlyError("set: assignment destination is read-only (the array was opened read-only; copy() it for a writeable copy)"));
    expect(() => a.fill(0)).toThrow(ReadOnlyError);
    for (const view of [a.row(1), a.slice(null, '::2'), a.T, a.reshape(3, 2), a.ravel(), a.squeeze(), a.expandDims(0)]) {
      expect(view.writeable).toBe(false);
      expect(() => view.fill(1)).toThrow(ReadOnlyError);
    }
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('copies are writeable; reads work as usual', () => {
    const a = readonlyOf();
    expect(a.get(1, 2)).toBe(6);
    for (const copy of [a.copy(), a.astype('int32'), a.flatten(), a.reshape([3, 2], { copy: true })]) {
      expect(copy.writeable).toBe(true);
      copy.fill(0);
    }
    expect(a.get(0, 0)).toBe(1);
  });

  it('stays read-only across a descriptor, and a writeable array says nothing about it', () => {
    const d = readonlyOf().toDescriptor();
    expect(d.readonly).toBe(true);
    expect(SharedNDArray.fromDescriptor(d).writeable).toBe(false);
    const w = array([1, 2]).toDescriptor();
    expect('readonly' in w).toBe(false);
    expect(SharedNDArray.fromDescriptor(w).writeable).toBe(true);
    expect(() => SharedNDArray.fromDescriptor({ ...d, readonly: 'yes' as never })).toThrow("fromDescriptor: invalid argument 'descriptor.readonly': expected a boolean, got \"yes\"");
  });

  it('validates the option', () => {
    expect(() => new SharedNDArray([2], { readonly: 1 as never })).toThrow(ArgumentError);
    expect(new SharedNDArray([2]).writeable).toBe(true);
  });
});
