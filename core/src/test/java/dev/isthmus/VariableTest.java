package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Variables: resource semantics eagerly, in functions (lifting) and in plain graphs. */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class VariableTest {
  private static Tensor one() {
    return Tensor.scalar(1f);
  }

  @Test
  void readAssignAddSubEagerly() {
    Variable v = Variable.of(Tensor.of(1f, 2f));
    assertArrayEquals(new float[] {1, 2}, v.read().toFloatArray());
    assertArrayEquals(new float[] {5, 6}, v.assign(Tensor.of(5f, 6f)).toFloatArray());
    assertArrayEquals(new float[] {5, 6}, v.read().toFloatArray());
    assertArrayEquals(new float[] {6, 8}, v.assignAdd(Tensor.of(1f, 2f)).toFloatArray());
    assertArrayEquals(new float[] {3, 4}, v.assignSub(Tensor.of(3f, 4f)).toFloatArray());
    assertArrayEquals(new float[] {3, 4}, v.read().toFloatArray());
    assertEquals(DType.FLOAT32, v.dtype());
    assertEquals(Shape.of(2), v.shape());
    Variable i = Variable.of(Tensor.of(new int[] {7}, 1, 1));
    assertArrayEquals(new int[] {10}, i.assignAdd(Tensor.of(new int[] {3}, 1, 1)).toIntArray());
    assertEquals(Shape.of(1, 1), i.read().shape());
    assertEquals(2.5, Variable.of(2.5).read().item());
  }

  @Test
  void assignedValuesMustHaveTheVariablesDTypeAndShape() {
    Variable v = Variable.of(Tensor.of(1f, 2f));
    var e = assertThrows(InvalidArgumentException.class, () -> v.assign(Tensor.of(1, 2)));
    assertTrue(e.getMessage().startsWith("AssignVariableOp: ")
        && e.getMessage().contains("float32[2]") && e.getMessage().contains("int32[2]"),
        e.getMessage());
    // as TensorFlow's resource updates: the shapes must be equal, no broadcasting
    e = assertThrows(InvalidArgumentException.class, () -> v.assignAdd(one()));
    assertTrue(e.getMessage().startsWith("AssignAddVariableOp: ")
        && e.getMessage().contains("float32[]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> v.assignSub(Tensor.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().startsWith("AssignSubVariableOp: "), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> v.assign(null));
    assertArrayEquals(new float[] {1, 2}, v.read().toFloatArray(), "refused updates change nothing");
    // inside a function the error comes when tracing
    Function f = Function.of(() -> v.assign(Tensor.of(1.0, 2.0)));
    assertThrows(InvalidArgumentException.class, f::call);
  }

  @Test
  void namesAndTheTrainableFlag() {
    Variable v = Variable.of(one());
    assertTrue(v.trainable());
    assertTrue(v.name().startsWith("Variable_"), v.name());
    Variable w = Variable.of(Tensor.of(1.0, 2.0), "w", false);
    assertFalse(w.trainable());
    assertEquals("w", w.name());
    assertEquals("Variable(\"w\", float64[2])", w.toString());
    assertNull(w.initializer(), "an eager variable is initialized already");
    var e = assertThrows(InvalidArgumentException.class, () -> Variable.of(null));
    assertTrue(e.getMessage().contains("null"), e.getMessage());
  }

  @Test
  void functionsReadAndWriteAtEveryCall() {
    Variable v = Variable.of(Tensor.scalar(0f));
    Function inc = Function.of(() -> v.assignAdd(one()));
    Function twice = Function.of(() -> v.read().mul(2f));
    assertEquals(1f, inc.call().getFloat());
    assertEquals(2f, inc.call().getFloat());
    assertEquals(4f, twice.call().getFloat());
    v.assign(Tensor.scalar(10f)); // an eager write between calls is seen by the next call
    assertEquals(20f, twice.call().getFloat());
    assertEquals(11f, inc.call().getFloat());
    Function down = Function.of(x -> v.assignSub(x));
    assertEquals(8f, down.call(Tensor.scalar(3f)).getFloat());
    assertEquals(8f, v.read().getFloat());
    assertEquals(1, inc.tracingCount());
  }

  @Test
  void statefulOpsInAFunctionRunInTraceOrderEvenWhenUnused() {
    Variable v = Variable.of(Tensor.scalar(1f));
    Variable log = Variable.of(Tensor.scalar(0f));
    Function f = Function.of(x -> {
      Tensor before = v.read();
      v.assign(x);
      log.assignAdd(one()); // nothing reads it: it runs anyway
      v.assignAdd(one());
      return before.add(v.read().mul(100f));
    });
    assertEquals(1f + 600f, f.call(Tensor.scalar(5f)).getFloat());
    assertEquals(6f + 300f, f.call(Tensor.scalar(2f)).getFloat());
    assertEquals(2f, log.read().getFloat());
    assertTrue(f.getConcreteFunction(Tensor.scalar(0f)).isStateful());
  }

  @Test
  void aVariableMadeInAFunctionIsMadeOnceOnTheFirstTrace() {
    List<Variable> made = new ArrayList<>();
    Function f = Function.of(() -> {
      // no guard: the Java code runs once per trace, so this runs once
      Variable v = Variable.of(Tensor.scalar(3f));
      made.add(v);
      return v.assignAdd(one());
    });
    assertEquals(4f, f.call().getFloat());
    assertEquals(5f, f.call().getFloat());
    assertEquals(6f, f.call().getFloat());
    assertEquals(1, made.size());
    assertEquals(6f, made.get(0).read().getFloat());
  }

  @Test
  void aGuardedVariableAsTensorFlowsTests() {
    Variable[] holder = {null};
    Function f = Function.of(x -> {
      if (holder[0] == null) {
        holder[0] = Variable.of(Tensor.scalar(3f));
      }
      return holder[0].assignAdd(x.reduceSum());
    });
    assertEquals(4f, f.call(one()).getFloat());
    Variable first = holder[0];
    assertEquals(5f, f.call(one()).getFloat());
    // a new signature traces again; the guard keeps it from making another variable
    assertEquals(15f, f.call(Tensor.of(10f)).getFloat());
    assertSame(first, holder[0]);
    assertEquals(2, f.tracingCount());
  }

  @Test
  void aLiftedInitialValueIsComputedFromTheFunctionsOps() {
    Tensor base = Tensor.of(1f, 2f).add(Tensor.of(0f)); // an eager result: captured
    Variable[] holder = {null};
    Function f = Function.of(() -> {
      // the initial value is a symbolic tensor of the function graph (a Fill, a capture, a
      // Const); the variable is made now with its value computed from them
      holder[0] = Variable.of(Ops.fill(DType.FLOAT32, 10, 2).add(base).mul(2f));
      return holder[0].read();
    });
    assertArrayEquals(new float[] {22, 24}, f.call().toFloatArray());
    assertArrayEquals(new float[] {22, 24}, holder[0].read().toFloatArray());
    holder[0].assign(Tensor.of(0f, 0f));
    assertArrayEquals(new float[] {0, 0}, f.call().toFloatArray(), "made once, not per call");
  }

  @Test
  void makingAVariableOnALaterTraceIsAnError() {
    Function f = Function.builder().name("maker").build(x -> Variable.of(x.zerosLike().add(1f),
        null, true).read().add(x));
    // zerosLike(x) depends on the argument: refused on the first trace already
    var e0 = assertThrows(InvalidArgumentException.class, () -> f.call(Tensor.of(1f)));
    assertTrue(e0.getMessage().contains("depends on the arguments of function maker"),
        e0.getMessage());

    AtomicInteger made = new AtomicInteger();
    Function g = Function.builder().name("maker2").build(x -> {
      made.incrementAndGet();
      return Variable.of(Tensor.scalar(3f)).assignAdd(x);
    });
    assertEquals(4f, g.call(one()).getFloat());
    var e = assertThrows(FailedPreconditionException.class, () -> g.call(Tensor.scalar(1.0f).reshape(1)));
    // TensorFlow: "tf.function only supports singleton tf.Variables created on the first call"
    assertTrue(e.getMessage().contains("only supports singleton Variables created on the first call"),
        e.getMessage());
    assertTrue(e.getMessage().contains("maker2"), e.getMessage());
    assertEquals(2, made.get());
    assertEquals(1, g.tracingCount(), "the refused trace is not kept");
    // the first trace still works
    assertEquals(5f, g.call(one()).getFloat());
    assertThrows(FailedPreconditionException.class, () -> g.call(Tensor.scalar(1.0)));
  }

  @Test
  void aPlainGraphVariableNeedsItsInitializer() {
    Graph g = new Graph();
    Variable v;
    Tensor r;
    Tensor upd;
    try (Scope s = g.asDefault()) {
      Tensor init = Ops.fill(DType.FLOAT32, 2, 3).mul(Tensor.of(1f, 2f, 3f));
      v = Variable.of(init);
      r = v.read();
      upd = v.assignAdd(Tensor.of(1f, 1f, 1f));
    }
    assertNotNull(v.initializer());
    assertEquals("AssignVariableOp", v.initializer().type());
    assertSame(g, v.initializer().graph());
    try (Session sess = new Session(g)) {
      var e = assertThrows(FailedPreconditionException.class, () -> sess.run(r));
      assertTrue(e.getMessage().contains("uninitialized") && e.getMessage().contains(v.name()),
          e.getMessage());
      sess.run(List.of(v.initializer()), Map.of());
      assertArrayEquals(new float[] {2, 4, 6}, sess.run(r).toFloatArray());
      sess.run(List.of(upd.op()), Map.of());
      assertArrayEquals(new float[] {3, 5, 7}, sess.run(r).toFloatArray());
      // running the initializer again resets the value, as TensorFlow's
      sess.run(List.of(v.initializer()), Map.of());
      assertArrayEquals(new float[] {2, 4, 6}, v.read().toFloatArray());
    }
  }

  @Test
  void aPlainGraphVariableFromAWrittenValueIsInitializedAtOnce() {
    Graph g = new Graph();
    Variable v;
    Tensor r;
    try (Scope s = g.asDefault()) {
      v = Variable.of(Tensor.of(4f, 5f));
      r = v.read();
    }
    assertNull(v.initializer());
    try (Session sess = new Session(g)) {
      assertArrayEquals(new float[] {4, 5}, sess.run(r).toFloatArray());
    }
  }

  @Test
  void aSymbolicInitialValueCannotMakeAnEagerVariable() {
    Graph g = new Graph();
    Tensor t;
    try (Scope s = g.asDefault()) {
      t = Ops.placeholder(DType.FLOAT32, 2);
    }
    var e = assertThrows(FailedPreconditionException.class, () -> Variable.of(t));
    assertTrue(e.getMessage().contains("'Placeholder:0'") && e.getMessage().contains(g.name()),
        e.getMessage());
  }

  @Test
  void concurrentUpdatesAreAtomic() throws Exception {
    Variable v = Variable.of(Tensor.scalar(0L));
    int threads = 4;
    int each = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean add = t % 2 == 0;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            if (add) {
              v.assignAdd(Tensor.scalar(3L));
            } else {
              v.assignSub(Tensor.scalar(1L));
            }
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2L * each * 3 - 2L * each, v.read().getLong());
  }

  @Test
  void anAssignIsNeverLostToAConcurrentAdd() throws Exception {
    // assign and assignAdd are each atomic: after assign(1e9) returns, the value stays >= 1e9
    // whatever the adds racing with it did
    for (int round = 0; round < 10; round++) {
      Variable v = Variable.of(Tensor.scalar(0L));
      CountDownLatch go = new CountDownLatch(1);
      Thread adder = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 5_000; i++) {
          v.assignAdd(Tensor.scalar(1L));
        }
      });
      adder.start();
      go.countDown();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (v.read().getLong() < 200 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // assign while the adds are under way
      }
      v.assign(Tensor.scalar(1_000_000_000L));
      long seen = v.read().getLong();
      adder.join(30_000);
      assertTrue(seen >= 1_000_000_000L, "round " + round + ": read " + seen);
      assertTrue(v.read().getLong() >= 1_000_000_000L, "round " + round);
    }
  }
}
