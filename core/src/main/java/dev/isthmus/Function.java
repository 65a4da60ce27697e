package dev.isthmus;

import dev.isthmus.internal.ContextStack;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A Java lambda traced into a graph and run as one (TensorFlow's {@code tf.function}).
 *
 * <p>The first call with a given input signature (each argument's dtype and shape, or only its
 * rank with {@link Builder#relaxShapes}) runs the lambda once on symbolic placeholders, recording
 * a function graph: a {@link ConcreteFunction}. Later calls with the same signature run that
 * graph without running the Java code again; a new signature traces again. Tensors the lambda
 * closes over are captured: eager tensors are passed in at each call (their value at trace
 * time), values written down ({@code Tensor.of}) become constants, and {@link Variable}s are read
 * and written at each call. A call inside another function's trace is one node of that graph.
 * Results are eager tensors.
 *
 * <p>Java code in the lambda runs only while tracing: a side effect (printing, a Java counter)
 * happens once per trace, as in TensorFlow. Use {@code Scopes.initScope()} to run code eagerly
 * during the trace (for example to create variables once).
 *
 * <pre>{@code
 * Function f = Function.of((x, y) -> x.matmul(y).relu());
 * Tensor z = f.call(a, b);   // traces, then runs the graph
 * Tensor w = f.call(c, d);   // same signature: runs the graph only
 * }</pre>
 */
public final class Function {
  private static final AtomicInteger ANONYMOUS = new AtomicInteger();
  private static final ThreadLocal<ArrayDeque<Trace>> TRACING =
      ThreadLocal.withInitial(ArrayDeque::new);

  private final String name;
  private final boolean jitCompile;
  private final boolean relaxShapes;
  private final int arity; // -1: any
  private final java.util.function.Function<List<Tensor>, List<Tensor>> body;
  private final ConcurrentHashMap<List<Object>, ConcreteFunction> cache =
      new ConcurrentHashMap<>();
  private final AtomicInteger traces = new AtomicInteger();
  // The last signature looked up and its trace: a repeated call matches it without building a
  // key (immutable, published racily; a stale one is only a miss).
  private volatile Hit last;

  private Function(Builder b, int arity,
      java.util.function.Function<List<Tensor>, List<Tensor>> body) {
    this.name = b.name != null ? b.name : "function_" + ANONYMOUS.getAndIncrement();
    this.jitCompile = b.jitCompile;
    this.relaxShapes = b.relaxShapes;
    this.arity = arity;
    this.body = body;
  }

  /** A function of no arguments and one result. */
  public static Function of(Supplier<Tensor> body) {
    return builder().build(body);
  }

  /** A function of one argument and one result. */
  public static Function of(UnaryOperator<Tensor> body) {
    return builder().build(body);
  }

  /** A function of two arguments and one result. */
  public static Function of(BinaryOperator<Tensor> body) {
    return builder().build(body);
  }

  /** A function of any number of arguments and results. */
  public static Function ofList(java.util.function.Function<List<Tensor>, List<Tensor>> body) {
    return builder().buildList(body);
  }

  /** Options: {@code Function.builder().name("step").relaxShapes(true).build(...)}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The function's name (its graphs' name). */
  public String name() {
    return name;
  }

  /** True when it was built with {@code jitCompile(true)} (TensorFlow's {@code jit_compile}). */
  public boolean jitCompile() {
    return jitCompile;
  }

  /**
   * How many times the lambda has been traced (TensorFlow's
   * {@code experimental_get_tracing_count}).
   */
  public int tracingCount() {
    return traces.get();
  }

  /**
   * Calls the function; its single result.
   *
   * @throws InvalidArgumentException if the function does not return exactly one tensor, or
   *     the arguments do not fit
   */
  public Tensor call(Tensor... args) {
    ConcreteFunction f = concrete(args);
    int n = f.outputs().size();
    if (n != 1) { // checked before running: a refused call has no side effects
      throw new InvalidArgumentException(
          "Function " + name + " returns " + n + " tensors; use callAll");
    }
    return f.callArray(args)[0];
  }

  /** Calls the function; all its results. */
  public List<Tensor> callAll(Tensor... args) {
    return concrete(args).call(args);
  }

  /**
   * The trace for arguments like {@code args} (concrete or symbolic tensors; only their dtypes
   * and shapes matter), tracing now if there is none.
   */
  public ConcreteFunction getConcreteFunction(Tensor... args) {
    return concrete(args);
  }

  private ConcreteFunction concrete(Tensor[] args) {
    Objects.requireNonNull(args, "args");
    if (arity >= 0 && args.length != arity) {
      throw new InvalidArgumentException(
          "Function " + name + ": expected " + arity + " arguments, got " + args.length);
    }
    Graph outer = Graph.current(); // a trace captures from where it was made (null: eager)
    Hit h = last;
    if (h != null && h.matches(outer, args)) {
      return h.f;
    }
    Object[] key = new Object[1 + 2 * args.length];
    key[0] = outer;
    // inside a relaxed trace, shapes are the first call's: trace per rank too
    boolean relax = relaxShapes || (outer != null && outer.relaxedShapes());
    for (int i = 0; i < args.length; i++) {
      Tensor a = args[i];
      if (a == null) {
        throw new InvalidArgumentException("Function " + name + ": argument #" + i + " is null");
      }
      key[1 + 2 * i] = a.dtype();
      key[2 + 2 * i] = relax ? (Object) a.rank() : a.shape();
    }
    List<Object> k = Arrays.asList(key);
    ConcreteFunction f = cache.get(k);
    if (f == null) {
      f = trace(k, args, relax);
    }
    last = new Hit(key, f, relax);
    return f;
  }

  /** A signature key ({@code outer graph, dtype0, shape0 or rank0, ...}) and its trace. */
  private record Hit(Object[] key, ConcreteFunction f, boolean relaxed) {
    boolean matches(Graph outer, Tensor[] args) {
      if (key[0] != outer || key.length != 1 + 2 * args.length) {
        return false;
      }
      for (int i = 0; i < args.length; i++) {
        Tensor a = args[i];
        if (a == null || a.dtype() != key[1 + 2 * i]) {
          return false;
        }
        Object s = key[2 + 2 * i];
        if (relaxed ? a.rank() != (Integer) s : a.shape() != s && !a.shape().equals(s)) {
          return false;
        }
      }
      return true;
    }
  }

  private synchronized ConcreteFunction trace(List<Object> key, Tensor[] args, boolean relax) {
    ConcreteFunction f = cache.get(key);
    if (f != null) {
      return f;
    }
    Graph outer = (Graph) key.get(0);
    boolean first = traces.get() == 0;
    ArrayDeque<Trace> tracing = TRACING.get();
    tracing.push(new Trace(this, first));
    try {
      List<Tensor> specs = List.of(args);
      f = ConcreteFunction.trace(name, outer, specs, body, relax, this);
    } finally {
      tracing.pop();
    }
    traces.incrementAndGet();
    cache.put(key, f);
    return f;
  }

  /** The function being traced on this thread (innermost), or null. */
  static Trace currentTrace() {
    return TRACING.get().peek();
  }

  /** True when traces are made per rank rather than per shape ({@link Builder#relaxShapes}). */
  boolean relaxShapes() {
    return relaxShapes;
  }

  /** A trace in progress: which function, and whether it is that function's first. */
  record Trace(Function function, boolean first) {}

  @Override
  public String toString() {
    return "Function(" + name + ", " + traces.get() + " traces)";
  }

  /** Builds a {@link Function} with options. */
  public static final class Builder {
    private String name;
    private boolean jitCompile;
    private boolean relaxShapes;

    private Builder() {}

    /** The name of the function and of its graphs. */
    public Builder name(String name) {
      Graph.checkScopeName(name);
      this.name = name;
      return this;
    }

    /** Compile the whole function with the fusion compiler (TensorFlow's jit_compile). */
    public Builder jitCompile(boolean on) {
      this.jitCompile = on;
      return this;
    }

    /**
     * Trace once per argument dtype and rank rather than per shape (TensorFlow's
     * {@code reduce_retracing}). The graph is traced with the first call's shapes; every node
     * re-checks its shapes when it runs, so other shapes of the same rank run correctly unless
     * the lambda's Java code baked a traced dimension into an attribute (for example a
     * reshape to {@code x.shape().dim(0)}), which then fails with that node's error.
     */
    public Builder relaxShapes(boolean on) {
      this.relaxShapes = on;
      return this;
    }

    /** A function of no arguments. */
    public Function build(Supplier<Tensor> body) {
      Objects.requireNonNull(body, "body");
      return new Function(this, 0, args -> java.util.Collections.singletonList(body.get()));
    }

    /** A function of one argument. */
    public Function build(UnaryOperator<Tensor> body) {
      Objects.requireNonNull(body, "body");
      return new Function(this, 1, args -> java.util.Collections.singletonList(body.apply(args.get(0))));
    }

    /** A function of two arguments. */
    public Function build(BinaryOperator<Tensor> body) {
      Objects.requireNonNull(body, "body");
      return new Function(this, 2, args -> java.util.Collections.singletonList(
          body.apply(args.get(0), args.get(1))));
    }

    /** A function of any number of arguments and results. */
    public Function buildList(java.util.function.Function<List<Tensor>, List<Tensor>> body) {
      Objects.requireNonNull(body, "body");
      return new Function(this, -1, body);
    }
  }

  static boolean tracing() {
    return !TRACING.get().isEmpty() && !ContextStack.current().executingEagerly();
  }
}
