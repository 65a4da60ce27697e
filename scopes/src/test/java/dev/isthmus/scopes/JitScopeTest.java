package dev.isthmus.scopes;

import static dev.isthmus.scopes.JitTestOps.attr;
import static dev.isthmus.scopes.JitTestOps.attrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.FailedPreconditionException;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.InternalException;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.NodeDef;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** jitScope rules 1 to 4 of docs/SCOPES.md, and the attribute half of the reference examples. */
class JitScopeTest {
  static final String EAGER = "jitScope is not supported when eager execution is enabled. Use "
      + "it while building a graph or inside a Function.";

  private static Tensor input(long... shape) {
    return Ops.placeholder(DType.FLOAT32, shape);
  }

  // ---- rule 1

  @Test
  void openingItEagerlyThrowsTheExactMessage() {
    assertTrue(Context.executingEagerly());
    List<java.util.function.Supplier<Scope>> all = List.of(Scopes::jitScope,
        () -> Scopes.jitScope(false), () -> Scopes.jitScope(n -> true),
        () -> Scopes.jitScope(true, true), () -> Scopes.jitScope(n -> false, true));
    for (var open : all) {
      var e = assertThrows(FailedPreconditionException.class, open::get);
      assertEquals(EAGER, e.getMessage());
    }
  }

  @Test
  void itWorksInsideAFunctionTracedFromEagerCode() {
    AtomicReference<Operation> made = new AtomicReference<>();
    Function f = Function.of(x -> {
      try (Scope jit = Scopes.jitScope()) {
        Tensor y = x.mul(3f);
        made.set(y.op());
        return y;
      }
    });
    assertEquals(6f, f.call(Tensor.scalar(2f)).item(), 0f);
    assertEquals(true, made.get().attr("_XlaCompile"));
    assertEquals("jit_scope_0", made.get().attr("_XlaScope"));
  }

  @Test
  void eagerErrorAlsoInsideAnInitScopeOfAFunction() {
    Function f = Function.of(x -> {
      try (Scope init = Scopes.initScope()) {
        var e = assertThrows(FailedPreconditionException.class, Scopes::jitScope);
        assertEquals(EAGER, e.getMessage());
      }
      return x;
    });
    f.call(Tensor.scalar(1f));
  }

  @Test
  void aNullPredicateIsAnError() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      assertThrows(InvalidArgumentException.class, () -> Scopes.jitScope((Predicate<NodeDef>) null));
    }
  }

  // ---- rule 3: the attributes, the counter, nesting

  @Test
  void everyOpInsideGetsTheThreeAttributes() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = input(2);
      Tensor b;
      try (Scope jit = Scopes.jitScope()) {
        b = a.mul(2f).exp(); // the literal 2 becomes a Const node inside the scope too
      }
      Tensor c = b.add(1f);
      for (Operation o : g.operations()) {
        NodeDef d = o.nodeDef();
        boolean inside = !o.name().startsWith("Placeholder") && !o.name().startsWith("AddV2")
            && !o.name().equals("Const_1");
        if (inside) {
          assertEquals(true, d.attr("_XlaCompile"), o.name());
          assertEquals(false, d.attr("_XlaSeparateCompiledGradients"), o.name());
          assertEquals("jit_scope_0", d.attr("_XlaScope"), o.name());
        } else {
          assertNull(d.attr("_XlaCompile"), o.name());
          assertNull(d.attr("_XlaScope"), o.name());
          assertNull(d.attr("_XlaSeparateCompiledGradients"), o.name());
        }
      }
      assertNull(attr(c, "_XlaCompile"));
      assertEquals(List.of("Placeholder", "Const", "Mul", "Exp", "Const_1", "AddV2"),
          g.operations().stream().map(Operation::name).toList());
    }
  }

  @Test
  void theCounterIsPerGraphStartsAtZeroAndIsNeverReset() {
    Graph g = new Graph();
    Graph h = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = input(2);
      List<Object> scopes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        try (Scope jit = Scopes.jitScope(i % 2 == 0)) {
          scopes.add(attr(a.neg(), "_XlaScope"));
          try (Scope inner = Scopes.jitScope()) { // nested: takes no number
            scopes.add(attr(a.abs(), "_XlaScope"));
          }
        }
        try (Scope other = h.asDefault(); Scope jit = Scopes.jitScope()) {
          scopes.add(attr(input(1).neg(), "_XlaScope"));
        }
      }
      assertEquals(List.of("jit_scope_0", "jit_scope_0", "jit_scope_0",
          "jit_scope_1", "jit_scope_1", "jit_scope_1",
          "jit_scope_2", "jit_scope_2", "jit_scope_2"), scopes);
      try (Scope jit = Scopes.jitScope()) {
        assertEquals("jit_scope_3", attr(a.neg(), "_XlaScope"));
      }
    }
  }

  @Test
  void nestedScopesOverrideCompileAndSeparateButInheritTheOuterScope() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = input(2);
      try (Scope outer = Scopes.jitScope(true, true)) {
        Tensor x = a.neg();
        Tensor y;
        Tensor z;
        try (Scope inner = Scopes.jitScope(false, false)) {
          y = a.abs();
          try (Scope innermost = Scopes.jitScope(n -> true)) {
            z = a.exp();
          }
        }
        Tensor w = a.sqrt(); // back in the outer scope
        assertEquals(List.of(true, true, "jit_scope_0"), triple(x));
        assertEquals(List.of(false, false, "jit_scope_0"), triple(y));
        assertEquals(List.of(true, false, "jit_scope_0"), triple(z));
        assertEquals(List.of(true, true, "jit_scope_0"), triple(w));
      }
    }
  }

  private static List<Object> triple(Tensor t) {
    return List.of(attr(t, "_XlaCompile"), attr(t, "_XlaSeparateCompiledGradients"),
        attr(t, "_XlaScope"));
  }

  // ---- rule 2: the predicate

  @Test
  void thePredicateIsAskedOncePerOpAtCreationOnItsNodeDef() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = input(2, 2);
      List<NodeDef> seen = new ArrayList<>();
      Tensor e;
      try (Scope jit = Scopes.jitScope(n -> {
        seen.add(n);
        return n.op().toLowerCase().contains("matmul");
      })) {
        e = Ops.matmul(a, a).add(a);
        assertEquals(2, seen.size()); // asked as each op was created, not later
      }
      Tensor mm = e.op().inputs().get(0);
      assertEquals(List.of("MatMul", "AddV2"), seen.stream().map(NodeDef::name).toList());
      assertEquals(List.of("Placeholder", "Placeholder"), seen.get(0).inputs());
      assertEquals(List.of("MatMul", "Placeholder"), seen.get(1).inputs());
      // the NodeDef the predicate sees has the op's own attributes and no jit ones yet
      assertEquals(false, seen.get(0).attr("transpose_a"));
      assertNull(seen.get(0).attr("_XlaScope"));
      assertNull(seen.get(0).attr("_XlaCompile"));
      assertEquals(true, attr(mm, "_XlaCompile"));
      assertEquals(false, attr(e, "_XlaCompile"));
      // running the graph asks nothing again
      try (var sess = new dev.isthmus.Session(g)) {
        sess.run(e, java.util.Map.of(a, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));
      }
      assertEquals(2, seen.size());
    }
  }

  @Test
  void thePredicateIsNotAskedForAnOpThatAlreadyHasXlaCompile() {
    // a jit-compiled function's call node already carries _XlaCompile = true when it is created
    Function f = Function.builder().name("marked").jitCompile(true).build(x -> x.mul(2f));
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor a = input(2);
      List<String> asked = new ArrayList<>();
      Tensor y;
      try (Scope jit = Scopes.jitScope(n -> {
        asked.add(n.op());
        return false;
      })) {
        y = f.call(a);
        a.neg();
      }
      assertEquals(List.of("Neg"), asked);
      assertEquals(true, attr(y, "_XlaCompile")); // and it is not overwritten with false
      assertEquals("jit_scope_0", attr(y, "_XlaScope"));
      assertEquals(false, attr(y, "_XlaSeparateCompiledGradients"));
    }
  }

  // ---- per thread, per graph; closing

  @Test
  void scopesArePerThreadAndPerGraph() throws Exception {
    Graph g = new Graph();
    Graph h = new Graph();
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch built = new CountDownLatch(1);
    AtomicReference<Tensor> other = new AtomicReference<>();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        open.await();
        try (Scope s = g.asDefault()) {
          other.set(input(2).neg()); // same graph, another thread: not in the scope
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        built.countDown();
      }
    });
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      Tensor mine = input(2).neg();
      Tensor elsewhere;
      try (Scope hs = h.asDefault()) {
        elsewhere = input(2).neg(); // another graph made default inside: not in the scope
      }
      open.countDown();
      built.await();
      assertEquals(true, attr(mine, "_XlaCompile"));
      assertNull(attr(elsewhere, "_XlaCompile"));
      assertNull(attr(other.get(), "_XlaCompile"));
      assertFalse(attrs(other.get()).containsKey("_XlaScope"));
    }
    t.join();
  }

  @Test
  void closingTwiceIsHarmlessAndOutOfOrderIsAnError() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Scope outer = Scopes.jitScope();
      Scope inner = Scopes.jitScope(false);
      assertThrows(InternalException.class, outer::close);
      inner.close();
      inner.close();
      outer.close();
      outer.close();
      assertNull(attr(input(1).neg(), "_XlaCompile"));
    }
  }

  @Test
  void scopesCloseOnExceptions() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      assertThrows(IllegalStateException.class, () -> {
        try (Scope jit = Scopes.jitScope()) {
          throw new IllegalStateException("body");
        }
      });
      assertNull(attr(input(1).neg(), "_XlaCompile"));
    }
  }

  @Test
  void graphModeUsesTheGlobalDefaultGraph() {
    Context.disableEagerExecution();
    try {
      Tensor y;
      try (Scope jit = Scopes.jitScope()) {
        y = input(2).neg();
      }
      assertEquals(Graph.globalDefault(), y.op().graph());
      assertEquals(true, attr(y, "_XlaCompile"));
      assertTrue(((String) attr(y, "_XlaScope")).startsWith("jit_scope_"));
    } finally {
      Context.enableEagerExecution();
    }
  }
}
