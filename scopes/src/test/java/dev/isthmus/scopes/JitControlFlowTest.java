package dev.isthmus.scopes;

import static dev.isthmus.scopes.JitTestOps.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jit scopes over control flow: branch and loop body graphs are inside the scopes open where
 * they are built (TensorFlow 1 built them in the same graph); a function's graph is not. Loops
 * are clustered inside their body, never across iterations.
 */
class JitControlFlowTest {
  private static final Tensor X = Tensor.of(0.5f, -1f, 2f, 3f);

  private static Graph graph(Tensor result, String attr) {
    return ((ConcreteFunction) result.op().attr(attr)).graph();
  }

  private static List<Operation> nonArgs(Graph g) {
    return g.operations().stream().filter(o -> !o.type().equals("Placeholder")).toList();
  }

  @Test
  void condBranchesBuiltInsideAScopeAreMarkedAndClusteredInside() {
    Graph g = new Graph();
    Tensor x;
    Tensor p;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT32, 4);
      p = Ops.placeholder(DType.BOOL);
      try (Scope jit = Scopes.jitScope(true, true)) {
        y = Ops.cond(p, () -> x.exp().add(1f), () -> x.neg().abs());
      }
    }
    for (String branch : List.of("then_branch", "else_branch")) {
      for (Operation o : nonArgs(graph(y, branch))) {
        assertEquals(List.of(true, true, "jit_scope_0"), List.of(o.attr("_XlaCompile"),
            o.attr("_XlaSeparateCompiledGradients"), o.attr("_XlaScope")), o.name());
      }
    }
    try (Session sess = new Session(g)) {
      assertArrayEquals(X.exp().add(1f).toFloatArray(),
          sess.run(y, Map.of(x, X, p, Tensor.scalar(true))).toFloatArray());
      assertArrayEquals(X.neg().abs().toFloatArray(),
          sess.run(y, Map.of(x, X, p, Tensor.scalar(false))).toFloatArray());
    }
    assertNull(y.op().attr("_XlaCluster"), "the If node is graph machinery");
    for (String branch : List.of("then_branch", "else_branch")) {
      for (Operation o : nonArgs(graph(y, branch))) {
        assertEquals("cluster_0", o.attr("_XlaCluster"), o.name());
      }
    }
  }

  @Test
  void aLoopBodyIsClusteredInsideAndTheLoopComputesTheSame() {
    for (boolean jit : new boolean[] {false, true}) {
      Graph g = new Graph();
      Tensor x;
      List<Tensor> out;
      try (Scope s = g.asDefault()) {
        x = Ops.placeholder(DType.FLOAT32, 4);
        try (Scope j = jit ? Scopes.jitScope() : null) {
          out = Ops.whileLoop(v -> Ops.less(v.get(0), Tensor.scalar(5)),
              v -> List.of(v.get(0).add(Tensor.scalar(1)), v.get(1).mul(1.5f).sub(0.25f).tanh()),
              List.of(Ops.constant(0), x));
        }
      }
      Tensor got;
      try (Session sess = new Session(g)) {
        got = sess.run(out.get(1), Map.of(x, X));
      }
      Tensor want = X;
      for (int i = 0; i < 5; i++) {
        want = want.mul(1.5f).sub(0.25f).tanh();
      }
      assertArrayEquals(want.toFloatArray(), got.toFloatArray());
      Graph body = graph(out.get(0), "body");
      for (Operation o : nonArgs(body)) {
        assertEquals(jit, o.attr("_XlaCluster") != null, o.name());
        assertEquals(jit ? "jit_scope_0" : null, o.attr("_XlaScope"), o.name());
      }
      // the counter and the value are two chains with no edge between: two clusters
      Object chain = JitTestOps.ofType(body, "Tanh").get(0).attr("_XlaCluster");
      assertEquals(chain, JitTestOps.ofType(body, "Mul").get(0).attr("_XlaCluster"));
      assertEquals(chain, JitTestOps.ofType(body, "Sub").get(0).attr("_XlaCluster"));
      assertNull(out.get(0).op().attr("_XlaCluster"), "the While node is never a member");
    }
  }

  @Test
  void aScopeOpenedInsideABodyNestsInTheScopeAroundTheLoop() {
    Graph g = new Graph();
    List<Tensor> inner = new ArrayList<>();
    List<Tensor> out;
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 4);
      try (Scope jit = Scopes.jitScope()) {
        out = Ops.whileLoop(v -> Ops.less(v.get(0), Tensor.scalar(3)), v -> {
          Tensor next;
          try (Scope off = Scopes.jitScope(false)) {
            next = v.get(1).neg();
          }
          inner.add(next);
          return List.of(v.get(0).add(Tensor.scalar(1)), next.abs());
        }, List.of(Ops.constant(0), x));
      }
      try (Scope jit = Scopes.jitScope()) {
        assertEquals("jit_scope_1", attr(x.exp(), "_XlaScope"), "the body's scope took none");
      }
    }
    assertEquals(List.of(false, "jit_scope_0"), List.of(attr(inner.get(0), "_XlaCompile"),
        attr(inner.get(0), "_XlaScope")));
    Tensor abs = ((ConcreteFunction) out.get(0).op().attr("body")).outputs().get(1);
    assertEquals(true, attr(abs, "_XlaCompile"));
  }

  @Test
  void aScopeOpenedInABodyIsNumberedByTheGraphTheLoopIsIn() {
    Graph g = new Graph();
    List<Tensor> inner = new ArrayList<>();
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 4);
      try (Scope jit = Scopes.jitScope()) {
        x.exp(); // jit_scope_0
      }
      Ops.whileLoop(v -> Ops.less(v.get(0), Tensor.scalar(3)), v -> {
        try (Scope jit = Scopes.jitScope()) {
          inner.add(v.get(1).neg());
        }
        return List.of(v.get(0).add(Tensor.scalar(1)), inner.getLast());
      }, List.of(Ops.constant(0), x));
    }
    assertEquals("jit_scope_1", attr(inner.get(0), "_XlaScope"));
  }

  @Test
  void aFunctionsOpsAreNotInTheScopesAroundItsCall() {
    List<Tensor> made = new ArrayList<>();
    Function f = Function.of(t -> {
      made.add(t.exp());
      return made.getLast();
    });
    Graph g = new Graph();
    Tensor y;
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      y = f.call(Ops.placeholder(DType.FLOAT32, 4));
    }
    assertEquals(true, attr(y, "_XlaCompile"), "the call node is");
    assertNull(attr(made.get(0), "_XlaCompile"), "the function's ops are not");
  }

  @Test
  void controlFlowInsideAJitFunctionIsCompiledWithIt() {
    List<Tensor> made = new ArrayList<>();
    Function f = Function.builder().name("f").jitCompile(true).build(t -> {
      return Ops.cond(Ops.greater(t.reduceSum(), Tensor.scalar(0f)), () -> {
        made.add(t.exp());
        return made.getLast();
      }, () -> t.neg());
    });
    Tensor got = f.call(X);
    assertArrayEquals(X.exp().toFloatArray(), got.toFloatArray());
    assertEquals(List.of(true, "function_f"), List.of(attr(made.get(0), "_XlaCompile"),
        attr(made.get(0), "_XlaScope")));
    assertNotNull(made.get(0).op().attr("_XlaCluster"));
    assertTrue(made.get(0).op().graph().isBuildingFunction());
  }
}
