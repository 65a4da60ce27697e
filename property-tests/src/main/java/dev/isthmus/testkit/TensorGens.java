package dev.isthmus.testkit;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * QuickTheories generators over {@link Generators}. Every draw goes through QuickTheories'
 * {@link RandomnessSource}, so its shrinking applies to shapes, sizes and values alike.
 */
public final class TensorGens {
  private TensorGens() {}

  /** A {@link Draw} backed by a QuickTheories randomness source. */
  public static Draw draw(RandomnessSource in) {
    return (min, max) -> in.next(Constraint.between(min, max));
  }

  /** {@link Generators#awkwardSize}. */
  public static Gen<Long> awkwardSizes(int lanes, long max) {
    return in -> Generators.awkwardSize(draw(in), lanes, max);
  }

  /** {@link Generators#shape}. */
  public static Gen<Shape> shapes(int maxRank, long maxDim) {
    return in -> Generators.shape(draw(in), maxRank, maxDim);
  }

  /** {@link Generators#broadcastPair}. */
  public static Gen<Shape[]> broadcastPairs(int maxRank, long maxDim) {
    return in -> Generators.broadcastPair(draw(in), maxRank, maxDim);
  }

  /** Tensors of a random shape (rank up to {@code maxRank}, dims up to {@code maxDim}). */
  public static Gen<Tensor> tensors(DType t, int maxRank, long maxDim, double lo, double hi) {
    return in -> {
      Draw d = draw(in);
      return Generators.tensor(d, t, Generators.shape(d, maxRank, maxDim), lo, hi);
    };
  }

  /** Float arrays of an awkward length (see {@link Generators#awkwardSize}). */
  public static Gen<float[]> floatArrays(int lanes, int max, double lo, double hi) {
    return in -> {
      Draw d = draw(in);
      return Generators.floats(d, (int) Generators.awkwardSize(d, lanes, max), lo, hi);
    };
  }

  /** Double arrays of an awkward length. */
  public static Gen<double[]> doubleArrays(int lanes, int max, double lo, double hi) {
    return in -> {
      Draw d = draw(in);
      return Generators.doubles(d, (int) Generators.awkwardSize(d, lanes, max), lo, hi);
    };
  }
}
