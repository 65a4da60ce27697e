package dev.isthmus.scopes;

import static dev.isthmus.scopes.JitTestOps.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.internal.GraphExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jitScope rule 6: jit-compiled functions; and global jit over function graphs. */
class JitFunctionTest {
  private static final Tensor X = Tensor.of(-1f, 0.5f, 2f, 4f);

  private static Graph graphOf(Tensor callResult) {
    return ((ConcreteFunction) callResult.op().attr("f")).graph();
  }

  private static void assertAllMarked(Graph g, String scope) {
    for (Operation o : g.operations()) {
      assertEquals(true, o.attr("_XlaCompile"), o.name());
      assertEquals(scope, o.attr("_XlaScope"), o.name());
    }
  }

  @Test
  void theEngineFindsTheJitAsAServiceSoCoreEntryPointsNeedNoScopesCall() {
    // Function.builder().jitCompile(true) and Context.setGlobalJit are core's: the jit is
    // installed when the graph engine starts, not when Scopes is first used
    List<String> found = java.util.ServiceLoader.load(GraphExtension.class).stream()
        .map(p -> p.type().getName()).toList();
    assertEquals(List.of("dev.isthmus.scopes.jit.JitExtension"), found);
  }

  @Test
  void everyOpOfAJitFunctionCalledEagerlyIsCompiledInFunctionName() {
    Function f = Function.builder().name("f").jitCompile(true)
        .build(x -> x.mul(2f).add(1f).relu());
    Tensor y = f.call(X);
    assertArrayEquals(X.mul(2f).add(1f).relu().toFloatArray(), y.toFloatArray());
    Graph g = f.getConcreteFunction(X).graph();
    assertAllMarked(g, "function_f");
    // finalized at the first call: one cluster of everything but the argument
    for (Operation o : g.operations()) {
      assertEquals(o.type().equals("Placeholder") ? null : "cluster_0", o.attr("_XlaCluster"),
          o.name());
    }
    assertArrayEquals(y.toFloatArray(), f.call(X).toFloatArray());
  }

  @Test
  void anAnonymousFunctionIsNamedByItsGeneratedName() {
    Function f = Function.builder().jitCompile(true).build(x -> x.neg());
    f.call(X);
    assertAllMarked(f.getConcreteFunction(X).graph(), "function_" + f.name());
  }

  @Test
  void itsCallNodeInAGraphIsMarkedToo() {
    Function f = Function.builder().name("inner").jitCompile(true).build(x -> x.exp());
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT32, 4);
      y = f.call(x);
    }
    assertEquals(true, attr(y, "_XlaCompile"));
    assertEquals("function_inner", attr(y, "_XlaScope"));
    assertNull(attr(x, "_XlaCompile"));
    assertAllMarked(graphOf(y), "function_inner");
    try (Session sess = new Session(g)) {
      assertArrayEquals(X.exp().toFloatArray(), sess.run(y, Map.of(x, X)).toFloatArray());
    }
    assertNull(y.op().attr("_XlaCluster"), "a call is never a member; its body is compiled");
    assertEquals("cluster_0", graphOf(y).operations().get(1).attr("_XlaCluster"));
  }

  @Test
  void itInheritsTheScopeOfAnEnclosingJitScope() {
    Function f = Function.builder().name("inner").jitCompile(true).build(x -> x.exp());
    Graph g = new Graph();
    Tensor y;
    Tensor z;
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 4);
      x.neg(); // an op outside, so the scope's number is not a coincidence
      try (Scope a = Scopes.jitScope(); Scope b = Scopes.jitScope(false)) {
        x.abs();
      }
      try (Scope jit = Scopes.jitScope(false)) { // inherits even a scope of false: TF does
        y = f.call(x);
        z = y.sqrt();
      }
    }
    assertAllMarked(graphOf(y), "jit_scope_1");
    assertEquals(List.of(true, "jit_scope_1"), List.of(attr(y, "_XlaCompile"),
        attr(y, "_XlaScope")));
    assertEquals(List.of(false, "jit_scope_1"), List.of(attr(z, "_XlaCompile"),
        attr(z, "_XlaScope")));
  }

  @Test
  void aJitFunctionTracedInAnotherInheritsItsScope() {
    Function inner = Function.builder().name("inner").jitCompile(true).build(x -> x.exp());
    List<Tensor> calls = new ArrayList<>();
    Function outer = Function.builder().name("outer").jitCompile(true).build(x -> {
      Tensor y = inner.call(x.neg());
      calls.add(y);
      return y.abs();
    });
    Tensor got = outer.call(X);
    assertArrayEquals(X.neg().exp().abs().toFloatArray(), got.toFloatArray());
    assertAllMarked(outer.getConcreteFunction(X).graph(), "function_outer");
    assertAllMarked(graphOf(calls.get(0)), "function_outer");
  }

  @Test
  void aPlainFunctionsOpsCarryNothingAndAJitScopeInsideOneMarksItsOps() {
    List<Tensor> made = new ArrayList<>();
    Function f = Function.builder().name("plain").build(x -> {
      Tensor a = x.neg();
      Tensor b;
      try (Scope jit = Scopes.jitScope()) {
        b = a.exp().sqrt();
      }
      made.add(a);
      made.add(b);
      return b.abs();
    });
    Tensor got = f.call(X);
    assertArrayEquals(X.neg().exp().sqrt().abs().toFloatArray(), got.toFloatArray());
    assertNull(attr(made.get(0), "_XlaCompile"));
    assertNull(made.get(0).op().attr("_XlaCluster"));
    assertEquals("jit_scope_0", attr(made.get(1), "_XlaScope"));
    assertEquals("cluster_0", made.get(1).op().attr("_XlaCluster"));
    assertEquals("cluster_0", made.get(1).op().inputs().get(0).op().attr("_XlaCluster"));
  }

  @Test
  void insideAJitFunctionTheFunctionsMarksComeFirst() {
    List<Tensor> made = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    Function f = Function.builder().name("f").jitCompile(true).build(x -> {
      try (Scope off = Scopes.jitScope(n -> {
        asked.add(n.op());
        return false;
      }, true)) {
        made.add(x.neg());
      }
      return made.get(0);
    });
    f.call(X);
    assertEquals(List.of(), asked, "every op already had _XlaCompile");
    assertEquals(List.of(true, "function_f", true), List.of(attr(made.get(0), "_XlaCompile"),
        attr(made.get(0), "_XlaScope"), attr(made.get(0), "_XlaSeparateCompiledGradients")));
  }

  @Test
  void opsLiftedOutOfAJitFunctionByInitScopeAreNotMarked() {
    List<Tensor> lifted = new ArrayList<>();
    Function f = Function.builder().name("f").jitCompile(true).build(x -> {
      try (Scope init = Scopes.initScope()) {
        lifted.add(Ops.placeholder(DType.FLOAT32, 1).neg()); // lands in the outer graph
      }
      return x.abs();
    });
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      f.call(Ops.placeholder(DType.FLOAT32, 4));
    }
    assertEquals(g, lifted.get(0).op().graph());
    assertNull(attr(lifted.get(0), "_XlaCompile"));
  }

  @Test
  void aJitFunctionUpdatingAVariableRunsCorrectlyCallAfterCall() {
    Variable v = Variable.of(Tensor.of(1f, 2f, 3f, 4f));
    Function step = Function.builder().name("step").jitCompile(true).build(x -> {
      Tensor next = v.read().mul(x).add(1f);
      v.assign(next);
      return v.read().reduceSum();
    });
    float[] want = {1f, 2f, 3f, 4f};
    for (int i = 0; i < 3; i++) {
      float s = 0;
      for (int k = 0; k < 4; k++) {
        want[k] = want[k] * 2f + 1f;
        s += want[k];
      }
      assertEquals(s, step.call(Tensor.scalar(2f)).item(), 0f);
    }
    Graph g = step.getConcreteFunction(Tensor.scalar(2f)).graph();
    List<Operation> reads = JitTestOps.ofType(g, "ReadVariableOp");
    Operation assign = JitTestOps.ofType(g, "AssignVariableOp").get(0);
    // read, mul, add, assign: one cluster; the read after the write: another
    assertEquals(reads.get(0).attr("_XlaCluster"), assign.attr("_XlaCluster"));
    assertNotNull(reads.get(1).attr("_XlaCluster"));
    assertTrue(!reads.get(1).attr("_XlaCluster").equals(assign.attr("_XlaCluster")));
  }

  @Test
  void globalJitClustersAPlainFunctionAtItsFirstCall() {
    Context.setGlobalJit(true);
    try {
      Function f = Function.of(x -> x.mul(x).sub(1f).tanh());
      Tensor y = f.call(X);
      assertArrayEquals(X.mul(X).sub(1f).tanh().toFloatArray(), y.toFloatArray());
      for (Operation o : f.getConcreteFunction(X).graph().operations()) {
        assertNull(o.attr("_XlaCompile"), o.name());
        assertEquals(o.type().equals("Placeholder") ? null : "cluster_0",
            o.attr("_XlaCluster"), o.name());
      }
    } finally {
      Context.setGlobalJit(false);
    }
  }
}
