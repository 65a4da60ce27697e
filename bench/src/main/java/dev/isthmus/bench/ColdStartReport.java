package dev.isthmus.bench;

import dev.isthmus.bench.ColdStart.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToLongFunction;

/**
 * The cold-start harness's results: medians per op and column, as a markdown table.
 *
 * @param args what was run
 * @param samples per op, per column (routed, vector, scalar, numpy), one sample per process
 * @param demo per mode, the demo's whole-process times (ns), or empty
 * @param numpyNote how numpy ran, or why it did not
 * @param loadBefore the load average when the run started
 * @param loadAfter the load average when it ended
 */
record ColdStartReport(ColdStart.Args args, Map<String, Map<String, List<Sample>>> samples,
    Map<String, List<Long>> demo, String numpyNote, String loadBefore, String loadAfter) {

  /** The median of one field over an op's samples in one column, in ms, if there are any. */
  OptionalDouble medianMs(String op, String column, ToLongFunction<Sample> field) {
    List<Sample> s = samples.getOrDefault(op, Map.of()).get(column);
    if (s == null || s.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(median(s.stream().mapToLong(field).toArray()) / 1e6);
  }

  static double median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
  }

  /** The report. */
  String markdown() {
    List<String> cols = samples.values().stream().findFirst()
        .map(m -> List.copyOf(m.keySet())).orElse(List.of());
    StringBuilder b = new StringBuilder();
    b.append("## Cold start: first call of each op in a fresh process\n\n");
    b.append(String.format(Locale.ROOT, "Median of %d process%s per cell, ms. Load average"
        + " %s at the start, %s at the end; %d cores. java %s.%n%n", args.runs(),
        args.runs() == 1 ? "" : "es", loadBefore, loadAfter,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    b.append("first = the op's first call, after its inputs exist and after the engine's own start"
        + " (an identity op on one element, column `engine`); routed ="
        + " `-Disthmus.simd.warmup=on` (cold kernels on their scalar twins); vector = the default"
        + " (`-Disthmus.simd.warmup=off`); scalar ="
        + " `-Disthmus.simd=scalar`.");
    if (!args.jvmArgs().isEmpty()) {
      b.append(" Extra JVM options: `").append(String.join(" ", args.jvmArgs())).append("`.");
    }
    b.append("\n\n");
    b.append("| op | inputs |");
    for (String c : cols) {
      b.append(' ').append(c).append(" first |");
    }
    if (cols.contains("routed") && cols.contains("scalar")) {
      b.append(" routed / scalar |");
    }
    for (String c : cols) {
      b.append(' ').append(c).append(" 2nd |");
    }
    b.append('\n').append("|---|---|");
    int extra = cols.contains("routed") && cols.contains("scalar") ? 1 : 0;
    b.append("---:|".repeat(cols.size() * 2 + extra)).append('\n');
    for (String op : samples.keySet()) {
      b.append("| ").append(op).append(" | ").append(ColdStartOps.BY_NAME.get(op).shapes())
          .append(" |");
      for (String c : cols) {
        b.append(' ').append(ms(medianMs(op, c, Sample::firstNs))).append(" |");
      }
      if (extra == 1) {
        OptionalDouble r = medianMs(op, "routed", Sample::firstNs);
        OptionalDouble s = medianMs(op, "scalar", Sample::firstNs);
        b.append(' ').append(r.isPresent() && s.isPresent()
            ? String.format(Locale.ROOT, "%.2f", r.getAsDouble() / s.getAsDouble()) : "-")
            .append(" |");
      }
      for (String c : cols) {
        b.append(' ').append(ms(medianMs(op, c, Sample::secondNs))).append(" |");
      }
      b.append('\n');
    }
    b.append("\nWhole process (start to exit, as the parent saw it) and the engine's start /"
        + " numpy's import, medians over all ops, ms:\n\n| column | process | engine start or"
        + " import |\n|---|---:|---:|\n");
    for (String c : cols) {
      long[] wall = all(c, Sample::wallNs);
      long[] start = all(c, Sample::startNs);
      b.append("| ").append(c).append(" | ")
          .append(String.format(Locale.ROOT, "%.1f", median(wall) / 1e6)).append(" | ")
          .append(String.format(Locale.ROOT, "%.1f", median(start) / 1e6)).append(" |\n");
    }
    b.append('\n').append(numpyNote).append('\n');
    if (!demo.isEmpty()) {
      b.append("\nThe demo (`dev.isthmus.examples.Demo`), whole process, ms:\n\n| mode | median |"
          + " runs |\n|---|---:|---|\n");
      demo.forEach((mode, ns) -> b.append("| ").append(mode).append(" | ")
          .append(String.format(Locale.ROOT, "%.0f",
              median(ns.stream().mapToLong(Long::longValue).toArray()) / 1e6))
          .append(" | ").append(ns.stream().map(v -> String.format(Locale.ROOT, "%.0f", v / 1e6))
              .collect(java.util.stream.Collectors.joining(", "))).append(" |\n"));
    }
    return b.toString();
  }

  private long[] all(String column, ToLongFunction<Sample> f) {
    return samples.values().stream().flatMap(m -> m.getOrDefault(column, List.of()).stream())
        .mapToLong(f).toArray();
  }

  private static String ms(OptionalDouble v) {
    if (v.isEmpty()) {
      return "-";
    }
    double d = v.getAsDouble();
    return String.format(Locale.ROOT, d < 1 ? "%.3f" : d < 10 ? "%.2f" : "%.1f", d);
  }
}
