package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the reduction kernels: the specification the vector loops are
 * held to, and the path that runs when the Vector API is off.
 *
 * <p>Every reduction here reads {@code n} elements {@code x[xo + k * stride]}: stride 1 is the
 * "inner" form (a contiguous run), stride {@code inner} walks one column of the "outer" form.
 * Floating sums are pairwise over leaves of {@value #SUM_LEAF} elements, each leaf summed with
 * four interleaved accumulators, so the rounding error grows with {@code log2 n}, not {@code n}
 * (see {@link ReduceKernels#sumErrorFactorF32}). MAX and MIN propagate NaN as {@link Math#max}.
 */
public final class ReduceScalar {
  /** Elements per leaf of the scalar pairwise sum. */
  static final long SUM_LEAF = 128;

  private ReduceScalar() {}

  private static IllegalArgumentException unsupported(ReduceOp op, String dtype) {
    return new IllegalArgumentException(op + " is not a " + dtype + " reduction");
  }

  // ---------------------------------------------------------------- FLOAT32

  /** FLOAT32 {@code op} over the {@code n} contiguous elements at {@code xo}. */
  public static float f32(ReduceOp op, MemorySegment x, long xo, long n) {
    return f32(op, x, xo, n, 1);
  }

  /** FLOAT32 {@code op} over {@code x[xo + k * stride]}, {@code k < n}. */
  public static float f32(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    switch (op) {
      case SUM:
        return sumF32(x, xo, n, stride);
      case PROD: {
        float p = 1;
        for (long k = 0; k < n; k++) {
          p *= x.getAtIndex(JAVA_FLOAT, xo + k * stride);
        }
        return p;
      }
      case MAX: {
        float m = Float.NEGATIVE_INFINITY;
        for (long k = 0; k < n; k++) {
          m = Math.max(m, x.getAtIndex(JAVA_FLOAT, xo + k * stride));
        }
        return m;
      }
      case MIN: {
        float m = Float.POSITIVE_INFINITY;
        for (long k = 0; k < n; k++) {
          m = Math.min(m, x.getAtIndex(JAVA_FLOAT, xo + k * stride));
        }
        return m;
      }
      default:
        throw unsupported(op, "float32");
    }
  }

  // Pairwise over leaves: the left half gets half the leaves (rounded down).
  private static float sumF32(MemorySegment x, long xo, long n, long stride) {
    if (n <= SUM_LEAF) {
      return leafSumF32(x, xo, n, stride);
    }
    long h = ((n + SUM_LEAF - 1) / SUM_LEAF / 2) * SUM_LEAF;
    return sumF32(x, xo, h, stride) + sumF32(x, xo + h * stride, n - h, stride);
  }

  private static float leafSumF32(MemorySegment x, long xo, long n, long stride) {
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    long k = 0;
    for (; k + 4 <= n; k += 4) {
      long o = xo + k * stride;
      a0 += x.getAtIndex(JAVA_FLOAT, o);
      a1 += x.getAtIndex(JAVA_FLOAT, o + stride);
      a2 += x.getAtIndex(JAVA_FLOAT, o + 2 * stride);
      a3 += x.getAtIndex(JAVA_FLOAT, o + 3 * stride);
    }
    for (; k < n; k++) {
      a0 += x.getAtIndex(JAVA_FLOAT, xo + k * stride);
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** FLOAT32 outer form: {@code y[yo + j] = op over k < r of x[xo + k * inner + j]}. */
  public static void f32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    f32Columns(op, x, xo, r, inner, 0, inner, y, yo);
  }

  /** Columns {@code [j0, j1)} of {@link #f32Outer}; the vector loops' tail. */
  static void f32Columns(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      y.setAtIndex(JAVA_FLOAT, yo + j, f32(op, x, xo + j, r, inner));
    }
  }

  // ---------------------------------------------------------------- FLOAT64

  /** FLOAT64 {@code op} over the {@code n} contiguous elements at {@code xo}. */
  public static double f64(ReduceOp op, MemorySegment x, long xo, long n) {
    return f64(op, x, xo, n, 1);
  }

  /** FLOAT64 {@code op} over {@code x[xo + k * stride]}, {@code k < n}. */
  public static double f64(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    switch (op) {
      case SUM:
        return sumF64(x, xo, n, stride);
      case PROD: {
        double p = 1;
        for (long k = 0; k < n; k++) {
          p *= x.getAtIndex(JAVA_DOUBLE, xo + k * stride);
        }
        return p;
      }
      case MAX: {
        double m = Double.NEGATIVE_INFINITY;
        for (long k = 0; k < n; k++) {
          m = Math.max(m, x.getAtIndex(JAVA_DOUBLE, xo + k * stride));
        }
        return m;
      }
      case MIN: {
        double m = Double.POSITIVE_INFINITY;
        for (long k = 0; k < n; k++) {
          m = Math.min(m, x.getAtIndex(JAVA_DOUBLE, xo + k * stride));
        }
        return m;
      }
      default:
        throw unsupported(op, "float64");
    }
  }

  private static double sumF64(MemorySegment x, long xo, long n, long stride) {
    if (n <= SUM_LEAF) {
      return leafSumF64(x, xo, n, stride);
    }
    long h = ((n + SUM_LEAF - 1) / SUM_LEAF / 2) * SUM_LEAF;
    return sumF64(x, xo, h, stride) + sumF64(x, xo + h * stride, n - h, stride);
  }

  private static double leafSumF64(MemorySegment x, long xo, long n, long stride) {
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    long k = 0;
    for (; k + 4 <= n; k += 4) {
      long o = xo + k * stride;
      a0 += x.getAtIndex(JAVA_DOUBLE, o);
      a1 += x.getAtIndex(JAVA_DOUBLE, o + stride);
      a2 += x.getAtIndex(JAVA_DOUBLE, o + 2 * stride);
      a3 += x.getAtIndex(JAVA_DOUBLE, o + 3 * stride);
    }
    for (; k < n; k++) {
      a0 += x.getAtIndex(JAVA_DOUBLE, xo + k * stride);
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** FLOAT64 outer form. */
  public static void f64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    f64Columns(op, x, xo, r, inner, 0, inner, y, yo);
  }

  static void f64Columns(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      y.setAtIndex(JAVA_DOUBLE, yo + j, f64(op, x, xo + j, r, inner));
    }
  }

  // ---------------------------------------------------------------- INT32 / INT64

  /** INT32 {@code op} over the {@code n} contiguous elements at {@code xo}; wraps on overflow. */
  public static int i32(ReduceOp op, MemorySegment x, long xo, long n) {
    return i32(op, x, xo, n, 1);
  }

  /** INT32 {@code op} over {@code x[xo + k * stride]}, {@code k < n}. */
  public static int i32(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    int acc = switch (op) {
      case SUM -> 0;
      case PROD -> 1;
      case MAX -> Integer.MIN_VALUE;
      case MIN -> Integer.MAX_VALUE;
      default -> throw unsupported(op, "int32");
    };
    for (long k = 0; k < n; k++) {
      int v = x.getAtIndex(JAVA_INT, xo + k * stride);
      acc = switch (op) {
        case SUM -> acc + v;
        case PROD -> acc * v;
        case MAX -> Math.max(acc, v);
        default -> Math.min(acc, v);
      };
    }
    return acc;
  }

  /** INT32 outer form. */
  public static void i32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    i32Columns(op, x, xo, r, inner, 0, inner, y, yo);
  }

  static void i32Columns(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      y.setAtIndex(JAVA_INT, yo + j, i32(op, x, xo + j, r, inner));
    }
  }

  /** INT64 {@code op} over the {@code n} contiguous elements at {@code xo}; wraps on overflow. */
  public static long i64(ReduceOp op, MemorySegment x, long xo, long n) {
    return i64(op, x, xo, n, 1);
  }

  /** INT64 {@code op} over {@code x[xo + k * stride]}, {@code k < n}. */
  public static long i64(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    long acc = switch (op) {
      case SUM -> 0;
      case PROD -> 1;
      case MAX -> Long.MIN_VALUE;
      case MIN -> Long.MAX_VALUE;
      default -> throw unsupported(op, "int64");
    };
    for (long k = 0; k < n; k++) {
      long v = x.getAtIndex(JAVA_LONG, xo + k * stride);
      acc = switch (op) {
        case SUM -> acc + v;
        case PROD -> acc * v;
        case MAX -> Math.max(acc, v);
        default -> Math.min(acc, v);
      };
    }
    return acc;
  }

  /** INT64 outer form. */
  public static void i64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    i64Columns(op, x, xo, r, inner, 0, inner, y, yo);
  }

  static void i64Columns(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      y.setAtIndex(JAVA_LONG, yo + j, i64(op, x, xo + j, r, inner));
    }
  }

  /** The INT64 sum of {@code n} INT32 elements at stride {@code stride} (no INT32 wrap-around). */
  public static long i32Wide(MemorySegment x, long xo, long n, long stride) {
    long s = 0;
    for (long k = 0; k < n; k++) {
      s += x.getAtIndex(JAVA_INT, xo + k * stride);
    }
    return s;
  }

  /** Outer form of {@link #i32Wide}: INT32 in, INT64 {@code y}. */
  public static void i32WideOuter(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    i32WideColumns(x, xo, r, inner, 0, inner, y, yo);
  }

  static void i32WideColumns(MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      y.setAtIndex(JAVA_LONG, yo + j, i32Wide(x, xo + j, r, inner));
    }
  }

  // ---------------------------------------------------------------- BOOL

  /** ALL or ANY over {@code n} BOOL bytes (0 or 1) at stride {@code stride}. */
  public static boolean bool(ReduceOp op, MemorySegment x, long xo, long n, long stride) {
    boolean any = switch (op) {
      case ALL -> false;
      case ANY -> true;
      default -> throw unsupported(op, "bool");
    };
    // ALL looks for a 0, ANY for a 1; either stops at the first.
    for (long k = 0; k < n; k++) {
      if ((x.get(JAVA_BYTE, xo + k * stride) != 0) == any) {
        return any;
      }
    }
    return !any;
  }

  /** Outer form of {@link #bool}: {@code y} holds BOOL bytes. */
  public static void boolOuter(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    boolColumns(op, x, xo, r, inner, 0, inner, y, yo);
  }

  static void boolColumns(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      long j0, long j1, MemorySegment y, long yo) {
    for (long j = j0; j < j1; j++) {
      y.set(JAVA_BYTE, yo + j, (byte) (bool(op, x, xo + j, r, inner) ? 1 : 0));
    }
  }

  // ---------------------------------------------------------------- mean

  /** {@code y[yo + i] /= d} in FLOAT32, for {@code i < n}. */
  public static void divF32(MemorySegment y, long yo, long n, float d) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, y.getAtIndex(JAVA_FLOAT, yo + i) / d);
    }
  }

  /** {@code y[yo + i] /= d} in FLOAT64, for {@code i < n}. */
  public static void divF64(MemorySegment y, long yo, long n, double d) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, y.getAtIndex(JAVA_DOUBLE, yo + i) / d);
    }
  }

  /**
   * Integer mean from INT64 sums: {@code y[yo + i] = s[so + i] / count}, truncating toward zero
   * (0 when {@code count} is 0), into INT64 ({@code toInt32} false) or INT32.
   */
  public static void meanFromI64(MemorySegment s, long so, MemorySegment y, long yo, long n,
      long count, boolean toInt32) {
    for (long i = 0; i < n; i++) {
      long m = count == 0 ? 0 : s.getAtIndex(JAVA_LONG, so + i) / count;
      if (toInt32) {
        y.setAtIndex(JAVA_INT, yo + i, (int) m);
      } else {
        y.setAtIndex(JAVA_LONG, yo + i, m);
      }
    }
  }
}
