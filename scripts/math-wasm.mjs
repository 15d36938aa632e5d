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
 * the extra polynomial terms cost more than two lane loads (bench/investigate/ops-math.ts).
 *
 * log: fdlibm's algorithm (that of V8's Math.log) on every lane, the exponent and mantissa split
 * by integer operations; the lanes that are not positive normal doubles go to Math.log. (fdlibm's
 * log1p the same way, with its correction for the rounding of 1 + x, a second division and a
 * choice per lane, ran 1.0-1.45x as fast as Math.log1p: not worth a kernel.)
 *
 * sin, cos: a first pass classifies the block. Within pi/4 the fdlibm kernel polynomials run alone;
 * below 2^19 pi/2, x = n pi/2 + y0 + y1 by fdlibm's first two rounds of Cody-Waite reduction (always
 * both: no branch), both kernels on (y0, y1), one chosen per lane by n mod 4. A lane where the
 * reduction cancels so far that fdlibm would take a third round (|y0| < |x| 2^-45), and any block
 * holding a NaN, an infinity or a larger |x|, is answered by the scalar path.
 *
 * Polynomials go by Estrin's scheme and each loop is a function of its own: see `estrin` and
 * `loopFunc` for what V8 made of the alternatives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

/**
 * Constants used inside a loop live in locals set once before it: V8 rebuilds an f64x2.splat of a
 * constant at each use (a move through a general register and a shuffle), which cost more than the
 * arithmetic. `f` names the local; `withConstants` declares and sets the ones a function's body used.
 */
let named = new Map();
const f = (v) => {
  if (!Number.isFinite(v)) throw new Error(`constant ${v}`);
  if (!named.has(v)) named.set(v, `$const${named.size}`);
  return `(local.get ${named.get(v)})`;
};
/** The locals of the constants `body` (a function building the body's text) uses, declared and set. */
function withConstants(body) {
  named = new Map();
  const text = body();
  const decls = [...named.values()].map((n) => `(local ${n} v128)`).join(' ');
  const sets = [...named].map(([v, n]) => `(local.set ${n} (f64x2.splat (f64.const ${v})))`).join('\n    ');
  return { decls, sets, text };
}
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
/** One vector of exp at `p + offset`, its lanes' range check folded into $ok. */
const expStep = (o, s) => `
      ${set(`x${s}`, `(v128.load offset=${o} (local.get $p))`)}
      ${set('ok', `(v128.and ${get('ok')} (f64x2.lt (f64x2.abs ${get(`x${s}`)}) ${f(EXP_LIMIT)}))`)}
      ${set(`z${s}`, add(mul(get(`x${s}`), f(INV_LN2_N)), f(SHIFT)))}
      ${set(`k${s}`, sub(get(`z${s}`), f(SHIFT)))}
      ${set(`r${s}`, sub(sub(get(`x${s}`), mul(get(`k${s}`), f(LN2HI_N))), mul(get(`k${s}`), f(LN2LO_N))))}
      ;; (H[j], T[j]) pairs at 16 j: one load per lane, then the H lanes and the T lanes regrouped
      ${set(`l${s}`, `(v128.load (i32.shl (i32.and (i32x4.extract_lane 0 ${get(`z${s}`)}) (i32.const 127)) (i32.const 4)))`)}
      ${set(`t${s}`, `(v128.load (i32.shl (i32.and (i32x4.extract_lane 2 ${get(`z${s}`)}) (i32.const 127)) (i32.const 4)))`)}
      ${set(`h${s}`, `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get(`l${s}`)} ${get(`t${s}`)})`)}
      ${set(`l${s}`, `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${get(`l${s}`)} ${get(`t${s}`)})`)}
      ;; 2^(k >> 7) added into H's exponent bits: z's bits are those of 1.5 * 2^52 plus k, and the shift drops the former: (k >> 7) << 52 is
      ;; (z & ~127) << 45 (no i64x2.shr_s, which SSE lacks and V8 builds from several instructions)
      ${set(`e${s}`, `(i64x2.add ${get(`h${s}`)} (i64x2.shl (v128.and ${get(`z${s}`)} (v128.const i64x2 -128 -128)) (i32.const 45)))`)}
      ${set(`r2${s}`, mul(get(`r${s}`), get(`r${s}`)))}
      ${set(`t${s}`, add(add(add(get(`l${s}`), get(`r${s}`)), mul(get(`r2${s}`), add(f(0.5), mul(get(`r${s}`), f(1 / 6))))),
        mul(mul(get(`r2${s}`), get(`r2${s}`)), add(f(1 / 24), mul(get(`r${s}`), f(1 / 120))))))}
      (v128.store offset=${o} (local.get $p) ${add(get(`e${s}`), mul(get(`e${s}`), get(`t${s}`)))})`;

const EXP_LOCALS = ['x', 'z', 'k', 'h', 'l', 'r', 'r2', 't', 'e'];

// ---- log ----------------------------------------------------------------------------------------
// fdlibm's e_log.c (V8's Math.log): x = 2^k m, m in [sqrt(2)/2, sqrt(2)), f = m - 1, s = f/(2 + f),
// log(1 + f) = f - (hfsq - s (hfsq + R(s^2))) (R's terms summed by Estrin's scheme, not fdlibm's
// two Horner chains), always in this form (fdlibm's "better accuracy"
// one; it takes a cheaper one where f is small, a branch the lanes would have to take both ways)
const LN2_HI = 0.6931471803691238, LN2_LO = 1.9082149292705877e-10;
const LG = [0.6666666666666735, 0.3999999999940942, 0.2857142874366239, 0.22222198432149784, 0.1818357216161805, 0.15313837699209373, 0.14798198605116586];
const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_VALUE = 1.7976931348623157e308;
const i64 = (hex) => `(v128.const i64x2 ${hex} ${hex})`;

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
      ${set(`q${s}`, cos ? `(i64x2.add ${get(`z${s}`)} (v128.const i64x2 1 1))` : get(`z${s}`))}
      (v128.store offset=${o} (local.get $p) (v128.xor
        (v128.bitselect ${get(`kc${s}`)} ${get(`ks${s}`)} (i64x2.shr_s (i64x2.shl ${get(`q${s}`)} (i32.const 63)) (i32.const 63)))
        (v128.and (i64x2.shl ${get(`q${s}`)} (i32.const 62)) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))`;

/** A function of one loop over the block (V8 compiled the loops far worse as parts of one large function). */
const loopFunc = (name, step, locals, checked, exported = false) => {
  const { decls, sets, text } = withConstants(() => step(0, '0') + step(16, '1'));
  return `
  (func $${name} ${exported ? `(export "${name}") ` : ''}(param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $ok v128)
    ${['0', '1'].map((s) => locals.map((v) => `(local $${v}${s} v128)`).join(' ')).join('\n    ')}
    ${decls}
    ${sets}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $ok (v128.const i64x2 -1 -1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))${text}
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (br $next)))
    ${checked ? '(i32.eqz (i64x2.all_true (local.get $ok)))' : '(i32.const 0)'})`;
};

const TRIG_LOCALS = ['x', 'z', 'fn', 't', 'w', 'r', 'y', 'yt', 'zz', 'z2', 'z4', 'v', 'ks', 'hz', 'kc', 'q'];

const trigFuncs = (name, cos) => `${loopFunc(`${name}_small`, (o, s) => smallStep(cos, o, s), TRIG_LOCALS, false)}
${loopFunc(`${name}_reduced`, (o, s) => reducedStep(cos, o, s), TRIG_LOCALS, true)}
  ;; ${name}(p, n): ${name} x in place over n doubles at p (n a multiple of 4); 1 if a lane needs the scalar path
  (func (export "${name}") (param $p i32) (param $n i32) (result i32)
    (block $general (block $reduced (block $small
      (br_table $small $reduced $general (call $range (local.get $p) (local.get $n))))
      (return (call $${name}_small (local.get $p) (local.get $n))))
      (return (call $${name}_reduced (local.get $p) (local.get $n))))
    (i32.const 1))`;

// which loop a block takes: every |x| <= pi/4, else every |x| < 2^19 pi/2 (NaN fails both). Masks
// and-ed per vector, not a running max: wasm's NaN-propagating f64x2.max is a sequence of several
// instructions, and a chain of those through the whole block made the scan cost more than sin itself.
const range = `
  ;; 0 if every |x| of the n doubles at p is <= pi/4, 1 if every one is < ${MEDIUM}, else 2
  (func $range (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $a v128) (local $small v128) (local $medium v128) (local $pio4 v128) (local $lim v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $small (v128.const i64x2 -1 -1))
    (local.set $medium (v128.const i64x2 -1 -1))
    (local.set $pio4 (f64x2.splat (f64.const ${PIO4})))
    (local.set $lim (f64x2.splat (f64.const ${MEDIUM})))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $a (f64x2.abs (v128.load (local.get $p))))
      (local.set $small (v128.and (local.get $small) (f64x2.le (local.get $a) (local.get $pio4))))
      (local.set $medium (v128.and (local.get $medium) (f64x2.lt (local.get $a) (local.get $lim))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (if (result i32) (i64x2.all_true (local.get $small))
      (then (i32.const 0))
      (else (if (result i32) (i64x2.all_true (local.get $medium)) (then (i32.const 1)) (else (i32.const 2))))))`;

export const wat = `;; Generated by scripts/math-wasm.mjs: edit that, not this.
(module
  (import "env" "memory" (memory 1))
  ;; exp(p, n): e^x in place over n doubles at p (n a multiple of 4); 1 if a lane had !(|x| < ${EXP_LIMIT})
${loopFunc('exp', expStep, EXP_LOCALS, true, true)}
  ;; log(p, n): log x in place; 1 if a lane was not a positive normal double (0, subnormal, negative, inf, NaN)
${loopFunc('log', logStep, LOG_LOCALS, true, true)}
${range}
${trigFuncs('sin', false)}
${trigFuncs('cos', true)})
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

const main = fileURLToPath(import.meta.url) === process.argv[1];
if (main) {
  const buffer = await compile();
  const base64 = Buffer.from(buffer).toString('base64');
  const ts = `// Generated by scripts/math-wasm.mjs from src/ops/kernels/math.wat: edit the script, not this.
/** The WebAssembly SIMD kernels of exp, log, sin and cos (${buffer.length} bytes), base64. */
export const MATH_WASM_BASE64 =
  '${base64.replace(/(.{96})/g, "$1' +\n  '")}';
`;
  const root = new URL('../src/ops/kernels/', import.meta.url);
  const files = [[new URL('math.wat', root), wat], [new URL('math-wasm-bytes.ts', root), ts]];
  if (process.argv.includes('--check')) {
    const stale = files.filter(([url, text]) => { try { return readFileSync(url, 'utf8') !== text; } catch { return true; } });
    for (const [url] of stale) console.error(`stale: ${fileURLToPath(url)} (run node scripts/math-wasm.mjs)`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [url, text] of files) writeFileSync(url, text);
  console.log(`wrote src/ops/kernels/math.wat and src/ops/kernels/math-wasm-bytes.ts (${buffer.length} bytes of wasm)`);
}
