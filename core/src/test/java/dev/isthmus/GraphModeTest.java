package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TF1-style graph mode: Context.disableEagerExecution() sends ops to the lazily made global
 * default graph. Graph mode is process-wide: every test turns eager execution back on.
 */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class GraphModeTest {
  @AfterEach
  void eagerAgain() {
    Context.enableEagerExecution();
  }

  @Test
  void opsGoToTheGlobalDefaultGraph() {
    assertTrue(Context.executingEagerly());
    assertNull(Graph.current());
    Context.disableEagerExecution();
    try {
      assertFalse(Context.executingEagerly());
      Graph global = Graph.globalDefault();
      assertSame(global, Graph.current());
      assertSame(global, Graph.globalDefault(), "made once, then kept");
      assertFalse(global.isBuildingFunction());
      int before = global.operations().size();
      Tensor x = Ops.placeholder(DType.FLOAT32, 2);
      Tensor y = x.mul(3f);
      assertTrue(y.isSymbolic());
      assertSame(global, y.op().graph());
      assertEquals(before + 3, global.operations().size()); // Placeholder, Const (3f), Mul
      try (Session sess = new Session()) {
        assertSame(global, sess.graph());
        assertArrayEquals(new float[] {3, 6},
            sess.run(y, Map.of(x, Tensor.of(1f, 2f))).toFloatArray());
      }
    } finally {
      Context.enableEagerExecution();
    }
    assertTrue(Context.executingEagerly());
    assertNull(Graph.current());
    assertArrayEquals(new float[] {3}, Tensor.of(1f).mul(3f).toFloatArray());
  }

  @Test
  void aPushedGraphWinsOverTheGlobalOne() {
    Context.disableEagerExecution();
    try {
      Graph g = new Graph();
      try (Scope s = g.asDefault()) {
        assertSame(g, Graph.current());
        assertSame(g, Ops.placeholder(DType.INT32).op().graph());
      }
      assertSame(Graph.globalDefault(), Graph.current());
    } finally {
      Context.enableEagerExecution();
    }
  }

  @Test
  void eagerContextsPushedInsideGraphModeExecute() {
    // a Session runs its plan eagerly even in graph mode; so does a traced function's call
    Context.disableEagerExecution();
    try {
      Graph global = Graph.globalDefault();
      Tensor c = Ops.constant(Tensor.of(2f)).mul(5f);
      int size = global.operations().size();
      try (Session sess = new Session()) {
        assertEquals(10f, sess.run(c).getFloat(0));
      }
      assertEquals(size, global.operations().size(), "running added nothing");
      assertFalse(Context.executingEagerly());
    } finally {
      Context.enableEagerExecution();
    }
  }

  @Test
  void graphModeIsProcessWide() throws Exception {
    Context.disableEagerExecution();
    try {
      Boolean eager = CompletableFuture.supplyAsync(Context::executingEagerly)
          .get(10, TimeUnit.SECONDS);
      assertFalse(eager);
    } finally {
      Context.enableEagerExecution();
    }
    assertTrue(CompletableFuture.supplyAsync(Context::executingEagerly).get(10, TimeUnit.SECONDS));
  }

  @Test
  void aFunctionCalledInGraphModeIsOneNodeOfTheGlobalGraph() {
    Function f = Function.of(x -> x.mul(x).add(1f));
    Context.disableEagerExecution();
    try {
      Graph global = Graph.globalDefault();
      Tensor x = Ops.placeholder(DType.FLOAT32, 3);
      int size = global.operations().size();
      Tensor y = f.call(x);
      assertTrue(y.isSymbolic());
      assertEquals(size + 1, global.operations().size());
      assertEquals("PartitionedCall", y.op().type());
      ConcreteFunction cf = f.getConcreteFunction(x);
      assertSame(cf, y.op().attr("f"));
      try (Session sess = new Session()) {
        assertArrayEquals(new float[] {2, 5, 10},
            sess.run(y, Map.of(x, Tensor.of(1f, 2f, 3f))).toFloatArray());
      }
    } finally {
      Context.enableEagerExecution();
    }
    // eagerly the same function traces again (it was traced inside the global graph)
    assertArrayEquals(new float[] {2}, f.call(Tensor.of(1f)).toFloatArray());
    assertEquals(2, f.tracingCount());
  }

  @Test
  void variablesInGraphModeAreReadThroughTheGraph() {
    Context.disableEagerExecution();
    try {
      Variable v = Variable.of(Tensor.scalar(1f));
      Tensor r = v.read();
      Tensor upd = v.assignAdd(Tensor.scalar(2f));
      assertTrue(r.isSymbolic());
      try (Session sess = new Session()) {
        assertEquals(1f, sess.run(r).getFloat());
        sess.run(List.of(upd.op()), Map.of());
        assertEquals(3f, sess.run(r).getFloat());
      }
    } finally {
      Context.enableEagerExecution();
    }
  }

  @Test
  void graphModeWorksAsTheFirstThingAProgramDoes() throws Exception {
    // in a fresh JVM, before any Graph class is loaded (here every class already is)
    String exe = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(exe, "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), FreshJvm.class.getName())
        .redirectErrorStream(true).start();
    String out;
    try (var in = p.getInputStream()) {
      out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("ok [3.0, 6.0]"), out);
  }

  /** The program {@link #graphModeWorksAsTheFirstThingAProgramDoes} runs. */
  static final class FreshJvm {
    public static void main(String[] args) {
      Context.disableEagerExecution();
      Tensor x = Ops.placeholder(DType.FLOAT32, 2);
      Tensor y = x.mul(3f);
      try (Session sess = new Session()) {
        Tensor v = sess.run(y, Map.of(x, Tensor.of(1f, 2f)));
        System.out.println("ok " + java.util.Arrays.toString(v.toFloatArray()));
      }
    }
  }

  @Test
  void placeholdersNeedAGraph() {
    var e = assertThrows(FailedPreconditionException.class,
        () -> Ops.placeholder(DType.FLOAT32, 2));
    assertTrue(e.getMessage().contains("eager"), e.getMessage());
    Context.disableEagerExecution();
    try {
      assertEquals("Placeholder", Ops.placeholder(DType.FLOAT32, 2).op().type());
    } finally {
      Context.enableEagerExecution();
    }
  }
}
