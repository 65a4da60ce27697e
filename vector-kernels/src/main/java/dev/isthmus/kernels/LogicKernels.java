package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Logical kernels over BOOL bytes (each 0 or 1): {@code y[yo+i] = op(a[ao+i], b[bo+i])}
 * ({@code vv}), with one operand a single value ({@code vs}, {@code sv}), and {@link #not}.
 * Offsets and counts are in elements (= bytes). {@code y} may be an operand at the same offset.
 *
 * <p>Dispatches once per call to {@link LogicVector} or its scalar twin {@link LogicScalar}.
 */
public final class LogicKernels {
  private LogicKernels() {}

  /** {@code y[i] = op(a[i], b[i])}; {@code op} is not {@link LogicOp#NOT}. */
  public static void vv(LogicOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && bo >= 0 && yo >= 0 && op != LogicOp.NOT;
    if (Simd.VECTOR) {
      LogicVector.vv(op, a, ao, b, bo, y, yo, n);
    } else {
      LogicScalar.vv(op, a, ao, b, bo, y, yo, n);
    }
  }

  /** {@code y[i] = op(a[i], b)}; {@code op} is not {@link LogicOp#NOT}. */
  public static void vs(LogicOp op, MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    assert n >= 0 && ao >= 0 && yo >= 0 && op != LogicOp.NOT;
    if (Simd.VECTOR) {
      LogicVector.vs(op, a, ao, b, y, yo, n);
    } else {
      LogicScalar.vs(op, a, ao, b, y, yo, n);
    }
  }

  /** {@code y[i] = op(a, b[i])}: every operator is symmetric, so this is {@link #vs}. */
  public static void sv(LogicOp op, boolean a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    vs(op, b, bo, a, y, yo, n);
  }

  /** {@code y[i] = !x[i]}. */
  public static void not(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    assert n >= 0 && xo >= 0 && yo >= 0;
    if (Simd.VECTOR) {
      LogicVector.not(x, xo, y, yo, n);
    } else {
      LogicScalar.not(x, xo, y, yo, n);
    }
  }
}
