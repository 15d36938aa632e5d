/**
 * The WebAssembly SIMD exp, log, sin and cos without the native addon: the block copies fall back
 * to TypedArray.set (and blocks of 512). The checks are those of math-simd.property.test.ts
 * (test/support/math-simd-checks.ts), at a third of the runs.
 */
import { describe, expect, it, vi } from 'vitest';
import { simdMathChecks } from '../../support/math-simd-checks.js';
import { bufferCopy } from '../../../src/native/addon.js';

vi.mock('../../../src/native/addon.js', async (original) => ({ ...(await original<object>()), bufferCopy: () => undefined }));

describe('the block copies', () => {
  it('have no memmove here', () => {
    expect(bufferCopy()).toBeUndefined();
  });
});

simdMathChecks('TypedArray.set block copies', 1 / 3);
