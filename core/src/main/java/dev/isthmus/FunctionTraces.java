package dev.isthmus;

import dev.isthmus.internal.GraphAccess.FunctionTrace;
import java.util.ArrayList;

/**
 * The {@link Function} traces in progress on this thread, innermost last, each with its graph
 * and whether the function is jit-compiled. The scopes module's node hook reads them through
 * {@code GraphAccess.functionTrace} (jitScope rule 6, and where a jit scope's reach ends: a
 * function's graph, unlike a cond branch or loop body, is not inside the scopes open around
 * its call); nothing else in core does.
 */
final class FunctionTraces {
  private static final ThreadLocal<ArrayList<FunctionTrace>> TRACES =
      ThreadLocal.withInitial(ArrayList::new);

  private FunctionTraces() {}

  /** Records that {@code f} is being traced into {@code g} until the scope closes. */
  static Scope enter(Function f, Graph g) {
    ArrayList<FunctionTrace> s = TRACES.get();
    FunctionTrace t = new FunctionTrace(f.name(), g, f.jitCompile());
    s.add(t);
    return () -> s.remove(t);
  }

  /** The trace in progress on this thread whose graph is {@code g}, or null. */
  static FunctionTrace of(Graph g) {
    ArrayList<FunctionTrace> s = TRACES.get();
    for (int i = s.size() - 1; i >= 0; i--) {
      if (s.get(i).graph() == g) {
        return s.get(i);
      }
    }
    return null;
  }
}
