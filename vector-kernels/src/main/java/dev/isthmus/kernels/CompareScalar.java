package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the comparison kernels (Java's operators: every comparison with
 * NaN is false but {@code !=}), and the path that runs when the Vector API is off. Each result is
 * one BOOL byte, 0 or 1.
 */
public final class CompareScalar {
  private CompareScalar() {}

  /** {@code op(a, b)} in FLOAT32. */
  public static boolean apply(CompareOp op, float a, float b) {
    return switch (op) {
      case EQUAL -> a == b;
      case NOT_EQUAL -> a != b;
      case LESS -> a < b;
      case LESS_EQUAL -> a <= b;
      case GREATER -> a > b;
      case GREATER_EQUAL -> a >= b;
    };
  }

  /** {@code op(a, b)} in FLOAT64. */
  public static boolean apply(CompareOp op, double a, double b) {
    return switch (op) {
      case EQUAL -> a == b;
      case NOT_EQUAL -> a != b;
      case LESS -> a < b;
      case LESS_EQUAL -> a <= b;
      case GREATER -> a > b;
      case GREATER_EQUAL -> a >= b;
    };
  }

  /** {@code op(a, b)} in INT32. */
  public static boolean apply(CompareOp op, int a, int b) {
    return switch (op) {
      case EQUAL -> a == b;
      case NOT_EQUAL -> a != b;
      case LESS -> a < b;
      case LESS_EQUAL -> a <= b;
      case GREATER -> a > b;
      case GREATER_EQUAL -> a >= b;
    };
  }

  /** {@code op(a, b)} in INT64. */
  public static boolean apply(CompareOp op, long a, long b) {
    return switch (op) {
      case EQUAL -> a == b;
      case NOT_EQUAL -> a != b;
      case LESS -> a < b;
      case LESS_EQUAL -> a <= b;
      case GREATER -> a > b;
      case GREATER_EQUAL -> a >= b;
    };
  }

  /** FLOAT32 {@code y[i] = op(a[i], b[i])}. */
  public static void f32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_FLOAT, ao + i), b.getAtIndex(JAVA_FLOAT, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** FLOAT32 {@code y[i] = op(a[i], b)}. */
  public static void f32vs(CompareOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_FLOAT, ao + i), b);
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** FLOAT32 {@code y[i] = op(a, b[i])}. */
  public static void f32sv(CompareOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a, b.getAtIndex(JAVA_FLOAT, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b[i])}. */
  public static void f64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_DOUBLE, ao + i), b.getAtIndex(JAVA_DOUBLE, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b)}. */
  public static void f64vs(CompareOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_DOUBLE, ao + i), b);
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** FLOAT64 {@code y[i] = op(a, b[i])}. */
  public static void f64sv(CompareOp op, double a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a, b.getAtIndex(JAVA_DOUBLE, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** INT32 {@code y[i] = op(a[i], b[i])}. */
  public static void i32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_INT, ao + i), b.getAtIndex(JAVA_INT, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** INT32 {@code y[i] = op(a[i], b)}. */
  public static void i32vs(CompareOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_INT, ao + i), b);
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** INT32 {@code y[i] = op(a, b[i])}. */
  public static void i32sv(CompareOp op, int a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a, b.getAtIndex(JAVA_INT, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** INT64 {@code y[i] = op(a[i], b[i])}. */
  public static void i64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_LONG, ao + i), b.getAtIndex(JAVA_LONG, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** INT64 {@code y[i] = op(a[i], b)}. */
  public static void i64vs(CompareOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a.getAtIndex(JAVA_LONG, ao + i), b);
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** INT64 {@code y[i] = op(a, b[i])}. */
  public static void i64sv(CompareOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      boolean r = apply(op, a, b.getAtIndex(JAVA_LONG, bo + i));
      y.set(JAVA_BYTE, yo + i, r ? (byte) 1 : (byte) 0);
    }
  }

  /** True if {@code op(x[i], v)} holds for any {@code i < n} (INT32). */
  public static boolean anyI32(CompareOp op, MemorySegment x, long xo, int v, long n) {
    for (long i = 0; i < n; i++) {
      if (apply(op, x.getAtIndex(JAVA_INT, xo + i), v)) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code op(x[i], v)} holds for any {@code i < n} (INT64). */
  public static boolean anyI64(CompareOp op, MemorySegment x, long xo, long v, long n) {
    for (long i = 0; i < n; i++) {
      if (apply(op, x.getAtIndex(JAVA_LONG, xo + i), v)) {
        return true;
      }
    }
    return false;
  }
}
