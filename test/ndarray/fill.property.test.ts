/**
 * Filling contiguous runs (src/ndarray/fill.ts, src/native/fill.cc): the addon's fill writes its
 * 8-byte pattern over exactly the bytes asked, at every vector width this CPU runs (AVX-512F's 64
 * bytes, AVX2's 32, SSE2's 16) and every alignment of start and end around it; fillRun, which
 * SharedNDArray.fill hands its contiguous span, stores exactly what TypedArray.prototype.fill
 * stores for every dtype (NaN payloads, -0, bigint extremes), runs on either side of the addon's
 * threshold included, and touches nothing outside the run. Without the addon fills take
 * TypedArray.prototype.fill (test/support/native-missing.mjs, test/io/native.e2e.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zeros } from '../../src/index.js';
import { nativeFill } from '../../src/native/addon.js';
import { DTYPES, type DType } from '../../src/ndarray/dtype.js';
import { fillRun, NATIVE_FILL_MIN } from '../../src/ndarray/fill.js';

const native = nativeFill();
const DTYPE_NAMES = Object.keys(DTYPES) as DType[];

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the addon\'s fill', () => {
  it('loads here', () => {
    expect(native).toBeTypeOf('function');
  });
});

describe.runIf(native !== undefined)('the addon\'s fill', () => {
  for (const widest of [64, 32, 16]) {
    it(`writes the pattern over exactly [offset, offset + length) with vectors of at most ${widest} bytes`, () => {
      const run = fc.tuple(fc.nat(200), fc.nat(700), fc.nat(70)).map(([offset, length, after]) => ({ offset, length, after }));
      fc.assert(fc.property(run, fc.uint8Array({ minLength: 8, maxLength: 8 }), ({ offset, length, after }, pattern) => {
        const buffer = new SharedArrayBuffer(offset + length + after);
        const bytes = new Uint8Array(buffer);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 255;
        const want = Uint8Array.from(bytes, (b, i) => (i >= offset && i < offset + length ? pattern[(i - offset) % 8]! : b));
        native!(buffer, offset, length, pattern, widest);
        return bytes.every((b, i) => b === want[i]);
      }), { seed: 0xf111_2026, numRuns: 400, endOnFailure: true });
    });
  }

  it('fills an ArrayBuffer too, and refuses ranges past the end and arguments of the wrong type', () => {
    const plain = new ArrayBuffer(24);
    native!(plain, 8, 16, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect([...new Uint8Array(plain)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    const pattern = new Uint8Array(8);
    expect(() => native!(new SharedArrayBuffer(16), 8, 9, pattern)).toThrow(RangeError);
    expect(() => native!(new SharedArrayBuffer(16), 17, 0, pattern)).toThrow(RangeError);
    expect(() => native!(new Uint8Array(16) as unknown as ArrayBuffer, 0, 1, pattern)).toThrow(TypeError);
    expect(() => native!(new SharedArrayBuffer(16), 0, 1, new Uint8Array(4))).toThrow(TypeError);
    expect(() => native!(new SharedArrayBuffer(16), -1, 1, pattern)).toThrow(TypeError);
  });
});

/** Values of a dtype as fill receives them after conversion (the stored value), specials often. */
function stored(dtype: DType): fc.Arbitrary<number | bigint> {
  const { kind, min, max } = DTYPES[dtype];
  if (dtype === 'bool') return fc.constantFrom(0, 1);
  if (typeof min === 'bigint') return fc.oneof(fc.bigInt({ min, max: max as bigint }), fc.constantFrom(min, max as bigint, 0n, -1n * (min < 0n ? 1n : 0n)));
  if (kind === 'f') {
    // NaNs with payloads and either sign: the bits a Float64Array or Float32Array hands back
    const nan = fc.tuple(fc.integer({ min: 1, max: 0x7ffff }), fc.boolean()).map(([payload, sign]) => {
      const bits = new DataView(new ArrayBuffer(8));
      bits.setUint32(0, (sign ? 0xfff00000 : 0x7ff00000) | payload);
      bits.setUint32(4, payload * 2654435761);
      return bits.getFloat64(0);
    });
    return fc.oneof(fc.double(), nan, fc.constantFrom(-0, 0, Number.NaN, Infinity, -Infinity, 5e-324, 1.5));
  }
  return fc.integer({ min: min as number, max: max as number });
}

describe('fillRun', () => {
  it('stores what TypedArray.prototype.fill stores, for every dtype, on either side of the addon\'s threshold', () => {
    const perDtype = fc.constantFrom(...DTYPE_NAMES).chain((dtype) => {
      const itemsize = DTYPES[dtype].itemsize;
      const near = Math.floor(NATIVE_FILL_MIN / itemsize);
      const length = fc.oneof(fc.nat(40), fc.integer({ min: near - 70, max: near + 70 }));
      return fc.record({ dtype: fc.constant(dtype), value: stored(dtype), start: fc.nat(70), length, after: fc.nat(20) });
    });
    fc.assert(fc.property(perDtype, ({ dtype, value, start, length, after }) => {
      const { ctor, itemsize } = DTYPES[dtype];
      const size = start + length + after;
      const data = new ctor(new SharedArrayBuffer(size * itemsize));
      const bytes = new Uint8Array(data.buffer);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 255;
      const want = new ctor(bytes.slice().buffer) as { fill(v: number | bigint, s: number, e: number): unknown };
      want.fill(value, start, start + length);
      fillRun(data, dtype, value, start, start + length);
      const wantBytes = new Uint8Array((want as unknown as { buffer: ArrayBuffer }).buffer);
      return bytes.every((b, i) => b === wantBytes[i]);
    }), { seed: 0xf117_2026, numRuns: 600, endOnFailure: true });
  });

  it('fills a large array\'s row block through SharedNDArray.fill, and nothing around it', () => {
    const a = zeros([64, 1024]);
    a.slice('3:61').fill(1.5);
    const data = a.data;
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== (i >= 3 * 1024 && i < 61 * 1024 ? 1.5 : 0)) throw new Error(`element ${i} is ${data[i]}`);
    }
    const b = zeros([3, 5000], 'int64');
    b.row(1).fill(-(2n ** 63n));
    expect([b.get(0, 4999), b.get(1, 0), b.get(1, 4999), b.get(2, 0)]).toEqual([0n, -(2n ** 63n), -(2n ** 63n), 0n]);
  });
});
