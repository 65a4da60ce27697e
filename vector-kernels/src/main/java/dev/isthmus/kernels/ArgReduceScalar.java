package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the arg kernels: the index {@code k < n} of the largest (MAX) or
 * smallest (MIN) of {@code x[xo + k * stride]}, the first on ties. A NaN counts as beyond every
 * number for both MAX and MIN (numpy's rule, consistent with {@link Math#max} propagating NaN),
 * so the first NaN wins. BOOL orders false before true. {@code n} must be at least 1.
 *
 * <p>TensorFlow's CPU kernel (Eigen's arg reducer) leaves NaN to the order it visits elements
 * in; numpy's rule is the deterministic choice that agrees with MAX propagating NaN.
 */
public final class ArgReduceScalar {
  /** Element kinds for {@link #columns}. */
  static final int DT_F32 = 0, DT_F64 = 1, DT_I32 = 2, DT_I64 = 3, DT_BOOL = 4;

  private ArgReduceScalar() {}

  private static void check(ReduceOp op, long n) {
    assert n >= 1 : "arg reduction of an empty run";
    if (op != ReduceOp.MAX && op != ReduceOp.MIN) {
      throw new IllegalArgumentException("arg reductions take MAX or MIN, not " + op);
    }
  }

  /** FLOAT32 arg-{@code op} at stride {@code stride}. */
  public static long f32(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    check(op, n);
    boolean max = op == ReduceOp.MAX;
    float best = x.getAtIndex(JAVA_FLOAT, xo);
    long at = 0;
    for (long k = 1; k < n && best == best; k++) {
      float v = x.getAtIndex(JAVA_FLOAT, xo + k * stride);
      if (v != v || (max ? v > best : v < best)) {
        best = v;
        at = k;
      }
    }
    return at;
  }

  /** FLOAT64 arg-{@code op} at stride {@code stride}. */
  public static long f64(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    check(op, n);
    boolean max = op == ReduceOp.MAX;
    double best = x.getAtIndex(JAVA_DOUBLE, xo);
    long at = 0;
    for (long k = 1; k < n && best == best; k++) {
      double v = x.getAtIndex(JAVA_DOUBLE, xo + k * stride);
      if (v != v || (max ? v > best : v < best)) {
        best = v;
        at = k;
      }
    }
    return at;
  }

  /** INT32 arg-{@code op} at stride {@code stride}. */
  public static long i32(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    check(op, n);
    boolean max = op == ReduceOp.MAX;
    int best = x.getAtIndex(JAVA_INT, xo);
    long at = 0;
    for (long k = 1; k < n; k++) {
      int v = x.getAtIndex(JAVA_INT, xo + k * stride);
      if (max ? v > best : v < best) {
        best = v;
        at = k;
      }
    }
    return at;
  }

  /** INT64 arg-{@code op} at stride {@code stride}. */
  public static long i64(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    check(op, n);
    boolean max = op == ReduceOp.MAX;
    long best = x.getAtIndex(JAVA_LONG, xo);
    long at = 0;
    for (long k = 1; k < n; k++) {
      long v = x.getAtIndex(JAVA_LONG, xo + k * stride);
      if (max ? v > best : v < best) {
        best = v;
        at = k;
      }
    }
    return at;
  }

  /** BOOL arg-{@code op}: the first true (MAX) or false (MIN) byte, else 0. */
  public static long bool(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    check(op, n);
    boolean want = op == ReduceOp.MAX;
    for (long k = 0; k < n; k++) {
      if ((x.get(JAVA_BYTE, xo + k * stride) != 0) == want) {
        return k;
      }
    }
    return 0;
  }

  /** Outer form: {@code y[yo + j]} (INT64) is the arg-{@code op} of column {@code j}. */
  public static void f32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columns(DT_F32, op, x, xo, r, inner, 0, inner, y, yo);
  }

  /** FLOAT64 outer form. */
  public static void f64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columns(DT_F64, op, x, xo, r, inner, 0, inner, y, yo);
  }

  /** INT32 outer form. */
  public static void i32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columns(DT_I32, op, x, xo, r, inner, 0, inner, y, yo);
  }

  /** INT64 outer form. */
  public static void i64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columns(DT_I64, op, x, xo, r, inner, 0, inner, y, yo);
  }

  /** BOOL outer form. */
  public static void boolOuter(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    columns(DT_BOOL, op, x, xo, r, inner, 0, inner, y, yo);
  }

  /** Columns {@code [j0, j1)} of an outer arg reduction of element kind {@code dt}. */
  static void columns(int dt, ReduceOp op, MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      long at = switch (dt) {
        case DT_F32 -> f32(op, x, xo + j, r, inner);
        case DT_F64 -> f64(op, x, xo + j, r, inner);
        case DT_I32 -> i32(op, x, xo + j, r, inner);
        case DT_I64 -> i64(op, x, xo + j, r, inner);
        default -> bool(op, x, xo + j, r, inner);
      };
      y.setAtIndex(JAVA_LONG, yo + j, at);
    }
  }
}
