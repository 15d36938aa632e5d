/**
 * Elementwise kernels: pure loops over typed arrays and element strides. They know nothing of
 * pools, arrays or descriptors: an operand is a typed array, the index of its first element and
 * a stride per axis (0 repeats it: broadcasting; negative walks it backwards).
 *
 * Each loop is generated once per (operation, operand dtypes, computing dtype, out dtype) from the
 * expression tables below, with `new Function` on constant source text (never user input): one
 * hand-written loop shared by every dtype would see a dozen typed-array classes and go
 * megamorphic, which costs V8 about 5x on these loops, and the combinations are too many to write
 * out. The computing dtype is numpy's result dtype: values are computed in JS numbers (bigints for
 * int64/uint64), wrapped to it as numpy's C loops wrap, then converted to `out`'s dtype.
 */
import { ValueError } from '../../errors.js';
import { DTYPES, type DType, type TypedArray } from '../../ndarray/dtype.js';
import { cos, exp, sin } from './math.js';
import { SIMD_MIN, simdMath } from './math-simd.js';
import { NATIVE_MIN, nativeMath, nativePow } from './native.js';

/** One operand of a loop. */
export interface Strided {
  readonly data: TypedArray;
  /** Element index of the operand's first element (all indices 0). */
  readonly offset: number;
  /** Elements to step per axis of the loop's shape. */
  readonly strides: readonly number[];
}

/** How a value domain computes: floats, integers that fit a number, 64-bit integers as bigints, bool as 0/1. */
type Domain = 'f' | 'i' | 'big' | 'b';

/** An operation's expression per domain, over `x`, `y`, `z` (the operands, in order) and `p` (its parameter). */
export interface OpSpec {
  readonly arity: 1 | 2 | 3;
  readonly f?: string;
  readonly i?: string;
  readonly big?: string;
  readonly b?: string;
  /** The result is bool (comparisons): the computing dtype is the operands' common one. */
  readonly bool?: boolean;
}

const cmp = (o: string): OpSpec => ({ arity: 2, f: `(x ${o} y ? 1 : 0)`, i: `(x ${o} y ? 1 : 0)`, big: `(x ${o} y ? 1 : 0)`, b: `(x ${o} y ? 1 : 0)`, bool: true });
// numpy's maximum/minimum propagate NaN from either side
const MAX = '(x >= y || x !== x ? x : y)';
const MIN = '(x <= y || x !== x ? x : y)';

/** Every elementwise operation the kernels know. */
export const OPS = {
  add: { arity: 2, f: 'x + y', i: 'x + y', big: 'x + y', b: '(x | y)' },
  subtract: { arity: 2, f: 'x - y', i: 'x - y', big: 'x - y' },
  // 32-bit products pass 2^53: Math.imul wraps them exactly, as C does
  multiply: { arity: 2, f: 'x * y', i: 'Math.imul(x, y)', big: 'x * y', b: '(x & y)' },
  divide: { arity: 2, f: 'x / y' },
  // float64 and float32 runs go to the addon's pow where it loads (./native.ts's nativePow)
  power: { arity: 2, f: 'h.pow(x, y)', i: 'h.ipow(x, y)', big: 'h.bpow(x, y)' },
  maximum: { arity: 2, f: MAX, i: MAX, big: MAX, b: '(x | y)' },
  minimum: { arity: 2, f: MIN, i: MIN, big: MIN, b: '(x & y)' },
  mod: { arity: 2, f: 'h.fmod(x, y)', i: 'h.imod(x, y)', big: 'h.bmod(x, y)' },
  negative: { arity: 1, f: '-x', i: '-x', big: '-x' },
  abs: { arity: 1, f: 'Math.abs(x)', i: 'Math.abs(x)', big: '(x < 0n ? -x : x)', b: 'x' },
  sqrt: { arity: 1, f: 'Math.sqrt(x)' },
  // exp, sin, cos: inlinable kernels (./math.ts), Math's answer for the rare arguments they refuse;
  // float64 runs of these and of log, log1p, expm1 and tanh go to the addon's vector math where
  // it loads (./native.ts, see NATIVE_OPS), else contiguous ones of exp, log, sin and cos to
  // the WebAssembly SIMD kernels (./math-simd.ts, see SIMD_OPS)
  exp: { arity: 1, f: 'h.exp(x)' },
  log: { arity: 1, f: 'Math.log(x)' },
  log1p: { arity: 1, f: 'Math.log1p(x)' },
  expm1: { arity: 1, f: 'Math.expm1(x)' },
  sin: { arity: 1, f: 'h.sin(x)' },
  cos: { arity: 1, f: 'h.cos(x)' },
  tanh: { arity: 1, f: 'Math.tanh(x)' },
  floor: { arity: 1, f: 'Math.floor(x)', i: 'x', big: 'x', b: 'x' },
  ceil: { arity: 1, f: 'Math.ceil(x)', i: 'x', big: 'x', b: 'x' },
  round: { arity: 1, f: 'h.roundf(x, p)', i: 'h.roundi(x, p)', big: 'h.roundb(x, p)', b: 'x' },
  // numpy 2's clip is minimum(maximum(x, lo), hi), NaN-propagating
  clip: { arity: 3, f: 'h.clip(x, y, z)', i: 'h.clip(x, y, z)', big: 'h.clip(x, y, z)', b: 'h.clip(x, y, z)' },
  equal: cmp('==='),
  notEqual: cmp('!=='),
  less: cmp('<'),
  lessEqual: cmp('<='),
  greater: cmp('>'),
  greaterEqual: cmp('>='),
  // x is the condition, read as a bool whatever its dtype; see loopFor
  where: { arity: 3, f: '(x ? y : z)', i: '(x ? y : z)', big: '(x ? y : z)', b: '(x ? y : z)' },
} as const satisfies Record<string, OpSpec>;

export type OpName = keyof typeof OPS;

export function domainOf(d: DType): Domain {
  const kind = DTYPES[d].kind;
  if (kind === 'f') return 'f';
  if (kind === 'b') return 'b';
  return d === 'int64' || d === 'uint64' ? 'big' : 'i';
}

/** Round half to even, C's rint. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy's float mod: the sign of the divisor, NaN for a zero divisor, a signed zero. */
function fmod(x: number, y: number): number {
  if (y === 0) return Number.NaN;
  let r = x % y;
  if (r !== 0) {
    if (y < 0 !== r < 0) r += y;
  } else {
    r = y < 0 ? -0 : 0;
  }
  return r;
}

/** numpy's integer mod: the sign of the divisor, 0 for a zero divisor. */
function imod(x: number, y: number): number {
  if (y === 0) return 0;
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}

function bmod(x: bigint, y: bigint): bigint {
  if (y === 0n) return 0n;
  const r = x % y;
  return r !== 0n && (r < 0n) !== (y < 0n) ? r + y : r;
}

/**
 * C's pow: pow(1, y) and pow(-1, ±inf) are 1, where Math.pow gives NaN. The exponents of squares,
 * square roots and reciprocals skip the general power (a call of 25-50 ns per element) for the
 * one correctly rounded operation that is its exact answer; pow(-0, 0.5) is +0 and
 * pow(-inf, 0.5) +inf where sqrt gives -0 and NaN. (Exported for the native pow's tests.)
 */
export function pow(x: number, y: number): number {
  if (y === 2) return x * x;
  if (y === 0.5) return x === -Infinity ? Infinity : Math.sqrt(x) + 0;
  if (y === -1) return 1 / x;
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return x ** y;
}

const NEGATIVE_POWER = 'power: integers to negative integer powers are not allowed (as in numpy); use a float dtype';

/** Integer power by squaring, wrapped to 32 bits at each step (the caller narrows further). */
function ipow(x: number, y: number): number {
  if (y < 0) throw new ValueError(NEGATIVE_POWER);
  let r = 1;
  let b = x | 0;
  for (let e = y; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
  }
  return r;
}

function bpow(x: bigint, y: bigint): bigint {
  if (y < 0n) throw new ValueError(NEGATIVE_POWER);
  let r = 1n;
  let b = BigInt.asUintN(64, x);
  for (let e = y; e > 0n; e >>= 1n) {
    if (e & 1n) r = BigInt.asUintN(64, r * b);
    b = BigInt.asUintN(64, b * b);
  }
  return r;
}

/** numpy's round for floats: scale by 10^decimals, round half to even, scale back. */
function roundf(x: number, decimals: number): number {
  if (decimals >= 0) {
    const f = 10 ** decimals;
    const y = x * f;
    return Number.isFinite(y) ? rint(y) / f : x;
  }
  const f = 10 ** -decimals;
  return rint(x / f) * f;
}

/**
 * `roundf` for float32, in float32 arithmetic as numpy's float32 loops do (each step rounded to
 * float32: 1.015 rounds to 1.02 at 2 decimals, where float64 arithmetic gives 1.01). Products and
 * quotients of float32 values computed in float64 and rounded once are float32's own.
 */
function roundf32(x: number, decimals: number): number {
  if (decimals >= 0) {
    const f = Math.fround(10 ** decimals);
    const y = Math.fround(x * f);
    return Number.isFinite(y) ? Math.fround(rint(y) / f) : x;
  }
  const f = Math.fround(10 ** -decimals);
  return Math.fround(rint(Math.fround(x / f)) * f);
}

/** numpy's round for integers: unchanged for decimals >= 0, else to a multiple of 10^-decimals, half to even. */
function roundi(x: number, decimals: number): number {
  if (decimals >= 0) return x;
  const f = 10 ** -decimals;
  return rint(x / f) * f;
}

function roundb(x: bigint, decimals: number): bigint {
  if (decimals >= 0) return x;
  const f = 10n ** BigInt(-decimals);
  let q = x / f;
  let r = x - q * f;
  if (r < 0n) {
    q -= 1n;
    r += f;
  }
  if (2n * r > f || (2n * r === f && q % 2n !== 0n)) q += 1n;
  return q * f;
}

/** NaN is the one value not equal to itself (a bigint never is). */
const isNaNValue = (v: number | bigint): boolean => typeof v === 'number' && Number.isNaN(v);

function clip<T extends number | bigint>(x: T, lo: T, hi: T): T {
  const m = x >= lo || isNaNValue(x) ? x : lo;
  return m <= hi || isNaNValue(m) ? m : hi;
}

const HELPERS = { pow, ipow, bpow, fmod, imod, bmod, roundf, roundf32, roundi, roundb, clip, exp, sin, cos, simdMath, nativeMath, nativePow };

/** Operations the addon's vector math may have, for float64 in and out, strided or not. */
const NATIVE_OPS: ReadonlySet<OpName> = new Set(['exp', 'log', 'sin', 'cos', 'expm1', 'log1p', 'tanh']);

/** Operations with a WebAssembly SIMD kernel for contiguous float64 in and out. */
const SIMD_OPS: ReadonlySet<OpName> = new Set(['exp', 'log', 'sin', 'cos']);

/** `v` (computed in `compute`'s domain) wrapped to `compute`, as numpy's C loop would store it. */
function narrow(v: string, compute: DType): string {
  switch (compute) {
    case 'int8': return `((${v}) << 24 >> 24)`;
    case 'uint8': case 'uint8c': return `((${v}) & 255)`;
    case 'int16': return `((${v}) << 16 >> 16)`;
    case 'uint16': return `((${v}) & 65535)`;
    case 'int32': return `((${v}) | 0)`;
    case 'uint32': return `((${v}) >>> 0)`;
    case 'float32': return `Math.fround(${v})`;
    case 'int64': return `BigInt.asIntN(64, ${v})`;
    case 'uint64': return `BigInt.asUintN(64, ${v})`;
    case 'bool': return `((${v}) ? 1 : 0)`;
    default: return `(${v})`;
  }
}

/** A value of dtype `from`, read from its typed array, in `to`'s domain. */
function load(v: string, from: DType, to: Domain): string {
  const d = domainOf(from);
  if (from === 'bool') return to === 'big' ? `(${v} ? 1n : 0n)` : `(${v} ? 1 : 0)`;
  if (d === 'big' && to !== 'big') return `Number(${v})`;
  if (d !== 'big' && to === 'big') return `BigInt(${v})`;
  return v;
}

/** A value computed for `compute`, converted to what `out`'s typed array stores. */
function store(v: string, compute: DType, out: DType, resultIsBool: boolean): string {
  if (resultIsBool) return out === 'bool' || domainOf(out) !== 'big' ? v : `BigInt(${v})`;
  if (out === compute) return compute === 'bool' ? narrow(v, 'bool') : v;
  const wrapped = narrow(v, compute);
  const from = domainOf(compute), to = domainOf(out);
  if (from === 'big' && to !== 'big') {
    if (to === 'f') return `Number(${wrapped})`;
    if (to === 'b') return `(${wrapped} !== 0n ? 1 : 0)`;
    const info = DTYPES[out];
    return `Number(BigInt.as${info.kind === 'i' ? 'Int' : 'Uint'}N(${info.itemsize * 8}, ${wrapped}))`;
  }
  if (from !== 'big' && to === 'big') return `BigInt(${wrapped})`;
  return wrapped;
}

/** The inner loop over one axis: `n` elements from the given indices and strides. */
export type Loop = (n: number, p: number, o: TypedArray, oi: number, os: number, ...operands: Array<TypedArray | number>) => void;

const loops = new Map<string, Loop>();

/**
 * The inner loop of `op` reading operands of `dtypes`, computing in `compute`'s domain and storing
 * into `out`. The caller has checked that `op` is defined for `compute` (see `defined`).
 */
export function loopFor(op: OpName, dtypes: readonly DType[], compute: DType, out: DType): Loop {
  const key = `${op}|${dtypes.join(',')}|${compute}|${out}`;
  let loop = loops.get(key);
  if (loop === undefined) {
    loop = makeLoop(op, dtypes, compute, out);
    loops.set(key, loop);
  }
  return loop;
}

/** Whether `op` computes in `compute`'s domain. */
export function defined(op: OpName, compute: DType): boolean {
  return (OPS[op] as OpSpec)[domainOf(compute)] !== undefined;
}

const NAMES = ['x', 'y', 'z'];

function makeLoop(op: OpName, dtypes: readonly DType[], compute: DType, out: DType): Loop {
  const spec = OPS[op] as OpSpec;
  const domain = domainOf(compute);
  // float32's round steps in float32, as numpy's float32 loop (the other float ops are one
  // correctly rounded step, the same computed in float64 and rounded once)
  const expression = op === 'round' && compute === 'float32' ? 'h.roundf32(x, p)' : spec[domain]!;
  const params = dtypes.map((_, k) => `a${k}, i${k}, s${k}`).join(', ');
  const read = (index: (k: number) => string, suffix = ''): string => dtypes.map((d, k) => {
    const raw = `a${k}[${index(k)}]`;
    // where's condition is a truth value of any dtype: NaN is true, -0 false, as numpy's bool()
    if (op === 'where' && k === 0) return `const x${suffix} = ${domainOf(d) === 'big' ? `${raw} !== 0n` : `${raw} !== 0`};`;
    return `const ${NAMES[k]}${suffix} = ${load(raw, d, domain)};`;
  }).join(' ');
  const value = store(expression, compute, out, spec.bool === true);
  const unit = dtypes.map((_, k) => `s${k} === 1`).join(' && ');
  // Contiguous operands, four elements a step: every load of the four first, then the four
  // results, each computed from its lane's values. About a fifth less CPU than one element a
  // step (V8 neither unrolls nor vectorizes; grouped loads are not held up behind the stores).
  const LANES = [0, 1, 2, 3];
  const lanes = LANES.map((l) => read((k) => `i${k} + j + ${l}`, `${l}`)).join(' ');
  const results = LANES.map((l) => `{ ${dtypes.map((_, k) => `const ${NAMES[k]} = ${NAMES[k]}${l};`).join(' ')} o[oi + j + ${l}] = ${value}; }`).join(' ');
  // Operands at the same index as `out` (same-shaped C arrays, row by row): one index for all,
  // which spares V8 an add and an overflow check per operand per element (about 1.2x on a*b)
  const same = dtypes.map((_, k) => `i${k} === oi`).join(' && ');
  const sharedLanes = LANES.map((l) => read(() => `q + ${l}`, `${l}`)).join(' ');
  const sharedResults = LANES.map((l) => `{ ${dtypes.map((_, k) => `const ${NAMES[k]} = ${NAMES[k]}${l};`).join(' ')} o[q + ${l}] = ${value}; }`).join(' ');
  const float64 = dtypes[0] === 'float64' && compute === 'float64' && out === 'float64';
  // power: the addon's pow (./native.ts) for float64 or float32 operands, computing dtype and out
  const float = (compute === 'float64' || compute === 'float32') && dtypes.every((d) => d === compute) && out === compute;
  const native = NATIVE_OPS.has(op) && float64
    ? `if (n >= ${NATIVE_MIN} && h.nativeMath('${op}', n, o, oi, os, a0, i0, s0)) return;`
    : op === 'power' && float ? `if (n >= ${NATIVE_MIN} && h.nativePow(n, o, oi, os, a0, i0, s0, a1, i1, s1)) return;` : '';
  const simd = SIMD_OPS.has(op) && float64 ? `if (n >= ${SIMD_MIN} && h.simdMath('${op}', n, o, oi, a0, i0)) return;` : '';
  const source = `return function ${op}Loop(n, p, o, oi, os, ${params}) {
    ${native}
    if (os === 1 && ${unit}) {
      ${simd}
      let j = 0;
      if (${same}) {
        let q = oi;
        for (const e = oi + n - 3; q < e; q += 4) { ${sharedLanes} ${sharedResults} }
        for (const e = oi + n; q < e; q++) { ${read(() => 'q')} o[q] = ${value}; }
        return;
      }
      for (; j + 3 < n; j += 4) { ${lanes} ${results} }
      for (; j < n; j++) { ${read((k) => `i${k} + j`)} o[oi + j] = ${value}; }
      return;
    }
    for (let j = 0; j < n; j++) {
      ${read((k) => `i${k}`)} o[oi] = ${value};
      oi += os; ${dtypes.map((_, k) => `i${k} += s${k};`).join(' ')}
    }
  };`;
  return new Function('h', source)(HELPERS) as Loop;
}

/**
 * Runs `loop` over rows `[start, stop)` of axis 0 of `shape` (all of a 0-d shape), every axis
 * but the last in a counter loop. `shape` and the strides are those of the result.
 */
export function runLoop(loop: Loop, p: number, shape: readonly number[], out: Strided, operands: readonly Strided[], start: number, stop: number): void {
  const ndim = shape.length;
  if (ndim === 0) {
    loop(1, p, out.data, out.offset, 0, ...operands.flatMap((a) => [a.data, a.offset, 0]));
    return;
  }
  // an empty operation touches nothing (its views may sit inside larger buffers)
  if (stop <= start || shape.includes(0)) return;
  const all = [out, ...operands];
  const index = all.map((a) => a.offset + start * (a.strides[0] ?? 0));
  const inner = ndim - 1;
  const n = ndim === 1 ? stop - start : shape[inner]!;
  const innerStrides = all.map((a) => a.strides[inner]!);
  const counts = shape.slice(0, inner);
  if (ndim > 1) counts[0] = stop - start;
  const args: Array<TypedArray | number> = new Array(3 * operands.length);
  const counter = new Array<number>(Math.max(0, inner)).fill(0);
  for (;;) {
    for (let k = 0; k < operands.length; k++) {
      args[3 * k] = operands[k]!.data;
      args[3 * k + 1] = index[k + 1]!;
      args[3 * k + 2] = innerStrides[k + 1]!;
    }
    loop(n, p, out.data, index[0]!, innerStrides[0]!, ...args);
    // next row: bump the innermost outer counter, carrying into the ones above
    let axis = inner - 1;
    for (; axis >= 0; axis--) {
      for (let k = 0; k < all.length; k++) index[k]! += all[k]!.strides[axis]!;
      if (++counter[axis]! < counts[axis]!) break;
      for (let k = 0; k < all.length; k++) index[k]! -= counts[axis]! * all[k]!.strides[axis]!;
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}
