package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Elementwise unary kernels: {@code y[yo + i] = op(x[xo + i])} for {@code i < n}. Offsets and
 * counts are in elements, not bytes. Callers validate; kernels check only that the ranges lie in
 * their segments.
 *
 * <p>Dispatches once per call to {@link UnaryVector} or its scalar twin {@link UnaryScalar}. The
 * integer kernels take only {@linkplain UnaryOp#integral() integral} operators.
 */
public final class UnaryKernels {
  private UnaryKernels() {}

  private static final UnaryOp[] OPS = UnaryOp.values();

  // per site, the vector loop on synthetic operands, for the background warm-up (KernelWarmup)
  private static final ColdRouting COLD = ColdRouting.family("unary", 4, OPS.length)
      .warm(0, (k, n, s) -> UnaryVector.f32(OPS[k], s.f32(0), 0, s.f32(2), 0, n))
      .warm(1, (k, n, s) -> UnaryVector.f64(OPS[k], s.f64(0), 0, s.f64(2), 0, n))
      .warm(2, (k, n, s) -> UnaryVector.i32(OPS[k], s.i32(0), 0, s.i32(2), 0, n))
      .warm(3, (k, n, s) -> UnaryVector.i64(OPS[k], s.i64(0), 0, s.i64(2), 0, n));

  /**
   * Throws {@link IndexOutOfBoundsException} unless both ranges lie in their segments. The vector
   * loops write heap tensors through their arrays, which would not stop at a slice's end, so
   * this is checked (once per call) rather than asserted; nothing is written when it fails.
   */
  private static void inBounds(
      MemorySegment x, long xo, MemorySegment y, long yo, long n, int size) {
    Objects.checkFromIndexSize(xo, n, x.byteSize() / size);
    Objects.checkFromIndexSize(yo, n, y.byteSize() / size);
  }

  /** FLOAT32 {@code y = op(x)}. */
  public static void f32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Float.BYTES);
    if (COLD.vector(0, op.ordinal(), n)) {
      UnaryVector.f32(op, x, xo, y, yo, n);
    } else {
      UnaryScalar.f32(op, x, xo, y, yo, n);
    }
  }

  /** FLOAT64 {@code y = op(x)}. */
  public static void f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Double.BYTES);
    if (COLD.vector(1, op.ordinal(), n)) {
      UnaryVector.f64(op, x, xo, y, yo, n);
    } else {
      UnaryScalar.f64(op, x, xo, y, yo, n);
    }
  }

  /** INT32 {@code y = op(x)}; {@code op} must be {@linkplain UnaryOp#integral() integral}. */
  public static void i32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Integer.BYTES);
    if (COLD.vector(2, op.ordinal(), n)) {
      UnaryVector.i32(op, x, xo, y, yo, n);
    } else {
      UnaryScalar.i32(op, x, xo, y, yo, n);
    }
  }

  /** INT64 {@code y = op(x)}; {@code op} must be {@linkplain UnaryOp#integral() integral}. */
  public static void i64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Long.BYTES);
    if (COLD.vector(3, op.ordinal(), n)) {
      UnaryVector.i64(op, x, xo, y, yo, n);
    } else {
      UnaryScalar.i64(op, x, xo, y, yo, n);
    }
  }
}
