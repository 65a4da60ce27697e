package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.BinaryScalar;
import dev.isthmus.kernels.ColdRouting;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.MatmulScalar;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cold-start routing ({@link ColdRouting}): for each routed kernel family, an op run while its
 * kernels are cold (the scalar twins) against the same op with the family hot (the vector
 * kernels), within the family's documented bound; and, at the kernel level, that a kernel runs
 * its scalar twin (bit for bit) until its work reaches the threshold and its vector path from
 * then on, as the family's counters show. The test JVMs run with routing off (so the other
 * suites test the vector kernels); these tests restart the families with thresholds of their own
 * and restore them afterwards.
 */
class ColdRoutingProperties {
  static final int EXAMPLES = 25;
  private static final double EPS32 = 0x1p-23;

  @AfterEach
  void restore() {
    for (String f : List.of("unary", "binary", "reduce", "softmax", "matmul", "cast", "compare",
        "select", "move", "conv", "pool")) {
      ColdRouting r = ColdRouting.of(f);
      if (r != null) {
        r.restart();
      }
    }
  }

  /** The family's router, after loading its facade (routers register when it initialises). */
  static ColdRouting family(String name, Class<?> facade) {
    try {
      Class.forName(facade.getName(), true, facade.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    ColdRouting r = ColdRouting.of(name);
    assertNotNull(r, name);
    assertEquals(name, r.family());
    return r;
  }

  static float[] floats(SplittableRandom rnd, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }

  /**
   * Runs {@code op} with {@code family} cold for good, then hot from the first call, checks that
   * each run took the path it should (the counters), and returns both results.
   */
  static Tensor[] coldThenHot(String family, Class<?> facade, Function<Void, Tensor> op) {
    return coldThenHot(family, facade, true, op);
  }

  /** As above; {@code runs} false when the op has nothing to compute (the kernels never run). */
  static Tensor[] coldThenHot(String family, Class<?> facade, boolean runs,
      Function<Void, Tensor> op) {
    ColdRouting r = family(family, facade);
    r.restart(Long.MAX_VALUE);
    Tensor cold = op.apply(null);
    long coldCalls = r.coldCalls();
    assertEquals(0, r.hotKernels(), family + ": nothing may be hot with an infinite threshold");
    r.restart(0);
    Tensor hot = op.apply(null);
    if (Simd.VECTOR && runs) {
      assertTrue(coldCalls > 0, family + ": the cold run never reached the family's kernels");
      assertEquals(0, r.coldCalls(), family + ": the hot run took the scalar path");
      assertTrue(r.hotKernels() > 0, family + ": the hot run switched no kernel to vector");
    }
    return new Tensor[] {cold, hot};
  }

  @Test
  void coldAndHotFamiliesAgreeWithinTheirBounds() {
    qt().withExamples(EXAMPLES).forAll(integers().between(0, 4200), longs().all())
        .checkAssert((size, seed) -> {
          SplittableRandom rnd = new SplittableRandom(seed);
          int n = size;
          Tensor x = Tensor.of(floats(rnd, n, 4), n);
          Tensor y = Tensor.of(floats(rnd, n, 4), n);
          for (UnaryOp op : List.of(UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU)) {
            Tensor[] t = coldThenHot("unary", UnaryKernels.class, n > 0, v -> unary(op, x));
            long ulps = UnaryKernelProperties.exact(op) ? 0 : UnaryKernelProperties.ulps32(op);
            TensorAssert.assertClose(t[0], t[1], Tolerance.ulps(ulps));
          }
          Tensor[] add = coldThenHot("binary", BinaryKernels.class, n > 0, v -> Ops.add(x, y));
          TensorAssert.assertClose(add[0], add[1], Tolerance.EXACT);
          Tensor[] mul = coldThenHot("binary", BinaryKernels.class, n > 0, v -> Ops.mul(x, y));
          TensorAssert.assertClose(mul[0], mul[1], Tolerance.EXACT);
          Tensor[] cast = coldThenHot("cast", dev.isthmus.kernels.CastKernels.class, n > 0,
              v -> Ops.cast(x, DType.INT32));
          assertArrayEquals(cast[0].toIntArray(), cast[1].toIntArray());
          Tensor[] cmp = coldThenHot("compare", dev.isthmus.kernels.CompareKernels.class, n > 0,
              v -> Ops.greater(x, y));
          assertArrayEquals(cmp[0].toBooleanArray(), cmp[1].toBooleanArray());
          Tensor c = Ops.greater(x, y);
          Tensor[] sel = coldThenHot("select", dev.isthmus.kernels.SelectKernels.class, n > 0,
              v -> Ops.where(c, x, y));
          TensorAssert.assertClose(sel[0], sel[1], Tolerance.EXACT);
          // a [rows, 64] view of the same data: rows and their sums, softmax, a transpose
          int rows = n / 64;
          if (rows > 0) {
            Tensor m = Ops.reshape(Ops.slice(x, new long[] {0}, new long[] {rows * 64L}), rows,
                64);
            // one row: the transpose is a reshape of the same data, and no kernel runs
            Tensor[] tr = coldThenHot("move", dev.isthmus.kernels.MoveKernels.class, rows > 1,
                v -> Ops.transpose(m, 1, 0));
            TensorAssert.assertClose(tr[0], tr[1], Tolerance.EXACT);
            Tensor[] sum = coldThenHot("reduce", ReduceKernels.class, v -> Ops.reduceSum(m, 1));
            float[] mv = m.toFloatArray();
            for (int i = 0; i < rows; i++) {
              double abs = 0;
              for (int j = 0; j < 64; j++) {
                abs += Math.abs(mv[i * 64 + j]);
              }
              double bound = 2 * ReduceKernels.sumErrorFactorF32(64) * EPS32 * abs;
              double d = Math.abs(sum[0].toFloatArray()[i] - sum[1].toFloatArray()[i]);
              assertTrue(d <= bound, "row sum " + i + " differs by " + d + " > " + bound);
            }
            Tensor[] sm = coldThenHot("softmax", SoftmaxKernels.class, v -> Ops.softmax(m));
            double t = 2 * (64 + 8) * EPS32;
            TensorAssert.assertClose(sm[0], sm[1], Tolerance.rel(t).orAbs(Float.MIN_NORMAL));
          }
        });
  }

  private static Tensor unary(UnaryOp op, Tensor x) {
    return switch (op) {
      case EXP -> Ops.exp(x);
      case TANH -> Ops.tanh(x);
      case SIGMOID -> Ops.sigmoid(x);
      default -> Ops.relu(x);
    };
  }

  @Test
  void matmulAndConvolutionColdAndHotAgreeWithinTheGemmBound() {
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 40), integers().between(1, 40),
        integers().between(1, 40), longs().all()).checkAssert((m, k, n, seed) -> {
          SplittableRandom rnd = new SplittableRandom(seed);
          float[] a = floats(rnd, m * k, 2);
          float[] b = floats(rnd, k * n, 2);
          Tensor[] t = coldThenHot("matmul", MatmulKernels.class,
              v -> Ops.matmul(Tensor.of(a, m, k), Tensor.of(b, k, n)));
          double[] s = MatmulBound.sumAbs(MatmulBound.widen(a), MatmulBound.widen(b), false, false,
              m, n, k);
          MatmulBound.check(MatmulBound.widen(t[0].toFloatArray()),
              MatmulBound.widen(t[1].toFloatArray()), s, k, EPS32, Float.MIN_VALUE, "matmul");
          // conv2d [1, m, n, 2] * [3, 3, 2, 4], SAME: a GEMM of k = 18 terms per output
          float[] img = floats(rnd, m * n * 2, 2);
          float[] f = floats(rnd, 3 * 3 * 2 * 4, 2);
          Tensor[] c = coldThenHot("conv", dev.isthmus.kernels.ConvKernels.class,
              v -> Ops.conv2d(Tensor.of(img, 1, m, n, 2), Tensor.of(f, 3, 3, 2, 4),
                  new int[] {1}, "SAME"));
          float[] c0 = c[0].toFloatArray();
          float[] c1 = c[1].toFloatArray();
          for (int i = 0; i < c0.length; i++) {
            double bound = 2 * 18 * EPS32 * 18 * 4 + 4 * Float.MIN_VALUE; // |x|, |f| <= 2
            assertTrue(Math.abs(c0[i] - c1[i]) <= bound, "conv2d element " + i);
          }
          Tensor[] p = coldThenHot("pool", dev.isthmus.kernels.PoolKernels.class,
              v -> Ops.maxPool(Tensor.of(img, 1, m, n, 2), new int[] {2}, new int[] {1}, "SAME"));
          TensorAssert.assertClose(p[0], p[1], Tolerance.EXACT);
        });
  }

  // ---------------------------------------------------------------- the switch itself

  /**
   * Calls {@code call} (work {@code perCall} units, writing {@code y}) with the family restarted
   * at threshold {@code 10 * perCall}: the first ten calls must run the scalar twin (counted, and
   * equal to {@code twin} bit for bit), the eleventh and later the vector kernel (not counted, one
   * kernel hot, within {@code tol} of the twin). Without the background warm-up (the rule of the
   * sites that register none): {@link ColdWarmupProperties} tests the switch with it.
   */
  static void switchesAfterTheThreshold(String name, Class<?> facade, long perCall,
      Runnable call, Runnable twin, MemorySegment y, MemorySegment want, Tolerance tol) {
    ColdRouting r = family(name, facade);
    r.restart(10 * perCall, false);
    twin.run();
    for (int i = 1; i <= 14; i++) {
      y.fill((byte) 0x7f);
      call.run();
      float[] got = y.toArray(JAVA_FLOAT);
      float[] exp = want.toArray(JAVA_FLOAT);
      if (!Simd.VECTOR || i <= 10) {
        assertEquals(Simd.VECTOR ? i : 0, r.coldCalls(), name + ": call " + i);
        assertEquals(Simd.VECTOR ? i * perCall : 0, r.coldWork(), name + ": call " + i);
        assertEquals(0, r.hotKernels(), name + ": call " + i);
        assertArrayEquals(exp, got, name + ": a cold call must be the scalar twin, call " + i);
      } else {
        assertEquals(10, r.coldCalls(), name + ": call " + i + " ran cold after the threshold");
        assertEquals(1, r.hotKernels(), name + ": call " + i);
        TensorAssert.assertClose(exp, got, tol);
      }
    }
  }

  @Test
  void eachFamilySwitchesToItsVectorKernelAfterTheThreshold() {
    int n = 1000;
    SplittableRandom rnd = new SplittableRandom(7);
    MemorySegment x = MemorySegment.ofArray(floats(rnd, n, 3));
    MemorySegment x2 = MemorySegment.ofArray(floats(rnd, n, 3));
    MemorySegment y = MemorySegment.ofArray(new float[n]);
    MemorySegment want = MemorySegment.ofArray(new float[n]);
    switchesAfterTheThreshold("unary", UnaryKernels.class, n,
        () -> UnaryKernels.f32(UnaryOp.TANH, x, 0, y, 0, n),
        () -> UnaryScalar.f32(UnaryOp.TANH, x, 0, want, 0, n), y, want,
        Tolerance.ulps(UnaryKernelProperties.ulps32(UnaryOp.TANH)));
    switchesAfterTheThreshold("binary", BinaryKernels.class, n,
        () -> BinaryKernels.f32vv(BinaryOp.MUL, x, 0, x2, 0, y, 0, n),
        () -> BinaryScalar.f32vv(BinaryOp.MUL, x, 0, x2, 0, want, 0, n), y, want,
        Tolerance.EXACT);
    switchesAfterTheThreshold("softmax", SoftmaxKernels.class, 4L * n,
        () -> SoftmaxKernels.softmaxF32(x, 0, y, 0, n),
        () -> SoftmaxScalar.softmaxF32(x, 0, want, 0, n), y, want,
        Tolerance.rel(2 * (n + 8) * EPS32).orAbs(Float.MIN_NORMAL));
    // reduce: the sum lands in y[0]
    double abs = 0;
    for (int i = 0; i < n; i++) {
      abs += Math.abs(x.getAtIndex(JAVA_FLOAT, i));
    }
    double bound = 2 * ReduceKernels.sumErrorFactorF32(n) * EPS32 * abs;
    MemorySegment y1 = y.asSlice(0, 4);
    MemorySegment want1 = want.asSlice(0, 4);
    switchesAfterTheThreshold("reduce", ReduceKernels.class, n,
        () -> y1.set(JAVA_FLOAT, 0, ReduceKernels.f32(ReduceOp.SUM, x, 0, n)),
        () -> want1.set(JAVA_FLOAT, 0, ReduceScalar.f32(ReduceOp.SUM, x, 0, n)), y1, want1,
        Tolerance.rel(0).orAbs(bound));
    // matmul [10, 10] x [10, 100]: 10^4 multiply-adds a call
    switchesAfterTheThreshold("matmul", MatmulKernels.class, 10 * 10 * 100,
        () -> MatmulKernels.f32(false, false, 10, 100, 10, x, 0, 10, x2, 0, 100, y, 0, 100),
        () -> MatmulScalar.f32(false, false, 10, 100, 10, x, 0, 10, x2, 0, 100, want, 0, 100),
        y, want, Tolerance.rel(2 * 10 * EPS32).orAbs(2 * 10 * EPS32 * 9 * 10));
  }

  @Test
  void vectorOnlyBypassesTheRouting() {
    ColdRouting r = family("unary", UnaryKernels.class);
    r.restart(Long.MAX_VALUE);
    MemorySegment x = MemorySegment.ofArray(new float[] {1, 2, 3});
    MemorySegment y = MemorySegment.ofArray(new float[3]);
    ColdRouting.vectorOnly(() -> UnaryKernels.f32(UnaryOp.EXP, x, 0, y, 0, 3));
    assertEquals(0, r.coldCalls(), "vectorOnly ran the scalar twin");
    UnaryKernels.f32(UnaryOp.EXP, x, 0, y, 0, 3);
    assertEquals(Simd.VECTOR ? 1 : 0, r.coldCalls());
  }

  @Test
  void theTestJvmsRunWithRoutingOff() {
    // the build passes -Disthmus.simd.warmup=off, so every other suite tests the vector kernels
    assertEquals(0, ColdRouting.threshold());
  }
}
