package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionGradientTest {
  private static final Function CUBE = Function.of(x -> Ops.mul(Ops.mul(x, x), x));

  @Test
  void aTapeSeesThroughAnEagerFunctionCall() {
    Tensor x = Tensor.of(1.0, 2.0);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x);
      y = CUBE.call(x);
    }
    assertArrayEquals(new double[] {3, 12}, tape.gradient(y, x).toDoubleArray(), 1e-12);
  }

  @Test
  void variablesReadInsideAFunctionGetGradientsFromAnOuterTape() {
    Variable w = Variable.of(Tensor.of(2.0, 3.0));
    Function loss = Function.of(x -> Ops.reduceSum(Ops.mul(Ops.square(w.read()), x)));
    GradientTape tape = GradientTape.open();
    Tensor l;
    Tensor x = Tensor.of(1.0, 10.0);
    try (tape) {
      tape.watch(w);
      tape.watch(x);
      l = loss.call(x);
    }
    List<Tensor> g = tape.gradient(l, List.of(x));
    assertArrayEquals(new double[] {4, 9}, g.get(0).toDoubleArray(), 1e-12);
  }

  @Test
  void secondDerivativeThroughAFunction() {
    Tensor x = Tensor.scalar(2.0);
    GradientTape outer = GradientTape.open();
    Tensor dy;
    try (outer) {
      outer.watch(x);
      GradientTape inner = GradientTape.open();
      Tensor y;
      try (inner) {
        inner.watch(x);
        y = CUBE.call(x);
      }
      dy = inner.gradient(y, x);
    }
    assertEquals(12.0, dy.item(), 1e-12);
    assertEquals(12.0, outer.gradient(dy, x).item(), 1e-12);
  }

  @Test
  void symbolicGradientOfACallNodeReplaysTheFunction() {
    Graph g = new Graph();
    Tensor x;
    Tensor dx;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT64, 2);
      Tensor y = CUBE.call(x);
      assertEquals("PartitionedCall", y.op().type());
      dx = Ops.gradients(List.of(y), List.of(x)).get(0);
    }
    try (Session sess = new Session(g)) {
      assertArrayEquals(new double[] {27, 48},
          sess.run(dx, Map.of(x, Tensor.of(3.0, 4.0))).toDoubleArray(), 1e-12);
    }
  }

  @Test
  void replayingAStatefulFunctionIsRefused() {
    Variable v = Variable.of(0.0);
    Function f = Function.of(x -> {
      v.assignAdd(Tensor.scalar(1.0));
      return Ops.mul(x, x);
    });
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT64);
      Tensor y = f.call(x);
      var e = assertThrows(UnimplementedException.class,
          () -> Ops.gradients(List.of(y), List.of(x)));
      assertTrue(e.getMessage().contains("side effects"), e.getMessage());
    }
  }

  @Test
  void condGradientInAGraphFollowsTheTakenBranch() {
    Graph g = new Graph();
    Tensor x;
    Tensor p;
    Tensor dx;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT64);
      p = Ops.placeholder(DType.BOOL);
      Tensor y = Ops.cond(p, () -> Ops.square(x), () -> Ops.mul(x, 3.0));
      dx = Ops.gradients(List.of(y), List.of(x)).get(0);
    }
    try (Session sess = new Session(g)) {
      assertEquals(10.0, sess.run(dx, Map.of(x, Tensor.scalar(5.0), p, Tensor.scalar(true)))
          .item(), 0);
      assertEquals(3.0, sess.run(dx, Map.of(x, Tensor.scalar(5.0), p, Tensor.scalar(false)))
          .item(), 0);
    }
  }

  @Test
  void whileGradientWalksBackThroughTheIterations() {
    // x -> x * x three times: x^8, derivative 8 x^7; also the gradient of a captured factor
    Graph g = new Graph();
    Tensor x;
    Tensor c;
    List<Tensor> grads;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT64);
      c = Ops.placeholder(DType.FLOAT64);
      List<Tensor> out = Ops.whileLoop(
          v -> Ops.less(v.get(0), Tensor.scalar(3)),
          v -> List.of(Ops.add(v.get(0), Tensor.scalar(1)), Ops.mul(Ops.mul(v.get(1), v.get(1)), c)),
          List.of(Tensor.scalar(0), x));
      grads = Ops.gradients(List.of(out.get(1)), List.of(x, c));
    }
    // y = x^8 c^7 (c, c^3, c^7): dy/dx = 8 x^7 c^7, dy/dc = 7 x^8 c^6
    double xv = 1.5;
    double cv = 0.5;
    try (Session sess = new Session(g)) {
      List<Tensor> r = sess.run(grads, Map.of(x, Tensor.scalar(xv), c, Tensor.scalar(cv)));
      assertEquals(8 * Math.pow(xv, 7) * Math.pow(cv, 7), r.get(0).item(), 1e-12);
      assertEquals(7 * Math.pow(xv, 8) * Math.pow(cv, 6), r.get(1).item(), 1e-12);
    }
  }

  @Test
  void tapeInsideAFunctionDifferentiatesNestedCallsAndControlFlow() {
    Function step = Function.of(x -> {
      GradientTape tape = GradientTape.open();
      Tensor y;
      try (tape) {
        tape.watch(x);
        Tensor z = CUBE.call(x);
        y = Ops.cond(Ops.greater(Ops.reduceSum(x), Tensor.scalar(0.0)),
            () -> Ops.reduceSum(z), () -> Ops.reduceSum(Ops.neg(z)));
      }
      return tape.gradient(y, x);
    });
    assertArrayEquals(new double[] {3, 12}, step.call(Tensor.of(1.0, 2.0)).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {-3, -12}, step.call(Tensor.of(-1.0, -2.0)).toDoubleArray(), 1e-12);
  }
}
