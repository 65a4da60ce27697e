package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Ops.cond and Ops.whileLoop give the same values eagerly (Java control flow), traced into a
 * Function (If/While nodes over branch and body graphs) and in a Session graph, over random
 * predicates, iteration counts, maximum iterations and inputs. The kernels are the same in
 * every mode, so results must agree bit for bit.
 */
class ControlFlowProperties {
  /** Inputs of {@link #program}: a vector, a predicate, a trip count and a maximum (or null). */
  record Case(float[] x, boolean p, int n, Integer max) {
    @Override
    public String toString() {
      return "Case(x=" + java.util.Arrays.toString(x) + ", p=" + p + ", n=" + n + ", max=" + max
          + ")";
    }
  }

  static Gen<Case> cases() {
    return in -> {
      Draw d = TensorGens.draw(in);
      float[] x = new float[d.intBetween(1, 5)];
      for (int i = 0; i < x.length; i++) {
        x[i] = d.intBetween(-16, 16) / 4f;
      }
      Integer max = d.intBetween(0, 3) == 0 ? null : d.intBetween(-1, 14);
      return new Case(x, d.intBetween(0, 1) == 1, d.intBetween(0, 12), max);
    };
  }

  /**
   * A loop over i below n (at most max times) whose body branches on i's parity and p, with a
   * loop nested in one branch; then a cond on the result's sign. Returns (i, acc, sign branch).
   */
  static List<Tensor> program(Tensor x, Tensor p, Tensor n, Integer max) {
    java.util.function.Function<List<Tensor>, Tensor> cond = v -> v.get(0).less(n);
    java.util.function.Function<List<Tensor>, List<Tensor>> body = v -> {
      Tensor i = v.get(0);
      Tensor acc = v.get(1);
      Tensor even = i.floorMod(Tensor.scalar(2)).equal(Tensor.scalar(0));
      Tensor next = Ops.cond(Ops.logicalAnd(even, p),
          () -> acc.mul(0.5).add(x),
          () -> Ops.whileLoop(w -> w.get(0).reduceSum().less(Tensor.scalar(8f)),
              w -> List.of(w.get(0).add(1).mul(1.5)), List.of(acc.abs()), 3).get(0)
              .sub(x.mul(i.cast(DType.FLOAT32))));
      return List.of(i.add(1), next);
    };
    List<Tensor> init = List.of(Tensor.scalar(0), x);
    List<Tensor> r = max == null ? Ops.whileLoop(cond, body, init)
        : Ops.whileLoop(cond, body, init, max);
    Tensor acc = r.get(1);
    List<Tensor> s = Ops.condList(acc.reduceSum().greater(Tensor.scalar(0f)),
        () -> List.of(acc.reduceMax(), Tensor.scalar(1L)),
        () -> List.of(acc.reduceMin().neg(), Tensor.scalar(-1L)));
    return List.of(r.get(0), acc, s.get(0), s.get(1));
  }

  static void assertSame(List<Tensor> want, List<Tensor> got, Case c) {
    assertEquals(want.size(), got.size(), c.toString());
    assertEquals(want.get(0).getInt(), got.get(0).getInt(), c.toString());
    assertArrayEquals(want.get(1).toFloatArray(), got.get(1).toFloatArray(), c.toString());
    assertEquals(want.get(2).getFloat(), got.get(2).getFloat(), c.toString());
    assertEquals(want.get(3).getLong(), got.get(3).getLong(), c.toString());
  }

  @Test
  void eagerTracedAndSessionAgree() {
    qt().withExamples(60).forAll(cases()).checkAssert(c -> {
      Tensor x = Tensor.of(c.x());
      Tensor p = Tensor.scalar(c.p());
      Tensor n = Tensor.scalar(c.n());
      List<Tensor> eager = program(x, p, n, c.max());
      int expectIters = c.max() == null ? c.n() : Math.max(0, Math.min(c.n(), c.max()));
      assertEquals(expectIters, eager.get(0).getInt(), c.toString());

      Function f = Function.ofList(a -> program(a.get(0), a.get(1), a.get(2), c.max()));
      assertSame(eager, f.callAll(x, p, n), c);
      // the trace is reused for other predicates and trip counts
      Tensor p2 = Tensor.scalar(!c.p());
      Tensor n2 = Tensor.scalar((c.n() * 7 + 3) % 13);
      assertSame(program(x, p2, n2, c.max()), f.callAll(x, p2, n2), c);
      assertEquals(1, f.tracingCount());

      Graph g = new Graph();
      Tensor gx;
      Tensor gp;
      Tensor gn;
      List<Tensor> out;
      try (Scope s = g.asDefault()) {
        gx = Ops.placeholder(DType.FLOAT32, c.x().length);
        gp = Ops.placeholder(DType.BOOL);
        gn = Ops.placeholder(DType.INT32);
        out = program(gx, gp, gn, c.max());
      }
      try (Session sess = new Session(g)) {
        assertSame(eager, sess.run(out, Map.of(gx, x, gp, p, gn, n)), c);
      }
    });
  }

  @Test
  void onlyTheTakenBranchUpdatesVariables() {
    // a random sequence of predicates: each call adds to exactly one of two variables
    qt().withExamples(40).forAll(in -> {
      Draw d = TensorGens.draw(in);
      boolean[] ps = new boolean[d.intBetween(0, 8)];
      for (int i = 0; i < ps.length; i++) {
        ps[i] = d.intBetween(0, 1) == 1;
      }
      return ps;
    }).checkAssert(ps -> {
      Variable a = Variable.of(Tensor.scalar(0));
      Variable b = Variable.of(Tensor.scalar(0));
      Function f = Function.of(p -> Ops.cond(p, () -> a.assignAdd(Tensor.scalar(1)),
          () -> b.assignAdd(Tensor.scalar(1))));
      int ta = 0;
      int tb = 0;
      for (boolean p : ps) {
        Tensor r = f.call(Tensor.scalar(p));
        if (p) {
          ta++;
        } else {
          tb++;
        }
        assertEquals(p ? ta : tb, r.getInt()); // the taken branch's new value
        assertEquals(ta, a.read().getInt());
        assertEquals(tb, b.read().getInt());
      }
    });
  }
}
