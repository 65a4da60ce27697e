package dev.isthmus.internal;

import dev.isthmus.Tensor;

/**
 * The one dispatch point: every op call, whether {@code Ops.add(x, y)} or {@code x.add(y)},
 * comes here and goes to the current thread's {@link ExecutionContext}.
 */
public final class Dispatch {
  private Dispatch() {}

  /** Runs {@code op} in the current context; all outputs. */
  public static Tensor[] run(OpDef op, Attrs attrs, Tensor... inputs) {
    return ContextStack.current().execute(op, inputs, attrs);
  }

  /** Runs a single-output op in the current context. */
  public static Tensor run1(OpDef op, Attrs attrs, Tensor... inputs) {
    return ContextStack.current().execute(op, inputs, attrs)[0];
  }

  /** Runs a single-output op without attributes. */
  public static Tensor run1(OpDef op, Tensor... inputs) {
    return ContextStack.current().execute(op, inputs, Attrs.EMPTY)[0];
  }
}
