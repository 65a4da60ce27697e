package dev.isthmus;

/**
 * Stochastic gradient descent, optionally with momentum and Nesterov momentum (TensorFlow's
 * {@code tf.keras.optimizers.SGD}): without momentum {@code w -= lr * g}; with it
 * {@code velocity = momentum * velocity - lr * g}, then {@code w += velocity}, or with Nesterov
 * {@code w += momentum * velocity - lr * g}.
 */
public final class SGD extends Optimizer {
  private final double learningRate;
  private final double momentum;
  private final boolean nesterov;

  /** Plain SGD. */
  public SGD(double learningRate) {
    this(learningRate, 0, false);
  }

  /**
   * SGD with {@code momentum} in [0, 1], Nesterov's variant when {@code nesterov}.
   *
   * @throws InvalidArgumentException for a learning rate that is not positive and finite, or a
   *     momentum outside [0, 1]
   */
  public SGD(double learningRate, double momentum, boolean nesterov) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new InvalidArgumentException("SGD: learning rate " + learningRate
          + "; expected a positive finite number");
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new InvalidArgumentException("SGD: momentum " + momentum + "; expected 0 <= m <= 1");
    }
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  void update(Variable v, Tensor g, Step step) {
    Tensor lrG = Ops.mul(g, learningRate);
    if (momentum == 0) {
      v.assignSub(lrG);
      return;
    }
    Variable velocity = slot(v, "momentum");
    Tensor vel = velocity.assign(Ops.sub(Ops.mul(velocity.read(), momentum), lrG));
    v.assignAdd(nesterov ? Ops.sub(Ops.mul(vel, momentum), lrG) : vel);
  }
}
