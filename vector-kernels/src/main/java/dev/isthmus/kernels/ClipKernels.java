package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Clip kernels, {@code y[yo+i] = max(min(x[xo+i], hi), lo)} (TensorFlow's ClipByValue; NaN stays
 * NaN, and {@code lo > hi} gives {@code lo}). Bounds that vary per element run as a MINIMUM then
 * a MAXIMUM {@link BinaryKernels} pass.
 *
 * <p>Dispatches once per call to {@link ClipVector} or its scalar twin {@link ClipScalar}.
 */
public final class ClipKernels {
  private ClipKernels() {}

  /** FLOAT32 clip to {@code [lo, hi]}. */
  public static void f32(MemorySegment x, long xo, float lo, float hi,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (Simd.VECTOR) {
      ClipVector.f32(x, xo, lo, hi, y, yo, n);
    } else {
      ClipScalar.f32(x, xo, lo, hi, y, yo, n);
    }
  }

  /** FLOAT64 clip to {@code [lo, hi]}. */
  public static void f64(MemorySegment x, long xo, double lo, double hi,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (Simd.VECTOR) {
      ClipVector.f64(x, xo, lo, hi, y, yo, n);
    } else {
      ClipScalar.f64(x, xo, lo, hi, y, yo, n);
    }
  }

  /** INT32 clip to {@code [lo, hi]}. */
  public static void i32(MemorySegment x, long xo, int lo, int hi,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (Simd.VECTOR) {
      ClipVector.i32(x, xo, lo, hi, y, yo, n);
    } else {
      ClipScalar.i32(x, xo, lo, hi, y, yo, n);
    }
  }

  /** INT64 clip to {@code [lo, hi]}. */
  public static void i64(MemorySegment x, long xo, long lo, long hi,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (Simd.VECTOR) {
      ClipVector.i64(x, xo, lo, hi, y, yo, n);
    } else {
      ClipScalar.i64(x, xo, lo, hi, y, yo, n);
    }
  }
}
