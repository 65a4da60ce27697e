package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.TrainOps;

/**
 * Adam (TensorFlow's {@code tf.keras.optimizers.Adam}): per variable, at step t,
 * {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)} and
 * {@code w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon)}, in the variable's
 * dtype. Each variable's update is one fused op ({@code ApplyAdam}, TensorFlow's kernel of the
 * same name), and the powers {@code b1^t}, {@code b2^t} are computed once per step.
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
  void update(Variable w, Tensor g, Step step) {
    Tensor[] s = step.perDType(w.dtype(), t -> scalars(step.count, t));
    Variable m = slot(w, "m");
    Variable v = slot(w, "v");
    Tensor[] next = Dispatch.run(TrainOps.APPLY_ADAM, Attrs.EMPTY, w.read(), m.read(), v.read(),
        s[0], s[1], s[2], s[3], s[4], s[5], g);
    m.assign(next[1]);
    v.assign(next[2]);
    w.assign(next[0]);
  }

  /** beta1^t, beta2^t (in dtype {@code t}, as Keras), then lr, beta1, beta2, epsilon. */
  private Tensor[] scalars(Tensor count, DType t) {
    Tensor n = Ops.cast(count, t);
    return new Tensor[] {Ops.pow(scalar(t, beta1), n), Ops.pow(scalar(t, beta2), n),
        scalar(t, learningRate), scalar(t, beta1), scalar(t, beta2), scalar(t, epsilon)};
  }

  private static Tensor scalar(DType t, double v) {
    return t == DType.FLOAT32 ? Tensor.scalar((float) v) : Tensor.scalar(v);
  }
}
