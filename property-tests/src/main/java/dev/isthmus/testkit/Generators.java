package dev.isthmus.testkit;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;

/**
 * Framework-neutral generators of shapes, sizes and tensors: plain functions of a {@link Draw}.
 * {@link TensorGens} wraps them for QuickTheories; wrap them likewise for any other library.
 */
public final class Generators {
  private Generators() {}

  /**
   * A size that stresses vector loops: 0, 1, lanes - 1, lanes, lanes + 1, a few vectors plus a
   * tail, 4097, or anything up to {@code max}.
   */
  public static long awkwardSize(Draw d, int lanes, long max) {
    long[] picks = {0, 1, lanes - 1L, lanes, lanes + 1L, 3L * lanes + 5, 4097, 4 * lanes - 1L};
    int i = d.intBetween(0, picks.length);
    long n = i == picks.length ? d.between(0, max) : picks[i];
    return Math.max(0, Math.min(n, max));
  }

  /** A shape of rank {@code [0, maxRank]}, each dimension in {@code [0, maxDim]}. */
  public static Shape shape(Draw d, int maxRank, long maxDim) {
    int r = d.intBetween(0, maxRank);
    long[] dims = new long[r];
    for (int i = 0; i < r; i++) {
      dims[i] = d.between(0, maxDim);
    }
    return Shape.of(dims);
  }

  /**
   * Two shapes that broadcast together: a common shape, from which each side drops some leading
   * axes and sets some dimensions to 1.
   */
  public static Shape[] broadcastPair(Draw d, int maxRank, long maxDim) {
    Shape full = shape(d, maxRank, maxDim);
    return new Shape[] {squash(d, full), squash(d, full)};
  }

  private static Shape squash(Draw d, Shape full) {
    long[] dims = full.dims();
    int drop = d.intBetween(0, dims.length);
    long[] out = new long[dims.length - drop];
    for (int i = 0; i < out.length; i++) {
      long v = dims[drop + i];
      out[i] = d.between(0, 3) == 0 ? 1 : v;
    }
    return Shape.of(out);
  }

  /**
   * A tensor of {@code shape} with values uniform in {@code [lo, hi)} (integers: truncated; BOOL:
   * half true).
   */
  public static Tensor tensor(Draw d, DType t, Shape shape, double lo, double hi) {
    int n = Math.toIntExact(shape.size());
    long[] dims = shape.dims();
    return switch (t) {
      case FLOAT32 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) d.doubleBetween(lo, hi);
        }
        yield Tensor.of(v, dims);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.doubleBetween(lo, hi);
        }
        yield Tensor.of(v, dims);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = (int) d.between((long) lo, (long) hi);
        }
        yield Tensor.of(v, dims);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.between((long) lo, (long) hi);
        }
        yield Tensor.of(v, dims);
      }
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = d.between(0, 1) == 1;
        }
        yield Tensor.of(v, dims);
      }
    };
  }

  /** {@code n} floats uniform in {@code [lo, hi)}. */
  public static float[] floats(Draw d, int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) d.doubleBetween(lo, hi);
    }
    return v;
  }

  /** {@code n} doubles uniform in {@code [lo, hi)}. */
  public static double[] doubles(Draw d, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = d.doubleBetween(lo, hi);
    }
    return v;
  }
}
