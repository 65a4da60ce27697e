package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.bench.Comparison.Bandwidth;
import dev.isthmus.bench.Comparison.Speedup;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/** The group declarations against the benchmarks actually compiled into the build. */
class GroupsTest {
  @Test
  void namesAndClassesAreUnique() {
    Set<String> names = new HashSet<>();
    Set<String> classes = new HashSet<>();
    for (Group g : Groups.ALL) {
      assertTrue(names.add(g.name()), g.name());
      assertTrue(classes.add(g.benchClass()), g.benchClass());
      assertTrue(!g.comparisons().isEmpty(), g.name());
    }
    assertEquals(List.of("unary", "binary", "overhead", "reduce", "softmax", "matmul", "copy",
        "move", "create", "compare", "conv",
        "fusion", "jit",
        "parallel", "graph", "train", "async"), Groups.ALL.stream().map(Group::name).toList());
  }

  @Test
  void everyMethodAComparisonNamesExistsInPresentClasses() {
    // A class not in this build is skipped at run time; a present class must have every method
    // its group compares, or the table would only say "no result".
    List<BenchmarkListEntry> entries = Catalog.entries();
    int checked = 0;
    for (Group g : Groups.ALL) {
      Set<String> methods = new HashSet<>();
      Catalog.of(entries, g.className()).forEach(e -> methods.add(Catalog.method(e)));
      if (methods.isEmpty()) {
        continue;
      }
      for (Comparison c : g.comparisons()) {
        assertTrue(methods.contains(c.measured()), g.benchClass() + " lacks " + c.measured());
        String baseline = switch (c.metric()) {
          case Speedup s -> s.baseline();
          case Bandwidth b -> b.baseline();
          case Comparison.TimeRatio t -> t.baseline();
          default -> null;
        };
        if (baseline != null) {
          assertTrue(methods.contains(baseline), g.benchClass() + " lacks " + baseline);
        }
        checked++;
      }
    }
    assertTrue(checked > 0, "at least CopyBench is in the build");
  }

  @Test
  void moveCreateCompareGraphTrainAndJitAreBuiltAndEveryMethodIsCompared() {
    // These classes live in this module, so their groups must never be skipped, and a method
    // that no comparison names would only get a bare time line: every one is measured or a
    // baseline.
    List<BenchmarkListEntry> entries = Catalog.entries();
    for (String name : List.of("move", "create", "compare", "graph", "train", "jit")) {
      Group g = Groups.byName(name).orElseThrow();
      Set<String> methods = new HashSet<>();
      Catalog.of(entries, g.className()).forEach(e -> methods.add(Catalog.method(e)));
      assertTrue(!methods.isEmpty(), g.benchClass() + " is in the build");
      Set<String> named = new HashSet<>();
      for (Comparison c : g.comparisons()) {
        named.add(c.measured());
        switch (c.metric()) {
          case Speedup s -> named.add(s.baseline());
          case Bandwidth b -> named.add(b.baseline());
          case Comparison.TimeRatio t -> named.add(t.baseline());
          default -> { }
        }
      }
      assertEquals(methods, named, g.benchClass() + ": benchmark methods vs compared methods");
    }
  }

  @Test
  void theJitGroupsNoteBoundsTheDenseLayerSpeedupByUnfusedOverMatmulAlone() {
    Group jit = Groups.byName("jit").orElseThrow();
    List<Measurement> ms = List.of(
        dense("baselineMatmulOnly", "1024", 8e6), dense("baselineUnfusedDenseLayer", "1024", 10e6),
        dense("jitDenseLayer", "1024", 9e6), dense("baselineMatmulOnly", "64", 1e5),
        dense("baselineUnfusedDenseLayer", "64", 2e5));
    List<String> notes = jit.notes().apply(ms);
    assertEquals(2, notes.size(), notes.toString());
    // 10 ms unfused over 8 ms matmul: at most 1.25x; 9 ms saves half of the 2 ms
    assertTrue(notes.get(0).contains("(n=1024)"), notes.get(0));
    assertTrue(notes.get(0).contains("at most 1.25x faster than unfused"), notes.get(0));
    assertTrue(notes.get(0).contains("it is 1.11x, 50% of the saving."), notes.get(0));
    assertTrue(notes.get(1).contains("(n=64)"), notes.get(1));
    assertTrue(notes.get(1).contains("at most 2x faster"), notes.get(1));
    assertTrue(!notes.get(1).contains("target is beyond"), notes.get(1));
    assertTrue(notes.get(0).endsWith("."), notes.get(0));
    List<Measurement> tight = List.of(dense("baselineMatmulOnly", "1024", 9e6),
        dense("baselineUnfusedDenseLayer", "1024", 10e6));
    assertTrue(jit.notes().apply(tight).get(0).endsWith("The 1.2x target is beyond that bound"
        + " here."), jit.notes().apply(tight).toString());
    assertEquals(List.of(), jit.notes().apply(List.of(dense("baselineMatmulOnly", "1024", 1))));
    assertEquals(List.of(), Groups.byName("copy").orElseThrow().notes().apply(ms));
  }

  private static Measurement dense(String method, String n, double ns) {
    return new Measurement("JitBench", method, new java.util.TreeMap<>(java.util.Map.of("n", n)),
        new double[] {ns}, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Test
  void includeRegexSelectsExactlyTheClass() {
    Group copy = Groups.byName("copy").orElseThrow();
    assertTrue("dev.isthmus.bench.CopyBench.segmentCopy".matches(copy.includeRegex()));
    assertTrue(!"dev.isthmus.bench.CopyBenchX.segmentCopy".matches(copy.includeRegex()));
    assertTrue(!"dev.isthmus.bench.XCopyBench.segmentCopy".matches(copy.includeRegex()));
  }
}
