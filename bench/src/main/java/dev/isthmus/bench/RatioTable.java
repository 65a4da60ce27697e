package dev.isthmus.bench;

import dev.isthmus.bench.Comparison.Bandwidth;
import dev.isthmus.bench.Comparison.Gflops;
import dev.isthmus.bench.Comparison.Speedup;
import dev.isthmus.bench.Comparison.Time;
import dev.isthmus.bench.Comparison.TimeRatio;
import dev.isthmus.bench.Comparison.VsNumpy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Turns one group's measurements into its markdown table: one line per comparison and
 * parameter value, with the medians of both sides, the ratio, the target and the verdict.
 */
public final class RatioTable {
  private RatioTable() {}

  /** The table's columns. */
  static final List<String> HEADER = List.of(
      "benchmark", "params", "median/op", "compared with", "its median/op", "metric", "ratio",
      "target", "result");

  /**
   * One table line; empty strings are blank cells. {@code value} is the number the ratio cell
   * shows (a ratio, a time in ns or GFLOP/s; NaN when there is none) and {@code comparison} the
   * declaration it comes from (null for a time-only line), for the charts.
   */
  public record Row(
      String benchmark, String params, String median, String against, String againstMedian,
      String metric, String ratio, String target, String result, double value,
      Comparison comparison) {
    List<String> cells() {
      return List.of(benchmark, params, median, against, againstMedian, metric, ratio, target,
          result);
    }
  }

  /**
   * The lines of {@code group}'s table from its measurements (all from one JMH run) and numpy's
   * times. Methods no comparison mentions get a time-only line; a comparison whose method has no
   * measurement gets a "no result" line, so a renamed or failed benchmark shows.
   */
  public static List<Row> rows(Group group, List<Measurement> ms, NumpyBaseline numpy) {
    List<Row> rows = new ArrayList<>();
    Set<String> mentioned = new HashSet<>();
    for (Comparison c : group.comparisons()) {
      mentioned.add(c.measured());
      switch (c.metric()) {
        case Speedup s -> mentioned.add(s.baseline());
        case Bandwidth b -> mentioned.add(b.baseline());
        case TimeRatio t -> mentioned.add(t.baseline());
        default -> { }
      }
      if (c.metric() instanceof VsNumpy && !numpy.available()) {
        continue;
      }
      List<Measurement> measured = of(ms, c.measured());
      if (measured.isEmpty()) {
        rows.add(new Row(c.measured(), "", "no result", baselineName(c), "", metricName(c),
            "n/a", c.target().text(), c.target().verdict(Double.NaN), Double.NaN, c));
        continue;
      }
      for (Measurement m : measured) {
        Row r = row(c, m, ms, numpy);
        if (r != null) {
          rows.add(r);
        }
      }
    }
    for (Measurement m : ms) {
      if (!mentioned.contains(m.method())) {
        rows.add(new Row(m.method(), params(m), time(m.medianNs(), m.unit()), "", "", "", "", "",
            "", Double.NaN, null));
      }
    }
    return rows;
  }

  /** The numpy cases {@code group}'s comparisons need for these measurements. */
  public static Set<String> numpyCases(Group group, List<Measurement> ms) {
    Set<String> cases = new LinkedHashSet<>();
    for (Comparison c : group.comparisons()) {
      if (c.metric() instanceof VsNumpy v) {
        for (Measurement m : of(ms, c.measured())) {
          String k = v.numpyCase().apply(m);
          if (k != null) {
            cases.add(k);
          }
        }
      }
    }
    return cases;
  }

  /** A markdown table of {@code rows}. */
  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(line(HEADER));
    sb.append(line(HEADER.stream().map(h -> "---").toList()));
    for (Row r : rows) {
      sb.append(line(r.cells()));
    }
    return sb.toString();
  }

  /** Counts the verdicts of {@code rows}: PASS, FAIL and n/a (targets that could not be judged). */
  public static Map<String, Long> tally(List<Row> rows) {
    return rows.stream()
        .map(Row::result)
        .filter(v -> v.equals("PASS") || v.equals("FAIL") || v.equals("n/a"))
        .collect(Collectors.groupingBy(v -> v, java.util.TreeMap::new, Collectors.counting()));
  }

  private static Row row(Comparison c, Measurement m, List<Measurement> ms, NumpyBaseline numpy) {
    double ns = m.medianNs();
    String median = time(ns, m.unit());
    String target = c.target().text();
    switch (c.metric()) {
      case Speedup s -> {
        Measurement b = baseline(ms, s.baseline(), m);
        if (b == null) {
          return missingBaseline(c, m, s.baseline());
        }
        double v = Ratios.speedup(ns, b.medianNs());
        return new Row(m.method(), params(m), median, s.baseline(), time(b.medianNs(), b.unit()),
            "speedup", num(v) + "x", target, c.target().verdict(v), v, c);
      }
      case Bandwidth bw -> {
        Measurement b = baseline(ms, bw.baseline(), m);
        if (b == null) {
          return missingBaseline(c, m, bw.baseline());
        }
        double el = bw.elements().applyAsDouble(m);
        double bel = bw.elements().applyAsDouble(b);
        double v = Ratios.bandwidthRatio(bw.streams(), el, ns, bw.baselineStreams(), bel,
            b.medianNs());
        String metric = "bandwidth, " + bw.streams() + " vs " + bw.baselineStreams()
            + " streams (" + num(Ratios.gigabytesPerSecond(bw.streams(), el, ns)) + " vs "
            + num(Ratios.gigabytesPerSecond(bw.baselineStreams(), bel, b.medianNs()))
            + " GB/s)";
        return new Row(m.method(), params(m), median, bw.baseline(), time(b.medianNs(), b.unit()),
            metric, num(v), target, c.target().verdict(v), v, c);
      }
      case TimeRatio tr -> {
        Measurement b = baseline(ms, tr.baseline(), m);
        if (b == null) {
          return missingBaseline(c, m, tr.baseline());
        }
        double v = Ratios.timeRatio(ns, b.medianNs());
        return new Row(m.method(), params(m), median, tr.baseline(), time(b.medianNs(), b.unit()),
            "time ratio", num(v) + "x", target, c.target().verdict(v), v, c);
      }
      case Time t -> {
        return new Row(m.method(), params(m), median, "", "", "time", num(ns) + " ns", target,
            c.target().verdict(ns), ns, c);
      }
      case Gflops g -> {
        double v = Ratios.gflops(g.flops().applyAsDouble(m), ns);
        return new Row(m.method(), params(m), median, "", "", "GFLOP/s", num(v), target,
            c.target().verdict(v), v, c);
      }
      case VsNumpy np -> {
        String k = np.numpyCase().apply(m);
        if (k == null) {
          return null; // numpy has no such operation
        }
        OptionalDouble t = numpy.nanos(k);
        if (t.isEmpty()) {
          return new Row(m.method(), params(m), median, "numpy " + k, "not timed",
              "speedup vs numpy", "n/a", target, c.target().verdict(Double.NaN), Double.NaN, c);
        }
        double v = Ratios.speedup(ns, t.getAsDouble());
        return new Row(m.method(), params(m), median, "numpy " + k, time(t.getAsDouble(), m.unit()),
            "speedup vs numpy", num(v) + "x", target, c.target().verdict(v), v, c);
      }
    }
  }

  private static Row missingBaseline(Comparison c, Measurement m, String baseline) {
    return new Row(m.method(), params(m), time(m.medianNs(), m.unit()), baseline, "no result",
        metricName(c), "n/a", c.target().text(), c.target().verdict(Double.NaN), Double.NaN, c);
  }

  /** The baseline measurement of the same problem as {@code m}, or null. */
  private static Measurement baseline(List<Measurement> ms, String method, Measurement m) {
    Measurement best = null;
    int bestShared = -1;
    for (Measurement b : of(ms, method)) {
      if (b.sameProblem(m)) {
        int shared = (int) b.params().keySet().stream().filter(m.params()::containsKey).count();
        if (shared > bestShared) {
          best = b;
          bestShared = shared;
        }
      }
    }
    return best;
  }

  private static List<Measurement> of(List<Measurement> ms, String method) {
    return ms.stream().filter(m -> m.method().equals(method)).toList();
  }

  private static String baselineName(Comparison c) {
    return switch (c.metric()) {
      case Speedup s -> s.baseline();
      case Bandwidth b -> b.baseline();
      case TimeRatio t -> t.baseline();
      case VsNumpy n -> "numpy";
      case Time t -> "";
      case Gflops g -> "";
    };
  }

  private static String metricName(Comparison c) {
    return switch (c.metric()) {
      case Speedup s -> "speedup";
      case Bandwidth b -> "bandwidth, " + b.streams() + " vs " + b.baselineStreams() + " streams";
      case VsNumpy n -> "speedup vs numpy";
      case TimeRatio t -> "time ratio";
      case Time t -> "time";
      case Gflops g -> "GFLOP/s";
    };
  }

  /** {@code op=exp, size=65536}. */
  static String params(Measurement m) {
    return m.params().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** A time in the benchmark's own unit, e.g. {@code 8.12 us}. */
  static String time(double ns, TimeUnit unit) {
    if (Double.isNaN(ns)) {
      return "no result";
    }
    return num(ns / unit.toNanos(1)) + " " + unitName(unit);
  }

  private static String unitName(TimeUnit unit) {
    return switch (unit) {
      case NANOSECONDS -> "ns";
      case MICROSECONDS -> "us";
      case MILLISECONDS -> "ms";
      case SECONDS -> "s";
      case MINUTES -> "min";
      case HOURS -> "h";
      case DAYS -> "d";
    };
  }

  /** Three significant digits, no exponent, no more than integer digits above 100. */
  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String line(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }
}
