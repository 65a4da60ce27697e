package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.ContextStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Function.of (tf.function): tracing per signature, captures, nesting, calls, errors. */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class FunctionTest {
  private static List<String> types(Graph g) {
    return g.operations().stream().map(Operation::type).toList();
  }

  @Test
  void tracesOncePerSignature() {
    AtomicInteger javaRuns = new AtomicInteger();
    Function f = Function.of(x -> {
      javaRuns.incrementAndGet();
      return x.mul(x);
    });
    assertEquals(0, f.tracingCount());
    assertArrayEquals(new float[] {1, 4}, f.call(Tensor.of(1f, 2f)).toFloatArray());
    assertArrayEquals(new float[] {9, 16}, f.call(Tensor.of(3f, 4f)).toFloatArray());
    assertEquals(1, f.tracingCount());
    assertEquals(1, javaRuns.get(), "the Java code runs when tracing only");
    assertSame(f.getConcreteFunction(Tensor.of(0f, 0f)), f.getConcreteFunction(Tensor.of(5f, 6f)));
    assertEquals(1, f.tracingCount());
  }

  @Test
  void retracesForANewDTypeOrShape() {
    AtomicInteger javaRuns = new AtomicInteger();
    Function f = Function.of(x -> {
      javaRuns.incrementAndGet();
      return x.add(x);
    });
    f.call(Tensor.of(1f, 2f));
    f.call(Tensor.of(1.0, 2.0)); // float64
    assertEquals(2, f.tracingCount());
    f.call(Tensor.of(1f, 2f, 3f)); // another shape
    assertEquals(3, f.tracingCount());
    assertArrayEquals(new int[] {2}, f.call(Tensor.of(1)).toIntArray());
    assertEquals(4, f.tracingCount());
    f.call(Tensor.of(1f, 2f));
    f.call(Tensor.of(7.0, 8.0));
    assertArrayEquals(new double[] {14, 16}, f.call(Tensor.of(7.0, 8.0)).toDoubleArray());
    assertEquals(4, f.tracingCount());
    assertEquals(4, javaRuns.get());
    ConcreteFunction c = f.getConcreteFunction(Tensor.of(1f, 2f, 3f));
    assertEquals(Shape.of(3), c.inputs().get(0).shape());
    assertEquals(DType.FLOAT32, c.outputs().get(0).dtype());
  }

  @Test
  void relaxedShapesTraceOncePerRank() {
    Function f = Function.builder().relaxShapes(true).build(x -> x.mul(2f).reduceSum());
    assertEquals(6f, f.call(Tensor.of(1f, 2f)).getFloat());
    assertEquals(12f, f.call(Tensor.of(1f, 2f, 3f)).getFloat());
    assertEquals(0f, f.call(Tensor.of(new float[0], 0)).getFloat());
    assertEquals(1, f.tracingCount());
    assertEquals(20f, f.call(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)).getFloat());
    assertEquals(2, f.tracingCount(), "a new rank traces again");
    assertEquals(8f, f.call(Tensor.of(new float[] {4}, 1, 1)).getFloat());
    assertEquals(2, f.tracingCount());
    f.call(Tensor.of(1.0));
    assertEquals(3, f.tracingCount(), "a new dtype traces again");
    // a relaxed trace keeps a rank-1 signature: a call of another shape of that rank works
    ConcreteFunction c = f.getConcreteFunction(Tensor.of(9f, 9f, 9f, 9f, 9f));
    assertEquals(4f, c.call(Tensor.of(1f, 1f)).get(0).getFloat());
    var e = assertThrows(InvalidArgumentException.class, () -> c.call(Tensor.of(1f).reshape()));
    assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
  }

  @Test
  void functionsCalledInARelaxedTraceAreRelaxedToo() {
    // TensorFlow traces a reduce_retracing function with unknown dimensions, so the functions
    // it calls see them too; isthmus traces them per rank inside a relaxed trace
    Function inner = Function.of(x -> x.neg());
    Function outer = Function.builder().relaxShapes(true).build(x -> inner.call(x).mul(2f));
    assertArrayEquals(new float[] {-2, -4}, outer.call(Tensor.of(1f, 2f)).toFloatArray());
    assertArrayEquals(new float[] {-2, -4, -6}, outer.call(Tensor.of(1f, 2f, 3f)).toFloatArray());
    assertEquals(1, outer.tracingCount());
    assertEquals(1, inner.tracingCount());
    // called on its own, inner keeps exact shapes
    inner.call(Tensor.of(1f));
    inner.call(Tensor.of(1f, 2f));
    assertEquals(3, inner.tracingCount());
  }

  @Test
  void withoutRelaxingAConcreteFunctionOnlyTakesItsShape() {
    Function f = Function.of(x -> x.neg());
    ConcreteFunction c = f.getConcreteFunction(Tensor.of(1f, 2f));
    var e = assertThrows(InvalidArgumentException.class, () -> c.call(Tensor.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().contains("float32[2]") && e.getMessage().contains("float32[3]"),
        e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> c.call(Tensor.of(1, 2)));
    assertTrue(e.getMessage().contains("int32[2]"), e.getMessage());
  }

  @Test
  void eagerTensorsAreCapturedByTheirValueAtTraceTime() {
    Tensor[] box = {Tensor.of(1f, 2f).add(Tensor.of(0f))}; // an eager op's result
    Function f = Function.of(x -> x.add(box[0]));
    assertArrayEquals(new float[] {11, 12}, f.call(Tensor.of(10f, 10f)).toFloatArray());
    ConcreteFunction c = f.getConcreteFunction(Tensor.of(0f, 0f));
    assertEquals(1, c.capturedInputs().size());
    assertSame(box[0], c.capturedInputs().get(0));
    Operation captured = c.graph().operations().stream()
        .filter(o -> Boolean.TRUE.equals(o.attr("_captured"))).findFirst().orElseThrow();
    assertEquals("Placeholder", captured.type());
    // the Java variable now points elsewhere; the trace keeps the value it captured
    box[0] = Tensor.of(100f, 100f).add(Tensor.of(0f));
    assertArrayEquals(new float[] {11, 12}, f.call(Tensor.of(10f, 10f)).toFloatArray());
    assertEquals(1, f.tracingCount());
  }

  @Test
  void literalsBecomeConstantsNotCaptures() {
    Tensor lit = Tensor.of(5f, 6f);
    Function f = Function.of(x -> x.add(lit).mul(2f));
    assertArrayEquals(new float[] {12, 14}, f.call(Tensor.of(1f, 1f)).toFloatArray());
    ConcreteFunction c = f.getConcreteFunction(Tensor.of(1f, 1f));
    assertEquals(List.of(), c.capturedInputs());
    assertEquals(List.of("Placeholder", "Const", "AddV2", "Const", "Mul"), types(c.graph()));
    assertSame(lit, c.graph().operation("Const").attr("value"));
  }

  @Test
  void getConcreteFunctionExposesTheTracedGraph() {
    Function f = Function.builder().name("affine").build((x, w) -> x.matmul(w).add(1f).relu());
    ConcreteFunction c = f.getConcreteFunction(Tensor.of(new float[6], 2, 3),
        Tensor.of(new float[12], 3, 4));
    assertEquals("affine", f.name());
    assertEquals("affine", c.name());
    Graph g = c.graph();
    assertTrue(g.isBuildingFunction());
    assertEquals("affine", g.name());
    assertEquals(List.of("Placeholder", "Placeholder", "MatMul", "Const", "AddV2", "Relu"),
        types(g));
    assertEquals(List.of("arg0", "arg1"), c.inputs().stream().map(t -> t.op().name()).toList());
    assertEquals(Shape.of(2, 4), c.outputs().get(0).shape());
    assertSame(g.operation("Relu").output(0), c.outputs().get(0));
    assertEquals(List.of("MatMul", "Const"), g.operation("AddV2").nodeDef().inputs());
    assertFalse(c.isStateful());
    assertEquals("affine(float32[2, 3], float32[3, 4])", c.toString());
    assertEquals(1, f.tracingCount(), "getConcreteFunction traces once");
    // symbolic tensors can describe the signature too
    Graph other = new Graph();
    Tensor spec;
    try (Scope s = other.asDefault()) {
      spec = Ops.placeholder(DType.FLOAT32, 2, 3);
    }
    assertSame(c, f.getConcreteFunction(spec, Tensor.of(new float[12], 3, 4)));
  }

  @Test
  void callAllReturnsEveryOutput() {
    Function f = Function.ofList(args -> List.of(args.get(0).add(args.get(1)),
        args.get(0).sub(args.get(1)), args.get(0)));
    List<Tensor> r = f.callAll(Tensor.of(5f), Tensor.of(3f));
    assertEquals(3, r.size());
    assertArrayEquals(new float[] {8}, r.get(0).toFloatArray());
    assertArrayEquals(new float[] {2}, r.get(1).toFloatArray());
    assertArrayEquals(new float[] {5}, r.get(2).toFloatArray());
    for (Tensor t : r) {
      assertFalse(t.isSymbolic());
    }
    var e = assertThrows(InvalidArgumentException.class,
        () -> f.call(Tensor.of(5f), Tensor.of(3f)));
    assertTrue(e.getMessage().contains("returns 3 tensors; use callAll"), e.getMessage());
    assertEquals(List.of(), Function.ofList(args -> List.of()).callAll());
  }

  @Test
  void callRefusesManyResultsBeforeRunningAnything() {
    Variable v = Variable.of(Tensor.scalar(0f));
    Function f = Function.ofList(args -> List.of(v.assignAdd(Tensor.scalar(1f)), v.read()));
    assertThrows(InvalidArgumentException.class, () -> f.call());
    assertEquals(0f, v.read().getFloat(), "the refused call ran the function");
    assertEquals(1f, f.callAll().get(0).getFloat());
  }

  @Test
  void arityErrorsNameTheFunction() {
    Function one = Function.builder().name("one").build(x -> x);
    var e = assertThrows(InvalidArgumentException.class, () -> one.call());
    assertTrue(e.getMessage().contains("one") && e.getMessage().contains("expected 1 arguments, got 0"),
        e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> one.call(Tensor.of(1f), Tensor.of(1f)));
    e = assertThrows(InvalidArgumentException.class, () -> one.call((Tensor) null));
    assertTrue(e.getMessage().contains("argument #0 is null"), e.getMessage());
    Function zero = Function.of(() -> Tensor.of(1f));
    assertThrows(InvalidArgumentException.class, () -> zero.call(Tensor.of(1f)));
    Function any = Function.ofList(args -> List.of(args.get(0)));
    ConcreteFunction c = any.getConcreteFunction(Tensor.of(1f));
    e = assertThrows(InvalidArgumentException.class, () -> c.call());
    assertTrue(e.getMessage().contains("takes 1 arguments"), e.getMessage());
    assertEquals(0, one.tracingCount());
  }

  @Test
  void resultsMustBeTensors() {
    Function f = Function.ofList(args -> null);
    var e = assertThrows(InvalidArgumentException.class, () -> f.callAll());
    assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    Function g = Function.of(x -> null);
    e = assertThrows(InvalidArgumentException.class, () -> g.call(Tensor.of(1f)));
    assertTrue(e.getMessage().contains("result #0 is null"), e.getMessage());
    assertEquals(0, g.tracingCount());
  }

  @Test
  void returningAnArgumentACaptureOrALiteralWorks() {
    Tensor eager = Tensor.of(3f).neg();
    Function f = Function.ofList(args -> List.of(args.get(0), eager, Tensor.of(7f)));
    List<Tensor> r = f.callAll(Tensor.of(1f));
    assertArrayEquals(new float[] {1}, r.get(0).toFloatArray());
    assertArrayEquals(new float[] {-3}, r.get(1).toFloatArray());
    assertArrayEquals(new float[] {7}, r.get(2).toFloatArray());
  }

  @Test
  void aNestedFunctionIsOneCallNode() {
    Function inner = Function.builder().name("inner").build(x -> x.mul(x).add(1f));
    Function outer = Function.builder().name("outer").build(x -> inner.call(x).neg());
    assertArrayEquals(new float[] {-2, -5}, outer.call(Tensor.of(1f, 2f)).toFloatArray());
    ConcreteFunction co = outer.getConcreteFunction(Tensor.of(1f, 2f));
    assertEquals(List.of("Placeholder", "PartitionedCall", "Neg"), types(co.graph()));
    Operation call = co.graph().operation("PartitionedCall");
    ConcreteFunction ci = (ConcreteFunction) call.attr("f");
    assertEquals("inner", ci.name());
    assertEquals(List.of("Placeholder", "Mul", "Const", "AddV2"), types(ci.graph()));
    assertEquals(List.of("arg0"), call.nodeDef().inputs());
    assertEquals(1, inner.tracingCount());
    // the same inner function called eagerly traces again: its trace inside outer's graph is
    // that graph's (TensorFlow keys traces by the graph they are made in too)
    assertArrayEquals(new float[] {5}, inner.call(Tensor.of(2f)).toFloatArray());
    assertEquals(2, inner.tracingCount());
    assertNotSame(ci, inner.getConcreteFunction(Tensor.of(1f, 2f)));
  }

  @Test
  void aNestedFunctionsCapturesAreCapturedByTheOuterOne() {
    Tensor bias = Tensor.of(10f).neg(); // eager result: captured
    Function inner = Function.of(x -> x.add(bias));
    Function outer = Function.of(x -> inner.call(x.mul(2f)));
    assertArrayEquals(new float[] {-8}, outer.call(Tensor.of(1f)).toFloatArray());
    ConcreteFunction co = outer.getConcreteFunction(Tensor.of(1f));
    assertEquals(List.of(bias), co.capturedInputs());
    Operation call = co.graph().operation("PartitionedCall");
    assertEquals(2, call.inputs().size(), "the argument and inner's captured value");
    // and a nested function capturing the outer function's own tensor
    Function outer2 = Function.of(x -> {
      Tensor y = x.mul(3f);
      return Function.of(() -> y.add(1f)).call();
    });
    assertArrayEquals(new float[] {7}, outer2.call(Tensor.of(2f)).toFloatArray());
    assertArrayEquals(new float[] {10}, outer2.call(Tensor.of(3f)).toFloatArray());
  }

  @Test
  void aFunctionCalledWhileBuildingAPlainGraphIsOneNode() {
    Function f = Function.of(x -> x.exp().log());
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT32, 2);
      y = f.call(x);
    }
    assertTrue(y.isSymbolic());
    assertEquals(List.of("Placeholder", "PartitionedCall"), types(g));
    ConcreteFunction c = (ConcreteFunction) y.op().attr("f");
    assertSame(g, c.graph().outer());
    try (Session sess = new Session(g)) {
      float[] v = sess.run(y, Map.of(x, Tensor.of(1f, 2f))).toFloatArray();
      assertEquals(1f, v[0], 1e-6f);
      assertEquals(2f, v[1], 1e-6f);
    }
  }

  @Test
  void statefulFunctionsUseTheStatefulCallOp() {
    Variable v = Variable.of(Tensor.scalar(1f));
    Function f = Function.of(x -> x.add(v.read()));
    ConcreteFunction c = f.getConcreteFunction(Tensor.scalar(0f));
    assertTrue(c.isStateful());
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor y = f.call(Ops.placeholder(DType.FLOAT32));
      assertEquals("StatefulPartitionedCall", y.op().type());
    }
  }

  @Test
  void bodyExceptionsLeaveNoBrokenState() {
    boolean[] fail = {true};
    Variable v = Variable.of(Tensor.scalar(0f));
    Function f = Function.of(x -> {
      try (Scope n = Ops.nameScope("inside");
          Scope c = Ops.controlDependencies(v.assignAdd(Tensor.scalar(1f)))) {
        Tensor y = x.mul(2f);
        if (fail[0]) {
          throw new IllegalStateException("body failed");
        }
        return y;
      }
    });
    int depth = ContextStack.snapshot().size();
    var e = assertThrows(IllegalStateException.class, () -> f.call(Tensor.of(1f)));
    assertEquals("body failed", e.getMessage());
    assertEquals(0, f.tracingCount());
    assertEquals(depth, ContextStack.snapshot().size());
    assertTrue(Context.executingEagerly());
    assertNull(Graph.current());
    assertEquals("", Context.currentNameScope());
    assertNull(Function.currentTrace());
    assertEquals(0f, v.read().getFloat(), "a failed trace ran nothing");
    fail[0] = false;
    assertArrayEquals(new float[] {4}, f.call(Tensor.of(2f)).toFloatArray());
    assertEquals(1, f.tracingCount());
    assertEquals(1f, v.read().getFloat());
    // an op error inside the body (a shape error) has its own type and message
    Function bad = Function.of(x -> x.add(Tensor.of(1f, 2f, 3f)));
    var e2 = assertThrows(InvalidArgumentException.class, () -> bad.call(Tensor.of(1f, 2f)));
    assertTrue(e2.getMessage().startsWith("AddV2: "), e2.getMessage());
    assertNull(Graph.current());
  }

  @Test
  void aNestedTraceFailingLeavesTheOuterTraceIntact() {
    Function inner = Function.of(x -> {
      throw new UnsupportedOperationException("inner");
    });
    Function outer = Function.of(x -> {
      Graph mine = Graph.current();
      try {
        inner.call(x);
      } catch (UnsupportedOperationException e) {
        assertSame(mine, Graph.current());
      }
      return x.neg();
    });
    assertArrayEquals(new float[] {-1}, outer.call(Tensor.of(1f)).toFloatArray());
  }

  @Test
  void aRunTimeErrorInTheGraphNamesTheNodeAndKeepsItsType() {
    Function f = Function.builder().name("gatherer").build(x -> x.gather(Tensor.of(4)));
    var e = assertThrows(InvalidArgumentException.class, () -> f.call(Tensor.of(1f, 2f)));
    assertTrue(e.getMessage().contains("[[node GatherV2 (GatherV2) in graph 'gatherer']]"),
        e.getMessage());
    assertArrayEquals(new float[] {5}, f.call(Tensor.of(1f, 2f, 3f, 4f, 5f)).toFloatArray());
  }

  @Test
  void concurrentCallsFromFourThreads() throws Exception {
    AtomicInteger javaRuns = new AtomicInteger();
    Function f = Function.of((x, y) -> {
      javaRuns.incrementAndGet();
      return x.mul(y).add(x);
    });
    int threads = 4;
    int calls = 200;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < calls; i++) {
            int n = 1 + (i + id) % 3; // three shapes: three traces in all
            float[] a = new float[n];
            float[] b = new float[n];
            java.util.Arrays.fill(a, id + 1);
            java.util.Arrays.fill(b, i);
            float[] r = f.call(Tensor.of(a), Tensor.of(b)).toFloatArray();
            for (float v : r) {
              if (v != (id + 1) * (float) i + id + 1) {
                throw new AssertionError("thread " + id + " call " + i + " got " + v);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> fu : fs) {
        fu.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, f.tracingCount());
    assertEquals(3, javaRuns.get());
  }

  @Test
  void concurrentCallsUpdateAVariableAtomically() throws Exception {
    Variable v = Variable.of(Tensor.scalar(0L));
    Function inc = Function.of(() -> v.assignAdd(Tensor.scalar(1L)));
    int threads = 4;
    int calls = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < calls; i++) {
            inc.call();
          }
        }));
      }
      for (Future<?> fu : fs) {
        fu.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals((long) threads * calls, v.read().getLong());
    assertEquals(1, inc.tracingCount());
  }

  @Test
  void namesAreCheckedAndDefaulted() {
    assertThrows(InvalidArgumentException.class, () -> Function.builder().name("bad name"));
    assertTrue(Function.of(x -> x).name().startsWith("function_"));
    assertFalse(Function.of(x -> x).jitCompile());
    assertTrue(Function.of(x -> x).toString().contains("0 traces"));
  }
}
