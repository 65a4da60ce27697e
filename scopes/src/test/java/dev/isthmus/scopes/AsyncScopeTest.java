package dev.isthmus.scopes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.IsthmusException;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.InternalException;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes entered for their effect
class AsyncScopeTest {
  private static Tensor badGather() {
    return Ops.gather(Tensor.of(1f, 2f), Tensor.of(0, 7)); // index 7 fails when the kernel runs
  }

  @Test
  void opsReturnPendingTensorsWithTheRightValues() {
    Tensor x = Tensor.of(1f, 2f, 3f);
    Tensor y;
    try (Scope s = Scopes.asyncScope()) {
      assertTrue(Context.executor().isAsync());
      assertTrue(Context.executingEagerly());
      y = x.add(x).mul(x);
      assertNotNull(Tensors.pendingOf(y));
      assertEquals(DType.FLOAT32, y.dtype()); // known at dispatch
    }
    assertFalse(Context.executor().isAsync());
    assertArrayEquals(new float[] {2, 8, 18}, y.toFloatArray());
  }

  @Test
  void shapeErrorsAreThrownWhereTheOpIsCalled() {
    try (Scope s = Scopes.asyncScope()) {
      assertThrows(InvalidArgumentException.class,
          () -> Tensor.of(1f, 2f).add(Tensor.of(1f, 2f, 3f)));
    }
  }

  @Test
  void closeThrowsTheDeferredErrorWithItsTypeOpAndCallSite() {
    var e = assertThrows(InvalidArgumentException.class, () -> {
      try (Scope s = Scopes.asyncScope()) {
        badGather();
      }
    });
    assertTrue(e.getMessage().contains("GatherV2"), e.getMessage());
    assertTrue(e.getMessage().contains("issued at " + AsyncScopeTest.class.getName()
        + ".badGather(AsyncScopeTest.java:"), e.getMessage());
    // the barrier cleared the state: a new scope runs normally
    try (Scope s = Scopes.asyncScope()) {
      assertEquals(4f, Tensor.scalar(2f).mul(Tensor.scalar(2f)).item(), 0);
    }
  }

  @Test
  void theFirstErrorPoisonsLaterOpsAndLaterDispatchFailsFast() {
    IsthmusException first;
    try (Scope s = Scopes.asyncScope()) {
      Tensor bad;
      Tensor dependent;
      Tensor unrelated;
      try (Scope hold = ((AsyncExecutor) Context.executor()).hold()) {
        bad = badGather();
        dependent = bad.add(Tensor.of(1f, 1f));
        unrelated = Tensor.of(5f).mul(Tensor.of(5f)); // queued after the failing op
      }
      first = assertThrows(InvalidArgumentException.class, bad::toFloatArray).getCause() instanceof
          IsthmusException c ? c : null;
      assertNotNull(first); // each throw is a fresh exception whose cause is the recorded error
      assertSame(first, assertThrows(InvalidArgumentException.class, dependent::toFloatArray)
          .getCause());
      assertSame(first, assertThrows(InvalidArgumentException.class, unrelated::toFloatArray)
          .getCause());
      // the issuing thread has seen the error: dispatch fails at once with it
      var fast = assertThrows(InvalidArgumentException.class,
          () -> Tensor.of(1f).add(Tensor.of(1f)));
      assertSame(first, fast.getCause());
      assertEquals(first.getMessage(), fast.getMessage());
      Scopes.asyncClearError();
      assertEquals(2f, Tensor.scalar(1f).add(Tensor.scalar(1f)).item(), 0);
    }
  }

  @Test
  void waitForPendingThrowsAndKeepsTheErrorUntilCleared() {
    try (Scope s = Scopes.asyncScope()) {
      badGather();
      var e = assertThrows(InvalidArgumentException.class, () -> Context.executor().waitForPending());
      assertSame(e.getCause(), assertThrows(InvalidArgumentException.class,
          () -> Context.executor().waitForPending()).getCause());
      Context.executor().clearError();
      Context.executor().waitForPending();
    }
  }

  @Test
  void anExceptionInTheBodyStillWaitsAndCarriesTheDeferredErrorAsSuppressed() {
    Tensor[] issued = new Tensor[1];
    var e = assertThrows(IllegalStateException.class, () -> {
      try (Scope s = Scopes.asyncScope()) {
        issued[0] = Tensor.of(3f).mul(Tensor.of(3f));
        badGather();
        throw new IllegalStateException("body failed");
      }
    });
    assertEquals(1, e.getSuppressed().length);
    assertTrue(e.getSuppressed()[0] instanceof InvalidArgumentException);
    // close waited: the op issued before the error ran
    assertEquals(9f, issued[0].toFloatArray()[0], 0);
    assertFalse(Context.executor().isAsync());
  }

  @Test
  void nestedScopesShareTheThreadsExecutorAndEachCloseIsABarrier() {
    try (Scope outer = Scopes.asyncScope()) {
      Tensor a = Tensor.of(1f).add(Tensor.of(1f));
      var inner = assertThrows(InvalidArgumentException.class, () -> {
        try (Scope in = Scopes.asyncScope()) {
          badGather();
        }
      });
      assertNotNull(inner);
      assertTrue(Context.executor().isAsync()); // still inside the outer scope
      assertEquals(2f, a.toFloatArray()[0], 0);
      assertEquals(3f, a.add(Tensor.of(1f)).toFloatArray()[0], 0); // the inner close cleared it
    }
  }

  @Test
  void theModeIsPerThread() throws Exception {
    try (Scope s = Scopes.asyncScope()) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        assertFalse(pool.submit(() -> Context.executor().isAsync()).get());
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void variablesAndFunctionsRunInIssueOrder() {
    Variable v = Variable.of(0f);
    Function inc = Function.of(() -> v.assignAdd(Tensor.scalar(1f)));
    List<Tensor> seen = new ArrayList<>();
    try (Scope s = Scopes.asyncScope()) {
      for (int i = 0; i < 50; i++) {
        seen.add(inc.call());
        if (i % 10 == 0) {
          v.assign(Tensor.scalar(100f * i));
        }
      }
    }
    // each call sees the assignments issued before it
    float expect = 0;
    for (int i = 0; i < 50; i++) {
      expect += 1;
      assertEquals(expect, seen.get(i).item(), 0, "call " + i);
      if (i % 10 == 0) {
        expect = 100f * i;
      }
    }
  }

  @Test
  void backpressureBoundsWhatIsInFlight() {
    try (Scope s = Scopes.asyncScope(8)) {
      AsyncExecutor ex = (AsyncExecutor) Context.executor();
      Tensor big = Ops.ones(DType.FLOAT32, 1 << 16);
      long max = 0;
      for (int i = 0; i < 200; i++) {
        big = Ops.exp(Ops.neg(big));
        max = Math.max(max, ex.inFlight());
      }
      assertTrue(max <= 9, "in flight " + max); // the op just issued plus at most 8 queued
    }
  }

  @Test
  void aMillionSmallOpsRunInBoundedMemory() {
    java.lang.management.MemoryMXBean mem = java.lang.management.ManagementFactory.getMemoryMXBean();
    Tensor one = Tensor.scalar(1f);
    Tensor acc = Tensor.scalar(0f);
    long maxUsed = 0;
    try (Scope s = Scopes.asyncScope()) {
      for (int i = 1; i <= 1_000_000; i++) {
        acc = acc.add(one);
        if (i % 250_000 == 0) {
          System.gc();
          maxUsed = Math.max(maxUsed, mem.getHeapMemoryUsage().getUsed());
        }
      }
    }
    assertEquals(1_000_000f, acc.item(), 0);
    // the log holds at most 16K entries of a few hundred bytes: far below this bound
    assertTrue(maxUsed < 256L << 20, "heap used " + (maxUsed >> 20) + " MB");
  }

  @Test
  void anErrorAtOp5000Of10000PoisonsTheRest() {
    Tensor x = Tensor.of(1f, 2f);
    Tensor[] out = new Tensor[10_000];
    var e = assertThrows(InvalidArgumentException.class, () -> {
      try (Scope s = Scopes.asyncScope()) {
        // all 10,000 are issued before any runs, so none fails fast at dispatch
        try (Scope hold = ((AsyncExecutor) Context.executor()).hold()) {
          for (int i = 0; i < out.length; i++) {
            out[i] = i == 5_000 ? badGather() : Ops.gather(x, Tensor.of(1, 0));
          }
        }
      }
    });
    assertTrue(e.getMessage().contains("#5001"), e.getMessage()); // ops are numbered from 1
    assertEquals(0, e.getSuppressed().length); // thrown by the barrier, not by the body
    assertArrayEquals(new float[] {2, 1}, out[4_999].toFloatArray());
    assertThrows(InvalidArgumentException.class, out[5_001]::toFloatArray);
    assertThrows(InvalidArgumentException.class, out[9_999]::toFloatArray);
    try (Scope s = Scopes.asyncScope()) {
      assertArrayEquals(new float[] {2, 1}, Ops.gather(x, Tensor.of(1, 0)).toFloatArray());
    }
  }

  @Test
  void eightThreadsWithTheirOwnScopesMatchSyncRuns() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          float[] sync = program(seed).toFloatArray();
          Tensor r;
          try (Scope s = Scopes.asyncScope()) {
            r = program(seed);
          }
          return new float[][] {sync, r.toFloatArray()};
        }));
      }
      for (Future<float[][]> f : results) {
        float[][] r = f.get();
        assertArrayEquals(r[0], r[1]);
      }
    } finally {
      pool.shutdown();
    }
  }

  // Only ops whose results do not depend on the JIT: the Vector API's transcendentals (tanh,
  // exp) and its across-lane sums (a reduction over the last axis) can differ by an ulp between
  // interpreted and compiled code, and fifty chained matmuls amplify an ulp into a different
  // answer, even between two synchronous runs while the JIT warms up.
  private static Tensor program(long seed) {
    Tensor x = Ops.randomUniform(seed, DType.FLOAT32, 64, 64).sub(0.5);
    Tensor y = x;
    for (int i = 0; i < 50; i++) {
      // lanewise ops only: these give the same bits whether C2 compiled the kernel or not.
      // (Float reduceLanes(ADD) inside reductions and small matmuls may sum lanes in another
      // order before compilation; that is a kernel matter, tracked apart from async.)
      y = Ops.relu(y.mul(x).sub(Ops.transpose(y))).mul(0.5).add(Ops.maximum(x, y));
    }
    return y;
  }

  @Test
  void noThreadOutlivesItsScope() {
    int before = Thread.activeCount();
    for (int i = 0; i < 10_000; i++) {
      try (Scope s = Scopes.asyncScope()) {
        Tensor.of(1f).add(Tensor.of(1f));
      }
    }
    // virtual threads are not counted by activeCount; count the JVM's live threads instead
    long live = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("isthmus-async")).count();
    assertEquals(0, live);
    assertTrue(Thread.activeCount() <= before + 2, before + " -> " + Thread.activeCount());
  }

  @Test
  void insideATraceTheScopeChangesNothing() {
    Function f = Function.of(x -> {
      try (Scope s = Scopes.asyncScope()) {
        assertFalse(Context.executor().isAsync());
        return x.mul(x);
      }
    });
    assertEquals(9f, f.call(Tensor.scalar(3f)).item(), 0);
  }

  @Test
  void clearErrorOutsideAScopeDoesNothing() {
    Scopes.asyncClearError();
    assertNull(ContextStack.snapshot().stream().filter(c -> c instanceof AsyncExecutor)
        .findFirst().orElse(null));
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aKernelThatThrowsAnErrorFailsItsOpAndTheConsumerGoesOn() {
    // a kernel's bug (here an AssertionError) must not kill the consumer: that would hang close
    OpDef broken = OpDef.builder("BrokenForTest").inputs("x")
        .shape((d, in, a) -> new TensorSpec[] {new TensorSpec(in[0].dtype(), in[0].shape())})
        .kernel((in, a, outs) -> {
          throw new AssertionError("kernel bug");
        })
        .build();
    var e = assertThrows(InternalException.class, () -> {
      try (Scope s = Scopes.asyncScope()) {
        Dispatch.run1(broken, Tensor.of(1f));
      }
    });
    assertTrue(e.getMessage().contains("BrokenForTest") && e.getMessage().contains("kernel bug"),
        e.getMessage());
    try (Scope s = Scopes.asyncScope()) {
      assertEquals(2f, Tensor.scalar(1f).add(Tensor.scalar(1f)).item(), 0);
    }
  }
}
