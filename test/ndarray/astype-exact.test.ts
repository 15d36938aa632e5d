import { describe, expect, it } from 'vitest';
import { ArgumentError, ValueError, array, zeros } from '../../src/index.js';
import { thrown } from '../support/assert.js';

describe("astype(dtype, { exact: true }): numpy's int64 as JS numbers, checked", () => {
  it('converts when every value survives, as plain astype does', () => {
    const a = array([1n, -2n, 2n ** 53n], 'int64');
    expect(a.astype('float64', { exact: true }).toArray()).toEqual([1, -2, 2 ** 53]);
    expect(array([7n, -7n], 'int64').astype('int32', { exact: true }).toArray()).toEqual([7, -7]);
    expect(array([1.5, NaN], 'float64').astype('float32', { exact: true }).toArray()).toEqual([1.5, NaN]);
    expect(zeros([2, 2], 'int64').T.astype('int32', { exact: true, order: 'F' }).isContiguous('F')).toBe(true);
  });

  it('refuses a value that would change, naming it and where it is; plain astype wraps as numpy does', () => {
    const big = array([1n, 2n ** 31n], 'int64');
    expect(big.astype('int32').toArray()).toEqual([1, -(2 ** 31)]);
    const error = thrown(() => big.astype('int32', { exact: true }));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toBe('astype: 2147483648n (element 1 in C order) does not fit int32 exactly: it would become -2147483648 (exact: true)');
    expect(thrown(() => array([2n ** 53n + 1n], 'int64').astype('float64', { exact: true })).message).toMatch(/^astype: 9007199254740993n \(element 0 in C order\) does not fit float64 exactly/);
    expect(thrown(() => array([0.5], 'float64').astype('int8', { exact: true }))).toBeInstanceOf(ValueError);
    expect(thrown(() => array([0.1], 'float64').astype('float32', { exact: true }))).toBeInstanceOf(ValueError);
  });

  it('checks its options', () => {
    const a = zeros(2);
    expect(thrown(() => a.astype('int32', { exact: 'yes' as never })).message).toBe("astype: invalid argument 'options.exact': expected a boolean, got \"yes\"");
    expect(thrown(() => a.astype('int32', { strict: true } as never))).toBeInstanceOf(ArgumentError);
    expect(a.astype('int32', 'F').dtype).toBe('int32');
  });
});
