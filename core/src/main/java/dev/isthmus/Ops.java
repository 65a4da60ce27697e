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
  // Reductions take axes as varargs. No axes means every axis: isthmus's rendering of
  // TensorFlow's axis=None (Java cannot tell "no argument" from an empty array, so there is no
  // way to reduce over an empty axis list; that would be the identity anyway). Axes may be
  // negative (counted from the end); an axis out of range or named twice is an
  // InvalidArgumentException naming the op, the input's dtype and shape, and the axes.

  private static Tensor reduction(
      dev.isthmus.internal.OpDef op, Tensor x, boolean keepDims, int[] axes) {
    return Dispatch.run1(op, dev.isthmus.internal.ReduceOps.reduceAttrs(x, keepDims, axes), x);
  }

  /**
   * tf.reduce_sum over {@code axes} (all axes if none), dropping them. The sum (integers wrap;
   * empty: 0). Floating sums are pairwise, so the error grows with log2 n, not n: at most {@code
   * (max(lanes, 16) + 20 + ceil(log2 n)) * eps * sum|x|} over n reduced elements (one such term
   * per group of adjacent reduced axes; see {@code ReduceKernels}). Dtypes: FLOAT32, FLOAT64,
   * INT32 or INT64.
   */
  public static Tensor reduceSum(Tensor x, int... axes) {
    return reduceSum(x, false, axes);
  }

  /** tf.reduce_sum over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceSum(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.SUM, x, keepDims, axes);
  }

  /**
   * tf.reduce_mean over {@code axes} (all axes if none), dropping them. The mean: the sum divided
   * by the number of reduced elements. Integers sum in INT64 and divide truncating toward zero, as
   * TensorFlow; an empty mean is NaN (0 for integers). Dtypes: FLOAT32, FLOAT64, INT32 or INT64.
   */
  public static Tensor reduceMean(Tensor x, int... axes) {
    return reduceMean(x, false, axes);
  }

  /** tf.reduce_mean over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceMean(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.MEAN, x, keepDims, axes);
  }

  /**
   * tf.reduce_max over {@code axes} (all axes if none), dropping them. The maximum; a NaN anywhere
   * gives NaN (as TensorFlow 2.4+ and numpy). Empty: the lowest value of the dtype (-inf for
   * floats). Dtypes: FLOAT32, FLOAT64, INT32 or INT64.
   */
  public static Tensor reduceMax(Tensor x, int... axes) {
    return reduceMax(x, false, axes);
  }

  /** tf.reduce_max over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceMax(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.MAX, x, keepDims, axes);
  }

  /**
   * tf.reduce_min over {@code axes} (all axes if none), dropping them. The minimum; a NaN anywhere
   * gives NaN. Empty: the highest value of the dtype (+inf for floats). Dtypes: FLOAT32, FLOAT64,
   * INT32 or INT64.
   */
  public static Tensor reduceMin(Tensor x, int... axes) {
    return reduceMin(x, false, axes);
  }

  /** tf.reduce_min over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceMin(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.MIN, x, keepDims, axes);
  }

  /**
   * tf.reduce_prod over {@code axes} (all axes if none), dropping them. The product (integers wrap;
   * empty: 1). Dtypes: FLOAT32, FLOAT64, INT32 or INT64.
   */
  public static Tensor reduceProd(Tensor x, int... axes) {
    return reduceProd(x, false, axes);
  }

  /** tf.reduce_prod over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceProd(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.PROD, x, keepDims, axes);
  }

  /**
   * tf.reduce_all over {@code axes} (all axes if none), dropping them. Logical and of a BOOL tensor
   * (empty: true). Dtypes: BOOL.
   */
  public static Tensor reduceAll(Tensor x, int... axes) {
    return reduceAll(x, false, axes);
  }

  /** tf.reduce_all over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceAll(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.ALL, x, keepDims, axes);
  }

  /**
   * tf.reduce_any over {@code axes} (all axes if none), dropping them. Logical or of a BOOL tensor
   * (empty: false). Dtypes: BOOL.
   */
  public static Tensor reduceAny(Tensor x, int... axes) {
    return reduceAny(x, false, axes);
  }

  /** tf.reduce_any over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceAny(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.ANY, x, keepDims, axes);
  }

  /**
   * The index of the largest element along {@code axis} (tf.math.argmax), as INT64; the first on
   * ties, and the first NaN if any (numpy's rule, consistent with {@link #reduceMax}). Dtypes:
   * FLOAT32, FLOAT64, INT32, INT64, BOOL. The axis must not be empty.
   */
  public static Tensor argMax(Tensor x, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.ARG_MAX,
        dev.isthmus.internal.ReduceOps.argAttrs(x, axis), x);
  }

  /** The index of the smallest element along {@code axis} (tf.math.argmin); as {@link #argMax}. */
  public static Tensor argMin(Tensor x, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.ARG_MIN,
        dev.isthmus.internal.ReduceOps.argAttrs(x, axis), x);
  }

  /** Softmax over the last axis (tf.nn.softmax); FLOAT32 or FLOAT64, rank >= 1. */
  public static Tensor softmax(Tensor logits) {
    return softmax(logits, -1);
  }

  /**
   * Softmax over {@code axis} (tf.nn.softmax): {@code exp(x - max) / sum exp(x - max)}, stable
   * for large logits; one fused kernel (max, exp-sum and scale passes) per row or column.
   */
  public static Tensor softmax(Tensor logits, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.SOFTMAX,
        dev.isthmus.internal.ReduceOps.softmaxAttrs(logits, axis), logits);
  }

  /** Log-softmax over the last axis (tf.nn.log_softmax); FLOAT32 or FLOAT64, rank >= 1. */
  public static Tensor logSoftmax(Tensor logits) {
    return logSoftmax(logits, -1);
  }

  /**
   * Log-softmax over {@code axis} (tf.nn.log_softmax): {@code (x - max) - log sum exp(x - max)},
   * one fused kernel per row or column.
   */
  public static Tensor logSoftmax(Tensor logits, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.LOG_SOFTMAX,
        dev.isthmus.internal.ReduceOps.softmaxAttrs(logits, axis), logits);
  }
  // ---- end reduction

  // ---- shape

  // ---- end shape

  // ---- creation

  // ---- end creation

  // ---- matmul

  // ---- end matmul
}
