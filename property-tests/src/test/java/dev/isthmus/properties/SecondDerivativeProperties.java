package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.GradientTape;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.UnconnectedGradients;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.properties.GradientRecipes.Example;
import dev.isthmus.properties.GradientRecipes.Recipe;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Second derivatives through nested tapes, for a sample of ops of every kind (unary, binary,
 * reductions, matmul, softmax, shape and nn ops), on the FLOAT64 inputs of {@link
 * GradientRecipes}: with random weights u (per floating output) and v (per floating input),
 * the first derivative is {@code g(x) = d/dx sum(op(x) * u)} (an inner tape) and the property
 * differentiates {@code F(x) = sum_i sum(g_i(x) * v_i)} with an outer tape watching the same
 * inputs: a Hessian-vector product, which exercises the gradients of the gradient ops (ReluGrad,
 * MaxPoolGrad, the rules' own composed ops). It must equal central differences of the first
 * derivative, {@code (F(x + h e_j) - F(x - h e_j)) / 2h} with {@code h = 1e-5}, differenced
 * element by element before weighting. Rounding is about {@code 1e-16 |g| / h ~ 1e-11},
 * truncation {@code h^2 F''' / 6 ~ 1e-10}; the tolerance {@code 1e-6 (1 + |analytic|)} is far
 * above both and far below a wrong second derivative. Unconnected gradients count as zeros.
 */
class SecondDerivativeProperties {
  static final int EXAMPLES = 8;
  static final double H = 1e-5;
  static final double TOLERANCE = 1e-6;

  /** The sample: each op's recipe is its {@link GradientRecipes} entry. */
  static final List<String> SAMPLE = List.of(
      // unary, smooth and with kinks kept away from (relu and elu: their rules' gradient ops)
      "Exp", "Log", "Sqrt", "Rsqrt", "Reciprocal", "Tanh", "Sigmoid", "Sin", "Softplus",
      "Square", "Relu", "Relu6", "Elu", "Gelu", "ReluGrad",
      // binary and ternary, with broadcasting
      "Mul", "RealDiv", "Pow", "SquaredDifference", "Atan2", "Maximum", "SelectV2",
      "ClipByValue",
      // reductions and softmax
      "Sum", "Mean", "Prod", "Max", "Softmax", "LogSoftmax",
      // contractions
      "MatMul", "BatchMatMulV2",
      // shape ops: linear, so only their plumbing has a second derivative (zero or a product)
      "Transpose", "GatherV2", "ConcatV2", "BroadcastTo", "StridedSlice", "UnsortedSegmentSum",
      // nn ops and their gradient ops
      "Conv2D", "DepthwiseConv2dNative", "Conv2DBackpropInput", "MaxPool", "MaxPoolGrad",
      "AvgPool", "AvgPoolGrad");

  @TestFactory
  Stream<DynamicTest> hessianVectorProductsMatchDifferencesOfTheGradient() {
    return SAMPLE.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      OpDef op = OpRegistry.get(name);
      Recipe r = GradientRecipes.TABLE.get(name);
      assertNotNull(r, "no recipe for " + name);
      qt().withExamples(EXAMPLES)
          .forAll(in -> r.draw(TensorGens.draw(in)), in -> TensorGens.draw(in).between(0, 1L << 48))
          .checkAssert((ex, seed) -> check(op, ex, seed));
    }));
  }

  static void check(OpDef op, Example ex, long seed) {
    Tensor[] in = ex.inputs();
    Attrs a = ex.attrs();
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] out = Dispatch.run(op, a, in);
    Tensor[] u = new Tensor[out.length];
    for (int k = 0; k < out.length; k++) {
      u[k] = out[k].dtype().isFloating() ? random(r, out[k]) : null;
    }
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      if (in[i].dtype().isFloating()) {
        assertEquals(DType.FLOAT64, in[i].dtype());
        xs.add(i);
      }
    }
    Tensor[] v = new Tensor[xs.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = random(r, in[xs.get(j)]);
    }
    List<Tensor> sources = new ArrayList<>();
    for (int i : xs) {
      sources.add(in[i]);
    }
    // analytic: an outer tape over the inner tape's gradient
    Tensor f;
    GradientTape outer = GradientTape.open();
    try (outer) {
      outer.watch(sources.toArray(new Tensor[0]));
      f = weighted(firstDerivative(op, a, in, xs, u), v);
    }
    List<Tensor> second = outer.gradient(f, sources, UnconnectedGradients.ZERO);
    for (int j = 0; j < xs.size(); j++) {
      int i = xs.get(j);
      double[] analytic = second.get(j).toDoubleArray();
      double[] x = in[i].toDoubleArray();
      for (int e = 0; e < x.length; e++) {
        double numeric = difference(op, a, in, xs, u, v, i, x, e);
        double lim = TOLERANCE * (1 + Math.abs(analytic[e]));
        if (!(Math.abs(numeric - analytic[e]) <= lim)) {
          throw new AssertionError(String.format("%s: second derivative, input %d element %d:"
              + " nested tapes %s, differences of the gradient %s (|diff| %.3g > %.3g)",
              op.name(), i, e, analytic[e], numeric, Math.abs(numeric - analytic[e]), lim));
        }
      }
    }
  }

  /** The gradients of {@code sum_k sum(op(in)_k * u_k)} for the floating inputs, by a tape. */
  static List<Tensor> firstDerivative(OpDef op, Attrs a, Tensor[] in, List<Integer> xs,
      Tensor[] u) {
    List<Tensor> sources = new ArrayList<>();
    for (int i : xs) {
      sources.add(in[i]);
    }
    Tensor loss = null;
    GradientTape tape = GradientTape.open();
    try (tape) {
      tape.watch(sources.toArray(new Tensor[0]));
      Tensor[] out = Dispatch.run(op, a, in);
      for (int k = 0; k < out.length; k++) {
        if (u[k] != null) {
          Tensor term = Ops.reduceSum(Ops.mul(out[k], u[k]));
          loss = loss == null ? term : Ops.add(loss, term);
        }
      }
    }
    return tape.gradient(loss, sources, UnconnectedGradients.ZERO);
  }

  /** {@code sum_j sum(g_j * v_j)}. */
  static Tensor weighted(List<Tensor> g, Tensor[] v) {
    Tensor f = Tensor.scalar(0.0);
    for (int j = 0; j < v.length; j++) {
      f = Ops.add(f, Ops.reduceSum(Ops.mul(g.get(j), v[j])));
    }
    return f;
  }

  /** Central difference of F along element e of input i, differenced before weighting. */
  static double difference(OpDef op, Attrs a, Tensor[] in, List<Integer> xs, Tensor[] u,
      Tensor[] v, int i, double[] x, int e) {
    List<Tensor> plus = firstDerivative(op, a, perturbed(in, i, x, e, x[e] + H), xs, u);
    List<Tensor> minus = firstDerivative(op, a, perturbed(in, i, x, e, x[e] - H), xs, u);
    double df = 0;
    for (int j = 0; j < v.length; j++) {
      double[] p = plus.get(j).toDoubleArray(), m = minus.get(j).toDoubleArray();
      double[] w = v[j].toDoubleArray();
      for (int k = 0; k < w.length; k++) {
        df += (p[k] - m[k]) * w[k];
      }
    }
    return df / ((x[e] + H) - (x[e] - H));
  }

  private static Tensor[] perturbed(Tensor[] in, int i, double[] x, int e, double value) {
    double[] y = x.clone();
    y[e] = value;
    Tensor[] args = in.clone();
    args[i] = Tensor.of(y, in[i].shape().dims());
    return args;
  }

  private static Tensor random(SplittableRandom r, Tensor like) {
    double[] w = new double[(int) like.size()];
    for (int k = 0; k < w.length; k++) {
      w[k] = r.nextDouble(-1, 1);
    }
    return Ops.cast(Tensor.of(w, like.shape().dims()), like.dtype());
  }
}
