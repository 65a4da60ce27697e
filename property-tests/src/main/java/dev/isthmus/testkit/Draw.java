package dev.isthmus.testkit;

import java.util.random.RandomGenerator;

/**
 * The one source of randomness the kit's generators need: a long in {@code [min, max]}.
 *
 * <p>Framework-neutral on purpose: QuickTheories users get it from {@link TensorGens} (so
 * shrinking works through the framework's own draws), users of other property-test libraries
 * adapt their source in one line, and plain tests use {@link #of(RandomGenerator)}.
 */
@FunctionalInterface
public interface Draw {
  /** A value in {@code [min, max]}, both inclusive. */
  long between(long min, long max);

  /** A draw over a {@link RandomGenerator}, e.g. {@code Draw.of(new SplittableRandom(seed))}. */
  static Draw of(RandomGenerator r) {
    return (min, max) -> max == Long.MAX_VALUE && min == Long.MIN_VALUE
        ? r.nextLong()
        : min + r.nextLong(max - min + 1);
  }

  /** An int in {@code [min, max]}. */
  default int intBetween(int min, int max) {
    return (int) between(min, max);
  }

  /** A double in {@code [lo, hi)}, from 2^53 evenly spaced values. */
  default double doubleBetween(double lo, double hi) {
    double u = between(0, (1L << 53) - 1) * 0x1.0p-53;
    return lo + (hi - lo) * u;
  }

  /** One of the given values. */
  @SuppressWarnings("unchecked")
  default <T> T oneOf(T... values) {
    return values[intBetween(0, values.length - 1)];
  }
}
