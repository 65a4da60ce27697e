package dev.isthmus.scopes.jit;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.FailedPreconditionException;
import dev.isthmus.Graph;
import dev.isthmus.InternalException;
import dev.isthmus.NodeDef;
import dev.isthmus.Operation;
import dev.isthmus.Scope;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.GraphAccess.FunctionTrace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * jitScope's rules 1 to 6 (docs/SCOPES.md): the scopes open on each thread for each graph being
 * built, and the node hook that records the jit attributes on every node as it is created.
 *
 * <p>A node gets, in this order and never overwriting an attribute it already has:
 * <ol>
 *   <li>as a gradient node of a forward node with {@code _XlaCompile = true}:
 *       {@code _XlaCompile = true} and the forward node's {@code _XlaScope}, or
 *       {@code <scope>_grad_<name>} when the forward node asked for separate gradients;
 *   <li>as a node of a jit-compiled function's trace, of a graph traced inside it, or as that
 *       function's call node: {@code _XlaCompile = true} and the function's {@code _XlaScope};
 *   <li>from the innermost jit scope open on this thread over its graph:
 *       {@code _XlaCompile} (the predicate, asked only if the node has none yet),
 *       {@code _XlaSeparateCompiledGradients} and {@code _XlaScope}.
 * </ol>
 * This is the order of TensorFlow's attribute scopes: the gradient's and the function's are
 * the innermost.
 *
 * <p>Which scopes are open over a graph: those opened on it, and for a cond branch or loop
 * body graph (traced as a graph of its own, where TensorFlow 1 built them in the same graph)
 * those open over the graph it is traced in. A {@code Function}'s graph is where that ends:
 * scopes around a call mark the call node, not the function's ops (use
 * {@code jitCompile(true)}, rule 6).
 */
public final class JitScopes {
  /** Whether the node should be compiled (TensorFlow's kXlaCompileAttr). */
  public static final String COMPILE = "_XlaCompile";
  /** The compilation scope: nodes of different scopes never share a cluster. */
  public static final String SCOPE = "_XlaScope";
  /** Whether the node's gradients get a compilation scope of their own. */
  public static final String SEPARATE = "_XlaSeparateCompiledGradients";
  /** jitScope rule 1's message. */
  public static final String EAGER_ERROR = "jitScope is not supported when eager execution is "
      + "enabled. Use it while building a graph or inside a Function.";

  /** One open scope. {@code xlaScope} is its own number at depth 0, else the outer one's. */
  private record Frame(boolean compile, Predicate<NodeDef> predicate, boolean separate,
      String xlaScope) {}

  // per thread, per graph being built: the open scopes, innermost last
  private static final ThreadLocal<IdentityHashMap<Graph, ArrayList<Frame>>> STACKS =
      ThreadLocal.withInitial(IdentityHashMap::new);
  // the _XlaScope of each jit-compiled function graph, decided at its first node
  private static final Map<Graph, String> FUNCTION_SCOPES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private JitScopes() {}

  /**
   * Opens a jit scope on the graph being built on this thread: {@code predicate} decides
   * {@code _XlaCompile} when not null, else {@code compile}.
   *
   * @throws FailedPreconditionException when executing eagerly (rule 1)
   */
  public static Scope enter(boolean compile, Predicate<NodeDef> predicate, boolean separate) {
    JitExtension.ensureInstalled();
    Graph g = Graph.current();
    if (g == null) {
      throw new FailedPreconditionException(EAGER_ERROR);
    }
    GraphAccess acc = GraphAccess.get();
    Frame outer = openFrame(acc, g);
    String xlaScope = outer != null ? outer.xlaScope()
        : "jit_scope_" + acc.nextJitScope(scopeOwner(acc, g));
    IdentityHashMap<Graph, ArrayList<Frame>> stacks = STACKS.get();
    ArrayList<Frame> stack = stacks.computeIfAbsent(g, k -> new ArrayList<>());
    Frame f = new Frame(compile, predicate, separate, xlaScope);
    stack.add(f);
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        if (stack.isEmpty() || stack.getLast() != f) {
          throw new InternalException("jitScope: scopes closed out of order on graph '"
              + g.name() + "': this one (" + f.xlaScope() + ") is not the innermost");
        }
        closed = true;
        stack.removeLast();
        if (stack.isEmpty()) {
          stacks.remove(g);
        }
      }
    };
  }

  /** The node hook: records the jit attributes on {@code o} as it is created. */
  static void mark(Operation o) {
    GraphAccess acc = GraphAccess.get();
    Graph g = o.graph();
    // rule 5: gradients of compiled forward nodes
    Operation forward = acc.gradientOf(o);
    if (forward != null && Boolean.TRUE.equals(forward.attr(COMPILE))
        && forward.attr(SCOPE) instanceof String fs) {
      String s = Boolean.TRUE.equals(forward.attr(SEPARATE))
          ? fs + "_grad_" + gradientName(acc.gradientScope()) : fs;
      acc.setAttrIfAbsent(o, COMPILE, true);
      acc.setAttrIfAbsent(o, SCOPE, s);
    }
    // rule 6: nodes of jit-compiled function traces, and calls of those functions
    FunctionTrace t = jitTrace(acc, g);
    String fn = t != null ? functionScope(acc, t)
        : o.attr("f") instanceof ConcreteFunction cf ? FUNCTION_SCOPES.get(cf.graph()) : null;
    if (fn != null) {
      acc.setAttrIfAbsent(o, COMPILE, true);
      acc.setAttrIfAbsent(o, SCOPE, fn);
    }
    // rules 2 to 4: the innermost jit scope open here
    Frame f = openFrame(acc, g);
    if (f != null) {
      if (o.attr(COMPILE) == null) {
        boolean c = f.predicate() != null ? f.predicate().test(o.nodeDef()) : f.compile();
        acc.setAttrIfAbsent(o, COMPILE, c);
      }
      acc.setAttrIfAbsent(o, SEPARATE, f.separate());
      acc.setAttrIfAbsent(o, SCOPE, f.xlaScope());
    }
  }

  /** A gradient call's name scope as TensorFlow puts it in a scope name: "a/b/" -> "a_b". */
  static String gradientName(String nameScope) {
    String s = nameScope == null ? "" : nameScope;
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end).replace('/', '_');
  }

  /**
   * A jit-compiled function's {@code _XlaScope} (rule 6): the scope of the jit scope open where
   * it is traced (or of the jit-compiled function it is traced in), else
   * {@code function_<name>}. Decided once per function graph.
   */
  private static String functionScope(GraphAccess acc, FunctionTrace t) {
    String s = FUNCTION_SCOPES.get(t.graph());
    if (s == null) {
      s = enclosingScope(acc, acc.outerGraph(t.graph()));
      if (s == null) {
        s = "function_" + t.function();
      }
      FUNCTION_SCOPES.put(t.graph(), s);
    }
    return s;
  }

  private static String enclosingScope(GraphAccess acc, Graph outer) {
    if (outer == null) {
      return null;
    }
    Frame f = openFrame(acc, outer);
    if (f != null) {
      return f.xlaScope();
    }
    FunctionTrace t = jitTrace(acc, outer);
    return t != null ? functionScope(acc, t) : null;
  }

  /**
   * The innermost jit scope open on this thread over graph {@code g}: one opened on {@code g},
   * else, when {@code g} is a cond branch or loop body, one open over the graph it is traced in
   * (their ops are created inside the scope, as in TensorFlow's in-graph control flow). A
   * function's graph ends the search: scopes around a call do not reach into the function.
   */
  private static Frame openFrame(GraphAccess acc, Graph g) {
    IdentityHashMap<Graph, ArrayList<Frame>> stacks = STACKS.get();
    for (Graph x = g; x != null; x = acc.outerGraph(x)) {
      ArrayList<Frame> stack = stacks.get(x);
      if (stack != null && !stack.isEmpty()) {
        return stack.getLast();
      }
      if (acc.functionTrace(x) != null) {
        return null;
      }
    }
    return null;
  }

  /**
   * The graph whose counter numbers a jit scope opened on {@code g}: {@code g}, or for a cond
   * branch or loop body, the function or plain graph it belongs to.
   */
  private static Graph scopeOwner(GraphAccess acc, Graph g) {
    Graph x = g;
    while (acc.functionTrace(x) == null && acc.outerGraph(x) != null) {
      x = acc.outerGraph(x);
    }
    return x;
  }

  /** The innermost jit-compiled function whose graph is {@code g} or encloses it, or null. */
  private static FunctionTrace jitTrace(GraphAccess acc, Graph g) {
    for (Graph x = g; x != null; x = acc.outerGraph(x)) {
      FunctionTrace t = acc.functionTrace(x);
      if (t != null && t.jitCompile()) {
        return t;
      }
    }
    return null;
  }
}
