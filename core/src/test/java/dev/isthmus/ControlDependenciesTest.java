package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ops.controlDependencies, held to TensorFlow's ControlDependenciesTest (ops_test.py): blocks
 * nest and add up, null or no arguments clear, nodes whose inputs were made in a block are not
 * given that block's control inputs again, a no-op when executing eagerly.
 */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class ControlDependenciesTest {
  private static Tensor ph() {
    return Ops.placeholder(DType.FLOAT32);
  }

  private static Set<Operation> controls(Tensor t) {
    return new HashSet<>(t.op().controlInputs());
  }

  private static Set<Operation> ops(Tensor... ts) {
    Set<Operation> s = new HashSet<>();
    for (Tensor t : ts) {
      s.add(t.op());
    }
    return s;
  }

  @Test
  void basicAndDominatedByAnInputMadeInTheBlock() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = ph();
      Tensor b = ph();
      Tensor c;
      Tensor d;
      Tensor e;
      try (Scope cd = Ops.controlDependencies(a)) {
        c = ph();
        d = Ops.identity(b);
        e = Ops.identity(c);
      }
      assertEquals(List.of(a.op()), c.op().controlInputs());
      assertEquals(List.of(a.op()), d.op().controlInputs());
      assertEquals(List.of(), e.op().controlInputs()); // c was made in the block: e is after a
      assertEquals(List.of(), Ops.identity(b).op().controlInputs());
    }
  }

  @Test
  void nestedBlocksAddUp() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a1 = ph();
      Tensor a2 = ph();
      Tensor a3 = ph();
      Tensor a4 = ph();
      Tensor b1;
      Tensor b2;
      try (Scope c = Ops.controlDependencies(a1, a2, a3, a4)) {
        b1 = ph();
      }
      try (Scope c1 = Ops.controlDependencies(a1); Scope c2 = Ops.controlDependencies(a2);
          Scope c3 = Ops.controlDependencies(a3); Scope c4 = Ops.controlDependencies(a4)) {
        b2 = ph();
      }
      assertEquals(ops(a1, a2, a3, a4), controls(b1));
      assertEquals(controls(b1), controls(b2));
      assertEquals(List.of(a1.op(), a2.op(), a3.op(), a4.op()), b2.op().controlInputs());
      assertEquals("^Placeholder", b2.op().nodeDef().inputs().get(0));
    }
  }

  @Test
  void nullOrNothingClearsForTheInnerBlock() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a1 = ph();
      Tensor a2 = ph();
      Tensor a3 = ph();
      Tensor a4 = ph();
      try (Scope c1 = Ops.controlDependencies(a1)) {
        try (Scope c2 = Ops.controlDependencies(a2)) {
          try (Scope none = Ops.controlDependencies((Object[]) null)) {
            try (Scope c3 = Ops.controlDependencies(a3)) {
              try (Scope c4 = Ops.controlDependencies(a4)) {
                assertEquals(ops(a3, a4), controls(ph()));
              }
              assertEquals(ops(a3), controls(ph()));
            }
            assertEquals(Set.of(), controls(ph()));
          }
          assertEquals(ops(a1, a2), controls(ph()));
        }
        assertEquals(ops(a1), controls(ph()));
        try (Scope none = Ops.controlDependencies()) {
          assertEquals(Set.of(), controls(ph()));
        }
        assertEquals(ops(a1), controls(ph()));
      }
      assertEquals(Set.of(), controls(ph()));
    }
  }

  @Test
  void complexNestingAsTensorFlowsTest() {
    // TensorFlow's ControlDependenciesTest.testComplex, op for op
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a1 = ph();
      Tensor a2 = ph();
      Tensor a3 = ph();
      Tensor a4 = ph();
      Tensor b1;
      Tensor b2;
      Tensor b3;
      Tensor b4;
      Tensor c1;
      Tensor c2;
      Tensor c3;
      Tensor c4;
      Tensor d1;
      Tensor d2;
      Tensor d3;
      Tensor d4;
      Tensor e1;
      Tensor e2;
      Tensor e3;
      Tensor e4;
      try (Scope s1 = Ops.controlDependencies(a1)) {
        b1 = a3.mul(a4);
        c1 = a1.mul(b1);
        d1 = b1.mul(c1);
        e1 = ph();
        try (Scope s2 = Ops.controlDependencies(a2)) {
          b2 = a3.mul(a4);
          c2 = a1.mul(b1);
          d2 = b2.mul(c2);
          e2 = e1.mul(e1);
          try (Scope s3 = Ops.controlDependencies(a3)) {
            b3 = a3.mul(a4);
            c3 = a1.mul(b1);
            d3 = b3.mul(c3);
            e3 = e2.mul(e2);
            try (Scope s4 = Ops.controlDependencies(a4)) {
              b4 = a3.mul(a4);
              c4 = a1.mul(b1);
              d4 = b4.mul(c4);
              e4 = e3.mul(e3);
            }
          }
        }
      }
      assertEquals(ops(a1), controls(b1));
      assertEquals(ops(a1, a2), controls(b2));
      assertEquals(ops(a1, a2), controls(b3));
      assertEquals(ops(a1, a2), controls(b4));

      assertEquals(Set.of(), controls(c1));
      assertEquals(ops(a2), controls(c2));
      assertEquals(ops(a2, a3), controls(c3));
      assertEquals(ops(a2, a3, a4), controls(c4));

      for (Tensor d : List.of(d1, d2, d3, d4)) {
        assertEquals(Set.of(), controls(d));
      }

      assertEquals(ops(a1), controls(e1));
      assertEquals(ops(a2), controls(e2));
      assertEquals(ops(a3), controls(e3));
      assertEquals(ops(a4), controls(e4));
    }
  }

  @Test
  void anOpAlreadyInForceIsNotAddedTwice() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = ph();
      Tensor b = ph();
      try (Scope c1 = Ops.controlDependencies(a, a, a.op())) {
        try (Scope c2 = Ops.controlDependencies(a, b)) {
          assertEquals(List.of(a.op(), b.op()), ph().op().controlInputs());
        }
      }
    }
  }

  @Test
  void controlInputsMakeStatefulOpsRunInASession() {
    Variable v = Variable.of(Tensor.scalar(0f));
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    Tensor viaConst;
    Tensor plain;
    try (Scope s = g.asDefault()) {
      Tensor upd = v.assignAdd(Tensor.scalar(1f));
      x = ph();
      plain = x.neg();
      try (Scope c = Ops.controlDependencies(upd)) {
        y = x.neg();
        // the literal's Const is made in the block and carries the control input; the AddV2
        // using it is dominated, yet still runs after the update
        viaConst = x.add(1f);
      }
      assertEquals(List.of(upd.op()), y.op().controlInputs());
      assertEquals(List.of(), viaConst.op().controlInputs());
      assertEquals(List.of(upd.op()), viaConst.op().inputs().get(1).op().controlInputs());
    }
    try (Session sess = new Session(g)) {
      Map<Tensor, Tensor> feed = Map.of(x, Tensor.scalar(5f));
      assertEquals(-5f, sess.run(plain, feed).getFloat());
      assertEquals(0f, v.read().getFloat(), "nothing depends on the update");
      assertEquals(-5f, sess.run(y, feed).getFloat());
      assertEquals(1f, v.read().getFloat());
      assertEquals(6f, sess.run(viaConst, feed).getFloat());
      assertEquals(2f, v.read().getFloat());
      sess.run(List.of(y, viaConst), feed);
      assertEquals(3f, v.read().getFloat(), "one run runs a node once");
    }
  }

  @Test
  void insideAFunctionTheBlockOrdersTheBody() {
    Variable v = Variable.of(Tensor.scalar(1f));
    Function f = Function.of(() -> {
      Tensor before = v.read();
      Tensor set = v.assign(Tensor.scalar(10f));
      try (Scope c = Ops.controlDependencies(set)) {
        return before.add(v.read());
      }
    });
    assertEquals(11f, f.call().getFloat());
    assertEquals(20f, f.call().getFloat());
  }

  @Test
  void insideAFunctionAnArgumentCanBeAControlInput() {
    Function f = Function.of((x, y) -> {
      try (Scope c = Ops.controlDependencies(x)) {
        return y.neg();
      }
    });
    assertEquals(-2f, f.call(Tensor.scalar(1f), Tensor.scalar(2f)).getFloat());
    Tensor bias = Tensor.of(5f).neg(); // a captured value as control input
    Function h = Function.of(y -> {
      try (Scope c = Ops.controlDependencies(Ops.identity(bias))) {
        return y.abs();
      }
    });
    assertEquals(3f, h.call(Tensor.scalar(-3f)).getFloat());
  }

  @Test
  void eagerlyItIsANoOp() {
    Graph g = new Graph();
    Tensor sym;
    try (Scope s = g.asDefault()) {
      sym = ph();
    }
    // TensorFlow 2 ignores control dependencies when executing eagerly (ops run in order)
    try (Scope c = Ops.controlDependencies(sym, sym.op(), "anything")) {
      assertArrayEquals(new float[] {-1}, Tensor.of(1f).neg().toFloatArray());
    }
    try (Scope c = Ops.controlDependencies((Object[]) null)) {
      assertTrue(Context.executingEagerly());
    }
  }

  @Test
  void anOpOfAnotherGraphIsAnError() {
    Graph g1 = new Graph();
    Graph g2 = new Graph();
    Tensor a;
    try (Scope s = g1.asDefault()) {
      a = ph();
    }
    try (Scope s = g2.asDefault()) {
      var e = assertThrows(InvalidArgumentException.class, () -> Ops.controlDependencies(a));
      assertTrue(e.getMessage().contains("'" + g1.name() + "'")
          && e.getMessage().contains("'" + g2.name() + "'")
          && e.getMessage().contains("'Placeholder'"), e.getMessage());
      assertEquals(List.of(), ph().op().controlInputs(), "a refused block was not entered");
    }
  }

  @Test
  void onlyOperationsAndSymbolicTensorsAreAccepted() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Variable v = Variable.of(Tensor.scalar(1f));
      var e = assertThrows(InvalidArgumentException.class, () -> Ops.controlDependencies(v));
      assertTrue(e.getMessage().contains("variable"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> Ops.controlDependencies(Tensor.of(1f)));
      assertTrue(e.getMessage().contains("concrete tensor float32[1]"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> Ops.controlDependencies(ph(), null));
      assertTrue(e.getMessage().contains("null"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class, () -> Ops.controlDependencies("a"));
      assertTrue(e.getMessage().contains("String"), e.getMessage());
    }
  }

  @Test
  void blocksCloseInOrderAndAreRestoredOnExceptions() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = ph();
      Tensor b = ph();
      assertThrows(IllegalStateException.class, () -> {
        try (Scope c = Ops.controlDependencies(a)) {
          throw new IllegalStateException("boom");
        }
      });
      assertEquals(List.of(), ph().op().controlInputs());
      Scope outer = Ops.controlDependencies(a);
      Scope inner = Ops.controlDependencies(b);
      assertThrows(InternalException.class, outer::close);
      inner.close();
      outer.close();
      outer.close();
      assertEquals(List.of(), ph().op().controlInputs());
    }
  }

  @Test
  void blocksArePerThread() throws Exception {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = ph();
      try (Scope c = Ops.controlDependencies(a)) {
        Thread t = new Thread(() -> {
          try (Scope s2 = g.asDefault()) {
            ph();
          }
        });
        t.start();
        t.join(10_000);
      }
    }
    Operation other = g.operations().get(1);
    assertEquals(List.of(), other.controlInputs());
  }
}
