package dev.isthmus;

/**
 * Loss functions, composed from ops so that their gradients come from the ops' rules
 * (TensorFlow's {@code tf.keras.losses} and {@code tf.nn} losses).
 */
public final class Losses {
  private Losses() {}

  /**
   * The mean of {@code (labels - predictions)^2} over all elements, a scalar
   * (tf.keras.losses.MeanSquaredError with its default reduction).
   */
  public static Tensor meanSquaredError(Tensor labels, Tensor predictions) {
    return Ops.reduceMean(Ops.square(Ops.sub(labels, predictions)));
  }

  /**
   * Per-example cross entropy between {@code labels} (a probability distribution along the last
   * axis) and {@code softmax(logits)}: {@code -sum(labels * logSoftmax(logits), -1)}
   * (tf.nn.softmax_cross_entropy_with_logits). Shape: that of logits without its last axis.
   */
  public static Tensor softmaxCrossEntropyWithLogits(Tensor labels, Tensor logits) {
    return Ops.neg(Ops.reduceSum(Ops.mul(labels, Ops.logSoftmax(logits)), -1));
  }

  /**
   * Per-example cross entropy with integer class labels (INT32 or INT64, shape of logits without
   * its last axis) (tf.nn.sparse_softmax_cross_entropy_with_logits).
   *
   * @throws InvalidArgumentException if logits have rank 0 or labels are not integers; labels
   *     out of [0, classes) give a loss of 0 for that example (a one-hot row of zeros)
   */
  public static Tensor sparseSoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits) {
    if (logits.rank() == 0 || labels.dtype().isFloating() || labels.dtype() == DType.BOOL) {
      throw new InvalidArgumentException("SparseSoftmaxCrossEntropyWithLogits: expected integer "
          + "labels and logits of rank >= 1; got labels " + labels.describe() + ", logits "
          + logits.describe());
    }
    long classes = logits.shape().dim(logits.rank() - 1);
    Tensor oneHot = Ops.oneHot(labels, Math.toIntExact(classes), 1, 0, -1, logits.dtype());
    return softmaxCrossEntropyWithLogits(oneHot, logits);
  }

  /**
   * Elementwise logistic loss of {@code logits} against {@code labels} in [0, 1], computed as
   * {@code max(x, 0) - x * z + log(1 + exp(-|x|))}, which neither overflows nor loses precision
   * for large |x| (tf.nn.sigmoid_cross_entropy_with_logits).
   */
  public static Tensor sigmoidCrossEntropyWithLogits(Tensor labels, Tensor logits) {
    return Ops.add(Ops.sub(Ops.relu(logits), Ops.mul(logits, labels)),
        Ops.log1p(Ops.exp(Ops.neg(Ops.abs(logits)))));
  }
}
