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

  /**
   * Runs the ops issued inside asynchronously (tf.experimental.async_scope), with deferred
   * errors (docs/SCOPES.md, asyncScope).
   *
   * <p>Ops and Function calls return pending tensors at once and run, in issue order, on a
   * virtual thread; reading a pending tensor's value waits for it. The first error is recorded:
   * every op after it is cancelled with it, and later ops fail fast with it. Closing the scope
   * waits for everything issued (no work outlives the scope), clears the error and throws it,
   * with its original type and the op and call site that caused it; if the body threw, Java
   * attaches that error to the body's exception as suppressed. Scopes nest; the mode is per
   * thread. At most 16,384 ops wait at a time; the issuing thread waits beyond that. While a
   * graph is being built (inside a Function's trace) the scope has no effect.
   *
   * <pre>{@code
   * try (Scope scope = Scopes.asyncScope()) {
   *   for (int i = 0; i < numSteps; i++) trainStep.call();
   * } catch (OutOfRangeException e) {
   *   Scopes.asyncClearError();
   * }
   * }</pre>
   */
  public static Scope asyncScope() {
    return AsyncScopes.enter(AsyncScopes.DEFAULT_MAX_IN_FLIGHT);
  }

  /** {@link #asyncScope()} with at most {@code maxInFlight} ops waiting at a time. */
  public static Scope asyncScope(int maxInFlight) {
    return AsyncScopes.enter(maxInFlight);
  }

  /**
   * Waits for pending ops and forgets the recorded error without throwing it, so later ops run
   * (tf.experimental.async_clear_error). Does nothing outside an async scope.
   */
  public static void asyncClearError() {
    AsyncScopes.clearError();
  }
}
