package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import java.util.List;

/**
 * Control flow as functional ops, as TensorFlow 2 builds them (cond_v2, while_v2): one node whose
 * branches or loop body are traced function graphs ({@link ConcreteFunction}s held in attrs).
 * {@link ControlFlow} traces them; these declarations validate and run the node.
 *
 * <ul>
 *   <li>{@code If} / {@code StatelessIf}: inputs {@code cond} (a bool scalar) then {@code input},
 *       the values the branches captured (each captured once). Attrs {@code then_branch},
 *       {@code else_branch}, and {@code then_captures} / {@code else_captures}: for each value
 *       the branch captured, in its capture order, its index in {@code input}. Runs only the
 *       chosen branch.
 *   <li>{@code While} / {@code StatelessWhile}: inputs the loop vars, then the values cond and body
 *       captured. Attrs {@code cond}, {@code body}, {@code cond_captures} / {@code body_captures}
 *       (indices into the inputs after the loop vars) and, when given,
 *       {@code maximum_iterations}. Runs cond, then body while cond holds (and fewer than
 *       {@code maximum_iterations} bodies ran: cond is still evaluated first, as TensorFlow's
 *       {@code logical_and(i < maximum_iterations, cond(...))}); outputs the final loop vars.
 * </ul>
 *
 * <p>Branches and loops traced inside a Function with relaxed shapes are relaxed too: their
 * captured values and loop vars may take any shape of the traced rank, each node re-checking its
 * own shapes when it runs.
 *
 * <p>The stateful variants are used when a branch, cond or body has stateful nodes (variables,
 * nested stateful calls): they then run at every call of an enclosing function even if nothing
 * reads them, and in program order.
 */
final class ControlFlowOps {
  private ControlFlowOps() {}

  /** A conditional whose branches have stateful nodes (TensorFlow's If). */
  static final OpDef IF = ifOp("If", OpDef.Flag.STATEFUL);

  /** A conditional whose branches are pure (TensorFlow's StatelessIf). */
  static final OpDef STATELESS_IF = ifOp("StatelessIf");

  /** A loop whose cond or body has stateful nodes (TensorFlow's While). */
  static final OpDef WHILE = whileOp("While", OpDef.Flag.STATEFUL);

  /** A loop whose cond and body are pure (TensorFlow's StatelessWhile). */
  static final OpDef STATELESS_WHILE = whileOp("StatelessWhile");

  private static OpDef ifOp(String name, OpDef.Flag... more) {
    return OpDef.builder(name)
        .variadicInputs("cond", "input")
        .flags(OpDef.Flag.GRAPH)
        .flags(more)
        .shape(ControlFlowOps::ifShape)
        .kernel(ControlFlowOps::ifKernel)
        .gradient(FunctionGradients::ifGradient)
        .build();
  }

  private static OpDef whileOp(String name, OpDef.Flag... more) {
    return OpDef.builder(name)
        .variadicInputs("input")
        .flags(OpDef.Flag.GRAPH)
        .flags(more)
        .shape(ControlFlowOps::whileShape)
        .kernel(ControlFlowOps::whileKernel)
        .gradient(FunctionGradients::whileGradient)
        .build();
  }

  // ---------------------------------------------------------------- If

  private static TensorSpec[] ifShape(OpDef d, Tensor[] in, Attrs a) {
    ConcreteFunction then = function(d, in, a, "then_branch");
    ConcreteFunction other = function(d, in, a, "else_branch");
    int[] thenMap = indices(d, in, a, "then_captures");
    int[] elseMap = indices(d, in, a, "else_captures");
    if (in.length == 0) {
      throw d.invalid(in, a, "expected a bool scalar cond, then the branches' captured values");
    }
    if (in[0].dtype() != DType.BOOL || in[0].rank() != 0) {
      throw d.invalid(in, a, "expected cond to be a bool scalar");
    }
    checkCaptures(d, in, a, 1, then, thenMap, "then_captures");
    checkCaptures(d, in, a, 1, other, elseMap, "else_captures");
    TensorSpec[] outs = specs(then.outputs());
    if (!List.of(outs).equals(List.of(specs(other.outputs())))) {
      throw d.invalid(in, a, "branches returning the same dtypes and shapes; then_branch returns "
          + ControlFlow.signature(then.outputs()) + ", else_branch "
          + ControlFlow.signature(other.outputs()));
    }
    return outs;
  }

  private static Tensor[] ifKernel(Tensor[] in, Attrs a, TensorSpec[] outs) {
    boolean p = in[0].getBoolean();
    ConcreteFunction f = (ConcreteFunction) a.getObject(p ? "then_branch" : "else_branch");
    int[] map = (int[]) a.getObject(p ? "then_captures" : "else_captures");
    Tensor[] args = new Tensor[map.length];
    for (int i = 0; i < map.length; i++) {
      args[i] = in[1 + map[i]];
    }
    return f.execute(args);
  }

  // ---------------------------------------------------------------- While

  private static TensorSpec[] whileShape(OpDef d, Tensor[] in, Attrs a) {
    ConcreteFunction cond = function(d, in, a, "cond");
    ConcreteFunction body = function(d, in, a, "body");
    int[] condMap = indices(d, in, a, "cond_captures");
    int[] bodyMap = indices(d, in, a, "body_captures");
    if (a.has("maximum_iterations") && !(a.getObject("maximum_iterations") instanceof Integer)) {
      throw d.invalid(in, a, "expected attribute maximum_iterations to be an int");
    }
    List<Tensor> vars = body.inputs();
    int n = vars.size();
    if (n == 0 || cond.inputs().size() != n || in.length < n) {
      throw d.invalid(in, a, "expected " + n + " loop vars " + ControlFlow.signature(vars)
          + " (as many as cond " + cond + " and body " + body + " take), then the captured values");
    }
    TensorSpec[] traced = specs(vars);
    TensorSpec[] outs = new TensorSpec[n];
    for (int i = 0; i < n; i++) {
      outs[i] = spec(in[i]);
      if (!fits(outs[i], traced[i], body.relaxed())
          || !spec(cond.inputs().get(i)).equals(traced[i])) {
        throw d.invalid(in, a, "loop var #" + i + " of " + traced[i]
            + (body.relaxed() ? " or any shape of rank " + traced[i].shape().rank() : "")
            + ", as cond " + cond + " and body " + body + " were traced for");
      }
    }
    if (!List.of(traced).equals(List.of(specs(body.outputs())))) {
      throw d.invalid(in, a, "a body returning the loop vars' dtypes and shapes "
          + ControlFlow.signature(vars) + "; it returns " + ControlFlow.signature(body.outputs()));
    }
    if (cond.outputs().size() != 1 || !spec(cond.outputs().get(0)).equals(BOOL_SCALAR)) {
      throw d.invalid(in, a, "a cond returning one bool scalar; it returns "
          + ControlFlow.signature(cond.outputs()));
    }
    checkCaptures(d, in, a, n, cond, condMap, "cond_captures");
    checkCaptures(d, in, a, n, body, bodyMap, "body_captures");
    return outs;
  }

  private static Tensor[] whileKernel(Tensor[] in, Attrs a, TensorSpec[] outs) {
    ConcreteFunction cond = (ConcreteFunction) a.getObject("cond");
    ConcreteFunction body = (ConcreteFunction) a.getObject("body");
    int[] condMap = (int[]) a.getObject("cond_captures");
    int[] bodyMap = (int[]) a.getObject("body_captures");
    boolean limited = a.has("maximum_iterations");
    long max = limited ? a.getInt("maximum_iterations") : 0;
    int n = outs.length;
    Tensor[] vars = java.util.Arrays.copyOf(in, n);
    Tensor[] condIn = withCaptures(in, n, condMap);
    Tensor[] bodyIn = withCaptures(in, n, bodyMap);
    for (long i = 0; ; i++) {
      System.arraycopy(vars, 0, condIn, 0, n);
      boolean go = cond.execute(condIn)[0].getBoolean();
      if (!go || (limited && i >= max)) {
        return vars;
      }
      System.arraycopy(vars, 0, bodyIn, 0, n);
      vars = body.execute(bodyIn);
    }
  }

  /** An argument array: {@code n} loop var slots (filled per iteration), then the captures. */
  private static Tensor[] withCaptures(Tensor[] in, int n, int[] map) {
    Tensor[] args = new Tensor[n + map.length];
    for (int k = 0; k < map.length; k++) {
      args[n + k] = in[n + map[k]];
    }
    return args;
  }

  // ---------------------------------------------------------------- shared checks

  private static final TensorSpec BOOL_SCALAR = new TensorSpec(DType.BOOL, Shape.of());

  private static ConcreteFunction function(OpDef d, Tensor[] in, Attrs a, String key) {
    if (!(a.has(key) && a.getObject(key) instanceof ConcreteFunction f)) {
      throw d.invalid(in, a, "expected attribute " + key + ", a traced function");
    }
    return f;
  }

  private static int[] indices(OpDef d, Tensor[] in, Attrs a, String key) {
    if (!(a.has(key) && a.getObject(key) instanceof int[] m)) {
      throw d.invalid(in, a,
          "expected attribute " + key + ", the input index of each captured value");
    }
    return m;
  }

  /**
   * Checks that {@code f}'s captured values, found through {@code map} among the inputs from
   * {@code base} on, are there with the dtypes and shapes {@code f} was traced for.
   */
  private static void checkCaptures(OpDef d, Tensor[] in, Attrs a, int base, ConcreteFunction f,
      int[] map, String key) {
    List<Tensor> captured = f.capturedInputs();
    if (map.length != captured.size()) {
      throw d.invalid(in, a, key + " to hold one index per value " + f.name() + " captured ("
          + captured.size() + ")");
    }
    for (int k = 0; k < map.length; k++) {
      int j = base + map[k];
      if (map[k] < 0 || j >= in.length) {
        throw d.invalid(in, a, key + "[" + k + "] = " + map[k] + " to index one of the "
            + (in.length - base) + " captured values");
      }
      if (!fits(spec(in[j]), spec(captured.get(k)), f.relaxed())) {
        throw d.invalid(in, a, "input #" + j + " to be " + captured.get(k).describe()
            + (f.relaxed() ? " or any shape of rank " + captured.get(k).rank() : "")
            + ", as the value " + f.name() + " captured as #" + k);
      }
    }
  }

  /** True if a value of spec {@code x} may stand for {@code traced} (relaxed: same rank). */
  private static boolean fits(TensorSpec x, TensorSpec traced, boolean relaxed) {
    return relaxed
        ? x.dtype() == traced.dtype() && x.shape().rank() == traced.shape().rank()
        : x.equals(traced);
  }

  private static TensorSpec spec(Tensor t) {
    return new TensorSpec(t.dtype(), t.shape());
  }

  private static TensorSpec[] specs(List<Tensor> ts) {
    TensorSpec[] s = new TensorSpec[ts.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = spec(ts.get(i));
    }
    return s;
  }
}
