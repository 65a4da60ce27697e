package dev.isthmus.properties;

import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@code Ops.matmul} as a whole: a batched product with broadcast batch dimensions is the 2-D
 * product of each pair of matrices, and the transpose flags are the same as transposing by hand.
 * Floating results are compared within {@link MatmulBound}, INT32 exactly.
 */
class MatmulOpProperties {
  /** A product to check: batch shapes that broadcast, sizes, flags, dtype, and a value seed. */
  record Case(Shape batchX, Shape batchY, int m, int n, int k, boolean ta, boolean tb, DType dtype,
      long seed) {}

  static Gen<Case> cases() {
    return in -> {
      Draw d = TensorGens.draw(in);
      Shape[] batch = Generators.broadcastPair(d, 3, 3);
      return new Case(batch[0], batch[1], size(d), size(d), size(d), d.between(0, 1) == 1,
          d.between(0, 1) == 1, d.oneOf(DType.FLOAT32, DType.FLOAT64, DType.INT32),
          d.between(0, 1L << 48));
    };
  }

  private static int size(Draw d) {
    return d.between(0, 4) == 0 ? d.oneOf(0, 1, 17, 33) : d.intBetween(1, 12);
  }

  @Test
  void batchedIsThePerBatchProduct() {
    qt().withExamples(200).forAll(cases()).checkAssert(c -> {
      Tensor x = operand(c, c.batchX(), c.ta(), c.m(), c.k(), 1);
      Tensor y = operand(c, c.batchY(), c.tb(), c.k(), c.n(), 2);
      Tensor got = Ops.matmul(x, y, c.ta(), c.tb());
      Shape batch = Shape.broadcast(c.batchX(), c.batchY());
      assertEquals(Shape.of(concat(batch.dims(), c.m(), c.n())), got.shape(), c);
      assertEquals(c.dtype(), got.dtype(), c);
      double[] want = new double[(int) got.size()];
      double[] g = values(got);
      int mat = c.m() * c.n();
      for (long t = 0; t < batch.size(); t++) {
        Tensor xs = matrix(x, own(batch, t, c.batchX()));
        Tensor ys = matrix(y, own(batch, t, c.batchY()));
        double[] one = values(Ops.matmul(xs, ys, c.ta(), c.tb()));
        System.arraycopy(one, 0, want, (int) t * mat, mat);
      }
      compare(c, want, g, sumAbs(c, x, y, batch));
    });
  }

  @Test
  void transposeFlagsAreTransposesByHand() {
    qt().withExamples(200).forAll(cases()).checkAssert(c -> {
      Tensor x = operand(c, c.batchX(), c.ta(), c.m(), c.k(), 1);
      Tensor y = operand(c, c.batchY(), c.tb(), c.k(), c.n(), 2);
      Tensor xh = c.ta() ? transposeByHand(x) : x, yh = c.tb() ? transposeByHand(y) : y;
      Tensor got = Ops.matmul(x, y, c.ta(), c.tb());
      Tensor want = Ops.matmul(xh, yh);
      assertEquals(want.shape(), got.shape(), c);
      compare(c, values(want), values(got),
          sumAbs(c, x, y, Shape.broadcast(c.batchX(), c.batchY())));
    });
  }

  // ---------------------------------------------------------------- helpers

  /** A random operand of {@code batch + [rows, cols]}, or its stored transpose when {@code t}. */
  private static Tensor operand(Case c, Shape batch, boolean t, int rows, int cols, int salt) {
    Draw v = Draw.of(new SplittableRandom(c.seed() * 31 + salt));
    long[] dims = concat(batch.dims(), t ? cols : rows, t ? rows : cols);
    double lo = c.dtype() == DType.INT32 ? -1000 : -1, hi = -lo;
    return Generators.tensor(v, c.dtype(), Shape.of(dims), lo, hi);
  }

  /** The flat index, in {@code own} batch shape, that output batch {@code t} reads. */
  private static long own(Shape out, long t, Shape own) {
    long[] od = out.dims(), wd = own.dims();
    long flat = 0, rest = t;
    long[] idx = new long[od.length];
    for (int i = od.length - 1; i >= 0; i--) {
      idx[i] = rest % od[i];
      rest /= od[i];
    }
    for (int i = 0; i < wd.length; i++) {
      long at = idx[od.length - wd.length + i];
      flat = flat * wd[i] + (wd[i] == 1 ? 0 : at);
    }
    return flat;
  }

  /** Matrix {@code b} of a batched tensor, as a rank-2 tensor (copied by hand). */
  private static Tensor matrix(Tensor t, long b) {
    int rows = (int) t.shape().dim(-2), cols = (int) t.shape().dim(-1);
    double[] all = values(t);
    double[] one = Arrays.copyOfRange(all, (int) b * rows * cols, (int) (b + 1) * rows * cols);
    return make(t.dtype(), one, rows, cols);
  }

  /** Swaps the last two axes, by hand (the transpose op is not used here). */
  private static Tensor transposeByHand(Tensor t) {
    long[] d = t.shape().dims();
    int r = d.length, rows = (int) d[r - 2], cols = (int) d[r - 1], mat = rows * cols;
    double[] v = values(t), out = new double[v.length];
    for (int b = 0; mat > 0 && b < v.length / mat; b++) {
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          out[b * mat + j * rows + i] = v[b * mat + i * cols + j];
        }
      }
    }
    d[r - 2] = cols;
    d[r - 1] = rows;
    return make(t.dtype(), out, d);
  }

  /** {@code S = sum_p |op(x)[.., i, p] * op(y)[.., p, j]|} per output element. */
  private static double[] sumAbs(Case c, Tensor x, Tensor y, Shape batch) {
    double[] xv = values(x), yv = values(y);
    int xm = c.m() * c.k(), ym = c.k() * c.n(), mat = c.m() * c.n();
    double[] s = new double[(int) batch.size() * mat];
    for (long t = 0; t < batch.size(); t++) {
      int xo = (int) own(batch, t, c.batchX()) * xm, yo = (int) own(batch, t, c.batchY()) * ym;
      double[] one = MatmulBound.sumAbs(Arrays.copyOfRange(xv, xo, xo + xm),
          Arrays.copyOfRange(yv, yo, yo + ym), c.ta(), c.tb(), c.m(), c.n(), c.k());
      System.arraycopy(one, 0, s, (int) t * mat, mat);
    }
    return s;
  }

  private static void compare(Case c, double[] want, double[] got, double[] s) {
    String what = c.toString();
    switch (c.dtype()) {
      case FLOAT32 -> MatmulBound.check(want, got, s, c.k(), Math.ulp(1f), Float.MIN_VALUE, what);
      case FLOAT64 -> MatmulBound.check(want, got, s, c.k(), Math.ulp(1.0), Double.MIN_VALUE, what);
      default -> MatmulBound.check(want, got, s, c.k(), 0, 0, what);
    }
  }

  private static double[] values(Tensor t) {
    return switch (t.dtype()) {
      case FLOAT32 -> MatmulBound.widen(t.toFloatArray());
      case FLOAT64 -> t.toDoubleArray();
      case INT32 -> Arrays.stream(t.toIntArray()).asDoubleStream().toArray();
      default -> throw new AssertionError(t.describe());
    };
  }

  private static Tensor make(DType t, double[] v, long... dims) {
    return switch (t) {
      case FLOAT32 -> {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          f[i] = (float) v[i];
        }
        yield Tensor.of(f, dims);
      }
      case FLOAT64 -> Tensor.of(v, dims);
      case INT32 -> Tensor.of(Arrays.stream(v).mapToInt(d -> (int) d).toArray(), dims);
      default -> throw new AssertionError(t);
    };
  }

  private static long[] concat(long[] batch, long rows, long cols) {
    long[] d = Arrays.copyOf(batch, batch.length + 2);
    d[batch.length] = rows;
    d[batch.length + 1] = cols;
    return d;
  }

  private static void assertEquals(Object want, Object got, Case c) {
    if (!want.equals(got)) {
      throw new AssertionError("expected " + want + " but was " + got + " for " + c);
    }
  }
}
