package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and the report, without running JMH. */
class BenchMainTest {
  @Test
  void parsesGroupsAndOptions() {
    BenchMain.Args a = BenchMain.Args.parse("unary", "--quick", "--out", "r.md", "unary",
        "--param", "size=4096,8192");
    assertEquals(List.of("unary"), a.groups().stream().map(Group::name).toList());
    assertTrue(a.quick());
    assertEquals(Path.of("r.md"), a.out());
    assertEquals(List.of("4096", "8192"), List.of(a.params().get("size")));
    BenchMain.Args all = BenchMain.Args.parse("copy", "all");
    assertEquals(List.of("copy", "unary", "binary", "overhead", "reduce", "softmax", "matmul",
        "move", "create", "compare", "conv",
        "fusion", "jit",
        "parallel", "graph", "train", "async"), all.groups().stream().map(Group::name).toList());
    assertTrue(BenchMain.Args.parse("list").list());
    assertNull(all.out());
  }

  @Test
  void rejectsBadCommandLines() {
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Args.parse("nosuch"));
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Args.parse("--quick"));
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Args.parse("copy", "--out"));
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Args.parse("copy", "--fast"));
    assertThrows(IllegalArgumentException.class,
        () -> BenchMain.Args.parse("copy", "--param", "size"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = BenchMain.run(new String[] {"nosuch"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown group nosuch"));
  }

  @Test
  void groupsWithoutBenchmarkClassesAreSkippedWithALine(@TempDir Path dir) throws IOException {
    // An empty build: every group is missing, so nothing runs, and each says so.
    Path out = dir.resolve("sub/report.md");
    ByteArrayOutputStream so = new ByteArrayOutputStream();
    int rc = BenchMain.run(BenchMain.Args.parse("unary", "matmul", "--out", out.toString()),
        List.of(), new PrintStream(so, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, rc);
    String printed = so.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("unary: skipped, UnaryBench is not in this build"), printed);
    assertTrue(printed.contains("matmul: skipped, MatmulBench is not in this build"), printed);
    String report = Files.readString(out);
    assertTrue(report.startsWith("# isthmus benchmarks"), report);
    assertTrue(report.contains("## unary: UnaryBench"), report);
    assertTrue(report.contains("UnaryBench is not in this build (its benchmark class is missing)"),
        report);
    assertTrue(report.contains("numpy column absent:"), report);
    assertTrue(printed.contains(report), "the report printed is the report written");
  }

  @Test
  void aGroupsNotesFollowItsTable() {
    Group g = new Group("noted", "NotedBench", "Measures nothing.",
        List.of(Comparison.time("m", Comparison.Target.report())),
        ms -> List.of("first note on " + ms.size() + " measurement", "second note"));
    Measurement m = new Measurement("NotedBench", "m", new java.util.TreeMap<>(),
        new double[] {5}, java.util.concurrent.TimeUnit.NANOSECONDS);
    BenchMain.Args args = new BenchMain.Args(List.of(g), false, true, null, java.util.Map.of());
    String report = BenchMain.report(args, List.of(), java.util.Map.of(g, List.of(m)),
        java.util.Map.of(), NumpyBaseline.absent("test"));
    int table = report.indexOf("| m |");
    int first = report.indexOf("\nfirst note on 1 measurement\n");
    assertTrue(table > 0 && first > table, report);
    assertTrue(report.indexOf("\nsecond note\n") > first, report);
  }

  @Test
  void listNamesEveryGroupAndWhetherItIsBuilt() {
    String l = BenchMain.listing(Catalog.entries());
    for (Group g : Groups.ALL) {
      assertTrue(l.contains(g.name()), g.name());
    }
    assertTrue(l.lines().anyMatch(s -> s.startsWith("copy") && !s.contains("not in this build")),
        l);
  }
}
