package dev.isthmus.scopes;

import dev.isthmus.Scope;
import dev.isthmus.internal.GraphAccess;

/**
 * The scopes of TensorFlow's execution model, each a try-with-resources {@link Scope} that
 * restores everything on close, also on exceptions. The exact rules, test by test, are in
 * docs/SCOPES.md.
 */
public final class Scopes {
  private Scopes() {}

  /**
   * Lifts what runs inside out of function tracing, control flow and gradient tapes
   * (tf.init_scope).
   *
   * <ul>
   *   <li>Executing eagerly, it only pauses gradient recording on this thread.
   *   <li>While a graph is being built, ops inside go to the outermost context on this thread
   *       that is not building a function: eager execution when the functions being traced
   *       were called eagerly (so code inside runs now, once per trace), else the outer graph;
   *       in graph mode with no graph made default, the global default graph.
   *   <li>Inside, there are no control dependencies and no control-flow context; the name
   *       scope is the one that was current, re-entered as is; gradient recording is paused.
   * </ul>
   *
   * <p>Using a symbolic tensor of the function being traced inside the scope is an error naming
   * the tensor and its graph: it has no value in the outer context.
   *
   * <pre>{@code
   * Function f = Function.of(() -> {
   *   try (Scope init = Scopes.initScope()) {
   *     counter = Variable.of(0f);          // created once, on the first trace
   *   }
   *   return counter.assignAdd(Tensor.scalar(1f));
   * });
   * }</pre>
   */
  public static Scope initScope() {
    return GraphAccess.get().initScope();
  }
}
