# Tables and polynomials of the addon's 8-lane pow (src/native/shared_ndarray_native.cc, PowCore8).
# Run: python3 bench/investigate/pow-tables.py (needs mpmath); prints the C++ constants.
import mpmath as mp, struct
mp.mp.prec = 200
def bits(d): return struct.unpack('<Q', struct.pack('<d', d))[0]
def dbl(b): return struct.unpack('<d', struct.pack('<Q', b))[0]
def rnd(v): return float(mp.mpf(v))  # round to nearest double (mpmath -> float rounds correctly)
def h(d): return float.hex(d)
N = 16
one = bits(1.0)
OFF = one - int(round((9 + 2/3) * 2**48))
print('// OFF', hex(OFF), dbl(OFF))
L2 = mp.log(2)
# ln2 to a multiple of 2^-42: k * Ln2hi + logc_hi is exact for |k| < 1100
Ln2hi = rnd(mp.nint(L2 * 2**42) / 2**42); Ln2lo = rnd(L2 - Ln2hi)
invc, logchi, logclo, rmax = [], [], [], 0
for i in range(N):
    lo = dbl(OFF + i * 2**48); hi = dbl(OFF + (i + 1) * 2**48)
    c = 1.0 if lo <= 1.0 < hi else rnd(2 / (mp.mpf(lo) + mp.mpf(hi)))
    ic = c if c == 1.0 else c  # c here is 1/center already
    invc.append(ic)
    lc = -mp.log(mp.mpf(ic))
    lh = rnd(mp.nint(lc * 2**42) / 2**42)
    logchi.append(lh); logclo.append(rnd(lc - lh))
    rmax = max(rmax, abs(lo * ic - 1), abs(hi * ic - 1))
print('// max |r|', rmax)
# log1p(r) = r - r^2/2 + r^3 * P(r), P of degree 8, Chebyshev fit of (log1p(r) - r + r^2/2) / r^3
R = mp.mpf(rmax) * 1.0001
def f(r): return (mp.log1p(r) - r + r * r / 2 - r**3 / 3) / r**4 if r != 0 else mp.mpf(-1) / 4
P, err = mp.chebyfit(f, [-R, R], 9, error=True)
P = [rnd(c) for c in P[::-1]]  # lowest degree first
# measured relative error against log1p over the range, with coefficients rounded
worst = 0
for j in range(2001):
    r = -R + 2 * R * j / 2000
    if r == 0: continue
    p = mp.mpf(0)
    for c in reversed(P): p = p * r + c
    approx = r - r * r / 2 + r**3 / 3 + r**4 * p
    worst = max(worst, abs(approx / mp.log1p(r) - 1))
print('// log poly rel err 2^%.1f' % float(mp.log(worst, 2)))
# exp: 2^(j/N) = scale * (1 + tail); expm1(r) = r + r^2 * Q(r), Q degree 5 on |r| <= ln2/(2N)
E = L2 / (2 * N) * 1.02
def g(r): return (mp.expm1(r) - r) / r**2 if r != 0 else mp.mpf(1) / 2
Q = mp.chebyfit(g, [-E, E], 6)
Q = [rnd(c) for c in Q[::-1]]
worst = 0
for j in range(2001):
    r = -E + 2 * E * j / 2000
    q = mp.mpf(0)
    for c in reversed(Q): q = q * r + c
    worst = max(worst, abs(r + r * r * q - mp.expm1(r)))
print('// exp poly abs err 2^%.1f' % float(mp.log(worst, 2)))
tail, sbits = [], []
for j in range(N):
    v = mp.mpf(2) ** (mp.mpf(j) / N); d = rnd(v)
    tail.append(rnd((v - d) / d)); sbits.append(bits(d) - (j << 48))
InvLn2N = rnd(N / L2)
NegLn2hiN = -rnd(mp.nint(L2 / N * 2**48) / 2**48); NegLn2loN = -rnd(L2 / N + NegLn2hiN)
def arr(name, xs): return 'alignas(64) constexpr double %s[%d] = {%s};' % (name, len(xs), ', '.join(h(x) for x in xs))
third = rnd(mp.mpf(1) / 3); print('constexpr double kPowThird = %s, kPowThirdLo = %s;' % (h(third), h(rnd(mp.mpf(1) / 3 - third))))
print('constexpr uint64_t kPowOff = 0x%x;' % OFF)
print('constexpr double kPowLn2hi = %s, kPowLn2lo = %s;' % (h(Ln2hi), h(Ln2lo)))
print(arr('kPowInvc', invc)); print(arr('kPowLogcHi', logchi)); print(arr('kPowLogcLo', logclo))
print(arr('kPowLogPoly', P)); print(arr('kPowExpPoly', Q))
print(arr('kPowExpTail', tail))
print('alignas(64) constexpr uint64_t kPowExpBits[16] = {%s};' % ', '.join('0x%x' % b for b in sbits))
print('constexpr double kPowInvLn2N = %s, kPowNegLn2hiN = %s, kPowNegLn2loN = %s;' % (h(InvLn2N), h(NegLn2hiN), h(NegLn2loN)))
