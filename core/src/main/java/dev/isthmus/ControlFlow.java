package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code Ops.cond} and {@code Ops.whileLoop} do: executing eagerly they run Java code (the
 * chosen branch; a loop); while building a graph they trace the branches or the loop's cond and
 * body into function graphs (TensorFlow's cond_v2 and while_v2) and add one {@link
 * ControlFlowOps} node. A branch graph captures the outer values it uses, so both branches and
 * the loop see the same values however deeply they nest.
 */
final class ControlFlow {
  private static final AtomicInteger UID = new AtomicInteger();

  private ControlFlow() {}

  // ---------------------------------------------------------------- cond

  /** {@code Ops.cond}: one result per branch. */
  static Tensor cond(Tensor pred, Supplier<Tensor> trueFn, Supplier<Tensor> falseFn) {
    notNull(trueFn, "cond", "trueFn");
    notNull(falseFn, "cond", "falseFn");
    return condList(pred, single(trueFn, "trueFn"), single(falseFn, "falseFn")).get(0);
  }

  private static Supplier<List<Tensor>> single(Supplier<Tensor> fn, String which) {
    return () -> {
      Tensor t = fn.get();
      if (t == null) {
        throw new InvalidArgumentException("cond: " + which + " returned null; expected a tensor");
      }
      return List.of(t);
    };
  }

  /** {@code Ops.condList}. */
  static List<Tensor> condList(Tensor pred, Supplier<List<Tensor>> trueFn,
      Supplier<List<Tensor>> falseFn) {
    notNull(trueFn, "cond", "trueFn");
    notNull(falseFn, "cond", "falseFn");
    checkPred(pred);
    if (ContextStack.current().executingEagerly()) {
      concrete("cond", "pred", pred);
      boolean p = pred.getBoolean();
      return results("cond", p ? "trueFn" : "falseFn", p ? trueFn.get() : falseFn.get());
    }
    Graph g = graph("cond");
    String prefix = prefix(g);
    int uid = UID.getAndIncrement();
    boolean relaxed = relaxed(g);
    ConcreteFunction t = ConcreteFunction.trace(prefix + "cond_true_" + uid, g, List.of(),
        args -> results("cond", "trueFn", trueFn.get()), relaxed);
    ConcreteFunction f = ConcreteFunction.trace(prefix + "cond_false_" + uid, g, List.of(),
        args -> results("cond", "falseFn", falseFn.get()), relaxed);
    if (!sameSpecs(t.outputs(), f.outputs())) {
      throw new InvalidArgumentException(
          "cond: trueFn and falseFn must return the same number of tensors with equal dtypes and "
              + "shapes (TensorFlow: the same number, type, and overall structure of return "
              + "values); trueFn returned " + signature(t.outputs()) + " and falseFn returned "
              + signature(f.outputs()));
    }
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(pred);
    IdentityHashMap<Tensor, Integer> index = new IdentityHashMap<>();
    int[] thenMap = union(t.capturedInputs(), inputs, index, 1);
    int[] elseMap = union(f.capturedInputs(), inputs, index, 1);
    OpDef op = t.isStateful() || f.isStateful() ? ControlFlowOps.IF : ControlFlowOps.STATELESS_IF;
    Attrs attrs = Attrs.of("then_branch", t, "else_branch", f,
        "then_captures", thenMap, "else_captures", elseMap);
    return List.of(Dispatch.run(op, attrs, inputs.toArray(new Tensor[0])));
  }

  private static void checkPred(Tensor pred) {
    if (pred == null) {
      throw new InvalidArgumentException("cond: pred is null; expected a bool scalar tensor");
    }
    if (pred.dtype() != DType.BOOL || pred.rank() != 0) {
      throw new InvalidArgumentException(
          "cond: expected pred to be a bool scalar (dtype bool, shape []); got pred: "
              + pred.describe());
    }
  }

  // ---------------------------------------------------------------- while

  /** {@code Ops.whileLoop}; {@code max} is null for no maximum. */
  static List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond,
      Function<List<Tensor>, List<Tensor>> body, List<Tensor> loopVars, Integer max) {
    notNull(cond, "whileLoop", "cond");
    notNull(body, "whileLoop", "body");
    notNull(loopVars, "whileLoop", "loopVars");
    if (loopVars.isEmpty()) {
      throw new InvalidArgumentException(
          "whileLoop: loopVars must hold at least one tensor (TensorFlow: 'loop_vars' must be "
              + "provided); got none");
    }
    List<Tensor> vars = results("whileLoop", "loopVars", new ArrayList<>(loopVars));
    if (ContextStack.current().executingEagerly()) {
      return eagerLoop(cond, body, vars, max);
    }
    Graph g = graph("whileLoop");
    String prefix = prefix(g);
    int uid = UID.getAndIncrement();
    boolean relaxed = relaxed(g);
    ConcreteFunction c = ConcreteFunction.trace(prefix + "while_cond_" + uid, g, vars, args -> {
      Tensor r = cond.apply(args);
      if (r == null) {
        throw new InvalidArgumentException("whileLoop: cond returned null; expected a bool scalar");
      }
      return List.of(r);
    }, relaxed);
    Tensor r = c.outputs().get(0);
    if (r.dtype() != DType.BOOL || r.rank() != 0) {
      throw new InvalidArgumentException(
          "whileLoop: cond must return a bool scalar (dtype bool, shape []); got "
              + r.describe());
    }
    ConcreteFunction b = ConcreteFunction.trace(prefix + "while_body_" + uid, g, vars,
        args -> results("whileLoop", "body", body.apply(args)), relaxed);
    List<Tensor> outs = b.outputs();
    checkCount(vars.size(), outs.size(), outs);
    for (int i = 0; i < vars.size(); i++) {
      Tensor in = vars.get(i);
      Tensor out = outs.get(i);
      if (in.dtype() != out.dtype() || !in.shape().equals(out.shape())) {
        throw new InvalidArgumentException(
            "whileLoop: loop var #" + i + " enters the loop as " + in.describe() + " but body "
                + "returns " + out.describe() + " for it after one iteration; a loop var keeps "
                + "its dtype and shape across iterations (TensorFlow's shape invariants). Loop "
                + "vars " + signature(vars) + ", body returned " + signature(outs));
      }
    }
    List<Tensor> inputs = new ArrayList<>(vars);
    IdentityHashMap<Tensor, Integer> index = new IdentityHashMap<>();
    int[] condMap = union(c.capturedInputs(), inputs, index, vars.size());
    int[] bodyMap = union(b.capturedInputs(), inputs, index, vars.size());
    OpDef op = c.isStateful() || b.isStateful()
        ? ControlFlowOps.WHILE : ControlFlowOps.STATELESS_WHILE;
    Attrs attrs = max == null
        ? Attrs.of("cond", c, "body", b, "cond_captures", condMap, "body_captures", bodyMap)
        : Attrs.of("cond", c, "body", b, "cond_captures", condMap, "body_captures", bodyMap,
            "maximum_iterations", max);
    return List.of(Dispatch.run(op, attrs, inputs.toArray(new Tensor[0])));
  }

  private static List<Tensor> eagerLoop(Function<List<Tensor>, Tensor> cond,
      Function<List<Tensor>, List<Tensor>> body, List<Tensor> vars, Integer max) {
    for (long i = 0; ; i++) {
      Tensor c = cond.apply(vars);
      if (c == null) {
        throw new InvalidArgumentException("whileLoop: cond returned null; expected a bool scalar");
      }
      concrete("whileLoop", "cond's result", c);
      if (c.dtype() != DType.BOOL || c.rank() != 0) {
        throw new InvalidArgumentException(
            "whileLoop: cond must return a bool scalar (dtype bool, shape []); got "
                + c.describe());
      }
      // TensorFlow: logical_and(i < maximum_iterations, cond(...)), cond evaluated either way
      if (!c.getBoolean() || (max != null && i >= max)) {
        return vars;
      }
      List<Tensor> next = results("whileLoop", "body", body.apply(vars));
      checkCount(vars.size(), next.size(), next);
      vars = next;
    }
  }

  private static void checkCount(int want, int got, List<Tensor> outs) {
    if (want != got) {
      throw new InvalidArgumentException(
          "whileLoop: body must return as many tensors as there are loop vars (" + want
              + "); it returned " + got + ": " + signature(outs));
    }
  }

  // ---------------------------------------------------------------- shared

  /**
   * Adds each captured value to {@code inputs} unless there already (by identity); returns each
   * one's index among the inputs from {@code base} on.
   */
  private static int[] union(List<Tensor> captured, List<Tensor> inputs,
      IdentityHashMap<Tensor, Integer> index, int base) {
    int[] map = new int[captured.size()];
    for (int k = 0; k < map.length; k++) {
      Tensor v = captured.get(k);
      Integer at = index.get(v);
      if (at == null) {
        at = inputs.size() - base;
        index.put(v, at);
        inputs.add(v);
      }
      map[k] = at;
    }
    return map;
  }

  /** A branch's or body's results, checked: not null, no null element; an immutable copy. */
  private static List<Tensor> results(String op, String who, List<Tensor> r) {
    if (r == null) {
      throw new InvalidArgumentException(op + ": " + who + " returned null; expected a list of "
          + "tensors");
    }
    for (int i = 0; i < r.size(); i++) {
      if (r.get(i) == null) {
        throw new InvalidArgumentException(op + ": " + who + "'s tensor #" + i + " is null");
      }
    }
    return List.copyOf(r);
  }

  private static void concrete(String op, String what, Tensor t) {
    if (t.isSymbolic()) {
      throw new FailedPreconditionException(
          op + ": " + what + " is the symbolic tensor '" + t.name() + "' " + t.describe()
              + " of graph '" + t.op().graph().name() + "', which has no value while executing "
              + "eagerly");
    }
  }

  private static void notNull(Object o, String op, String what) {
    if (o == null) {
      throw new InvalidArgumentException(op + ": " + what + " is null");
    }
  }

  private static Graph graph(String op) {
    Graph g = Graph.current();
    if (g == null) {
      throw new InternalException(op + ": not executing eagerly, yet no graph is being built");
    }
    return g;
  }

  /**
   * True when {@code g} is part of the trace of a Function with relaxed shapes: the branches and
   * loop bodies are then relaxed too, so that the values they capture (and the loop vars) may
   * take any shape of the traced rank when the function runs, as its other nodes may.
   */
  private static boolean relaxed(Graph g) {
    dev.isthmus.Function.Trace t = dev.isthmus.Function.currentTrace();
    return g.isBuildingFunction() && t != null && t.function().relaxShapes();
  }

  /** The current name scope as a function-name prefix: {@code "a/b"} gives {@code "a_b_"}. */
  private static String prefix(Graph g) {
    String s = g.currentNameScope();
    return s.isEmpty() ? "" : s.replace('/', '_') + "_";
  }

  private static boolean sameSpecs(List<Tensor> a, List<Tensor> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).dtype() != b.get(i).dtype() || !a.get(i).shape().equals(b.get(i).shape())) {
        return false;
      }
    }
    return true;
  }

  /** {@code (float32[2], int32[])}. */
  static String signature(List<Tensor> ts) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < ts.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(ts.get(i).describe());
    }
    return sb.append(")").toString();
  }
}
