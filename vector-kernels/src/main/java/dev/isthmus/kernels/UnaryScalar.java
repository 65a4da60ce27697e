package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of {@link UnaryVector}: the specification each vector loop is held
 * to by the property tests, and the path that runs when the Vector API is off.
 *
 * <p>FLOAT32 transcendental operators compute in double and round once.
 */
public final class UnaryScalar {
  private UnaryScalar() {}

  /** {@code op(v)} in FLOAT32. */
  public static float apply(UnaryOp op, float v) {
    return switch (op) {
      case NEG -> -v;
      case ABS -> Math.abs(v);
      case SIGN -> UnaryMath.sign(v);
      case SQRT -> (float) Math.sqrt(v); // correctly rounded: double has more than 2*24+2 bits
      case SQUARE -> v * v;
      case RECIPROCAL -> 1f / v;
      case RELU -> Math.max(v, 0f);
      case RELU6 -> Math.min(Math.max(v, 0f), 6f);
      case FLOOR -> (float) Math.floor(v);
      case CEIL -> (float) Math.ceil(v);
      case ROUND -> (float) Math.rint(v);
      default -> (float) apply(op, (double) v);
    };
  }

  /** {@code op(v)} in FLOAT64. */
  public static double apply(UnaryOp op, double v) {
    return switch (op) {
      case NEG -> -v;
      case ABS -> Math.abs(v);
      case SIGN -> UnaryMath.sign(v);
      case EXP -> Math.exp(v);
      case EXPM1 -> Math.expm1(v);
      case LOG -> Math.log(v);
      case LOG1P -> Math.log1p(v);
      case SQRT -> Math.sqrt(v);
      case RSQRT -> 1 / Math.sqrt(v);
      case SQUARE -> v * v;
      case RECIPROCAL -> 1 / v;
      case SIN -> Math.sin(v);
      case COS -> Math.cos(v);
      case ATAN -> Math.atan(v);
      case TANH -> Math.tanh(v);
      case SIGMOID -> UnaryMath.sigmoid(v);
      case RELU -> Math.max(v, 0);
      case RELU6 -> Math.min(Math.max(v, 0), 6);
      case ELU -> UnaryMath.elu(v);
      case GELU -> UnaryMath.gelu(v);
      case GELU_TANH -> UnaryMath.geluTanh(v);
      case SOFTPLUS -> UnaryMath.softplus(v);
      case FLOOR -> Math.floor(v);
      case CEIL -> Math.ceil(v);
      case ROUND -> Math.rint(v);
    };
  }

  /** {@code op(v)} in INT32, for {@linkplain UnaryOp#integral() integral} operators. */
  public static int apply(UnaryOp op, int v) {
    return switch (op) {
      case NEG -> -v;
      case ABS -> Math.abs(v); // abs(MIN_VALUE) == MIN_VALUE, as C++
      case SIGN -> Integer.signum(v);
      case SQUARE -> v * v;
      case RELU -> Math.max(v, 0);
      case RELU6 -> Math.min(Math.max(v, 0), 6);
      case ROUND -> v;
      default -> throw notIntegral(op);
    };
  }

  /** {@code op(v)} in INT64, for {@linkplain UnaryOp#integral() integral} operators. */
  public static long apply(UnaryOp op, long v) {
    return switch (op) {
      case NEG -> -v;
      case ABS -> Math.abs(v);
      case SIGN -> Long.signum(v);
      case SQUARE -> v * v;
      case RELU -> Math.max(v, 0);
      case RELU6 -> Math.min(Math.max(v, 0), 6);
      case ROUND -> v;
      default -> throw notIntegral(op);
    };
  }

  static IllegalArgumentException notIntegral(UnaryOp op) {
    return new IllegalArgumentException(op + " has no integer kernel");
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

  /** INT32 loop over {@link #apply(UnaryOp, int)}. */
  public static void i32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    if (!op.integral()) {
      throw notIntegral(op);
    }
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, apply(op, x.getAtIndex(JAVA_INT, xo + i)));
    }
  }

  /** INT64 loop over {@link #apply(UnaryOp, long)}. */
  public static void i64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    if (!op.integral()) {
      throw notIntegral(op);
    }
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, apply(op, x.getAtIndex(JAVA_LONG, xo + i)));
    }
  }
}
