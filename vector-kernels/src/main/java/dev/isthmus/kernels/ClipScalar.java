package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** The scalar reference twins of the clip kernels, and the path when the Vector API is off. */
public final class ClipScalar {
  private ClipScalar() {}

  /** FLOAT32 {@code max(min(v, hi), lo)}. */
  public static float apply(float v, float lo, float hi) {
    return Math.max(Math.min(v, hi), lo);
  }

  /** FLOAT32 clip loop. */
  public static void f32(MemorySegment x, long xo, float lo, float hi,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, apply(x.getAtIndex(JAVA_FLOAT, xo + i), lo, hi));
    }
  }

  /** FLOAT64 {@code max(min(v, hi), lo)}. */
  public static double apply(double v, double lo, double hi) {
    return Math.max(Math.min(v, hi), lo);
  }

  /** FLOAT64 clip loop. */
  public static void f64(MemorySegment x, long xo, double lo, double hi,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, apply(x.getAtIndex(JAVA_DOUBLE, xo + i), lo, hi));
    }
  }

  /** INT32 {@code max(min(v, hi), lo)}. */
  public static int apply(int v, int lo, int hi) {
    return Math.max(Math.min(v, hi), lo);
  }

  /** INT32 clip loop. */
  public static void i32(MemorySegment x, long xo, int lo, int hi,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, apply(x.getAtIndex(JAVA_INT, xo + i), lo, hi));
    }
  }

  /** INT64 {@code max(min(v, hi), lo)}. */
  public static long apply(long v, long lo, long hi) {
    return Math.max(Math.min(v, hi), lo);
  }

  /** INT64 clip loop. */
  public static void i64(MemorySegment x, long xo, long lo, long hi,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, apply(x.getAtIndex(JAVA_LONG, xo + i), lo, hi));
    }
  }
}
