package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.BinaryScalar;
import dev.isthmus.kernels.ColdRouting;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.kernels.ReduceScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.SoftmaxKernels;
import dev.isthmus.kernels.SoftmaxScalar;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The background warm-up of {@link ColdRouting}: once a kernel crosses its threshold, its callers
 * keep the scalar twin (bit for bit) until a daemon thread has had the vector loop compiled, then
 * the kernel flips hot and runs within its family's bound of the twin; one warm-up per kernel,
 * however many calls cross the threshold meanwhile. For the common families that register
 * warm-ups (unary, binary, reduce, softmax); a site without one (matmul) switches at the threshold.
 */
class ColdWarmupProperties {
  private static final double EPS32 = 0x1p-23;
  /** Generous: the suites run on two loaded cores, and the warm-ups queue on one thread. */
  private static final long TIMEOUT_S = 180;

  @AfterEach
  void restore() {
    for (String f : List.of("unary", "binary", "reduce", "softmax", "matmul")) {
      ColdRouting r = ColdRouting.of(f);
      if (r != null) {
        r.restart();
      }
    }
  }

  /**
   * Restarts {@code name} at threshold {@code 10 * perCall} with the warm-up on, then: ten calls
   * on the twin; the eleventh crosses the threshold and still runs the twin, starting one warm-up;
   * every later call made while the kernel is not hot runs the twin, bit for bit, and starts no
   * other warm-up; the kernel flips (awaited); then it runs the vector path within {@code tol}.
   */
  static void staysOnTheTwinUntilWarm(String name, Class<?> facade, int site, int key,
      long perCall, Runnable call, Runnable twin, MemorySegment y, MemorySegment want,
      Tolerance tol) {
    ColdRouting r = ColdRoutingProperties.family(name, facade);
    r.restart(10 * perCall);
    twin.run();
    float[] exp = want.toArray(JAVA_FLOAT);
    for (int i = 1; i <= 11; i++) {
      y.fill((byte) 0x7f);
      call.run();
      assertEquals(Simd.VECTOR ? i : 0, r.coldCalls(), name + ": call " + i);
      assertArrayEquals(exp, y.toArray(JAVA_FLOAT), name + ": call " + i + " is not the twin");
    }
    if (!Simd.VECTOR) {
      assertEquals(0, r.warmups(site, key), name + ": a warm-up without SIMD");
      return;
    }
    assertEquals(1, r.warmups(site, key), name + ": crossing the threshold starts one warm-up");
    // calls while the warm-up runs: a call after which the kernel is still not hot ran the twin
    for (int i = 12; i <= 40 && !r.hot(site, key); i++) {
      long before = r.coldCalls();
      y.fill((byte) 0x7f);
      call.run();
      boolean cold = r.coldCalls() == before + 1;
      if (!r.hot(site, key)) {
        assertTrue(cold, name + ": call " + i + " ran the vector path before the flip");
      }
      if (cold) {
        assertArrayEquals(exp, y.toArray(JAVA_FLOAT), name + ": call " + i + " is not the twin");
      }
    }
    assertTrue(r.awaitHot(site, key, TIMEOUT_S, TimeUnit.SECONDS),
        name + ": the warm-up never flipped the kernel: " + r);
    assertEquals(1, r.warmups(site, key), name + ": more than one warm-up for one kernel");
    Thread t = ColdRouting.warmupThread();
    assertNotNull(t, name + ": no warm-up thread");
    assertTrue(t.isDaemon(), name + ": the warm-up thread must be a daemon");
    assertEquals("isthmus-kernel-warmup", t.getName());
    long before = r.coldCalls();
    y.fill((byte) 0x7f);
    call.run();
    assertEquals(before, r.coldCalls(), name + ": a hot kernel ran its twin");
    TensorAssert.assertClose(exp, y.toArray(JAVA_FLOAT), tol);
    assertEquals(1, r.hotKernels(), name + ": only the warmed kernel is hot");
  }

  @Test
  void eachCoveredFamilyWarmsItsKernelBeforeSwitching() {
    int n = 1000;
    SplittableRandom rnd = new SplittableRandom(11);
    MemorySegment x = MemorySegment.ofArray(ColdRoutingProperties.floats(rnd, n, 3));
    MemorySegment x2 = MemorySegment.ofArray(ColdRoutingProperties.floats(rnd, n, 3));
    MemorySegment y = MemorySegment.ofArray(new float[n]);
    MemorySegment want = MemorySegment.ofArray(new float[n]);
    staysOnTheTwinUntilWarm("unary", UnaryKernels.class, 0, UnaryOp.TANH.ordinal(), n,
        () -> UnaryKernels.f32(UnaryOp.TANH, x, 0, y, 0, n),
        () -> UnaryScalar.f32(UnaryOp.TANH, x, 0, want, 0, n), y, want,
        Tolerance.ulps(UnaryKernelProperties.ulps32(UnaryOp.TANH)));
    staysOnTheTwinUntilWarm("binary", BinaryKernels.class, 0, BinaryOp.MUL.ordinal(), n,
        () -> BinaryKernels.f32vv(BinaryOp.MUL, x, 0, x2, 0, y, 0, n),
        () -> BinaryScalar.f32vv(BinaryOp.MUL, x, 0, x2, 0, want, 0, n), y, want,
        Tolerance.EXACT);
    staysOnTheTwinUntilWarm("softmax", SoftmaxKernels.class, 3, 0, 4L * n,
        () -> SoftmaxKernels.softmaxF32(x, 0, y, 0, n),
        () -> SoftmaxScalar.softmaxF32(x, 0, want, 0, n), y, want,
        Tolerance.rel(2 * (n + 8) * EPS32).orAbs(Float.MIN_NORMAL));
    double abs = 0;
    for (int i = 0; i < n; i++) {
      abs += Math.abs(x.getAtIndex(JAVA_FLOAT, i));
    }
    double bound = 2 * ReduceKernels.sumErrorFactorF32(n) * EPS32 * abs;
    MemorySegment y1 = y.asSlice(0, 4);
    MemorySegment want1 = want.asSlice(0, 4);
    staysOnTheTwinUntilWarm("reduce", ReduceKernels.class, 0, ReduceOp.SUM.ordinal(), n,
        () -> y1.set(JAVA_FLOAT, 0, ReduceKernels.f32(ReduceOp.SUM, x, 0, n)),
        () -> want1.set(JAVA_FLOAT, 0, ReduceScalar.f32(ReduceOp.SUM, x, 0, n)), y1, want1,
        Tolerance.rel(0).orAbs(bound));
  }

  @Test
  void aSiteWithoutAWarmUpSwitchesAtTheThreshold() {
    ColdRouting r = ColdRoutingProperties.family("matmul", MatmulKernels.class);
    MemorySegment a = MemorySegment.ofArray(new float[64]);
    MemorySegment c = MemorySegment.ofArray(new float[64]);
    r.restart(512 * 3);
    for (int i = 1; i <= 5; i++) {
      MatmulKernels.f32(false, false, 8, 8, 8, a, 0, 8, a, 0, 8, c, 0, 8);
      assertEquals(Simd.VECTOR ? Math.min(i, 3) : 0, r.coldCalls(), "matmul call " + i);
    }
    assertEquals(0, r.warmups(0, 0), "matmul registers no warm-up");
    assertEquals(Simd.VECTOR ? 1 : 0, r.hotKernels());
  }

  @Test
  void concurrentCallersStartOneWarmUpPerKernel() throws InterruptedException {
    ColdRouting r = ColdRoutingProperties.family("unary", UnaryKernels.class);
    int n = 512;
    MemorySegment x = MemorySegment.ofArray(
        ColdRoutingProperties.floats(new SplittableRandom(3), n, 2));
    r.restart(n);
    Thread[] callers = new Thread[4];
    for (int c = 0; c < callers.length; c++) {
      MemorySegment y = MemorySegment.ofArray(new float[n]);
      callers[c] = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          UnaryKernels.f32(UnaryOp.SIGMOID, x, 0, y, 0, n);
          UnaryKernels.f32(UnaryOp.EXP, x, 0, y, 0, n);
        }
      });
      callers[c].start();
    }
    for (Thread t : callers) {
      t.join();
    }
    int expected = Simd.VECTOR ? 1 : 0;
    assertEquals(expected, r.warmups(0, UnaryOp.SIGMOID.ordinal()), "SIGMOID warm-ups");
    assertEquals(expected, r.warmups(0, UnaryOp.EXP.ordinal()), "EXP warm-ups");
    assertEquals(0, r.warmups(0, UnaryOp.TANH.ordinal()), "a kernel never called was warmed");
    if (Simd.VECTOR) {
      assertTrue(r.awaitHot(0, UnaryOp.SIGMOID.ordinal(), TIMEOUT_S, TimeUnit.SECONDS), "SIGMOID");
      assertTrue(r.awaitHot(0, UnaryOp.EXP.ordinal(), TIMEOUT_S, TimeUnit.SECONDS), "EXP");
      assertEquals(1, r.warmups(0, UnaryOp.SIGMOID.ordinal()), "SIGMOID warmed twice");
      assertFalse(r.hot(0, UnaryOp.TANH.ordinal()), "TANH flipped without being called");
    }
  }
}
