package dev.isthmus.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;

/**
 * One benchmark method at one parameter combination: the time per operation of each
 * measurement iteration, in nanoseconds, and the unit the benchmark reports in.
 *
 * @param benchClass simple name of the benchmark class, e.g. {@code UnaryBench}
 * @param method benchmark method, e.g. {@code kernel}
 * @param params the JMH parameters, sorted by name
 * @param iterationNs time per operation of every measurement iteration (all forks), in ns
 * @param unit the benchmark's output time unit, used for display only
 */
public record Measurement(
    String benchClass,
    String method,
    SortedMap<String, String> params,
    double[] iterationNs,
    TimeUnit unit) {

  /** Copies the parameters into a sorted, unmodifiable map. */
  public Measurement {
    params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    iterationNs = iterationNs.clone();
  }

  /** The median time per operation over the measurement iterations, in ns (not the mean). */
  public double medianNs() {
    return Ratios.median(iterationNs);
  }

  /** A parameter as a number, or {@code fallback} when the benchmark has no such parameter. */
  public long longParam(String name, long fallback) {
    String v = params.get(name);
    return v == null ? fallback : Long.parseLong(v.trim());
  }

  /**
   * True when every parameter the two share has the same value, so {@code other} measured the
   * same problem (a baseline in another @State class may declare fewer parameters).
   */
  public boolean sameProblem(Measurement other) {
    for (Map.Entry<String, String> e : params.entrySet()) {
      String v = other.params.get(e.getKey());
      if (v != null && !v.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Converts JMH's results: the primary score of each measurement iteration, as ns/op. */
  public static List<Measurement> fromJmh(Collection<RunResult> results) {
    List<Measurement> out = new ArrayList<>();
    for (RunResult r : results) {
      BenchmarkParams bp = r.getParams();
      String full = bp.getBenchmark();
      int dot = full.lastIndexOf('.');
      String cls = full.substring(0, dot);
      cls = cls.substring(cls.lastIndexOf('.') + 1);
      SortedMap<String, String> params = new TreeMap<>();
      for (String k : bp.getParamsKeys()) {
        params.put(k, bp.getParam(k));
      }
      TimeUnit unit = bp.getTimeUnit();
      double nsPerUnit = unit.toNanos(1);
      List<Double> scores = new ArrayList<>();
      for (BenchmarkResult br : r.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          double score = ir.getPrimaryResult().getScore();
          // Throughput reports operations per unit; the other modes report time per operation.
          scores.add(bp.getMode() == Mode.Throughput ? nsPerUnit / score : score * nsPerUnit);
        }
      }
      double[] ns = scores.stream().mapToDouble(Double::doubleValue).toArray();
      out.add(new Measurement(cls, full.substring(dot + 1), params, ns, unit));
    }
    return out;
  }

  /**
   * The measurements sorted by their parameters (numbers as numbers, names in order), so that a
   * group measured in several runs reads in size order; the sort is stable.
   */
  public static List<Measurement> byParams(List<Measurement> ms) {
    List<Measurement> out = new ArrayList<>(ms);
    out.sort((a, b) -> {
      java.util.Set<String> keys = new java.util.TreeSet<>(a.params().keySet());
      keys.addAll(b.params().keySet());
      for (String k : keys) {
        String x = a.params().get(k);
        String y = b.params().get(k);
        if (x == null || y == null) {
          if (x != y) {
            return x == null ? -1 : 1;
          }
          continue;
        }
        int c;
        try {
          c = Long.compare(Long.parseLong(x), Long.parseLong(y));
        } catch (NumberFormatException e) {
          c = x.compareTo(y);
        }
        if (c != 0) {
          return c;
        }
      }
      return 0;
    });
    return out;
  }
}
