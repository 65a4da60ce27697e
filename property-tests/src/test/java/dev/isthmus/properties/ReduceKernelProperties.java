package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ArgReduceScalar;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.kernels.ReduceScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * Every reduction kernel against its scalar twin over awkward sizes and offsets (inner and outer
 * forms, arg, all/any, the INT32-in-INT64 sum), the documented float sum error bound up to a
 * million elements, and the ops over random shapes and axis sets against a naive reference.
 *
 * <p>Buffers hold NaN (or 0x7f bytes) around the reduced elements, so a kernel that reads or
 * writes outside its range shows up as a NaN or a clobbered value.
 */
class ReduceKernelProperties {
  private static final int FL = Simd.floatLanes();
  private static final int DL = Simd.doubleLanes();
  private static final double EPS32 = 0x1p-23;
  private static final double EPS64 = 0x1p-52;
  private static final int PAD = 3;

  /** One inner-kernel case: element count, offset, and the seed of the values. */
  record Run(int n, int off, long seed) {}

  /** One outer-kernel case: an [r, inner] block at offset off. */
  record Block(int r, int inner, int off, long seed) {}

  private static Gen<Run> runs(int lanes, int max) {
    return in -> {
      Draw d = TensorGens.draw(in);
      return new Run((int) Generators.awkwardSize(d, lanes, max), d.intBetween(0, PAD),
          d.between(Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  private static Gen<Block> blocks(int lanes) {
    return in -> {
      Draw d = TensorGens.draw(in);
      long r = d.oneOf(0L, 1L, 3L, 4L, 63L, 64L, 65L, 130L, d.between(0, 300));
      int inner = (int) Generators.awkwardSize(d, lanes, 70);
      return new Block((int) r, inner, d.intBetween(0, PAD),
          d.between(Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  // ---------------------------------------------------------------- value patterns

  /** Values suited to {@code op}: ties and NaN for MAX/MIN, near-1 magnitudes for PROD. */
  static double value(ReduceOp op, SplittableRandom r, int pattern) {
    if (op == ReduceOp.PROD) {
      return (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.9, 1.1);
    }
    if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
      if (pattern == 0 && r.nextInt(50) == 0) {
        return Double.NaN;
      }
      int v = r.nextInt(-8, 9);
      return v == 0 && r.nextBoolean() ? -0.0 : v; // signed zeros must order as Math.max does
    }
    return switch (pattern) {
      case 0 -> r.nextDouble(-1, 1);
      case 1 -> r.nextDouble(0, 1);
      case 2 -> (r.nextBoolean() ? 1 : -1) * Math.scalb(r.nextDouble(1, 2), r.nextInt(-30, 31));
      default -> r.nextInt(-3, 4);
    };
  }

  private static float[] floats(ReduceOp op, long seed, int off, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    int pattern = r.nextInt(4);
    float[] x = new float[off + n + PAD];
    Arrays.fill(x, Float.NaN);
    for (int i = 0; i < n; i++) {
      x[off + i] = (float) value(op, r, pattern);
    }
    return x;
  }

  private static double[] doubles(ReduceOp op, long seed, int off, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    int pattern = r.nextInt(4);
    double[] x = new double[off + n + PAD];
    Arrays.fill(x, Double.NaN);
    for (int i = 0; i < n; i++) {
      x[off + i] = value(op, r, pattern);
    }
    return x;
  }

  private static int[] ints(long seed, int off, int n, boolean small) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] x = new int[off + n + PAD];
    for (int i = 0; i < x.length; i++) {
      x[i] = small ? r.nextInt(-8, 9) : r.nextInt();
    }
    return x;
  }

  private static long[] longs(long seed, int off, int n, boolean small) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] x = new long[off + n + PAD];
    for (int i = 0; i < x.length; i++) {
      x[i] = small ? r.nextInt(-8, 9) : r.nextLong();
    }
    return x;
  }

  // ---------------------------------------------------------------- comparisons

  /** Two results of the same sum: each is within D(n) eps sum|x| of the truth. */
  private static void assertSums(double want, double got, double sumAbs, long factor, double eps) {
    double tol = 2 * factor * eps * sumAbs;
    assertTrue(Math.abs(want - got) <= tol,
        () -> "sums differ by " + Math.abs(want - got) + " > " + tol + ": " + want + " vs " + got);
  }

  private static void assertF32(ReduceOp op, float want, float got, double sumAbs, long n) {
    if (Float.isNaN(want) || Float.isNaN(got)) {
      assertEquals(Float.isNaN(want), Float.isNaN(got), () -> op + ": " + want + " vs " + got);
    } else if (op == ReduceOp.SUM) {
      assertSums(want, got, sumAbs, ReduceKernels.sumErrorFactorF32(n), EPS32);
    } else if (op == ReduceOp.PROD) {
      assertTrue(Math.abs(want - got) <= 2 * (n + 1) * EPS32 * Math.abs(want),
          () -> "products " + want + " vs " + got);
    } else {
      assertEquals(want, got, op.toString());
    }
  }

  private static void assertF64(ReduceOp op, double want, double got, double sumAbs, long n) {
    if (Double.isNaN(want) || Double.isNaN(got)) {
      assertEquals(Double.isNaN(want), Double.isNaN(got), () -> op + ": " + want + " vs " + got);
    } else if (op == ReduceOp.SUM) {
      assertSums(want, got, sumAbs, ReduceKernels.sumErrorFactorF64(n), EPS64);
    } else if (op == ReduceOp.PROD) {
      assertTrue(Math.abs(want - got) <= 2 * (n + 1) * EPS64 * Math.abs(want),
          () -> "products " + want + " vs " + got);
    } else {
      assertEquals(want, got, op.toString());
    }
  }

  private static double sumAbs(MemorySegment s, long off, long n, long stride, boolean f32) {
    double a = 0;
    for (long k = 0; k < n; k++) {
      a += Math.abs(f32 ? s.getAtIndex(JAVA_FLOAT, off + k * stride)
          : s.getAtIndex(JAVA_DOUBLE, off + k * stride));
    }
    return a;
  }

  // ---------------------------------------------------------------- inner kernels vs twins

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"SUM", "PROD", "MAX", "MIN"})
  void innerF32MatchesTwin(ReduceOp op) {
    qt().withExamples(150).forAll(runs(FL, 5000)).checkAssert(c -> {
      MemorySegment s = MemorySegment.ofArray(floats(op, c.seed(), c.off(), c.n()));
      float want = ReduceScalar.f32(op, s, c.off(), c.n());
      float got = ReduceKernels.f32(op, s, c.off(), c.n());
      assertF32(op, want, got, sumAbs(s, c.off(), c.n(), 1, true), c.n());
    });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"SUM", "PROD", "MAX", "MIN"})
  void innerF64MatchesTwin(ReduceOp op) {
    qt().withExamples(150).forAll(runs(DL, 5000)).checkAssert(c -> {
      MemorySegment s = MemorySegment.ofArray(doubles(op, c.seed(), c.off(), c.n()));
      double want = ReduceScalar.f64(op, s, c.off(), c.n());
      double got = ReduceKernels.f64(op, s, c.off(), c.n());
      assertF64(op, want, got, sumAbs(s, c.off(), c.n(), 1, false), c.n());
    });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"SUM", "PROD", "MAX", "MIN"})
  void innerIntegersMatchTwinsExactly(ReduceOp op) {
    qt().withExamples(150).forAll(runs(FL, 5000)).checkAssert(c -> {
      MemorySegment i = MemorySegment.ofArray(ints(c.seed(), c.off(), c.n(), false));
      assertEquals(ReduceScalar.i32(op, i, c.off(), c.n()),
          ReduceKernels.i32(op, i, c.off(), c.n()));
      MemorySegment l = MemorySegment.ofArray(longs(c.seed(), c.off(), c.n(), false));
      assertEquals(ReduceScalar.i64(op, l, c.off(), c.n()),
          ReduceKernels.i64(op, l, c.off(), c.n()));
    });
  }

  @Test
  void wideInt32SumMatchesTwin() {
    qt().withExamples(150).forAll(runs(FL, 5000)).checkAssert(c -> {
      MemorySegment i = MemorySegment.ofArray(ints(c.seed(), c.off(), c.n(), false));
      assertEquals(ReduceScalar.i32Wide(i, c.off(), c.n(), 1),
          ReduceKernels.i32Wide(i, c.off(), c.n()));
    });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"ALL", "ANY"})
  void boolMatchesTwin(ReduceOp op) {
    qt().withExamples(200).forAll(runs(64, 5000)).checkAssert(c -> {
      MemorySegment s = MemorySegment.ofArray(bools(c.seed(), c.off() + c.n() + PAD));
      assertEquals(ReduceScalar.bool(op, s, c.off(), c.n(), 1),
          ReduceKernels.bool(op, s, c.off(), c.n()));
    });
  }

  /** Bytes 0/1, mostly one value so ALL and ANY must look far (density from the seed). */
  static byte[] bools(long seed, int len) {
    SplittableRandom r = new SplittableRandom(seed);
    double p = new double[] {0, 0.0005, 0.5, 0.9995, 1}[r.nextInt(5)];
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (r.nextDouble() < p ? 1 : 0);
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"MAX", "MIN"})
  void innerArgMatchesTwin(ReduceOp op) {
    qt().withExamples(150).forAll(runs(FL, 5000)).checkAssert(c -> {
      int n = Math.max(1, c.n());
      MemorySegment f = MemorySegment.ofArray(floats(op, c.seed(), c.off(), n));
      assertEquals(ArgReduceScalar.f32(op, f, c.off(), n, 1),
          ReduceKernels.argF32(op, f, c.off(), n));
      MemorySegment d = MemorySegment.ofArray(doubles(op, c.seed(), c.off(), n));
      assertEquals(ArgReduceScalar.f64(op, d, c.off(), n, 1),
          ReduceKernels.argF64(op, d, c.off(), n));
      MemorySegment i = MemorySegment.ofArray(ints(c.seed(), c.off(), n, true));
      assertEquals(ArgReduceScalar.i32(op, i, c.off(), n, 1),
          ReduceKernels.argI32(op, i, c.off(), n));
      MemorySegment l = MemorySegment.ofArray(longs(c.seed(), c.off(), n, true));
      assertEquals(ArgReduceScalar.i64(op, l, c.off(), n, 1),
          ReduceKernels.argI64(op, l, c.off(), n));
      MemorySegment b = MemorySegment.ofArray(bools(c.seed(), c.off() + n + PAD));
      assertEquals(ArgReduceScalar.bool(op, b, c.off(), n, 1),
          ReduceKernels.argBool(op, b, c.off(), n));
    });
  }

  @Test
  void divMatchesTwin() {
    qt().withExamples(100).forAll(runs(FL, 3000)).checkAssert(c -> {
      float[] a = floats(ReduceOp.SUM, c.seed(), c.off(), c.n());
      float[] b = a.clone();
      ReduceScalar.divF32(MemorySegment.ofArray(a), c.off(), c.n(), 7f);
      ReduceKernels.divF32(MemorySegment.ofArray(b), c.off(), c.n(), 7f);
      assertTrue(Arrays.equals(a, b));
      double[] p = doubles(ReduceOp.SUM, c.seed(), c.off(), c.n());
      double[] q = p.clone();
      ReduceScalar.divF64(MemorySegment.ofArray(p), c.off(), c.n(), 3.0);
      ReduceKernels.divF64(MemorySegment.ofArray(q), c.off(), c.n(), 3.0);
      assertTrue(Arrays.equals(p, q));
    });
  }

  // ---------------------------------------------------------------- outer kernels vs twins

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"SUM", "PROD", "MAX", "MIN"})
  void outerFloatsMatchTwins(ReduceOp op) {
    qt().withExamples(100).forAll(blocks(FL)).checkAssert(c -> {
      int n = c.r() * c.inner(), yo = c.off();
      MemorySegment x = MemorySegment.ofArray(floats(op, c.seed(), c.off(), n));
      float[] want = nanFilled(yo + c.inner() + PAD), got = want.clone();
      ReduceScalar.f32Outer(op, x, c.off(), c.r(), c.inner(), MemorySegment.ofArray(want), yo);
      ReduceKernels.f32Outer(op, x, c.off(), c.r(), c.inner(), MemorySegment.ofArray(got), yo);
      for (int j = 0; j < want.length; j++) {
        boolean in = j >= yo && j < yo + c.inner();
        double abs = in ? sumAbs(x, c.off() + j - yo, c.r(), c.inner(), true) : 0;
        assertF32(op, want[j], got[j], abs, c.r());
      }
      MemorySegment xd = MemorySegment.ofArray(doubles(op, c.seed(), c.off(), n));
      double[] wd = new double[yo + c.inner() + PAD], gd = wd.clone();
      ReduceScalar.f64Outer(op, xd, c.off(), c.r(), c.inner(), MemorySegment.ofArray(wd), yo);
      ReduceKernels.f64Outer(op, xd, c.off(), c.r(), c.inner(), MemorySegment.ofArray(gd), yo);
      for (int j = 0; j < wd.length; j++) {
        boolean in = j >= yo && j < yo + c.inner();
        double abs = in ? sumAbs(xd, c.off() + j - yo, c.r(), c.inner(), false) : 0;
        assertF64(op, wd[j], gd[j], abs, c.r());
      }
    });
  }

  private static float[] nanFilled(int len) {
    float[] a = new float[len];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"SUM", "PROD", "MAX", "MIN"})
  void outerIntegersMatchTwins(ReduceOp op) {
    qt().withExamples(100).forAll(blocks(FL)).checkAssert(c -> {
      int n = c.r() * c.inner(), len = c.off() + c.inner() + PAD;
      MemorySegment x = MemorySegment.ofArray(ints(c.seed(), c.off(), n, false));
      int[] want = new int[len], got = new int[len];
      ReduceScalar.i32Outer(op, x, c.off(), c.r(), c.inner(), MemorySegment.ofArray(want), c.off());
      ReduceKernels.i32Outer(op, x, c.off(), c.r(), c.inner(), MemorySegment.ofArray(got), c.off());
      assertTrue(Arrays.equals(want, got));
      MemorySegment xl = MemorySegment.ofArray(longs(c.seed(), c.off(), n, false));
      long[] wl = new long[len], gl = new long[len];
      ReduceScalar.i64Outer(op, xl, c.off(), c.r(), c.inner(), MemorySegment.ofArray(wl), c.off());
      ReduceKernels.i64Outer(op, xl, c.off(), c.r(), c.inner(), MemorySegment.ofArray(gl), c.off());
      assertTrue(Arrays.equals(wl, gl));
      if (op == ReduceOp.SUM) {
        long[] ww = new long[len], gw = new long[len];
        ReduceScalar.i32WideOuter(x, c.off(), c.r(), c.inner(), MemorySegment.ofArray(ww), c.off());
        ReduceKernels.i32WideOuter(
            x, c.off(), c.r(), c.inner(), MemorySegment.ofArray(gw), c.off());
        assertTrue(Arrays.equals(ww, gw));
      }
    });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"ALL", "ANY"})
  void outerBoolMatchesTwin(ReduceOp op) {
    qt().withExamples(100).forAll(blocks(64)).checkAssert(c -> {
      MemorySegment x = MemorySegment.ofArray(bools(c.seed(), c.off() + c.r() * c.inner() + PAD));
      byte[] want = new byte[c.off() + c.inner() + PAD], got = want.clone();
      Arrays.fill(want, (byte) 0x7f);
      Arrays.fill(got, (byte) 0x7f);
      MemorySegment w = MemorySegment.ofArray(want), g = MemorySegment.ofArray(got);
      ReduceScalar.boolOuter(op, x, c.off(), c.r(), c.inner(), w, c.off());
      ReduceKernels.boolOuter(op, x, c.off(), c.r(), c.inner(), g, c.off());
      assertTrue(Arrays.equals(want, got));
    });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"MAX", "MIN"})
  void outerArgMatchesTwin(ReduceOp op) {
    qt().withExamples(100).forAll(blocks(FL)).checkAssert(c -> {
      int r = Math.max(1, c.r()), n = r * c.inner(), len = c.off() + c.inner() + PAD;
      MemorySegment[] xs = {
        MemorySegment.ofArray(floats(op, c.seed(), c.off(), n)),
        MemorySegment.ofArray(doubles(op, c.seed(), c.off(), n)),
        MemorySegment.ofArray(ints(c.seed(), c.off(), n, true)),
        MemorySegment.ofArray(longs(c.seed(), c.off(), n, true)),
        MemorySegment.ofArray(bools(c.seed(), c.off() + n + PAD))};
      for (int t = 0; t < xs.length; t++) {
        long[] want = new long[len], got = new long[len];
        Arrays.fill(want, -7);
        Arrays.fill(got, -7);
        MemorySegment w = MemorySegment.ofArray(want), g = MemorySegment.ofArray(got);
        switch (t) {
          case 0 -> {
            ArgReduceScalar.f32Outer(op, xs[t], c.off(), r, c.inner(), w, c.off());
            ReduceKernels.argF32Outer(op, xs[t], c.off(), r, c.inner(), g, c.off());
          }
          case 1 -> {
            ArgReduceScalar.f64Outer(op, xs[t], c.off(), r, c.inner(), w, c.off());
            ReduceKernels.argF64Outer(op, xs[t], c.off(), r, c.inner(), g, c.off());
          }
          case 2 -> {
            ArgReduceScalar.i32Outer(op, xs[t], c.off(), r, c.inner(), w, c.off());
            ReduceKernels.argI32Outer(op, xs[t], c.off(), r, c.inner(), g, c.off());
          }
          case 3 -> {
            ArgReduceScalar.i64Outer(op, xs[t], c.off(), r, c.inner(), w, c.off());
            ReduceKernels.argI64Outer(op, xs[t], c.off(), r, c.inner(), g, c.off());
          }
          default -> {
            ArgReduceScalar.boolOuter(op, xs[t], c.off(), r, c.inner(), w, c.off());
            ReduceKernels.argBoolOuter(op, xs[t], c.off(), r, c.inner(), g, c.off());
          }
        }
        int kind = t;
        assertTrue(Arrays.equals(want, got), () -> "element kind " + kind);
      }
    });
  }

  // ---------------------------------------------------------------- the float sum error bound

  /**
   * Values that expose a running sum: one large value then many below half its ulp, wide
   * exponents with cancellation, or plain uniform values.
   */
  private static float[] hardSum(SplittableRandom r, int n, int pattern) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = switch (pattern) {
        case 0 -> i == 0 ? 1f : 0x1p-25f * (float) r.nextDouble(1, 2);
        case 1 -> (float) ((r.nextBoolean() ? 1 : -1)
            * Math.scalb(r.nextDouble(1, 2), r.nextInt(-20, 21)));
        case 2 -> (float) r.nextDouble(0, 1);
        default -> (float) r.nextDouble(-1, 1) + (i % 2 == 0 ? 1000f : -1000f);
      };
    }
    return x;
  }

  private static double[] exact(float[] x, int off, int n, int stride) {
    double s = 0, a = 0; // FLOAT64 sum of FLOAT32 values: error <= n 2^-53 sum|x|, well below
    for (int k = 0; k < n; k++) {
      double v = x[off + k * stride];
      s += v;
      a += Math.abs(v);
    }
    return new double[] {s, a};
  }

  private static void assertWithinBound(double got, double[] ref, long n) {
    double bound = ReduceKernels.sumErrorFactorF32(n) * EPS32 * ref[1] + n * 0x1p-53 * ref[1];
    assertTrue(Math.abs(got - ref[0]) <= bound, () -> "n=" + n + ": float32 sum " + got
        + " is " + Math.abs(got - ref[0]) + " from " + ref[0] + ", beyond the bound " + bound);
  }

  @Test
  void float32SumStaysWithinTheDocumentedBoundUpToAMillion() {
    qt().withExamples(40).forAll(in -> TensorGens.draw(in).between(Long.MIN_VALUE, Long.MAX_VALUE))
        .checkAssert(seed -> {
          SplittableRandom r = new SplittableRandom(seed);
          int n = (int) Math.round(Math.pow(10, r.nextDouble(0, 6)));
          float[] x = hardSum(r, n, r.nextInt(4));
          double[] ref = exact(x, 0, n, 1);
          assertWithinBound(Ops.reduceSum(Tensor.of(x)).item(), ref, n);
          assertWithinBound(ReduceScalar.f32(ReduceOp.SUM, MemorySegment.ofArray(x), 0, n), ref, n);
          // The outer form: column sums of an [r, cols] view.
          int cols = 1 + r.nextInt(3 * FL);
          int rows = n / cols;
          float[] y = new float[cols];
          ReduceKernels.f32Outer(ReduceOp.SUM, MemorySegment.ofArray(x), 0, rows, cols,
              MemorySegment.ofArray(y), 0);
          for (int j = 0; j < cols; j++) {
            assertWithinBound(y[j], exact(x, j, rows, cols), rows);
          }
        });
  }

  @Test
  void theBoundCatchesARunningSum() {
    // The test above can fail: a plain running sum of the first pattern breaks the bound.
    int n = 1_000_000;
    float[] x = hardSum(new SplittableRandom(1), n, 0);
    float running = 0;
    for (float v : x) {
      running += v;
    }
    double[] ref = exact(x, 0, n, 1);
    double bound = ReduceKernels.sumErrorFactorF32(n) * EPS32 * ref[1];
    assertTrue(Math.abs(running - ref[0]) > 10 * bound);
    assertWithinBound(Ops.reduceSum(Tensor.of(x)).item(), ref, n);
  }

  // ---------------------------------------------------------------- ops vs a naive reference

  /** A random reduction: dtype, shape, axes as passed (maybe negative, maybe none), keepDims. */
  record OpCase(DType dtype, long[] dims, int[] axes, boolean keep, long seed) {
    @Override
    public String toString() {
      return dtype + Arrays.toString(dims) + " axes " + Arrays.toString(axes) + " keepDims "
          + keep + " seed " + seed;
    }
  }

  private static Gen<OpCase> opCases(DType... dtypes) {
    return in -> {
      Draw d = TensorGens.draw(in);
      DType t = d.oneOf(dtypes);
      int rank = d.intBetween(0, 4);
      long[] dims = new long[rank];
      long size = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = d.oneOf(0L, 1L, 1L, 2L, 3L, 4L, 5L, (long) FL + 1, 2L * FL + 3, 33L);
        if (size * Math.max(1, dims[i]) > 20000) {
          dims[i] = 2;
        }
        size *= Math.max(1, dims[i]);
      }
      int[] axes = new int[rank];
      int na = 0;
      for (int i = 0; i < rank; i++) {
        if (d.between(0, 1) == 1) {
          axes[na++] = d.between(0, 1) == 1 ? i - rank : i;
        }
      }
      axes = Arrays.copyOf(axes, na);
      for (int i = na - 1; i > 0; i--) { // shuffle: the order of axes must not matter
        int j = d.intBetween(0, i);
        int tmp = axes[i];
        axes[i] = axes[j];
        axes[j] = tmp;
      }
      boolean keep = d.between(0, 1) == 1;
      return new OpCase(t, dims, axes, keep, d.between(Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"SUM", "PROD", "MAX", "MIN"})
  void numericReductionsMatchTheNaiveReference(ReduceOp op) {
    qt().withExamples(200).forAll(opCases(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64))
        .checkAssert(c -> {
          Tensor x = ReduceReference.tensor(c, op);
          Tensor got = switch (op) {
            case SUM -> Ops.reduceSum(x, c.keep(), c.axes());
            case PROD -> Ops.reduceProd(x, c.keep(), c.axes());
            case MAX -> Ops.reduceMax(x, c.keep(), c.axes());
            default -> Ops.reduceMin(x, c.keep(), c.axes());
          };
          ReduceReference.check(op.name(), x, c, got);
        });
  }

  @Test
  void meanMatchesTheNaiveReference() {
    qt().withExamples(200).forAll(opCases(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64))
        .checkAssert(c -> {
          Tensor x = ReduceReference.tensor(c, ReduceOp.SUM);
          ReduceReference.check("MEAN", x, c, Ops.reduceMean(x, c.keep(), c.axes()));
        });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"ALL", "ANY"})
  void allAndAnyMatchTheNaiveReference(ReduceOp op) {
    qt().withExamples(200).forAll(opCases(DType.BOOL)).checkAssert(c -> {
      Tensor x = ReduceReference.tensor(c, op);
      Tensor got = op == ReduceOp.ALL ? Ops.reduceAll(x, c.keep(), c.axes())
          : Ops.reduceAny(x, c.keep(), c.axes());
      ReduceReference.check(op.name(), x, c, got);
    });
  }

  @ParameterizedTest
  @EnumSource(value = ReduceOp.class, names = {"MAX", "MIN"})
  void argMatchesTheNaiveReference(ReduceOp op) {
    qt().withExamples(200)
        .forAll(opCases(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL))
        .checkAssert(c -> {
          Tensor x = ReduceReference.tensor(c, op);
          int rank = c.dims().length;
          int axis = rank == 0 ? 0 : new SplittableRandom(c.seed()).nextInt(-rank, rank);
          int a = axis < 0 ? axis + rank : axis;
          if (rank == 0 || c.dims()[a] == 0) { // no axis, or an empty one: an error
            assertThrows(InvalidArgumentException.class,
                () -> Ops.argMax(x, axis));
          } else {
            Tensor got = op == ReduceOp.MAX ? Ops.argMax(x, axis) : Ops.argMin(x, axis);
            ReduceReference.checkArg(op, x, a, got);
          }
        });
  }
}
