/**
 * numpy 2's promotion rules (NEP 50) over this package's dtypes, spot-checked by hand here; the
 * whole table against numpy itself is in fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DTypeError, ValueError } from '../../src/index.js';
import { canCastSameKind, promoteTypes, resultType, scalarAs } from '../../src/ops/dtypes.js';

describe('promoteTypes', () => {
  it.each([
    ['int8', 'uint8', 'int16'], ['int16', 'uint16', 'int32'], ['int32', 'uint32', 'int64'], ['int64', 'uint64', 'float64'],
    ['int8', 'uint16', 'int32'], ['int64', 'uint32', 'int64'], ['uint8', 'uint32', 'uint32'], ['bool', 'int8', 'int8'],
    ['float32', 'int16', 'float32'], ['float32', 'int32', 'float64'], ['float32', 'uint64', 'float64'], ['float32', 'float64', 'float64'],
    ['uint8c', 'uint8c', 'uint8'], ['bool', 'bool', 'bool'],
  ] as const)('%s with %s is %s', (a, b, want) => {
    expect(promoteTypes(a, b)).toBe(want);
    expect(promoteTypes(b, a)).toBe(want);
  });
});

describe('resultType with weak JS scalars (NEP 50)', () => {
  it('an integral number defers to integer and float arrays', () => {
    expect(resultType(['int8'], [1])).toBe('int8');
    expect(resultType(['uint16'], [3n])).toBe('uint16');
    expect(resultType(['float32'], [1])).toBe('float32');
  });
  it('a fractional number defers to float arrays only', () => {
    expect(resultType(['float32'], [0.5])).toBe('float32');
    expect(resultType(['int8'], [0.5])).toBe('float64');
    expect(resultType(['int8'], [Number.NaN])).toBe('float64');
  });
  it('a number of a higher kind than bool arrays takes its default dtype', () => {
    expect(resultType(['bool'], [1])).toBe('int64');
    expect(resultType(['bool'], [1.5])).toBe('float64');
    expect(resultType(['bool'], [true])).toBe('bool');
  });
  it('scalars alone take the defaults', () => {
    expect(resultType([], [1, 2])).toBe('int64');
    expect(resultType([], [1, 2.5])).toBe('float64');
    expect(resultType([], [true])).toBe('bool');
  });
});

describe('canCastSameKind', () => {
  it.each([
    ['float64', 'float32', true], ['int64', 'int8', true], ['uint8', 'int8', true], ['bool', 'uint8', true], ['int8', 'float32', true],
    ['float32', 'int64', false], ['int8', 'uint64', false], ['int8', 'bool', false], ['float64', 'bool', false],
  ] as const)('%s to %s: %s', (from, to, ok) => {
    expect(canCastSameKind(from, to)).toBe(ok);
  });
});

describe('scalarAs', () => {
  it('refuses integers out of the result dtype, as numpy 2 does', () => {
    expect(() => scalarAs('add', 'b', 300, 'uint8')).toThrow(ValueError);
    expect(() => scalarAs('add', 'b', -1, 'uint8')).toThrow(/out of bounds for uint8/);
    expect(scalarAs('add', 'b', 255, 'uint8')).toBe(255);
  });
  it('gives 64-bit results bigints, and refuses numbers past 2^53 there', () => {
    expect(scalarAs('add', 'b', 5, 'int64')).toBe(5n);
    expect(() => scalarAs('add', 'b', 2 ** 60, 'int64')).toThrow(/pass it as a bigint/);
    expect(scalarAs('add', 'b', 2n ** 60n, 'int64')).toBe(2n ** 60n);
  });
  it('converts bigints for number dtypes and floats', () => {
    expect(scalarAs('add', 'b', 7n, 'int32')).toBe(7);
    expect(scalarAs('add', 'b', 7n, 'float32')).toBe(7);
  });
  it('refuses a number where a bool result is computed', () => {
    expect(() => scalarAs('add', 'b', 1, 'bool')).toThrow(DTypeError);
  });
});
