package dev.isthmus.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Floating lane sums and products in one fixed order, the same interpreted, C1- or C2-compiled.
 * Every floating ADD (and MUL) reduction of the kernels and of the fusion compiler's generated
 * code goes through here instead of {@code reduceLanes}.
 *
 * <p>Why: {@code reduceLanes(ADD)} on floats is specified to add in an unspecified order, and does
 * in practice: the Java fallback (interpreter, C1) adds lane 0, 1, 2, ... in turn, C2's intrinsic
 * adds halves pairwise. So the same kernel on the same data gave results differing in the last
 * bits before and after C2 compiled it.
 *
 * <p>The order (n lanes, a power of two): fold the upper half of the lanes onto the lower half
 * (lane i + n/2 added to lane i), then the upper half of what is left onto its lower half, and so
 * on until one lane remains. For 4 lanes: {@code (v0 + v2) + (v1 + v3)}; for 8: {@code ((v0 + v4)
 * + (v2 + v6)) + ((v1 + v5) + (v3 + v7))}. Each step is one lane-wise add of the vector and its
 * lanes swapped by a constant shuffle (lane i with lane i XOR k), which C2 compiles to a
 * permutation and an add (about as cheap as its own reduction); both are exact lane by lane, so
 * every compilation state computes the same sums.
 */
public final class LaneSums {
  private LaneSums() {}

  /** Species up to this many lanes take the shuffle tree (every real vector shape). */
  private static final int TREE = 64;

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

  private static final VectorShuffle<Float> F32 = swap(F, 32);
  private static final VectorShuffle<Float> F16 = swap(F, 16);
  private static final VectorShuffle<Float> F8 = swap(F, 8);
  private static final VectorShuffle<Float> F4 = swap(F, 4);
  private static final VectorShuffle<Float> F2 = swap(F, 2);
  private static final VectorShuffle<Float> F1 = swap(F, 1);
  private static final VectorShuffle<Double> D32 = swap(D, 32);
  private static final VectorShuffle<Double> D16 = swap(D, 16);
  private static final VectorShuffle<Double> D8 = swap(D, 8);
  private static final VectorShuffle<Double> D4 = swap(D, 4);
  private static final VectorShuffle<Double> D2 = swap(D, 2);
  private static final VectorShuffle<Double> D1 = swap(D, 1);

  /** Lane i to lane i ^ k, or null when the species has no more than k lanes. */
  private static <E> VectorShuffle<E> swap(VectorSpecies<E> s, int k) {
    return k < s.length() ? VectorShuffle.fromOp(s, i -> i ^ k) : null;
  }

  /** The sum of v's lanes, in the order above (the preferred species; any other: same order). */
  public static float sum(FloatVector v) {
    int n = v.length();
    if (v.species() != F || n > TREE) {
      return sum(v.toArray(), 0, n);
    }
    if (n > 32) {
      v = v.add(v.rearrange(F32));
    }
    if (n > 16) {
      v = v.add(v.rearrange(F16));
    }
    if (n > 8) {
      v = v.add(v.rearrange(F8));
    }
    if (n > 4) {
      v = v.add(v.rearrange(F4));
    }
    if (n > 2) {
      v = v.add(v.rearrange(F2));
    }
    if (n > 1) {
      v = v.add(v.rearrange(F1));
    }
    return v.lane(0);
  }

  /** The sum of v's lanes, in the order above. */
  public static double sum(DoubleVector v) {
    int n = v.length();
    if (v.species() != D || n > TREE) {
      return sum(v.toArray(), 0, n);
    }
    if (n > 32) {
      v = v.add(v.rearrange(D32));
    }
    if (n > 16) {
      v = v.add(v.rearrange(D16));
    }
    if (n > 8) {
      v = v.add(v.rearrange(D8));
    }
    if (n > 4) {
      v = v.add(v.rearrange(D4));
    }
    if (n > 2) {
      v = v.add(v.rearrange(D2));
    }
    if (n > 1) {
      v = v.add(v.rearrange(D1));
    }
    return v.lane(0);
  }

  /** The product of v's lanes, in the order of {@link #sum(FloatVector)}. */
  public static float product(FloatVector v) {
    int n = v.length();
    if (v.species() != F || n > TREE) {
      return product(v.toArray(), 0, n);
    }
    if (n > 32) {
      v = v.mul(v.rearrange(F32));
    }
    if (n > 16) {
      v = v.mul(v.rearrange(F16));
    }
    if (n > 8) {
      v = v.mul(v.rearrange(F8));
    }
    if (n > 4) {
      v = v.mul(v.rearrange(F4));
    }
    if (n > 2) {
      v = v.mul(v.rearrange(F2));
    }
    if (n > 1) {
      v = v.mul(v.rearrange(F1));
    }
    return v.lane(0);
  }

  /** The product of v's lanes, in the order of {@link #sum(FloatVector)}. */
  public static double product(DoubleVector v) {
    int n = v.length();
    if (v.species() != D || n > TREE) {
      return product(v.toArray(), 0, n);
    }
    if (n > 32) {
      v = v.mul(v.rearrange(D32));
    }
    if (n > 16) {
      v = v.mul(v.rearrange(D16));
    }
    if (n > 8) {
      v = v.mul(v.rearrange(D8));
    }
    if (n > 4) {
      v = v.mul(v.rearrange(D4));
    }
    if (n > 2) {
      v = v.mul(v.rearrange(D2));
    }
    if (n > 1) {
      v = v.mul(v.rearrange(D1));
    }
    return v.lane(0);
  }

  // The same order on an array, for other species: the sum of lanes [o, o + n) is the sum of
  // [o, o + n/2) with [o + n/2, o + n) lane by lane, then that folded the same way.

  private static float sum(float[] a, int o, int n) {
    for (int h = n / 2; h >= 1; h /= 2) {
      for (int i = 0; i < h; i++) {
        a[o + i] += a[o + i + h];
      }
    }
    return a[o];
  }

  private static double sum(double[] a, int o, int n) {
    for (int h = n / 2; h >= 1; h /= 2) {
      for (int i = 0; i < h; i++) {
        a[o + i] += a[o + i + h];
      }
    }
    return a[o];
  }

  private static float product(float[] a, int o, int n) {
    for (int h = n / 2; h >= 1; h /= 2) {
      for (int i = 0; i < h; i++) {
        a[o + i] *= a[o + i + h];
      }
    }
    return a[o];
  }

  private static double product(double[] a, int o, int n) {
    for (int h = n / 2; h >= 1; h /= 2) {
      for (int i = 0; i < h; i++) {
        a[o + i] *= a[o + i + h];
      }
    }
    return a[o];
  }
}
