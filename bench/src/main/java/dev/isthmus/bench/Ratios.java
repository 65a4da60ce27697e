package dev.isthmus.bench;

import java.util.Arrays;

/**
 * The arithmetic behind the ratio tables, on plain numbers (nanoseconds, element counts) so it
 * can be tested without running JMH. Every ratio reads "higher is better for the measured side",
 * except {@link #timeRatio}.
 */
public final class Ratios {
  private Ratios() {}

  /** Bytes per float32 element. */
  public static final int F32_BYTES = 4;

  /** The median of {@code xs} (mean of the middle two for an even count); NaN when empty. */
  public static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** How many times faster the measured side is: {@code baselineNs / measuredNs}. */
  public static double speedup(double measuredNs, double baselineNs) {
    return baselineNs / measuredNs;
  }

  /**
   * How many times the baseline's time the measured side takes: {@code measuredNs / baselineNs}
   * (the one ratio that reads "lower is better", for a method doing the baseline's work and more).
   */
  public static double timeRatio(double measuredNs, double baselineNs) {
    return measuredNs / baselineNs;
  }

  /**
   * Memory bandwidth in GB/s (10^9 bytes per second) of an operation that touches
   * {@code streams} arrays of {@code elements} float32 each in {@code ns} nanoseconds.
   */
  public static double gigabytesPerSecond(int streams, double elements, double ns) {
    return streams * elements * F32_BYTES / ns;
  }

  /**
   * Bandwidth of the measured operation over the bandwidth of the baseline, each counting the
   * bytes it must move: {@code (streams * elements / ns) / (baseStreams * baseElements / baseNs)}.
   * For example an add reads two arrays and writes one (3 streams) while a copy reads one and
   * writes one (2 streams), so an add at the copy's bandwidth takes 1.5 times as long.
   */
  public static double bandwidthRatio(int streams, double elements, double ns,
      int baseStreams, double baseElements, double baseNs) {
    return gigabytesPerSecond(streams, elements, ns)
        / gigabytesPerSecond(baseStreams, baseElements, baseNs);
  }

  /** Floating-point throughput in GFLOP/s of {@code flops} operations done in {@code ns}. */
  public static double gflops(double flops, double ns) {
    return flops / ns;
  }
}
