package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the conversion kernels: plain Java casts (see {@link
 * CastKernels}), and the path that runs when the Vector API is off.
 */
public final class CastScalar {
  private CastScalar() {}

  /** FLOAT32 to FLOAT64. */
  public static void f32ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      float v = x.getAtIndex(JAVA_FLOAT, xo + i);
      y.setAtIndex(JAVA_DOUBLE, yo + i, (double) v);
    }
  }

  /** FLOAT32 to INT32. */
  public static void f32ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      float v = x.getAtIndex(JAVA_FLOAT, xo + i);
      y.setAtIndex(JAVA_INT, yo + i, (int) v);
    }
  }

  /** FLOAT32 to INT64. */
  public static void f32ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      float v = x.getAtIndex(JAVA_FLOAT, xo + i);
      y.setAtIndex(JAVA_LONG, yo + i, (long) v);
    }
  }

  /** FLOAT32 to BOOL. */
  public static void f32ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      float v = x.getAtIndex(JAVA_FLOAT, xo + i);
      y.set(JAVA_BYTE, yo + i, v != 0 ? (byte) 1 : (byte) 0);
    }
  }

  /** FLOAT64 to FLOAT32. */
  public static void f64ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(JAVA_DOUBLE, xo + i);
      y.setAtIndex(JAVA_FLOAT, yo + i, (float) v);
    }
  }

  /** FLOAT64 to INT32. */
  public static void f64ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(JAVA_DOUBLE, xo + i);
      y.setAtIndex(JAVA_INT, yo + i, (int) v);
    }
  }

  /** FLOAT64 to INT64. */
  public static void f64ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(JAVA_DOUBLE, xo + i);
      y.setAtIndex(JAVA_LONG, yo + i, (long) v);
    }
  }

  /** FLOAT64 to BOOL. */
  public static void f64ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      double v = x.getAtIndex(JAVA_DOUBLE, xo + i);
      y.set(JAVA_BYTE, yo + i, v != 0 ? (byte) 1 : (byte) 0);
    }
  }

  /** INT32 to FLOAT32. */
  public static void i32ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      int v = x.getAtIndex(JAVA_INT, xo + i);
      y.setAtIndex(JAVA_FLOAT, yo + i, (float) v);
    }
  }

  /** INT32 to FLOAT64. */
  public static void i32ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      int v = x.getAtIndex(JAVA_INT, xo + i);
      y.setAtIndex(JAVA_DOUBLE, yo + i, (double) v);
    }
  }

  /** INT32 to INT64. */
  public static void i32ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      int v = x.getAtIndex(JAVA_INT, xo + i);
      y.setAtIndex(JAVA_LONG, yo + i, (long) v);
    }
  }

  /** INT32 to BOOL. */
  public static void i32ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      int v = x.getAtIndex(JAVA_INT, xo + i);
      y.set(JAVA_BYTE, yo + i, v != 0 ? (byte) 1 : (byte) 0);
    }
  }

  /** INT64 to FLOAT32. */
  public static void i64ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      long v = x.getAtIndex(JAVA_LONG, xo + i);
      y.setAtIndex(JAVA_FLOAT, yo + i, (float) v);
    }
  }

  /** INT64 to FLOAT64. */
  public static void i64ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      long v = x.getAtIndex(JAVA_LONG, xo + i);
      y.setAtIndex(JAVA_DOUBLE, yo + i, (double) v);
    }
  }

  /** INT64 to INT32. */
  public static void i64ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      long v = x.getAtIndex(JAVA_LONG, xo + i);
      y.setAtIndex(JAVA_INT, yo + i, (int) v);
    }
  }

  /** INT64 to BOOL. */
  public static void i64ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      long v = x.getAtIndex(JAVA_LONG, xo + i);
      y.set(JAVA_BYTE, yo + i, v != 0 ? (byte) 1 : (byte) 0);
    }
  }

  /** BOOL to FLOAT32. */
  public static void boolToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      byte v = x.get(JAVA_BYTE, xo + i);
      y.setAtIndex(JAVA_FLOAT, yo + i, v != 0 ? 1f : 0f);
    }
  }

  /** BOOL to FLOAT64. */
  public static void boolToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      byte v = x.get(JAVA_BYTE, xo + i);
      y.setAtIndex(JAVA_DOUBLE, yo + i, v != 0 ? 1.0 : 0.0);
    }
  }

  /** BOOL to INT32. */
  public static void boolToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      byte v = x.get(JAVA_BYTE, xo + i);
      y.setAtIndex(JAVA_INT, yo + i, v != 0 ? 1 : 0);
    }
  }

  /** BOOL to INT64. */
  public static void boolToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      byte v = x.get(JAVA_BYTE, xo + i);
      y.setAtIndex(JAVA_LONG, yo + i, v != 0 ? 1L : 0L);
    }
  }
}
