package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Graph;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Losses;
import dev.isthmus.Mean;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.SGD;
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

  // ---- the quick start's three reference examples (docs/API.md)

  @Test
  @SuppressWarnings("try") // scopes entered for their effect
  void quickStartAsyncScopeRunsAsWritten() {
    Tensor xs = Tensor.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);
    DatasetIterator iterator = Dataset.fromTensorSlices(xs, xs.mul(3.0)).batch(2).iterator();
    Variable w = Variable.of(0f);
    SGD sgd = new SGD(0.01);
    Mean loss = new Mean();
    Function trainStep = Function.of(() -> {
      List<Tensor> batch = iterator.getNextAll();
      GradientTape tape = GradientTape.open();
      Tensor l;
      try (tape) {
        l = Losses.meanSquaredError(batch.get(1), batch.get(0).mul(w.read()));
      }
      sgd.apply(tape.gradient(l, List.of(w)), List.of(w));
      loss.updateState(l);
      return l;
    });
    boolean ended = false;
    try (Scope scope = Scopes.asyncScope()) {
      for (int i = 0; i < 100; i++) trainStep.call();
    } catch (OutOfRangeException e) {
      Scopes.asyncClearError();
      ended = true;
    }
    System.out.println("loss = " + loss.result().item() + ", w = " + w.read().item());
    assertTrue(ended, "the data ran out and the scope's close said so");
    assertEquals(1, trainStep.tracingCount());
    assertEquals(4, sgd.iterations().item(), 0.0); // four batches, four updates
    // by hand: w - 3 = -3 (1 - 0.02 m) over the batches' mean squares m = 2.5, 12.5, 30.5, 56.5,
    // and the losses before each update, (w - 3)^2 m, average 75.66
    assertEquals(3.108, w.read().item(), 0.001);
    assertEquals(75.66, loss.result().item(), 0.01);
  }

  @Test
  @SuppressWarnings("try")
  void quickStartJitScopeRunsAsWritten() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.of(new float[] {0.5f, -1, 2, 0.25f}, 2, 2);
    Function f = Function.of((x, y) -> {
      Tensor c, d, e;
      try (Scope jit = Scopes.jitScope()) { c = Ops.matmul(x, y); }
      try (Scope jit = Scopes.jitScope(false)) { d = Ops.matmul(x, c); }
      try (Scope jit = Scopes.jitScope(n -> n.op().toLowerCase().contains("matmul"))) {
        e = Ops.matmul(x, y).add(d);
      }
      return e;
    });
    Tensor e = f.call(a, b);
    Graph g = f.getConcreteFunction(a, b).graph();
    assertEquals(true, g.operation("MatMul").attr("_XlaCompile"));
    assertEquals(false, g.operation("MatMul_1").attr("_XlaCompile"));
    assertEquals(true, g.operation("MatMul_2").attr("_XlaCompile"));
    assertEquals(false, g.operation("AddV2").attr("_XlaCompile"));
    assertEquals("cluster_0", g.operation("MatMul").attr("_XlaCluster"));
    assertEquals("cluster_1", g.operation("MatMul_2").attr("_XlaCluster"));
    assertNull(g.operation("MatMul_1").attr("_XlaCluster"));
    assertNull(g.operation("AddV2").attr("_XlaCluster"));
    Tensor ab = Ops.matmul(a, b);
    assertArrayEquals(ab.add(Ops.matmul(a, ab)).toFloatArray(), e.toFloatArray());
  }

  @Test
  @SuppressWarnings("try")
  void quickStartInitScopeRunsAsWritten() {
    assertTrue(ReadmeExampleTest.class.desiredAssertionStatus(), "the example's asserts need -ea");
    int[] eagerRuns = {0};
    Function func = Function.of(() -> {
      assert !Context.executingEagerly();
      try (Scope init = Scopes.initScope()) {
        assert Context.executingEagerly();
        eagerRuns[0]++;
      }
      return Ops.constant(new float[] {1f});
    });
    func.call();
    func.call();
    assertEquals(1, eagerRuns[0], "once per trace");
  }
}
