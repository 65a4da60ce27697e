package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

/**
 * The softmax kernels against their scalar twins (rows and the outer form, over awkward sizes
 * and offsets), and the ops over random shapes and axes: each softmax row sums to 1 and matches
 * a FLOAT64 naive reference, and log-softmax matches log(softmax).
 *
 * <p>Tolerances: the twins differ in exp (a few ulps), in the order of the exp sum (relative
 * error at most n eps for n positive terms, for each), and in one final rounding; so {@code (n +
 * 8) eps} relative for softmax, and that much absolute (plus relative) for log-softmax.
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

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static Tolerance tol(boolean log, long n, double eps) {
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
      TensorAssert.assertClose(wf, gf, tol(log, c.n(), 0x1p-23));
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
      TensorAssert.assertClose(wd, gd, tol(log, c.n(), 0x1p-52));
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
      TensorAssert.assertClose(wf, gf, tol(log, c.n(), 0x1p-23));
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
      TensorAssert.assertClose(wd, gd, tol(log, c.n(), 0x1p-52));
    });
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

  @org.junit.jupiter.api.Test
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
