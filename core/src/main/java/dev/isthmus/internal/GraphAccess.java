package dev.isthmus.internal;

import dev.isthmus.Graph;
import dev.isthmus.IsthmusException;
import dev.isthmus.Operation;
import dev.isthmus.Scope;
import java.util.function.Consumer;

/**
 * The scopes module's door into the graph engine (the JDK's "shared secrets" pattern): the
 * scopes need to enter {@code initScope}, mark nodes as they are created and run passes when a
 * graph is finalized, which users must not do.
 */
public abstract class GraphAccess {
  private static GraphAccess access;

  /** Called once, by {@link Graph}'s static initializer. */
  public static void install(GraphAccess a) {
    if (access != null) {
      throw new IllegalStateException("GraphAccess installed twice");
    }
    access = a;
  }

  /** The installed access. */
  public static GraphAccess get() {
    GraphAccess a = access;
    if (a == null) {
      try {
        Class.forName(Graph.class.getName(), true, Graph.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
      a = access;
    }
    return a;
  }

  /** Enters an init scope (see docs/SCOPES.md). */
  public abstract Scope initScope();

  /** Runs {@code hook} on every graph node as it is created. */
  public abstract void addNodeHook(Consumer<Operation> hook);

  /** Runs {@code pass} on a graph each time it is finalized for execution. */
  public abstract void addGraphPass(Consumer<Graph> pass);

  /** Records attribute {@code key} on {@code op} unless it has one; true if it was set. */
  public abstract boolean setAttrIfAbsent(Operation op, String key, Object value);

  /** Records or replaces attribute {@code key} on {@code op}. */
  public abstract void setAttr(Operation op, String key, Object value);

  /** The forward node {@code op} was built to differentiate, or null (jitScope rule 5). */
  public abstract Operation gradientOf(Operation op);

  /** The next value of {@code g}'s jit scope counter (0, 1, ...; never reset). */
  public abstract int nextJitScope(Graph g);

  // ---- jit (docs/SCOPES.md jitScope)

  /** Installs the runner the executor hands jit clusters to (null: members run one by one). */
  public abstract void setClusterRunner(ClusterRunner runner);

  /** {@code e} with node {@code op} named in its message, its type kept (as plans report). */
  public abstract IsthmusException atNode(IsthmusException e, Operation op);

  /** The graph {@code g} was traced inside (function or control-flow graphs), or null. */
  public abstract Graph outerGraph(Graph g);

  /**
   * The trace in progress on this thread of the {@code Function} whose graph is {@code g}, or
   * null: {@code g} is then eager-made, a plain graph, or a cond branch or loop body graph
   * (jitScope rule 6 and the reach of jit scopes).
   */
  public abstract FunctionTrace functionTrace(Graph g);

  /**
   * The name scope of the gradient computation building nodes on this thread now: the scope
   * {@code Ops.gradients} opened, or the one current when a tape's gradient was asked; null
   * when no gradient is being built (jitScope rule 5).
   */
  public abstract String gradientScope();

  /**
   * A {@code Function}'s trace in progress.
   *
   * @param function the function's name
   * @param graph the function graph being traced
   * @param jitCompile whether the function was built with {@code jitCompile(true)}
   */
  public record FunctionTrace(String function, Graph graph, boolean jitCompile) {}
}
