package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.Recording;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientTapeTest {
  private static double[] d(Tensor t) {
    return t.toDoubleArray();
  }

  @Test
  void gradientOfAPolynomial() {
    Tensor x = Tensor.of(1.0, 2.0, 3.0);
    Tensor y;
    try (GradientTape tape = GradientTape.open()) {
      tape.watch(x);
      y = Ops.add(Ops.mul(Ops.square(x), 3.0), x); // 3x^2 + x, summed as the target
      Tensor g = tape.gradient(y, x);
      assertArrayEquals(new double[] {7, 13, 19}, d(g), 1e-12);
    }
  }

  @Test
  void unwatchedTensorsAreNotRecorded() {
    Tensor x = Tensor.of(1.0, 2.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      y = Ops.square(x);
    }
    assertNull(tape.gradient(y, x));
  }

  @Test
  void unconnectedZeroGivesZeros() {
    Tensor x = Tensor.of(1.0, 2.0);
    Tensor z = Tensor.of(5.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x, z);
      y = Ops.square(x);
    }
    List<Tensor> g = tape.gradient(y, List.of(x, z), UnconnectedGradients.ZERO);
    assertArrayEquals(new double[] {2, 4}, d(g.get(0)), 0);
    assertArrayEquals(new double[] {0}, d(g.get(1)), 0);
  }

  @Test
  void nonPersistentTapeComputesOnce() {
    Tensor x = Tensor.scalar(3.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x);
      y = Ops.square(x);
    }
    assertEquals(6.0, tape.gradient(y, x).item(), 0);
    var e = assertThrows(FailedPreconditionException.class, () -> tape.gradient(y, x));
    assertTrue(e.getMessage().contains("persistent"), e.getMessage());
  }

  @Test
  void persistentTapeComputesManyTimes() {
    Tensor x = Tensor.scalar(3.0);
    GradientTape tape = GradientTape.persistent();
    Tensor y;
    Tensor z;
    try (tape) {
      tape.watch(x);
      y = Ops.square(x);
      z = Ops.mul(y, y); // x^4
    }
    assertEquals(6.0, tape.gradient(y, x).item(), 0);
    assertEquals(108.0, tape.gradient(z, x).item(), 1e-9);
    assertEquals(18.0, tape.gradient(z, y).item(), 1e-9);
  }

  @Test
  void nestedTapesGiveSecondDerivatives() {
    Tensor x = Tensor.scalar(2.0);
    GradientTape outer = GradientTape.open();
    Tensor dy;
    try (outer) {
      outer.watch(x);
      try (GradientTape inner = GradientTape.open()) {
        inner.watch(x);
        Tensor y = Ops.mul(Ops.mul(x, x), x); // x^3
        dy = inner.gradient(y, x); // 3x^2 = 12, recorded by the outer tape
      }
    }
    assertEquals(12.0, dy.item(), 1e-12);
    assertEquals(12.0, outer.gradient(dy, x).item(), 1e-12); // 6x
  }

  @Test
  void stopRecordingPausesOnlyThatBlock() {
    Tensor x = Tensor.scalar(2.0);
    GradientTape tape = GradientTape.persistent();
    Tensor a;
    Tensor b;
    try (tape) {
      tape.watch(x);
      try (Scope s = tape.stopRecording()) {
        a = Ops.square(x);
      }
      b = Ops.square(x);
    }
    assertNull(tape.gradient(a, x));
    assertEquals(4.0, tape.gradient(b, x).item(), 0);
  }

  @Test
  void initScopePausesRecording() {
    Tensor x = Tensor.scalar(2.0);
    GradientTape tape = GradientTape.persistent();
    Tensor a;
    try (tape) {
      tape.watch(x);
      try (Scope s = GraphAccess.get().initScope()) {
        assertTrue(Recording.paused());
        a = Ops.square(x);
      }
      assertFalse(Recording.paused());
    }
    assertNull(tape.gradient(a, x));
  }

  @Test
  void trainableVariablesAreWatchedAutomatically() {
    Variable w = Variable.of(Tensor.of(1.0, 2.0));
    Variable frozen = Variable.of(Tensor.of(3.0, 4.0), "frozen", false);
    GradientTape tape = GradientTape.open();
    Tensor loss;
    try (tape) {
      loss = Ops.reduceSum(Ops.mul(Ops.square(w.read()), frozen.read()));
    }
    assertEquals(List.of(w), tape.watchedVariables());
    List<Tensor> g = tape.gradient(loss, List.of(w, frozen));
    assertArrayEquals(new double[] {6, 16}, d(g.get(0)), 0); // 2 w * frozen
    assertNull(g.get(1));
  }

  @Test
  void aVariableReadTwiceSumsBothPaths() {
    Variable w = Variable.of(3.0);
    GradientTape tape = GradientTape.open();
    Tensor loss;
    try (tape) {
      loss = Ops.mul(w.read(), w.read()); // w^2 through two reads
    }
    assertEquals(6.0, tape.gradient(loss, w).item(), 0);
  }

  @Test
  void broadcastingIsUndone() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensor.of(10.0, 20.0, 30.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x, b);
      y = Ops.mul(x, b);
    }
    List<Tensor> g = tape.gradient(y, List.of(x, b));
    assertEquals(Shape.of(3), g.get(1).shape());
    assertArrayEquals(new double[] {5, 7, 9}, d(g.get(1)), 0);
    assertArrayEquals(new double[] {10, 20, 30, 10, 20, 30}, d(g.get(0)), 0);
  }

  @Test
  void matmulGradient() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.of(new double[] {5, 6, 7, 8}, 2, 2);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(a, b);
      y = Ops.matmul(a, b);
    }
    List<Tensor> g = tape.gradient(y, List.of(a, b));
    // dA = ones * B^T: row sums of B; dB = A^T * ones: column sums of A
    assertArrayEquals(new double[] {11, 15, 11, 15}, d(g.get(0)), 0);
    assertArrayEquals(new double[] {4, 4, 6, 6}, d(g.get(1)), 0);
  }

  @Test
  void outputGradientsWeighTheTargets() {
    Tensor x = Tensor.of(1.0, 2.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x);
      y = Ops.square(x);
    }
    List<Tensor> g = tape.gradient(List.of(y), List.of(x), List.of(Tensor.of(10.0, 100.0)),
        UnconnectedGradients.NONE);
    assertArrayEquals(new double[] {20, 400}, d(g.get(0)), 0);
  }

  @Test
  void noRuleIsAnErrorNamingTheOp() {
    Tensor x = Tensor.of(1.0, 2.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x);
      y = Ops.cast(Ops.argMax(x, 0), DType.FLOAT64);
    }
    // argMax has no gradient in TensorFlow: its output does not reach the tape as float
    assertNull(tape.gradient(y, x));
  }

  @Test
  void tapeInsideAFunctionGivesSymbolicGradients() {
    Variable w = Variable.of(Tensor.of(1.0, 2.0));
    Function step = Function.of(() -> {
      Tensor loss;
      GradientTape tape = GradientTape.open();
      try (tape) {
        loss = Ops.reduceSum(Ops.square(w.read()));
      }
      Tensor g = tape.gradient(loss, w);
      assertTrue(g.isSymbolic());
      w.assignSub(Ops.mul(g, 0.25));
      return loss;
    });
    assertEquals(5.0, step.call().item(), 0);
    assertArrayEquals(new double[] {0.5, 1.0}, w.read().toDoubleArray(), 0); // w - w/2
    assertEquals(1.25, step.call().item(), 0);
    assertEquals(1, step.tracingCount());
  }

  @Test
  void symbolicGradientsAreNamedAndLinkedToTheirForwardOps() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    List<Tensor> grads;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT64, 2);
      y = Ops.reduceSum(Ops.square(x));
      grads = Ops.gradients(List.of(y), List.of(x), "GA");
    }
    Tensor dx = grads.get(0);
    assertTrue(dx.op().name().startsWith("GA/"), dx.op().name());
    boolean linked = false;
    for (Operation o : g.operations()) {
      if (o.name().startsWith("GA/")) {
        Operation fwd = GraphAccess.get().gradientOf(o);
        if (fwd != null) {
          assertTrue(o.name().startsWith("GA/" + fwd.name() + "_grad/"), o.name());
          linked = true;
        }
      }
    }
    assertTrue(linked);
    try (Session sess = new Session(g)) {
      Tensor v = sess.run(dx, java.util.Map.of(x, Tensor.of(3.0, -1.0)));
      assertArrayEquals(new double[] {6, -2}, v.toDoubleArray(), 0);
    }
  }

  @Test
  void tapeAndSymbolicGradientsAgree() {
    java.util.function.UnaryOperator<Tensor> f = t -> Ops.reduceMean(
        Ops.tanh(Ops.matmul(t, Ops.transpose(t))));
    Tensor x0 = Ops.randomNormal(7, DType.FLOAT64, 3, 4);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x0);
      y = f.apply(x0);
    }
    Tensor eager = tape.gradient(y, x0);
    Graph g = new Graph();
    Tensor x;
    Tensor dx;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT64, 3, 4);
      dx = Ops.gradients(List.of(f.apply(x)), List.of(x)).get(0);
    }
    try (Session sess = new Session(g)) {
      assertArrayEquals(eager.toDoubleArray(),
          sess.run(dx, java.util.Map.of(x, x0)).toDoubleArray(), 0);
    }
  }

  @Test
  void gradientsNeedAGraph() {
    Tensor x = Tensor.of(1.0);
    assertThrows(FailedPreconditionException.class,
        () -> Ops.gradients(List.of(x), List.of(x)));
  }

  @Test
  void watchAfterCloseIsAnError() {
    GradientTape tape = GradientTape.open();
    tape.close();
    assertThrows(FailedPreconditionException.class, () -> tape.watch(Tensor.of(1.0)));
    assertNotNull(tape);
  }
}
