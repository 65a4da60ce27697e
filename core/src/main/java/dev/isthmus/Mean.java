package dev.isthmus;

/**
 * The running mean of the values it is given (TensorFlow's {@code tf.keras.metrics.Mean}),
 * held in two non-trainable FLOAT64 variables, {@code total} and {@code count}, so it works
 * eagerly and inside {@link Function}s (updates are stateful nodes that run at every call).
 */
public final class Mean {
  private final Variable total;
  private final Variable count;

  /** An empty mean. */
  public Mean() {
    this("mean");
  }

  /** An empty mean whose variables are named {@code name/total} and {@code name/count}. */
  public Mean(String name) {
    total = Variable.of(Tensor.scalar(0.0), name + "/total", false);
    count = Variable.of(Tensor.scalar(0.0), name + "/count", false);
  }

  /** Adds every element of {@code values} (any numeric dtype and shape) to the mean. */
  public void updateState(Tensor values) {
    if (values == null || values.dtype() == DType.BOOL) {
      throw new InvalidArgumentException("Mean.updateState: expected numeric values, got "
          + (values == null ? "null" : values.describe()));
    }
    total.assignAdd(Ops.reduceSum(Ops.cast(values, DType.FLOAT64)));
    // the size when it runs: a graph's static shape may be a placeholder's (a partial batch)
    count.assignAdd(Ops.cast(Ops.size(values, DType.INT64), DType.FLOAT64));
  }

  /** The mean so far (FLOAT64 scalar); 0 when no value was added (as Keras's divide_no_nan). */
  public Tensor result() {
    Tensor c = count.read();
    Tensor safe = Ops.maximum(c, 1.0);
    return Ops.where(Ops.greater(c, Tensor.scalar(0.0)), Ops.div(total.read(), safe),
        Ops.zerosLike(c));
  }

  /** Forgets every value. */
  public void reset() {
    total.assign(Tensor.scalar(0.0));
    count.assign(Tensor.scalar(0.0));
  }
}
