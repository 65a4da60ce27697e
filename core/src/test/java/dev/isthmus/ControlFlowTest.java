package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ops.cond and Ops.whileLoop executing eagerly and in plain graphs run by a Session: values,
 * the single If/While node and its attributes, and errors. Functions, variables, nesting and
 * initScope are in {@link ControlFlowFunctionTest}.
 */
class ControlFlowTest {
  static final Tensor TRUE = Tensor.scalar(true);
  static final Tensor FALSE = Tensor.scalar(false);

  static long count(Graph g, String type) {
    return g.operations().stream().filter(o -> o.type().equals(type)).count();
  }

  static Operation only(Graph g, String type) {
    List<Operation> ops = g.operations().stream().filter(o -> o.type().equals(type)).toList();
    assertEquals(1, ops.size(), type + " nodes in " + g.operations());
    return ops.get(0);
  }

  /** The sum 0 + 1 + ... while i < n: loop vars (i, sum). */
  static List<Tensor> sumBelow(Tensor n, Integer max) {
    java.util.function.Function<List<Tensor>, Tensor> cond = v -> v.get(0).less(n);
    java.util.function.Function<List<Tensor>, List<Tensor>> body =
        v -> List.of(v.get(0).add(1), v.get(1).add(v.get(0)));
    List<Tensor> init = List.of(Tensor.scalar(0), Tensor.scalar(0));
    return max == null ? Ops.whileLoop(cond, body, init) : Ops.whileLoop(cond, body, init, max);
  }

  // ---------------------------------------------------------------- eager

  @Test
  void eagerCondRunsOnlyTheChosenBranch() {
    AtomicInteger t = new AtomicInteger();
    AtomicInteger f = new AtomicInteger();
    Tensor x = Tensor.of(1f, 2f);
    Tensor y = Ops.cond(TRUE, () -> {
      t.incrementAndGet();
      return x.mul(2);
    }, () -> {
      f.incrementAndGet();
      return x.neg();
    });
    assertArrayEquals(new float[] {2, 4}, y.toFloatArray());
    assertEquals(1, t.get());
    assertEquals(0, f.get());
    Tensor p = x.reduceSum().greater(Tensor.scalar(5f)); // an op's result, false
    y = Ops.cond(p, () -> {
      t.incrementAndGet();
      return x.mul(2);
    }, () -> {
      f.incrementAndGet();
      return x.neg();
    });
    assertArrayEquals(new float[] {-1, -2}, y.toFloatArray());
    assertEquals(1, t.get());
    assertEquals(1, f.get());
    assertFalse(y.isSymbolic());
  }

  @Test
  void eagerCondListAndBranchesThatDiffer() {
    List<Tensor> r = Ops.condList(FALSE, () -> List.of(Tensor.scalar(1)),
        () -> List.of(Tensor.of(1f, 2f, 3f), Tensor.scalar(7L)));
    // executing eagerly only the chosen branch matters, as in TensorFlow
    assertEquals(2, r.size());
    assertArrayEquals(new float[] {1, 2, 3}, r.get(0).toFloatArray());
    assertEquals(7L, r.get(1).getLong());
  }

  @Test
  void predMustBeABoolScalar() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.cond(Tensor.scalar(1f), () -> TRUE, () -> FALSE));
    assertTrue(e.getMessage().startsWith("cond: "), e.getMessage());
    assertTrue(e.getMessage().contains("bool scalar") && e.getMessage().contains("float32[]"),
        e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.cond(Tensor.of(true, false), () -> TRUE, () -> FALSE));
    assertTrue(e.getMessage().contains("bool[2]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> Ops.cond(null, () -> TRUE, () -> FALSE));
    assertTrue(e.getMessage().contains("cond: pred is null"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> Ops.cond(TRUE, null, () -> FALSE));
    assertTrue(e.getMessage().contains("trueFn is null"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> Ops.cond(TRUE, () -> null, () -> FALSE));
    assertTrue(e.getMessage().contains("trueFn returned null"), e.getMessage());

    // in a graph: the same check, before any branch is traced
    Graph g = new Graph();
    AtomicInteger traced = new AtomicInteger();
    try (Scope s = g.asDefault()) {
      Tensor p = Ops.placeholder(DType.INT32);
      int before = g.operations().size();
      e = assertThrows(InvalidArgumentException.class, () -> Ops.cond(p, () -> {
        traced.incrementAndGet();
        return p;
      }, () -> p));
      assertTrue(e.getMessage().startsWith("cond: ") && e.getMessage().contains("int32[]"),
          e.getMessage());
      assertEquals(0, traced.get());
      assertEquals(before, g.operations().size());
      Tensor symbolic = Ops.placeholder(DType.BOOL);
      // a graph's tensor has no value eagerly
      try (Scope eager = dev.isthmus.internal.ContextStack.push(
          dev.isthmus.internal.EagerContext.INSTANCE)) {
        var fp = assertThrows(FailedPreconditionException.class,
            () -> Ops.cond(symbolic, () -> TRUE, () -> FALSE));
        assertTrue(fp.getMessage().startsWith("cond: pred is the symbolic tensor"),
            fp.getMessage());
      }
    }
  }

  @Test
  void eagerWhileLoop() {
    List<Tensor> r = sumBelow(Tensor.scalar(10), null);
    assertEquals(10, r.get(0).getInt());
    assertEquals(45, r.get(1).getInt());
    AtomicInteger conds = new AtomicInteger();
    AtomicInteger bodies = new AtomicInteger();
    java.util.function.Function<List<Tensor>, Tensor> cond = v -> {
      conds.incrementAndGet();
      return v.get(0).less(Tensor.scalar(100f));
    };
    java.util.function.Function<List<Tensor>, List<Tensor>> body = v -> {
      bodies.incrementAndGet();
      return List.of(v.get(0).mul(2));
    };
    r = Ops.whileLoop(cond, body, List.of(Tensor.scalar(1f)));
    assertEquals(128f, r.get(0).getFloat());
    assertEquals(8, conds.get());
    assertEquals(7, bodies.get());
  }

  @Test
  void maximumIterationsStopsTheLoopAfterEvaluatingCond() {
    AtomicInteger conds = new AtomicInteger();
    java.util.function.Function<List<Tensor>, Tensor> cond = v -> {
      conds.incrementAndGet();
      return TRUE; // never stops by itself
    };
    List<Tensor> r = Ops.whileLoop(cond, v -> List.of(v.get(0).add(1)),
        List.of(Tensor.scalar(0L)), 3);
    assertEquals(3L, r.get(0).getLong());
    assertEquals(4, conds.get()); // TF: logical_and(i < max, cond(...)) evaluates cond 4 times
    r = sumBelow(Tensor.scalar(10), 4);
    assertEquals(4, r.get(0).getInt());
    assertEquals(6, r.get(1).getInt());
    assertEquals(0, sumBelow(Tensor.scalar(10), 0).get(0).getInt());
    assertEquals(0, sumBelow(Tensor.scalar(10), -5).get(0).getInt());
    assertEquals(10, sumBelow(Tensor.scalar(10), 50).get(0).getInt());
  }

  @Test
  void whileLoopErrors() {
    // eagerly
    checkWhileErrors(false);
    // building a graph
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      checkWhileErrors(true);
      assertEquals(0, g.operations().size(), "failed loops add no node");
    }
  }

  private static void checkWhileErrors(boolean graph) {
    Tensor x = Tensor.scalar(1f);
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> TRUE, v -> v, List.of()));
    assertTrue(e.getMessage().startsWith("whileLoop: loopVars must hold at least one tensor"),
        e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> TRUE, v -> v, java.util.Arrays.asList(x, null)));
    assertTrue(e.getMessage().contains("loopVars's tensor #1 is null"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> v.get(0), v -> v, List.of(x)));
    assertTrue(e.getMessage().startsWith("whileLoop: cond must return a bool scalar")
        && e.getMessage().contains("float32[]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> Tensor.of(true, true), v -> v, List.of(x)));
    assertTrue(e.getMessage().contains("bool[2]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> TRUE, v -> List.of(x, x), List.of(x)));
    assertTrue(e.getMessage().startsWith("whileLoop: body must return as many tensors as there "
        + "are loop vars (1); it returned 2: (float32[], float32[])"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> TRUE, v -> null, List.of(x)));
    assertTrue(e.getMessage().contains("body returned null"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.whileLoop(v -> null, v -> v, List.of(x)));
    assertTrue(e.getMessage().contains("cond returned null"), e.getMessage());
    if (graph) {
      // a loop var must keep its shape and dtype (TF's shape invariants); eagerly TF allows it
      e = assertThrows(InvalidArgumentException.class,
          () -> Ops.whileLoop(v -> TRUE, v -> List.of(v.get(0), Tensor.of(1f, 2f)),
              List.of(Tensor.scalar(0), x)));
      assertTrue(e.getMessage().startsWith("whileLoop: loop var #1 enters the loop as float32[] "
          + "but body returns float32[2] for it after one iteration"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> Ops.whileLoop(v -> TRUE, v -> List.of(v.get(0).cast(DType.FLOAT64)), List.of(x)));
      assertTrue(e.getMessage().contains("loop var #0 enters the loop as float32[] but body "
          + "returns float64[]"), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- graphs and sessions

  @Test
  void condInASessionGraphIsOneNodeAndRunsTheChosenBranch() {
    Graph g = new Graph();
    Tensor p;
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      p = Ops.placeholder(DType.BOOL);
      x = Ops.placeholder(DType.FLOAT32, 2);
      y = Ops.cond(p, () -> x.mul(2), () -> x.add(1));
    }
    assertTrue(y.isSymbolic());
    assertEquals(List.of("Placeholder", "Placeholder", "StatelessIf"),
        g.operations().stream().map(Operation::type).toList());
    Operation node = y.op();
    assertEquals(List.of(p, x), node.inputs());
    var t = (ConcreteFunction) node.attr("then_branch");
    var f = (ConcreteFunction) node.attr("else_branch");
    assertTrue(t.name().startsWith("cond_true_") && f.name().startsWith("cond_false_"),
        t + " " + f);
    assertTrue(t.graph().isBuildingFunction());
    assertSame(g, t.graph().outer());
    assertEquals(List.of(x), t.capturedInputs()); // the branch captured the outer placeholder
    assertEquals(1, count(t.graph(), "Mul"));
    assertEquals(0, count(g, "Mul"));
    NodeDef def = node.nodeDef();
    assertArrayEquals(new int[] {0}, (int[]) def.attr("then_captures"));
    assertArrayEquals(new int[] {0}, (int[]) def.attr("else_captures"));
    try (Session sess = new Session(g)) {
      Tensor v = Tensor.of(1f, 2f);
      assertArrayEquals(new float[] {2, 4}, sess.run(y, Map.of(p, TRUE, x, v)).toFloatArray());
      assertArrayEquals(new float[] {2, 3}, sess.run(y, Map.of(p, FALSE, x, v)).toFloatArray());
    }
  }

  @Test
  void theIfNodeTakesTheUnionOfWhatTheBranchesCaptured() {
    Graph g = new Graph();
    Tensor p;
    Tensor a;
    Tensor b;
    Tensor c;
    List<Tensor> r;
    try (Scope s = g.asDefault()) {
      p = Ops.placeholder(DType.BOOL);
      a = Ops.placeholder(DType.FLOAT32);
      b = Ops.placeholder(DType.FLOAT32);
      c = Ops.placeholder(DType.INT32, 3);
      r = Ops.condList(p, () -> List.of(a.add(b), Tensor.of(1, 2, 3)),
          () -> List.of(b.mul(b), c.add(c)));
    }
    Operation node = r.get(0).op();
    assertSame(node, r.get(1).op());
    assertEquals(List.of(p, a, b, c), node.inputs());
    assertArrayEquals(new int[] {0, 1}, (int[]) node.attr("then_captures"));
    assertArrayEquals(new int[] {1, 2}, (int[]) node.attr("else_captures"));
    assertEquals("float32[]", r.get(0).describe());
    assertEquals("int32[3]", r.get(1).describe());
    try (Session sess = new Session(g)) {
      Map<Tensor, Tensor> feeds = Map.of(p, TRUE, a, Tensor.scalar(2f), b, Tensor.scalar(3f),
          c, Tensor.of(4, 5, 6));
      List<Tensor> out = sess.run(r, feeds);
      assertEquals(5f, out.get(0).getFloat());
      assertArrayEquals(new int[] {1, 2, 3}, out.get(1).toIntArray());
      feeds = new java.util.HashMap<>(feeds);
      feeds.put(p, FALSE);
      out = sess.run(r, feeds);
      assertEquals(9f, out.get(0).getFloat());
      assertArrayEquals(new int[] {8, 10, 12}, out.get(1).toIntArray());
    }
  }

  @Test
  void branchesMustAgreeInCountDtypeAndShape() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor p = Ops.placeholder(DType.BOOL);
      Tensor x = Ops.placeholder(DType.FLOAT32, 2);
      int before = g.operations().size();
      var e = assertThrows(InvalidArgumentException.class,
          () -> Ops.condList(p, () -> List.of(x), () -> List.of(x, x)));
      assertTrue(e.getMessage().startsWith("cond: trueFn and falseFn must return the same number "
          + "of tensors with equal dtypes and shapes"), e.getMessage());
      assertTrue(e.getMessage().contains("trueFn returned (float32[2]) and falseFn returned "
          + "(float32[2], float32[2])"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> Ops.cond(p, () -> x, () -> x.cast(DType.FLOAT64)));
      assertTrue(e.getMessage().contains("(float32[2]) and falseFn returned (float64[2])"),
          e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> Ops.cond(p, () -> x, () -> Tensor.of(1f, 2f, 3f)));
      assertTrue(e.getMessage().contains("(float32[2]) and falseFn returned (float32[3])"),
          e.getMessage());
      assertEquals(before, g.operations().size(), "a failed cond leaves the graph as it was");
    }
  }

  @Test
  void aBranchThrowingLeavesTheGraphConsistent() {
    Graph g = new Graph();
    IllegalStateException boom = new IllegalStateException("boom");
    try (Scope s = g.asDefault(); Scope n = Ops.nameScope("outer")) {
      Tensor p = Ops.placeholder(DType.BOOL);
      Tensor x = Ops.placeholder(DType.FLOAT32);
      int before = g.operations().size();
      var e = assertThrows(IllegalStateException.class, () -> Ops.cond(p, () -> x.mul(2), () -> {
        try (Scope inner = Ops.nameScope("deep")) {
          x.add(1);
          throw boom;
        }
      }));
      assertSame(boom, e);
      assertSame(g, Graph.current());
      assertEquals("outer", Context.currentNameScope());
      assertEquals(before, g.operations().size());
      assertThrows(IllegalStateException.class, () -> Ops.whileLoop(v -> {
        throw boom;
      }, v -> v, List.of(x)));
      assertThrows(IllegalStateException.class, () -> Ops.whileLoop(v -> TRUE, v -> {
        throw boom;
      }, List.of(x)));
      assertSame(g, Graph.current());
      assertEquals(before, g.operations().size());
      // the graph still works
      Tensor y = Ops.cond(p, () -> x.mul(2), () -> x.add(1));
      assertTrue(y.op().name().startsWith("outer/"), y.op().name());
      try (Session sess = new Session(g)) {
        assertEquals(6f, sess.run(y, Map.of(p, TRUE, x, Tensor.scalar(3f))).getFloat());
      }
      var t = (ConcreteFunction) y.op().attr("then_branch");
      assertTrue(t.name().startsWith("outer_cond_true_"), t.name());
    }
    assertTrue(Context.executingEagerly());
  }

  @Test
  void aBranchCannotCarryAnEagerResultIntoAPlainGraph() {
    Tensor eager = Tensor.scalar(2f).add(1); // an op's result, not a literal
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor p = Ops.placeholder(DType.BOOL);
      int before = g.operations().size();
      var e = assertThrows(InvalidArgumentException.class,
          () -> Ops.cond(p, () -> eager.mul(2), () -> Tensor.scalar(0f)));
      assertTrue(e.getMessage().contains("Attempting to capture an EagerTensor without building "
          + "a function"), e.getMessage());
      assertEquals(before, g.operations().size());
    }
  }

  @Test
  void whileInASessionGraph() {
    Graph g = new Graph();
    Tensor n;
    List<Tensor> r;
    List<Tensor> capped;
    try (Scope s = g.asDefault()) {
      n = Ops.placeholder(DType.INT32);
      r = sumBelow(n, null);
      capped = sumBelow(n, 4);
    }
    Operation node = r.get(0).op();
    assertEquals("StatelessWhile", node.type());
    assertEquals(2, count(g, "StatelessWhile"));
    assertEquals(3, node.inputs().size()); // two loop vars, then the captured n
    assertSame(n, node.inputs().get(2));
    var c = (ConcreteFunction) node.attr("cond");
    var b = (ConcreteFunction) node.attr("body");
    assertTrue(c.name().startsWith("while_cond_") && b.name().startsWith("while_body_"));
    assertEquals(List.of(n), c.capturedInputs());
    assertEquals(List.of(), b.capturedInputs());
    assertArrayEquals(new int[] {0}, (int[]) node.attr("cond_captures"));
    assertEquals(null, node.attr("maximum_iterations"));
    assertEquals(4, capped.get(0).op().attr("maximum_iterations"));
    try (Session sess = new Session(g)) {
      List<Tensor> out = sess.run(List.of(r.get(0), r.get(1), capped.get(1)),
          Map.of(n, Tensor.scalar(10)));
      assertEquals(10, out.get(0).getInt());
      assertEquals(45, out.get(1).getInt());
      assertEquals(6, out.get(2).getInt());
      out = sess.run(r, Map.of(n, Tensor.scalar(0)));
      assertEquals(0, out.get(0).getInt());
      assertEquals(0, out.get(1).getInt());
    }
  }

  @Test
  void whileBodyMayReorderAndPassThroughLoopVars() {
    Graph g = new Graph();
    List<Tensor> r;
    Tensor k;
    try (Scope s = g.asDefault()) {
      k = Ops.placeholder(DType.FLOAT32);
      // (a, b, i) -> (b, a + k, i + 1) three times
      r = Ops.whileLoop(v -> v.get(2).less(Tensor.scalar(3)),
          v -> List.of(v.get(1), v.get(0).add(k), v.get(2).add(1)),
          List.of(Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar(0)));
    }
    try (Session sess = new Session(g)) {
      List<Tensor> out = sess.run(r, Map.of(k, Tensor.scalar(10f)));
      // (1,2) -> (2,11) -> (11,12) -> (12,21)
      assertEquals(12f, out.get(0).getFloat());
      assertEquals(21f, out.get(1).getFloat());
      assertEquals(3, out.get(2).getInt());
    }
  }

  @Test
  void anErrorInsideABranchPropagatesWithItsType() {
    Graph g = new Graph();
    Tensor p;
    Tensor y;
    try (Scope s = g.asDefault()) {
      p = Ops.placeholder(DType.BOOL);
      Variable u = Variable.of(Ops.placeholder(DType.FLOAT32), "never_initialized", false);
      y = Ops.cond(p, u::read, () -> Tensor.scalar(0f));
    }
    assertEquals("If", y.op().type()); // the read is stateful
    try (Session sess = new Session(g)) {
      var e = assertThrows(FailedPreconditionException.class,
          () -> sess.run(y, Map.of(p, TRUE)));
      assertTrue(e.getMessage().contains("uninitialized"), e.getMessage());
      assertTrue(e.getMessage().contains("in graph 'cond_true_"), e.getMessage());
      assertTrue(e.getMessage().contains("[[node If (If) in graph '" + g.name() + "']]"),
          e.getMessage());
      // the untaken branch's read never happens
      assertEquals(0f, sess.run(y, Map.of(p, FALSE)).getFloat());
    }
  }

  @Test
  void controlDependenciesApplyToTheNode() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32);
      Tensor p = Ops.placeholder(DType.BOOL);
      Tensor before = x.add(1);
      Tensor y;
      List<Tensor> w;
      try (Scope c = Ops.controlDependencies(before)) {
        // pred made outside the block: with a literal pred, its Const node (made inside)
        // would carry the dependency instead, as in TensorFlow
        y = Ops.cond(p, () -> x, () -> x);
        w = Ops.whileLoop(v -> FALSE, v -> v, List.of(x));
      }
      assertEquals(List.of(before.op()), y.op().controlInputs());
      assertEquals(List.of(before.op()), w.get(0).op().controlInputs());
      var t = (ConcreteFunction) y.op().attr("then_branch");
      assertTrue(t.graph().operations().stream().allMatch(o -> o.controlInputs().isEmpty()));
    }
  }

  @Test
  void toDotNamesTheBranchAndLoopFunctions() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32);
      Ops.cond(Ops.placeholder(DType.BOOL), () -> x, () -> x.neg());
      Ops.whileLoop(v -> v.get(0).less(Tensor.scalar(1f)), v -> List.of(v.get(0).add(1)),
          List.of(x));
    }
    String dot = g.toDot();
    var node = only(g, "StatelessIf");
    assertTrue(dot.contains("then_branch: " + ((ConcreteFunction) node.attr("then_branch")).name()),
        dot);
    assertTrue(dot.contains("else_branch: cond_false_"), dot);
    assertTrue(dot.contains("cond: while_cond_") && dot.contains("body: while_body_"), dot);
  }

  @Test
  void theOpsAreRegisteredAndValidateTheirAttributes() {
    for (String name : List.of("If", "StatelessIf", "While", "StatelessWhile")) {
      OpDef d = OpRegistry.get(name);
      assertTrue(d.is(OpDef.Flag.GRAPH), name);
      assertEquals(!name.startsWith("Stateless"), d.is(OpDef.Flag.STATEFUL), name);
      var e = assertThrows(InvalidArgumentException.class,
          () -> Dispatch.run(d, Attrs.EMPTY, TRUE));
      assertTrue(e.getMessage().startsWith(name + ": expected attribute "), e.getMessage());
    }
    // an If node's attrs checked against its inputs
    Graph g = new Graph();
    Operation node;
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 2);
      node = Ops.cond(Ops.placeholder(DType.BOOL), () -> x, () -> x).op();
    }
    Attrs a = node.attrs();
    var e = assertThrows(InvalidArgumentException.class,
        () -> Dispatch.run(node.def(), a, TRUE, Tensor.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().startsWith("StatelessIf: input #1 to be float32[2]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Dispatch.run(node.def(), a, Tensor.scalar(1), Tensor.of(1f, 2f)));
    assertTrue(e.getMessage().contains("expected cond to be a bool scalar"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> Dispatch.run(node.def(), a, TRUE));
    assertTrue(e.getMessage().contains("then_captures[0] = 0 to index one of the 0 captured"),
        e.getMessage());
    // run directly (eagerly), the node's op runs the chosen branch
    Tensor out = Dispatch.run(node.def(), a, FALSE, Tensor.of(5f, 6f))[0];
    assertArrayEquals(new float[] {5, 6}, out.toFloatArray());
  }
}
