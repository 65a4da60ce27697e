package dev.isthmus.internal;

import dev.isthmus.Graph;
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
}
