package dev.isthmus.bench;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The graph executor's fixed cost per node, against the graph's size, and the cost of a
 * trace-cache hit.
 *
 * <p>The graph is a chain of {@code nodes} scalar (rank-0) FLOAT32 ops cycling through add, mul,
 * sub and maximum of the running value with the two arguments, so the kernels cost almost
 * nothing and what is timed is the executor: the call op's dispatch, the plan's slots, each
 * node's shape rule and kernel dispatch and its output allocation. The methods doing the chain
 * run {@link #OPS} nodes per invocation whatever the chain's length ({@code OPS / nodes} calls
 * of it) and report time per node ({@code @OperationsPerInvocation(OPS)}), so a short chain
 * shows the call's fixed cost spread over few nodes: traced through {@code Function.call}, run
 * by a {@code Session} from placeholders, executed eagerly op by op (the same kernels, the same
 * allocations, no graph) and as a plain Java float loop for scale. {@code nodes} is 100 unless
 * overridden ({@code ./isthmus bench report} runs 1 to 1000). A function of one add against the
 * eager add shows the fixed cost of a call.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class GraphBench {
  /** Nodes run per invocation of a chain method: a multiple of every chain length. */
  public static final int OPS = 1000;

  private Tensor x;
  private Tensor y;
  private Function addOne;

  /** The chain of {@code nodes} ops on {@code x} and {@code y}, eager or recorded. */
  static Tensor chain(Tensor x, Tensor y, int nodes) {
    Tensor a = x;
    for (int i = 0; i < nodes; i++) {
      a = switch (i & 3) {
        case 0 -> Ops.add(a, x);
        case 1 -> Ops.mul(a, y);
        case 2 -> Ops.sub(a, x);
        default -> Ops.maximum(a, y);
      };
    }
    return a;
  }

  /** The same chain on Java floats. */
  static float chain(float a, float b, int nodes) {
    float v = a;
    for (int i = 0; i < nodes; i++) {
      v = switch (i & 3) {
        case 0 -> v + a;
        case 1 -> v * b;
        case 2 -> v - a;
        default -> Math.max(v, b);
      };
    }
    return v;
  }

  /** The arguments and the one-add function, traced and run once. */
  @Setup
  public void setup() {
    x = Tensor.scalar(1.5f);
    y = Tensor.scalar(0.5f);
    addOne = Function.of(Ops::add);
    check(addOne.call(x, y), 1.5f + 0.5f, "addOne");
  }

  /** A chain of {@code nodes} ops: traced, built into a session's graph, each run once. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Chain {
    /** The chain's length: a divisor of {@link #OPS}. */
    @Param("100")
    public int nodes;

    int calls;
    float xf;
    float yf;
    Function chain;
    Graph graph;
    Session session;
    Map<Tensor, Tensor> feeds;
    Tensor fetch;

    /** Traces the function, builds the session's graph, and runs each once (plans are made). */
    @Setup
    public void setup(GraphBench b) {
      if (nodes < 1 || OPS % nodes != 0) {
        throw new IllegalArgumentException("nodes must divide " + OPS + ", got " + nodes);
      }
      calls = OPS / nodes;
      xf = 1.5f;
      yf = 0.5f;
      int n = nodes;
      chain = Function.of((Tensor a, Tensor c) -> GraphBench.chain(a, c, n));
      graph = new Graph();
      Tensor px;
      Tensor py;
      try (Scope s = graph.asDefault()) {
        px = Ops.placeholder(DType.FLOAT32);
        py = Ops.placeholder(DType.FLOAT32);
        fetch = GraphBench.chain(px, py, nodes);
      }
      session = new Session(graph);
      feeds = Map.of(px, b.x, py, b.y);
      float want = GraphBench.chain(xf, yf, nodes);
      check(chain.call(b.x, b.y), want, "Function.call");
      check(session.run(fetch, feeds), want, "Session.run");
      check(GraphBench.chain(b.x, b.y, nodes), want, "eager");
      if (chain.tracingCount() != 1) {
        throw new IllegalStateException("traced " + chain.tracingCount() + " times");
      }
      int ops = chain.getConcreteFunction(b.x, b.y).graph().operations().size();
      if (ops != nodes + 2) { // + the two argument placeholders
        throw new IllegalStateException("the function graph has " + ops + " nodes");
      }
    }

    /** Closes the session. */
    @TearDown
    public void tearDown() {
      session.close();
    }
  }

  private static void check(Tensor t, float want, String what) {
    if (t.item() != want) {
      throw new IllegalStateException(what + " gave " + t.item() + ", expected " + want);
    }
  }

  /** The traced chain through {@code Function.call}: per node. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public void functionCall(Chain c, Blackhole bh) {
    for (int i = 0; i < c.calls; i++) {
      bh.consume(c.chain.call(x, y));
    }
  }

  /** The same graph, built with placeholders, through {@code Session.run}: per node. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public void sessionRun(Chain c, Blackhole bh) {
    for (int i = 0; i < c.calls; i++) {
      bh.consume(c.session.run(c.fetch, c.feeds));
    }
  }

  /** The same ops executed eagerly, one dispatch each: per op. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public void baselineEager(Chain c, Blackhole bh) {
    for (int i = 0; i < c.calls; i++) {
      bh.consume(chain(x, y, c.nodes));
    }
  }

  /** The same arithmetic on Java floats (no tensors, no allocation), for scale: per op. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public float baselineJavaLoop(Chain c) {
    float sum = 0;
    for (int i = 0; i < c.calls; i++) {
      sum += chain(c.xf, c.yf, c.nodes);
    }
    return sum;
  }

  /** A traced function of one node (an add): the fixed cost of a call, per call. */
  @Benchmark
  public Tensor functionCallOneOp() {
    return addOne.call(x, y);
  }

  /** The same add, eagerly. */
  @Benchmark
  public Tensor baselineEagerOneOp() {
    return Ops.add(x, y);
  }

  /** A trace-cache hit: the concrete function for a signature already traced. */
  @Benchmark
  public ConcreteFunction cacheHit() {
    return addOne.getConcreteFunction(x, y);
  }
}
