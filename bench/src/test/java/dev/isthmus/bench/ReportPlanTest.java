package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The report command's plan against the benchmarks of this build, without running JMH: every
 * run names real groups, methods and parameters, the quick mode fits its time budget, and every
 * scaling curve gets two points or more.
 */
class ReportPlanTest {
  private static final List<BenchmarkListEntry> ENTRIES = Catalog.entries();

  @Test
  void theQuickPlanIsWellFormedAndCoversEveryGroup() {
    ReportPlan plan = ReportPlan.quick();
    assertEquals(List.of(), plan.problems(ENTRIES));
    assertEquals(Groups.ALL, plan.groups(), "the suite: every group, in order");
    assertTrue(plan.forks() >= 1, "the report's numbers come from forked JVMs");
    int n = plan.benchmarks(ENTRIES);
    assertTrue(n > 100, n + " benchmarks");
    double s = plan.estimatedSeconds(ENTRIES);
    assertTrue(s < 9 * 60, "estimated " + Report.minutes(s) + " for " + n
        + " benchmarks: over the 10-minute budget less a margin");
  }

  @Test
  void theSmokePlanIsWellFormedSmallAndInProcess() {
    ReportPlan smoke = ReportPlan.quick().smoke();
    assertEquals(List.of(), smoke.problems(ENTRIES));
    assertEquals(0, smoke.forks());
    assertEquals(0, smoke.warmupIterations());
    for (ReportPlan.Run r : smoke.runs()) {
      for (String k : List.of("size", "n")) {
        for (String v : r.params().getOrDefault(k, List.of())) {
          assertTrue(Long.parseLong(v) <= 65536, r + ": " + k + "=" + v);
        }
      }
    }
    assertTrue(smoke.benchmarks(ENTRIES) < ReportPlan.quick().benchmarks(ENTRIES));
  }

  @Test
  void everyCurveIsFedByThePlan() {
    ReportPlan plan = ReportPlan.quick();
    for (Curve c : Curve.ALL) {
      Group g = c.groupDef();
      Set<String> methods = new HashSet<>();
      Catalog.of(ENTRIES, g.className()).forEach(e -> methods.add(Catalog.method(e)));
      assertTrue(methods.containsAll(c.methods()), c.file() + ": " + c.methods() + " in "
          + methods);
      assertTrue(c.numpyVia().stream().allMatch(m -> g.comparisons().stream().anyMatch(
          k -> k.measured().equals(m) && k.metric() instanceof Comparison.VsNumpy)),
          c.file() + ": a numpy series comes from a numpy comparison of its group");
      // the x values the plan gives each method of the curve, at the curve's fixed values
      int most = 0;
      for (String m : c.methods()) {
        Set<String> xs = new HashSet<>();
        for (ReportPlan.Run r : plan.runs()) {
          if (!r.group().equals(g.name())) {
            continue;
          }
          for (BenchmarkListEntry e : r.selected(ENTRIES)) {
            if (!Catalog.method(e).equals(m)) {
              continue;
            }
            for (Map<String, String> combo : ReportPlan.combinations(r, e)) {
              if (combo.containsKey(c.xParam()) && c.fixed().entrySet().stream()
                  .allMatch(f -> f.getValue().equals(combo.get(f.getKey())))) {
                xs.add(combo.get(c.xParam()));
              }
            }
          }
        }
        most = Math.max(most, xs.size());
      }
      // the relu expression's curve has the group's two sizes only; the others have more
      int want = c.file().equals("scaling-fused-relu") ? 2 : 3;
      assertTrue(most >= want, c.file() + ": at most " + most + " sizes per method");
    }
  }

  @Test
  void problemsAreFound() {
    ReportPlan bad = new ReportPlan(List.of(
        new ReportPlan.Run("copy", Map.of("size", List.of("4096")), List.of("nosuchMethod")),
        new ReportPlan.Run("copy", Map.of("nosuchParam", List.of("1")), List.of()),
        new ReportPlan.Run("copy", Map.of("size", List.of("big")), List.of()),
        new ReportPlan.Run("nosuchGroup", Map.of(), List.of()),
        new ReportPlan.Run("graph", Map.of(), List.of()),
        new ReportPlan.Run("graph", Map.of(), List.of("cacheHit"))),
        1, 1, 100, 1, 100, 1);
    List<String> p = bad.problems(ENTRIES);
    for (String s : List.of("CopyBench has no benchmark nosuchMethod",
        "copy: no selected benchmark of CopyBench declares @Param nosuchParam",
        "copy: @Param size is a number, got big", "unknown group nosuchGroup",
        "graph: cacheHit {} is in two runs")) {
      assertTrue(p.contains(s), s + " in " + p);
    }
    assertFalse(new ReportPlan(List.of(), 1, 1, 100, 0, 100, 1).problems(ENTRIES).isEmpty());
  }

  @Test
  void combinationsMultiplyDeclaredParametersByTheirOverrides() {
    BenchmarkListEntry kernel = Catalog.of(ENTRIES, "dev.isthmus.bench.UnaryBench").stream()
        .filter(e -> Catalog.method(e).equals("kernel")).findFirst().orElseThrow();
    assertEquals(3, ReportPlan.combinations(new ReportPlan.Run("unary", Map.of(), List.of()),
        kernel).size(), "op's three declared values at the one declared size");
    List<Map<String, String>> c = ReportPlan.combinations(new ReportPlan.Run("unary",
        Map.of("op", List.of("exp"), "size", List.of("1", "2")), List.of()), kernel);
    assertEquals(List.of(Map.of("op", "exp", "size", "1"), Map.of("op", "exp", "size", "2")), c);
    ReportPlan.Run only = new ReportPlan.Run("unary", Map.of(), List.of("kernel", "ops"));
    assertTrue("dev.isthmus.bench.UnaryBench.kernel".matches(only.includeRegex()));
    assertFalse("dev.isthmus.bench.UnaryBench.baselineScalar".matches(only.includeRegex()));
    assertFalse("dev.isthmus.bench.UnaryBench.kernelX".matches(only.includeRegex()));
  }

  @Test
  void dryRunPrintsThePlanAndRunsNothing() {
    ByteArrayOutputStream so = new ByteArrayOutputStream();
    ByteArrayOutputStream se = new ByteArrayOutputStream();
    int rc = BenchMain.run(new String[] {"report", "--dry-run", "--only", "binary,graph"},
        new PrintStream(so, true, StandardCharsets.UTF_8),
        new PrintStream(se, true, StandardCharsets.UTF_8));
    String printed = so.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, se.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("binary    size=4096,65536,1048576,16777216"), printed);
    assertTrue(printed.contains("graph     nodes=1,10,1000; only functionCall, sessionRun,"
        + " baselineEager, baselineJavaLoop"), printed);
    assertFalse(printed.contains("unary"), printed);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, BenchMain.run(new String[] {"report", "--only", "nosuch"},
        new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown group nosuch"));
  }
}
