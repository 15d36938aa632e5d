/**
 * exp, sin and cos of one double, without calling into V8's C library (Math.exp and Math.sin are
 * calls out of optimized code, 3-6x the cost of the arithmetic). The common arguments take a short
 * inlinable path; everything else (NaN, infinities, results that overflow, underflow or are
 * subnormal, arguments where reducing modulo pi/2 cancels, huge arguments) returns Math's own
 * answer, so the special values are Math's exactly.
 *
 * Accuracy, against the exact value: exp under 0.52 ULP (a 128-entry table of 2^(j/128) with each
 * entry's rounding error kept, and a degree-5 Taylor polynomial on |r| <= ln2/256, whose truncation
 * is below 2^-60); sin and cos are fdlibm's kernels (those V8's Math.sin uses) after fdlibm's first
 * round of Cody-Waite reduction, under 1 ULP. test/ops/kernels/math.property.test.ts bounds each
 * against Math's within 1 ULP over the whole double range.
 */
import { EXP2_H, EXP2_TAIL } from './exp-table.js';

// module-local bindings: a loop inlines loads of these (an import may be a getter once bundled)
const H = EXP2_H, TAIL = EXP2_TAIL;

/** 1.5 * 2^52: adding and subtracting it rounds a double below 2^51 to an integer (ties to even). */
const SHIFT = 6755399441055744;

// ---- exp ----------------------------------------------------------------------------------------

/** 128 / ln2. */
const INV_LN2_N = 184.6649652337873;
/** ln2 / 128 in two parts; the first has 33 significant bits, so `k * LN2HI_N` is exact for |k| < 2^20. */
const LN2HI_N = 0.0054152123475432745;
const LN2LO_N = 5.812982117197185e-13;
/** exp's fast path: inside it the result and every scale are normal doubles. */
const EXP_LIMIT = 708;
/** 2^(i - 1022) for i < 2046: exact scales, so that no bit trick is needed to build 2^k. */
const POW2 = new Float64Array(2046);
{
  let p = 1;
  for (let i = 1022; i < 2046; i++, p *= 2) POW2[i] = p;
  p = 0.5;
  for (let i = 1021; i >= 0; i--, p /= 2) POW2[i] = p;
}
const C3 = 1 / 6, C4 = 1 / 24, C5 = 1 / 120;

/**
 * e^x. With x = (128k' + j) ln2/128 + r, k' = floor(.../128) and |r| <= ln2/256:
 * e^x = 2^k' * 2^(j/128) * e^r, 2^(j/128) = H[j] (1 + tail[j]).
 */
export function exp(x: number): number {
  if (!(Math.abs(x) < EXP_LIMIT)) return Math.exp(x);
  const kd = x * INV_LN2_N + SHIFT - SHIFT;
  const r = x - kd * LN2HI_N - kd * LN2LO_N;
  const k = kd | 0;
  const j = k & 127;
  const scale = H[j]! * POW2[(k >> 7) + 1022]!;
  const r2 = r * r;
  const tail = TAIL[j]! + r + r2 * (0.5 + r * C3) + r2 * r2 * (C4 + r * C5);
  return scale + scale * tail;
}

// ---- sin, cos -----------------------------------------------------------------------------------

// fdlibm's k_sin.c and k_cos.c: polynomials on [-pi/4, pi/4] (its 21-digit constants, as the
// shortest decimals of the same doubles)
const S1 = -0.16666666666666632, S2 = 0.00833333333332249, S3 = -0.0001984126982985795;
const S4 = 2.7557313707070068e-6, S5 = -2.5050760253406863e-8, S6 = 1.58969099521155e-10;
const K1 = 0.0416666666666666, K2 = -0.001388888888887411, K3 = 2.480158728947673e-5;
const K4 = -2.7557314351390663e-7, K5 = 2.087572321298175e-9, K6 = -1.1359647557788195e-11;
// fdlibm's e_rem_pio2.c: 2/pi, and pi/2 as a 33-bit head and its remainder
const INV_PIO2 = 0.6366197723675814;
const PIO2_1 = 1.5707963267341256, PIO2_1T = 6.077100506506192e-11;
const PIO4 = 0.7853981633974483;
/** Below this, sin(x) rounds to x and cos(x) to 1. */
const TINY = 2 ** -27;
/** fdlibm's "medium" range, 2^19 pi/2: n * PIO2_1 is exact below it. */
const MEDIUM = 823549;

/** sin(x + y) for |x| <= pi/4, y the tail of a reduced argument (fdlibm's __kernel_sin). */
function kernelSin(x: number, y: number): number {
  const z = x * x, v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x + y) for |x| <= pi/4 (fdlibm's __kernel_cos as FreeBSD and musl have it). */
function kernelCos(x: number, y: number): number {
  const z = x * x, w = z * z;
  const r = z * (K1 + z * (K2 + z * K3)) + w * w * (K4 + z * (K5 + z * K6));
  const hz = 0.5 * z, v = 1 - hz;
  return v + (((1 - v) - hz) + (z * r - x * y));
}

/**
 * sin (`cos` false) or cos of |x| > pi/4: x = n pi/2 + y0 + y1 by one Cody-Waite round, then a
 * kernel by n mod 4. Where fdlibm would need a second round (y0 more than 2^16 times smaller than
 * x: x near a multiple of pi/2), or x is beyond the medium range, NaN or infinite, Math answers.
 */
function reduced(x: number, cos: boolean): number {
  const a = Math.abs(x);
  if (!(a < MEDIUM)) return cos ? Math.cos(x) : Math.sin(x);
  const fn = a * INV_PIO2 + SHIFT - SHIFT;
  const r = a - fn * PIO2_1;
  const w = fn * PIO2_1T;
  const y0 = r - w;
  if (Math.abs(y0) < a * 2 ** -16) return cos ? Math.cos(x) : Math.sin(x);
  const y1 = (r - y0) - w;
  const n = ((fn | 0) + (cos ? 1 : 0)) & 3;
  // cos(a) = sin(a + pi/2): one more quarter turn
  const s = n === 0 ? kernelSin(y0, y1) : n === 1 ? kernelCos(y0, y1) : n === 2 ? -kernelSin(y0, y1) : -kernelCos(y0, y1);
  return cos || x >= 0 ? s : -s;
}

/** sin(x), under 1 ULP. */
export function sin(x: number): number {
  const a = Math.abs(x);
  if (a <= PIO4) {
    if (a < TINY) return x; // -0 stays -0; the polynomial would give +0
    const z = x * x;
    return x + z * x * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
  }
  return reduced(x, false);
}

/** cos(x), under 1 ULP. */
export function cos(x: number): number {
  const a = Math.abs(x);
  if (a <= PIO4) return a < TINY ? 1 : kernelCos(x, 0);
  return reduced(x, true);
}
