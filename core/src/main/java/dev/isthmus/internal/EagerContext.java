package dev.isthmus.internal;

import dev.isthmus.ResourceExhaustedException;
import dev.isthmus.Tensor;
import java.util.Arrays;

/** Runs each op now: shape rule, then kernel. */
public final class EagerContext implements ExecutionContext {
  /** The eager context every thread starts in. */
  public static final EagerContext INSTANCE = new EagerContext();

  private EagerContext() {}

  @Override
  public Tensor[] execute(OpDef op, Tensor[] inputs, Attrs attrs) {
    TensorSpec[] outs = op.infer(inputs, attrs);
    try {
      return op.compute(inputs, attrs, outs);
    } catch (ResourceExhaustedException e) {
      throw new ResourceExhaustedException(
          op.name() + ": " + e.getMessage() + "; outputs " + Arrays.toString(outs), e);
    }
  }

  @Override
  public boolean executingEagerly() {
    return true;
  }
}
