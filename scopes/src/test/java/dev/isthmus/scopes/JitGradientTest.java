package dev.isthmus.scopes;

import static dev.isthmus.scopes.JitTestOps.attr;
import static dev.isthmus.scopes.JitTestOps.cluster;
import static dev.isthmus.scopes.JitTestOps.product;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.internal.GraphAccess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * jitScope rule 5: the scopes of gradient nodes: TensorFlow's example with matmul, and more
 * cases on {@link JitTestOps#PRODUCT} (x * y by the product rule: two {@code Mul} gradient
 * nodes per gradients call, whatever the real ops' rules become).
 */
class JitGradientTest {
  private static final Tensor A = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
  private static final Tensor B = Tensor.of(new float[] {0.5f, -1, 2, 0.25f}, 2, 2);

  /** The nodes of {@code g} built to differentiate {@code forward}. */
  private static List<Operation> gradientNodes(Graph g, Tensor forward) {
    return g.operations().stream()
        .filter(o -> GraphAccess.get().gradientOf(o) == forward.op()).toList();
  }

  private static List<Operation> under(List<Operation> ops, String prefix) {
    return ops.stream().filter(o -> o.name().startsWith(prefix)).toList();
  }

  /**
   * TensorFlow's example as written: f, g and h compiled in separate scopes.
   * <pre>
   * with jit_scope(separate_compiled_gradients=True): f = matmul(a, b)
   * g = gradients([f], [a, b], name='mygrads1')
   * h = gradients([f], [a, b], name='mygrads2')
   * </pre>
   */
  @Test
  void separateCompiledGradientsWithMatmul() {
    Graph g = new Graph();
    Tensor a;
    Tensor b;
    Tensor f;
    List<Tensor> gs;
    List<Tensor> hs;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2, 2);
      b = Ops.placeholder(DType.FLOAT32, 2, 2);
      try (Scope jit = Scopes.jitScope(true, true)) {
        f = Ops.matmul(a, b);
      }
      gs = Ops.gradients(List.of(f), List.of(a, b), "mygrads1");
      hs = Ops.gradients(List.of(f), List.of(a, b), "mygrads2");
    }
    List<Operation> grads = gradientNodes(g, f);
    assertEquals(2, under(grads, "mygrads1/").size(), grads.toString());
    assertEquals(2, under(grads, "mygrads2/").size(), grads.toString());
    for (Operation o : grads) {
      String name = o.name().substring(0, o.name().indexOf('/'));
      assertEquals(true, o.attr("_XlaCompile"), o.name());
      assertEquals("jit_scope_0_grad_" + name, o.attr("_XlaScope"), o.name());
    }
    List<Tensor> fetch = new ArrayList<>(List.of(f));
    fetch.addAll(gs);
    fetch.addAll(hs);
    List<Tensor> got;
    try (Session sess = new Session(g)) {
      got = sess.run(fetch, Map.of(a, A, b, B));
    }
    Set<Object> fClusters = new HashSet<>(java.util.Collections.singleton(cluster(f)));
    Set<Object> gClusters = new HashSet<>(List.of(cluster(gs.get(0)), cluster(gs.get(1))));
    Set<Object> hClusters = new HashSet<>(List.of(cluster(hs.get(0)), cluster(hs.get(1))));
    for (Set<Object> c : List.of(fClusters, gClusters, hClusters)) {
      assertFalse(c.contains(null));
    }
    assertTrue(java.util.Collections.disjoint(fClusters, gClusters));
    assertTrue(java.util.Collections.disjoint(fClusters, hClusters));
    assertTrue(java.util.Collections.disjoint(gClusters, hClusters));
    // d(sum(a b))/da = ones b^T, d/db = a^T ones
    Tensor ones = Tensor.of(new float[] {1, 1, 1, 1}, 2, 2);
    Tensor da = Ops.matmul(ones, B, false, true);
    Tensor db = Ops.matmul(A, ones, true, false);
    assertArrayEquals(Ops.matmul(A, B).toFloatArray(), got.get(0).toFloatArray());
    assertArrayEquals(da.toFloatArray(), got.get(1).toFloatArray());
    assertArrayEquals(db.toFloatArray(), got.get(2).toFloatArray());
    assertArrayEquals(da.toFloatArray(), got.get(3).toFloatArray());
    assertArrayEquals(db.toFloatArray(), got.get(4).toFloatArray());
  }

  /**
   * The same example on the product op: f, g and h compiled in separate scopes.
   * <pre>
   * with jit_scope(separate_compiled_gradients=True): f = matmul(a, b)
   * g = gradients([f], [a, b], name='mygrads1')
   * h = gradients([f], [a, b], name='mygrads2')
   * </pre>
   */
  @Test
  void separateCompiledGradientsGiveEachGradientCallItsOwnScope() {
    Graph g = new Graph();
    Tensor a;
    Tensor b;
    Tensor f;
    List<Tensor> gs;
    List<Tensor> hs;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2, 2);
      b = Ops.placeholder(DType.FLOAT32, 2, 2);
      try (Scope jit = Scopes.jitScope(true, true)) {
        f = product(a, b);
      }
      gs = Ops.gradients(List.of(f), List.of(a, b), "mygrads1");
      hs = Ops.gradients(List.of(f), List.of(a, b), "mygrads2");
    }
    assertEquals(List.of(true, true, "jit_scope_0"), List.of(attr(f, "_XlaCompile"),
        attr(f, "_XlaSeparateCompiledGradients"), attr(f, "_XlaScope")));
    List<Operation> grads = gradientNodes(g, f);
    assertEquals(4, grads.size(), grads.toString());
    for (String name : List.of("mygrads1", "mygrads2")) {
      List<Operation> mine = under(grads, name + "/");
      assertEquals(2, mine.size(), name);
      for (Operation o : mine) {
        assertEquals(true, o.attr("_XlaCompile"), o.name());
        assertEquals("jit_scope_0_grad_" + name, o.attr("_XlaScope"), o.name());
        assertNull(o.attr("_XlaSeparateCompiledGradients"), o.name());
      }
    }
    // the ones each gradients call starts from belong to no forward node: no jit attributes
    for (Operation o : JitTestOps.ofType(g, "OnesLike")) {
      assertFalse(o.nodeDef().attrs().keySet().stream().anyMatch(k -> k.startsWith("_Xla")));
    }
    List<Tensor> got;
    try (Session sess = new Session(g)) {
      List<Tensor> fetch = new ArrayList<>(List.of(f));
      fetch.addAll(gs);
      fetch.addAll(hs);
      got = sess.run(fetch, Map.of(a, A, b, B));
    }
    // f, g and h are compiled apart: no cluster holds nodes of two of them
    List<Set<Object>> clusters = new ArrayList<>();
    for (List<Tensor> part : List.of(List.of(f), gs, hs)) {
      Set<Object> c = new HashSet<>();
      for (Tensor t : part) {
        assertNotNull(cluster(t), t.name());
        c.add(cluster(t));
      }
      for (Set<Object> before : clusters) {
        assertTrue(java.util.Collections.disjoint(before, c), clusters + " " + c);
      }
      clusters.add(c);
    }
    assertArrayEquals(A.mul(B).toFloatArray(), got.get(0).toFloatArray());
    assertArrayEquals(B.toFloatArray(), got.get(1).toFloatArray());
    assertArrayEquals(A.toFloatArray(), got.get(2).toFloatArray());
    assertArrayEquals(B.toFloatArray(), got.get(3).toFloatArray());
    assertArrayEquals(A.toFloatArray(), got.get(4).toFloatArray());
  }

  @Test
  void gradientsOfTheProductShareTheForwardScopeAndCluster() {
    Graph g = new Graph();
    Tensor a;
    Tensor b;
    Tensor f;
    List<Tensor> gs;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2, 2);
      b = Ops.placeholder(DType.FLOAT32, 2, 2);
      try (Scope jit = Scopes.jitScope()) {
        f = product(a, b);
      }
      gs = Ops.gradients(List.of(f), List.of(a, b), "mygrads1");
    }
    for (Operation o : gradientNodes(g, f)) {
      assertEquals(true, o.attr("_XlaCompile"), o.name());
      assertEquals("jit_scope_0", o.attr("_XlaScope"), o.name());
    }
    // one scope, but clusters grow along edges: f feeds the gradients only through the
    // unmarked OnesLike, so they form one cluster only when global jit makes it a candidate
    Context.setGlobalJit(true);
    try (Session sess = new Session(g)) {
      sess.run(List.of(f, gs.get(0), gs.get(1)), Map.of(a, A, b, B));
    } finally {
      Context.setGlobalJit(false);
    }
    assertNotNull(cluster(f));
    assertEquals(cluster(f), cluster(gs.get(0)));
    assertEquals(cluster(f), cluster(gs.get(1)));
    assertEquals(cluster(f), JitTestOps.ofType(g, "OnesLike").get(0).attr("_XlaCluster"));
  }

  @Test
  void gradientsOfUnmarkedOrFalseForwardOpsCarryNoJitAttributes() {
    Graph g = new Graph();
    Tensor a;
    Tensor plain;
    Tensor off;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2, 2);
      plain = product(a, a);
      try (Scope jit = Scopes.jitScope(false, true)) {
        off = product(plain, a);
      }
      Ops.gradients(List.of(off), List.of(a), "grads");
    }
    List<Operation> grads = new ArrayList<>(gradientNodes(g, plain));
    grads.addAll(gradientNodes(g, off));
    assertEquals(4, grads.size());
    for (Operation o : grads) {
      assertTrue(o.nodeDef().attrs().keySet().stream().noneMatch(k -> k.startsWith("_Xla")),
          o.nodeDef().toString());
    }
  }

  @Test
  void theGradientScopeNameIsTheCallsNameScopeWithSlashesReplaced() {
    Graph g = new Graph();
    Tensor a;
    Tensor f;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2);
      try (Scope jit = Scopes.jitScope(true, true)) {
        f = product(a, a);
      }
      try (Scope outer = Ops.nameScope("outer")) {
        Ops.gradients(List.of(f), List.of(a), "my/grads");
      }
      Ops.gradients(List.of(f), List.of(a), "mygrads");
      Ops.gradients(List.of(f), List.of(a), "mygrads"); // uniquified: mygrads_1
      Ops.gradients(List.of(f), List.of(a)); // the default name
    }
    Set<Object> scopes = new java.util.TreeSet<>();
    for (Operation o : gradientNodes(g, f)) {
      scopes.add(o.attr("_XlaScope"));
    }
    assertEquals(Set.of("jit_scope_0_grad_outer_my_grads", "jit_scope_0_grad_mygrads",
        "jit_scope_0_grad_mygrads_1", "jit_scope_0_grad_gradients"), scopes);
  }

  @Test
  void theForwardMarksBeatAnEnclosingScopeAndThePredicateIsNotAsked() {
    Graph g = new Graph();
    Tensor a;
    Tensor f;
    List<String> asked = new ArrayList<>();
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2);
      try (Scope jit = Scopes.jitScope()) {
        f = product(a, a);
      }
      try (Scope jit = Scopes.jitScope(n -> {
        asked.add(n.op());
        return false;
      }, true)) {
        Ops.gradients(List.of(f), List.of(a), "g");
      }
    }
    // asked only for the nodes of no forward op: the ones, and the sum of a's two gradients
    assertEquals(List.of("OnesLike", "AddV2"), asked);
    for (Operation o : gradientNodes(g, f)) {
      assertEquals(true, o.attr("_XlaCompile"), o.name());
      assertEquals("jit_scope_0", o.attr("_XlaScope"), o.name());
      assertEquals(true, o.attr("_XlaSeparateCompiledGradients"), o.name());
    }
  }

  @Test
  void aTapeInsideAFunctionNamesTheScopeByTheNameScopeOfItsGradientCall() {
    List<Graph> traced = new ArrayList<>();
    Function step = Function.of(x -> {
      traced.add(x.op().graph());
      try (GradientTape tape = GradientTape.open()) {
        tape.watch(x);
        Tensor y;
        try (Scope jit = Scopes.jitScope(true, true)) {
          y = product(x, x);
        }
        try (Scope named = Ops.nameScope("step")) {
          return tape.gradient(y, x);
        }
      }
    });
    Tensor got = step.call(A);
    assertArrayEquals(A.mul(2f).toFloatArray(), got.toFloatArray());
    Graph fg = traced.get(0);
    Operation forward = JitTestOps.ofType(fg, "JitTestProduct").get(0);
    List<Operation> grads = fg.operations().stream()
        .filter(o -> GraphAccess.get().gradientOf(o) == forward).toList();
    assertEquals(2, grads.size());
    for (Operation o : grads) {
      assertEquals("jit_scope_0_grad_step", o.attr("_XlaScope"), o.name());
      assertNotNull(o.attr("_XlaCluster"), o.name());
      assertNotEquals(forward.attr("_XlaCluster"), o.attr("_XlaCluster"));
    }
  }

  @Test
  void gradientsComputedInsideAJitScopeEqualThoseOutside() {
    Tensor x0 = Tensor.of(new float[] {0.1f, -2f, 3.5f, 7f, -0.25f, 1e-3f}, 2, 3);
    Tensor y0 = Tensor.of(new float[] {4f, 0.5f, -1f, 2f, 8f, -3f}, 2, 3);
    List<float[]> results = new ArrayList<>();
    for (boolean jit : new boolean[] {false, true}) {
      Graph g = new Graph();
      Tensor x;
      Tensor y;
      List<Tensor> grads;
      try (Scope s = g.asDefault()) {
        x = Ops.placeholder(DType.FLOAT32, 2, 3);
        y = Ops.placeholder(DType.FLOAT32, 2, 3);
        try (Scope j = jit ? Scopes.jitScope(true, true) : null) {
          Tensor p = product(x, y);
          Tensor q = product(p, product(x, x));
          grads = Ops.gradients(List.of(q, p), List.of(x, y), "grads");
        }
      }
      try (Session sess = new Session(g)) {
        for (Tensor t : sess.run(new ArrayList<>(grads), Map.of(x, x0, y, y0))) {
          results.add(t.toFloatArray());
        }
      }
      assertEquals(jit, g.operations().stream().anyMatch(o -> o.attr("_XlaCluster") != null));
    }
    assertArrayEquals(results.get(0), results.get(2));
    assertArrayEquals(results.get(1), results.get(3));
  }

  @Test
  void aDenseLayersGradientsInsideAJitScopeEqualThoseOutside() {
    Tensor x0 = Ops.randomNormal(7, DType.FLOAT32, 8, 16);
    Tensor w0 = Ops.randomNormal(8, DType.FLOAT32, 16, 4);
    Tensor b0 = Ops.randomNormal(9, DType.FLOAT32, 4);
    List<float[]> results = new ArrayList<>();
    for (int mode = 0; mode < 3; mode++) { // no jit; one scope; separate gradient scopes
      Graph g = new Graph();
      Tensor x;
      Tensor w;
      Tensor b;
      List<Tensor> grads;
      try (Scope s = g.asDefault()) {
        x = Ops.placeholder(DType.FLOAT32, 8, 16);
        w = Ops.placeholder(DType.FLOAT32, 16, 4);
        b = Ops.placeholder(DType.FLOAT32, 4);
        Tensor loss;
        try (Scope j = mode == 0 ? null : Scopes.jitScope(true, mode == 2)) {
          loss = Ops.reduceMean(Ops.matmul(x, w).add(b).relu().sigmoid().square());
        }
        grads = Ops.gradients(List.of(loss), List.of(w, b), "dense_grads");
      }
      try (Session sess = new Session(g)) {
        for (Tensor t : sess.run(new ArrayList<>(grads), Map.of(x, x0, w, w0, b, b0))) {
          results.add(t.toFloatArray());
        }
      }
      long clusters = g.operations().stream().map(o -> o.attr("_XlaCluster"))
          .filter(java.util.Objects::nonNull).distinct().count();
      assertEquals(mode != 0, clusters > 0, "mode " + mode);
    }
    for (int mode = 1; mode < 3; mode++) {
      assertArrayEquals(results.get(0), results.get(2 * mode), "dW, mode " + mode);
      assertArrayEquals(results.get(1), results.get(2 * mode + 1), "db, mode " + mode);
    }
  }

  @Test
  void aTrainingStepInAJitFunctionMatchesThePlainOne() {
    List<float[]> weights = new ArrayList<>();
    for (boolean jit : new boolean[] {false, true}) {
      dev.isthmus.Variable w = dev.isthmus.Variable.of(Ops.randomNormal(3, DType.FLOAT32, 6, 2));
      Tensor x = Ops.randomNormal(4, DType.FLOAT32, 5, 6);
      Tensor target = Ops.randomNormal(5, DType.FLOAT32, 5, 2);
      Function step = Function.builder().name("step").jitCompile(jit).build(() -> {
        try (GradientTape tape = GradientTape.open()) {
          Tensor loss = Ops.reduceMean(Ops.matmul(x, w.read()).tanh().sub(target).square());
          Tensor dw = tape.gradient(loss, w);
          w.assignSub(dw.mul(0.1f));
          return loss;
        }
      });
      for (int i = 0; i < 5; i++) {
        step.call();
      }
      weights.add(w.read().toFloatArray());
      Graph traced = step.getConcreteFunction().graph();
      assertEquals(jit, traced.operations().stream().anyMatch(o -> o.attr("_XlaCluster") != null));
    }
    assertArrayEquals(weights.get(0), weights.get(1));
  }
}
