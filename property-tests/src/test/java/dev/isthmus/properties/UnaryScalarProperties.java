package dev.isthmus.properties;

import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.UnaryMath;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * The scalar twins (the specification) against independent references: {@link StrictMath}
 * where Java has the function, the textbook formula in StrictMath for the activations, and
 * 90-digit BigDecimal series for erf, erfc and GELU.
 *
 * <p>Tolerances: {@link Math} and {@link StrictMath} are each within 1 ulp of exact ({@link
 * Math#tanh} within 2.5), so float64 twins built on Math may be 2 ulps from StrictMath (tanh 3);
 * float32 twins round a double once, so they are within 1 float32 ulp. The formulas of sigmoid,
 * softplus and GELU-tanh are held to 4 ulps. erf is held to 1 ulp and erfc to 6 (UnaryMath's
 * claims), GELU to 6.
 */
class UnaryScalarProperties {
  static final int EXAMPLES = 4000;

  static Gen<Double> mixed(boolean f32) {
    return in -> UnaryKernelProperties.mixed(TensorGens.draw(in), f32);
  }

  static Gen<Double> uniform(double lo, double hi) {
    return in -> TensorGens.draw(in).doubleBetween(lo, hi);
  }

  /** The StrictMath counterpart of each operator, in double. */
  static DoubleUnaryOperator reference(UnaryOp op) {
    return switch (op) {
      case NEG -> x -> -x;
      case ABS -> StrictMath::abs;
      case SIGN -> x -> x == 0 ? 0.0 : StrictMath.signum(x); // numpy: sign(-0) is +0
      case EXP -> StrictMath::exp;
      case EXPM1 -> StrictMath::expm1;
      case LOG -> StrictMath::log;
      case LOG1P -> StrictMath::log1p;
      case SQRT -> StrictMath::sqrt;
      case RSQRT -> x -> 1 / StrictMath.sqrt(x);
      case SQUARE -> x -> x * x;
      case RECIPROCAL -> x -> 1 / x;
      case SIN -> StrictMath::sin;
      case COS -> StrictMath::cos;
      case ATAN -> StrictMath::atan;
      case TANH -> StrictMath::tanh;
      case SIGMOID -> x -> x >= 0 ? 1 / (1 + StrictMath.exp(-x))
          : StrictMath.exp(x) / (1 + StrictMath.exp(x));
      case RELU -> x -> x != x ? x : x > 0 ? x : 0.0;
      case RELU6 -> x -> x != x ? x : x > 6 ? 6.0 : x > 0 ? x : 0.0;
      case ELU -> x -> x < 0 ? StrictMath.expm1(x) : x;
      case GELU -> null; // no StrictMath counterpart: see the BigDecimal properties below
      case GELU_TANH -> x -> {
        // u as the twin computes it: near x = -20 the result's condition number is ~2000, so
        // another rounding of u alone would move it by hundreds of ulps
        double u = Math.sqrt(2 / Math.PI) * Math.fma(0.044715 * x, x * x, x);
        // 0.5 x (1 + tanh u), rewritten as x e^2u / (1 + e^2u) where 1 + tanh u would cancel
        return x != x || x >= 0 ? 0.5 * x * (1 + StrictMath.tanh(u))
            : x == Double.NEGATIVE_INFINITY ? -0.0 // the limit (the formula gives NaN)
            : x * StrictMath.exp(2 * u) / (1 + StrictMath.exp(2 * u));
      };
      case SOFTPLUS -> x -> x > 0 ? x + StrictMath.log1p(StrictMath.exp(-x))
          : StrictMath.log1p(StrictMath.exp(x));
      case FLOOR -> StrictMath::floor;
      case CEIL -> StrictMath::ceil;
      case ROUND -> StrictMath::rint;
    };
  }

  static long ulps64(UnaryOp op) {
    return switch (op) {
      case EXP, EXPM1, LOG, LOG1P, SIN, COS, ATAN, ELU -> 2;
      case TANH -> 3;
      case SIGMOID, SOFTPLUS, GELU_TANH -> 4;
      default -> 0;
    };
  }

  @ParameterizedTest
  @EnumSource(value = UnaryOp.class, names = "GELU", mode = EnumSource.Mode.EXCLUDE)
  void f64TwinMatchesStrictMath(UnaryOp op) {
    DoubleUnaryOperator ref = reference(op);
    long tol = ulps64(op);
    qt().withExamples(EXAMPLES).forAll(mixed(false)).checkAssert(x -> {
      double want = ref.applyAsDouble(x);
      double got = UnaryScalar.apply(op, (double) x);
      boolean ok = tol == 0 ? Double.doubleToLongBits(want) == Double.doubleToLongBits(got)
          : ulps(want, got) <= tol;
      if (!ok) {
        throw new AssertionError(op + "(" + x + "): expected " + want + " but was " + got
            + " (" + ulps(want, got) + " ulps; tolerance " + tol + ")");
      }
    });
  }

  @ParameterizedTest
  @EnumSource(value = UnaryOp.class, names = "GELU", mode = EnumSource.Mode.EXCLUDE)
  void f32TwinRoundsTheReferenceOnce(UnaryOp op) {
    DoubleUnaryOperator ref = reference(op);
    long tol = ulps64(op) == 0 && op != UnaryOp.RSQRT ? 0 : 1;
    qt().withExamples(EXAMPLES).forAll(mixed(true)).checkAssert(x -> {
      float v = (float) (double) x;
      float want = (float) ref.applyAsDouble(v);
      float got = UnaryScalar.apply(op, v);
      boolean ok = tol == 0 ? Float.floatToIntBits(want) == Float.floatToIntBits(got)
          : ulps(want, got) <= tol;
      if (!ok) {
        throw new AssertionError(op + "(" + v + "f): expected " + want + " but was " + got);
      }
    });
  }

  // ---------------------------------------------------------------- erf, erfc, GELU

  static final MathContext MC = new MathContext(90);
  static final BigDecimal TWO_OVER_SQRT_PI = new BigDecimal(
      "1.128379167095512573896158903121545171688101258657997713688171443421284936882986828973");
  static final BigDecimal SQRT2 = new BigDecimal(
      "1.41421356237309504880168872420969807856967187537694807317667973799073247846210703885");
  static final BigDecimal TINY = new BigDecimal("1e-80");
  static final BigDecimal TWO = BigDecimal.valueOf(2);

  /** erf by its Maclaurin series; ample digits for |x| <= 6. */
  static BigDecimal erfSeries(BigDecimal x) {
    BigDecimal x2 = x.multiply(x, MC);
    BigDecimal power = x; // (-1)^n x^(2n+1) / n!
    BigDecimal sum = x;
    for (int n = 1; ; n++) {
      power = power.multiply(x2, MC).divide(BigDecimal.valueOf(-n), MC);
      BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
      sum = sum.add(term, MC);
      if (n > 2 * x2.doubleValue() && term.abs().compareTo(TINY) < 0) {
        return sum.multiply(TWO_OVER_SQRT_PI, MC);
      }
    }
  }

  /** e^y: Taylor series of y / 2^k, squared k times. */
  static BigDecimal exp(BigDecimal y) {
    int k = 0;
    while (y.abs().compareTo(BigDecimal.ONE) > 0) {
      y = y.divide(TWO, MC);
      k++;
    }
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int n = 1; term.abs().compareTo(TINY) > 0; n++) {
      term = term.multiply(y, MC).divide(BigDecimal.valueOf(n), MC);
      sum = sum.add(term, MC);
    }
    for (int i = 0; i < k; i++) {
      sum = sum.multiply(sum, MC);
    }
    return sum;
  }

  /**
   * erfc: 1 - erf below 6, else e^(-x²)/√π over the continued fraction x + (1/2)/(x + 1/(x +
   * (3/2)/(x + ...))).
   */
  static BigDecimal erfcReference(BigDecimal x) {
    if (x.doubleValue() < 6) {
      return BigDecimal.ONE.subtract(erfSeries(x), MC);
    }
    BigDecimal f = x;
    for (int k = 400; k >= 1; k--) {
      f = x.add(BigDecimal.valueOf(k).divide(TWO, MC).divide(f, MC), MC);
    }
    BigDecimal e = exp(x.multiply(x, MC).negate());
    return e.multiply(TWO_OVER_SQRT_PI, MC).divide(TWO.multiply(f, MC), MC);
  }

  @Test
  void erfIsWithinOneUlp() {
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      return d.between(0, 3) == 0 ? d.doubleBetween(-1e-3, 1e-3) : d.doubleBetween(-6.5, 6.5);
    }).checkAssert(x -> {
      double want = erfSeries(new BigDecimal(x)).doubleValue();
      check("erf", x, want, UnaryMath.erf(x), 1);
      check("erf", -x, -want, UnaryMath.erf(-x), 1);
    });
  }

  @Test
  void erfcIsWithinSixUlps() {
    qt().withExamples(300).forAll(uniform(-2, 27.2)).checkAssert(x -> {
      check("erfc", x, erfcReference(new BigDecimal(x)).doubleValue(), UnaryMath.erfc(x), 6);
    });
  }

  @Test
  void geluIsWithinSixUlps() {
    qt().withExamples(300).forAll(uniform(-38, 8)).checkAssert(x -> {
      double want = geluReference(x);
      check("gelu", x, want, UnaryMath.gelu(x), 6);
      check("gelu", x, want, UnaryScalar.apply(UnaryOp.GELU, x), 6);
      float v = (float) (double) x;
      check("gelu32", v, (float) geluReference(v), UnaryScalar.apply(UnaryOp.GELU, v), 1);
    });
  }

  /** x/2 (1 + erf(x/√2)), and x/2 erfc(-x/√2) below 0. */
  static double geluReference(double x) {
    BigDecimal bx = new BigDecimal(x);
    BigDecimal t = bx.divide(SQRT2, MC);
    BigDecimal onePlusErf = x < 0 ? erfcReference(t.negate()) : BigDecimal.ONE.add(erfSeries(t));
    return bx.multiply(onePlusErf, MC).divide(TWO, MC).doubleValue();
  }

  private static void check(String what, double x, double want, double got, long tol) {
    if (ulps(want, got) > tol) {
      throw new AssertionError(what + "(" + x + "): expected " + want + " but was " + got + " ("
          + ulps(want, got) + " ulps; tolerance " + tol + ")");
    }
  }

  private static void check(String what, double x, float want, float got, long tol) {
    if (ulps(want, got) > tol) {
      throw new AssertionError(what + "(" + x + "): expected " + want + " but was " + got);
    }
  }

  static long ulps(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    long x = Double.doubleToLongBits(a), y = Double.doubleToLongBits(b);
    x = x < 0 ? Long.MIN_VALUE - x : x;
    y = y < 0 ? Long.MIN_VALUE - y : y;
    return Math.abs(x - y);
  }

  static long ulps(float a, float b) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    long x = Float.floatToIntBits(a), y = Float.floatToIntBits(b);
    x = x < 0 ? Integer.MIN_VALUE - x : x;
    y = y < 0 ? Integer.MIN_VALUE - y : y;
    return Math.abs(x - y);
  }
}
