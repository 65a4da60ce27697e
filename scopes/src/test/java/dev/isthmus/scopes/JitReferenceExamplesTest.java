package dev.isthmus.scopes;

import static dev.isthmus.scopes.JitTestOps.attr;
import static dev.isthmus.scopes.JitTestOps.cluster;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Graph;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of TensorFlow's jit_scope page (shared/reference/jit_scope.md), written in Java:
 * the attributes each op gets, the clusters formed when the graph runs, and the values.
 */
class JitReferenceExamplesTest {
  private static final Tensor A = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
  private static final Tensor B = Tensor.of(new float[] {0.5f, -1, 2, 0.25f}, 2, 2);

  /**
   * <pre>
   * with jit_scope(): c = matmul(a, b)                      # compiled
   * with jit_scope(compile_ops=False): d = matmul(a, c)     # not compiled
   * with jit_scope(compile_ops=lambda node_def: 'matmul' in node_def.op.lower()):
   *   e = matmul(a, b) + d                                  # matmul compiled, the addition not
   * </pre>
   */
  @Test
  void compileOpsTrueFalseAndAPredicate() {
    Graph g = new Graph();
    Tensor a;
    Tensor b;
    Tensor c;
    Tensor d;
    Tensor e;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2, 2);
      b = Ops.placeholder(DType.FLOAT32, 2, 2);
      try (Scope jit = Scopes.jitScope()) {
        c = Ops.matmul(a, b);
      }
      try (Scope jit = Scopes.jitScope(false)) {
        d = Ops.matmul(a, c);
      }
      try (Scope jit = Scopes.jitScope(n -> n.op().toLowerCase().contains("matmul"))) {
        e = Ops.matmul(a, b).add(d);
      }
    }
    Tensor em = e.op().inputs().get(0);
    assertEquals(true, attr(c, "_XlaCompile"));
    assertEquals("jit_scope_0", attr(c, "_XlaScope"));
    assertEquals(false, attr(d, "_XlaCompile"));
    assertEquals("jit_scope_1", attr(d, "_XlaScope"));
    assertEquals(true, attr(em, "_XlaCompile"));
    assertEquals(false, attr(e, "_XlaCompile"));
    assertEquals("jit_scope_2", attr(em, "_XlaScope"));
    assertEquals("jit_scope_2", attr(e, "_XlaScope"));

    Tensor got;
    try (Session sess = new Session(g)) {
      got = sess.run(e, Map.of(a, A, b, B));
    }
    // compiled: c and e's matmul, in two clusters (two scopes); d and the addition are not
    assertNotNull(cluster(c));
    assertNotNull(cluster(em));
    assertNotEquals(cluster(c), cluster(em));
    assertNull(cluster(d));
    assertNull(cluster(e));
    Tensor ab = Ops.matmul(A, B);
    Tensor want = ab.add(Ops.matmul(A, ab));
    assertArrayEquals(want.toFloatArray(), got.toFloatArray());
  }

  /**
   * <pre>
   * with jit_scope(): x = matmul(a, b)
   * with jit_scope(compile_ops=False): y = matmul(c, d)
   * loss = x + y        # x and loss may be clustered together; y is never compiled
   * </pre>
   * isthmus clusters an op outside every scope only with global jit on (SCOPES.md rule 7).
   */
  @Test
  void opsOutsideTheScopeJoinCompiledOnesOnlyWithGlobalJit() {
    for (boolean global : new boolean[] {false, true}) {
      Context.setGlobalJit(global);
      try {
        Graph g = new Graph();
        Tensor a;
        Tensor b;
        Tensor x;
        Tensor y;
        Tensor loss;
        try (Scope s = g.asDefault()) {
          a = Ops.placeholder(DType.FLOAT32, 2, 2);
          b = Ops.placeholder(DType.FLOAT32, 2, 2);
          try (Scope jit = Scopes.jitScope()) {
            x = Ops.matmul(a, b);
          }
          try (Scope jit = Scopes.jitScope(false)) {
            y = Ops.matmul(b, a);
          }
          loss = x.add(y);
        }
        Tensor got;
        try (Session sess = new Session(g)) {
          got = sess.run(loss, Map.of(a, A, b, B));
        }
        assertNotNull(cluster(x));
        assertNull(cluster(y), "marked false: never compiled");
        assertEquals(global ? cluster(x) : null, cluster(loss), "global jit " + global);
        assertArrayEquals(Ops.matmul(A, B).add(Ops.matmul(B, A)).toFloatArray(),
            got.toFloatArray());
      } finally {
        Context.setGlobalJit(false);
      }
    }
  }

  /**
   * <pre>
   * with jit_scope(compile_ops=False):
   *   with jit_scope(): x = matmul(a, b)
   *   y = matmul(c, d)
   *   loss = x + y      # only x is compiled
   * </pre>
   */
  @Test
  void anOuterScopeOfFalseLeavesOnlyTheInnerScopeCompiled() {
    Context.setGlobalJit(true); // even so
    try {
      Graph g = new Graph();
      Tensor a;
      Tensor x;
      Tensor y;
      Tensor loss;
      try (Scope s = g.asDefault()) {
        a = Ops.placeholder(DType.FLOAT32, 2, 2);
        try (Scope off = Scopes.jitScope(false)) {
          try (Scope on = Scopes.jitScope()) {
            x = Ops.matmul(a, a);
          }
          y = Ops.matmul(a, a);
          loss = x.add(y);
        }
      }
      assertEquals(List.of(true, "jit_scope_0"), List.of(attr(x, "_XlaCompile"),
          attr(x, "_XlaScope")));
      assertEquals(List.of(false, "jit_scope_0"), List.of(attr(y, "_XlaCompile"),
          attr(y, "_XlaScope")));
      assertEquals(false, attr(loss, "_XlaCompile"));
      try (Session sess = new Session(g)) {
        sess.run(loss, Map.of(a, A));
      }
      assertNotNull(cluster(x));
      assertNull(cluster(y));
      assertNull(cluster(loss));
      // every clustered node of the graph is x's
      long clustered = g.operations().stream().filter(o -> o.attr("_XlaCluster") != null).count();
      assertEquals(1, clustered);
    } finally {
      Context.setGlobalJit(false);
    }
  }
}
