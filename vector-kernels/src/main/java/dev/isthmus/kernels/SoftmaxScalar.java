package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the softmax kernels, over one row {@code x[xo + k * stride]},
 * {@code k < n} (stride 1: a contiguous row; stride {@code inner}: a column of the outer form).
 * Three passes, numerically stable: {@code m = max x}; {@code e = exp(x - m)} and {@code s = sum
 * e}; then softmax {@code y = e * (1 / s)}, log-softmax {@code y = (x - m) - log s}. A row of all
 * -inf, or one holding +inf or NaN, gives NaN, as TensorFlow.
 */
public final class SoftmaxScalar {
  private SoftmaxScalar() {}

  // ---------------------------------------------------------------- FLOAT32

  /** FLOAT32 softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void softmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    softmaxF32(x, xo, y, yo, n, 1);
  }

  /** FLOAT32 log-softmax of a contiguous row. */
  public static void logSoftmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    logSoftmaxF32(x, xo, y, yo, n, 1);
  }

  static void softmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n, long stride) {
    float m = ReduceScalar.f32(ReduceOp.MAX, x, xo, n, stride);
    float s = expShiftF32(x, xo, y, yo, n, stride, m);
    scaleF32(y, yo, n, stride, 1f / s);
  }

  static void logSoftmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n,
      long stride) {
    float m = ReduceScalar.f32(ReduceOp.MAX, x, xo, n, stride);
    float ls = (float) Math.log(sumExpF32(x, xo, n, stride, m));
    shiftF32(x, xo, y, yo, n, stride, m, ls);
  }

  /** {@code y = exp(x - m)}; returns the sum of the {@code y}. */
  static float expShiftF32(MemorySegment x, long xo, MemorySegment y, long yo, long n, long stride,
      float m) {
    float s = 0;
    for (long k = 0; k < n; k++) {
      float e = (float) Math.exp(x.getAtIndex(JAVA_FLOAT, xo + k * stride) - m);
      y.setAtIndex(JAVA_FLOAT, yo + k * stride, e);
      s += e;
    }
    return s;
  }

  /** The sum of {@code exp(x - m)}. */
  static float sumExpF32(MemorySegment x, long xo, long n, long stride, float m) {
    float s = 0;
    for (long k = 0; k < n; k++) {
      s += (float) Math.exp(x.getAtIndex(JAVA_FLOAT, xo + k * stride) - m);
    }
    return s;
  }

  /** {@code y *= c}. */
  static void scaleF32(MemorySegment y, long yo, long n, long stride, float c) {
    for (long k = 0; k < n; k++) {
      long i = yo + k * stride;
      y.setAtIndex(JAVA_FLOAT, i, y.getAtIndex(JAVA_FLOAT, i) * c);
    }
  }

  /** {@code y = (x - m) - ls}. */
  static void shiftF32(MemorySegment x, long xo, MemorySegment y, long yo, long n, long stride,
      float m, float ls) {
    for (long k = 0; k < n; k++) {
      float v = x.getAtIndex(JAVA_FLOAT, xo + k * stride);
      y.setAtIndex(JAVA_FLOAT, yo + k * stride, (v - m) - ls);
    }
  }

  /** FLOAT32 outer form: softmax of each column j of the {@code [r, inner]} block, over k. */
  public static void softmaxF32Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columnsF32(false, x, xo, r, inner, 0, inner, y, yo);
  }

  /** FLOAT32 outer log-softmax. */
  public static void logSoftmaxF32Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columnsF32(true, x, xo, r, inner, 0, inner, y, yo);
  }

  static void columnsF32(boolean log, MemorySegment x, long xo, long r, long inner, long j0,
      long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      if (log) {
        logSoftmaxF32(x, xo + j, y, yo + j, r, inner);
      } else {
        softmaxF32(x, xo + j, y, yo + j, r, inner);
      }
    }
  }

  // ---------------------------------------------------------------- FLOAT64

  /** FLOAT64 softmax of a contiguous row. */
  public static void softmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    softmaxF64(x, xo, y, yo, n, 1);
  }

  /** FLOAT64 log-softmax of a contiguous row. */
  public static void logSoftmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    logSoftmaxF64(x, xo, y, yo, n, 1);
  }

  static void softmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n, long stride) {
    double m = ReduceScalar.f64(ReduceOp.MAX, x, xo, n, stride);
    double s = expShiftF64(x, xo, y, yo, n, stride, m);
    scaleF64(y, yo, n, stride, 1.0 / s);
  }

  static void logSoftmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n,
      long stride) {
    double m = ReduceScalar.f64(ReduceOp.MAX, x, xo, n, stride);
    double ls = Math.log(sumExpF64(x, xo, n, stride, m));
    shiftF64(x, xo, y, yo, n, stride, m, ls);
  }

  static double expShiftF64(MemorySegment x, long xo, MemorySegment y, long yo, long n,
      long stride, double m) {
    double s = 0;
    for (long k = 0; k < n; k++) {
      double e = Math.exp(x.getAtIndex(JAVA_DOUBLE, xo + k * stride) - m);
      y.setAtIndex(JAVA_DOUBLE, yo + k * stride, e);
      s += e;
    }
    return s;
  }

  static double sumExpF64(MemorySegment x, long xo, long n, long stride, double m) {
    double s = 0;
    for (long k = 0; k < n; k++) {
      s += Math.exp(x.getAtIndex(JAVA_DOUBLE, xo + k * stride) - m);
    }
    return s;
  }

  static void scaleF64(MemorySegment y, long yo, long n, long stride, double c) {
    for (long k = 0; k < n; k++) {
      long i = yo + k * stride;
      y.setAtIndex(JAVA_DOUBLE, i, y.getAtIndex(JAVA_DOUBLE, i) * c);
    }
  }

  static void shiftF64(MemorySegment x, long xo, MemorySegment y, long yo, long n, long stride,
      double m, double ls) {
    for (long k = 0; k < n; k++) {
      double v = x.getAtIndex(JAVA_DOUBLE, xo + k * stride);
      y.setAtIndex(JAVA_DOUBLE, yo + k * stride, (v - m) - ls);
    }
  }

  /** FLOAT64 outer softmax. */
  public static void softmaxF64Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columnsF64(false, x, xo, r, inner, 0, inner, y, yo);
  }

  /** FLOAT64 outer log-softmax. */
  public static void logSoftmaxF64Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columnsF64(true, x, xo, r, inner, 0, inner, y, yo);
  }

  static void columnsF64(boolean log, MemorySegment x, long xo, long r, long inner, long j0,
      long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      if (log) {
        logSoftmaxF64(x, xo + j, y, yo + j, r, inner);
      } else {
        softmaxF64(x, xo + j, y, yo + j, r, inner);
      }
    }
  }
}
