package dev.isthmus.kernels;

/**
 * The elementwise comparisons, as data. Each writes BOOL bytes (0 or 1). Comparisons with NaN
 * are false, except {@link #NOT_EQUAL}, which is true (IEEE 754).
 */
public enum CompareOp {
  /** {@code a == b}. */
  EQUAL,
  /** {@code a != b}. */
  NOT_EQUAL,
  /** {@code a < b}. */
  LESS,
  /** {@code a <= b}. */
  LESS_EQUAL,
  /** {@code a > b}. */
  GREATER,
  /** {@code a >= b}. */
  GREATER_EQUAL;

  /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
  public CompareOp mirror() {
    return switch (this) {
      case EQUAL, NOT_EQUAL -> this;
      case LESS -> GREATER;
      case LESS_EQUAL -> GREATER_EQUAL;
      case GREATER -> LESS;
      case GREATER_EQUAL -> LESS_EQUAL;
    };
  }
}
