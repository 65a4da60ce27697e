package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graphs: node names (TensorFlow's {@code unique_name} and {@code name_scope}, as in its
 * ops_test.py NameStackTest), the NodeDef view, node order and lookup, default graphs.
 */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class GraphTest {
  private static String name(Tensor t) {
    return t.op().name();
  }

  private static Tensor ph(long... shape) {
    return Ops.placeholder(DType.FLOAT32, shape);
  }

  @Test
  void opsAreNamedAfterTheirTypeAndMadeUnique() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = ph(2);
      Tensor b = ph(2);
      assertEquals("Placeholder", name(a));
      assertEquals("Placeholder_1", name(b));
      assertEquals("AddV2", name(a.add(b)));
      assertEquals("AddV2_1", name(a.add(b)));
      assertEquals("AddV2_2", name(a.add(b)));
      assertEquals("Mul", name(a.mul(b)));
      assertEquals("AddV2_3:0", a.add(b).name());
    }
  }

  @Test
  void nameScopesPrefixNestAndAreMadeUnique() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph();
      try (Scope bar = Ops.nameScope("bar")) {
        assertEquals("bar", Context.currentNameScope());
        assertEquals("bar/Neg", name(x.neg()));
        assertEquals("bar/Neg_1", name(x.neg()));
        try (Scope baz = Ops.nameScope("baz")) {
          assertEquals("bar/baz/Neg", name(x.neg()));
          assertEquals("bar/baz/Neg_1", name(x.neg()));
        }
        try (Scope baz = Ops.nameScope("baz")) { // a scope name is used once: baz_1
          assertEquals("bar/baz_1", Context.currentNameScope());
          assertEquals("bar/baz_1/Neg", name(x.neg()));
        }
        try (Scope top = Ops.nameScope("")) { // "" goes back to the top
          assertEquals("", Context.currentNameScope());
          assertEquals("Neg", name(x.neg()));
        }
        assertEquals("bar", Context.currentNameScope());
      }
      try (Scope bar = Ops.nameScope("bar")) {
        assertEquals("bar_1/Neg", name(x.neg()));
      }
      try (Scope none = Ops.nameScope(null)) { // None in TensorFlow: the top as well
        assertEquals("Neg_1", name(x.neg()));
      }
      assertEquals("", Context.currentNameScope());
    }
  }

  @Test
  void scopeNamesAndOpNamesShareOneNamespace() {
    // TensorFlow's unique_name marks scope names as used: an op of that name becomes Neg_1,
    // and an existing "Neg_1" is skipped when uniquifying "Neg" (names_in_use).
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph();
      try (Scope sc = Ops.nameScope("Neg_1")) {
        assertEquals("Neg_1/Neg", name(x.neg()));
      }
      assertEquals("Neg", name(x.neg()));
      assertEquals("Neg_2", name(x.neg()));
      try (Scope sc = Ops.nameScope("Neg")) {
        assertEquals("Neg_3", Context.currentNameScope());
      }
    }
  }

  @Test
  void uniqueNamesIgnoreCaseAsTensorFlow() {
    // unique_name keys names_in_use by name.lower(), keeping the caller's capitalization
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph();
      assertEquals("Neg", name(x.neg()));
      try (Scope sc = Ops.nameScope("neg")) {
        assertEquals("neg_1", Context.currentNameScope());
        assertEquals("neg_1/Neg", name(x.neg()));
      }
      try (Scope sc = Ops.nameScope("NEG")) {
        assertEquals("NEG_2", Context.currentNameScope());
      }
      assertEquals("Neg_3", name(x.neg()));
    }
  }

  @Test
  void aTrailingSlashReentersAScopeExactly() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph();
      try (Scope a = Ops.nameScope("a")) {
        assertEquals("a/Neg", name(x.neg()));
      }
      try (Scope b = Ops.nameScope("b"); Scope a = Ops.nameScope("a/")) {
        assertEquals("a", Context.currentNameScope());
        assertEquals("a/Neg_1", name(x.neg()));
        try (Scope c = Ops.nameScope("c/d/")) { // absolute, even a scope never opened
          assertEquals("c/d/Neg", name(x.neg()));
        }
      }
      try (Scope a = Ops.nameScope("a")) { // re-entering did not consume a name: still a_1
        assertEquals("a_1/Neg", name(x.neg()));
      }
    }
  }

  @Test
  void scopeNamesAreValidated() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph();
      for (String bad : List.of("_x", "-x", "/x", "a b", "x:0", "a*")) {
        var e = assertThrows(InvalidArgumentException.class, () -> Ops.nameScope(bad), bad);
        assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      }
      assertEquals("", Context.currentNameScope()); // a refused scope was not entered
      // inside a scope, TensorFlow also accepts a leading '_', '-' or '/' (_VALID_SCOPE_NAME_REGEX)
      try (Scope a = Ops.nameScope("outer"); Scope b = Ops.nameScope("_inner")) {
        assertEquals("outer/_inner/Neg", name(x.neg()));
      }
      assertThrows(InvalidArgumentException.class, () -> {
        try (Scope a = Ops.nameScope("outer2"); Scope b = Ops.nameScope("a b")) {
          fail();
        }
      });
      assertEquals("", Context.currentNameScope());
    }
  }

  private static void fail() {
    throw new AssertionError("unreachable");
  }

  @Test
  void nameScopesArePerGraph() {
    Graph g1 = new Graph();
    Graph g2 = new Graph();
    try (Scope s1 = g1.asDefault(); Scope a = Ops.nameScope("a")) {
      try (Scope s2 = g2.asDefault()) {
        assertEquals("", Context.currentNameScope());
        assertEquals("Neg", name(ph().neg()));
      }
      assertEquals("a", Context.currentNameScope());
      assertEquals("a/Neg", name(ph().neg()));
    }
  }

  @Test
  void nodeDefsListInputsAsTensorFlowDoes() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph(4);
      List<Tensor> parts = x.split(2, 0);
      Tensor ctrl = ph(2);
      Tensor sum;
      try (Scope c = Ops.controlDependencies(ctrl)) {
        sum = parts.get(1).add(parts.get(0));
      }
      NodeDef nd = sum.op().nodeDef();
      assertEquals("AddV2", nd.name());
      assertEquals("AddV2", nd.op());
      assertEquals(List.of("Split:1", "Split", "^Placeholder_1"), nd.inputs());
      assertEquals(List.of("Placeholder_1"), nd.controlInputs());
      assertEquals("", nd.device());
      assertEquals("Split:1", parts.get(1).name());
      assertEquals("Split:0", parts.get(0).name());
      assertEquals(1, parts.get(1).outputIndex());
      assertSame(parts.get(1).op(), parts.get(0).op());

      NodeDef p = x.op().nodeDef();
      assertEquals("Placeholder", p.op());
      assertEquals(List.of(), p.inputs());
      assertEquals(DType.FLOAT32, p.attr("dtype"));
      assertArrayEquals(new long[] {4}, (long[]) p.attr("shape"));
      NodeDef split = parts.get(0).op().nodeDef();
      assertEquals(2, split.attr("numSplit"));
      assertEquals(0, split.attr("axis"));
      assertEquals(List.of("Placeholder"), split.inputs());
      assertNull(split.attr("noSuchAttr"));
      assertThrows(UnsupportedOperationException.class, () -> nd.attrs().put("x", 1));
      assertThrows(UnsupportedOperationException.class, () -> nd.inputs().add("x"));
    }
  }

  @Test
  void nodeDefAttrsCannotChangeTheGraph() {
    // the NodeDef view is read-only: arrays in it are copies, not the node's own attributes
    Graph g = new Graph();
    Tensor x;
    Tensor s;
    try (Scope sc = g.asDefault()) {
      x = ph(2, 3);
      s = x.reduceSum(1);
    }
    ((int[]) s.op().nodeDef().attr("axes"))[0] = 0;
    ((int[]) s.op().attr("axes"))[0] = 0;
    ((long[]) x.op().nodeDef().attr("shape"))[0] = 7;
    assertArrayEquals(new int[] {1}, (int[]) s.op().attr("axes"));
    try (Session sess = new Session(g)) {
      Tensor v = sess.run(s, Map.of(x, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
      assertArrayEquals(new float[] {6, 15}, v.toFloatArray());
    }
  }

  @Test
  void constantsRecordTheirValue() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor y = ph(2).add(Tensor.of(1f, 2f));
      Operation c = y.op().inputs().get(1).op();
      assertEquals("Const", c.type());
      assertEquals(DType.FLOAT32, c.attr("dtype"));
      assertArrayEquals(new float[] {1, 2}, ((Tensor) c.attr("value")).toFloatArray());
    }
  }

  @Test
  void operationsAreInCreationOrderAndFoundByName() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    Tensor z;
    try (Scope s = g.asDefault()) {
      x = ph(2);
      y = x.exp();
      z = y.mul(x);
    }
    List<Operation> ops = g.operations();
    assertEquals(List.of(x.op(), y.op(), z.op()), ops);
    assertThrows(UnsupportedOperationException.class, () -> ops.add(x.op()));
    assertSame(y.op(), g.operation("Exp"));
    assertSame(g, y.op().graph());
    assertEquals(List.of(y, x), z.op().inputs());
    assertEquals(List.of(z), z.op().outputs());
    assertSame(z, z.op().output(0));
    assertThrows(InvalidArgumentException.class, () -> z.op().output(1));
    var e = assertThrows(InvalidArgumentException.class, () -> g.operation("Log"));
    assertTrue(e.getMessage().contains("'Log'") && e.getMessage().contains(g.name()),
        e.getMessage());
    // a new node after the lookup: operations() is a snapshot
    try (Scope s = g.asDefault()) {
      x.neg();
    }
    assertEquals(3, ops.size());
    assertEquals(4, g.operations().size());
  }

  @Test
  void symbolicTensorsHaveSpecsButNoValues() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = ph(2, 3);
      Tensor y = x.reduceSum(1);
      assertTrue(y.isSymbolic());
      assertEquals(DType.FLOAT32, y.dtype());
      assertEquals(Shape.of(2), y.shape());
      assertEquals("Sum:0", y.name());
      assertEquals("Tensor(\"Sum:0\", shape=(2,), dtype=float32)", y.toString());
      assertFalse(Tensor.of(1f).isSymbolic());
      assertNull(Tensor.of(1f).name());
      assertNull(Tensor.of(1f).op());
      // a shape error is found when the node is added, as TensorFlow's shape inference
      var e = assertThrows(InvalidArgumentException.class, () -> x.add(ph(4)));
      assertTrue(e.getMessage().startsWith("AddV2: "), e.getMessage());
    }
  }

  @Test
  void asDefaultNestsAndRestores() {
    Graph g1 = new Graph();
    Graph g2 = new Graph();
    assertNull(Graph.current());
    assertTrue(Context.executingEagerly());
    try (Scope s1 = g1.asDefault()) {
      assertSame(g1, Graph.current());
      assertFalse(Context.executingEagerly());
      try (Scope s2 = g2.asDefault()) {
        assertSame(g2, Graph.current());
        try (Scope s3 = g1.asDefault()) {
          assertSame(g1, Graph.current());
        }
        assertSame(g2, Graph.current());
      }
      assertSame(g1, Graph.current());
    }
    assertNull(Graph.current());
    assertTrue(Context.executingEagerly());
  }

  @Test
  void asDefaultIsRestoredOnExceptions() {
    Graph g = new Graph();
    var e = assertThrows(IllegalStateException.class, () -> {
      try (Scope s = g.asDefault(); Scope n = Ops.nameScope("a")) {
        ph(2).neg();
        throw new IllegalStateException("boom");
      }
    });
    assertEquals("boom", e.getMessage());
    assertNull(Graph.current());
    assertTrue(Context.executingEagerly());
    assertArrayEquals(new float[] {-1}, Tensor.of(1f).neg().toFloatArray());
    try (Scope s = g.asDefault()) {
      assertEquals("", Context.currentNameScope());
      assertEquals("Neg", name(ph().neg())); // the one made before the exception was a/Neg
      assertEquals("a/Neg", g.operations().get(1).name());
    }
  }

  @Test
  void closingOutOfOrderIsAnErrorAndClosingTwiceIsHarmless() {
    Graph g1 = new Graph();
    Graph g2 = new Graph();
    Scope s1 = g1.asDefault();
    Scope s2 = g2.asDefault();
    try {
      assertThrows(InternalException.class, s1::close);
    } finally {
      s2.close();
      s1.close();
    }
    s1.close();
    s2.close();
    assertNull(Graph.current());
  }

  @Test
  void defaultGraphsAndNameScopesArePerThread() throws Exception {
    Graph g = new Graph();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Scope s = g.asDefault(); Scope a = Ops.nameScope("mine")) {
      Tensor x = ph();
      assertEquals("mine/Neg", name(x.neg()));
      // another thread executes eagerly: this thread's default graph is not its
      Future<Boolean> eager = pool.submit(Context::executingEagerly);
      assertTrue(eager.get(10, TimeUnit.SECONDS));
      CountDownLatch opened = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      Future<String> other = pool.submit(() -> {
        try (Scope s2 = g.asDefault()) {
          assertEquals("", Context.currentNameScope());
          try (Scope b = Ops.nameScope("theirs")) {
            opened.countDown();
            done.await(10, TimeUnit.SECONDS);
            return name(x.neg());
          }
        }
      });
      assertTrue(opened.await(10, TimeUnit.SECONDS));
      // the other thread is inside "theirs" now; this thread is still in "mine"
      assertEquals("mine", Context.currentNameScope());
      assertEquals("mine/Neg_1", name(x.neg()));
      done.countDown();
      assertEquals("theirs/Neg", other.get(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void addingNodesFromManyThreadsKeepsNamesUnique() throws Exception {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.asDefault()) {
      x = ph();
    }
    int threads = 4;
    int each = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          try (Scope s = g.asDefault()) {
            for (int i = 0; i < each; i++) {
              x.neg();
            }
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Operation> ops = g.operations();
    assertEquals(1 + threads * each, ops.size());
    assertEquals(ops.size(), ops.stream().map(Operation::name).distinct().count());
    for (Operation o : ops) {
      assertSame(o, g.operation(o.name()));
    }
  }

  @Test
  void graphsDescribeThemselves() {
    Graph g = new Graph();
    assertTrue(g.name().startsWith("graph_"), g.name());
    assertNotEquals(g.name(), new Graph().name());
    assertFalse(g.isBuildingFunction());
    try (Scope s = g.asDefault()) {
      ph().neg();
    }
    assertEquals("Graph(\"" + g.name() + "\", 2 operations)", g.toString());
    assertEquals("Operation(\"Neg\", type=Neg)", g.operation("Neg").toString());
  }
}
