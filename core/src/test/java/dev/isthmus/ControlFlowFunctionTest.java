package dev.isthmus;

import static dev.isthmus.ControlFlowTest.FALSE;
import static dev.isthmus.ControlFlowTest.TRUE;
import static dev.isthmus.ControlFlowTest.count;
import static dev.isthmus.ControlFlowTest.only;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Control flow inside traced functions (the same values as eagerly, one If/While node in the
 * function's graph), nesting, variables in branches and loops, and initScope in a branch.
 */
class ControlFlowFunctionTest {
  /** What {@code Scopes.initScope()} calls (the scopes module sits on top of core). */
  static Scope initScope() {
    return dev.isthmus.internal.GraphAccess.get().initScope();
  }

  /** {@code x * 2} when its sum is positive, else {@code -x + 1}. */
  static Tensor signSwitch(Tensor x) {
    return Ops.cond(x.reduceSum().greater(Tensor.scalar(0f)), () -> x.mul(2), () -> x.neg().add(1));
  }

  /**
   * Collatz steps of n with multiplier k: while n != 1, n = n even ? n / 2 : k * n + 1. A cond
   * nested in a while body; the cond's branch uses k from two graphs out.
   */
  static List<Tensor> collatz(Tensor n, Tensor k) {
    Tensor one = Tensor.scalar(1);
    Tensor two = Tensor.scalar(2);
    return Ops.whileLoop(v -> v.get(0).notEqual(one),
        v -> {
          Tensor m = v.get(0);
          Tensor next = Ops.cond(m.floorMod(two).equal(Tensor.scalar(0)), () -> m.floorDiv(two),
              () -> m.mul(k).add(1));
          return List.of(next, v.get(1).add(1));
        },
        List.of(n, Tensor.scalar(0)), 1000);
  }

  @Test
  void condInAFunctionIsOneNodeAndMatchesEager() {
    Function f = Function.of(ControlFlowFunctionTest::signSwitch);
    for (float[] v : new float[][] {{1, 2}, {-3, 1}, {0, 0}, {5, -1}}) {
      Tensor x = Tensor.of(v);
      assertArrayEquals(signSwitch(x).toFloatArray(), f.call(x).toFloatArray());
    }
    assertEquals(1, f.tracingCount());
    Graph fg = f.getConcreteFunction(Tensor.of(1f, 2f)).graph();
    Operation node = only(fg, "StatelessIf");
    assertEquals(0, count(fg, "Mul"), "the branches' ops are in the branch graphs");
    var t = (ConcreteFunction) node.attr("then_branch");
    assertSame(fg, t.graph().outer());
    assertEquals(1, count(t.graph(), "Mul"));
  }

  @Test
  void controlFlowInARelaxedFunctionRunsOtherShapesOfTheRank() {
    java.util.function.UnaryOperator<Tensor> prog = x -> Ops.cond(
        x.reduceSum().greater(Tensor.scalar(0f)),
        () -> Ops.whileLoop(v -> v.get(0).reduceSum().less(Tensor.scalar(100f)),
            v -> List.of(v.get(0).mul(2)), List.of(x)).get(0),
        () -> x.neg());
    Function f = Function.builder().relaxShapes(true).build(prog);
    for (float[] v : new float[][] {{1, 2}, {1, 1, 1}, {-1, -2, -3, -4}, {3}}) {
      Tensor x = Tensor.of(v);
      assertArrayEquals(prog.apply(x).toFloatArray(), f.call(x).toFloatArray());
    }
    assertEquals(1, f.tracingCount());
    // not relaxed: a new shape is a new trace, and each runs
    Function strict = Function.of(prog);
    assertArrayEquals(new float[] {64, 64, 64}, strict.call(Tensor.of(1f, 1f, 1f)).toFloatArray());
    assertArrayEquals(new float[] {64, 128}, strict.call(Tensor.of(1f, 2f)).toFloatArray());
    assertEquals(2, strict.tracingCount());
  }

  @Test
  void whileInAFunctionMatchesEager() {
    Function f = Function.ofList(a -> ControlFlowTest.sumBelow(a.get(0), null));
    Function capped = Function.ofList(a -> ControlFlowTest.sumBelow(a.get(0), 7));
    for (int n : new int[] {0, 1, 5, 13}) {
      Tensor tn = Tensor.scalar(n);
      List<Tensor> eager = ControlFlowTest.sumBelow(tn, null);
      List<Tensor> traced = f.callAll(tn);
      assertEquals(eager.get(1).getInt(), traced.get(1).getInt());
      assertEquals(n * (n - 1) / 2, traced.get(1).getInt());
      assertEquals(ControlFlowTest.sumBelow(tn, 7).get(0).getInt(),
          capped.callAll(tn).get(0).getInt());
      assertEquals(Math.min(n, 7), capped.callAll(tn).get(0).getInt());
    }
    only(f.getConcreteFunction(Tensor.scalar(0)).graph(), "StatelessWhile");
  }

  @Test
  void condNestedInAWhileBody() {
    Function f = Function.of((n, k) -> collatz(n, k).get(1));
    for (int n : new int[] {1, 6, 7, 27}) {
      int eager = collatz(Tensor.scalar(n), Tensor.scalar(3)).get(1).getInt();
      assertEquals(eager, f.call(Tensor.scalar(n), Tensor.scalar(3)).getInt(), "n = " + n);
    }
    assertEquals(111, f.call(Tensor.scalar(27), Tensor.scalar(3)).getInt());
    assertEquals(1, f.tracingCount());
    Graph fg = f.getConcreteFunction(Tensor.scalar(1), Tensor.scalar(3)).graph();
    Operation loop = only(fg, "StatelessWhile");
    Graph body = ((ConcreteFunction) loop.attr("body")).graph();
    Operation branch = only(body, "StatelessIf");
    // k travels: function arg -> captured by the body -> captured by the else branch
    Graph orElse = ((ConcreteFunction) branch.attr("else_branch")).graph();
    assertEquals(List.of(fg.operation("arg1").output(0)),
        ((ConcreteFunction) loop.attr("body")).capturedInputs());
    Tensor k = fg.operation("arg1").output(0);
    List<Tensor> elseCaptured = ((ConcreteFunction) branch.attr("else_branch")).capturedInputs();
    assertEquals(List.of(body.operation("arg0").output(0), k), elseCaptured);
    Tensor kInBody = branch.inputs().getLast();
    assertSame(body, kInBody.op().graph());
    assertEquals(true, kInBody.op().attr("_captured"));
    assertSame(body, orElse.outer());
    // maximum iterations caps it: 5 steps of 27
    Function capped = Function.of(n -> Ops.whileLoop(v -> v.get(0).notEqual(Tensor.scalar(1)),
        v -> collatzStep(v), List.of(n, Tensor.scalar(0)), 5).get(0));
    assertEquals(capped.call(Tensor.scalar(27)).getInt(),
        Ops.whileLoop(v -> v.get(0).notEqual(Tensor.scalar(1)), v -> collatzStep(v),
            List.of(Tensor.scalar(27), Tensor.scalar(0)), 5).get(0).getInt());
    assertEquals(31, capped.call(Tensor.scalar(27)).getInt()); // 27 82 41 124 62 31
  }

  private static List<Tensor> collatzStep(List<Tensor> v) {
    Tensor m = v.get(0);
    Tensor two = Tensor.scalar(2);
    return List.of(Ops.cond(m.floorMod(two).equal(Tensor.scalar(0)), () -> m.floorDiv(two),
        () -> m.mul(3).add(1)), v.get(1).add(1));
  }

  @Test
  void whileNestedInACondBranch() {
    // p ? (x doubled until > 100) : x - 1
    java.util.function.BinaryOperator<Tensor> prog = (p, x) -> Ops.cond(p,
        () -> Ops.whileLoop(v -> v.get(0).lessEqual(Tensor.scalar(100f)),
            v -> List.of(v.get(0).mul(2)), List.of(x)).get(0),
        () -> x.sub(1));
    Function f = Function.of(prog);
    for (boolean p : new boolean[] {true, false}) {
      for (float x : new float[] {1, 3, 150}) {
        Tensor tp = Tensor.scalar(p);
        Tensor tx = Tensor.scalar(x);
        assertEquals(prog.apply(tp, tx).getFloat(), f.call(tp, tx).getFloat(), p + " " + x);
      }
    }
    assertEquals(128f, f.call(TRUE, Tensor.scalar(1f)).getFloat());
    Graph fg = f.getConcreteFunction(TRUE, Tensor.scalar(1f)).graph();
    Graph then = ((ConcreteFunction) only(fg, "StatelessIf").attr("then_branch")).graph();
    only(then, "StatelessWhile");
  }

  @Test
  void branchesUpdateVariablesOnlyWhenTaken() {
    Variable v = Variable.of(Tensor.scalar(0f));
    Variable w = Variable.of(Tensor.scalar(0f));
    Function f = Function.of(p -> Ops.cond(p, () -> v.assignAdd(Tensor.scalar(1f)),
        () -> w.assignAdd(Tensor.scalar(10f))));
    assertEquals(1f, f.call(TRUE).getFloat());
    assertEquals(1f, v.read().getFloat());
    assertEquals(0f, w.read().getFloat());
    assertEquals(10f, f.call(FALSE).getFloat());
    assertEquals(2f, f.call(TRUE).getFloat());
    assertEquals(2f, v.read().getFloat());
    assertEquals(10f, w.read().getFloat());
    Graph fg = f.getConcreteFunction(TRUE).graph();
    only(fg, "If");
    assertEquals(0, count(fg, "StatelessIf"));
    // eagerly the same
    Ops.cond(FALSE, () -> v.assignAdd(Tensor.scalar(1f)), () -> w.assignAdd(Tensor.scalar(10f)));
    assertEquals(2f, v.read().getFloat());
    assertEquals(20f, w.read().getFloat());
  }

  @Test
  void aBranchReadsTheVariablesCurrentValueAtEachCall() {
    Variable v = Variable.of(Tensor.scalar(5f));
    Function f = Function.of(p -> Ops.cond(p, v::read, () -> Tensor.scalar(-1f)));
    assertEquals(5f, f.call(TRUE).getFloat());
    v.assign(Tensor.scalar(7f));
    assertEquals(7f, f.call(TRUE).getFloat());
    assertEquals(-1f, f.call(FALSE).getFloat());
    only(f.getConcreteFunction(TRUE).graph(), "If");
  }

  @Test
  void functionsCalledInBranchesAndBranchesInCalledFunctions() {
    Variable v = Variable.of(Tensor.scalar(0));
    Function bump = Function.of(d -> Ops.cond(d.greater(Tensor.scalar(0)),
        () -> v.assignAdd(d), () -> v.read()));
    Function outer = Function.of((p, d) -> Ops.cond(p, () -> bump.call(d), () -> d.neg()));
    assertEquals(3, outer.call(TRUE, Tensor.scalar(3)).getInt());
    assertEquals(-4, outer.call(FALSE, Tensor.scalar(4)).getInt());
    assertEquals(3, outer.call(TRUE, Tensor.scalar(-1)).getInt()); // bump reads only
    assertEquals(5, outer.call(TRUE, Tensor.scalar(2)).getInt());
    assertEquals(5, v.read().getInt());
    Graph fg = outer.getConcreteFunction(TRUE, Tensor.scalar(1)).graph();
    Operation node = only(fg, "If"); // stateful through the nested call
    Graph then = ((ConcreteFunction) node.attr("then_branch")).graph();
    only(then, "StatefulPartitionedCall");
  }

  @Test
  void aStatefulCondRunsEvenWhenNothingReadsIt() {
    Variable v = Variable.of(Tensor.scalar(0));
    Function f = Function.of(p -> {
      Ops.condList(p, () -> {
        v.assignAdd(Tensor.scalar(1));
        return List.of();
      }, List::of);
      return v.read();
    });
    assertEquals(1, f.call(TRUE).getInt());
    assertEquals(1, f.call(FALSE).getInt());
    assertEquals(2, f.call(TRUE).getInt());
    Operation node = only(f.getConcreteFunction(TRUE).graph(), "If");
    assertEquals(0, node.outputs().size());
  }

  @Test
  void aLoopUpdatesAVariableEachIteration() {
    Variable acc = Variable.of(Tensor.scalar(0L));
    Function f = Function.of(n -> Ops.whileLoop(v -> v.get(0).less(n), v -> {
      acc.assignAdd(v.get(0));
      return List.of(v.get(0).add(1));
    }, List.of(Tensor.scalar(0L))).get(0));
    assertEquals(4L, f.call(Tensor.scalar(4L)).getLong());
    assertEquals(6L, acc.read().getLong());
    only(f.getConcreteFunction(Tensor.scalar(4L)).graph(), "While");
    // in a Session graph too
    Graph g = new Graph();
    Tensor n;
    List<Tensor> r;
    try (Scope s = g.asDefault()) {
      n = Ops.placeholder(DType.INT64);
      r = Ops.whileLoop(v -> v.get(0).less(n), v -> {
        acc.assignAdd(Tensor.scalar(100L));
        return List.of(v.get(0).add(1));
      }, List.of(Tensor.scalar(0L)));
    }
    try (Session sess = new Session(g)) {
      assertEquals(3L, sess.run(r.get(0), Map.of(n, Tensor.scalar(3L))).getLong());
    }
    assertEquals(306L, acc.read().getLong());
  }

  @Test
  void variablesCreatedInABranchAreLiftedOnce() {
    AtomicReference<Variable> made = new AtomicReference<>();
    Function f = Function.of(p -> Ops.cond(p, () -> {
      if (made.get() == null) {
        made.set(Variable.of(Tensor.scalar(5f)));
      }
      return made.get().assignAdd(Tensor.scalar(1f));
    }, () -> Tensor.scalar(0f)));
    assertEquals(6f, f.call(TRUE).getFloat());
    assertEquals(0f, f.call(FALSE).getFloat());
    assertEquals(7f, f.call(TRUE).getFloat());
    assertFalse(made.get().read().isSymbolic());
  }

  @Test
  void eagerValuesCapturedDeepInsideReachTheFunction() {
    Tensor c = Tensor.scalar(2f).add(1); // an eager result (not a literal): captured
    Function outer = Function.of(x -> {
      Function inner = Function.of(y -> Ops.cond(y.greater(Tensor.scalar(0f)),
          () -> Ops.whileLoop(v -> v.get(0).less(Tensor.scalar(50f)),
              v -> List.of(v.get(0).mul(c)), List.of(y)).get(0),
          () -> y.sub(c)));
      return inner.call(x).add(1);
    });
    assertEquals(82f, outer.call(Tensor.scalar(1f)).getFloat()); // 1 3 9 27 81, + 1
    assertEquals(-4f, outer.call(Tensor.scalar(-2f)).getFloat());
    ConcreteFunction cf = outer.getConcreteFunction(Tensor.scalar(1f));
    assertEquals(List.of(c), cf.capturedInputs());
  }

  @Test
  void initScopeInABranchEscapesToEagerFromAFunction() {
    AtomicReference<Boolean> eagerInside = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    Function f = Function.of(x -> Ops.cond(x.greater(Tensor.scalar(0f)), () -> {
      Tensor c;
      try (Scope init = initScope()) {
        eagerInside.set(Context.executingEagerly());
        runs.incrementAndGet();
        c = Tensor.scalar(3f).add(1); // computed now, eagerly
      }
      assertFalse(c.isSymbolic());
      return x.mul(c);
    }, () -> x));
    assertEquals(8f, f.call(Tensor.scalar(2f)).getFloat());
    assertEquals(-2f, f.call(Tensor.scalar(-2f)).getFloat());
    assertTrue(eagerInside.get());
    assertEquals(1, runs.get(), "once per trace");
    // nested: a function traced inside a function, the cond inside the inner one
    eagerInside.set(null);
    Function outer = Function.of(x -> Function.of(y -> Ops.cond(TRUE, () -> {
      try (Scope init = initScope()) {
        eagerInside.set(Context.executingEagerly());
      }
      return y;
    }, () -> y)).call(x));
    assertEquals(3f, outer.call(Tensor.scalar(3f)).getFloat());
    assertTrue(eagerInside.get());
  }

  @Test
  void initScopeInABranchEscapesToTheSessionGraph() {
    Graph g = new Graph();
    Tensor x;
    Tensor p;
    Tensor y;
    List<Graph> inside = new ArrayList<>();
    List<Tensor> lifted = new ArrayList<>();
    try (Scope s = g.asDefault(); Scope n = Ops.nameScope("block")) {
      x = Ops.placeholder(DType.FLOAT32);
      p = Ops.placeholder(DType.BOOL);
      y = Ops.cond(p, () -> Ops.whileLoop(
          v -> v.get(0).less(Tensor.scalar(10f)),
          v -> {
            try (Scope inner = Ops.nameScope("inner"); Scope init = initScope()) {
              inside.add(Graph.current());
              assertFalse(Context.executingEagerly());
              assertEquals(List.of(), g.currentControlInputs());
              lifted.add(x.mul(3)); // a node of the outer graph
            }
            return List.of(v.get(0).add(lifted.getLast()));
          }, List.of(x)).get(0), () -> x);
    }
    assertEquals(List.of(g), inside);
    Tensor t = lifted.get(0);
    assertSame(g, t.op().graph());
    // the branch graph's name scope, re-entered as is in the outer graph
    assertEquals("inner/Mul", t.op().name());
    try (Session sess = new Session(g)) {
      assertEquals(10f, sess.run(y, Map.of(x, Tensor.scalar(1f), p, TRUE)).getFloat()); // 1 4 7 10
      assertEquals(1f, sess.run(y, Map.of(x, Tensor.scalar(1f), p, FALSE)).getFloat());
    }
  }

  @Test
  void inGraphModeInitScopeInABranchEscapesToTheGlobalGraph() {
    Context.disableEagerExecution();
    try {
      Graph global = Graph.globalDefault();
      AtomicReference<Graph> inside = new AtomicReference<>();
      Tensor x = Ops.placeholder(DType.FLOAT32);
      Tensor y = Ops.cond(Tensor.scalar(true), () -> {
        try (Scope init = initScope()) {
          inside.set(Graph.current());
        }
        return x.add(1);
      }, () -> x);
      assertSame(global, inside.get());
      assertSame(global, y.op().graph());
      try (Session sess = new Session()) {
        assertEquals(3f, sess.run(y, Map.of(x, Tensor.scalar(2f))).getFloat());
      }
    } finally {
      Context.enableEagerExecution();
    }
    assertTrue(Context.executingEagerly());
  }

  @Test
  void aFunctionWhoseBranchThrowsCanBeCalledAgain() {
    AtomicInteger calls = new AtomicInteger();
    Function f = Function.of(x -> Ops.cond(x.greater(Tensor.scalar(0f)), () -> x, () -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalArgumentException("first trace fails");
      }
      return x.neg();
    }));
    var e = assertThrows(IllegalArgumentException.class, () -> f.call(Tensor.scalar(1f)));
    assertEquals("first trace fails", e.getMessage());
    assertEquals(0, f.tracingCount());
    assertTrue(Context.executingEagerly());
    assertNotNull(f.call(Tensor.scalar(-1f)));
    assertEquals(1f, f.call(Tensor.scalar(-1f)).getFloat());
    assertEquals(1, f.tracingCount());
  }
}
