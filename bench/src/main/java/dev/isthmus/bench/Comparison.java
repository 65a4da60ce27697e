package dev.isthmus.bench;

import java.math.BigDecimal;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One line of a group's ratio table, declared as data: the measured benchmark method, the
 * metric comparing it (against a baseline of the same JMH run, or numpy), and the target.
 * A method measured at several parameter values gives one table line per value.
 *
 * @param measured the benchmark method being judged, e.g. {@code kernel}
 * @param metric how it is compared
 * @param target the bar it must clear, or report only
 */
public record Comparison(String measured, Metric metric, Target target) {

  /** How a measured method is compared. */
  public sealed interface Metric permits Speedup, Bandwidth, Time, Gflops, VsNumpy, TimeRatio {}

  /** Baseline time over measured time; the baseline is a method of the same class and run. */
  public record Speedup(String baseline) implements Metric {}

  /**
   * Measured bandwidth over baseline bandwidth, each side moving {@code streams} float32 arrays
   * of {@code elements(measurement)} elements (see {@link Ratios#bandwidthRatio}).
   */
  public record Bandwidth(
      int streams, String baseline, int baselineStreams, ToDoubleFunction<Measurement> elements)
      implements Metric {}

  /** The measured time itself, in ns (targets are absolute). */
  public record Time() implements Metric {}

  /** Floating-point throughput: {@code flops(measurement)} over the time. */
  public record Gflops(ToDoubleFunction<Measurement> flops) implements Metric {}

  /**
   * numpy's time for the same operation over the measured time. {@code numpyCase} names the
   * case for the numpy script (e.g. {@code exp:65536}), or returns null when numpy has none.
   */
  public record VsNumpy(Function<Measurement, String> numpyCase) implements Metric {}

  /**
   * Measured time over baseline time: how many times the baseline's time the measured method
   * takes, for a method that does the baseline's work and more (a training step against its
   * forward pass). The one metric where lower is better; its targets are {@code atMost}.
   */
  public record TimeRatio(String baseline) implements Metric {}

  /** {@code measured} against {@code baseline}: how many times faster. */
  public static Comparison speedup(String measured, String baseline, Target target) {
    return new Comparison(measured, new Speedup(baseline), target);
  }

  /** {@code measured}'s time as a multiple of {@code baseline}'s (lower is better). */
  public static Comparison timeRatio(String measured, String baseline, Target target) {
    return new Comparison(measured, new TimeRatio(baseline), target);
  }

  /** Bandwidth ratio of {@code measured} (moving {@code streams} arrays) to {@code baseline}. */
  public static Comparison bandwidth(
      String measured, int streams, String baseline, int baselineStreams,
      ToDoubleFunction<Measurement> elements, Target target) {
    return new Comparison(
        measured, new Bandwidth(streams, baseline, baselineStreams, elements), target);
  }

  /** The absolute time of {@code measured}. */
  public static Comparison time(String measured, Target target) {
    return new Comparison(measured, new Time(), target);
  }

  /** GFLOP/s of {@code measured}, reported. */
  public static Comparison gflops(String measured, ToDoubleFunction<Measurement> flops) {
    return new Comparison(measured, new Gflops(flops), Target.report());
  }

  /** {@code measured} against numpy's time for the same operation, reported. */
  public static Comparison vsNumpy(String measured, Function<Measurement, String> numpyCase) {
    return new Comparison(measured, new VsNumpy(numpyCase), Target.report());
  }

  /**
   * The bar a value must clear.
   *
   * @param kind at least, at most, or report only
   * @param bound the bar (ignored when reporting)
   * @param text how the table shows the target
   */
  public record Target(Kind kind, double bound, String text) {
    /** The direction of a target. */
    public enum Kind { AT_LEAST, AT_MOST, REPORT }

    /** PASS when the value is at least {@code bound}; {@code unit} follows the number. */
    public static Target atLeast(double bound, String unit) {
      return new Target(Kind.AT_LEAST, bound, ">= " + plain(bound) + unit);
    }

    /** PASS when the value is at most {@code bound}; {@code unit} follows the number. */
    public static Target atMost(double bound, String unit) {
      return new Target(Kind.AT_MOST, bound, "<= " + plain(bound) + unit);
    }

    /** No target: the value is reported. */
    public static Target report() {
      return new Target(Kind.REPORT, Double.NaN, "report");
    }

    /** No target yet; {@code later} says which one is planned, e.g. {@code >= 0.9}. */
    public static Target report(String later) {
      return new Target(Kind.REPORT, Double.NaN, "report (later " + later + ")");
    }

    /** PASS or FAIL against the bound, {@code -} when only reported, {@code n/a} for NaN. */
    public String verdict(double value) {
      if (kind == Kind.REPORT) {
        return "-";
      }
      if (Double.isNaN(value)) {
        return "n/a";
      }
      boolean ok = kind == Kind.AT_LEAST ? value >= bound : value <= bound;
      return ok ? "PASS" : "FAIL";
    }

    private static String plain(double v) {
      return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
  }
}
