package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Elementwise comparison kernels writing BOOL bytes (0 or 1): {@code y[yo+i] = op(a[ao+i],
 * b[bo+i])} ({@code vv}), with the second operand one value ({@code vs}) or the first
 * ({@code sv}). Offsets and counts are in elements ({@code y} is bytes, so its offsets are byte
 * offsets too). Callers validate; kernels trust (and assert). BOOL operands compare with {@link
 * LogicKernels} ({@link LogicOp#XNOR} is equality).
 *
 * <p>Dispatches once per call to {@link CompareVector} or its scalar twin {@link CompareScalar}.
 */
public final class CompareKernels {
  private CompareKernels() {}

  private static final CompareOp[] OPS = CompareOp.values();

  // per site, the vector loop on synthetic operands, for the background warm-up (KernelWarmup)
  private static final ColdRouting COLD = ColdRouting.family("compare", 14, OPS.length)
      .warm(0, (k, n, s) -> CompareVector.f32vv(OPS[k], s.f32(0), 0, s.f32(1), 0, s.bool(2), 0, n))
      .warm(1, (k, n, s) -> CompareVector.f32vs(OPS[k], s.f32(0), 0, 1.5f, s.bool(2), 0, n))
      .warm(2, (k, n, s) -> CompareVector.f32sv(OPS[k], 1.5f, s.f32(1), 0, s.bool(2), 0, n))
      .warm(3, (k, n, s) -> CompareVector.f64vv(OPS[k], s.f64(0), 0, s.f64(1), 0, s.bool(2), 0, n))
      .warm(4, (k, n, s) -> CompareVector.f64vs(OPS[k], s.f64(0), 0, 1.5, s.bool(2), 0, n))
      .warm(5, (k, n, s) -> CompareVector.f64sv(OPS[k], 1.5, s.f64(1), 0, s.bool(2), 0, n))
      .warm(6, (k, n, s) -> CompareVector.i32vv(OPS[k], s.i32(0), 0, s.i32(1), 0, s.bool(2), 0, n))
      .warm(7, (k, n, s) -> CompareVector.i32vs(OPS[k], s.i32(0), 0, 3, s.bool(2), 0, n))
      .warm(8, (k, n, s) -> CompareVector.i32sv(OPS[k], 3, s.i32(1), 0, s.bool(2), 0, n))
      .warm(9, (k, n, s) -> CompareVector.i64vv(OPS[k], s.i64(0), 0, s.i64(1), 0, s.bool(2), 0, n))
      .warm(10, (k, n, s) -> CompareVector.i64vs(OPS[k], s.i64(0), 0, 3, s.bool(2), 0, n))
      .warm(11, (k, n, s) -> CompareVector.i64sv(OPS[k], 3, s.i64(1), 0, s.bool(2), 0, n))
      .warm(12, (k, n, s) -> CompareVector.anyI32(OPS[k], s.i32(0), 0, 9, n))
      .warm(13, (k, n, s) -> CompareVector.anyI64(OPS[k], s.i64(0), 0, 9, n));

  /** FLOAT32 {@code y[i] = op(a[i], b[i])}. */
  public static void f32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(0, op.ordinal(), n)) {
      CompareVector.f32vv(op, a, ao, b, bo, y, yo, n);
    } else {
      CompareScalar.f32vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** FLOAT32 {@code y[i] = op(a[i], b)}. */
  public static void f32vs(CompareOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    if (COLD.vector(1, op.ordinal(), n)) {
      CompareVector.f32vs(op, a, ao, b, y, yo, n);
    } else {
      CompareScalar.f32vs(op, a, ao, b, y, yo, n);
    }
  }

  /** FLOAT32 {@code y[i] = op(a, b[i])}. */
  public static void f32sv(CompareOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(2, op.ordinal(), n)) {
      CompareVector.f32sv(op, a, b, bo, y, yo, n);
    } else {
      CompareScalar.f32sv(op, a, b, bo, y, yo, n);
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b[i])}. */
  public static void f64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(3, op.ordinal(), n)) {
      CompareVector.f64vv(op, a, ao, b, bo, y, yo, n);
    } else {
      CompareScalar.f64vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b)}. */
  public static void f64vs(CompareOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    if (COLD.vector(4, op.ordinal(), n)) {
      CompareVector.f64vs(op, a, ao, b, y, yo, n);
    } else {
      CompareScalar.f64vs(op, a, ao, b, y, yo, n);
    }
  }

  /** FLOAT64 {@code y[i] = op(a, b[i])}. */
  public static void f64sv(CompareOp op, double a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(5, op.ordinal(), n)) {
      CompareVector.f64sv(op, a, b, bo, y, yo, n);
    } else {
      CompareScalar.f64sv(op, a, b, bo, y, yo, n);
    }
  }

  /** INT32 {@code y[i] = op(a[i], b[i])}. */
  public static void i32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(6, op.ordinal(), n)) {
      CompareVector.i32vv(op, a, ao, b, bo, y, yo, n);
    } else {
      CompareScalar.i32vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** INT32 {@code y[i] = op(a[i], b)}. */
  public static void i32vs(CompareOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    if (COLD.vector(7, op.ordinal(), n)) {
      CompareVector.i32vs(op, a, ao, b, y, yo, n);
    } else {
      CompareScalar.i32vs(op, a, ao, b, y, yo, n);
    }
  }

  /** INT32 {@code y[i] = op(a, b[i])}. */
  public static void i32sv(CompareOp op, int a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(8, op.ordinal(), n)) {
      CompareVector.i32sv(op, a, b, bo, y, yo, n);
    } else {
      CompareScalar.i32sv(op, a, b, bo, y, yo, n);
    }
  }

  /** INT64 {@code y[i] = op(a[i], b[i])}. */
  public static void i64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(9, op.ordinal(), n)) {
      CompareVector.i64vv(op, a, ao, b, bo, y, yo, n);
    } else {
      CompareScalar.i64vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** INT64 {@code y[i] = op(a[i], b)}. */
  public static void i64vs(CompareOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    if (COLD.vector(10, op.ordinal(), n)) {
      CompareVector.i64vs(op, a, ao, b, y, yo, n);
    } else {
      CompareScalar.i64vs(op, a, ao, b, y, yo, n);
    }
  }

  /** INT64 {@code y[i] = op(a, b[i])}. */
  public static void i64sv(CompareOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(11, op.ordinal(), n)) {
      CompareVector.i64sv(op, a, b, bo, y, yo, n);
    } else {
      CompareScalar.i64sv(op, a, b, bo, y, yo, n);
    }
  }

  /**
   * True if {@code op(x[i], v)} holds for any {@code i < n} (INT32): how ops find zero
   * divisors and negative exponents before they run.
   */
  public static boolean anyI32(CompareOp op, MemorySegment x, long xo, int v, long n) {
    assert n >= 0 && xo >= 0;
    return COLD.vector(12, op.ordinal(), n)
        ? CompareVector.anyI32(op, x, xo, v, n)
        : CompareScalar.anyI32(op, x, xo, v, n);
  }

  /**
   * True if {@code op(x[i], v)} holds for any {@code i < n} (INT64): how ops find zero
   * divisors and negative exponents before they run.
   */
  public static boolean anyI64(CompareOp op, MemorySegment x, long xo, long v, long n) {
    assert n >= 0 && xo >= 0;
    return COLD.vector(13, op.ordinal(), n)
        ? CompareVector.anyI64(op, x, xo, v, n)
        : CompareScalar.anyI64(op, x, xo, v, n);
  }
}
