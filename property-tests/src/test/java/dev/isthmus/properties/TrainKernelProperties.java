package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.TrainOps;
import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.TrainKernels;
import dev.isthmus.kernels.TrainScalar;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The training kernels (ReluGrad, Adam) against their scalar twins, bit for bit, over awkward
 * sizes and offsets, with special values (NaN, ±inf, ±0) among ReluGrad's operands; neither
 * writes outside {@code [off, off + n)}. And the ApplyAdam op against Adam's formula composed
 * from ops.
 */
class TrainKernelProperties {
  private static final int PAD = 3;
  private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE};

  /** n elements at offset off; the values come from seed. */
  record Case(int n, int off, long seed) {}

  private static Gen<Case> cases(int lanes) {
    return in -> {
      Draw d = TensorGens.draw(in);
      return new Case((int) Generators.awkwardSize(d, lanes, 5000), d.intBetween(0, PAD),
          d.between(Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  /** off + n + PAD values in [lo, hi), now and then a special one when {@code specials}. */
  private static double[] values(SplittableRandom r, int size, double lo, double hi,
      boolean specials) {
    double[] a = new double[size];
    for (int i = 0; i < size; i++) {
      a[i] = specials && r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)]
          : r.nextDouble(lo, hi);
    }
    return a;
  }

  private static float[] f32(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  @Test
  void reluGradMatchesItsTwin() {
    qt().withExamples(150).forAll(cases(Math.max(Simd.floatLanes(), 1))).checkAssert(c -> {
      SplittableRandom r = new SplittableRandom(c.seed());
      int size = c.off() + c.n() + PAD;
      double[] g = values(r, size, -2, 2, true), f = values(r, size, -2, 2, true);
      // FLOAT32
      float[] want = new float[size], got = new float[size];
      java.util.Arrays.fill(want, 7f);
      java.util.Arrays.fill(got, 7f);
      MemorySegment gs = MemorySegment.ofArray(f32(g)), fs = MemorySegment.ofArray(f32(f));
      TrainScalar.reluGradF32(gs, fs, MemorySegment.ofArray(want), c.off(), c.n());
      TrainKernels.reluGradF32(gs, fs, MemorySegment.ofArray(got), c.off(), c.n());
      assertArrayEquals(bits(want), bits(got), "FLOAT32 " + c);
      for (int i = c.off(); i < c.off() + c.n(); i++) {
        float fi = (float) f[i];
        float expect = fi > 0 ? (float) g[i] : 0f;
        if (Float.floatToIntBits(expect) != Float.floatToIntBits(want[i])) {
          throw new AssertionError("the twin at " + i + ": " + want[i] + " for f " + fi);
        }
      }
      // FLOAT64
      double[] want64 = new double[size], got64 = new double[size];
      java.util.Arrays.fill(want64, 7);
      java.util.Arrays.fill(got64, 7);
      TrainScalar.reluGradF64(MemorySegment.ofArray(g), MemorySegment.ofArray(f),
          MemorySegment.ofArray(want64), c.off(), c.n());
      TrainKernels.reluGradF64(MemorySegment.ofArray(g), MemorySegment.ofArray(f),
          MemorySegment.ofArray(got64), c.off(), c.n());
      assertArrayEquals(bits(want64), bits(got64), "FLOAT64 " + c);
    });
  }

  @Test
  void adamMatchesItsTwin() {
    qt().withExamples(150).forAll(cases(Math.max(Simd.floatLanes(), 1))).checkAssert(c -> {
      SplittableRandom r = new SplittableRandom(c.seed());
      int size = c.off() + c.n() + PAD;
      double[] w = values(r, size, -2, 2, false), m = values(r, size, -1, 1, false);
      double[] v = values(r, size, 0, 1, false), g = values(r, size, -3, 3, false);
      double lr = r.nextDouble(1e-4, 0.1), c1 = r.nextDouble(0.01, 0.5);
      double c2 = r.nextDouble(1e-4, 0.1), eps = r.nextDouble(1e-8, 1e-3);
      // FLOAT32: three outputs each, twin and kernel
      float[][] want = new float[3][size], got = new float[3][size];
      for (float[] a : want) {
        java.util.Arrays.fill(a, 7f);
      }
      for (float[] a : got) {
        java.util.Arrays.fill(a, 7f);
      }
      MemorySegment ws = MemorySegment.ofArray(f32(w)), ms = MemorySegment.ofArray(f32(m));
      MemorySegment vs = MemorySegment.ofArray(f32(v)), gs = MemorySegment.ofArray(f32(g));
      TrainScalar.adamF32(ws, ms, vs, gs, MemorySegment.ofArray(want[0]),
          MemorySegment.ofArray(want[1]), MemorySegment.ofArray(want[2]), c.off(), c.n(),
          (float) lr, (float) c1, (float) c2, (float) eps);
      TrainKernels.adamF32(ws, ms, vs, gs, MemorySegment.ofArray(got[0]),
          MemorySegment.ofArray(got[1]), MemorySegment.ofArray(got[2]), c.off(), c.n(),
          (float) lr, (float) c1, (float) c2, (float) eps);
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(bits(want[k]), bits(got[k]), "FLOAT32 output " + k + " " + c);
      }
      // FLOAT64
      double[][] want64 = new double[3][size], got64 = new double[3][size];
      MemorySegment[] wo = new MemorySegment[3], go = new MemorySegment[3];
      for (int k = 0; k < 3; k++) {
        java.util.Arrays.fill(want64[k], 7);
        java.util.Arrays.fill(got64[k], 7);
        wo[k] = MemorySegment.ofArray(want64[k]);
        go[k] = MemorySegment.ofArray(got64[k]);
      }
      MemorySegment w64 = MemorySegment.ofArray(w), m64 = MemorySegment.ofArray(m);
      MemorySegment v64 = MemorySegment.ofArray(v), g64 = MemorySegment.ofArray(g);
      TrainScalar.adamF64(w64, m64, v64, g64, wo[0], wo[1], wo[2], c.off(), c.n(), lr, c1, c2,
          eps);
      TrainKernels.adamF64(w64, m64, v64, g64, go[0], go[1], go[2], c.off(), c.n(), lr, c1, c2,
          eps);
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(bits(want64[k]), bits(got64[k]), "FLOAT64 output " + k + " " + c);
        for (int i = 0; i < size; i++) { // nothing written outside [off, off + n)
          if ((i < c.off() || i >= c.off() + c.n()) && got64[k][i] != 7) {
            throw new AssertionError("wrote element " + i + " of output " + k + ", " + c);
          }
        }
      }
    });
  }

  @Test
  void applyAdamIsAdamsFormula() {
    // the op (dispatch, chunking, scalars read in the dtype) against the update composed of ops
    qt().withExamples(40).forAll(in -> {
      Draw d = TensorGens.draw(in);
      return new long[] {Generators.awkwardSize(d, 16, 70_000), d.between(1, 50),
          d.between(0, Long.MAX_VALUE)};
    }).checkAssert(p -> {
      SplittableRandom r = new SplittableRandom(p[2]);
      int n = (int) p[0];
      double lr = r.nextDouble(1e-4, 0.1), b1 = r.nextDouble(0.5, 0.99);
      double b2 = r.nextDouble(0.9, 0.9999), eps = 1e-7;
      long t = p[1];
      Tensor w = Tensor.of(values(r, n, -2, 2, false), n), m = Tensor.of(values(r, n, -1, 1,
          false), n);
      Tensor v = Tensor.of(values(r, n, 0, 1, false), n), g = Tensor.of(values(r, n, -3, 3,
          false), n);
      double b1p = Math.pow(b1, t), b2p = Math.pow(b2, t);
      Tensor[] out = Dispatch.run(TrainOps.APPLY_ADAM, Attrs.EMPTY, w, m, v,
          Tensor.scalar(b1p), Tensor.scalar(b2p), Tensor.scalar(lr), Tensor.scalar(b1),
          Tensor.scalar(b2), Tensor.scalar(eps), g);
      Tensor m1 = Ops.add(m, Ops.mul(Ops.sub(g, m), 1 - b1));
      Tensor v1 = Ops.add(v, Ops.mul(Ops.sub(Ops.square(g), v), 1 - b2));
      double lrT = lr * Math.sqrt(1 - b2p) / (1 - b1p);
      Tensor w1 = Ops.sub(w, Ops.div(Ops.mul(m1, lrT), Ops.add(Ops.sqrt(v1), eps)));
      Tensor[] want = {w1, m1, v1};
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(want[k].toDoubleArray(), out[k].toDoubleArray(),
            1e-12, "output " + k + " at n " + n);
      }
      // FLOAT32: the same op in float, near the FLOAT64 result
      Tensor[] out32 = Dispatch.run(TrainOps.APPLY_ADAM, Attrs.EMPTY,
          Ops.cast(w, DType.FLOAT32), Ops.cast(m, DType.FLOAT32), Ops.cast(v, DType.FLOAT32),
          Tensor.scalar((float) b1p), Tensor.scalar((float) b2p), Tensor.scalar((float) lr),
          Tensor.scalar((float) b1), Tensor.scalar((float) b2), Tensor.scalar((float) eps),
          Ops.cast(g, DType.FLOAT32));
      double[] want32 = w1.toDoubleArray();
      double[] got32 = Ops.cast(out32[0], DType.FLOAT64).toDoubleArray();
      for (int i = 0; i < n; i++) {
        if (!(Math.abs(want32[i] - got32[i]) <= 1e-4 * (1 + Math.abs(want32[i])))) {
          throw new AssertionError("FLOAT32 var element " + i + ": " + got32[i] + ", FLOAT64 "
              + want32[i]);
        }
      }
    });
  }

  private static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Float.floatToIntBits(a[i]);
    }
    return b;
  }

  private static long[] bits(double[] a) {
    long[] b = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Double.doubleToLongBits(a[i]);
    }
    return b;
  }
}
