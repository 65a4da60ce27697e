package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Graph;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.UnimplementedException;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.GradientSupport;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.properties.GradientRecipes.Example;
import dev.isthmus.properties.GradientRecipes.Recipe;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Assertions;

/**
 * Gradient checks generated from the op registry: every op with a gradient rule, on random
 * FLOAT64 inputs from {@link GradientRecipes} (broadcasting shapes for the broadcasting ops,
 * inputs kept away from the points where the op is not differentiable) and a random upstream
 * gradient u (per output; for multi-output ops sometimes none, read as zeros):
 *
 * <ul>
 *   <li>the rule's vector-Jacobian product equals central differences of {@code f(x) = sum_k
 *       sum(op(x)_k * u_k)}, element by element of every floating input: {@code (f(x + h e_j)
 *       - f(x - h e_j)) / 2h} with {@code h = 1e-6}, the outputs differenced elementwise before
 *       weighting (so rounding in f does not cancel badly). Truncation error is {@code h^2
 *       f''' / 6 ~ 1e-12}, rounding about {@code eps |op(x)| / h ~ 1e-9} per element: the
 *       tolerance {@code 1e-6 (1 + |analytic|)} is far above both and far below any wrong
 *       formula's error. A null gradient counts as zeros (Floor, Sign, ...);
 *   <li>gradients have their input's dtype and shape; non-floating inputs (indices, integers,
 *       bools) get null, and so do all inputs of ops with no floating output;
 *   <li>the same rule run while building a graph (placeholders for inputs and upstream, then a
 *       Session) gives the eager result: rules are made of ops only;
 *   <li>the rule on the example rounded to FLOAT32 gives FLOAT32 gradients near the FLOAT64 ones.
 * </ul>
 *
 * <p>Plus: every op with inputs has a rule (TensorFlow's non-differentiable ops have one that
 * returns nulls, as {@code ops.NotDifferentiable}), except the commented allow-lists {@link
 * #NO_GRADIENT_IN_TENSORFLOW} and {@link #GRADIENT_BUILT_LATER}.
 */
class GradientProperties {
  static final int EXAMPLES = 20;
  static final double H = 1e-6;
  static final double TOLERANCE = 1e-6;

  /**
   * Ops with inputs that TensorFlow also leaves without a gradient: the variable updates
   * (AssignVariableOp and friends return nothing there; here their output is the new value,
   * but gradients never flow through a state update).
   */
  static final Map<String, String> NO_GRADIENT_IN_TENSORFLOW = Map.of(
      "AssignVariableOp", "a state update",
      "AssignAddVariableOp", "a state update",
      "AssignSubVariableOp", "a state update",
      "ApplyAdam", "an optimizer's update (TensorFlow's training ops have no gradient)");

  /**
   * Gradient ops with no gradient of their own: second derivatives through a while loop would
   * differentiate WhileGrad, which reruns the loop inside its kernel. (TensorFlow's while_v2
   * builds its gradient from ops and so can; isthmus refuses with the op's name.)
   */
  static final Map<String, String> GRADIENT_BUILT_LATER = Map.of(
      "WhileGrad", "no second derivatives through while loops yet");

  /** Every op allowed to have inputs and no rule. */
  static final Map<String, String> WITHOUT_RULE = new java.util.TreeMap<>();

  static {
    WITHOUT_RULE.putAll(NO_GRADIENT_IN_TENSORFLOW);
    WITHOUT_RULE.putAll(GRADIENT_BUILT_LATER);
  }

  /**
   * The ops the table-driven check covers: every op with a rule except the graph ops (function
   * calls, If, While), whose inputs are traced functions rather than drawn tensors; their
   * gradients are checked against closed forms in core's FunctionGradientTest.
   */
  static Stream<OpDef> differentiable() {
    return OpRegistry.all().stream().filter(OpDef::hasGradient)
        .filter(op -> !op.is(OpDef.Flag.GRAPH))
        .sorted(Comparator.comparing(OpDef::name));
  }

  @TestFactory
  Stream<DynamicTest> vjpMatchesCentralDifferences() {
    return differentiable().map(op -> DynamicTest.dynamicTest(op.name(), () -> {
      Recipe r = GradientRecipes.TABLE.get(op.name());
      assertNotNull(r, "no input recipe for " + op.name() + " in GradientRecipes.TABLE");
      qt().withExamples(EXAMPLES)
          .forAll(in -> r.draw(TensorGens.draw(in)), in -> TensorGens.draw(in).between(0, 1L << 48))
          .checkAssert((ex, seed) -> check(op, ex, seed));
    }));
  }

  /**
   * Every op with inputs has a rule, so a new differentiable op cannot be forgotten: one that is
   * not differentiable says so with {@code GradientSupport.NOT_DIFFERENTIABLE}, as TensorFlow's
   * {@code ops.NotDifferentiable}. (Ops without inputs, constants, fills, random numbers,
   * placeholders and variable reads, have nothing to differentiate.)
   */
  @Test
  void everyOpWithInputsHasAGradientRule() {
    List<String> missing = new ArrayList<>();
    for (OpDef op : OpRegistry.all()) {
      if (!op.inputNames().isEmpty() && !op.hasGradient() && !WITHOUT_RULE.containsKey(op.name())) {
        missing.add(op.name());
      }
    }
    assertTrue(missing.isEmpty(), "ops with inputs but no gradient rule (give them one, or"
        + " GradientSupport.NOT_DIFFERENTIABLE as TensorFlow's ops.NotDifferentiable): " + missing);
    for (String name : WITHOUT_RULE.keySet()) { // the allow-list stays honest
      OpDef op = OpRegistry.get(name);
      assertTrue(!op.hasGradient(), name + " has a rule now: take it off WITHOUT_RULE");
      var e = Assertions.assertThrows(UnimplementedException.class, op::gradient);
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void everyRecipeIsForAnOpWithARule() {
    for (String name : GradientRecipes.TABLE.keySet()) {
      assertTrue(OpRegistry.get(name).hasGradient(), name + " has a recipe but no rule");
    }
  }

  // ---------------------------------------------------------------- the check

  static void check(OpDef op, Example ex, long seed) {
    Tensor[] in = ex.inputs();
    Attrs a = ex.attrs();
    Tensor[] out = Dispatch.run(op, a, in);
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] up = new Tensor[out.length];
    boolean anyUpstream = false;
    for (int k = 0; k < out.length; k++) {
      if (GradientSupport.isFloating(out[k].dtype()) && !(out.length > 1 && r.nextInt(4) == 0)) {
        assertEquals(DType.FLOAT64, out[k].dtype(), "recipes make FLOAT64 outputs");
        double[] u = new double[(int) out[k].size()];
        for (int e = 0; e < u.length; e++) {
          u[e] = r.nextDouble(-1, 1);
        }
        up[k] = Tensor.of(u, out[k].shape().dims());
        anyUpstream = true;
      }
    }
    Tensor[] g = op.gradient().apply(in, out, up, a);
    assertEquals(in.length, g.length, "one gradient per input");
    for (int i = 0; i < in.length; i++) {
      String what = op.name() + " input " + i;
      if (!GradientSupport.isFloating(in[i].dtype())) {
        assertNull(g[i], what + " is not floating: no gradient");
        continue;
      }
      if (g[i] == null) {
        continue; // zeros: checked against the differences below
      }
      assertEquals(in[i].dtype(), g[i].dtype(), what + ": the gradient's dtype");
      assertEquals(in[i].shape(), g[i].shape(), what + ": the gradient's shape");
    }
    if (anyUpstream) {
      for (int i = 0; i < in.length; i++) {
        if (GradientSupport.isFloating(in[i].dtype())) {
          checkDifferences(op, in, a, up, i, g[i]);
        }
      }
    }
    graphAgrees(op, in, a, up, g);
    float32Agrees(op, in, a, up, g);
  }

  /**
   * The rule on the inputs and upstream rounded to FLOAT32 gives FLOAT32 gradients close to the
   * FLOAT64 ones (within {@code 1e-3 (1 + |g|)}: the rules make their constants in the input's
   * dtype and mix no dtypes).
   */
  static void float32Agrees(OpDef op, Tensor[] in, Attrs a, Tensor[] up, Tensor[] g64) {
    Tensor[] in32 = new Tensor[in.length];
    for (int i = 0; i < in.length; i++) {
      in32[i] = in[i].dtype() == DType.FLOAT64 ? Ops.cast(in[i], DType.FLOAT32) : in[i];
    }
    Tensor[] out = Dispatch.run(op, a, in32);
    Tensor[] up32 = new Tensor[up.length];
    for (int k = 0; k < up.length; k++) {
      up32[k] = up[k] == null ? null : Ops.cast(up[k], out[k].dtype());
    }
    Tensor[] g = op.gradient().apply(in32, out, up32, a);
    for (int i = 0; i < in.length; i++) {
      String what = op.name() + " FLOAT32 input " + i;
      if (g64[i] == null || g[i] == null) {
        assertEquals(g64[i] == null, g[i] == null, what + ": a gradient in one dtype only");
        continue;
      }
      assertEquals(in32[i].dtype(), g[i].dtype(), what + ": the gradient's dtype");
      double[] want = g64[i].toDoubleArray();
      double[] have = Ops.cast(g[i], DType.FLOAT64).toDoubleArray();
      for (int e = 0; e < want.length; e++) {
        if (!(Math.abs(want[e] - have[e]) <= 1e-3 * (1 + Math.abs(want[e])))) {
          throw new AssertionError(what + " element " + e + ": FLOAT64 " + want[e]
              + ", FLOAT32 " + have[e]);
        }
      }
    }
  }

  /** The analytic gradient of input i against central differences, element by element. */
  static void checkDifferences(OpDef op, Tensor[] in, Attrs a, Tensor[] up, int i, Tensor g) {
    double[] x = in[i].toDoubleArray();
    double[] analytic = g == null ? new double[x.length] : g.toDoubleArray();
    double[][] u = new double[up.length][];
    for (int k = 0; k < up.length; k++) {
      u[k] = up[k] == null ? null : up[k].toDoubleArray();
    }
    long[] dims = in[i].shape().dims();
    for (int j = 0; j < x.length; j++) {
      double xp = x[j] + H, xm = x[j] - H;
      Tensor[] plus = perturbed(op, in, a, i, x, j, xp, dims);
      Tensor[] minus = perturbed(op, in, a, i, x, j, xm, dims);
      double df = 0;
      for (int k = 0; k < u.length; k++) {
        if (u[k] == null) {
          continue;
        }
        double[] p = plus[k].toDoubleArray(), m = minus[k].toDoubleArray();
        for (int e = 0; e < p.length; e++) {
          df += (p[e] - m[e]) * u[k][e];
        }
      }
      double numeric = df / (xp - xm);
      double lim = TOLERANCE * (1 + Math.abs(analytic[j]));
      if (!(Math.abs(numeric - analytic[j]) <= lim)) {
        throw new AssertionError(String.format("%s: d/d input %d element %d: rule %s,"
            + " central differences %s (|diff| %.3g > %.3g)", op.name(), i, j, analytic[j],
            numeric, Math.abs(numeric - analytic[j]), lim));
      }
    }
  }

  private static Tensor[] perturbed(OpDef op, Tensor[] in, Attrs a, int i, double[] x, int j,
      double v, long[] dims) {
    double[] y = x.clone();
    y[j] = v;
    Tensor[] args = in.clone();
    args[i] = Tensor.of(y, dims);
    return Dispatch.run(op, a, args);
  }

  /** The rule run while building a graph, then in a Session, gives the eager gradients. */
  static void graphAgrees(OpDef op, Tensor[] in, Attrs a, Tensor[] up, Tensor[] eager) {
    Graph graph = new Graph();
    Map<Tensor, Tensor> feeds = new HashMap<>();
    Tensor[] symbolic;
    try (Scope s = graph.asDefault()) {
      Tensor[] pin = new Tensor[in.length];
      for (int i = 0; i < in.length; i++) {
        pin[i] = Ops.placeholder(in[i].dtype(), in[i].shape().dims());
        feeds.put(pin[i], in[i]);
      }
      Tensor[] out = Dispatch.run(op, a, pin);
      Tensor[] pup = new Tensor[up.length];
      for (int k = 0; k < up.length; k++) {
        if (up[k] != null) {
          pup[k] = Ops.placeholder(up[k].dtype(), up[k].shape().dims());
          feeds.put(pup[k], up[k]);
        }
      }
      symbolic = op.gradient().apply(pin, out, pup, a);
    }
    List<Tensor> fetches = new ArrayList<>();
    for (int i = 0; i < symbolic.length; i++) {
      assertEquals(eager[i] == null, symbolic[i] == null,
          op.name() + " input " + i + ": eager and graph rules disagree on having a gradient");
      if (symbolic[i] != null) {
        assertTrue(symbolic[i].isSymbolic(), op.name() + ": a graph gradient is a graph tensor");
        fetches.add(symbolic[i]);
      }
    }
    if (fetches.isEmpty()) {
      return;
    }
    List<Tensor> got;
    try (Session session = new Session(graph)) {
      got = session.run(fetches, feeds);
    }
    for (int i = 0, f = 0; i < eager.length; i++) {
      if (eager[i] == null) {
        continue;
      }
      double[] want = eager[i].toDoubleArray(), have = got.get(f++).toDoubleArray();
      assertEquals(want.length, have.length);
      for (int e = 0; e < want.length; e++) {
        if (Double.compare(want[e], have[e]) != 0
            && !(Math.abs(want[e] - have[e]) <= 1e-12 * (1 + Math.abs(want[e])))) {
          throw new AssertionError(op.name() + " input " + i + " element " + e + ": eager "
              + want[e] + ", graph " + have[e]);
        }
      }
    }
  }
}
