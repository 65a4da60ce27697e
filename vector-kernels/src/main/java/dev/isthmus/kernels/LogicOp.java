package dev.isthmus.kernels;

/**
 * The logical operators on BOOL bytes (each 0 or 1), as data. {@link #XOR} and {@link #XNOR} are
 * also BOOL's not-equal and equal.
 */
public enum LogicOp {
  /** {@code a && b}. */
  AND,
  /** {@code a || b}. */
  OR,
  /** {@code a != b}. */
  XOR,
  /** {@code a == b}. */
  XNOR,
  /** {@code !a}: the one unary operator ({@link LogicKernels#not}); it ignores {@code b}. */
  NOT
}
