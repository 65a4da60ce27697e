package dev.isthmus;

import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.IntraOp;

/** The current thread's execution state, as TensorFlow's {@code tf.executing_eagerly} and friends. */
public final class Context {
  private static volatile boolean globalJit;

  private Context() {}

  /** True when ops run now (eager), false while a graph is being built (tf.executing_eagerly). */
  public static boolean executingEagerly() {
    return ContextStack.current().executingEagerly();
  }

  /**
   * Sets how many threads one op may use (tf.config.threading.set_intra_op_parallelism_threads):
   * 0 means all available processors (the default), 1 runs everything on the calling thread.
   * Process-wide. Results are bit for bit the same whatever the setting: work is split at
   * boundaries that depend only on the problem size. Small ops always stay on the caller.
   *
   * @throws InvalidArgumentException if {@code threads} is negative
   */
  public static void setIntraOpParallelism(int threads) {
    IntraOp.setParallelism(threads);
  }

  /**
   * The intra-op parallelism setting: 0 (all available processors) or a thread count
   * (tf.config.threading.get_intra_op_parallelism_threads).
   */
  public static int intraOpParallelism() {
    return IntraOp.parallelism();
  }

  /**
   * Turns graph mode on (tf.compat.v1.disable_eager_execution): ops no longer run, they add
   * nodes to the global default graph ({@link Graph#globalDefault()}) unless another graph is
   * made default. Process-wide, as in TensorFlow.
   */
  public static void disableEagerExecution() {
    // Graph's initializer installs the factory of the global default graph: graph mode may be
    // turned on before any Graph was made (the graph itself is still made on first use)
    dev.isthmus.internal.GraphAccess.get();
    ContextStack.setGraphMode(true);
  }

  /** Turns graph mode off (tf.compat.v1.enable_eager_execution): ops run when called again. */
  public static void enableEagerExecution() {
    ContextStack.setGraphMode(false);
  }

  /**
   * Turns global auto-clustering on or off (tf.config.optimizer.set_jit): when on, graphs
   * finalized for execution from then on also cluster ops that no jit scope marked; ops marked
   * {@code _XlaCompile = false} are never compiled. Process-wide. Needs the scopes module
   * (docs/SCOPES.md jitScope rule 7).
   */
  public static void setGlobalJit(boolean on) {
    globalJit = on;
  }

  /** True when global auto-clustering is on (tf.config.optimizer.get_jit). */
  public static boolean globalJit() {
    return globalJit;
  }

  /**
   * The current name scope on this thread, {@code ""} at the top (tf.get_current_name_scope):
   * that of the graph being built, or of the eager context.
   */
  public static String currentNameScope() {
    return ContextStack.current() instanceof Graph.Context gc ? gc.graph().currentNameScope()
        : EagerNames.current();
  }

  private static final Executor SYNC = new Executor() {
    @Override
    public void waitForPending() {}

    @Override
    public void clearError() {}

    @Override
    public boolean isAsync() {
      return false;
    }

    @Override
    public String toString() {
      return "synchronous executor";
    }
  };

  /**
   * This thread's executor: the innermost async scope's, or the synchronous one (TensorFlow's
   * {@code context.executor}).
   */
  public static Executor executor() {
    java.util.List<dev.isthmus.internal.ExecutionContext> stack = ContextStack.snapshot();
    for (int i = stack.size() - 1; i >= 0; i--) {
      if (stack.get(i) instanceof Executor e) {
        return e;
      }
    }
    return SYNC;
  }
}
