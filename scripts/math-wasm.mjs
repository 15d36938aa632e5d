#!/usr/bin/env node
/**
 * Writes the WebAssembly SIMD (f64x2) kernels of exp, log, sin and cos: src/ops/kernels/math.wat (text,
 * generated here so that the polynomials are written once, from their coefficients) and
 * src/ops/kernels/math-wasm-bytes.ts (the module compiled by wabt, base64), which is what the
 * package loads. Run after changing this file:
 *
 *   node scripts/math-wasm.mjs          (writes both files)
 *   node scripts/math-wasm.mjs --check  (exits 1 if either file is stale)
 *
 * Each function works in place on `n` doubles at byte address `p` of its memory (n a multiple of 4:
 * the loops take two vectors a step) and returns 0 when every lane took the vector path, 1 when some
 * lane was outside it: src/ops/kernels/math-simd.ts then recomputes those lanes with the scalar
 * kernels of src/ops/kernels/math.ts (which hand the special values to Math).
 *
 * exp: the scalar kernel's algorithm, lane by lane the same operations, so the same results: x =
 * (128 k + j) ln2/128 + r (k, j from the 1.5 * 2^52 shift, whose low bits are the rounded integer),
 * e^x = 2^k 2^(j/128) e^r with 2^(j/128) = H[j] (1 + T[j]) read from the table of
 * src/ops/kernels/exp-table.ts (laid out as (H[j], T[j]) pairs at byte 16 j, so one 16-byte load a
 * lane), 2^k added into H[j]'s exponent bits, e^r - 1 by a degree-5 polynomial. A table-free variant
 * (degree-13 polynomial on |r| <= ln2/2, 2^k by integer ops) cost as much as the scalar JS kernel:
 * the extra polynomial terms cost more than two lane loads (bench/investigate/ops-math.ts). The
 * range check works on z's lanes in general registers, where they go anyway for the table.
 *
 * log: fdlibm's algorithm (that of V8's Math.log) on every lane, the exponent and mantissa split
 * by integer operations; the lanes that are not positive normal doubles go to Math.log. (fdlibm's
 * log1p the same way, with its correction for the rounding of 1 + x, a second division and a
 * choice per lane, ran 1.0-1.45x as fast as Math.log1p: not worth a kernel.)
 *
 * sin, cos: a first pass classifies the block. Within pi/4 the fdlibm kernel polynomials run alone;
 * below 2^19 pi/2, x = n pi/2 + y0 + y1 by fdlibm's first two rounds of Cody-Waite reduction (always
 * both: no branch), both kernels on (y0, y1), one chosen per lane by n mod 4. A lane where the
 * reduction cancels so far that fdlibm would take a third round (|y0| < |x| 2^-45), or a NaN (the
 * small loop gives NaN for it), and any block holding an infinity or a larger |x|, is answered by
 * the scalar path.
 *
 * Polynomials go by Estrin's scheme, each loop is a function of its own, and constants are loaded
 * from memory: see `estrin`, `loopFunc` and `withConstants` for what V8 made of the alternatives.
 */
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';
import { writeOrCheck } from './wasm-files.mjs';

/**
 * Constants used inside a loop live in locals loaded once before it from a pool in the module's
 * memory (a data segment at POOL). A local set to a constant does not stay in a register:
 * TurboFan folds the constant into each use and rebuilds the splat there (a 64-bit immediate
 * moved through a general register and a shuffle: three instructions a use, half of exp's loop).
 * A loaded value it cannot fold, so it stays in a register or, past the sixteen, in a stack slot
 * the arithmetic reads directly. `f` names the local of a double splat, `c64` that of an i64x2
 * splat; `withConstants` declares and loads the ones a function's body used.
 */
const POOL = 2048, POOL_END = 4096;
/** Every constant of the module: its 16 bytes (hex) -> its address in the pool. */
const pool = new Map();
let named = new Map();
const constant = (hex) => {
  if (!pool.has(hex)) {
    if (POOL + 16 * (pool.size + 1) > POOL_END) throw new Error('constant pool full');
    pool.set(hex, POOL + 16 * pool.size);
  }
  if (!named.has(hex)) named.set(hex, `$const${named.size}`);
  return `(local.get ${named.get(hex)})`;
};
const bytesOf = (fill) => { const b = Buffer.alloc(8); fill(b); return b.toString('hex').repeat(2); };
const f = (v) => {
  if (!Number.isFinite(v)) throw new Error(`constant ${v}`);
  return constant(bytesOf((b) => b.writeDoubleLE(v)));
};
const c64 = (v) => constant(bytesOf((b) => b.writeBigInt64LE(BigInt.asIntN(64, BigInt(v)))));
/** The locals of the constants `body` (a function building the body's text) uses, declared and loaded. */
function withConstants(body) {
  named = new Map();
  const text = body();
  const decls = [...named.values()].map((n) => `(local ${n} v128)`).join(' ');
  const sets = [...named].map(([hex, n]) => `(local.set ${n} (v128.load (i32.const ${pool.get(hex)})))`).join('\n    ');
  return { decls, sets, text };
}
/** The pool's data segment. */
const poolData = () => `(data (i32.const ${POOL}) "${[...pool.keys()].join('').replace(/../g, '\\$&')}")`;
const get = (name) => `(local.get $${name})`;
const set = (name, value) => `(local.set $${name} ${value})`;
const add = (a, b) => `(f64x2.add ${a} ${b})`;
const sub = (a, b) => `(f64x2.sub ${a} ${b})`;
const mul = (a, b) => `(f64x2.mul ${a} ${b})`;
/**
 * c[0] + c[1] v + c[2] v^2 + ... by Estrin's scheme, `pw[i]` being v^(2^i): a tree of depth log2
 * of the degree instead of Horner's chain. It matters more than the operation count: a chain of
 * dependent vector operations per element holds each iteration in flight for its whole latency,
 * and the out-of-order window cannot overlap enough iterations to cover it (a 32-deep chain of
 * f64x2 mul/add ran 8x slower per operation than independent ones here).
 */
const estrin = (c, pw) => {
  if (c.length === 1) return f(c[0]);
  let k = 0;
  while (2 ** (k + 1) < c.length) k++;
  return add(estrin(c.slice(0, 2 ** k), pw), mul(pw[k], estrin(c.slice(2 ** k), pw)));
};

const SHIFT = 6755399441055744; // 1.5 * 2^52

// ---- exp ----------------------------------------------------------------------------------------
const EXP_LIMIT = 708;
// the scalar kernel's reduction and constants (src/ops/kernels/math.ts): 128/ln2, ln2/128 in two parts
const INV_LN2_N = 184.6649652337873, LN2HI_N = 0.0054152123475432745, LN2LO_N = 5.812982117197185e-13;
/**
 * One vector of exp at `p + offset`. The loop's bottleneck is the vector units (V8 gives wasm
 * 128-bit vectors and no fused multiply-add), so what the general registers can do goes there: z's
 * lanes go over whole, for the table indices and the range check, which then costs no vector
 * instruction (a pmax/pmin check, or moving the index masks to vector ops, each made the loop slower).
 */
const expStep = (o, s) => `
      ${set(`x${s}`, `(v128.load offset=${o} (local.get $p))`)}
      ${set(`z${s}`, add(mul(get(`x${s}`), f(INV_LN2_N)), f(SHIFT)))}
      ${set(`k${s}`, sub(get(`z${s}`), f(SHIFT)))}
      ${set(`r${s}`, sub(sub(get(`x${s}`), mul(get(`k${s}`), f(LN2HI_N))), mul(get(`k${s}`), f(LN2LO_N))))}
      ;; z's bits are those of 1.5 * 2^52 plus k
      ${set(`b${s}`, `(i64x2.extract_lane 0 ${get(`z${s}`)})`)}
      ${set(`c${s}`, `(i64x2.extract_lane 1 ${get(`z${s}`)})`)}
      ${set('bad', `(i32.or ${get('bad')} (i32.or ${outside(get(`b${s}`))} ${outside(get(`c${s}`))}))`)}
      ;; (H[j], T[j]) pairs at 16 j: one load per lane, then the H lanes and the T lanes regrouped
      ${set(`l${s}`, `(v128.load (i32.shl (i32.and (i32.wrap_i64 ${get(`b${s}`)}) (i32.const 127)) (i32.const 4)))`)}
      ${set(`t${s}`, `(v128.load (i32.shl (i32.and (i32.wrap_i64 ${get(`c${s}`)}) (i32.const 127)) (i32.const 4)))`)}
      ${set(`h${s}`, `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get(`l${s}`)} ${get(`t${s}`)})`)}
      ${set(`l${s}`, `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${get(`l${s}`)} ${get(`t${s}`)})`)}
      ;; 2^(k >> 7) added into H's exponent bits: (k >> 7) << 52 is (z & ~127) << 45 (the bits of
      ;; 1.5 * 2^52 shift out; no i64x2.shr_s, which SSE lacks and V8 builds from several instructions)
      ${set(`e${s}`, `(i64x2.add ${get(`h${s}`)} (i64x2.shl (v128.and ${get(`z${s}`)} ${c64(-128)}) (i32.const 45)))`)}
      ${set(`r2${s}`, mul(get(`r${s}`), get(`r${s}`)))}
      ${set(`t${s}`, add(add(add(get(`l${s}`), get(`r${s}`)), mul(get(`r2${s}`), add(f(0.5), mul(get(`r${s}`), f(1 / 6))))),
        mul(mul(get(`r2${s}`), get(`r2${s}`)), add(f(1 / 24), mul(get(`r${s}`), f(1 / 120))))))}
      (v128.store offset=${o} (local.get $p) ${add(get(`e${s}`), mul(get(`e${s}`), get(`t${s}`)))})`;

const EXP_LOCALS = ['x', 'z', 'k', 'h', 'l', 'r', 'r2', 't', 'e', 'b:i64', 'c:i64'];
/**
 * Whether z's bits (an i64) are outside those of 1.5 * 2^52 + k for |k| <= K_LIMIT: so for any
 * |x| >= 708 (k is x 128/ln2 rounded), NaN, an infinity, or a z too large to hold k in its low
 * bits. A lane refused here with |x| in [707.998, 708) is right anyway (the vector formula holds
 * for k up to 2^17 - 1), and math-simd.ts recomputes only the lanes with !(|x| < 708).
 */
const K_LIMIT = 130741;
const outside = (bits) => `(i64.gt_u (i64.sub ${bits} (i64.const ${0x4338000000000000n - BigInt(K_LIMIT)})) (i64.const ${2 * K_LIMIT}))`;

// ---- log ----------------------------------------------------------------------------------------
// fdlibm's e_log.c (V8's Math.log): x = 2^k m, m in [sqrt(2)/2, sqrt(2)), f = m - 1, s = f/(2 + f),
// log(1 + f) = f - (hfsq - s (hfsq + R(s^2))) (R's terms summed by Estrin's scheme, not fdlibm's
// two Horner chains), always in this form (fdlibm's "better accuracy"
// one; it takes a cheaper one where f is small, a branch the lanes would have to take both ways)
const LN2_HI = 0.6931471803691238, LN2_LO = 1.9082149292705877e-10;
const LG = [0.6666666666666735, 0.3999999999940942, 0.2857142874366239, 0.22222198432149784, 0.1818357216161805, 0.15313837699209373, 0.14798198605116586];
const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_VALUE = 1.7976931348623157e308;
const i64 = (hex) => c64(hex);

/** One vector of log; lanes outside the positive normal doubles fail $ok. */
const logStep = (o, s) => `
      ${set(`x${s}`, `(v128.load offset=${o} (local.get $p))`)}
      ${set('ok', `(v128.and ${get('ok')} (v128.and (f64x2.ge ${get(`x${s}`)} ${f(MIN_NORMAL)}) (f64x2.le ${get(`x${s}`)} ${f(MAX_VALUE)})))`)}
      ${set(`m${s}`, get(`x${s}`))}${logSplit(s)}${logTail(s)}
      (v128.store offset=${o} (local.get $p) ${get(`r${s}`)})`;

const LOG_LOCALS = ['x', 'm', 't', 'k', 'f', 's', 'z', 'w', 'w2', 'r', 'h'];

/**
 * The positive normal double in $m{s} split by fdlibm's normalization on its 64-bit pattern: the
 * mantissa with exponent 0 or -1 (whichever puts it in [sqrt(2)/2, sqrt(2))), minus one, into
 * $f{s}; the exponent plus that choice's bit (t), as a double, into $k{s} (its integer added into
 * the bits of 1.5 * 2^52, which is then subtracted).
 */
const logSplit = (s) => `
      ${set(`t${s}`, `(v128.and (i64x2.add (v128.and ${get(`m${s}`)} ${i64('0x000fffffffffffff')}) ${i64('0x00095f6400000000')}) ${i64('0x0010000000000000')})`)}
      ${set(`k${s}`, sub(`(i64x2.add (i64x2.add (i64x2.shr_u ${get(`m${s}`)} (i32.const 52)) (i64x2.shr_u ${get(`t${s}`)} (i32.const 52))) ${i64('0x4337fffffffffc01')})`, f(SHIFT)))}
      ${set(`f${s}`, sub(`(v128.or (v128.and ${get(`m${s}`)} ${i64('0x000fffffffffffff')}) (v128.xor ${get(`t${s}`)} ${i64('0x3ff0000000000000')}))`, f(1)))}`;

/** log(1 + f) + k ln2 from $f{s} and $k{s}, into $r{s} (fdlibm's closing lines). */
const logTail = (s) => {
  const k = get(`k${s}`), h = get(`h${s}`), lo = mul(k, f(LN2_LO));
  const inner = add(mul(get(`s${s}`), add(h, get(`r${s}`))), lo);
  return `
      ${set(`s${s}`, `(f64x2.div ${get(`f${s}`)} ${add(f(2), get(`f${s}`))})`)}
      ${set(`z${s}`, mul(get(`s${s}`), get(`s${s}`)))}
      ${set(`w${s}`, mul(get(`z${s}`), get(`z${s}`)))}
      ${set(`w2${s}`, mul(get(`w${s}`), get(`w${s}`)))}
      ${set(`r${s}`, mul(get(`z${s}`), estrin(LG, [get(`z${s}`), get(`w${s}`), get(`w2${s}`)])))}
      ${set(`h${s}`, mul(mul(f(0.5), get(`f${s}`)), get(`f${s}`)))}
      ${set(`r${s}`, sub(mul(k, f(LN2_HI)), sub(sub(h, inner), get(`f${s}`))))}`;
};



// ---- sin, cos -----------------------------------------------------------------------------------
// fdlibm's k_sin.c and k_cos.c coefficients (as in src/ops/kernels/math.ts)
const S = [-0.16666666666666632, 0.00833333333332249, -0.0001984126982985795, 2.7557313707070068e-6, -2.5050760253406863e-8, 1.58969099521155e-10];
const K = [0.0416666666666666, -0.001388888888887411, 2.480158728947673e-5, -2.7557314351390663e-7, 2.087572321298175e-9, -1.1359647557788195e-11];
// fdlibm's e_rem_pio2.c: 2/pi, pi/2 in 33-bit pieces and their tails
const INV_PIO2 = 0.6366197723675814;
const PIO2_1 = 1.5707963267341256, PIO2_2 = 6.077100506303966e-11, PIO2_2T = 2.0222662487959506e-21;
const PIO4 = 0.7853981633974483;
const MEDIUM = 823549;

/** z = x^2 into $zz{s}, and its powers z^2, z^4 for Estrin's scheme. */
const square = (x, s) => `
      ${set(`zz${s}`, mul(x, x))}
      ${set(`z2${s}`, mul(get(`zz${s}`), get(`zz${s}`)))}
      ${set(`z4${s}`, mul(get(`z2${s}`), get(`z2${s}`)))}`;
const zPowers = (s) => [get(`zz${s}`), get(`z2${s}`), get(`z4${s}`)];

/**
 * fdlibm's __kernel_sin(x, y) into $ks{s}; with no tail (y null) its x + v (S1 + z r), written
 * x - (0 - v (...)) so that sin(-0) stays -0.
 */
const kernelSin = (x, y, s) => {
  const r = estrin(S.slice(1), zPowers(s));
  const v = get(`v${s}`);
  const value = y === null
    ? sub(x, sub(ZERO, mul(v, add(f(S[0]), mul(get(`zz${s}`), r)))))
    : sub(x, sub(sub(mul(get(`zz${s}`), sub(mul(f(0.5), y), mul(v, r))), y), mul(v, f(S[0]))));
  return `
      ${set(`v${s}`, mul(get(`zz${s}`), x))}
      ${set(`ks${s}`, value)}`;
};
/** fdlibm's __kernel_cos(x, y) as FreeBSD and musl have it, into $kc{s} (y null: no tail). */
const kernelCos = (x, y, s) => {
  const zr = mul(get(`z2${s}`), estrin(K, zPowers(s)));
  return `
      ${set(`hz${s}`, mul(f(0.5), get(`zz${s}`)))}
      ${set(`w${s}`, sub(f(1), get(`hz${s}`)))}
      ${set(`kc${s}`, add(get(`w${s}`), add(sub(sub(f(1), get(`w${s}`)), get(`hz${s}`)), y === null ? zr : sub(zr, mul(x, y)))))}`;
};

const ZERO = '(v128.const i64x2 0 0)';

/** One vector of |x| <= pi/4: the kernel alone. */
const smallStep = (cos, o, s) => `
      ${set(`x${s}`, `(v128.load offset=${o} (local.get $p))`)}
${square(get(`x${s}`), s)}${cos ? kernelCos(get(`x${s}`), null, s) : kernelSin(get(`x${s}`), null, s)}
      (v128.store offset=${o} (local.get $p) ${get(cos ? `kc${s}` : `ks${s}`)})`;

/** One vector below 2^19 pi/2: two rounds of reduction, both kernels, a choice per lane. */
const reducedStep = (cos, o, s) => `
      ${set(`x${s}`, `(v128.load offset=${o} (local.get $p))`)}
      ${set(`z${s}`, add(mul(get(`x${s}`), f(INV_PIO2)), f(SHIFT)))}
      ${set(`fn${s}`, sub(get(`z${s}`), f(SHIFT)))}
      ;; fdlibm's second round: t = x - fn pio2_1 (exact), r = t - fn pio2_2, w its rounding error plus fn pio2_2t
      ${set(`t${s}`, sub(get(`x${s}`), mul(get(`fn${s}`), f(PIO2_1))))}
      ${set(`w${s}`, mul(get(`fn${s}`), f(PIO2_2)))}
      ${set(`r${s}`, sub(get(`t${s}`), get(`w${s}`)))}
      ${set(`w${s}`, sub(mul(get(`fn${s}`), f(PIO2_2T)), sub(sub(get(`t${s}`), get(`r${s}`)), get(`w${s}`))))}
      ${set(`y${s}`, sub(get(`r${s}`), get(`w${s}`)))}
      ${set(`yt${s}`, sub(sub(get(`r${s}`), get(`y${s}`)), get(`w${s}`)))}
      ${set('ok', `(v128.and ${get('ok')} (f64x2.ge (f64x2.abs ${get(`y${s}`)}) (f64x2.mul (f64x2.abs ${get(`x${s}`)}) ${f(2 ** -45)})))`)}
${square(get(`y${s}`), s)}${kernelSin(get(`y${s}`), get(`yt${s}`), s)}${kernelCos(get(`y${s}`), get(`yt${s}`), s)}
      ;; quadrant n = fn mod 4 (the low bits of z)${cos ? ', plus one for cos' : ''}: odd takes the other kernel, 2 and 3 the negation
      ${set(`q${s}`, cos ? `(i64x2.add ${get(`z${s}`)} ${c64(1)})` : get(`z${s}`))}
      (v128.store offset=${o} (local.get $p) (v128.xor
        (v128.bitselect ${get(`kc${s}`)} ${get(`ks${s}`)} (i64x2.shr_s (i64x2.shl ${get(`q${s}`)} (i32.const 63)) (i32.const 63)))
        (v128.and (i64x2.shl ${get(`q${s}`)} (i32.const 62)) ${c64('0x8000000000000000')})))`;

/** A loop's result when it refuses a block unless every lane kept $ok set. */
const OK = '(i32.eqz (i64x2.all_true (local.get $ok)))';
/** Vectors a loop iteration takes (1, 2 and 3 measured the same, within noise). */
const UNROLL = 2;
/**
 * A function of one loop over the block (V8 compiled the loops far worse as parts of one large
 * function), returning `result`: by default 0 (the loop refuses nothing).
 */
const loopFunc = (name, step, locals, result = '(i32.const 0)', exported = false) => {
  const steps = Array.from({ length: UNROLL }, (_, i) => String(i));
  const { decls, sets, text } = withConstants(() => steps.map((s) => step(16 * Number(s), s)).join(''));
  return `
  (func $${name} ${exported ? `(export "${name}") ` : ''}(param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $ok v128) (local $bad i32)
    ${steps.map((s) => locals.map((v) => `(local $${v.split(':')[0]}${s} ${v.split(':')[1] ?? 'v128'})`).join(' ')).join('\n    ')}
    ${decls}
    ${sets}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $ok (v128.const i64x2 -1 -1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))${text}
      (local.set $p (i32.add (local.get $p) (i32.const ${16 * UNROLL})))
      (br $next)))
    ${result})`;
};

const TRIG_LOCALS = ['x', 'z', 'fn', 't', 'w', 'r', 'y', 'yt', 'zz', 'z2', 'z4', 'v', 'ks', 'hz', 'kc', 'q'];

const trigFuncs = (name, cos) => `${loopFunc(`${name}_small`, (o, s) => smallStep(cos, o, s), TRIG_LOCALS)}
${loopFunc(`${name}_reduced`, (o, s) => reducedStep(cos, o, s), TRIG_LOCALS, OK)}
  ;; ${name}(p, n): ${name} x in place over n doubles at p (n a multiple of 4); 1 if a lane needs the scalar path
  (func (export "${name}") (param $p i32) (param $n i32) (result i32)
    (block $general (block $reduced (block $small
      (br_table $small $reduced $general (call $range (local.get $p) (local.get $n))))
      (return (call $${name}_small (local.get $p) (local.get $n))))
      (return (call $${name}_reduced (local.get $p) (local.get $n))))
    (i32.const 1))`;

// which loop a block takes: every x in [-pi/4, pi/4], else every x in (-2^19 pi/2, 2^19 pi/2), by a
// running pseudo-max and pseudo-min (one maxpd and one minpd a vector; wasm's NaN-propagating
// f64x2.max is a sequence of several instructions). They skip a NaN x: the small loop gives NaN
// for it, and the reduced loop refuses it (its cancellation test fails), so the scalar path answers.
const range = `
  ;; 0 if every x of the n doubles at p is in [-pi/4, pi/4], 1 if every one is within ${MEDIUM}, else 2 (NaN skipped)
  (func $range (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $x v128) (local $hi0 v128) (local $lo0 v128) (local $hi1 v128) (local $lo1 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $hi0 (f64x2.pmax (local.get $hi0) (local.get $x)))
      (local.set $lo0 (f64x2.pmin (local.get $lo0) (local.get $x)))
      (local.set $x (v128.load offset=16 (local.get $p)))
      (local.set $hi1 (f64x2.pmax (local.get $hi1) (local.get $x)))
      (local.set $lo1 (f64x2.pmin (local.get $lo1) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (br $next)))
    (local.set $hi0 (f64x2.pmax (local.get $hi0) (local.get $hi1)))
    (local.set $lo0 (f64x2.pmin (local.get $lo0) (local.get $lo1)))
    (if (result i32) (i64x2.all_true (v128.and (f64x2.le (local.get $hi0) (f64x2.splat (f64.const ${PIO4}))) (f64x2.ge (local.get $lo0) (f64x2.splat (f64.const ${-PIO4})))))
      (then (i32.const 0))
      (else (if (result i32) (i64x2.all_true (v128.and (f64x2.lt (local.get $hi0) (f64x2.splat (f64.const ${MEDIUM}))) (f64x2.gt (local.get $lo0) (f64x2.splat (f64.const ${-MEDIUM})))))
        (then (i32.const 1)) (else (i32.const 2))))))`;

export const wat = `;; Generated by scripts/math-wasm.mjs: edit that, not this.
(module
  (import "env" "memory" (memory 1))
  ;; exp(p, n): e^x in place over n doubles at p (n a multiple of 4); 1 if a lane had |x| >= ${EXP_LIMIT} or NaN (or |x| a hair under ${EXP_LIMIT})
${loopFunc('exp', expStep, EXP_LOCALS, '(local.get $bad)', true)}
  ;; log(p, n): log x in place; 1 if a lane was not a positive normal double (0, subnormal, negative, inf, NaN)
${loopFunc('log', logStep, LOG_LOCALS, OK, true)}
${range}
${trigFuncs('sin', false)}
${trigFuncs('cos', true)}
  ;; the constants the loops load into locals (see \`f\`)
  ${poolData()})
`;

/** The module's bytes, compiled by wabt. */
export async function compile() {
  const wabt = await initWabt();
  const features = { simd: true };
  const module = wabt.parseWat('math.wat', wat, features);
  module.validate(features);
  const { buffer } = module.toBinary({});
  module.destroy();
  return buffer;
}

/** The generated files, [URL, text] pairs, and the module's size. */
export async function generated() {
  const buffer = await compile();
  const base64 = Buffer.from(buffer).toString('base64');
  const ts = `// Generated by scripts/math-wasm.mjs from src/ops/kernels/math.wat: edit the script, not this.
/** The WebAssembly SIMD kernels of exp, log, sin and cos (${buffer.length} bytes), base64. */
export const MATH_WASM_BASE64 =
  '${base64.replace(/(.{96})/g, "$1' +\n  '")}';
`;
  const root = new URL('../src/ops/kernels/', import.meta.url);
  return { files: [[new URL('math.wat', root), wat], [new URL('math-wasm-bytes.ts', root), ts]], bytes: buffer.length };
}

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, bytes } = await generated();
  writeOrCheck('scripts/math-wasm.mjs', files);
  console.log(`wrote src/ops/kernels/math.wat and src/ops/kernels/math-wasm-bytes.ts (${bytes} bytes of wasm)`);
}
