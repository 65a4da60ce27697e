package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.DType;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import java.lang.foreign.MemorySegment;

/**
 * Raw kernel operands for the binary-family property suites: segments over heap arrays holding
 * {@code off + n} elements (the first {@code off} are padding, so offsets get exercised), with
 * values that mix ordinary numbers and the awkward ones (NaN, infinities, signed zeros, integer
 * extremes).
 */
final class BinaryTestData {
  private BinaryTestData() {}

  private static final double[] FLOAT_SPECIALS = {
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -1, 0.5, -0.5,
    2.5, -2.5, 1e30, -1e30, 1e-30, 0x1p23 + 1, -0x1p52 - 2, 3e9, -3e9, 1e19
  };

  /** The float lane count for 4-byte dtypes, the double lane count for 8-byte ones. */
  static int lanes(DType t) {
    return t.byteSize() == 8 ? Simd.doubleLanes() : Simd.floatLanes();
  }

  /** A size that stresses vector loops of {@code t}. */
  static int size(Draw d, DType t) {
    return (int) Generators.awkwardSize(d, lanes(t), 5000);
  }

  /** A value of {@code t} as a double (for floats) or long (for integers and BOOL). */
  static double floatValue(Draw d) {
    int pick = d.intBetween(0, 15);
    if (pick == 0) {
      return FLOAT_SPECIALS[d.intBetween(0, FLOAT_SPECIALS.length - 1)];
    }
    if (pick == 1) {
      return d.doubleBetween(-1, 1) * Math.scalb(1.0, d.intBetween(-40, 40));
    }
    return d.doubleBetween(-100, 100);
  }

  static long intValue(Draw d, DType t) {
    int pick = d.intBetween(0, 7);
    boolean wide = t == DType.INT64;
    return switch (pick) {
      case 0 -> d.oneOf(0L, 1L, -1L, wide ? Long.MIN_VALUE : Integer.MIN_VALUE,
          wide ? Long.MAX_VALUE : Integer.MAX_VALUE);
      case 1 -> wide ? d.between(Long.MIN_VALUE, Long.MAX_VALUE)
          : d.between(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case 2 -> d.between(-100_000, 100_000);
      default -> d.between(-20, 20);
    };
  }

  /** {@code off + n} elements of {@code t}, random from {@code off} on. */
  static MemorySegment random(Draw d, DType t, int off, int n) {
    MemorySegment s = zeros(t, off + n);
    for (int i = 0; i < off + n; i++) {
      put(s, t, i, d);
    }
    return s;
  }

  static void put(MemorySegment s, DType t, long i, Draw d) {
    switch (t) {
      case FLOAT32 -> s.setAtIndex(JAVA_FLOAT, i, (float) floatValue(d));
      case FLOAT64 -> s.setAtIndex(JAVA_DOUBLE, i, floatValue(d));
      case INT32 -> s.setAtIndex(JAVA_INT, i, (int) intValue(d, t));
      case INT64 -> s.setAtIndex(JAVA_LONG, i, intValue(d, t));
      case BOOL -> s.set(JAVA_BYTE, i, (byte) d.intBetween(0, 1));
    }
  }

  /** A zero-filled segment of {@code n} elements of {@code t}. */
  static MemorySegment zeros(DType t, int n) {
    return switch (t) {
      case FLOAT32 -> MemorySegment.ofArray(new float[n]);
      case FLOAT64 -> MemorySegment.ofArray(new double[n]);
      case INT32 -> MemorySegment.ofArray(new int[n]);
      case INT64 -> MemorySegment.ofArray(new long[n]);
      case BOOL -> MemorySegment.ofArray(new byte[n]);
    };
  }

  /** Element {@code i} as a double (floats), or a long widened to double for messages. */
  static String show(MemorySegment s, DType t, long i) {
    return switch (t) {
      case FLOAT32 -> Float.toString(s.getAtIndex(JAVA_FLOAT, i));
      case FLOAT64 -> Double.toString(s.getAtIndex(JAVA_DOUBLE, i));
      case INT32 -> Integer.toString(s.getAtIndex(JAVA_INT, i));
      case INT64 -> Long.toString(s.getAtIndex(JAVA_LONG, i));
      case BOOL -> Byte.toString(s.get(JAVA_BYTE, i));
    };
  }

  /**
   * Asserts {@code got} equals {@code want} element for element: bit for bit (NaNs alike, zeros
   * signed) when {@code ulps} is 0, else within {@code ulps} (and an infinity matches a value
   * within a factor 2 of the largest finite one: rounding at overflow).
   */
  static void assertSame(DType t, MemorySegment want, MemorySegment got, long n, long ulps,
      String what) {
    for (long i = 0; i < n; i++) {
      boolean ok = switch (t) {
        case FLOAT32 -> closeF(want.getAtIndex(JAVA_FLOAT, i), got.getAtIndex(JAVA_FLOAT, i), ulps);
        case FLOAT64 -> closeD(want.getAtIndex(JAVA_DOUBLE, i), got.getAtIndex(JAVA_DOUBLE, i), ulps);
        case INT32 -> want.getAtIndex(JAVA_INT, i) == got.getAtIndex(JAVA_INT, i);
        case INT64 -> want.getAtIndex(JAVA_LONG, i) == got.getAtIndex(JAVA_LONG, i);
        case BOOL -> want.get(JAVA_BYTE, i) == got.get(JAVA_BYTE, i);
      };
      if (!ok) {
        throw new AssertionError(what + ": at " + i + " of " + n + " expected "
            + show(want, t, i) + " but was " + show(got, t, i));
      }
    }
  }

  private static boolean closeF(float e, float a, long ulps) {
    if (Float.floatToIntBits(e) == Float.floatToIntBits(a) || ulps == 0) {
      return Float.floatToIntBits(e) == Float.floatToIntBits(a);
    }
    if (Float.isNaN(e) || Float.isNaN(a)) {
      return false;
    }
    if (Float.isInfinite(e) || Float.isInfinite(a)) {
      return Math.signum(e) == Math.signum(a) && Math.abs((double) e) + Math.abs((double) a) >= Float.MAX_VALUE;
    }
    return dev.isthmus.testkit.Tolerance.ulpDistance(e, a) <= ulps;
  }

  private static boolean closeD(double e, double a, long ulps) {
    if (Double.doubleToLongBits(e) == Double.doubleToLongBits(a) || ulps == 0) {
      return Double.doubleToLongBits(e) == Double.doubleToLongBits(a);
    }
    if (Double.isNaN(e) || Double.isNaN(a)) {
      return false;
    }
    if (Double.isInfinite(e) || Double.isInfinite(a)) {
      return Math.signum(e) == Math.signum(a) && Math.abs(e) / 2 + Math.abs(a) / 2 >= Double.MAX_VALUE / 2;
    }
    return dev.isthmus.testkit.Tolerance.ulpDistance(e, a) <= ulps;
  }
}
