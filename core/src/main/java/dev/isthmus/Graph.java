package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.ExecutionContext;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.GraphExtension;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Recording;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A dataflow graph of {@link Operation}s (TensorFlow's {@code tf.Graph}). Ops called while a
 * graph is the default ({@link #asDefault()}, a {@link Function} being traced, or graph mode)
 * add nodes to it instead of running; a {@link Session} runs the part a fetch needs.
 *
 * <p>Node names are unique: an op gets its type as name ({@code "MatMul"}), prefixed by the
 * open name scopes ({@code "layer1/MatMul"}) and suffixed {@code _1}, {@code _2}, ... when taken.
 * Name scopes and control dependencies are per graph and per thread, as in TensorFlow; adding
 * nodes is thread-safe.
 *
 * <p>Values the user wrote down ({@link Tensor#of(float...)} and friends, scalars) become
 * {@code Const} nodes when used as inputs, as TensorFlow converts numpy values. The result of
 * an eager op can only enter a graph that is building a function, which captures it.
 */
public final class Graph {
  static {
    GraphAccess.install(new GraphAccess() {
      @Override
      public Scope initScope() {
        return InitScope.enter();
      }

      @Override
      public void addNodeHook(Consumer<Operation> hook) {
        NodeHooks.add(hook);
      }

      @Override
      public void addGraphPass(Consumer<Graph> pass) {
        GraphPasses.add(pass);
      }

      @Override
      public boolean setAttrIfAbsent(Operation op, String key, Object value) {
        return op.setAttrIfAbsent(key, value);
      }

      @Override
      public void setAttr(Operation op, String key, Object value) {
        op.setAttr(key, value);
      }

      @Override
      public Operation gradientOf(Operation op) {
        return op.gradientOf();
      }

      @Override
      public int nextJitScope(Graph g) {
        return g.nextJitScope();
      }

      @Override
      public void setClusterRunner(dev.isthmus.internal.ClusterRunner runner) {
        ClusterSteps.setRunner(runner);
      }

      @Override
      public IsthmusException atNode(IsthmusException e, Operation op) {
        return NodeErrors.atNode(e, op);
      }

      @Override
      public Graph outerGraph(Graph g) {
        return g.outer();
      }

      @Override
      public FunctionTrace functionTrace(Graph g) {
        return FunctionTraces.of(g);
      }

      @Override
      public String gradientScope() {
        return Backprop.currentScope();
      }
    });
    ContextStack.installGlobalGraph(() -> new Graph("global_default_graph", false, null).context);
  }

  private static final AtomicInteger COUNTER = new AtomicInteger();
  // TensorFlow's _VALID_OP_NAME_REGEX (top-level scopes) and _VALID_SCOPE_NAME_REGEX (nested)
  private static final Pattern SCOPE_NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-/>]*");
  private static final Pattern NESTED_SCOPE_NAME = Pattern.compile("[A-Za-z0-9_.\\-/>]+");

  private final String name;
  private final boolean buildingFunction;
  private final Graph outer; // for a function graph: the graph it was traced in, or null (eager)
  private final ArrayList<Operation> ops = new ArrayList<>();
  private final HashMap<String, Integer> namesInUse = new HashMap<>();
  private final HashMap<String, Operation> byName = new HashMap<>();
  private final LinkedHashMap<Tensor, Tensor> captures = new LinkedHashMap<>(); // identity keys
  private final ThreadLocal<BuildState> state = ThreadLocal.withInitial(BuildState::new);
  private final Context context = new Context();
  private final AtomicInteger jitScopeCounter = new AtomicInteger();
  private volatile boolean relaxedShapes; // a function graph traced for any shape of its ranks

  static {
    // extensions (the scopes module's jit) install their hooks once the engine is ready
    ClassLoader loader = Graph.class.getClassLoader();
    for (GraphExtension e : ServiceLoader.load(GraphExtension.class, loader)) {
      e.install(GraphAccess.get());
    }
  }

  /** A new empty graph. */
  public Graph() {
    this("graph_" + COUNTER.getAndIncrement(), false, null);
  }

  Graph(String name, boolean buildingFunction, Graph outer) {
    this.name = name;
    this.buildingFunction = buildingFunction;
    this.outer = outer;
  }

  /** The graph's name ({@code graph_N}, or the function's name for a traced function). */
  public String name() {
    return name;
  }

  /** True for the graph of a traced function (TensorFlow's {@code building_function}). */
  public boolean isBuildingFunction() {
    return buildingFunction;
  }

  /**
   * Makes this graph the default until the returned scope closes: ops called on this thread add
   * nodes to it (TensorFlow's {@code with g.as_default():}).
   */
  public Scope asDefault() {
    return ContextStack.push(context);
  }

  /**
   * The graph ops go to on this thread now: the innermost default graph, else in graph mode the
   * global default graph; {@code null} when executing eagerly.
   */
  public static Graph current() {
    return ContextStack.current() instanceof Context c ? c.graph() : null;
  }

  /**
   * The global default graph of graph mode (TensorFlow's {@code get_default_graph()} with no
   * graph pushed), created on first use.
   */
  public static Graph globalDefault() {
    return ((Context) ContextStack.globalGraph()).graph();
  }

  /** The nodes, in the order they were added (a topological order). */
  public List<Operation> operations() {
    synchronized (this) {
      return List.copyOf(ops);
    }
  }

  /**
   * The node named {@code name}.
   *
   * @throws InvalidArgumentException if there is none
   */
  public Operation operation(String name) {
    synchronized (this) {
      Operation o = byName.get(name);
      if (o == null) {
        throw new InvalidArgumentException(
            "Graph.operation: graph '" + this.name + "' has no operation named '" + name + "'");
      }
      return o;
    }
  }

  /**
   * The graph in Graphviz's dot language: one box per node (its name and op type), an edge per
   * data input labelled with the tensor's dtype and shape, and a dashed edge per control input.
   * Jit clusters, name scopes (as boxes) and function calls are drawn when present, and a dotted
   * edge shows the order of the stateful nodes on one variable or iterator.
   */
  public String toDot() {
    return GraphDot.toDot(this);
  }

  @Override
  public String toString() {
    return "Graph(\"" + name + "\", " + size() + " operations"
        + (buildingFunction ? ", building a function" : "") + ")";
  }

  // ---------------------------------------------------------------- engine side

  int size() {
    synchronized (this) {
      return ops.size();
    }
  }

  Graph outer() {
    return outer;
  }

  /** True for the graph of a relaxed-shape trace: its shapes hold for the first call only. */
  boolean relaxedShapes() {
    return relaxedShapes;
  }

  void setRelaxedShapes(boolean on) {
    relaxedShapes = on;
  }

  Context context() {
    return context;
  }

  /** The per-graph jit scope counter (jit_scope_N), never reset. */
  int nextJitScope() {
    return jitScopeCounter.getAndIncrement();
  }

  /** True if {@code g} is this graph or a graph this function graph was traced inside. */
  boolean isSelfOrOuter(Graph g) {
    for (Graph x = this; x != null; x = x.outer) {
      if (x == g) {
        return true;
      }
    }
    return false;
  }

  /** The captured values (outer tensors), in capture order. */
  synchronized List<Tensor> capturedValues() {
    return List.copyOf(captures.keySet());
  }

  /** The placeholders standing for the captured values, in capture order. */
  synchronized List<Tensor> capturePlaceholders() {
    return List.copyOf(captures.values());
  }

  /**
   * Adds a node with the current name scope and control dependencies (as TensorFlow's
   * {@code _control_dependencies_for_inputs}: a {@code controlDependencies} block's ops are
   * skipped when one of the node's inputs was made inside that block, which already orders it,
   * and when they are inputs themselves).
   */
  Operation addOperation(OpDef def, Tensor[] inputs, Attrs attrs, TensorSpec[] outs) {
    BuildState st = state.get();
    Operation[] control = st.controlInputsFor(inputs);
    String base = st.nameScope.isEmpty() ? def.name() : st.nameScope + "/" + def.name();
    Operation o = add(base, def, inputs, control, attrs, outs);
    st.seen(o);
    return o;
  }

  private synchronized Operation add(String baseName, OpDef def, Tensor[] inputs,
      Operation[] control, Attrs attrs, TensorSpec[] outs) {
    String opName = uniqueName(baseName);
    Operation o = new Operation(this, ops.size(), opName, def, inputs, control, attrs, outs);
    ops.add(o);
    byName.put(opName, o);
    NodeHooks.created(o);
    return o;
  }

  /**
   * TensorFlow's {@code unique_name}: {@code n}, or {@code n_1}, {@code n_2}, ... when taken.
   * Names are compared ignoring case, as TensorFlow does (names_in_use is keyed by
   * {@code name.lower()}, so that checkpoints work on case-insensitive file systems); the
   * result keeps the caller's capitalization.
   */
  private String uniqueName(String n) {
    String key = n.toLowerCase(java.util.Locale.ROOT);
    Integer i = namesInUse.get(key);
    if (i == null) {
      namesInUse.put(key, 1);
      return n;
    }
    int k = i;
    String cand;
    do {
      cand = key + "_" + k++;
    } while (namesInUse.containsKey(cand));
    namesInUse.put(key, k);
    namesInUse.put(cand, 1);
    return n + "_" + (k - 1);
  }

  /**
   * The graph form of an op's input: itself if it is this graph's; a capture if it belongs to
   * a graph this function was traced in or is an eager result and this graph builds a function;
   * a new Const node if it is a literal value; otherwise an error naming both graphs.
   */
  Tensor resolveInput(OpDef op, int i, Tensor t) {
    if (t.isSymbolic()) {
      Graph g = t.op().graph();
      if (g == this) {
        return t;
      }
      if (buildingFunction && isSelfOrOuter(g)) {
        return capture(t);
      }
      if (g.isSelfOrOuter(this)) {
        // a tensor of a function traced inside this graph, used outside the function: it only
        // exists while that function runs (typically Scopes.initScope() inside its body, which
        // lifts ops out to this graph)
        throw new FailedPreconditionException(
            op.name() + ": input #" + i + " '" + t.name() + "' " + t.describe()
                + " belongs to function graph '" + g.name() + "', traced inside graph '" + name
                + "' where the op is being added. A function's tensors exist only inside it: "
                + "they cannot be used outside it, nor inside Scopes.initScope(), which lifts "
                + "ops out to graph '" + name + "'; return them from the function instead");
      }
      throw new InvalidArgumentException(
          op.name() + ": input #" + i + " '" + t.name() + "' " + t.describe()
              + " belongs to graph '" + g.name() + "', but the op is being added to graph '"
              + name + "'; a tensor can only be used in the graph that made it, or captured by a "
              + "function traced inside that graph");
    }
    if (Tensors.isLiteral(t)) {
      return constant(t);
    }
    if (buildingFunction) {
      return capture(t);
    }
    throw new InvalidArgumentException(
        op.name() + ": input #" + i + " is an eager tensor " + t.describe()
            + ", which cannot be captured into graph '" + name + "': it is not building a "
            + "function (TensorFlow: \"Attempting to capture an EagerTensor without building a "
            + "function\"). Use Ops.constant(t) to embed its value, or trace a Function");
  }

  private Tensor constant(Tensor value) {
    Attrs a = Attrs.of("value", value, "dtype", value.dtype());
    return addOperation(dev.isthmus.internal.CreationOps.CONST, new Tensor[0], a,
        new TensorSpec[] {new TensorSpec(value.dtype(), value.shape())}).outputArray()[0];
  }

  /** The placeholder standing for outer value {@code t} in this function graph. */
  synchronized Tensor capture(Tensor t) {
    Tensor ph = captures.get(t);
    if (ph == null) {
      Attrs a = Attrs.of("dtype", t.dtype(), "shape", t.shape().dims(), "_captured", true);
      ph = add("captured", GraphOps.PLACEHOLDER, new Tensor[0], new Operation[0], a,
          new TensorSpec[] {new TensorSpec(t.dtype(), t.shape())}).outputArray()[0];
      captures.put(t, ph);
    }
    return ph;
  }

  /** A placeholder named {@code argName}, outside any name scope and control dependency. */
  Tensor placeholder(String argName, DType dtype, Shape shape) {
    Attrs a = Attrs.of("dtype", dtype, "shape", shape.dims());
    return add(argName, GraphOps.PLACEHOLDER, new Tensor[0], new Operation[0], a,
        new TensorSpec[] {new TensorSpec(dtype, shape)}).outputArray()[0];
  }

  // ---------------------------------------------------------------- name scopes

  /** The current name scope on this thread ({@code ""} at the top). */
  String currentNameScope() {
    return state.get().nameScope;
  }

  /**
   * Opens name scope {@code name}: nested in the current one and made unique ({@code a_1}), or
   * exactly {@code name} without its trailing {@code /} when it ends with one (re-entering a
   * scope, as TensorFlow); {@code ""} goes back to the top.
   */
  Scope nameScope(String scopeName) {
    BuildState st = state.get();
    String old = st.nameScope;
    String next;
    if (scopeName == null || scopeName.isEmpty()) {
      next = "";
    } else if (scopeName.endsWith("/")) {
      next = scopeName.substring(0, scopeName.length() - 1);
      checkScopeName(next, !old.isEmpty());
    } else {
      checkScopeName(scopeName, !old.isEmpty());
      synchronized (this) {
        next = uniqueName(old.isEmpty() ? scopeName : old + "/" + scopeName);
      }
    }
    st.nameScope = next;
    return restoring(st, old);
  }

  /** Sets the name scope to exactly {@code scope} (no uniquifying) until closed. */
  Scope nameScopeAbsolute(String scope) {
    BuildState st = state.get();
    String old = st.nameScope;
    st.nameScope = scope;
    return restoring(st, old);
  }

  private static Scope restoring(BuildState st, String old) {
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          st.nameScope = old;
        }
      }
    };
  }

  static void checkScopeName(String n) {
    checkScopeName(n, false);
  }

  /**
   * Checks a scope name as TensorFlow's {@code name_scope}: at the top it must be a valid op
   * name; inside another scope it may also start with '_', '-' or '/'.
   */
  static void checkScopeName(String n, boolean nested) {
    if (n.isEmpty() || !(nested ? NESTED_SCOPE_NAME : SCOPE_NAME).matcher(n).matches()) {
      throw new InvalidArgumentException(
          "nameScope: '" + n + "' is not a valid scope name; expected letters, digits, '.', "
              + "'_', '-', '/' and '>'" + (nested ? "" : ", not starting with '_', '-' or '/'"));
    }
  }

  // ---------------------------------------------------------------- control dependencies

  /**
   * Adds {@code control} (or, when {@code clear}, clears them) for ops created until closed.
   * Ops already in force are not added twice (TensorFlow's {@code control_dependencies}).
   */
  Scope controlDependencies(List<Operation> control, boolean clear) {
    for (Operation o : control) {
      if (o.graph() != this) {
        throw new InvalidArgumentException(
            "controlDependencies: operation '" + o.name() + "' belongs to graph '"
                + o.graph().name() + "', not to graph '" + name + "' where ops are being added");
      }
    }
    BuildState st = state.get();
    ArrayDeque<ControlFrame> stack = st.control;
    ArrayList<Operation> fresh = new ArrayList<>();
    if (!clear) {
      List<Operation> current = st.currentControlInputs();
      for (Operation o : control) {
        if (!current.contains(o) && !fresh.contains(o)) {
          fresh.add(o);
        }
      }
    }
    ControlFrame f = new ControlFrame(List.copyOf(fresh), clear);
    stack.push(f);
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        if (stack.peek() != f) {
          throw new dev.isthmus.InternalException(
              "controlDependencies scopes closed out of order in graph '" + name + "'");
        }
        closed = true;
        stack.pop();
      }
    };
  }

  /** The control inputs in force on this thread now (those a node without inputs gets). */
  List<Operation> currentControlInputs() {
    return state.get().currentControlInputs();
  }

  /** A controlDependencies block: its ops, whether it clears outer blocks, the nodes made in it. */
  private static final class ControlFrame {
    final List<Operation> ops;
    final boolean clears;
    final java.util.Set<Operation> made = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());

    ControlFrame(List<Operation> ops, boolean clears) {
      this.ops = ops;
      this.clears = clears;
    }
  }

  private static final class BuildState {
    String nameScope = "";
    final ArrayDeque<ControlFrame> control = new ArrayDeque<>(); // top first

    /** The frames in force, outermost first: down to the innermost clearing frame. */
    private List<ControlFrame> active() {
      ArrayList<ControlFrame> fs = new ArrayList<>();
      for (ControlFrame f : control) {
        fs.add(f);
        if (f.clears) {
          break;
        }
      }
      Collections.reverse(fs);
      return fs;
    }

    List<Operation> currentControlInputs() {
      ArrayList<Operation> all = new ArrayList<>();
      for (ControlFrame f : active()) {
        all.addAll(f.ops);
      }
      return all;
    }

    Operation[] controlInputsFor(Tensor[] inputs) {
      if (control.isEmpty()) {
        return NO_OPS;
      }
      ArrayList<Operation> ret = new ArrayList<>();
      for (ControlFrame f : active()) {
        boolean dominated = false;
        for (Tensor in : inputs) {
          if (in != null && in.isSymbolic() && f.made.contains(in.op())) {
            dominated = true;
            break;
          }
        }
        if (dominated) {
          continue;
        }
        for (Operation c : f.ops) {
          if (!isInputOp(c, inputs) && !ret.contains(c)) {
            ret.add(c);
          }
        }
      }
      return ret.toArray(NO_OPS);
    }

    private static boolean isInputOp(Operation c, Tensor[] inputs) {
      for (Tensor in : inputs) {
        if (in != null && in.isSymbolic() && in.op() == c) {
          return true;
        }
      }
      return false;
    }

    /** Records a node made now in every block in force. */
    void seen(Operation o) {
      for (ControlFrame f : control) {
        f.made.add(o);
        if (f.clears) {
          break;
        }
      }
    }
  }

  private static final Operation[] NO_OPS = new Operation[0];

  /** This graph as the place ops go: records a node per op (DESIGN principle 3). */
  final class Context implements ExecutionContext {
    Graph graph() {
      return Graph.this;
    }

    @Override
    public Tensor[] execute(OpDef op, Tensor[] inputs, Attrs attrs) {
      Tensor[] ins = inputs.clone();
      for (int i = 0; i < ins.length; i++) {
        if (ins[i] != null) {
          ins[i] = resolveInput(op, i, ins[i]);
        }
      }
      TensorSpec[] outs = op.infer(ins, attrs);
      Tensor[] result = addOperation(op, ins, attrs, outs).outputArray().clone();
      Recording.record(op, ins, attrs, result);
      return result;
    }

    @Override
    public boolean executingEagerly() {
      return false;
    }

    @Override
    public boolean buildingFunction() {
      return buildingFunction;
    }

    @Override
    public String toString() {
      return "graph '" + name + "'";
    }
  }
}
