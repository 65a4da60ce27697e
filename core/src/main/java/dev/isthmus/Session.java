package dev.isthmus;

import dev.isthmus.internal.ContextStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs parts of a {@link Graph} (TensorFlow 1's {@code tf.compat.v1.Session}).
 *
 * <p>{@link #run(List, Map)} runs exactly the nodes the fetches need, given the feeds, with the
 * same kernels as eager execution, and returns concrete tensors. The plan for a set of fetches
 * and fed tensors is made once and reused. Sessions are cheap; closing one drops its plans.
 *
 * <pre>{@code
 * Graph g = new Graph();
 * Tensor x, y;
 * try (Scope s = g.asDefault()) {
 *   x = Ops.placeholder(DType.FLOAT32, 2);
 *   y = x.mul(2f).add(1f);
 * }
 * try (Session sess = new Session(g)) {
 *   Tensor out = sess.run(y, Map.of(x, Tensor.of(1f, 2f)));   // [3. 5.]
 * }
 * }</pre>
 */
public final class Session implements AutoCloseable {
  private final Graph graph;
  private final Map<List<Object>, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<Object>, Plan> e) {
      return size() > 64;
    }
  };
  private volatile boolean closed;

  /** A session over {@code graph}. */
  public Session(Graph graph) {
    if (graph == null) {
      throw new InvalidArgumentException("Session: graph is null");
    }
    this.graph = graph;
  }

  /**
   * A session over the graph ops go to now: the default graph (TensorFlow's
   * {@code tf.compat.v1.Session()} with no graph).
   *
   * @throws FailedPreconditionException when executing eagerly
   */
  public Session() {
    this(defaultGraph());
  }

  private static Graph defaultGraph() {
    Graph g = Graph.current();
    if (g == null) {
      throw new FailedPreconditionException(
          "Session: no default graph: ops execute eagerly here. Pass a Graph, make one default "
              + "with Graph.asDefault(), or call Context.disableEagerExecution()");
    }
    return g;
  }

  /** The session's graph. */
  public Graph graph() {
    return graph;
  }

  /**
   * Runs the nodes needed for {@code fetches} with {@code feeds} (values for placeholders, or
   * for any tensor, which cuts off what it depends on). A fetch is a {@link Tensor} of the graph,
   * whose value is returned, or an {@link Operation}, which is run for its effects and gives
   * {@code null} in the result.
   *
   * @throws InvalidArgumentException for a fetch or feed of another graph, a placeholder left
   *     unfed, or a fed value of the wrong dtype or shape
   */
  public List<Tensor> run(List<?> fetches, Map<Tensor, Tensor> feeds) {
    if (closed) {
      throw new FailedPreconditionException("Session.run: the session is closed");
    }
    if (fetches == null) {
      throw new InvalidArgumentException("Session.run: fetches is null");
    }
    Map<Tensor, Tensor> fd = feeds == null ? Map.of() : feeds;
    List<Tensor> tensors = new ArrayList<>();
    List<Operation> targets = new ArrayList<>();
    int[] where = new int[fetches.size()];
    for (int i = 0; i < where.length; i++) {
      Object f = fetches.get(i);
      if (f instanceof Tensor t) {
        where[i] = tensors.size();
        tensors.add(t);
      } else if (f instanceof Operation o) {
        where[i] = -1;
        targets.add(o);
      } else {
        throw new InvalidArgumentException("Session.run: fetch #" + i + " is "
            + (f == null ? "null" : "a " + f.getClass().getSimpleName())
            + "; expected a Tensor or an Operation of graph '" + graph.name() + "'");
      }
    }
    List<Tensor> fedKeys = new ArrayList<>(fd.size());
    Tensor[] fedValues = new Tensor[fd.size()];
    for (Map.Entry<Tensor, Tensor> e : fd.entrySet()) {
      fedValues[fedKeys.size()] = e.getValue();
      fedKeys.add(e.getKey());
    }
    List<Object> key = new ArrayList<>(tensors.size() + targets.size() + fedKeys.size() + 2);
    key.addAll(tensors);
    key.add("|");
    key.addAll(targets);
    key.add("|");
    key.addAll(fedKeys);
    key.add(graph.size()); // a grown graph may need new nodes finalized
    Plan plan;
    synchronized (plans) {
      plan = plans.get(key);
    }
    if (plan == null) {
      GraphPasses.finalizeForExecution(graph);
      plan = Plan.build("Session.run", graph, tensors, targets, fedKeys, false);
      synchronized (plans) {
        plans.put(key, plan);
      }
    }
    Tensor[] values;
    try (Scope eager = ContextStack.push(dev.isthmus.internal.EagerContext.INSTANCE)) {
      values = plan.run("Session.run", fedValues);
    }
    List<Tensor> out = new ArrayList<>(where.length);
    for (int w : where) {
      out.add(w < 0 ? null : values[w]);
    }
    return out;
  }

  /** Runs the nodes needed for one fetch; its value. */
  public Tensor run(Tensor fetch, Map<Tensor, Tensor> feeds) {
    return run(java.util.Collections.singletonList(fetch), feeds).get(0);
  }

  /** Runs the nodes needed for one fetch, with no feeds; its value. */
  public Tensor run(Tensor fetch) {
    return run(java.util.Collections.singletonList(fetch), Map.of()).get(0);
  }

  /** Closes the session; later runs fail. */
  @Override
  public void close() {
    closed = true;
    synchronized (plans) {
      plans.clear();
    }
  }
}
