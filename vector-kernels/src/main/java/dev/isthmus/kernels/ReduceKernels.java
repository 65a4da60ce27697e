package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Reduction kernels, in two forms. Offsets and counts are in elements. Callers validate; kernels
 * trust (and assert).
 *
 * <ul>
 *   <li>Inner: a contiguous run {@code x[xo, xo + n)} to one value ({@code f32}, {@code i64},
 *       ...). An empty run gives the identity: SUM 0, PROD 1, MAX the lowest value (-inf), MIN
 *       the highest (+inf), ALL true, ANY false.
 *   <li>Outer: an {@code [r, inner]} block to {@code inner} values, {@code y[yo + j] = op over k
 *       < r of x[xo + k * inner + j]}, vectorised along the contiguous {@code j} ({@code
 *       f32Outer}, ...). With {@code r == 0} every column gets the identity.
 * </ul>
 *
 * <p>MAX and MIN propagate NaN (as {@link Math#max}, and as TensorFlow 2.4+ does). Integer SUM
 * and PROD wrap. The arg kernels return the index of the first maximum (or minimum), with NaN
 * beyond every number (numpy's rule); see {@link ArgReduceScalar}.
 *
 * <p><b>Floating sum accuracy.</b> Sums are pairwise over leaves (blocks of 8 x 16 vectors,
 * each summed by eight accumulators, on the vector path, see {@link ReduceSumVector}; 128
 * elements, four accumulators, on the scalar path; 64 rows in the outer form). Every element
 * therefore passes through at most {@code D(n)} rounded additions, and the computed sum {@code
 * s} of {@code n} finite elements (without overflow) satisfies
 *
 * <pre>  |s - sum x| &lt;= D(n) * eps * sum |x|,   D(n) = max(lanes, 16) + 20 + ceil(log2 n)</pre>
 *
 * <p>where {@code eps} is the machine epsilon ({@code 2^-23} for FLOAT32, {@code 2^-52} for
 * FLOAT64) and {@code lanes} the species length ({@link #sumErrorFactorF32} returns {@code
 * D(n)}). The growth is logarithmic: a plain running sum's bound is {@code (n - 1) * eps / 2}.
 *
 * <p>Each call dispatches once to the Vector API loops or their scalar twins ({@link
 * ReduceScalar}, {@link ArgReduceScalar}).
 */
public final class ReduceKernels {
  private ReduceKernels() {}

  private static final ReduceOp[] OPS = ReduceOp.values();

  // per site, the vector loop on synthetic operands, for the background warm-up (KernelWarmup);
  // the outer forms (sites 6-11, 17-20) switch at the threshold without one
  private static final ColdRouting COLD = ColdRouting.family("reduce", 23, OPS.length)
      .warm(0, (k, n, s) -> ReduceVector.f32(OPS[k], s.f32(0), 0, n))
      .warm(1, (k, n, s) -> ReduceVector.f64(OPS[k], s.f64(0), 0, n))
      .warm(2, (k, n, s) -> ReduceIntVector.i32(OPS[k], s.i32(0), 0, n))
      .warm(3, (k, n, s) -> ReduceIntVector.i64(OPS[k], s.i64(0), 0, n))
      .warm(4, (k, n, s) -> ReduceIntVector.i32Wide(s.i32(0), 0, n))
      .warm(5, (k, n, s) -> ReduceIntVector.bool(OPS[k], s.bool(0), 0, n))
      .warm(12, (k, n, s) -> ArgReduceVector.f32(OPS[k], s.f32(0), 0, n))
      .warm(13, (k, n, s) -> ArgReduceVector.f64(OPS[k], s.f64(0), 0, n))
      .warm(14, (k, n, s) -> ArgReduceVector.i32(OPS[k], s.i32(0), 0, n))
      .warm(15, (k, n, s) -> ArgReduceVector.i64(OPS[k], s.i64(0), 0, n))
      .warm(16, (k, n, s) -> ArgReduceVector.bool(OPS[k], s.bool(0), 0, n))
      .warm(21, (k, n, s) -> ReduceVector.divF32(s.f32(2), 0, n, 1f))
      .warm(22, (k, n, s) -> ReduceVector.divF64(s.f64(2), 0, n, 1.0));

  private static void check(long xo, long n) {
    assert n >= 0 && xo >= 0 : "negative offset or count";
  }

  private static void check(long xo, long r, long inner, long yo) {
    assert xo >= 0 && r >= 0 && inner >= 0 && yo >= 0 : "negative offset or count";
  }

  /**
   * {@code D(n)} of the floating sum error bound above, for FLOAT32 on the current path: {@code
   * |s - sum x| <= sumErrorFactorF32(n) * 2^-23 * sum |x|}.
   */
  public static long sumErrorFactorF32(long n) {
    return sumErrorFactor(n, Simd.floatLanes());
  }

  /** {@code D(n)} for FLOAT64: {@code |s - sum x| <= sumErrorFactorF64(n) * 2^-52 * sum |x|}. */
  public static long sumErrorFactorF64(long n) {
    return sumErrorFactor(n, Simd.doubleLanes());
  }

  private static long sumErrorFactor(long n, int lanes) {
    long ceilLog2 = n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    return Math.max(lanes, 16) + 20 + ceilLog2;
  }

  // ---------------------------------------------------------------- inner

  /** FLOAT32 SUM, PROD, MAX or MIN of {@code x[xo, xo + n)} (tf.reduce_sum and friends). */
  public static float f32(ReduceOp op, MemorySegment x, long xo, long n) {
    check(xo, n);
    return COLD.vector(0, op.ordinal(), n)
        ? ReduceVector.f32(op, x, xo, n) : ReduceScalar.f32(op, x, xo, n);
  }

  /** FLOAT64 SUM, PROD, MAX or MIN of {@code x[xo, xo + n)}. */
  public static double f64(ReduceOp op, MemorySegment x, long xo, long n) {
    check(xo, n);
    return COLD.vector(1, op.ordinal(), n)
        ? ReduceVector.f64(op, x, xo, n) : ReduceScalar.f64(op, x, xo, n);
  }

  /** INT32 SUM, PROD, MAX or MIN of {@code x[xo, xo + n)}; SUM and PROD wrap. */
  public static int i32(ReduceOp op, MemorySegment x, long xo, long n) {
    check(xo, n);
    return COLD.vector(2, op.ordinal(), n)
        ? ReduceIntVector.i32(op, x, xo, n) : ReduceScalar.i32(op, x, xo, n);
  }

  /** INT64 SUM, PROD, MAX or MIN of {@code x[xo, xo + n)}; SUM and PROD wrap. */
  public static long i64(ReduceOp op, MemorySegment x, long xo, long n) {
    check(xo, n);
    return COLD.vector(3, op.ordinal(), n)
        ? ReduceIntVector.i64(op, x, xo, n) : ReduceScalar.i64(op, x, xo, n);
  }

  /** The INT64 sum of the INT32 elements {@code x[xo, xo + n)} (INT32 mean's accumulator). */
  public static long i32Wide(MemorySegment x, long xo, long n) {
    check(xo, n);
    return COLD.vector(4, 0, n)
        ? ReduceIntVector.i32Wide(x, xo, n) : ReduceScalar.i32Wide(x, xo, n, 1);
  }

  /** ALL or ANY of the BOOL bytes (0 or 1) {@code x[xo, xo + n)}; stops early. */
  public static boolean bool(ReduceOp op, MemorySegment x, long xo, long n) {
    check(xo, n);
    return COLD.vector(5, op.ordinal(), n)
        ? ReduceIntVector.bool(op, x, xo, n) : ReduceScalar.bool(op, x, xo, n, 1);
  }

  // ---------------------------------------------------------------- outer

  // Each outer form has a column-range twin (...OuterColumns): the columns [0, cols) of
  // an [r, stride] block, y[yo + j] = op over k < r of x[xo + k * stride + j], so that a caller
  // can split the columns of one block between threads. A column's result does not depend on how
  // the columns are split when every split point is a multiple of the lanes: each column is then
  // computed by a vector lane, or by the scalar tail, exactly as in one call over all of them.

  /** FLOAT32 outer form: {@code y[yo + j] = op over k < r of x[xo + k * inner + j], j < inner}. */
  public static void f32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    f32OuterColumns(op, x, xo, r, inner, inner, y, yo);
  }

  /** Columns {@code [0, cols)} of {@link #f32Outer} over an {@code [r, stride]} block. */
  public static void f32OuterColumns(ReduceOp op, MemorySegment x, long xo, long r, long stride,
      long cols, MemorySegment y, long yo) {
    check(xo, r, stride, yo);
    assert cols >= 0 && cols <= stride : "columns beyond the stride";
    if (COLD.vector(6, op.ordinal(), r * cols)) {
      ReduceOuterVector.f32(op, x, xo, r, stride, cols, y, yo);
    } else {
      ReduceScalar.f32Columns(op, x, xo, r, stride, 0, cols, y, yo);
    }
  }

  /** FLOAT64 outer form. */
  public static void f64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    f64OuterColumns(op, x, xo, r, inner, inner, y, yo);
  }

  /** Columns {@code [0, cols)} of {@link #f64Outer} over an {@code [r, stride]} block. */
  public static void f64OuterColumns(ReduceOp op, MemorySegment x, long xo, long r, long stride,
      long cols, MemorySegment y, long yo) {
    check(xo, r, stride, yo);
    assert cols >= 0 && cols <= stride : "columns beyond the stride";
    if (COLD.vector(7, op.ordinal(), r * cols)) {
      ReduceOuterVector.f64(op, x, xo, r, stride, cols, y, yo);
    } else {
      ReduceScalar.f64Columns(op, x, xo, r, stride, 0, cols, y, yo);
    }
  }

  /** INT32 outer form (wrapping). */
  public static void i32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    i32OuterColumns(op, x, xo, r, inner, inner, y, yo);
  }

  /** Columns {@code [0, cols)} of {@link #i32Outer} over an {@code [r, stride]} block. */
  public static void i32OuterColumns(ReduceOp op, MemorySegment x, long xo, long r, long stride,
      long cols, MemorySegment y, long yo) {
    check(xo, r, stride, yo);
    assert cols >= 0 && cols <= stride : "columns beyond the stride";
    if (COLD.vector(8, op.ordinal(), r * cols)) {
      ReduceOuterIntVector.i32(op, x, xo, r, stride, cols, y, yo);
    } else {
      ReduceScalar.i32Columns(op, x, xo, r, stride, 0, cols, y, yo);
    }
  }

  /** INT64 outer form (wrapping). */
  public static void i64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    i64OuterColumns(op, x, xo, r, inner, inner, y, yo);
  }

  /** Columns {@code [0, cols)} of {@link #i64Outer} over an {@code [r, stride]} block. */
  public static void i64OuterColumns(ReduceOp op, MemorySegment x, long xo, long r, long stride,
      long cols, MemorySegment y, long yo) {
    check(xo, r, stride, yo);
    assert cols >= 0 && cols <= stride : "columns beyond the stride";
    if (COLD.vector(9, op.ordinal(), r * cols)) {
      ReduceOuterIntVector.i64(op, x, xo, r, stride, cols, y, yo);
    } else {
      ReduceScalar.i64Columns(op, x, xo, r, stride, 0, cols, y, yo);
    }
  }

  /** Outer form of {@link #i32Wide}: INT32 {@code x}, INT64 {@code y}. */
  public static void i32WideOuter(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    i32WideOuterColumns(x, xo, r, inner, inner, y, yo);
  }

  /** Columns {@code [0, cols)} of {@link #i32WideOuter} over an {@code [r, stride]} block. */
  public static void i32WideOuterColumns(MemorySegment x, long xo, long r, long stride,
      long cols, MemorySegment y, long yo) {
    check(xo, r, stride, yo);
    assert cols >= 0 && cols <= stride : "columns beyond the stride";
    if (COLD.vector(10, 0, r * cols)) {
      ReduceOuterIntVector.i32Wide(x, xo, r, stride, cols, y, yo);
    } else {
      ReduceScalar.i32WideColumns(x, xo, r, stride, 0, cols, y, yo);
    }
  }

  /** BOOL outer form, ALL or ANY; {@code y} holds BOOL bytes. */
  public static void boolOuter(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    boolOuterColumns(op, x, xo, r, inner, inner, y, yo);
  }

  /** Columns {@code [0, cols)} of {@link #boolOuter} over an {@code [r, stride]} block. */
  public static void boolOuterColumns(ReduceOp op, MemorySegment x, long xo, long r, long stride,
      long cols, MemorySegment y, long yo) {
    check(xo, r, stride, yo);
    assert cols >= 0 && cols <= stride : "columns beyond the stride";
    if (COLD.vector(11, op.ordinal(), r * cols)) {
      ReduceOuterIntVector.bool(op, x, xo, r, stride, cols, y, yo);
    } else {
      ReduceScalar.boolColumns(op, x, xo, r, stride, 0, cols, y, yo);
    }
  }

  // ---------------------------------------------------------------- arg (tf.argmax, tf.argmin)

  /** Index of the first FLOAT32 maximum (MAX) or minimum (MIN) in {@code x[xo, xo + n)}, n > 0. */
  public static long argF32(ReduceOp op, MemorySegment x, long xo, long n) {
    assert n >= 1 && xo >= 0;
    return COLD.vector(12, op.ordinal(), n)
        ? ArgReduceVector.f32(op, x, xo, n) : ArgReduceScalar.f32(op, x, xo, n, 1);
  }

  /** FLOAT64 {@link #argF32}. */
  public static long argF64(ReduceOp op, MemorySegment x, long xo, long n) {
    assert n >= 1 && xo >= 0;
    return COLD.vector(13, op.ordinal(), n)
        ? ArgReduceVector.f64(op, x, xo, n) : ArgReduceScalar.f64(op, x, xo, n, 1);
  }

  /** INT32 {@link #argF32}. */
  public static long argI32(ReduceOp op, MemorySegment x, long xo, long n) {
    assert n >= 1 && xo >= 0;
    return COLD.vector(14, op.ordinal(), n)
        ? ArgReduceVector.i32(op, x, xo, n) : ArgReduceScalar.i32(op, x, xo, n, 1);
  }

  /** INT64 {@link #argF32}. */
  public static long argI64(ReduceOp op, MemorySegment x, long xo, long n) {
    assert n >= 1 && xo >= 0;
    return COLD.vector(15, op.ordinal(), n)
        ? ArgReduceVector.i64(op, x, xo, n) : ArgReduceScalar.i64(op, x, xo, n, 1);
  }

  /** BOOL {@link #argF32}: the first true (MAX) or false (MIN), else 0. */
  public static long argBool(ReduceOp op, MemorySegment x, long xo, long n) {
    assert n >= 1 && xo >= 0;
    return COLD.vector(16, op.ordinal(), n)
        ? ArgReduceVector.bool(op, x, xo, n) : ArgReduceScalar.bool(op, x, xo, n, 1);
  }

  /** FLOAT32 outer arg form: {@code y[yo + j]} (INT64) indexes the best of column j; r >= 1. */
  public static void argF32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    check(xo, r, inner, yo);
    assert r >= 1;
    if (COLD.vector(17, op.ordinal(), r * inner)) {
      ArgReduceVector.f32Outer(op, x, xo, r, inner, y, yo);
    } else {
      ArgReduceScalar.f32Outer(op, x, xo, r, inner, y, yo);
    }
  }

  /** FLOAT64 outer arg form. */
  public static void argF64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    check(xo, r, inner, yo);
    assert r >= 1;
    if (COLD.vector(18, op.ordinal(), r * inner)) {
      ArgReduceVector.f64Outer(op, x, xo, r, inner, y, yo);
    } else {
      ArgReduceScalar.f64Outer(op, x, xo, r, inner, y, yo);
    }
  }

  /** INT32 outer arg form. */
  public static void argI32Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    check(xo, r, inner, yo);
    assert r >= 1;
    if (COLD.vector(19, op.ordinal(), r * inner)) {
      ArgReduceVector.i32Outer(op, x, xo, r, inner, y, yo);
    } else {
      ArgReduceScalar.i32Outer(op, x, xo, r, inner, y, yo);
    }
  }

  /** INT64 outer arg form. */
  public static void argI64Outer(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    check(xo, r, inner, yo);
    assert r >= 1;
    if (COLD.vector(20, op.ordinal(), r * inner)) {
      ArgReduceVector.i64Outer(op, x, xo, r, inner, y, yo);
    } else {
      ArgReduceScalar.i64Outer(op, x, xo, r, inner, y, yo);
    }
  }

  /** BOOL outer arg form (scalar on both paths: column scans of bytes). */
  public static void argBoolOuter(
      ReduceOp op, MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    check(xo, r, inner, yo);
    assert r >= 1;
    ArgReduceScalar.boolOuter(op, x, xo, r, inner, y, yo);
  }

  // ---------------------------------------------------------------- mean (tf.reduce_mean)

  /** {@code y[yo + i] /= d} in FLOAT32: a sum becomes a mean. */
  public static void divF32(MemorySegment y, long yo, long n, float d) {
    check(yo, n);
    if (COLD.vector(21, 0, n)) {
      ReduceVector.divF32(y, yo, n, d);
    } else {
      ReduceScalar.divF32(y, yo, n, d);
    }
  }

  /** {@code y[yo + i] /= d} in FLOAT64. */
  public static void divF64(MemorySegment y, long yo, long n, double d) {
    check(yo, n);
    if (COLD.vector(22, 0, n)) {
      ReduceVector.divF64(y, yo, n, d);
    } else {
      ReduceScalar.divF64(y, yo, n, d);
    }
  }

  /**
   * Integer mean from INT64 sums, truncating toward zero as C++ (and TensorFlow) does, 0 when
   * {@code count} is 0; into INT32 or INT64. Scalar on both paths (no SIMD integer division).
   */
  public static void meanFromI64(MemorySegment s, long so, MemorySegment y, long yo, long n,
      long count, boolean toInt32) {
    check(so, n);
    assert count >= 0 && yo >= 0;
    ReduceScalar.meanFromI64(s, so, y, yo, n, count, toInt32);
  }
}
