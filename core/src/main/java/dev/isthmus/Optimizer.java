package dev.isthmus;

import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates variables from their gradients (TensorFlow's {@code tf.keras.optimizers.Optimizer}).
 * {@link #apply} runs the update eagerly, or adds its nodes when called inside a
 * {@link Function} (variables it needs, such as momentum slots, are created on the first call,
 * which inside a function is the first trace, and lifted out of it).
 */
public abstract class Optimizer {
  private final Map<Variable, Map<String, Variable>> slots = new IdentityHashMap<>();
  private final Variable iterations = Variable.of(Tensor.scalar(0L), "iterations", false);

  Optimizer() {}

  /**
   * Applies one update: {@code grads.get(i)} is the gradient of the loss with respect to
   * {@code vars.get(i)}. A null gradient leaves its variable unchanged (as TensorFlow, which
   * warns). Increments {@link #iterations()}.
   *
   * @throws InvalidArgumentException if the lists differ in length or a gradient does not match
   *     its variable's dtype and shape
   */
  public final void apply(List<Tensor> grads, List<Variable> vars) {
    if (grads == null || vars == null || grads.size() != vars.size()) {
      throw new InvalidArgumentException(getClass().getSimpleName() + ".apply: expected one "
          + "gradient per variable, got " + (grads == null ? "null" : grads.size())
          + " gradients for " + (vars == null ? "null" : vars.size()) + " variables");
    }
    Step step = new Step(iterations.assignAdd(Tensor.scalar(1L)));
    for (int i = 0; i < vars.size(); i++) {
      Tensor g = grads.get(i);
      Variable v = vars.get(i);
      if (g == null) {
        continue;
      }
      if (g.dtype() != v.dtype() || !g.shape().equals(v.shape())) {
        throw new InvalidArgumentException(getClass().getSimpleName() + ".apply: the gradient "
            + "of variable " + v.name() + " " + v.dtype().numpyName() + v.shape() + " is "
            + g.describe() + "; expected the variable's dtype and shape");
      }
      update(v, g, step);
    }
  }

  /** How many updates {@link #apply} has made (INT64 scalar). */
  public Tensor iterations() {
    return iterations.read();
  }

  /** Applies the update rule to one variable at {@code step}. */
  abstract void update(Variable v, Tensor grad, Step step);

  /**
   * One {@link #apply} call: the 1-based INT64 step {@code count}, and what an update rule
   * derives from it per dtype (Adam's powers of the betas), computed once per call rather than
   * once per variable.
   */
  static final class Step {
    final Tensor count;
    private final EnumMap<DType, Object> derived = new EnumMap<>(DType.class);

    Step(Tensor count) {
      this.count = count;
    }

    /** {@code make(dtype)}, made on the first request for {@code dtype} in this call. */
    @SuppressWarnings("unchecked")
    <T> T perDType(DType dtype, java.util.function.Function<DType, T> make) {
      return (T) derived.computeIfAbsent(dtype, make);
    }
  }

  /** The optimizer's slot variable {@code name} for {@code v}, zeros on first use. */
  Variable slot(Variable v, String name) {
    synchronized (slots) {
      return slots.computeIfAbsent(v, k -> new java.util.HashMap<>()).computeIfAbsent(name,
          k -> Variable.of(Ops.zeros(v.dtype(), v.shape().dims()), v.name() + "/" + name, false));
    }
  }
}
