package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the binary vector kernels: the specification each vector loop is
 * held to by the property tests, and the path that runs when the Vector API is off.
 *
 * <p>Semantics follow TensorFlow's CPU kernels: {@code FLOOR_DIV} is {@code floor(a / b)} on
 * floats; {@code FLOOR_MOD} is {@code fmod} moved to the divisor's sign; {@code POW} is C's
 * {@code pow} ({@code 1^y = 1} and {@code (-1)^±inf = 1}, where Java's {@code Math.pow} says
 * NaN); {@code MAXIMUM}/{@code MINIMUM} propagate NaN and order {@code -0.0 < +0.0}. Integer
 * arithmetic wraps. Integer division or modulo by zero gives 0 and a negative integer exponent
 * gives {@code 1}, {@code ±1} or 0 (as TensorFlow's GPU kernels): callers that must report these
 * (the ops do) check before calling.
 */
public final class BinaryScalar {
  private BinaryScalar() {}

  /** {@code op(a, b)} in FLOAT32. */
  public static float apply(BinaryOp op, float a, float b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case FLOOR_DIV -> (float) Math.floor(a / b);
      case FLOOR_MOD -> {
        float m = a % b; // C's fmod
        yield m != 0 && (b < 0) != (m < 0) ? m + b : m;
      }
      case POW -> a == 1f || (a == -1f && Float.isInfinite(b)) ? 1f : (float) Math.pow(a, b);
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      case SQUARED_DIFFERENCE -> (a - b) * (a - b);
      case ATAN2 -> (float) Math.atan2(a, b);
    };
  }

  /** {@code op(a, b)} in FLOAT64. */
  public static double apply(BinaryOp op, double a, double b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case FLOOR_DIV -> Math.floor(a / b);
      case FLOOR_MOD -> {
        double m = a % b;
        yield m != 0 && (b < 0) != (m < 0) ? m + b : m;
      }
      case POW -> a == 1 || (a == -1 && Double.isInfinite(b)) ? 1 : Math.pow(a, b);
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      case SQUARED_DIFFERENCE -> (a - b) * (a - b);
      case ATAN2 -> Math.atan2(a, b);
    };
  }

  /** {@code op(a, b)} in INT32. */
  public static int apply(BinaryOp op, int a, int b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> b == 0 ? 0 : a / b;
      case FLOOR_DIV -> b == 0 ? 0 : Math.floorDiv(a, b);
      case FLOOR_MOD -> b == 0 ? 0 : Math.floorMod(a, b);
      case POW -> (int) ipow(a, b);
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      case SQUARED_DIFFERENCE -> (a - b) * (a - b);
      case ATAN2 -> throw new IllegalArgumentException("ATAN2 is defined on floating types only");
    };
  }

  /** {@code op(a, b)} in INT64. */
  public static long apply(BinaryOp op, long a, long b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> b == 0 ? 0 : a / b;
      case FLOOR_DIV -> b == 0 ? 0 : Math.floorDiv(a, b);
      case FLOOR_MOD -> b == 0 ? 0 : Math.floorMod(a, b);
      case POW -> ipow(a, b);
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      case SQUARED_DIFFERENCE -> (a - b) * (a - b);
      case ATAN2 -> throw new IllegalArgumentException("ATAN2 is defined on floating types only");
    };
  }

  // Repeated squaring in 64 bits; INT32 callers truncate, which equals wrapping 32-bit products.
  private static long ipow(long x, long y) {
    if (y < 0) {
      return x == 1 ? 1 : x == -1 ? ((y & 1) == 0 ? 1 : -1) : 0;
    }
    long r = 1;
    while (y != 0) {
      if ((y & 1) != 0) {
        r *= x;
      }
      x *= x;
      y >>>= 1;
    }
    return r;
  }

  // ---- loops: vv = both operands contiguous, vs = b one value, sv = a one value.

  /** FLOAT32 {@code y[i] = op(a[i], b[i])}. */
  public static void f32vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i,
          apply(op, a.getAtIndex(JAVA_FLOAT, ao + i), b.getAtIndex(JAVA_FLOAT, bo + i)));
    }
  }

  /** FLOAT32 {@code y[i] = op(a[i], b)}. */
  public static void f32vs(BinaryOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, apply(op, a.getAtIndex(JAVA_FLOAT, ao + i), b));
    }
  }

  /** FLOAT32 {@code y[i] = op(a, b[i])}. */
  public static void f32sv(BinaryOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, apply(op, a, b.getAtIndex(JAVA_FLOAT, bo + i)));
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b[i])}. */
  public static void f64vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i,
          apply(op, a.getAtIndex(JAVA_DOUBLE, ao + i), b.getAtIndex(JAVA_DOUBLE, bo + i)));
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b)}. */
  public static void f64vs(BinaryOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, apply(op, a.getAtIndex(JAVA_DOUBLE, ao + i), b));
    }
  }

  /** FLOAT64 {@code y[i] = op(a, b[i])}. */
  public static void f64sv(BinaryOp op, double a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, apply(op, a, b.getAtIndex(JAVA_DOUBLE, bo + i)));
    }
  }

  /** INT32 {@code y[i] = op(a[i], b[i])}. */
  public static void i32vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i,
          apply(op, a.getAtIndex(JAVA_INT, ao + i), b.getAtIndex(JAVA_INT, bo + i)));
    }
  }

  /** INT32 {@code y[i] = op(a[i], b)}. */
  public static void i32vs(BinaryOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, apply(op, a.getAtIndex(JAVA_INT, ao + i), b));
    }
  }

  /** INT32 {@code y[i] = op(a, b[i])}. */
  public static void i32sv(BinaryOp op, int a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, apply(op, a, b.getAtIndex(JAVA_INT, bo + i)));
    }
  }

  /** INT64 {@code y[i] = op(a[i], b[i])}. */
  public static void i64vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i,
          apply(op, a.getAtIndex(JAVA_LONG, ao + i), b.getAtIndex(JAVA_LONG, bo + i)));
    }
  }

  /** INT64 {@code y[i] = op(a[i], b)}. */
  public static void i64vs(BinaryOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, apply(op, a.getAtIndex(JAVA_LONG, ao + i), b));
    }
  }

  /** INT64 {@code y[i] = op(a, b[i])}. */
  public static void i64sv(BinaryOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, apply(op, a, b.getAtIndex(JAVA_LONG, bo + i)));
    }
  }
}
