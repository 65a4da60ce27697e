package dev.isthmus;

/**
 * Adam (TensorFlow's {@code tf.keras.optimizers.Adam}): per variable
 * {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2}, and
 * {@code w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon)} at step t.
 */
public final class Adam extends Optimizer {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;

  /** Adam with Keras's defaults: beta1 0.9, beta2 0.999, epsilon 1e-7. */
  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  /**
   * Adam with every hyperparameter.
   *
   * @throws InvalidArgumentException for a learning rate or epsilon that is not positive, or
   *     betas outside [0, 1)
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    if (!(learningRate > 0) || !(epsilon > 0) || !(beta1 >= 0 && beta1 < 1)
        || !(beta2 >= 0 && beta2 < 1)) {
      throw new InvalidArgumentException("Adam: learning rate " + learningRate + ", beta1 "
          + beta1 + ", beta2 " + beta2 + ", epsilon " + epsilon
          + "; expected lr > 0, 0 <= beta < 1, epsilon > 0");
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  void update(Variable w, Tensor g, Tensor step) {
    Variable m = slot(w, "m");
    Variable v = slot(w, "v");
    Tensor t = Ops.cast(step, w.dtype());
    // alpha = lr * sqrt(1 - b2^t) / (1 - b1^t), computed in the variable's dtype
    Tensor b1t = Ops.pow(Ops.cast(Ops.constant(beta1), w.dtype()), t);
    Tensor b2t = Ops.pow(Ops.cast(Ops.constant(beta2), w.dtype()), t);
    Tensor alpha = Ops.mul(Ops.div(Ops.sqrt(Ops.sub(Ops.onesLike(b2t), b2t)),
        Ops.sub(Ops.onesLike(b1t), b1t)), learningRate);
    Tensor mt = m.assign(Ops.add(Ops.mul(m.read(), beta1), Ops.mul(g, 1 - beta1)));
    Tensor vt = v.assign(Ops.add(Ops.mul(v.read(), beta2), Ops.mul(Ops.square(g), 1 - beta2)));
    w.assignSub(Ops.div(Ops.mul(mt, alpha), Ops.add(Ops.sqrt(vt), epsilon)));
  }
}
