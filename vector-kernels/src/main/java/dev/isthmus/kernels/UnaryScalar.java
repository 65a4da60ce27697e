package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of {@link UnaryVector}: the specification each vector loop is held
 * to by the property tests, and the path that runs when the Vector API is off.
 */
public final class UnaryScalar {
  private UnaryScalar() {}

  /** {@code op(v)} in FLOAT32. */
  public static float apply(UnaryOp op, float v) {
    return switch (op) {
      case NEG -> -v;
      case EXP -> (float) Math.exp(v);
    };
  }

  /** {@code op(v)} in FLOAT64. */
  public static double apply(UnaryOp op, double v) {
    return switch (op) {
      case NEG -> -v;
      case EXP -> Math.exp(v);
    };
  }

  /** FLOAT32 loop over {@link #apply(UnaryOp, float)}. */
  public static void f32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, apply(op, x.getAtIndex(JAVA_FLOAT, xo + i)));
    }
  }

  /** FLOAT64 loop over {@link #apply(UnaryOp, double)}. */
  public static void f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, apply(op, x.getAtIndex(JAVA_DOUBLE, xo + i)));
    }
  }
}
