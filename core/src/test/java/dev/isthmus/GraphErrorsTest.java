package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Issue 4, item 8: the graph errors, each with its type and a message that says what happened. */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class GraphErrorsTest {
  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "expected \"" + p + "\" in: " + message);
    }
  }

  private static Tensor symbolicExp(Graph g) {
    try (Scope s = g.asDefault()) {
      return Ops.placeholder(DType.FLOAT32, 2).exp();
    }
  }

  @Test
  void readingASymbolicTensorsValue() {
    Graph g = new Graph();
    Tensor y = symbolicExp(g);
    List<Executable> reads = List.of(y::toFloatArray, () -> y.getFloat(0), y::toOffHeap,
        y::isOffHeap);
    for (Executable r : reads) {
      var e = assertThrows(FailedPreconditionException.class, r);
      assertContains(e.getMessage(), "'Exp:0'", "float32[2]", "op Exp", "graph '" + g.name() + "'",
          "Session.run");
    }
    Tensor scalar;
    try (Scope s = g.asDefault()) {
      scalar = y.reduceSum();
    }
    var e = assertThrows(FailedPreconditionException.class, scalar::item);
    assertContains(e.getMessage(), "'Sum:0'", "float32[]", "graph '" + g.name() + "'");
    // describing it is fine
    assertEquals("float32[2]", y.describe());
    assertEquals("Tensor(\"Exp:0\", shape=(2,), dtype=float32)", y.toString());
  }

  @Test
  void usingASymbolicTensorEagerly() {
    Graph g = new Graph();
    Tensor y = symbolicExp(g);
    var e = assertThrows(FailedPreconditionException.class, () -> y.add(Tensor.of(1f, 1f)));
    assertContains(e.getMessage(), "AddV2: input x is the symbolic tensor 'Exp:0' float32[2] of "
        + "graph '" + g.name() + "'", "executing eagerly");
    e = assertThrows(FailedPreconditionException.class, () -> Tensor.of(1f, 1f).mul(y));
    assertContains(e.getMessage(), "Mul: input y is the symbolic tensor 'Exp:0'");
  }

  @Test
  void feedingNoValueForANeededPlaceholder() {
    Graph g = new Graph();
    Tensor y;
    try (Scope s = g.asDefault(); Scope n = Ops.nameScope("inputs")) {
      y = Ops.placeholder(DType.INT64, 3, 1).add(1L);
    }
    try (Session sess = new Session(g)) {
      var e = assertThrows(InvalidArgumentException.class, () -> sess.run(y));
      assertContains(e.getMessage(), "Session.run: you must feed a value for placeholder tensor "
          + "'inputs/Placeholder:0' with dtype int64 and shape [3, 1]");
    }
  }

  @Test
  void aTensorOfOneGraphInAnother() {
    Graph g1 = new Graph();
    Graph g2 = new Graph();
    Tensor x1 = symbolicExp(g1);
    try (Scope s = g2.asDefault()) {
      Tensor x2 = Ops.placeholder(DType.FLOAT32, 2);
      var e = assertThrows(InvalidArgumentException.class, () -> x2.add(x1));
      assertContains(e.getMessage(), "AddV2: input #1 'Exp:0' float32[2] belongs to graph '"
          + g1.name() + "', but the op is being added to graph '" + g2.name() + "'");
      assertEquals(1, g2.operations().size(), "nothing was added");
    }
  }

  @Test
  void capturingAnEagerResultInAPlainGraphIsAnError() {
    Tensor eager = Tensor.of(1f, 2f).neg(); // an op's result
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 2);
      var e = assertThrows(InvalidArgumentException.class, () -> x.add(eager));
      assertContains(e.getMessage(), "AddV2: input #1 is an eager tensor float32[2]",
          "graph '" + g.name() + "'", "Attempting to capture an EagerTensor without building a "
              + "function", "Ops.constant");
      // the way out it names: embed the value
      Tensor c = Ops.constant(eager);
      assertEquals("Const", c.op().type());
      assertSame(eager, c.op().attr("value"));
    }
  }

  @Test
  void aWrittenValueInAPlainGraphBecomesAConstant() {
    Graph g = new Graph();
    Tensor y;
    Tensor x;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT32, 2);
      y = x.add(Tensor.of(10f, 20f));
    }
    assertEquals("Const", y.op().inputs().get(1).op().type());
    try (Session sess = new Session(g)) {
      assertArrayEquals(new float[] {11, 22}, sess.run(y, Map.of(x, Tensor.of(1f, 2f)))
          .toFloatArray());
    }
  }

  @Test
  void aFunctionsTensorLeakedOutOfItsTrace() {
    Tensor[] leak = {null};
    Function f = Function.builder().name("leaky").build(x -> {
      leak[0] = x.mul(2f);
      return leak[0];
    });
    f.call(Tensor.of(1f));
    // eagerly
    var e = assertThrows(FailedPreconditionException.class, () -> leak[0].add(1f));
    assertContains(e.getMessage(), "'Mul:0'", "graph 'leaky'");
    // in the plain graph the function was traced in: the graph a function lifts to (initScope)
    Graph g = new Graph();
    Tensor[] leak2 = {null};
    Function h = Function.builder().name("leaky2").build(x -> {
      leak2[0] = x.mul(2f);
      return leak2[0];
    });
    try (Scope s = g.asDefault()) {
      h.call(Ops.placeholder(DType.FLOAT32, 1));
      var e2 = assertThrows(FailedPreconditionException.class, () -> leak2[0].add(1f));
      assertContains(e2.getMessage(), "'Mul:0'", "'leaky2'", "'" + g.name() + "'");
    }
    // in an unrelated graph it is the ordinary foreign-graph error
    try (Scope s = new Graph().asDefault()) {
      assertThrows(InvalidArgumentException.class, () -> leak2[0].add(1f));
    }
  }

  @Test
  void anotherFunctionsTensorIsNotCaptured() {
    Tensor[] leak = {null};
    Function a = Function.builder().name("fa").build(x -> {
      leak[0] = x.neg();
      return leak[0];
    });
    a.call(Tensor.of(1f));
    Function b = Function.builder().name("fb").build(x -> x.add(leak[0]));
    var e = assertThrows(InvalidArgumentException.class, () -> b.call(Tensor.of(1f)));
    assertContains(e.getMessage(), "'Neg:0'", "graph 'fa'", "graph 'fb'");
  }
}
