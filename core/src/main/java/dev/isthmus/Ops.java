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

  // ---- end matmul
}
