package dev.isthmus;

import dev.isthmus.internal.GraphAccess.JitTrace;
import java.util.ArrayList;

/**
 * The traces of jit-compiled functions ({@code Function.builder().jitCompile(true)}) in
 * progress on this thread, innermost last. The scopes module's node hook reads them through
 * {@code GraphAccess.jitTrace} to mark every node of such a trace (jitScope rule 6); nothing
 * else in core does.
 */
final class JitTraces {
  private static final ThreadLocal<ArrayList<JitTrace>> TRACES =
      ThreadLocal.withInitial(ArrayList::new);

  private JitTraces() {}

  /** Records that {@code function} is being traced into {@code g} until the scope closes. */
  static Scope enter(String function, Graph g) {
    ArrayList<JitTrace> s = TRACES.get();
    JitTrace t = new JitTrace(function, g);
    s.add(t);
    return () -> s.remove(t);
  }

  /** The innermost trace whose graph is {@code g} or a graph {@code g} was traced inside. */
  static JitTrace of(Graph g) {
    ArrayList<JitTrace> s = TRACES.get();
    for (int i = s.size() - 1; i >= 0; i--) {
      if (g.isSelfOrOuter(s.get(i).graph())) {
        return s.get(i);
      }
    }
    return null;
  }
}
