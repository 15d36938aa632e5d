/**
 * The WebAssembly SIMD exp, log, sin and cos (src/ops/kernels/math-simd.ts) over runs of doubles:
 * exp gives exactly the scalar kernel's answer (the same operations lane by lane, and the scalar
 * kernel for the lanes it refuses), log, sin and cos within 1 ULP of Math's and exactly Math's for
 * the special values (log: zeros, negatives, subnormals, NaN, infinities). Runs mix the vector
 * loops' ranges in one block (|x| <= pi/4, the reduced range, arguments next to multiples of pi/2,
 * NaN, infinities, huge), have lengths that are not multiples of the vector step or of the block,
 * start at offsets, and must leave the elements around the written range untouched. exp, log, sin
 * and cos of arrays (contiguous float64 takes this path) agree in the same way. That the module
 * is what scripts/math-wasm.mjs writes is checked in test/lint/generated-wasm.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { simdMathChecks } from '../../support/math-simd-checks.js';
import { bufferCopy } from '../../../src/native/addon.js';

describe('the block copies', () => {
  it('go through the addon\'s memmove here (the addon is built for the development Node)', () => {
    expect(bufferCopy()).toBeTypeOf('function');
  });
});

simdMathChecks('memmove block copies');
