package dev.isthmus;

import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.UnaryOps;

/**
 * Every op, as static methods named after TensorFlow's ({@code tf.add} is {@link #add}). Each
 * call goes to the current thread's context: executed now in eager mode, recorded as a node while
 * building a graph. {@code x.add(y)} on {@link Tensor} is the same call.
 *
 * <p>Bad input (mismatched shapes or dtypes, bad axes, out-of-range indices) throws {@link
 * InvalidArgumentException} naming the op, its inputs' dtypes and shapes, and what was expected.
 */
public final class Ops {
  private Ops() {}

  // ---- unary
  /** {@code -x}, elementwise (tf.negative). */
  public static Tensor neg(Tensor x) {
    return Dispatch.run1(UnaryOps.NEG, x);
  }

  /** {@code e^x}, elementwise (tf.exp). */
  public static Tensor exp(Tensor x) {
    return Dispatch.run1(UnaryOps.EXP, x);
  }
  // ---- end unary

  // ---- binary

  // ---- end binary

  // ---- reduction

  // ---- end reduction

  // ---- shape

  // ---- end shape

  // ---- creation

  // ---- end creation

  // ---- matmul
  /**
   * The matrix product {@code a * b} over the last two axes (tf.matmul): rank-2 inputs run
   * {@code MatMul}, anything of higher rank runs {@code BatchMatMulV2}, whose batch dimensions
   * broadcast like numpy (a rank-2 operand broadcasts against the other's batch). FLOAT32,
   * FLOAT64 or INT32; both inputs of the same dtype and of rank 2 or more.
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    return matmul(a, b, false, false);
  }

  /**
   * {@code op(a) * op(b)} (tf.matmul with transpose_a, transpose_b), where {@code op} transposes
   * the last two axes when its flag is set. See {@link #matmul(Tensor, Tensor)}.
   */
  public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    if (a != null && b != null && (a.rank() > 2 || b.rank() > 2)) {
      return Dispatch.run1(dev.isthmus.internal.MatmulOps.BATCH_MATMUL,
          dev.isthmus.internal.Attrs.of("adj_x", transposeA, "adj_y", transposeB), a, b);
    }
    return Dispatch.run1(dev.isthmus.internal.MatmulOps.MATMUL,
        dev.isthmus.internal.Attrs.of("transpose_a", transposeA, "transpose_b", transposeB), a, b);
  }
  // ---- end matmul
}
