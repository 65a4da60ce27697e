package dev.isthmus.scopes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Graph;
import dev.isthmus.Losses;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.internal.GraphAccess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients computed inside a jit scope equal those computed outside (issue 6, tests), at the
 * level users write them: a {@link GradientTape} inside a {@link Function}, with the forward
 * pass in {@code Scopes.jitScope(...)} or the whole Function {@code jitCompile(true)}, against
 * the same Function without jit; and the gradient nodes' jit attributes (docs/SCOPES.md, jitScope
 * rule 5). {@link JitGradientTest} holds the rule-by-rule cases on graphs and sessions.
 *
 * <p><b>Equality.</b> Elementwise gradients are compared bit for bit: a cluster of elementwise
 * ops computes each element with the per-op kernels' own arithmetic (fused or not, FMA
 * contraction being off by default; docs/DESIGN.md, fusion compiler, numerics). The MLP's
 * gradients pass through GEMMs and floating sums; see {@link #SUM_TOLERANCE}.
 */
class JitMlpGradientTest {
  private static final int BATCH = 8;
  private static final int IN = 12;
  private static final int HIDDEN = 16;
  private static final int CLASSES = 5;

  /**
   * The MLP's results may differ, per element, by this much times the largest magnitude in the
   * same tensor (or 1). Why: a GEMM runs the same kernel with the same blocking in and out of a
   * cluster (a fused epilogue adds the bias to the finished dot products), so it agrees bit for
   * bit; but a fused floating sum (the loss's mean, the softmax's row sums, the bias gradients'
   * sums over the batch, the L2 terms) adds in another order, each order within 32 eps sum|x|
   * plus half an ulp (docs/DESIGN.md, fusion compiler, numerics). The sums here have at most 16
   * terms ({@code HIDDEN}; IN x HIDDEN = 192 for the L2 sums, whose terms are squares of weights
   * of about 0.3, far below the scale of their tensor), so two orders differ by at most
   * 2 * 32 * 2^-23 * 16 * max|x|, about 1.2e-4 of the scale, and the backward pass carries such
   * a difference through one more product with weights of norm about 1. 4e-4 leaves a factor of
   * about 3 over that bound, and is still 30 times below the change a wrong gradient rule makes
   * (checked by {@link #theToleranceTellsAWrongGradientApart}).
   */
  static final float SUM_TOLERANCE = 4e-4f;

  private static final Tensor X = Ops.randomNormal(31, DType.FLOAT32, BATCH, IN);
  private static final Tensor LABELS = Ops.oneHot(
      Tensor.of(new int[] {0, 3, 1, 4, 2, 2, 0, 3}, BATCH), CLASSES);
  private static final Tensor W1 = Ops.randomNormal(32, DType.FLOAT32, IN, HIDDEN).mul(0.3f);
  private static final Tensor B1 = Ops.randomNormal(33, DType.FLOAT32, HIDDEN).mul(0.1f);
  private static final Tensor W2 = Ops.randomNormal(34, DType.FLOAT32, HIDDEN, CLASSES).mul(0.3f);
  private static final Tensor B2 = Ops.randomNormal(35, DType.FLOAT32, CLASSES).mul(0.1f);
  private static final Tensor[] ARGS = {X, LABELS, W1, B1, W2, B2};

  /** How the forward pass is traced. */
  private enum Jit { NONE, SCOPE, SEPARATE_GRADIENTS, FUNCTION }

  /** mean softmax cross entropy of relu(x W1 + b1) W2 + b2, plus 1e-3 (|W1|^2 + |W2|^2). */
  private static Tensor loss(List<Tensor> a) {
    Tensor hidden = Ops.relu(Ops.add(Ops.matmul(a.get(0), a.get(2)), a.get(3)));
    Tensor logits = Ops.add(Ops.matmul(hidden, a.get(4)), a.get(5));
    Tensor ce = Ops.reduceMean(Losses.softmaxCrossEntropyWithLogits(a.get(1), logits));
    Tensor l2 = Ops.add(Ops.reduceSum(Ops.square(a.get(2))), Ops.reduceSum(Ops.square(a.get(4))));
    return Ops.add(ce, Ops.mul(l2, 1e-3));
  }

  /** A Function of (x, labels, W1, b1, W2, b2) returning the loss and its four gradients. */
  private static Function step(Jit jit) {
    return Function.builder().name("mlp_step").jitCompile(jit == Jit.FUNCTION).buildList(a -> {
      try (GradientTape tape = GradientTape.open()) {
        List<Tensor> params = a.subList(2, 6);
        tape.watch(params.toArray(new Tensor[0]));
        Tensor l;
        try (Scope s = jit == Jit.SCOPE ? Scopes.jitScope()
            : jit == Jit.SEPARATE_GRADIENTS ? Scopes.jitScope(true, true) : null) {
          l = loss(a);
        }
        List<Tensor> out = new ArrayList<>(List.of(l));
        try (Scope named = Ops.nameScope("mlp_grads")) {
          out.addAll(tape.gradient(l, params));
        }
        return out;
      }
    });
  }

  private static List<float[]> run(Function f, Tensor... args) {
    List<float[]> out = new ArrayList<>();
    for (Tensor t : f.callAll(args)) {
      out.add(t.toFloatArray());
    }
    return out;
  }

  private static void assertClose(List<float[]> want, List<float[]> got, float tolerance) {
    assertEquals(want.size(), got.size());
    for (int k = 0; k < want.size(); k++) {
      float[] w = want.get(k);
      float[] g = got.get(k);
      assertEquals(w.length, g.length, "result " + k);
      float scale = 1;
      for (float v : w) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < w.length; i++) {
        assertTrue(Math.abs(w[i] - g[i]) <= tolerance * scale, "result " + k + " element " + i
            + ": " + g[i] + " vs " + w[i] + " (scale " + scale + ")");
      }
    }
  }

  private static Graph graph(Function f, Tensor... args) {
    return f.getConcreteFunction(args).graph();
  }

  private static boolean clustered(Graph g) {
    return g.operations().stream().anyMatch(o -> o.attr("_XlaCluster") != null);
  }

  @Test
  void mlpGradientsInAJitFunctionOrJitScopeEqualThoseWithoutJit() {
    Function plain = step(Jit.NONE);
    List<float[]> want = run(plain, ARGS);
    assertTrue(!clustered(graph(plain, ARGS)));
    for (Jit jit : new Jit[] {Jit.SCOPE, Jit.SEPARATE_GRADIENTS, Jit.FUNCTION}) {
      Function f = step(jit);
      for (int call = 0; call < 3; call++) { // the first call traces and clusters, then reruns
        assertClose(want, run(f, ARGS), SUM_TOLERANCE);
      }
      assertTrue(clustered(graph(f, ARGS)), jit.toString());
    }
    // the loss itself is right: cross entropy of a 5-class softmax near uniform, plus L2
    assertTrue(want.get(0)[0] > 1 && want.get(0)[0] < 3, "loss " + want.get(0)[0]);
  }

  @Test
  void theToleranceTellsAWrongGradientApart() {
    // the same loss with b2's gradient doubled: the comparison must see it
    List<float[]> want = run(step(Jit.NONE), ARGS);
    List<float[]> wrong = new ArrayList<>(want);
    float[] db2 = want.get(4).clone();
    float scale = 1;
    for (float v : db2) {
      scale = Math.max(scale, Math.abs(v));
    }
    int big = 0;
    for (int i = 0; i < db2.length; i++) {
      big = Math.abs(db2[i]) > Math.abs(db2[big]) ? i : big;
    }
    db2[big] *= 2;
    wrong.set(4, db2);
    assertTrue(Math.abs(want.get(4)[big]) > 30 * SUM_TOLERANCE * scale, "db2 " + want.get(4)[big]);
    try {
      assertClose(want, wrong, SUM_TOLERANCE);
    } catch (AssertionError expected) {
      return;
    }
    throw new AssertionError("a doubled gradient passed the comparison");
  }

  @Test
  void gradientNodesOfASeparatelyCompiledForwardPassGetTheirOwnScope() {
    Function f = step(Jit.SEPARATE_GRADIENTS);
    f.callAll(ARGS);
    Graph g = graph(f, ARGS);
    int forward = 0;
    int gradients = 0;
    for (Operation o : g.operations()) {
      Operation of = GraphAccess.get().gradientOf(o);
      if (of == null && "jit_scope_0".equals(o.attr("_XlaScope"))) {
        forward++;
        assertEquals(true, o.attr("_XlaCompile"), o.name());
        assertEquals(true, o.attr("_XlaSeparateCompiledGradients"), o.name());
      } else if (of != null && Boolean.TRUE.equals(of.attr("_XlaCompile"))) {
        gradients++;
        assertEquals(true, o.attr("_XlaCompile"), o.name());
        assertEquals("jit_scope_0_grad_mlp_grads", o.attr("_XlaScope"), o.name());
        assertTrue(o.name().startsWith("mlp_grads/"), o.name());
      } else if (of == null) {
        // outside the scope and of no forward node (arguments, the tape's seed, sums of
        // gradients): no jit attribute at all
        assertTrue(o.nodeDef().attrs().keySet().stream().noneMatch(k -> k.startsWith("_Xla")),
            o.nodeDef().toString());
      }
    }
    // matmul, add, relu, matmul, add, the cross entropy's ops, the mean, squares, sums...
    assertTrue(forward >= 12, "forward nodes in the scope: " + forward);
    assertTrue(gradients >= forward, "gradient nodes: " + gradients);
    // and the forward pass and its gradients are never one cluster
    for (Operation o : g.operations()) {
      Operation of = GraphAccess.get().gradientOf(o);
      if (of != null && o.attr("_XlaCluster") != null && of.attr("_XlaCluster") != null) {
        assertTrue(!o.attr("_XlaCluster").equals(of.attr("_XlaCluster")), o.name());
      }
    }
  }

  @Test
  void gradientNodesShareTheForwardScopeWithoutSeparateGradients() {
    Function scoped = step(Jit.SCOPE);
    scoped.callAll(ARGS);
    int gradients = 0;
    for (Operation o : graph(scoped, ARGS).operations()) {
      Operation of = GraphAccess.get().gradientOf(o);
      if (of != null && Boolean.TRUE.equals(of.attr("_XlaCompile"))) {
        gradients++;
        assertEquals("jit_scope_0", o.attr("_XlaScope"), o.name());
        assertNull(o.attr("_XlaSeparateCompiledGradients"), o.name());
      }
    }
    assertTrue(gradients >= 12, "gradient nodes: " + gradients);
    // a jit-compiled Function: every node, gradients included, in the function's scope
    Function jit = step(Jit.FUNCTION);
    jit.callAll(ARGS);
    for (Operation o : graph(jit, ARGS).operations()) {
      assertEquals(true, o.attr("_XlaCompile"), o.name());
      assertEquals("function_mlp_step", o.attr("_XlaScope"), o.name());
    }
  }

  /** tanh(sigmoid(x*y + x) * y - 0.5) + relu(x - y) * x: elementwise, no broadcast of sources. */
  private static Tensor elementwise(Tensor x, Tensor y) {
    Tensor s = Ops.sigmoid(Ops.add(Ops.mul(x, y), x));
    Tensor t = Ops.tanh(Ops.sub(Ops.mul(s, y), 0.5));
    return Ops.add(t, Ops.mul(Ops.relu(Ops.sub(x, y)), x));
  }

  private static Function elementwiseGradients(Jit jit) {
    return Function.builder().name("ew").jitCompile(jit == Jit.FUNCTION).buildList(a -> {
      try (GradientTape tape = GradientTape.open()) {
        tape.watch(a.get(0), a.get(1));
        Tensor z;
        try (Scope s = jit == Jit.SCOPE ? Scopes.jitScope()
            : jit == Jit.SEPARATE_GRADIENTS ? Scopes.jitScope(true, true) : null) {
          z = elementwise(a.get(0), a.get(1));
        }
        List<Tensor> out = new ArrayList<>(List.of(z));
        out.addAll(tape.gradient(z, List.of(a.get(0), a.get(1))));
        return out;
      }
    });
  }

  @Test
  void elementwiseGradientsInsideAJitScopeEqualThoseOutsideBitForBit() {
    // 37 x 29 = 1073 elements: vector loops and a scalar tail
    Tensor x = Ops.randomNormal(41, DType.FLOAT32, 37, 29);
    Tensor y = Ops.randomNormal(42, DType.FLOAT32, 37, 29);
    Function plain = elementwiseGradients(Jit.NONE);
    List<float[]> want = run(plain, x, y);
    assertTrue(!clustered(graph(plain, x, y)));
    for (Jit jit : new Jit[] {Jit.SCOPE, Jit.SEPARATE_GRADIENTS, Jit.FUNCTION}) {
      Function f = elementwiseGradients(jit);
      for (int call = 0; call < 3; call++) {
        List<float[]> got = run(f, x, y);
        for (int k = 0; k < want.size(); k++) {
          assertArrayEquals(want.get(k), got.get(k), jit + " result " + k + " call " + call);
        }
      }
      assertTrue(clustered(graph(f, x, y)), jit.toString());
    }
  }
}
