package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.TrainOps;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Second derivatives at the points where a rule has a special case (closed forms), the fused
 * ReluGrad op, and the rules skipping the gradients of inputs no source depends on.
 */
class HigherOrderGradientTest {
  /** The Hessian of {@code sum(f(x))} times {@code v}, by nested tapes. */
  private static Tensor hessianTimes(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
    GradientTape outer = GradientTape.open();
    Tensor gv;
    try (outer) {
      outer.watch(x);
      GradientTape inner = GradientTape.open();
      try (inner) {
        inner.watch(x);
        Tensor y = Ops.reduceSum(f.apply(x));
        inner.close();
        gv = Ops.reduceSum(Ops.mul(inner.gradient(y, x), v));
      }
    }
    return outer.gradient(gv, x);
  }

  @Test
  void prodWithTwoZerosHasItsCrossSecondDerivative() {
    // prod(a, 0, 0, b): d2/dx1 dx2 = a b, every other second derivative is 0 at this point
    Tensor x = Tensor.of(3.0, 0.0, 0.0, 5.0);
    UnaryOperator<Tensor> prod = t -> Ops.reduceProd(t);
    assertArrayEquals(new double[] {0, 15, 0, 0},
        hessianTimes(prod, x, Tensor.of(0.0, 0.0, 1.0, 0.0)).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0, 0, 15, 0},
        hessianTimes(prod, x, Tensor.of(0.0, 1.0, 0.0, 0.0)).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0, 0, 0, 0},
        hessianTimes(prod, x, Tensor.of(1.0, 0.0, 0.0, 1.0)).toDoubleArray(), 1e-12);
    // one zero: the zero's gradient is the product of the others, and it moves with them
    Tensor y = Tensor.of(3.0, 0.0, 5.0);
    assertArrayEquals(new double[] {0, 3, 0},
        hessianTimes(prod, y, Tensor.of(0.0, 0.0, 1.0)).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0, 5, 0},
        hessianTimes(prod, y, Tensor.of(1.0, 0.0, 0.0)).toDoubleArray(), 1e-12);
  }

  @Test
  void geluHasItsSecondDerivativeAtZero() {
    // gelu''(x) = phi(x) (2 - x^2): 2 phi(0) at 0, in both dtypes
    double want = 2 / Math.sqrt(2 * Math.PI);
    UnaryOperator<Tensor> gelu = t -> Ops.gelu(t, false);
    assertEquals(want, hessianTimes(gelu, Tensor.of(0.0), Tensor.of(1.0)).toDoubleArray()[0],
        1e-12);
    assertEquals(want, hessianTimes(gelu, Tensor.of(0f), Tensor.of(1f)).toFloatArray()[0], 1e-6);
    // and the first derivative is still 1/2 there
    try (GradientTape tape = GradientTape.open()) {
      Tensor x = Tensor.of(0.0, 1e-4, -1e-4);
      tape.watch(x);
      Tensor y = Ops.gelu(x, false);
      tape.close();
      double[] g = tape.gradient(y, x).toDoubleArray();
      assertEquals(0.5, g[0], 0);
      assertEquals(0.5 + 2e-4 / Math.sqrt(2 * Math.PI), g[1], 1e-12);
      assertEquals(0.5 - 2e-4 / Math.sqrt(2 * Math.PI), g[2], 1e-12);
    }
  }

  @Test
  void reluGradIsTheFusedMaskAndItsOwnGradient() {
    Tensor g = Tensor.of(1f, 2f, 3f, 4f, Float.NaN);
    Tensor f = Tensor.of(-1f, 0f, 0.5f, Float.NaN, 2f);
    Tensor r = Dispatch.run1(TrainOps.RELU_GRAD, Attrs.EMPTY, g, f);
    assertArrayEquals(new float[] {0, 0, 3, 0, Float.NaN}, r.toFloatArray());
    // relu's rule goes through it; its second derivative is 0 away from the kink
    Tensor x = Tensor.of(-2.0, 3.0);
    assertArrayEquals(new double[] {0, 0},
        hessianTimes(Ops::relu, x, Tensor.of(1.0, 1.0)).toDoubleArray(), 0);
    var e = org.junit.jupiter.api.Assertions.assertThrows(InvalidArgumentException.class,
        () -> Dispatch.run1(TrainOps.RELU_GRAD, Attrs.EMPTY, g, Tensor.of(1.0, 2.0)));
    assertEquals(true, e.getMessage().startsWith("ReluGrad: expected gradients and features"),
        e.getMessage());
  }

  @Test
  void gradientsOfInputsNoSourceDependsOnAreNotBuilt() {
    // a layer x w + b differentiated for w and b only: one MatMul (x^T g) in the gradient,
    // not two (g w^T, for the data, would be as large as the forward product)
    Graph g = new Graph();
    Tensor x;
    Tensor w;
    Tensor b;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT64, 2, 3);
      w = Ops.placeholder(DType.FLOAT64, 3, 2);
      b = Ops.placeholder(DType.FLOAT64, 2);
      Tensor y = Ops.reduceSum(Ops.relu(Ops.add(Ops.matmul(x, w), b)));
      Ops.gradients(List.of(y), List.of(w, b), "for_weights");
      Ops.gradients(List.of(y), List.of(x, w, b), "for_all");
    }
    assertEquals(1, count(g, "for_weights/", "MatMul"));
    assertEquals(2, count(g, "for_all/", "MatMul"));
    assertEquals(1, count(g, "for_weights/", "ReluGrad"));
    // and the values: d/dw sum(x w) = x^T 1 (column sums of x, once per output column)
    Tensor xv = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Variable v = Variable.of(Tensor.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2));
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      y = Ops.reduceSum(Ops.matmul(xv, v.read()));
    }
    assertArrayEquals(new double[] {5, 5, 7, 7, 9, 9}, tape.gradient(y, v).toDoubleArray(), 0);
  }

  private static long count(Graph g, String scope, String type) {
    return g.operations().stream()
        .filter(o -> o.name().startsWith(scope) && o.type().equals(type)).count();
  }
}
