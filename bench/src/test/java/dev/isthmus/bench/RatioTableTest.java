package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tables on synthetic measurements (times in ns, iterations chosen by hand). */
class RatioTableTest {
  private static final NumpyBaseline NO_NUMPY = NumpyBaseline.absent("not in this test");

  private static Measurement m(String cls, String method, String params, TimeUnit unit,
      double... ns) {
    Map<String, String> p = new TreeMap<>();
    for (String kv : params.split(",")) {
      if (!kv.isBlank()) {
        String[] f = kv.split("=");
        p.put(f[0].trim(), f[1].trim());
      }
    }
    return new Measurement(cls, method, new TreeMap<>(p), ns, unit);
  }

  private static Group group(String name) {
    return Groups.byName(name).orElseThrow();
  }

  private static RatioTable.Row find(List<RatioTable.Row> rows, String benchmark, String params,
      String against) {
    return rows.stream()
        .filter(r -> r.benchmark().equals(benchmark) && r.params().equals(params)
            && r.against().equals(against))
        .findFirst()
        .orElseThrow(() -> new AssertionError(
            "no row " + benchmark + " " + params + " vs " + against + " in " + rows));
  }

  private static List<Measurement> unary(double expKernelNs) {
    List<Measurement> ms = new ArrayList<>();
    TimeUnit us = TimeUnit.MICROSECONDS;
    // Medians: kernel exp = expKernelNs despite an outlier iteration; scalar exp = 80 us.
    ms.add(m("UnaryBench", "kernel", "op=exp,size=65536", us, expKernelNs, 1e9, expKernelNs));
    ms.add(m("UnaryBench", "ops", "op=exp,size=65536", us, 12_000, 12_000, 12_000));
    ms.add(m("UnaryBench", "baselineScalar", "op=exp,size=65536", us, 80_000, 79_000, 81_000));
    ms.add(m("UnaryBench", "kernel", "op=sigmoid,size=65536", us, 20_000, 20_000, 20_000));
    ms.add(m("UnaryBench", "ops", "op=sigmoid,size=65536", us, 21_000, 21_000, 21_000));
    ms.add(m("UnaryBench", "baselineScalar", "op=sigmoid,size=65536", us, 100_000, 100_000,
        100_000));
    return ms;
  }

  @Test
  void speedupUsesTheMedianAndTheBaselineOfTheSameParams() {
    List<RatioTable.Row> rows = RatioTable.rows(group("unary"), unary(10_000), NO_NUMPY);
    RatioTable.Row exp = find(rows, "kernel", "op=exp, size=65536", "baselineScalar");
    assertEquals("10 us", exp.median());
    assertEquals("80 us", exp.againstMedian());
    assertEquals("8x", exp.ratio());
    assertEquals(">= 8x", exp.target());
    assertEquals("PASS", exp.result());
    RatioTable.Row sigmoid = find(rows, "kernel", "op=sigmoid, size=65536", "baselineScalar");
    assertEquals("5x", sigmoid.ratio());
    assertEquals("FAIL", sigmoid.result());
    RatioTable.Row ops = find(rows, "ops", "op=exp, size=65536", "baselineScalar");
    assertEquals("6.67x", ops.ratio());
    assertEquals("report", ops.target());
    assertEquals("-", ops.result());
    assertTrue(rows.stream().noneMatch(r -> r.against().startsWith("numpy")),
        "no numpy lines without numpy");
    assertEquals(Map.of("FAIL", 1L, "PASS", 1L), RatioTable.tally(rows));
    // Just under the target fails.
    rows = RatioTable.rows(group("unary"), unary(10_001), NO_NUMPY);
    assertEquals("FAIL", find(rows, "kernel", "op=exp, size=65536", "baselineScalar").result());
  }

  @Test
  void numpyLinesWhereNumpyHasTheOperation() {
    Group g = group("unary");
    List<Measurement> ms = unary(10_000);
    assertEquals(Set.of("exp:65536"), RatioTable.numpyCases(g, ms), "numpy has no sigmoid");
    NumpyBaseline numpy = NumpyBaseline.of(Map.of("exp:65536", 25_000.0), "9.9");
    List<RatioTable.Row> rows = RatioTable.rows(g, ms, numpy);
    RatioTable.Row k = find(rows, "kernel", "op=exp, size=65536", "numpy exp:65536");
    assertEquals("2.5x", k.ratio());
    assertEquals("25 us", k.againstMedian());
    assertEquals("speedup vs numpy", k.metric());
    assertEquals("2.08x", find(rows, "ops", "op=exp, size=65536", "numpy exp:65536").ratio());
    assertEquals(2, rows.stream().filter(r -> r.against().startsWith("numpy")).count());
    // numpy ran but did not time a case: the line says so.
    rows = RatioTable.rows(g, ms, NumpyBaseline.of(Map.of(), "9.9"));
    assertEquals("n/a", find(rows, "kernel", "op=exp, size=65536", "numpy exp:65536").ratio());
  }

  @Test
  void bandwidthRatioCountsStreams() {
    TimeUnit ms = TimeUnit.MILLISECONDS;
    String size = "size=16777216";
    List<Measurement> data = List.of(
        m("BinaryBench", "kernelAdd", size, ms, 15e6, 15e6, 15e6),
        m("BinaryBench", "opsAdd", size, ms, 20e6, 20e6, 20e6),
        m("BinaryBench", "baselineArraycopy", size, ms, 10e6, 10e6, 10e6),
        m("BinaryBench", "baselineScalarAdd", size, ms, 30e6, 30e6, 30e6));
    List<RatioTable.Row> rows = RatioTable.rows(group("binary"), data, NO_NUMPY);
    RatioTable.Row k = find(rows, "kernelAdd", "size=16777216", "baselineArraycopy");
    assertEquals("1", k.ratio()); // 3 streams in 15 ms = 2 streams in 10 ms
    assertEquals("PASS", k.result());
    assertTrue(k.metric().startsWith("bandwidth, 3 vs 2 streams (13.4 vs 13.4 GB/s"),
        k.metric());
    RatioTable.Row o = find(rows, "opsAdd", "size=16777216", "baselineArraycopy");
    assertEquals("0.75", o.ratio());
    assertEquals("-", o.result());
    assertEquals("2x", find(rows, "kernelAdd", "size=16777216", "baselineScalarAdd").ratio());
    assertEquals("1.5x", find(rows, "opsAdd", "size=16777216", "baselineScalarAdd").ratio());

    List<RatioTable.Row> reduce = RatioTable.rows(group("reduce"), List.of(
        m("ReduceBench", "kernelSum", size, ms, 6e6),
        m("ReduceBench", "baselineArraycopy", size, ms, 10e6)), NO_NUMPY);
    RatioTable.Row sum = find(reduce, "kernelSum", "size=16777216", "baselineArraycopy");
    assertEquals("0.833", sum.ratio()); // (1 / 6) / (2 / 10)
    assertEquals(">= 0.9", sum.target());
    assertEquals("FAIL", sum.result());
  }

  @Test
  void absoluteTimeAndGflops() {
    List<RatioTable.Row> rows = RatioTable.rows(group("overhead"), List.of(
        m("EagerOverheadBench", "addOneElement", "", TimeUnit.NANOSECONDS, 240, 260, 250),
        m("EagerOverheadBench", "addScalarTensors", "", TimeUnit.NANOSECONDS, 300),
        m("EagerOverheadBench", "baselineScalarAdd", "", TimeUnit.NANOSECONDS, 0.5)), NO_NUMPY);
    RatioTable.Row add = find(rows, "addOneElement", "", "");
    assertEquals("250 ns", add.ratio());
    assertEquals("<= 250 ns", add.target());
    assertEquals("PASS", add.result());
    // A method no comparison names still gets its time.
    assertEquals("0.5 ns", find(rows, "baselineScalarAdd", "", "").median());

    List<RatioTable.Row> mm = RatioTable.rows(group("matmul"), List.of(
        m("MatmulBench", "kernel", "n=1024", TimeUnit.MICROSECONDS, 1e8),
        m("MatmulBench", "baselineScalar", "n=1024", TimeUnit.MICROSECONDS, 2e9)), NO_NUMPY);
    RatioTable.Row g = mm.stream()
        .filter(r -> r.benchmark().equals("kernel") && r.metric().equals("GFLOP/s"))
        .findFirst().orElseThrow();
    assertEquals("21.5", g.ratio()); // 2 * 1024^3 flops in 0.1 s
    assertEquals("20x", find(mm, "kernel", "n=1024", "baselineScalar").ratio());
  }

  @Test
  void timeRatioIsJudgedAtMost() {
    TimeUnit ms = TimeUnit.MILLISECONDS;
    List<RatioTable.Row> rows = RatioTable.rows(group("train"), List.of(
        m("TrainBench", "stepEager", "", ms, 3.4e6, 3.5e6, 3.6e6),
        m("TrainBench", "baselineForwardEager", "", ms, 1e6),
        m("TrainBench", "stepTraced", "", ms, 3.6e6),
        m("TrainBench", "baselineForwardTraced", "", ms, 1e6)), NO_NUMPY);
    RatioTable.Row eager = find(rows, "stepEager", "", "baselineForwardEager");
    assertEquals("3.5x", eager.ratio());
    assertEquals("time ratio", eager.metric());
    assertEquals("<= 3.5x", eager.target());
    assertEquals("PASS", eager.result());
    assertEquals("FAIL", find(rows, "stepTraced", "", "baselineForwardTraced").result());
    assertEquals("0.972x", find(rows, "stepTraced", "", "stepEager").ratio());
  }

  @Test
  void missingResultsShowInsteadOfVanishing() {
    // Only the baseline ran (say the kernel benchmark threw): the kernel line says so.
    List<RatioTable.Row> rows = RatioTable.rows(group("binary"), List.of(
        m("BinaryBench", "baselineArraycopy", "size=4096", TimeUnit.MILLISECONDS, 1e6)),
        NO_NUMPY);
    RatioTable.Row k = find(rows, "kernelAdd", "", "baselineArraycopy");
    assertEquals("no result", k.median());
    assertEquals("n/a", k.result());
    // The measured method ran but its baseline did not.
    rows = RatioTable.rows(group("binary"), List.of(
        m("BinaryBench", "kernelAdd", "size=4096", TimeUnit.MILLISECONDS, 1e6)), NO_NUMPY);
    k = find(rows, "kernelAdd", "size=4096", "baselineArraycopy");
    assertEquals("no result", k.againstMedian());
    assertEquals("n/a", k.result());
    // Only the judged line (kernelAdd's bandwidth target) counts as n/a; the rest are reported.
    assertEquals(Map.of("n/a", 1L), RatioTable.tally(rows));
  }

  @Test
  void markdownHasAHeaderAndOneLinePerRow() {
    List<RatioTable.Row> rows = RatioTable.rows(group("unary"), unary(10_000), NO_NUMPY);
    String md = RatioTable.markdown(rows);
    String[] lines = md.split("\n");
    assertEquals(rows.size() + 2, lines.length);
    assertTrue(lines[0].startsWith("| benchmark | params | median/op |"), lines[0]);
    assertTrue(lines[1].matches("(\\| --- )+\\|"), lines[1]);
    for (String l : lines) {
      assertEquals(RatioTable.HEADER.size() + 1, l.chars().filter(c -> c == '|').count(), l);
    }
  }

  @Test
  void numbersKeepThreeSignificantDigits() {
    assertEquals("9.88", RatioTable.num(9.876));
    assertEquals("12.3", RatioTable.num(12.34));
    assertEquals("123", RatioTable.num(123.4));
    assertEquals("10", RatioTable.num(10));
    assertEquals("0.00432", RatioTable.num(0.0043211));
    assertEquals("0", RatioTable.num(0));
    assertEquals("n/a", RatioTable.num(Double.NaN));
    assertEquals("8.12 us", RatioTable.time(8123, TimeUnit.MICROSECONDS));
    assertEquals("15.1 ms", RatioTable.time(15.1e6, TimeUnit.MILLISECONDS));
  }
}
