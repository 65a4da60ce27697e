package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Conversion kernels, {@code y[yo+i] = (To) x[xo+i]}, one per pair of distinct dtypes (a cast to
 * the same dtype is no kernel). Semantics are Java's casts: float to integer truncates toward
 * zero, NaN becomes 0 and out-of-range values saturate to the integer's MIN/MAX; INT64 to INT32
 * keeps the low 32 bits; to BOOL is {@code x != 0} (NaN is true); BOOL to a number is 0 or 1.
 * {@link CastScalar} specifies each.
 *
 * <p>Vectorised: FLOAT32 to and from FLOAT64 and INT32, INT32 to and from INT64 and FLOAT64, BOOL
 * to anything, anything to BOOL (as a comparison with 0). The INT64 to and from float pairs need
 * AVX-512DQ in hardware and run their scalar twins.
 */
public final class CastKernels {
  private CastKernels() {}

  // per site, the vector loop on synthetic operands, for the background warm-up (KernelWarmup)
  private static final ColdRouting COLD = ColdRouting.family("cast", 12, 1)
      .warm(0, (k, n, s) -> CastVector.f32ToF64(s.f32(0), 0, s.f64(2), 0, n))
      .warm(1, (k, n, s) -> CastVector.f32ToI32(s.f32(0), 0, s.i32(2), 0, n))
      .warm(2, (k, n, s) -> CastVector.f64ToF32(s.f64(0), 0, s.f32(2), 0, n))
      .warm(3, (k, n, s) -> CastVector.f64ToI32(s.f64(0), 0, s.i32(2), 0, n))
      .warm(4, (k, n, s) -> CastVector.i32ToF32(s.i32(0), 0, s.f32(2), 0, n))
      .warm(5, (k, n, s) -> CastVector.i32ToF64(s.i32(0), 0, s.f64(2), 0, n))
      .warm(6, (k, n, s) -> CastVector.i32ToI64(s.i32(0), 0, s.i64(2), 0, n))
      .warm(7, (k, n, s) -> CastVector.i64ToI32(s.i64(0), 0, s.i32(2), 0, n))
      .warm(8, (k, n, s) -> CastVector.boolToF32(s.bool(0), 0, s.f32(2), 0, n))
      .warm(9, (k, n, s) -> CastVector.boolToF64(s.bool(0), 0, s.f64(2), 0, n))
      .warm(10, (k, n, s) -> CastVector.boolToI32(s.bool(0), 0, s.i32(2), 0, n))
      .warm(11, (k, n, s) -> CastVector.boolToI64(s.bool(0), 0, s.i64(2), 0, n));

  /** FLOAT32 to FLOAT64. */
  public static void f32ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(0, 0, n)) {
      CastVector.f32ToF64(x, xo, y, yo, n);
    } else {
      CastScalar.f32ToF64(x, xo, y, yo, n);
    }
  }

  /** FLOAT32 to INT32. */
  public static void f32ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(1, 0, n)) {
      CastVector.f32ToI32(x, xo, y, yo, n);
    } else {
      CastScalar.f32ToI32(x, xo, y, yo, n);
    }
  }

  /** FLOAT32 to INT64. */
  public static void f32ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CastScalar.f32ToI64(x, xo, y, yo, n);
  }

  /** FLOAT32 to BOOL. */
  public static void f32ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CompareKernels.f32vs(CompareOp.NOT_EQUAL, x, xo, 0f, y, yo, n);
  }

  /** FLOAT64 to FLOAT32. */
  public static void f64ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(2, 0, n)) {
      CastVector.f64ToF32(x, xo, y, yo, n);
    } else {
      CastScalar.f64ToF32(x, xo, y, yo, n);
    }
  }

  /** FLOAT64 to INT32. */
  public static void f64ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(3, 0, n)) {
      CastVector.f64ToI32(x, xo, y, yo, n);
    } else {
      CastScalar.f64ToI32(x, xo, y, yo, n);
    }
  }

  /** FLOAT64 to INT64. */
  public static void f64ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CastScalar.f64ToI64(x, xo, y, yo, n);
  }

  /** FLOAT64 to BOOL. */
  public static void f64ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CompareKernels.f64vs(CompareOp.NOT_EQUAL, x, xo, 0.0, y, yo, n);
  }

  /** INT32 to FLOAT32. */
  public static void i32ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(4, 0, n)) {
      CastVector.i32ToF32(x, xo, y, yo, n);
    } else {
      CastScalar.i32ToF32(x, xo, y, yo, n);
    }
  }

  /** INT32 to FLOAT64. */
  public static void i32ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(5, 0, n)) {
      CastVector.i32ToF64(x, xo, y, yo, n);
    } else {
      CastScalar.i32ToF64(x, xo, y, yo, n);
    }
  }

  /** INT32 to INT64. */
  public static void i32ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(6, 0, n)) {
      CastVector.i32ToI64(x, xo, y, yo, n);
    } else {
      CastScalar.i32ToI64(x, xo, y, yo, n);
    }
  }

  /** INT32 to BOOL. */
  public static void i32ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CompareKernels.i32vs(CompareOp.NOT_EQUAL, x, xo, 0, y, yo, n);
  }

  /** INT64 to FLOAT32. */
  public static void i64ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CastScalar.i64ToF32(x, xo, y, yo, n);
  }

  /** INT64 to FLOAT64. */
  public static void i64ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CastScalar.i64ToF64(x, xo, y, yo, n);
  }

  /** INT64 to INT32. */
  public static void i64ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(7, 0, n)) {
      CastVector.i64ToI32(x, xo, y, yo, n);
    } else {
      CastScalar.i64ToI32(x, xo, y, yo, n);
    }
  }

  /** INT64 to BOOL. */
  public static void i64ToBool(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    CompareKernels.i64vs(CompareOp.NOT_EQUAL, x, xo, 0L, y, yo, n);
  }

  /** BOOL to FLOAT32. */
  public static void boolToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(8, 0, n)) {
      CastVector.boolToF32(x, xo, y, yo, n);
    } else {
      CastScalar.boolToF32(x, xo, y, yo, n);
    }
  }

  /** BOOL to FLOAT64. */
  public static void boolToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(9, 0, n)) {
      CastVector.boolToF64(x, xo, y, yo, n);
    } else {
      CastScalar.boolToF64(x, xo, y, yo, n);
    }
  }

  /** BOOL to INT32. */
  public static void boolToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(10, 0, n)) {
      CastVector.boolToI32(x, xo, y, yo, n);
    } else {
      CastScalar.boolToI32(x, xo, y, yo, n);
    }
  }

  /** BOOL to INT64. */
  public static void boolToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (COLD.vector(11, 0, n)) {
      CastVector.boolToI64(x, xo, y, yo, n);
    } else {
      CastScalar.boolToI64(x, xo, y, yo, n);
    }
  }
}
