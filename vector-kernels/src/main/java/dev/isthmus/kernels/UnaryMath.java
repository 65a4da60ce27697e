package dev.isthmus.kernels;

/**
 * Scalar special functions the unary operators need and {@link Math} lacks (erf, erfc, GELU,
 * a stable sigmoid and softplus), in double. The vector kernels evaluate the same polynomials
 * ({@link #ERF_SMALL}, {@link #ERFCX}) lane-wise, so both paths share one approximation.
 *
 * <p>erf and erfc are ours, not ported: {@code erf(x) = x + x R(x²)} for {@code |x| < 1}, and for
 * {@code 1 <= |x| < 28} {@code erfc(x) = exp(-x²) erfcx(x)}, where the scaled function {@code
 * erfcx(x) = e^(x²) erfc(x)}, an entire function that falls smoothly like {@code 1/(x√π)}, is a
 * degree-20 polynomial in {@code z = (x-4)/(x+4)} times {@code 1/(x+4)}. Both polynomials are
 * Chebyshev fits made with 50-digit arithmetic (fit errors below 1e-17, relative), and {@code x²}
 * is split into a double and its exact rounding error (by FMA) so that {@code exp(-x²)} keeps its
 * relative accuracy in the tail. Measured against 50-digit references: erf within 1 ulp, erfc
 * within 6 ulps over its whole range.
 */
public final class UnaryMath {
  private UnaryMath() {}

  /** {@code R(s)} with {@code erf(x) = x + x R(x²)}, {@code |x| < 1}; highest degree first. */
  static final double[] ERF_SMALL = {
    -7.795898827002142e-10, 1.3720064546777686e-08, -1.6208483801871705e-07,
    1.6447424703317362e-06, -1.492473690741966e-05, 0.00012055294904839707,
    -0.0008548325975389692, 0.0052239776071164225, -0.02686617064323777,
    0.11283791670945006, -0.37612638903183543, 0.12837916709551256,
  };

  /**
   * {@code (x + 4) erfcx(x)} as a polynomial in {@code z = (x-4)/(x+4)}, fitted for {@code 1 <= x
   * <= 28} ({@code -0.6 <= z <= 0.75}); highest degree first.
   */
  static final double[] ERFCX = {
    -1.015599727097979e-08, -1.221712800294325e-09, 1.165161679655632e-07,
    -7.15403371977963e-08, -8.40875945152184e-07, 1.4211086442936592e-06,
    4.692278048590357e-06, -1.8859588941548345e-05, -3.634642688108076e-06,
    0.00017681249418595874, -0.00045505276678010784, -0.00028095881655494,
    0.006112055663914103, -0.02637005334464788, 0.07638151490880662,
    -0.17401093723972935, 0.3308515878780291, -0.5408538313132394,
    0.7732087022652369, -0.976548729080882, 1.095995661000491,
  };

  /** The shift of {@link #ERFCX}'s variable. */
  static final double ERFCX_K = 4;
  /** Past this, erfc(x) is below the smallest double and erf(x) is 1. */
  static final double ERF_LIMIT = 28;
  /** {@code 1/√2}. */
  static final double INV_SQRT2 = 0.7071067811865476;
  /** {@code √(2/π)}, GELU_TANH's scale. */
  static final double SQRT_2_OVER_PI = 0.7978845608028654;
  /** GELU_TANH's cubic coefficient. */
  static final double GELU_CUBIC = 0.044715;
  /** GELU is {@code x} for {@code x >= GELU_CLAMP} and ±0 below {@code -GELU_CLAMP}, in double. */
  static final double GELU_CLAMP = 40;
  /** GELU_TANH's sigmoid is 0 in double below {@code -GELU_TANH_CLAMP}. */
  static final double GELU_TANH_CLAMP = 30;

  /** Horner's rule with FMA; {@code c} highest degree first. */
  static double poly(double[] c, double z) {
    double r = c[0];
    for (int i = 1; i < c.length; i++) {
      r = Math.fma(r, z, c[i]);
    }
    return r;
  }

  /** erf(x) for |x| < 1. */
  static double erfSmall(double x) {
    return Math.fma(x, poly(ERF_SMALL, x * x), x);
  }

  /**
   * {@code s erfc(t)} for {@code 1 <= t <= 28}, given {@code t² = sq + sqLo} exactly (sqLo the
   * rounding error of sq), so that {@code exp(-t²)} is not spoiled by the rounding of {@code t²}.
   * The exponential is the last factor, so that a subnormal result is rounded only once.
   */
  static double erfcCore(double t, double sq, double sqLo, double s) {
    double w = 1 / (t + ERFCX_K);
    double g = s * (poly(ERFCX, (t - ERFCX_K) * w) * w);
    g = Math.fma(-g, sqLo, g); // exp(-sq - sqLo) = exp(-sq) (1 - sqLo), |sqLo| tiny
    return g * Math.exp(-sq); // an underflow keeps the sign of s
  }

  /** erfc(t) for {@code t >= 1} (and NaN for NaN). */
  private static double erfcPositive(double t) {
    if (!(t < ERF_LIMIT)) {
      return t >= ERF_LIMIT ? 0 : t;
    }
    double sq = t * t;
    return erfcCore(t, sq, Math.fma(t, t, -sq), 1);
  }

  /** The error function, within 1 ulp. */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < 1) {
      return erfSmall(x);
    }
    return Math.copySign(1 - erfcPositive(ax), x); // NaN stays NaN: 1 - NaN
  }

  /** The complementary error function {@code 1 - erf(x)}, without cancellation; within 6 ulps. */
  public static double erfc(double x) {
    double ax = Math.abs(x);
    if (ax < 1) {
      return 1 - erfSmall(x);
    }
    double e = erfcPositive(ax);
    return x > 0 ? e : 2 - e; // NaN: 2 - NaN
  }

  /** Exact GELU: {@code x/2 (1 + erf(x/√2))}, with an accurate negative tail. */
  public static double gelu(double x) {
    double xc = Math.max(-GELU_CLAMP, Math.min(GELU_CLAMP, x)); // NaN stays NaN
    double t = xc * INV_SQRT2;
    if (Math.abs(t) < 1) {
      return 0.5 * x * (1 + erfSmall(t));
    }
    double sq = xc * xc;
    double half = 0.5 * sq;
    double halfLo = 0.5 * Math.fma(xc, xc, -sq); // x²/2 = half + halfLo exactly (not t², rounded)
    if (t > 0) {
      return Math.fma(-0.5 * xc, erfcCore(t, half, halfLo, 1), x); // x - x/2 erfc(t)
    }
    return erfcCore(-t, half, halfLo, 0.5 * xc); // x/2 erfc(-t); NaN too
  }

  /** Tanh-approximated GELU, as {@code x * sigmoid(2u)}, {@code u = √(2/π) (x + 0.044715 x³)}. */
  public static double geluTanh(double x) {
    double xm = Math.max(x, -GELU_TANH_CLAMP); // NaN stays NaN
    double u = SQRT_2_OVER_PI * Math.fma(GELU_CUBIC * xm, xm * xm, xm);
    return xm * sigmoid(2 * u);
  }

  /** The logistic function {@code 1/(1+e^-x)}, without overflow for any x. */
  public static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    double r = 1 / (1 + e);
    return x >= 0 ? r : e * r; // NaN: e is NaN, so r is
  }

  /** {@code ln(1 + e^x)}, as {@code max(x, 0) + log1p(exp(-|x|))}. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** ELU with alpha 1: {@code x < 0 ? e^x - 1 : x}. */
  public static double elu(double x) {
    return x < 0 ? Math.expm1(x) : x;
  }

  /** numpy's sign: -1, +0 or 1, NaN for NaN. */
  public static double sign(double x) {
    return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;
  }

  /** numpy's sign in FLOAT32. */
  public static float sign(float x) {
    return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;
  }
}
