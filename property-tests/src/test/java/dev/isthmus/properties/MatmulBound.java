package dev.isthmus.properties;

/**
 * The tolerance between two GEMMs that sum the same products in different orders (or with and
 * without FMA): each is within {@code gamma_k * S} of the exact product, {@code S = sum_p |a_ip *
 * b_pj|} and {@code gamma_k ~ k * eps / 2}, so they differ by at most about {@code k * eps * S}.
 * We allow twice that, plus a few subnormal steps for products that underflow.
 */
final class MatmulBound {
  private MatmulBound() {}

  /** The largest acceptable {@code |want - got|} for one element of C. */
  static double limit(long k, double eps, double sumAbs, double tiny) {
    return 2.0 * Math.max(k, 1) * eps * sumAbs + 4 * tiny;
  }

  /**
   * {@code S[i, j] = sum_p |op(A)[i, p] * op(B)[p, j]|}, in double, for dense row-major A and B
   * stored as given (so A is {@code k x m} when {@code transA}).
   */
  static double[] sumAbs(double[] a, double[] b, boolean transA, boolean transB, int m, int n,
      int k) {
    double[] s = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double acc = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[p * m + i] : a[i * k + p];
          double y = transB ? b[j * k + p] : b[p * n + j];
          acc += Math.abs(x * y);
        }
        s[i * n + j] = acc;
      }
    }
    return s;
  }

  /** Throws unless every element of {@code got} is within the bound of {@code want}. */
  static void check(double[] want, double[] got, double[] sumAbs, long k, double eps, double tiny,
      String what) {
    if (want.length != got.length) {
      throw new AssertionError(what + ": expected " + want.length + " elements, got " + got.length);
    }
    for (int i = 0; i < want.length; i++) {
      double lim = limit(k, eps, sumAbs[i], tiny);
      boolean same = Double.compare(want[i], got[i]) == 0
          || (Double.isNaN(want[i]) && Double.isNaN(got[i]));
      if (!same && !(Math.abs(want[i] - got[i]) <= lim)) {
        throw new AssertionError(String.format(
            "%s: at element %d of %d: expected %s but was %s (|diff| %.3g > bound %.3g, k=%d)",
            what, i, want.length, want[i], got[i], Math.abs(want[i] - got[i]), lim, k));
      }
    }
  }

  /** {@code v} widened to double. */
  static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
