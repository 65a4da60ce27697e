package dev.isthmus.kernels;

/**
 * The reduction operators, as data. SUM, PROD, MAX and MIN apply to FLOAT32, FLOAT64, INT32 and
 * INT64; ALL and ANY to BOOL bytes. The arg kernels ({@link ReduceKernels#argF32} and friends)
 * take MAX or MIN and return the index of that value.
 */
public enum ReduceOp {
  /** Sum (integers wrap); identity 0. */
  SUM,
  /** Product (integers wrap); identity 1. */
  PROD,
  /** Maximum, NaN-propagating as {@link Math#max}; identity the dtype's lowest value (-inf). */
  MAX,
  /** Minimum, NaN-propagating as {@link Math#min}; identity the dtype's highest value (+inf). */
  MIN,
  /** Logical and over BOOL bytes (0 or 1); identity true. */
  ALL,
  /** Logical or over BOOL bytes (0 or 1); identity false. */
  ANY;
}
