package dev.isthmus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Passes run over a graph when it is finalized for execution (a Session's plan, a function's
 * first call): the scopes module's clustering pass registers here through
 * {@link dev.isthmus.internal.GraphAccess}. Without it, nothing runs.
 */
final class GraphPasses {
  private static final List<Consumer<Graph>> PASSES = new CopyOnWriteArrayList<>();

  private GraphPasses() {}

  static void add(Consumer<Graph> pass) {
    PASSES.add(pass);
  }

  static void finalizeForExecution(Graph g) {
    for (Consumer<Graph> p : PASSES) {
      p.accept(g);
    }
  }
}
