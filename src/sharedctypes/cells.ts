/**
 * The elements of a sharedctypes object, each read and written by one atomic operation, so no
 * thread ever sees a half-written value and the read-modify-write helpers need no lock.
 *
 * Atomics only operates on integer typed arrays, so a float element is reached through an
 * integer view of its bytes: float32 through an Int32Array, float64 through a BigInt64Array.
 */
import { DTypeError } from '../errors.js';
import { DTYPES, type DType, type Scalar } from '../ndarray/dtype.js';
import type { Stored } from '../ndarray/values.js';
import { toCValue } from './convert.js';

/**
 * The integer view Atomics works on. Atomics' typings split number and bigint arrays into
 * separate overloads; one nominal type keeps these calls generic (the runtime takes both).
 */
type Words = Int32Array;

// Scratch memory for reinterpreting float bits; each thread has its own module instance.
const f32 = new Float32Array(1);
const f32Bits = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigInt64Array(f64.buffer);

/** How an element's value maps to the word Atomics stores, and back. */
interface Codec {
  view(buffer: SharedArrayBuffer): Words;
  encode(stored: Stored): Stored;
  decode(word: Stored): Scalar;
}

const same = (v: Stored): Stored => v;

const FLOAT32: Codec = {
  view: (buffer) => new Int32Array(buffer),
  encode: (v) => { f32[0] = v as number; return f32Bits[0]!; },
  decode: (w) => { f32Bits[0] = w as number; return f32[0]!; },
};

const FLOAT64: Codec = {
  view: (buffer) => new BigInt64Array(buffer) as unknown as Words,
  encode: (v) => { f64[0] = v as number; return f64Bits[0]!; },
  decode: (w) => { f64Bits[0] = w as bigint; return f64[0]!; },
};

function codecOf(dtype: DType): Codec {
  if (dtype === 'float32') return FLOAT32;
  if (dtype === 'float64') return FLOAT64;
  const { ctor } = DTYPES[dtype];
  return {
    view: (buffer) => new ctor(buffer) as Words,
    encode: same,
    decode: dtype === 'bool' ? (w) => w !== 0 : same,
  };
}

export class Cells {
  readonly dtype: DType;
  readonly buffer: SharedArrayBuffer;
  readonly length: number;
  readonly #words: Words;
  readonly #codec: Codec;
  readonly #float: boolean;

  constructor(dtype: DType, buffer: SharedArrayBuffer) {
    this.dtype = dtype;
    this.buffer = buffer;
    this.length = buffer.byteLength / DTYPES[dtype].itemsize;
    this.#codec = codecOf(dtype);
    this.#words = this.#codec.view(buffer);
    this.#float = DTYPES[dtype].kind === 'f';
  }

  load(i: number): Scalar {
    return this.#codec.decode(Atomics.load(this.#words, i));
  }

  store(i: number, value: unknown, where: string): void {
    Atomics.store(this.#words, i, this.#word(value, where));
  }

  /** Writes `value` and returns what it replaced. */
  exchange(i: number, value: unknown, where: string): Scalar {
    return this.#codec.decode(Atomics.exchange(this.#words, i, this.#word(value, where)));
  }

  /**
   * Writes `replacement` if the element equals `expected`; returns what the element held. Not for
   * floats: Atomics compares bits, and a bit comparison disagrees with `===` for NaN and -0.
   */
  compareExchange(i: number, expected: unknown, replacement: unknown, fn: string): Scalar {
    if (this.#float) {
      throw new DTypeError(`${fn}: not supported for ${this.dtype}: it would compare bit patterns, which disagree with === for NaN and -0; use add()/sub(), or a lock`);
    }
    const e = this.#word(expected, `${fn}: invalid argument 'expected'`);
    const r = this.#word(replacement, `${fn}: invalid argument 'replacement'`);
    return this.#codec.decode(Atomics.compareExchange(this.#words, i, e, r));
  }

  /**
   * Adds `delta` (or subtracts it) and returns the previous value. Integers wrap around as
   * numpy's in-place arithmetic and C's atomic_fetch_add do; floats round to the dtype.
   */
  add(i: number, delta: unknown, fn: string, negate = false): Scalar {
    if (this.dtype === 'bool') throw new DTypeError(`${fn}: not supported for bool; set the value, or use exchange() or compareExchange()`);
    const d = toCValue(this.dtype, delta, `${fn}: invalid argument 'delta'`);
    const words = this.#words, { encode, decode } = this.#codec;
    if (!this.#float) return decode(negate ? Atomics.sub(words, i, d as number) : Atomics.add(words, i, d as number));
    // No atomic float add exists: retry until no other thread wrote between our load and our swap.
    const step = negate ? -(d as number) : d as number;
    for (;;) {
      const old = Atomics.load(words, i);
      if (Atomics.compareExchange(words, i, old, encode((decode(old) as number) + step) as number) === old) return decode(old);
    }
  }

  #word(value: unknown, where: string): number {
    return this.#codec.encode(toCValue(this.dtype, value, where)) as number;
  }
}
