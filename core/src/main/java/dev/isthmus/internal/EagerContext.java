package dev.isthmus.internal;

import dev.isthmus.FailedPreconditionException;
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
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] != null && inputs[i].isSymbolic()) {
        throw symbolicInput(op, i, inputs[i]);
      }
    }
    TensorSpec[] outs = op.infer(inputs, attrs);
    Tensor[] result;
    try {
      result = op.compute(inputs, attrs, outs);
    } catch (ResourceExhaustedException e) {
      throw new ResourceExhaustedException(
          op.name() + ": " + e.getMessage() + "; outputs " + Arrays.toString(outs), e);
    }
    Recording.record(op, inputs, attrs, result);
    return result;
  }

  static FailedPreconditionException symbolicInput(OpDef op, int i, Tensor t) {
    return new FailedPreconditionException(
        op.name() + ": input " + op.inputName(i) + " is the symbolic tensor '" + t.name() + "' "
            + t.describe() + " of graph '" + t.op().graph().name() + "', which has no value while "
            + "executing eagerly. Graph tensors cannot be used eagerly, nor inside "
            + "Scopes.initScope() when they belong to the function being traced; compute the "
            + "value eagerly, or pass it in as a Function argument");
  }

  @Override
  public boolean executingEagerly() {
    return true;
  }
}
