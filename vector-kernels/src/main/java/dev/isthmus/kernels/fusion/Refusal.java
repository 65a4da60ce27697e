package dev.isthmus.kernels.fusion;

/**
 * Why an expression was not compiled; its calls then run op by op ({@link FusedKernels#run}
 * does so by itself). A caller that splits clusters reads {@link Kind#TOO_LARGE} as "split this
 * expression and try the parts".
 *
 * @param kind the reason
 * @param message what, in words (names the operator or the sizes)
 * @param bytecodeSize for {@link Kind#TOO_LARGE}, the size of the larger loop method, else 0
 */
public record Refusal(Kind kind, String message, int bytecodeSize) {
  /** The reasons. */
  public enum Kind {
    /** {@code -Disthmus.fusion=off}. */
    DISABLED,
    /** The Vector API does not run here (see {@link dev.isthmus.kernels.Simd#WHY_SCALAR}). */
    NO_VECTOR_API,
    /** An operator or type without a vector form (e.g. integer division). */
    UNSUPPORTED,
    /**
     * A loop method would exceed {@link FusedKernels#MAX_METHOD_BYTES} bytes of bytecode, past
     * which HotSpot does not compile a method at all: split the expression.
     */
    TOO_LARGE
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
