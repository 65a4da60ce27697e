package dev.isthmus.internal;

import dev.isthmus.InternalException;
import dev.isthmus.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The thread-local stack of execution contexts (DESIGN principle 4), TensorFlow's context-switch
 * stack. Its implicit bottom is the eager context, or, in graph mode
 * ({@code Context.disableEagerExecution()}), the global default graph. Pushes return a
 * {@link Scope} whose close pops exactly that entry, so try-with-resources keeps the stack
 * balanced even on exceptions.
 */
public final class ContextStack {
  private static final ThreadLocal<ArrayList<ExecutionContext>> STACK =
      ThreadLocal.withInitial(ArrayList::new);

  // Graph mode is process-wide, as TensorFlow's disable_eager_execution.
  private static volatile boolean graphMode;
  private static volatile ExecutionContext globalGraph;
  private static Supplier<ExecutionContext> globalGraphFactory;

  private ContextStack() {}

  /** The context ops go to on this thread now. */
  public static ExecutionContext current() {
    ArrayList<ExecutionContext> s = STACK.get();
    if (!s.isEmpty()) {
      return s.getLast();
    }
    return graphMode ? globalGraph() : EagerContext.INSTANCE;
  }

  /** Makes {@code c} current until the returned scope is closed. */
  public static Scope push(ExecutionContext c) {
    ArrayList<ExecutionContext> s = STACK.get();
    s.add(c);
    int depth = s.size();
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        if (s.size() != depth || s.getLast() != c) {
          throw new InternalException(
              "scopes closed out of order: expected to leave " + c + " at depth " + depth
                  + " but the stack has depth " + s.size());
        }
        closed = true;
        s.removeLast();
      }
    };
  }

  /** A snapshot of this thread's stack, bottom first (without the implicit bottom). */
  public static List<ExecutionContext> snapshot() {
    return List.copyOf(STACK.get());
  }

  /** True when graph mode (TF1 style) is on. */
  public static boolean graphMode() {
    return graphMode;
  }

  /** Turns graph mode on or off. */
  public static void setGraphMode(boolean on) {
    graphMode = on;
  }

  /**
   * Installs what makes the global default graph's context the first time it is needed; the
   * graph is then kept (TensorFlow keeps its global graph too).
   */
  public static synchronized void installGlobalGraph(Supplier<ExecutionContext> factory) {
    globalGraphFactory = factory;
  }

  /** The global default graph's context, created on first use. */
  public static ExecutionContext globalGraph() {
    ExecutionContext g = globalGraph;
    if (g == null) {
      synchronized (ContextStack.class) {
        g = globalGraph;
        if (g == null) {
          if (globalGraphFactory == null) {
            throw new InternalException("no global default graph factory installed");
          }
          globalGraph = g = globalGraphFactory.get();
        }
      }
    }
    return g;
  }
}
