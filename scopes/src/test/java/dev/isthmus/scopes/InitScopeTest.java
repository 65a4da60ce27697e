package dev.isthmus.scopes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.FailedPreconditionException;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.Recording;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scopes.initScope, one test per rule of docs/SCOPES.md (and TensorFlow's InitScopeTest in
 * ops_test.py where it has one), then issue 4's variable-lifting scenario.
 */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class InitScopeTest {
  @AfterEach
  void eagerAgain() {
    Context.enableEagerExecution(); // graph mode is process-wide
  }

  private static Tensor ph() {
    return Ops.placeholder(DType.FLOAT32);
  }

  private static Set<Operation> controls(Tensor t) {
    return new HashSet<>(t.op().controlInputs());
  }

  // ---------------------------------------------------------------- rule 1: eager

  @Test
  void eagerlyItOnlyPausesRecording() {
    List<?> stack = ContextStack.snapshot();
    try (Scope n = Ops.nameScope("outer")) {
      assertFalse(Recording.paused());
      try (Scope init = Scopes.initScope()) {
        assertTrue(Recording.paused());
        assertTrue(Context.executingEagerly());
        assertNull(Graph.current());
        assertEquals(stack, ContextStack.snapshot(), "no context was entered");
        assertEquals("outer", Context.currentNameScope());
        assertEquals(-2f, Tensor.of(2f).neg().getFloat(0));
      }
      assertFalse(Recording.paused());
      assertEquals("outer", Context.currentNameScope());
    }
  }

  // ---------------------------------------------------------------- control dependencies

  @Test
  void controlDependenciesAreClearedInsideAndRestoredAfter() {
    // TensorFlow's InitScopeTest.testClearsControlDependencies, in a plain graph
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a1 = ph();
      Tensor a2 = ph();
      Tensor a3 = ph();
      Tensor a4 = ph();
      try (Scope c1 = Ops.controlDependencies(a1)) {
        try (Scope c2 = Ops.controlDependencies(a2)) {
          try (Scope init = Scopes.initScope()) {
            assertSame(g, Graph.current(), "g is not building a function: initScope stays in it");
            try (Scope c3 = Ops.controlDependencies(a3)) {
              try (Scope c4 = Ops.controlDependencies(a4)) {
                assertEquals(Set.of(a3.op(), a4.op()), controls(ph()));
              }
              assertEquals(Set.of(a3.op()), controls(ph()));
            }
            assertEquals(Set.of(), controls(ph()));
          }
          assertEquals(Set.of(a1.op(), a2.op()), controls(ph()));
        }
        assertEquals(Set.of(a1.op()), controls(ph()));
        try (Scope init = Scopes.initScope()) {
          assertEquals(Set.of(), controls(ph()));
        }
        assertEquals(Set.of(a1.op()), controls(ph()));
      }
    }
  }

  @Test
  void controlDependenciesOfTheOuterGraphAreClearedForLiftedOps() {
    // a function traced inside g while g has a control block open: the lifted op lands in g
    // without g's control inputs; the call node itself keeps them
    Graph g = new Graph();
    Tensor[] lifted = {null};
    Function f = Function.of(x -> {
      try (Scope c = Ops.controlDependencies(x.neg())) {
        try (Scope init = Scopes.initScope()) {
          lifted[0] = Ops.constant(Tensor.of(1f));
        }
        Tensor y = x.abs(); // back in the function graph, under its block
        assertEquals(1, y.op().controlInputs().size());
        return y;
      }
    });
    try (Scope s = g.asDefault()) {
      Tensor a = ph();
      Tensor in = ph();
      try (Scope c = Ops.controlDependencies(a)) {
        Tensor out = f.call(in);
        assertEquals(Set.of(a.op()), controls(out));
      }
    }
    assertSame(g, lifted[0].op().graph());
    assertEquals(List.of(), lifted[0].op().controlInputs());
  }

  // ---------------------------------------------------------------- lifting

  @Test
  void nestedFunctionsLiftToEagerWhenCalledEagerly() {
    List<Boolean> eagerInside = new ArrayList<>();
    List<Graph> graphInside = new ArrayList<>();
    Function inner = Function.of(x -> {
      assertFalse(Context.executingEagerly());
      try (Scope init = Scopes.initScope()) {
        eagerInside.add(Context.executingEagerly());
        graphInside.add(Graph.current());
      }
      return x.neg();
    });
    Function outer = Function.of(x -> {
      try (Scope init = Scopes.initScope()) {
        eagerInside.add(Context.executingEagerly());
        graphInside.add(Graph.current());
      }
      return inner.call(x).mul(2f);
    });
    assertEquals(-4f, outer.call(Tensor.of(2f)).getFloat(0));
    assertEquals(List.of(true, true), eagerInside);
    assertEquals(2, graphInside.size());
    assertNull(graphInside.get(0));
    assertNull(graphInside.get(1));
  }

  @Test
  void nestedFunctionsLiftToThePlainGraphTheyWereCalledIn() {
    // TensorFlow's testLiftsOpsFromFunctions / testComposes: g0 plain, function graphs inside
    Graph g0 = new Graph();
    List<Graph> fnGraphs = new ArrayList<>();
    List<Tensor> lifted = new ArrayList<>();
    Graph[] g3 = {null};
    Function inner = Function.of(x -> {
      fnGraphs.add(Graph.current());
      try (Scope init = Scopes.initScope()) {
        assertFalse(Context.executingEagerly(), "a plain graph, not eager");
        assertSame(g0, Graph.current());
        lifted.add(Ops.constant(Tensor.of(1f)));
      }
      // a plain graph made default inside the function is itself the outer context
      g3[0] = new Graph();
      try (Scope s = g3[0].asDefault(); Scope init = Scopes.initScope()) {
        assertSame(g3[0], Graph.current());
        lifted.add(Ops.constant(Tensor.of(3f)));
      }
      return x.neg();
    });
    Function outer = Function.of(x -> {
      fnGraphs.add(Graph.current());
      try (Scope init = Scopes.initScope()) {
        assertSame(g0, Graph.current());
        lifted.add(Ops.constant(Tensor.of(2f)));
      }
      return inner.call(x);
    });
    Tensor y;
    try (Scope s = g0.asDefault()) {
      y = outer.call(ph());
    }
    assertEquals(2, fnGraphs.size());
    for (Graph fg : fnGraphs) {
      assertTrue(fg.isBuildingFunction());
      assertTrue(fg.operations().stream().noneMatch(o -> o.type().equals("Const")),
          "no lifted op stayed in " + fg);
    }
    assertSame(g0, lifted.get(0).op().graph()); // outer's
    assertSame(g0, lifted.get(1).op().graph()); // inner's, through two function graphs
    assertSame(g3[0], lifted.get(2).op().graph());
    assertEquals(List.of("Placeholder", "Const", "Const", "PartitionedCall"),
        g0.operations().stream().map(Operation::type).toList());
    try (Session sess = new Session(g0)) {
      Tensor x = g0.operations().get(0).output(0);
      assertEquals(-5f, sess.run(y, Map.of(x, Tensor.scalar(5f))).getFloat());
      assertEquals(1f, sess.run(lifted.get(1)).getFloat(0));
    }
  }

  // ---------------------------------------------------------------- eager inside a trace

  @Test
  void codeInsideRunsEagerlyOncePerTrace() {
    AtomicInteger runs = new AtomicInteger();
    Tensor[] computed = {null};
    Function f = Function.of(x -> {
      assertFalse(Context.executingEagerly());
      try (Scope init = Scopes.initScope()) {
        assertTrue(Context.executingEagerly());
        runs.incrementAndGet();
        computed[0] = Tensor.of(3f).mul(Tensor.of(4f)); // runs now: a concrete value
      }
      assertFalse(Context.executingEagerly());
      return x.add(computed[0]);
    });
    assertEquals(13f, f.call(Tensor.of(1f)).getFloat(0));
    assertFalse(computed[0].isSymbolic());
    assertEquals(12f, computed[0].getFloat(0));
    assertEquals(14f, f.call(Tensor.of(2f)).getFloat(0));
    assertEquals(1, runs.get(), "not per call");
    f.call(Tensor.of(1f, 2f)); // a new signature: a new trace
    assertEquals(2, runs.get());
  }

  // ---------------------------------------------------------------- graph mode

  @Test
  void inGraphModeWithNoGraphItIsTheGlobalGraph() {
    // TensorFlow's testInstallsDefaultGraphWhenGraphStackIsEmptyInGraphMode
    Context.disableEagerExecution();
    try {
      int depth = ContextStack.snapshot().size();
      try (Scope init = Scopes.initScope()) {
        assertSame(Graph.globalDefault(), Graph.current());
        assertEquals(depth + 1, ContextStack.snapshot().size(), "made default for the scope");
        assertTrue(Recording.paused());
      }
      assertEquals(depth, ContextStack.snapshot().size());
    } finally {
      Context.enableEagerExecution();
    }
  }

  @Test
  void inGraphModeAFunctionLiftsToTheGlobalGraph() {
    // TensorFlow's testFallsBackToGlobalGraphWhenAllGraphsAreBuildingFunctions
    Tensor[] dummy = {null};
    Function f = Function.of(x -> {
      try (Scope init = Scopes.initScope()) {
        assertFalse(Context.executingEagerly());
        dummy[0] = Ops.constant(Tensor.of(1f));
      }
      return x.neg();
    });
    Context.disableEagerExecution();
    try {
      Graph global = Graph.globalDefault();
      Tensor y = f.call(ph());
      assertSame(global, y.op().graph());
      assertSame(global, dummy[0].op().graph());
      try (Session sess = new Session()) {
        assertEquals(1f, sess.run(dummy[0]).getFloat(0));
      }
    } finally {
      Context.enableEagerExecution();
    }
  }

  // ---------------------------------------------------------------- recording

  @Test
  void recordingIsPausedInsideAndRestoredAfter() {
    List<Boolean> seen = new ArrayList<>();
    Function f = Function.of(x -> {
      seen.add(Recording.paused());
      try (Scope init = Scopes.initScope()) {
        seen.add(Recording.paused());
        try (Scope inner = Scopes.initScope()) {
          seen.add(Recording.paused());
        }
        seen.add(Recording.paused());
      }
      seen.add(Recording.paused());
      return x;
    });
    f.call(Tensor.of(1f));
    assertEquals(List.of(false, true, true, true, false), seen);
    assertFalse(Recording.paused());
    // an outer pause (a tape's stopRecording) outlives an init scope inside it
    try (Scope pause = Recording.pause()) {
      try (Scope init = Scopes.initScope()) {
        assertTrue(Recording.paused());
      }
      assertTrue(Recording.paused());
    }
    assertFalse(Recording.paused());
  }

  // ---------------------------------------------------------------- name scope

  @Test
  void theNameScopeIsPreservedWhenLiftingToEager() {
    // TensorFlow's testPreservesNameScopeInEagerExecution
    List<String> seen = new ArrayList<>();
    Function f = Function.of(x -> {
      try (Scope n = Ops.nameScope("inner")) {
        try (Scope init = Scopes.initScope()) {
          seen.add(Context.currentNameScope());
        }
        seen.add(Context.currentNameScope());
      }
      return x;
    });
    f.call(Tensor.of(1f));
    assertEquals(List.of("inner", "inner"), seen);
    assertEquals("", Context.currentNameScope());
  }

  @Test
  void theNameScopeIsPreservedInAnOuterGraph() {
    // TensorFlow's testPreservesNameScopeInGraphConstruction: the outer graph's ops get the
    // function's scope as an absolute prefix, and the outer graph's own scope comes back
    Graph g = new Graph();
    List<String> seen = new ArrayList<>();
    Tensor[] lifted = {null};
    Function f = Function.of(x -> {
      try (Scope n = Ops.nameScope("inner")) {
        try (Scope init = Scopes.initScope()) {
          seen.add(Context.currentNameScope());
          lifted[0] = Ops.constant(Tensor.of(1f)).neg();
        }
        seen.add(Context.currentNameScope());
        return x.neg();
      }
    });
    try (Scope s = g.asDefault(); Scope outerScope = Ops.nameScope("model")) {
      Tensor y = f.call(ph());
      assertEquals("model", Context.currentNameScope());
      assertEquals("model/PartitionedCall", y.op().name());
    }
    assertEquals(List.of("inner", "inner"), seen);
    assertEquals("inner/Neg", lifted[0].op().name());
    assertEquals("inner/Const", lifted[0].op().inputs().get(0).op().name());
    try (Scope s = g.asDefault()) {
      assertEquals("", Context.currentNameScope());
    }
  }

  // ---------------------------------------------------------------- errors

  @Test
  void aFunctionsTensorInsideIsAnErrorNamingItAndItsGraph() {
    Function f = Function.builder().name("tracer").build(x -> {
      Tensor y = x.mul(2f);
      try (Scope init = Scopes.initScope()) {
        y.add(1f); // y has no value out here
      }
      return y;
    });
    var e = assertThrows(FailedPreconditionException.class, () -> f.call(Tensor.of(1f)));
    assertTrue(e.getMessage().contains("'Mul:0'") && e.getMessage().contains("graph 'tracer'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("initScope"), e.getMessage());
    assertTrue(Context.executingEagerly());
    assertFalse(Recording.paused());
  }

  @Test
  void aFunctionsTensorInsideIsAnErrorInAnOuterGraphToo() {
    Function f = Function.builder().name("tracer2").build(x -> {
      Tensor y = x.mul(2f);
      try (Scope init = Scopes.initScope()) {
        y.add(1f);
      }
      return y;
    });
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      var e = assertThrows(FailedPreconditionException.class, () -> f.call(ph()));
      assertTrue(e.getMessage().contains("'Mul:0'") && e.getMessage().contains("'tracer2'")
          && e.getMessage().contains("'" + g.name() + "'"), e.getMessage());
      assertSame(g, Graph.current());
    }
  }

  // ---------------------------------------------------------------- balance

  @Test
  void everythingIsRestoredOnExceptions() {
    List<String> checks = new ArrayList<>();
    Function f = Function.of(x -> {
      Graph mine = Graph.current();
      Tensor a = x.neg();
      try (Scope c = Ops.controlDependencies(a); Scope n = Ops.nameScope("body")) {
        try {
          try (Scope init = Scopes.initScope()) {
            throw new IllegalStateException("inside");
          }
        } catch (IllegalStateException e) {
          checks.add(e.getMessage());
        }
        assertSame(mine, Graph.current());
        assertFalse(Context.executingEagerly());
        assertFalse(Recording.paused());
        assertEquals("body", Context.currentNameScope());
        Tensor b = x.abs();
        assertEquals(List.of(a.op()), b.op().controlInputs());
        checks.add(b.op().name());
        return b;
      }
    });
    int depth = ContextStack.snapshot().size();
    assertEquals(1f, f.call(Tensor.of(-1f)).getFloat(0));
    assertEquals(List.of("inside", "body/Abs"), checks);
    assertEquals(depth, ContextStack.snapshot().size());
    // eagerly too
    assertThrows(IllegalStateException.class, () -> {
      try (Scope init = Scopes.initScope()) {
        throw new IllegalStateException("eager");
      }
    });
    assertFalse(Recording.paused());
    assertEquals(depth, ContextStack.snapshot().size());
    // closing twice is harmless
    Scope twice = Scopes.initScope();
    twice.close();
    twice.close();
    assertFalse(Recording.paused());
  }

  // ---------------------------------------------------------------- issue 4's scenario

  /** Creates a variable (start value 3) inside initScope and returns v.assignAdd(1). */
  private static Supplier<Tensor> functionWithVariables() {
    return () -> {
      Variable v;
      try (Scope init = Scopes.initScope()) {
        v = Variable.of(Tensor.scalar(3f));
      }
      return v.assignAdd(Tensor.scalar(1f));
    };
  }

  @Test
  void aVariableMadeInInitScopeIsMadeOnceWhenTraced() {
    // TensorFlow's testEscapesDefunWhenInEagerMode
    Supplier<Tensor> body = functionWithVariables();
    // plain Java: each run makes a fresh variable
    assertEquals(4f, body.get().getFloat());
    assertEquals(4f, body.get().getFloat());
    // traced: the variable is made once, eagerly, during the trace
    Function compiled = Function.of(body);
    assertEquals(4f, compiled.call().getFloat());
    assertEquals(5f, compiled.call().getFloat());
    assertEquals(6f, compiled.call().getFloat());
    assertEquals(1, compiled.tracingCount());
    ConcreteFunction c = compiled.getConcreteFunction();
    assertTrue(c.isStateful());
    assertEquals(List.of(), c.capturedInputs(), "a variable is an attribute, not a capture");
  }

  @Test
  void nestedFunctionsWithInitScopeVariables() {
    // TensorFlow's testEscapesNestedDefun: 4 then 4 plainly, 4 then 7 traced
    Variable[] v = {null};
    Variable[] v0 = {null};
    Supplier<Tensor> innerBody = () -> {
      try (Scope init = Scopes.initScope()) {
        v[0] = Variable.of(Tensor.scalar(1f));
      }
      return v[0].assignAdd(Tensor.scalar(2f));
    };
    java.util.function.Function<Supplier<Tensor>, Tensor> outerBody = inner -> {
      try (Scope init = Scopes.initScope()) {
        v0[0] = Variable.of(Tensor.scalar(0f));
      }
      return v0[0].assignAdd(Tensor.scalar(1f)).add(inner.get());
    };
    assertEquals(4f, outerBody.apply(innerBody).getFloat());
    assertEquals(4f, outerBody.apply(innerBody).getFloat());
    Function compiledInner = Function.of(innerBody);
    Function compiledOuter = Function.of(() -> outerBody.apply(compiledInner::call));
    assertEquals(4f, compiledOuter.call().getFloat());
    assertEquals(7f, compiledOuter.call().getFloat());
  }

  @Test
  void aVariableMadeInInitScopeOnALaterTraceIsAnError() {
    Function f = Function.builder().name("grower").build(x -> {
      Variable v;
      try (Scope init = Scopes.initScope()) {
        v = Variable.of(Tensor.scalar(3f));
      }
      return v.assignAdd(x.reduceSum());
    });
    assertEquals(4f, f.call(Tensor.of(1f)).getFloat());
    var e = assertThrows(FailedPreconditionException.class, () -> f.call(Tensor.of(1f, 1f)));
    assertTrue(e.getMessage().contains("grower")
        && e.getMessage().contains("only supports singleton Variables created on the first call"),
        e.getMessage());
    assertTrue(Context.executingEagerly());
    assertFalse(Recording.paused());
    assertEquals(5f, f.call(Tensor.of(1f)).getFloat());
  }

  @Test
  void aVariableMadeInInitScopeInsideAPlainGraphLivesThere() {
    // TensorFlow's testEscapesDefunWhenInGraphMode: the lifted code runs once, in the graph
    AtomicInteger made = new AtomicInteger();
    Variable[] v = {null};
    Function f = Function.of(x -> {
      try (Scope init = Scopes.initScope()) {
        made.incrementAndGet();
        v[0] = Variable.of(Ops.constant(Tensor.of(3f)).mul(2f)); // a graph value: initializer
      }
      return v[0].assignAdd(x);
    });
    Graph g = new Graph();
    Tensor y1;
    Tensor y2;
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 1);
      y1 = f.call(x);
      y2 = f.call(x);
    }
    assertEquals(1, made.get());
    assertSame(g, v[0].initializer().graph());
    try (Session sess = new Session(g)) {
      sess.run(List.of(v[0].initializer()), Map.of());
      Tensor x = g.operation("Placeholder").output(0);
      assertEquals(7f, sess.run(y1, Map.of(x, Tensor.of(1f))).getFloat(0));
      assertEquals(8f, sess.run(y2, Map.of(x, Tensor.of(1f))).getFloat(0));
    }
  }
}
