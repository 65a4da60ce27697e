package dev.isthmus.testkit;

/**
 * How close two floating values must be: within {@code ulps} units in the last place, or within
 * {@code rel * |expected|}, or within {@code abs}; whichever is loosest. NaN matches NaN, and
 * infinities match only themselves.
 */
public record Tolerance(long ulps, double rel, double abs) {
  /** Bit-for-bit equality (NaNs match NaNs). */
  public static final Tolerance EXACT = new Tolerance(0, 0, 0);

  /** Within {@code n} ulps. */
  public static Tolerance ulps(long n) {
    return new Tolerance(n, 0, 0);
  }

  /** Within {@code r} relative error. */
  public static Tolerance rel(double r) {
    return new Tolerance(0, r, 0);
  }

  /** This tolerance, also accepting absolute error up to {@code a} (for values near zero). */
  public Tolerance orAbs(double a) {
    return new Tolerance(ulps, rel, a);
  }

  /** This tolerance, also accepting relative error up to {@code r}. */
  public Tolerance orRel(double r) {
    return new Tolerance(ulps, r, abs);
  }

  /** True if {@code actual} is close enough to {@code expected} (in FLOAT32 ulps). */
  public boolean accepts(float expected, float actual) {
    if (Float.isNaN(expected) || Float.isNaN(actual)) {
      return Float.isNaN(expected) && Float.isNaN(actual);
    }
    if (Float.isInfinite(expected) || Float.isInfinite(actual)) {
      return expected == actual || within(expected, actual);
    }
    return ulpDistance(expected, actual) <= ulps || within(expected, actual);
  }

  /** True if {@code actual} is close enough to {@code expected} (in FLOAT64 ulps). */
  public boolean accepts(double expected, double actual) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      return expected == actual;
    }
    return ulpDistance(expected, actual) <= ulps || within(expected, actual);
  }

  private boolean within(double e, double a) {
    double diff = Math.abs(e - a);
    return diff <= abs || diff <= rel * Math.abs(e);
  }

  /** The number of representable floats between a and b. */
  public static long ulpDistance(float a, float b) {
    long x = Float.floatToIntBits(a), y = Float.floatToIntBits(b);
    x = x < 0 ? Integer.MIN_VALUE - x : x;
    y = y < 0 ? Integer.MIN_VALUE - y : y;
    return Math.abs(x - y);
  }

  /** The number of representable doubles between a and b (saturating). */
  public static long ulpDistance(double a, double b) {
    long x = Double.doubleToLongBits(a), y = Double.doubleToLongBits(b);
    x = x < 0 ? Long.MIN_VALUE - x : x;
    y = y < 0 ? Long.MIN_VALUE - y : y;
    long d = x - y;
    return (x >= y) == (d >= 0) ? Math.abs(d) : Long.MAX_VALUE;
  }
}
