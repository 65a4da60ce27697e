package dev.isthmus.scopes;

import dev.isthmus.FailedPreconditionException;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.NodeDef;
import dev.isthmus.Scope;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.scopes.jit.FusionRunner;
import dev.isthmus.scopes.jit.JitScopes;
import java.util.function.Predicate;

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
   * Marks every op created inside for compilation by the fusion compiler
   * (tf.xla.experimental.jit_scope()): {@code jitScope(true, false)}.
   *
   * <pre>{@code
   * try (Scope jit = Scopes.jitScope()) {
   *   c = Ops.matmul(a, b);   // compiled
   * }
   * }</pre>
   *
   * @throws FailedPreconditionException when executing eagerly: use it while building a graph
   *     or inside a Function
   */
  public static Scope jitScope() {
    return jitScope(true, false);
  }

  /**
   * A jit scope that marks the ops created inside compiled or, with {@code false}, never
   * compiled (jit_scope(compile_ops=...)). See {@link #jitScope(boolean, boolean)}.
   */
  public static Scope jitScope(boolean compileOps) {
    return jitScope(compileOps, false);
  }

  /**
   * A jit scope whose predicate decides, once per op created inside, whether it is compiled
   * (jit_scope(compile_ops=callable)); it sees the op's {@link NodeDef} and is not asked when
   * the op is already marked. See {@link #jitScope(Predicate, boolean)}.
   *
   * <pre>{@code
   * try (Scope jit = Scopes.jitScope(n -> n.op().toLowerCase().contains("matmul"))) {
   *   e = Ops.matmul(a, b).add(d);   // the matmul is compiled, the addition is not
   * }
   * }</pre>
   */
  public static Scope jitScope(Predicate<NodeDef> compileOps) {
    return jitScope(compileOps, false);
  }

  /**
   * Enables or disables compilation of the ops created inside, on the graph being built on
   * this thread (tf.xla.experimental.jit_scope(compile_ops, separate_compiled_gradients)).
   * The rules, all in docs/SCOPES.md:
   *
   * <ul>
   *   <li>every op created inside gets {@code _XlaCompile = compileOps} and
   *       {@code _XlaSeparateCompiledGradients}; the outermost scope on a graph also gives
   *       {@code _XlaScope = "jit_scope_N"} (N counts that graph's outermost scopes and is
   *       never reset), which nested scopes keep while overriding the other two;
   *   <li>an attribute an op already has is never overwritten;
   *   <li>gradients of compiled ops are compiled in the forward op's scope or, with
   *       {@code separateCompiledGradients}, in {@code <scope>_grad_<gradients name>};
   *   <li>ops of different {@code _XlaScope}s never share a cluster; ops marked false are
   *       never compiled; ops outside any scope can be clustered with compiled ones only when
   *       global jit is on ({@code Context.setGlobalJit(true)}).
   * </ul>
   *
   * <p>Clusters are formed when the graph is finalized for execution (a Session's run, a
   * function's first call) and recorded as {@code _XlaCluster} on their ops.
   *
   * @throws FailedPreconditionException when executing eagerly: "jitScope is not supported
   *     when eager execution is enabled. Use it while building a graph or inside a Function."
   */
  public static Scope jitScope(boolean compileOps, boolean separateCompiledGradients) {
    return JitScopes.enter(compileOps, null, separateCompiledGradients);
  }

  /**
   * A jit scope whose predicate decides {@code _XlaCompile} per op (evaluated once, at the
   * op's creation, on its NodeDef, only if it has no {@code _XlaCompile} yet); otherwise as
   * {@link #jitScope(boolean, boolean)}.
   *
   * @throws InvalidArgumentException if {@code compileOps} is null
   * @throws FailedPreconditionException when executing eagerly
   */
  public static Scope jitScope(Predicate<NodeDef> compileOps, boolean separateCompiledGradients) {
    if (compileOps == null) {
      throw new InvalidArgumentException("jitScope: compileOps is null; expected a predicate on "
          + "NodeDef, or a boolean");
    }
    return JitScopes.enter(true, compileOps, separateCompiledGradients);
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

  /**
   * How much the jit has compiled since the process started: clusters lowered (once per input
   * signature), fused kernels generated, kernels found already generated (a retrace of the same
   * computation compiles nothing), and kernel runs on generated code. No TensorFlow equivalent
   * (XLA logs this with {@code TF_XLA_FLAGS}).
   *
   * <pre>{@code
   * JitStats s = Scopes.jitStats();
   * System.out.println(s.clustersPrepared() + " clusters, " + s.kernelsCompiled() + " kernels");
   * }</pre>
   */
  public static JitStats jitStats() {
    return FusionRunner.stats();
  }
}
