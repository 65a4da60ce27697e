package dev.isthmus.internal;

import dev.isthmus.Tensor;

/** Runs each op now: shape rule, then kernel. */
public final class EagerContext implements ExecutionContext {
  /** The eager context every thread starts in. */
  public static final EagerContext INSTANCE = new EagerContext();

  private EagerContext() {}

  @Override
  public Tensor[] execute(OpDef op, Tensor[] inputs, Attrs attrs) {
    TensorSpec[] outs = op.infer(inputs, attrs);
    return op.compute(inputs, attrs, outs);
  }

  @Override
  public boolean executingEagerly() {
    return true;
  }
}
