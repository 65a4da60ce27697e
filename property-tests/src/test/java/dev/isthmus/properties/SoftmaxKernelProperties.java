package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.SoftmaxKernels;
import dev.isthmus.kernels.SoftmaxScalar;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.TensorGens;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

/**
 * The softmax kernels against their scalar twins (rows and the outer form, over awkward sizes
 * and offsets), and the ops over random shapes and axes: each softmax row sums to 1 and matches
 * a FLOAT64 naive reference, and log-softmax matches log(softmax). The kernels also read and
 * write every kind of memory (heap arrays, slices of them, native memory, heap memory of another
 * type), take rows whose spread passes the FLOAT32 exp's clamp (-104) or that hold -inf, +inf or
 * NaN, and check their ranges.
 *
 * <p>Tolerances: the twins differ in exp (a few ulps), in the order of the exp sum (relative
 * error at most n eps for n positive terms, for each), and in one final rounding; so {@code (n +
 * 8) eps} relative for softmax, and that much absolute (plus relative) for log-softmax. Plus
 * {@code d eps}, d the row's spread (max - min of its finite logits): the FLOAT32 row kernel
 * computes {@code e^(x - M)} as {@code e^(x - m_b) e^(m_b - M)} (an online max), and each way of
 * rounding the exponent moves the result by up to {@code |x - M| eps/2}, relative, exp magnifying
 * it (no worse than the twin's single {@code x - M}, but not the same rounding).
 */
class SoftmaxKernelProperties {
  private static final int PAD = 3;

  /** A row of n logits at offset off, or (outer form) an [n, inner] block. */
  record Case(int n, int inner, int off, long seed) {}

  private static Gen<Case> cases(int lanes, int maxN) {
    return in -> {
      Draw d = TensorGens.draw(in);
      return new Case((int) Generators.awkwardSize(d, lanes, maxN),
          (int) Generators.awkwardSize(d, lanes, 40), d.intBetween(0, PAD),
          d.between(Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  /** Logits in [-20, 20], shifted by up to +-1000 so an unstable kernel would overflow. */
  private static double[] logits(long seed, int off, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double shift = r.nextBoolean() ? 0 : r.nextDouble(-1000, 1000);
    double[] x = new double[off + n + PAD];
    Arrays.fill(x, Double.NaN);
    for (int i = 0; i < n; i++) {
      x[off + i] = shift + r.nextDouble(-20, 20);
    }
    return x;
  }

  /** max - min of the finite values in x[off, off + n): how far exp's argument reaches. */
  private static double spread(double[] x, int off, int n) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (int i = off; i < off + n; i++) {
      if (Double.isFinite(x[i])) {
        lo = Math.min(lo, (float) x[i]);
        hi = Math.max(hi, (float) x[i]);
      }
    }
    return hi > lo ? hi - lo : 0;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static Tolerance tol(boolean log, double n, double eps) {
    double t = (n + 8) * eps;
    return log ? Tolerance.rel(t).orAbs(t) : Tolerance.rel(t).orAbs(Float.MIN_NORMAL);
  }

  // ---------------------------------------------------------------- kernels vs twins

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void rowsMatchTwins(boolean log) {
    qt().withExamples(150).forAll(cases(Simd.floatLanes(), 3000)).checkAssert(c -> {
      double[] xd = logits(c.seed(), c.off(), c.n());
      float[] xf = toFloats(xd);
      int len = c.off() + c.n() + PAD;
      float[] wf = nanFloats(len), gf = nanFloats(len);
      MemorySegment x = MemorySegment.ofArray(xf);
      MemorySegment w = MemorySegment.ofArray(wf), g = MemorySegment.ofArray(gf);
      if (log) {
        SoftmaxScalar.logSoftmaxF32(x, c.off(), w, c.off(), c.n());
        SoftmaxKernels.logSoftmaxF32(x, c.off(), g, c.off(), c.n());
      } else {
        SoftmaxScalar.softmaxF32(x, c.off(), w, c.off(), c.n());
        SoftmaxKernels.softmaxF32(x, c.off(), g, c.off(), c.n());
      }
      double d = spread(xd, c.off(), c.n());
      TensorAssert.assertClose(wf, gf, tol(log, c.n() + d, 0x1p-23));
      double[] wd = nanDoubles(len), gd = nanDoubles(len);
      x = MemorySegment.ofArray(xd);
      w = MemorySegment.ofArray(wd);
      g = MemorySegment.ofArray(gd);
      if (log) {
        SoftmaxScalar.logSoftmaxF64(x, c.off(), w, c.off(), c.n());
        SoftmaxKernels.logSoftmaxF64(x, c.off(), g, c.off(), c.n());
      } else {
        SoftmaxScalar.softmaxF64(x, c.off(), w, c.off(), c.n());
        SoftmaxKernels.softmaxF64(x, c.off(), g, c.off(), c.n());
      }
      TensorAssert.assertClose(wd, gd, tol(log, c.n() + d, 0x1p-52));
    });
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void outerFormMatchesTwins(boolean log) {
    qt().withExamples(100).forAll(cases(Simd.floatLanes(), 150)).checkAssert(c -> {
      int n = c.n() * c.inner();
      double[] xd = logits(c.seed(), c.off(), n);
      float[] xf = toFloats(xd);
      int len = c.off() + n + PAD;
      float[] wf = nanFloats(len), gf = nanFloats(len);
      MemorySegment x = MemorySegment.ofArray(xf);
      MemorySegment w = MemorySegment.ofArray(wf), g = MemorySegment.ofArray(gf);
      if (log) {
        SoftmaxScalar.logSoftmaxF32Outer(x, c.off(), c.n(), c.inner(), w, c.off());
        SoftmaxKernels.logSoftmaxF32Outer(x, c.off(), c.n(), c.inner(), g, c.off());
      } else {
        SoftmaxScalar.softmaxF32Outer(x, c.off(), c.n(), c.inner(), w, c.off());
        SoftmaxKernels.softmaxF32Outer(x, c.off(), c.n(), c.inner(), g, c.off());
      }
      double d = spread(xd, c.off(), c.n() * c.inner());
      TensorAssert.assertClose(wf, gf, tol(log, c.n() + d, 0x1p-23));
      double[] wd = nanDoubles(len), gd = nanDoubles(len);
      x = MemorySegment.ofArray(xd);
      w = MemorySegment.ofArray(wd);
      g = MemorySegment.ofArray(gd);
      if (log) {
        SoftmaxScalar.logSoftmaxF64Outer(x, c.off(), c.n(), c.inner(), w, c.off());
        SoftmaxKernels.logSoftmaxF64Outer(x, c.off(), c.n(), c.inner(), g, c.off());
      } else {
        SoftmaxScalar.softmaxF64Outer(x, c.off(), c.n(), c.inner(), w, c.off());
        SoftmaxKernels.softmaxF64Outer(x, c.off(), c.n(), c.inner(), g, c.off());
      }
      TensorAssert.assertClose(wd, gd, tol(log, c.n() + d, 0x1p-52));
    });
  }

  /**
   * Logits for the kernel-vs-twin tests: as {@link #logits} (modes 0, 5, 6); spread over [-130, 0]
   * past the FLOAT32 exp's clamp at -104 into subnormal and zero results, with some -inf (mode 1);
   * with a NaN or +inf, which make the row NaN (mode 2); one spike 120 to 150 above the rest,
   * anywhere, so that other blocks' maxima are far below the row's (mode 3); a run of -inf
   * (masked logits), maybe the whole row (mode 4).
   */
  private static double[] anyLogits(long seed, int off, int n) {
    SplittableRandom r = new SplittableRandom(~seed);
    int mode = r.nextInt(7);
    double[] x = logits(seed, off, n);
    if (mode == 1) {
      double shift = r.nextBoolean() ? 0 : r.nextDouble(-1000, 1000);
      for (int i = 0; i < n; i++) {
        x[off + i] = r.nextInt(30) == 0 ? Double.NEGATIVE_INFINITY : shift + r.nextDouble(-130, 0);
      }
    } else if (mode == 2 && n > 0) {
      x[off + r.nextInt(n)] = r.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
    } else if (mode == 3 && n > 0) {
      for (int i = 0; i < n; i++) {
        x[off + i] = r.nextDouble(-150, -120);
      }
      x[off + r.nextInt(n)] = 0;
    } else if (mode == 4 && n > 0) {
      int from = r.nextInt(n), to = r.nextInt(8) == 0 ? n : from + r.nextInt(n - from + 1);
      Arrays.fill(x, off + (r.nextBoolean() ? 0 : from), off + to, Double.NEGATIVE_INFINITY);
    }
    return x;
  }

  /**
   * A copy of {@code data} (a float[] or double[] segment) in memory of one kind: 0 its own
   * array, 1 a slice 5 elements into a larger array (array index != element index), 2 native
   * memory, 3 a long[] heap segment (heap memory that is not the dtype's array).
   */
  private static MemorySegment memory(int kind, MemorySegment data) {
    long size = data.byteSize();
    boolean f32 = data.heapBase().orElseThrow() instanceof float[];
    long skip = kind == 1 ? 5L * (f32 ? 4 : 8) : 0;
    MemorySegment m = switch (kind) {
      case 0, 1 -> f32 ? MemorySegment.ofArray(new float[(int) ((skip + size) / 4)])
          : MemorySegment.ofArray(new double[(int) ((skip + size) / 8)]);
      case 2 -> Arena.ofAuto().allocate(size, 8);
      default -> MemorySegment.ofArray(new long[(int) ((size + 7) / 8)]);
    };
    MemorySegment s = m.asSlice(skip, size);
    s.copyFrom(data);
    return s;
  }

  /** One kernel call, on memory of the given kinds: row or outer form, softmax or log. */
  private interface Call {
    void run(MemorySegment x, long xo, MemorySegment y, long yo);
  }

  /** Runs {@code kernel} on copies in memory of kinds xKind and yKind; returns y as floats. */
  private static float[] onMemoryF32(Call kernel, float[] x, float[] y, int xKind, int yKind,
      int off) {
    MemorySegment xs = memory(xKind, MemorySegment.ofArray(x));
    MemorySegment ys = memory(yKind, MemorySegment.ofArray(y));
    kernel.run(xs, off, ys, off);
    float[] out = new float[y.length];
    MemorySegment.copy(ys, JAVA_FLOAT, 0, out, 0, out.length);
    return out;
  }

  private static double[] onMemoryF64(Call kernel, double[] x, double[] y, int xKind, int yKind,
      int off) {
    MemorySegment xs = memory(xKind, MemorySegment.ofArray(x));
    MemorySegment ys = memory(yKind, MemorySegment.ofArray(y));
    kernel.run(xs, off, ys, off);
    double[] out = new double[y.length];
    MemorySegment.copy(ys, JAVA_DOUBLE, 0, out, 0, out.length);
    return out;
  }

  /**
   * Rows and the outer form on every kind of memory for x and y, at element offsets, with rows
   * past the exp's clamp, -inf, +inf and NaN: against the twins on plain arrays, guards kept.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void kernelsMatchTwinsOnEveryKindOfMemory(boolean log) {
    qt().withExamples(150).forAll(in -> {
      Draw d = TensorGens.draw(in);
      // a quarter of the rows long enough for the FLOAT32 online pass (8192 up; past 256 blocks
      // of 8 vectors from 32768 with 16 lanes)
      int size = switch (d.intBetween(0, 7)) {
        case 0 -> 8192 + (int) Generators.awkwardSize(d, Simd.floatLanes(), 3000);
        case 1 -> d.intBetween(30000, 70000);
        default -> (int) Generators.awkwardSize(d, Simd.floatLanes(), 2000);
      };
      return new int[] {
        size, d.intBetween(0, PAD),
        d.intBetween(0, 3), d.intBetween(0, 3), d.intBetween(0, 1),
        (int) Generators.awkwardSize(d, Simd.floatLanes(), 40), d.intBetween(0, 1 << 30)};
    }).checkAssert(c -> {
      boolean outer = c[4] == 1;
      int r = outer ? Math.min(c[0], 60) : c[0], inner = outer ? c[5] : 1, n = r * inner;
      int off = c[1], xKind = c[2], yKind = c[3];
      double[] xd = anyLogits(c[6], off, n);
      float[] xf = toFloats(xd);
      int len = off + n + PAD;
      Call f32 = outer
          ? (log ? (x, xo, y, yo) -> SoftmaxKernels.logSoftmaxF32Outer(x, xo, r, inner, y, yo)
              : (x, xo, y, yo) -> SoftmaxKernels.softmaxF32Outer(x, xo, r, inner, y, yo))
          : (log ? (x, xo, y, yo) -> SoftmaxKernels.logSoftmaxF32(x, xo, y, yo, n)
              : (x, xo, y, yo) -> SoftmaxKernels.softmaxF32(x, xo, y, yo, n));
      Call t32 = outer
          ? (log ? (x, xo, y, yo) -> SoftmaxScalar.logSoftmaxF32Outer(x, xo, r, inner, y, yo)
              : (x, xo, y, yo) -> SoftmaxScalar.softmaxF32Outer(x, xo, r, inner, y, yo))
          : (log ? (x, xo, y, yo) -> SoftmaxScalar.logSoftmaxF32(x, xo, y, yo, n)
              : (x, xo, y, yo) -> SoftmaxScalar.softmaxF32(x, xo, y, yo, n));
      float[] wf = nanFloats(len);
      t32.run(MemorySegment.ofArray(xf), off, MemorySegment.ofArray(wf), off);
      float[] gf = onMemoryF32(f32, xf, nanFloats(len), xKind, yKind, off);
      double d = spread(xd, off, n);
      TensorAssert.assertClose(wf, gf, tol(log, r + d, 0x1p-23));
      Call f64 = outer
          ? (log ? (x, xo, y, yo) -> SoftmaxKernels.logSoftmaxF64Outer(x, xo, r, inner, y, yo)
              : (x, xo, y, yo) -> SoftmaxKernels.softmaxF64Outer(x, xo, r, inner, y, yo))
          : (log ? (x, xo, y, yo) -> SoftmaxKernels.logSoftmaxF64(x, xo, y, yo, n)
              : (x, xo, y, yo) -> SoftmaxKernels.softmaxF64(x, xo, y, yo, n));
      Call t64 = outer
          ? (log ? (x, xo, y, yo) -> SoftmaxScalar.logSoftmaxF64Outer(x, xo, r, inner, y, yo)
              : (x, xo, y, yo) -> SoftmaxScalar.softmaxF64Outer(x, xo, r, inner, y, yo))
          : (log ? (x, xo, y, yo) -> SoftmaxScalar.logSoftmaxF64(x, xo, y, yo, n)
              : (x, xo, y, yo) -> SoftmaxScalar.softmaxF64(x, xo, y, yo, n));
      double[] wd = nanDoubles(len);
      t64.run(MemorySegment.ofArray(xd), off, MemorySegment.ofArray(wd), off);
      double[] gd = onMemoryF64(f64, xd, nanDoubles(len), xKind, yKind, off);
      TensorAssert.assertClose(wd, gd, tol(log, r + d, 0x1p-52));
    });
  }

  /**
   * Rows (three passes and online) once C2 has compiled the loops (the FLOAT64 ones call the
   * Vector API's EXP, an intrinsic only in compiled code), each pass checked.
   */
  @ParameterizedTest
  @CsvSource({"false, 4109", "true, 4109", "false, 20013", "true, 20013"})
  void hotRowsMatchTwins(boolean log, int n) {
    double[] xd = anyLogits(log ? 7 : 8, 0, n);
    for (int i = 0; i < n; i++) {
      xd[i] = Double.isFinite(xd[i]) ? xd[i] : -50; // keep the row finite: numbers to compare
    }
    float[] xf = toFloats(xd);
    float[] wf = new float[n], gf = new float[n];
    double[] wd = new double[n], gd = new double[n];
    MemorySegment xfs = MemorySegment.ofArray(xf), xds = MemorySegment.ofArray(xd);
    if (log) {
      SoftmaxScalar.logSoftmaxF32(xfs, 0, MemorySegment.ofArray(wf), 0, n);
      SoftmaxScalar.logSoftmaxF64(xds, 0, MemorySegment.ofArray(wd), 0, n);
    } else {
      SoftmaxScalar.softmaxF32(xfs, 0, MemorySegment.ofArray(wf), 0, n);
      SoftmaxScalar.softmaxF64(xds, 0, MemorySegment.ofArray(wd), 0, n);
    }
    for (int pass = 0; pass < 300; pass++) {
      if (log) {
        SoftmaxKernels.logSoftmaxF32(xfs, 0, MemorySegment.ofArray(gf), 0, n);
        SoftmaxKernels.logSoftmaxF64(xds, 0, MemorySegment.ofArray(gd), 0, n);
      } else {
        SoftmaxKernels.softmaxF32(xfs, 0, MemorySegment.ofArray(gf), 0, n);
        SoftmaxKernels.softmaxF64(xds, 0, MemorySegment.ofArray(gd), 0, n);
      }
      TensorAssert.assertClose(wf, gf, tol(log, n + spread(xd, 0, n), 0x1p-23));
      TensorAssert.assertClose(wd, gd, tol(log, n + spread(xd, 0, n), 0x1p-52));
    }
  }

  /**
   * The FLOAT32 online rows (8192 elements up) on the cases its blocks treat specially, with and
   * without a scalar tail: -inf prefixes (a lane's running max starts below every logit), the
   * max in the first or last block (the others' factors tiny or the rescale large), rows all
   * -inf or holding +inf or NaN (which go to the twin), and rows long enough for bigger blocks.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void onlineRowsAtTheirEdges(boolean log) {
    for (int n : new int[] {8192, 8192 + 5, 40000, 40000 + 3, 100000}) {
      for (int pattern = 0; pattern < 8; pattern++) {
        SplittableRandom r = new SplittableRandom(31L * n + pattern);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = (float) r.nextDouble(-20, 20);
        }
        switch (pattern) {
          case 0 -> Arrays.fill(x, 0, 1000, Float.NEGATIVE_INFINITY);
          case 1 -> Arrays.fill(x, 0, n - 3, Float.NEGATIVE_INFINITY);
          case 2 -> x[0] = 200; // other blocks' maxima 180 below: their factors vanish
          case 3 -> {
            Arrays.fill(x, 0, n, -150f);
            x[n - 1] = 10; // the last block's max: earlier blocks rescaled by e^-160
          }
          case 4 -> Arrays.fill(x, Float.NEGATIVE_INFINITY);
          case 5 -> x[r.nextInt(n)] = Float.POSITIVE_INFINITY;
          case 6 -> x[n - 1] = Float.NaN;
          default -> { } // plain
        }
        float[] want = new float[n], got = new float[n];
        MemorySegment xs = MemorySegment.ofArray(x);
        if (log) {
          SoftmaxScalar.logSoftmaxF32(xs, 0, MemorySegment.ofArray(want), 0, n);
          SoftmaxKernels.logSoftmaxF32(xs, 0, MemorySegment.ofArray(got), 0, n);
        } else {
          SoftmaxScalar.softmaxF32(xs, 0, MemorySegment.ofArray(want), 0, n);
          SoftmaxKernels.softmaxF32(xs, 0, MemorySegment.ofArray(got), 0, n);
        }
        double[] xd = new double[n];
        for (int i = 0; i < n; i++) {
          xd[i] = x[i];
        }
        TensorAssert.assertClose(want, got, tol(log, n + spread(xd, 0, n), 0x1p-23));
      }
    }
  }

  /**
   * Ranges are checked, not asserted: a row or block that runs past the end of a slice throws
   * IndexOutOfBoundsException and writes nothing, though the vector path writes arrays directly.
   */
  @Test
  void kernelsStopAtTheEndOfASlice() {
    float[] f = new float[80];
    double[] d = new double[80];
    MemorySegment fs = MemorySegment.ofArray(f).asSlice(8, 64 * Float.BYTES);
    MemorySegment ds = MemorySegment.ofArray(d).asSlice(16, 64 * Double.BYTES);
    MemorySegment fx = MemorySegment.ofArray(new float[64]);
    MemorySegment dx = MemorySegment.ofArray(new double[64]);
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.softmaxF32(fx, 0, fs, 1, 64));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.logSoftmaxF32(fs, 1, fx, 0, 64));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.softmaxF64(dx, 0, ds, 32, 33));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.logSoftmaxF64(dx, -1, ds, 0, 8));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.softmaxF32Outer(fx, 0, 8, 8, fs, 1));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.logSoftmaxF32Outer(fx, 0, 5, 13, fs, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.softmaxF64Outer(dx, 0, 16, 4, ds, 1));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.logSoftmaxF64Outer(dx, 0, 1L << 40, 1L << 40, ds, 0));
    assertArrayEquals(new float[80], f);
    assertArrayEquals(new double[80], d);
  }

  private static float[] nanFloats(int len) {
    float[] a = new float[len];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  private static double[] nanDoubles(int len) {
    double[] a = new double[len];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  // ---------------------------------------------------------------- ops vs a FLOAT64 reference

  /** A softmax case: dtype, shape (rank 1 to 4), axis as passed (maybe negative), seed. */
  record OpCase(DType dtype, long[] dims, int axis, long seed) {
    @Override
    public String toString() {
      return dtype + Arrays.toString(dims) + " axis " + axis + " seed " + seed;
    }
  }

  private static Gen<OpCase> opCases() {
    return in -> {
      Draw d = TensorGens.draw(in);
      int rank = d.intBetween(1, 4);
      long[] dims = new long[rank];
      long size = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = d.oneOf(0L, 1L, 2L, 3L, 5L, (long) Simd.floatLanes() + 1, 40L);
        if (size * Math.max(1, dims[i]) > 20000) {
          dims[i] = 2;
        }
        size *= Math.max(1, dims[i]);
      }
      int axis = d.intBetween(-rank, rank - 1);
      return new OpCase(d.oneOf(DType.FLOAT32, DType.FLOAT64), dims, axis,
          d.between(Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  @Test
  void opsMatchTheFloat64ReferenceAndRowsSumToOne() {
    qt().withExamples(200).forAll(opCases()).checkAssert(c -> {
      int n = Math.toIntExact(dev.isthmus.Shape.of(c.dims()).size());
      double[] xd = Arrays.copyOf(logits(c.seed(), 0, n), n);
      boolean f32 = c.dtype() == DType.FLOAT32;
      if (f32) { // the reference sees exactly the FLOAT32 inputs
        for (int i = 0; i < n; i++) {
          xd[i] = (float) xd[i];
        }
      }
      Tensor x = f32 ? Tensor.of(toFloats(xd), c.dims()) : Tensor.of(xd, c.dims());
      Tensor sm = Ops.softmax(x, c.axis());
      Tensor lsm = Ops.logSoftmax(x, c.axis());
      assertEquals(x.shape(), sm.shape());
      assertEquals(c.dtype(), lsm.dtype());
      double[] y = asDoubles(sm), ly = asDoubles(lsm);
      int rank = c.dims().length, a = c.axis() < 0 ? c.axis() + rank : c.axis();
      long r = c.dims()[a], outer = 1, inner = 1;
      for (int i = 0; i < a; i++) {
        outer *= c.dims()[i];
      }
      for (int i = a + 1; i < rank; i++) {
        inner *= c.dims()[i];
      }
      double eps = f32 ? 0x1p-23 : 0x1p-52, t = (r + 8) * eps;
      for (long o = 0; o < outer; o++) {
        for (long j = 0; j < inner; j++) {
          double m = Double.NEGATIVE_INFINITY, s = 0, total = 0;
          for (long k = 0; k < r; k++) {
            m = Math.max(m, xd[(int) ((o * r + k) * inner + j)]);
          }
          for (long k = 0; k < r; k++) {
            s += Math.exp(xd[(int) ((o * r + k) * inner + j)] - m);
          }
          for (long k = 0; k < r; k++) {
            int i = (int) ((o * r + k) * inner + j);
            double want = Math.exp(xd[i] - m) / s;
            double wantLog = (xd[i] - m) - Math.log(s);
            // x - m is rounded in the tensor's dtype: exp magnifies that into |x - m| eps.
            double tx = t + Math.abs(xd[i] - m) * eps;
            total += y[i];
            int at = i;
            assertTrue(Math.abs(y[i] - want) <= tx * want + Float.MIN_NORMAL,
                () -> "softmax at " + at + ": " + y[at] + ", expected " + want);
            assertTrue(Math.abs(ly[i] - wantLog) <= t * (1 + Math.abs(wantLog)),
                () -> "log-softmax at " + at + ": " + ly[at] + ", expected " + wantLog);
            assertTrue(Math.abs(ly[i] - Math.log(y[i])) <= 2 * t * (1 + Math.abs(wantLog)),
                () -> "log-softmax " + ly[at] + " vs log(softmax) " + Math.log(y[at]));
          }
          double sum = total;
          assertTrue(r == 0 || Math.abs(sum - 1) <= 2 * t + r * eps, () -> "a row sums to " + sum);
        }
      }
    });
  }

  private static double[] asDoubles(Tensor t) {
    if (t.dtype() == DType.FLOAT64) {
      return t.toDoubleArray();
    }
    float[] f = t.toFloatArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
