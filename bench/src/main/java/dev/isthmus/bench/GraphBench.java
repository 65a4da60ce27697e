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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The graph executor's fixed cost per node, and the cost of a trace-cache hit.
 *
 * <p>The graph is a chain of {@link #NODES} scalar (rank-0) FLOAT32 ops cycling through add,
 * mul, sub and maximum of the running value with the two arguments, so the kernels cost almost
 * nothing and what is timed is the executor: the call op's dispatch, the plan's slots, each
 * node's shape rule and kernel dispatch and its output allocation. The methods doing the chain
 * report time per node ({@code @OperationsPerInvocation(NODES)}): traced through
 * {@code Function.call}, run by a {@code Session} from placeholders, executed eagerly op by op
 * (the same kernels, the same allocations, no graph) and as a plain Java float loop for scale.
 * A function of one add against the eager add shows the fixed cost of a call.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class GraphBench {
  /** The ops in the chain: every one is a graph node. */
  public static final int NODES = 100;

  private Tensor x;
  private Tensor y;
  private Function chain;
  private Function addOne;
  private Graph graph;
  private Session session;
  private Map<Tensor, Tensor> feeds;
  private Tensor fetch;
  private float xf;
  private float yf;

  /** The chain of ops on {@code x} and {@code y}: {@link #NODES} ops, eager or recorded. */
  static Tensor chain(Tensor x, Tensor y) {
    Tensor a = x;
    for (int i = 0; i < NODES; i++) {
      a = switch (i & 3) {
        case 0 -> Ops.add(a, x);
        case 1 -> Ops.mul(a, y);
        case 2 -> Ops.sub(a, x);
        default -> Ops.maximum(a, y);
      };
    }
    return a;
  }

  /** Traces the function, builds the session's graph, and runs each once (plans are made). */
  @Setup
  public void setup() {
    x = Tensor.scalar(1.5f);
    y = Tensor.scalar(0.5f);
    xf = 1.5f;
    yf = 0.5f;
    chain = Function.of(GraphBench::chain);
    addOne = Function.of(Ops::add);
    graph = new Graph();
    Tensor px;
    Tensor py;
    try (Scope s = graph.asDefault()) {
      px = Ops.placeholder(DType.FLOAT32);
      py = Ops.placeholder(DType.FLOAT32);
      fetch = chain(px, py);
    }
    session = new Session(graph);
    feeds = Map.of(px, x, py, y);
    float want = baselineJavaLoop();
    check(chain.call(x, y), want, "Function.call");
    check(session.run(fetch, feeds), want, "Session.run");
    check(baselineEager(), want, "eager");
    check(addOne.call(x, y), xf + yf, "addOne");
    if (chain.tracingCount() != 1) {
      throw new IllegalStateException("traced " + chain.tracingCount() + " times");
    }
    int nodes = chain.getConcreteFunction(x, y).graph().operations().size();
    if (nodes != NODES + 2) { // + the two argument placeholders
      throw new IllegalStateException("the function graph has " + nodes + " nodes");
    }
  }

  private static void check(Tensor t, float want, String what) {
    if (t.item() != want) {
      throw new IllegalStateException(what + " gave " + t.item() + ", expected " + want);
    }
  }

  /** Closes the session. */
  @TearDown
  public void tearDown() {
    session.close();
  }

  /** The traced chain through {@code Function.call}: per node. */
  @Benchmark
  @OperationsPerInvocation(NODES)
  public Tensor functionCall() {
    return chain.call(x, y);
  }

  /** The same graph, built with placeholders, through {@code Session.run}: per node. */
  @Benchmark
  @OperationsPerInvocation(NODES)
  public Tensor sessionRun() {
    return session.run(fetch, feeds);
  }

  /** The same 100 ops executed eagerly, one dispatch each: per op. */
  @Benchmark
  @OperationsPerInvocation(NODES)
  public Tensor baselineEager() {
    return chain(x, y);
  }

  /** The same arithmetic on Java floats (no tensors, no allocation), for scale: per op. */
  @Benchmark
  @OperationsPerInvocation(NODES)
  public float baselineJavaLoop() {
    float a = xf;
    float b = yf;
    float v = a;
    for (int i = 0; i < NODES; i++) {
      v = switch (i & 3) {
        case 0 -> v + a;
        case 1 -> v * b;
        case 2 -> v - a;
        default -> Math.max(v, b);
      };
    }
    return v;
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
    return chain.getConcreteFunction(x, y);
  }
}
