package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Elementwise binary kernels in three operand forms: {@code vv} ({@code y[yo+i] = op(a[ao+i],
 * b[bo+i])}), {@code vs} (the second operand one value: {@code op(a[ao+i], b)}) and {@code sv}
 * (the first operand one value), for {@code i < n}. Offsets and counts are in elements. {@code y}
 * may be {@code a} or {@code b} at the same offset (in place); no other overlap. Callers
 * validate; kernels trust (and assert). {@link BinaryScalar} specifies every operator.
 *
 * <p>Dispatches once per call to {@link BinaryVector} or its scalar twin {@link BinaryScalar}.
 */
public final class BinaryKernels {
  private BinaryKernels() {}

  private static final BinaryOp[] OPS = BinaryOp.values();

  // per site, the vector loop on synthetic operands, for the background warm-up (KernelWarmup)
  private static final ColdRouting COLD = ColdRouting.family("binary", 12, OPS.length)
      .warm(0, (k, n, s) -> BinaryVector.f32vv(OPS[k], s.f32(0), 0, s.f32(1), 0, s.f32(2), 0, n))
      .warm(1, (k, n, s) -> BinaryVector.f32vs(OPS[k], s.f32(0), 0, 1.5f, s.f32(2), 0, n))
      .warm(2, (k, n, s) -> BinaryVector.f32sv(OPS[k], 1.5f, s.f32(1), 0, s.f32(2), 0, n))
      .warm(3, (k, n, s) -> BinaryVector.f64vv(OPS[k], s.f64(0), 0, s.f64(1), 0, s.f64(2), 0, n))
      .warm(4, (k, n, s) -> BinaryVector.f64vs(OPS[k], s.f64(0), 0, 1.5, s.f64(2), 0, n))
      .warm(5, (k, n, s) -> BinaryVector.f64sv(OPS[k], 1.5, s.f64(1), 0, s.f64(2), 0, n))
      .warm(6, (k, n, s) -> BinaryVector.i32vv(OPS[k], s.i32(0), 0, s.i32(1), 0, s.i32(2), 0, n))
      .warm(7, (k, n, s) -> BinaryVector.i32vs(OPS[k], s.i32(0), 0, 3, s.i32(2), 0, n))
      .warm(8, (k, n, s) -> BinaryVector.i32sv(OPS[k], 3, s.i32(1), 0, s.i32(2), 0, n))
      .warm(9, (k, n, s) -> BinaryVector.i64vv(OPS[k], s.i64(0), 0, s.i64(1), 0, s.i64(2), 0, n))
      .warm(10, (k, n, s) -> BinaryVector.i64vs(OPS[k], s.i64(0), 0, 3, s.i64(2), 0, n))
      .warm(11, (k, n, s) -> BinaryVector.i64sv(OPS[k], 3, s.i64(1), 0, s.i64(2), 0, n));

  /** FLOAT32 {@code y[i] = op(a[i], b[i])}. */
  public static void f32vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(0, op.ordinal(), n)) {
      BinaryVector.f32vv(op, a, ao, b, bo, y, yo, n);
    } else {
      BinaryScalar.f32vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** FLOAT32 {@code y[i] = op(a[i], b)}. */
  public static void f32vs(BinaryOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    if (COLD.vector(1, op.ordinal(), n)) {
      BinaryVector.f32vs(op, a, ao, b, y, yo, n);
    } else {
      BinaryScalar.f32vs(op, a, ao, b, y, yo, n);
    }
  }

  /** FLOAT32 {@code y[i] = op(a, b[i])}. */
  public static void f32sv(BinaryOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(2, op.ordinal(), n)) {
      BinaryVector.f32sv(op, a, b, bo, y, yo, n);
    } else {
      BinaryScalar.f32sv(op, a, b, bo, y, yo, n);
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b[i])}. */
  public static void f64vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(3, op.ordinal(), n)) {
      BinaryVector.f64vv(op, a, ao, b, bo, y, yo, n);
    } else {
      BinaryScalar.f64vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** FLOAT64 {@code y[i] = op(a[i], b)}. */
  public static void f64vs(BinaryOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    if (COLD.vector(4, op.ordinal(), n)) {
      BinaryVector.f64vs(op, a, ao, b, y, yo, n);
    } else {
      BinaryScalar.f64vs(op, a, ao, b, y, yo, n);
    }
  }

  /** FLOAT64 {@code y[i] = op(a, b[i])}. */
  public static void f64sv(BinaryOp op, double a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    if (COLD.vector(5, op.ordinal(), n)) {
      BinaryVector.f64sv(op, a, b, bo, y, yo, n);
    } else {
      BinaryScalar.f64sv(op, a, b, bo, y, yo, n);
    }
  }

  /** INT32 {@code y[i] = op(a[i], b[i])}. */
  public static void i32vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    assert !op.floatingOnly() : op;
    if (COLD.vector(6, op.ordinal(), n)) {
      BinaryVector.i32vv(op, a, ao, b, bo, y, yo, n);
    } else {
      BinaryScalar.i32vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** INT32 {@code y[i] = op(a[i], b)}. */
  public static void i32vs(BinaryOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    assert !op.floatingOnly() : op;
    if (COLD.vector(7, op.ordinal(), n)) {
      BinaryVector.i32vs(op, a, ao, b, y, yo, n);
    } else {
      BinaryScalar.i32vs(op, a, ao, b, y, yo, n);
    }
  }

  /** INT32 {@code y[i] = op(a, b[i])}. */
  public static void i32sv(BinaryOp op, int a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    assert !op.floatingOnly() : op;
    if (COLD.vector(8, op.ordinal(), n)) {
      BinaryVector.i32sv(op, a, b, bo, y, yo, n);
    } else {
      BinaryScalar.i32sv(op, a, b, bo, y, yo, n);
    }
  }

  /** INT64 {@code y[i] = op(a[i], b[i])}. */
  public static void i64vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0;
    assert !op.floatingOnly() : op;
    if (COLD.vector(9, op.ordinal(), n)) {
      BinaryVector.i64vv(op, a, ao, b, bo, y, yo, n);
    } else {
      BinaryScalar.i64vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** INT64 {@code y[i] = op(a[i], b)}. */
  public static void i64vs(BinaryOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0;
    assert !op.floatingOnly() : op;
    if (COLD.vector(10, op.ordinal(), n)) {
      BinaryVector.i64vs(op, a, ao, b, y, yo, n);
    } else {
      BinaryScalar.i64vs(op, a, ao, b, y, yo, n);
    }
  }

  /** INT64 {@code y[i] = op(a, b[i])}. */
  public static void i64sv(BinaryOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && bo >= 0 && yo >= 0;
    assert !op.floatingOnly() : op;
    if (COLD.vector(11, op.ordinal(), n)) {
      BinaryVector.i64sv(op, a, b, bo, y, yo, n);
    } else {
      BinaryScalar.i64sv(op, a, b, bo, y, yo, n);
    }
  }
}
