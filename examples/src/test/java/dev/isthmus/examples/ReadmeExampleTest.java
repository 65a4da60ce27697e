package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.scopes.Scopes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's examples, line for line, so the README stays true. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRunsAsWritten() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor w = Ops.randomNormal(42, DType.FLOAT32, 3, 4);
    Tensor y = Ops.softmax(x.matmul(w).add(1.0));
    assertTrue(y.toString().startsWith("tf.Tensor(\n[["), y.toString());
    assertTrue(y.toString().endsWith("shape=(2, 4), dtype=float32)"), y.toString());
    for (float s : Ops.reduceSum(y, 1).toFloatArray()) {
      assertEquals(1f, s, 1e-6f);
    }
    var e = assertThrows(InvalidArgumentException.class, () -> Ops.add(x, Tensor.of(1f, 2f)));
    assertTrue(e.getMessage().startsWith("AddV2: expected shapes that broadcast"), e.getMessage());
    assertTrue(e.getMessage().endsWith("got x: float32[2, 3], y: float32[2]"), e.getMessage());
  }

  @Test
  void readmeGraphsAndFunctionsExampleRunsAsWritten() {
    Function f = Function.of((x, w) -> x.matmul(w).relu().add(1.0));
    Tensor x = Tensor.of(new float[] {1, -2, 3, 4}, 2, 2);
    Tensor w = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
    Tensor y = f.call(x, w);
    f.call(x.mul(2.0), w);
    assertArrayEquals(new float[] {2, 1, 4, 5}, y.toFloatArray());
    assertEquals(1, f.tracingCount());
    assertEquals(List.of("arg0", "arg1", "MatMul", "Relu", "Const", "AddV2"),
        f.getConcreteFunction(x, w).graph().operations().stream().map(Operation::name).toList());

    Variable v = Variable.of(0f);
    Function step = Function.of(() -> v.assignAdd(Tensor.scalar(1f)));
    step.call();
    step.call();
    assertEquals(2.0, v.read().item());

    Graph g = new Graph();
    Tensor p;
    Tensor q;
    try (Scope s = g.asDefault()) {
      p = Ops.placeholder(DType.FLOAT32, 2);
      q = p.mul(2.0).add(1.0);
    }
    assertTrue(q.isSymbolic());
    try (Session sess = new Session(g)) {
      Tensor out = sess.run(q, Map.of(p, Tensor.of(1f, 2f)));
      assertEquals("tf.Tensor([3. 5.], shape=(2,), dtype=float32)", out.toString());
    }
  }

  @Test
  @SuppressWarnings("try") // scopes entered for their effect
  void asyncExampleRunsAsWritten() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor y = x;
    try (Scope scope = Scopes.asyncScope()) {
      for (int i = 0; i < 1000; i++) {
        y = y.mul(0.5).add(x);
      }
      assertTrue(Context.executor().isAsync());
    }
    assertEquals("tf.Tensor(\n[[ 2.  4.  6.]\n [ 8. 10. 12.]], shape=(2, 3), dtype=float32)",
        y.toString());
    var e = assertThrows(InvalidArgumentException.class, () -> {
      try (Scope scope = Scopes.asyncScope()) {
        Ops.gather(x, Tensor.of(0, 5));
      }
    });
    assertTrue(e.getMessage().startsWith("GatherV2: expected indices in [0, 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("[[async op GatherV2 #1 (inputs float32[2, 3], int32[2]), "
        + "issued at " + ReadmeExampleTest.class.getName() + ".lambda$"), e.getMessage());
  }
}
