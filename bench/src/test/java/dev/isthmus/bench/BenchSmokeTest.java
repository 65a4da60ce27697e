package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI smoke test: every benchmark of the build runs once, in this JVM (no fork, no warm-up, one
 * short measurement iteration, big parameters made small), and yields a result. It proves the
 * benchmarks run, not how fast.
 */
class BenchSmokeTest {
  /** Small values for the parameters that make benchmarks slow, where a benchmark has them. */
  private static final Map<String, String> SMALL = Map.of("size", "4096", "n", "64");

  @BeforeAll
  static void allowConcurrentJmh() {
    // JMH refuses to start while another JMH holds its lock file in the temp directory; a shared
    // CI machine may run several, and in-process runs cannot disturb each other's results here.
    System.setProperty("jmh.ignoreLock", "true");
  }

  @Test
  void theBuildListsItsBenchmarks() {
    List<String> copy = Catalog.of(Catalog.entries(), "dev.isthmus.bench.CopyBench").stream()
        .map(Catalog::method).sorted().toList();
    assertEquals(List.of("baselineArraycopy", "baselineLoop", "segmentCopy"), copy);
  }

  @Test
  void everyJitBenchmarkIsListedSoTheSmokeRunCoversIt() {
    // everyBenchmarkRunsOnce runs what the build lists, with size=4096 and n=64: for the jit
    // group that is every method below once (the Function-level paths, their setups' checks of
    // clusters and results, and the per-iteration checks of the fusion compiler's counters)
    List<String> jit = Catalog.of(Catalog.entries(), "dev.isthmus.bench.JitBench").stream()
        .map(Catalog::method).sorted().toList();
    assertEquals(List.of("baselineHandFusedChain", "baselineHandFusedReluMulAdd",
        "baselineMatmulOnly", "baselineNewFunctionUnfused", "baselineUnfusedChain",
        "baselineUnfusedDenseLayer", "baselineUnfusedFirst100Calls",
        "baselineUnfusedReluMulAdd", "cacheHit", "compileNewCluster", "first100Calls",
        "jitChain", "jitDenseLayer", "jitReluMulAdd", "jitScopeChain", "jitScopeReluMulAdd"),
        jit);
  }

  @TestFactory
  Stream<DynamicTest> everyBenchmarkRunsOnce() {
    List<BenchmarkListEntry> entries = Catalog.entries();
    assertFalse(entries.isEmpty(), "META-INF/BenchmarkList lists no benchmarks");
    return entries.stream().map(e -> dynamicTest(e.getUsername(), () -> runOnce(e)));
  }

  private static void runOnce(BenchmarkListEntry e) throws Exception {
    ChainedOptionsBuilder ob = new OptionsBuilder()
        .include("^" + Pattern.quote(e.getUsername()) + "$")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .timeout(TimeValue.minutes(2))
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    Map<String, String[]> declared = e.getParams().orElse(Map.of());
    long combinations = 1;
    for (Map.Entry<String, String[]> p : declared.entrySet()) {
      String small = SMALL.get(p.getKey());
      if (small != null) {
        ob.param(p.getKey(), small);
      } else {
        combinations *= p.getValue().length;
      }
    }
    Collection<RunResult> results = new Runner(ob.build()).run();
    assertEquals(combinations, results.size(), "one result per parameter combination");
    for (Measurement m : Measurement.fromJmh(results)) {
      assertEquals(e.getUsername(), Group.PACKAGE + "." + m.benchClass() + "." + m.method());
      assertEquals(1, m.iterationNs().length, "one measurement iteration");
      double ns = m.medianNs();
      assertTrue(Double.isFinite(ns) && ns > 0, "time per op " + ns + " ns");
      SMALL.forEach((k, v) -> {
        if (declared.containsKey(k)) {
          assertEquals(v, m.params().get(k), "parameter " + k + " was made small");
        }
      });
    }
  }
}
