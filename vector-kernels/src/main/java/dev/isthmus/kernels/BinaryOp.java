package dev.isthmus.kernels;

/**
 * The elementwise binary arithmetic operators, as data: one entry per operator, read by the
 * kernels, the scalar twins and (later) the fusion compiler. {@link BinaryScalar} is the
 * specification of each.
 */
public enum BinaryOp {
  /** {@code a + b}. */
  ADD,
  /** {@code a - b}. */
  SUB,
  /** {@code a * b}. */
  MUL,
  /** {@code a / b}; on integers C-style truncation, and {@code x / 0 = 0} (callers check). */
  DIV,
  /** {@code floor(a / b)}: Python's {@code //}; on integers {@code x // 0 = 0} (callers check). */
  FLOOR_DIV,
  /** The remainder of {@link #FLOOR_DIV}, with the divisor's sign; {@code x mod 0 = 0} on ints. */
  FLOOR_MOD,
  /** {@code a ^ b}, as C's {@code pow}; integers by repeated squaring, wrapping on overflow. */
  POW,
  /** The larger; NaN if either is NaN. */
  MAXIMUM,
  /** The smaller; NaN if either is NaN. */
  MINIMUM,
  /** {@code (a - b)^2}. */
  SQUARED_DIFFERENCE,
  /** {@code atan2(a, b)}; floating types only. */
  ATAN2;

  /** True for operators defined on floating types only. */
  public boolean floatingOnly() {
    return this == ATAN2;
  }
}
