package dev.isthmus.kernels;

import static dev.isthmus.kernels.UnaryMath.ERFCX;
import static dev.isthmus.kernels.UnaryMath.ERFCX_K;
import static dev.isthmus.kernels.UnaryMath.ERF_SMALL;
import static dev.isthmus.kernels.UnaryMath.GELU_CLAMP;
import static dev.isthmus.kernels.UnaryMath.GELU_CUBIC;
import static dev.isthmus.kernels.UnaryMath.GELU_TANH_CLAMP;
import static dev.isthmus.kernels.UnaryMath.INV_SQRT2;
import static dev.isthmus.kernels.UnaryMath.SQRT_2_OVER_PI;
import static dev.isthmus.kernels.VectorShapes.D;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Lane-wise building blocks the Vector API lacks: numpy's sign, floor, ceil and rint (held to
 * {@link Math#floor}, {@link Math#ceil} and {@link Math#rint} bit for bit, -0 and NaN included),
 * and the two GELUs, which evaluate {@link UnaryMath}'s polynomials in the same order as the
 * scalar twins; and the constants of the float32 exp and tanh that the hot loops of {@link
 * UnaryVector} and {@link SoftmaxVector} evaluate without a stub call.
 *
 * <p>Rounding: for {@code |x| < 2^23} (float) or {@code 2^52} (double), {@code (|x| + 2^23) -
 * 2^23} is |x| rounded to an integer, half to even (the addition lands where the ulp is 1), and
 * x's sign bit is copied on; floor and ceil step that by one where it overshot. A ceil that steps
 * up to zero must be -0 (ceil(-0.7)), so it copies x's sign again. Larger magnitudes, infinities
 * and NaN are integers already, or NaN, and pass through.
 */
final class UnaryVectorMath {
  private UnaryVectorMath() {}

  private static final float TWO23 = 0x1p23f;
  private static final double TWO52 = 0x1p52;

  // ---- float32 exp without a stub call
  //
  // e^t = 2^k e^r with k = round(t log2(e)) and r = t - k ln 2 in [-ln2/2, ln2/2] (ln 2 split in a
  // short head, so that k * LN2_HI is exact, and a tail). k is rounded by adding ROUNDER (1.5 2^23:
  // the sum's ulp is 1), and 2^k is built from that sum's low bits: (bits - ROUNDER_BITS + 127) <<
  // 23. e^r is EXP_C6 r^6 + ... + EXP_C0, a minimax fit of e^r for relative error (Remez exchange
  // in 40-digit arithmetic, ours) with error 2e-9 before rounding the coefficients to float; the
  // whole exp is within 1 ulp of the correctly rounded e^t for -104 <= t <= 70 (checked on every
  // float). The loops inline this code rather than call a helper: see UnaryVector#tanhF32.

  static final float LOG2E = 0x1.715476p0f;
  static final float LN2_HI = 0x1.62e4p-1f;
  static final float LN2_LO = 0x1.7f7d1cp-20f;
  static final float ROUNDER = 0x1.8p23f;
  static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  static final float EXP_C6 = 0x1.6ab984p-10f;
  static final float EXP_C5 = 0x1.126d0cp-7f;
  static final float EXP_C4 = 0x1.55589ap-5f;
  static final float EXP_C3 = 0x1.55540ap-3f;
  static final float EXP_C2 = 0x1.fffffap-2f;
  static final float EXP_C1 = 1f;
  static final float EXP_C0 = 1f;

  // ---- float32 tanh (UnaryVector#tanhF32), odd, on a = |x| with x's sign put back
  //
  // a < TANH_SMALL: a + a^3 P(a^2), P = TANH_P4 s^4 + ... + TANH_P0, a minimax fit of (tanh(a) -
  // a)/a^3 for tanh's relative error (4e-9, 0.07 ulp, before rounding to float; ours); no
  // cancellation. a >= TANH_SMALL: (1 - e)/(1 + e) with e = exp(-2a) <= 0.29, where exp's error is
  // damped (by 2e/(1 - e^2) <= 0.62). a is clamped to TANH_CLAMP first, where tanh rounds to 1,
  // which keeps 2^k normal. Checked on every float32: within 2 ulps of the correctly rounded tanh
  // (2 ulps at 44 inputs near 0.84, 1 ulp at 0.8%).

  static final float TANH_SMALL = 0.625f;
  static final float TANH_CLAMP = 9.1f;
  static final float TANH_P4 = -0x1.75e1ccp-8f;
  static final float TANH_P3 = 0x1.52269ap-6f;
  static final float TANH_P2 = -0x1.b83c5ap-5f;
  static final float TANH_P1 = 0x1.110726p-3f;
  static final float TANH_P0 = -0x1.555532p-2f;

  static FloatVector sign(FloatVector v) {
    return v.blend(0f, v.compare(EQ, 0f)).blend(1f, v.compare(GT, 0f))
        .blend(-1f, v.compare(LT, 0f));
  }

  static DoubleVector sign(DoubleVector v) {
    return v.blend(0.0, v.compare(EQ, 0.0)).blend(1.0, v.compare(GT, 0.0))
        .blend(-1.0, v.compare(LT, 0.0));
  }

  /** |m| with the sign of s. */
  private static FloatVector withSignOf(FloatVector m, FloatVector s) {
    return m.abs().viewAsIntegralLanes()
        .or(s.viewAsIntegralLanes().and(Integer.MIN_VALUE)).viewAsFloatingLanes();
  }

  private static DoubleVector withSignOf(DoubleVector m, DoubleVector s) {
    return m.abs().viewAsIntegralLanes()
        .or(s.viewAsIntegralLanes().and(Long.MIN_VALUE)).viewAsFloatingLanes();
  }

  /** x rounded half to even, for |x| < 2^23; the sign of x. */
  private static FloatVector rintSmall(FloatVector v) {
    return withSignOf(v.abs().add(TWO23).sub(TWO23), v);
  }

  private static DoubleVector rintSmall(DoubleVector v) {
    return withSignOf(v.abs().add(TWO52).sub(TWO52), v);
  }

  static FloatVector rint(FloatVector v) {
    return v.blend(rintSmall(v), v.abs().compare(LT, TWO23));
  }

  static DoubleVector rint(DoubleVector v) {
    return v.blend(rintSmall(v), v.abs().compare(LT, TWO52));
  }

  static FloatVector floor(FloatVector v) {
    FloatVector r = rintSmall(v);
    r = r.sub(1f, r.compare(GT, v)); // r - 1 keeps the sign: -0 - 1, 1 - 1 = +0
    return v.blend(r, v.abs().compare(LT, TWO23));
  }

  static DoubleVector floor(DoubleVector v) {
    DoubleVector r = rintSmall(v);
    r = r.sub(1.0, r.compare(GT, v));
    return v.blend(r, v.abs().compare(LT, TWO52));
  }

  static FloatVector ceil(FloatVector v) {
    FloatVector r = rintSmall(v);
    r = withSignOf(r.add(1f, r.compare(LT, v)), v);
    return v.blend(r, v.abs().compare(LT, TWO23));
  }

  static DoubleVector ceil(DoubleVector v) {
    DoubleVector r = rintSmall(v);
    r = withSignOf(r.add(1.0, r.compare(LT, v)), v);
    return v.blend(r, v.abs().compare(LT, TWO52));
  }

  /** Horner's rule with FMA, as {@link UnaryMath#poly}. */
  private static DoubleVector poly(double[] c, DoubleVector z) {
    DoubleVector r = DoubleVector.broadcast(D, c[0]);
    for (int i = 1; i < c.length; i++) {
      r = r.fma(z, DoubleVector.broadcast(D, c[i]));
    }
    return r;
  }

  /** {@link UnaryMath#gelu}, lane-wise: both branches, then a blend. */
  static DoubleVector gelu(DoubleVector x) {
    DoubleVector xc = x.max(-GELU_CLAMP).min(GELU_CLAMP);
    DoubleVector t = xc.mul(INV_SQRT2);
    DoubleVector at = t.abs();
    // |t| < 1: x/2 (1 + erf(t)), erf(t) = t + t R(t²)
    DoubleVector small = x.mul(0.5).mul(poly(ERF_SMALL, t.mul(t)).fma(t, t).add(1.0));
    // |t| >= 1: erfc(|t|) = exp(-x²/2) erfcx(|t|), x² split exactly into sq + lo
    DoubleVector w = DoubleVector.broadcast(D, 1.0).div(at.add(ERFCX_K));
    DoubleVector g = poly(ERFCX, at.sub(ERFCX_K).mul(w)).mul(w);
    DoubleVector sq = xc.mul(xc);
    DoubleVector lo = xc.fma(xc, sq.neg()).mul(0.5);
    DoubleVector e = sq.mul(-0.5).lanewise(EXP);
    DoubleVector pos = xc.mul(-0.5).fma(g.neg().fma(lo, g).mul(e), x); // x - x/2 erfc(t)
    DoubleVector gn = xc.mul(0.5).mul(g); // exp last, as the twin: one subnormal rounding
    DoubleVector neg = gn.neg().fma(lo, gn).mul(e); // x/2 erfc(-t)
    return neg.blend(pos, t.compare(GT, 0.0)).blend(small, at.compare(LT, 1.0));
  }

  /** {@link UnaryMath#geluTanh}, lane-wise: {@code x * sigmoid(2u)}. */
  static DoubleVector geluTanh(DoubleVector x) {
    DoubleVector xm = x.max(-GELU_TANH_CLAMP);
    DoubleVector u2 = xm.mul(GELU_CUBIC).fma(xm.mul(xm), xm).mul(SQRT_2_OVER_PI).mul(2.0);
    DoubleVector e = u2.abs().neg().lanewise(EXP);
    DoubleVector r = DoubleVector.broadcast(D, 1.0).div(e.add(1.0));
    return xm.mul(r.blend(e.mul(r), u2.compare(LT, 0.0)));
  }
}
