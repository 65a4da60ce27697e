package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.w3c.dom.Document;

/**
 * The report (README.md and charts) built from synthetic measurements: one per benchmark and
 * parameter combination the quick plan runs in this build, with made-up times, and made-up numpy
 * times for every numpy case the tables ask for. No JMH, no numpy.
 */
class ReportTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /** A made-up time: grows with the problem's size, differs by method, always positive. */
  private static double fakeNs(String method, Map<String, String> params) {
    double work = 1;
    for (String k : List.of("size", "nodes")) {
      if (params.containsKey(k)) {
        work *= Double.parseDouble(params.get(k)) / 64;
      }
    }
    if (params.containsKey("n")) {
      double n = Double.parseDouble(params.get("n"));
      work *= n * n * n / 1e4;
    }
    double factor = 1 + Math.floorMod(method.hashCode(), 13) / 4.0;
    return 50 + work * factor;
  }

  /** One synthetic measurement per benchmark and combination of the plan, grouped. */
  static Map<Group, List<Measurement>> synthetic(ReportPlan plan,
      List<BenchmarkListEntry> entries) {
    Map<Group, List<Measurement>> out = new LinkedHashMap<>();
    for (ReportPlan.Run r : plan.runs()) {
      for (BenchmarkListEntry e : r.selected(entries)) {
        for (Map<String, String> c : ReportPlan.combinations(r, e)) {
          String method = Catalog.method(e);
          double ns = fakeNs(method, c);
          out.computeIfAbsent(r.groupDef(), k -> new ArrayList<>()).add(new Measurement(
              r.groupDef().benchClass(), method, new java.util.TreeMap<>(c),
              new double[] {ns * 1.02, ns, ns * 0.99}, TimeUnit.NANOSECONDS));
        }
      }
    }
    return out;
  }

  private static NumpyBaseline fakeNumpy(Map<Group, List<Measurement>> measured) {
    Map<String, Double> ns = new HashMap<>();
    measured.forEach((g, ms) -> RatioTable.numpyCases(g, ms)
        .forEach(k -> ns.put(k, 40.0 + k.length() * 10)));
    return NumpyBaseline.of(ns, "0.0-test");
  }

  private static Report.Header header() {
    return new Report.Header(LocalDate.of(2026, 11, 25), "Test CPU 9000", 2, "JDK 25 (test)",
        "Vector API, 16 float lanes (512-bit)", "0.10, 0.20, 0.30", "0.40, 0.50, 0.60",
        Duration.ofSeconds(421));
  }

  @Test
  void writesTheReadmeAndValidChartsFromSyntheticMeasurements(@TempDir Path dir)
      throws Exception {
    List<BenchmarkListEntry> entries = Catalog.entries();
    ReportPlan plan = ReportPlan.quick();
    Map<Group, List<Measurement>> measured = synthetic(plan, entries);
    assertFalse(measured.isEmpty(), "the build has the plan's benchmarks");
    NumpyBaseline numpy = fakeNumpy(measured);
    Map<Group, List<String>> notes = Map.of(Groups.byName("conv").orElseThrow(),
        List.of("A note about conv."));
    List<Path> files = Report.write(dir, header(), plan, measured, notes, numpy);

    Path readme = dir.resolve("README.md");
    assertTrue(files.contains(readme));
    String md = Files.readString(readme);
    assertTrue(md.startsWith("# isthmus benchmark report, 2026-11-25\n"), md);
    for (String s : List.of("| CPU | Test CPU 9000, 2 CPUs |", "at the start 0.10, 0.20, 0.30",
        "at the end 0.40, 0.50, 0.60", "7 min 1 s", "numpy 0.0-test", "A note about conv.",
        "warm-up 2 x 150 ms, measurement 3 x 100 ms, 1 fork per benchmark")) {
      assertTrue(md.contains(s), s);
    }
    // every group's table, exactly as the ratio machinery makes it, with targets and verdicts
    for (Group g : plan.groups()) {
      List<Measurement> ms = measured.get(g);
      if (ms == null) {
        continue; // not in this build
      }
      assertTrue(md.contains("\n### " + g.name() + ": " + g.benchClass() + "\n"), g.name());
      String table = RatioTable.markdown(RatioTable.rows(g, Measurement.byParams(ms), numpy));
      assertTrue(md.contains(table), g.name() + "'s table");
      assertTrue(md.contains("| [" + g.name() + "](#" + Report.anchor(g) + ") |"), g.name());
    }
    assertTrue(md.contains("| benchmark | params | median/op | compared with |"));
    assertTrue(md.contains("PASS") || md.contains("FAIL"), "some targets are judged");

    // every chart in both formats, linked from the README, and valid
    long pngs = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".png")) {
        pngs++;
        assertPng(f);
        String stem = name.substring(0, name.length() - 4);
        assertTrue(files.contains(dir.resolve(stem + ".svg")), stem + ".svg");
        assertTrue(md.contains("](" + stem + ".png)") && md.contains("](" + stem + ".svg)"),
            stem + " is linked");
      } else if (name.endsWith(".svg")) {
        assertSvg(f);
      } else {
        assertEquals("README.md", name);
      }
    }
    // the curves, with their points, and a ratio chart per group with ratio lines
    for (String stem : List.of("scaling-exp", "scaling-add", "scaling-matmul-float32",
        "gflops-matmul-float32", "scaling-matmul-float64", "scaling-fused-chain",
        "scaling-fused-relu", "graph-per-node", "ratios-unary", "ratios-binary",
        "ratios-matmul", "ratios-fusion", "ratios-graph", "ratios-train")) {
      assertTrue(files.contains(dir.resolve(stem + ".png")), stem);
    }
    assertTrue(pngs >= 20, pngs + " charts");
  }

  private static void assertPng(Path f) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(f)) {
      head = in.readNBytes(8);
    }
    assertArrayEquals(PNG_MAGIC, head, f + " starts with PNG's signature");
    BufferedImage img = ImageIO.read(f.toFile());
    assertNotNull(img, f + " decodes");
    assertTrue(img.getWidth() >= 800 && img.getHeight() >= 400, f + " size");
    // not blank: more than a couple of colours
    Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 3, f + " has " + colours.size() + " colours");
  }

  private static void assertSvg(Path f) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    // the file may name SVG's DTD: never fetch it
    dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    dbf.setExpandEntityReferences(false);
    Document doc = dbf.newDocumentBuilder().parse(f.toFile());
    assertEquals("svg", doc.getDocumentElement().getLocalName(), f + " root element");
    assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
    assertTrue(doc.getElementsByTagNameNS("*", "text").getLength()
        + doc.getElementsByTagNameNS("*", "path").getLength() > 5, f + " draws something");
  }

  private static Measurement m(String cls, String method, Map<String, String> params, double ns) {
    return new Measurement(cls, method, new java.util.TreeMap<>(params), new double[] {ns},
        TimeUnit.NANOSECONDS);
  }

  @Test
  void ratioChartColoursBarsByVerdictAndDrawsTargets() {
    Group unary = Groups.byName("unary").orElseThrow();
    List<Measurement> ms = new ArrayList<>();
    for (String op : List.of("exp", "tanh")) {
      Map<String, String> p = Map.of("op", op, "size", "65536");
      // exp passes its >= 8x (10x), tanh fails it (4x); ops is reported only
      ms.add(m("UnaryBench", "kernel", p, op.equals("exp") ? 1000 : 2500));
      ms.add(m("UnaryBench", "ops", p, 2000));
      ms.add(m("UnaryBench", "baselineScalar", p, 10_000));
    }
    List<RatioTable.Row> rows = RatioTable.rows(unary, ms,
        NumpyBaseline.absent("not in this test"));
    CategoryChart c = ReportCharts.ratioChart(unary, rows);
    assertNotNull(c);
    assertEquals(Set.of("PASS", "FAIL", "reported (no target)", "target"),
        c.getSeriesMap().keySet());
    assertEquals(List.of("kernel / Scalar (exp, 64K)", "kernel / Scalar (tanh, 64K)",
        "ops / Scalar (exp, 64K)", "ops / Scalar (tanh, 64K)"),
        c.getSeriesMap().get("PASS").getXData());
    assertEquals(Arrays.asList(10.0, null, null, null), c.getSeriesMap().get("PASS").getYData());
    assertEquals(Arrays.asList(null, 4.0, null, null), c.getSeriesMap().get("FAIL").getYData());
    assertEquals(Arrays.asList(null, null, 5.0, 5.0),
        c.getSeriesMap().get("reported (no target)").getYData());
    assertEquals(Arrays.asList(8.0, 8.0, null, null), c.getSeriesMap().get("target").getYData());
    assertFalse(c.getStyler().isYAxisLogarithmic(), "4x to 10x: a linear axis from 0");

    // a group whose lines are all absolute (times) has no ratio chart
    Group overhead = Groups.byName("overhead").orElseThrow();
    List<RatioTable.Row> times = RatioTable.rows(overhead, List.of(
        m("EagerOverheadBench", "addOneElement", Map.of(), 20)),
        NumpyBaseline.absent("not in this test"));
    assertNull(ReportCharts.ratioChart(overhead, times));
  }

  @Test
  void curvesTakeTheirPointsFromTheMeasurementsAndNumpy() {
    Curve add = Curve.ALL.stream().filter(c -> c.file().equals("scaling-add")).findFirst()
        .orElseThrow();
    List<Measurement> ms = new ArrayList<>();
    for (long n : new long[] {65536, 4096, 16777216}) {
      ms.add(m("BinaryBench", "kernelAdd", Map.of("size", "" + n), n / 8.0));
      ms.add(m("BinaryBench", "opsAdd", Map.of("size", "" + n), n / 4.0));
    }
    NumpyBaseline numpy = NumpyBaseline.of(Map.of("add:4096", 700.0, "add:65536", 9000.0), "x");
    List<Curve.Series> s = add.series(ms, numpy);
    assertEquals(List.of("kernelAdd", "opsAdd", "numpy add"),
        s.stream().map(Curve.Series::name).toList());
    assertArrayEquals(new double[] {4096, 65536, 16777216}, s.get(0).x());
    assertArrayEquals(new double[] {512, 8192, 2097152}, s.get(0).y());
    assertArrayEquals(new double[] {4096, 65536}, s.get(2).x());
    assertArrayEquals(new double[] {700, 9000}, s.get(2).y());
    XYChart chart = ReportCharts.curve(add, s);
    assertNotNull(chart);
    assertTrue(chart.getStyler().isXAxisLogarithmic() && chart.getStyler().isYAxisLogarithmic());
    assertTrue(chart.getYAxisTitle().contains("(us)"), chart.getYAxisTitle());

    // GFLOP/s: 2 n^3 over the time
    Curve gf = Curve.ALL.stream().filter(c -> c.file().equals("gflops-matmul-float32"))
        .findFirst().orElseThrow();
    List<Curve.Series> g = gf.series(List.of(
        m("MatmulBench", "kernel", Map.of("n", "100", "dtype", "float32"), 20_000),
        m("MatmulBench", "kernel", Map.of("n", "200", "dtype", "float32"), 80_000),
        m("MatmulBench", "kernel", Map.of("n", "200", "dtype", "float64"), 1)), numpy);
    assertEquals(1, g.size());
    assertArrayEquals(new double[] {100, 200}, g.get(0).x());
    assertArrayEquals(new double[] {100, 200}, g.get(0).y(), 1e-9);

    // one point is no curve
    assertNull(ReportCharts.curve(add, add.series(ms.subList(0, 2), numpy)));
  }

  @Test
  void chartLabelsAreShort() {
    assertEquals("64K", ReportCharts.shortNumber("65536"));
    assertEquals("16M", ReportCharts.shortNumber("16777216"));
    assertEquals("1000", ReportCharts.shortNumber("1000"));
    assertEquals("f32, n=1024", ReportCharts.shortParams("dtype=float32, n=1024"));
    assertEquals("n=2048, 2t", ReportCharts.shortParams("n=2048, threads=2"));
    assertEquals("exp, 1M", ReportCharts.shortParams("op=exp, size=1048576"));
    assertEquals("", ReportCharts.shortParams(""));
  }

  @Test
  void tablesListMeasurementsInSizeOrder() {
    // parameters compared by name, a missing one first, numbers as numbers
    List<Measurement> ms = List.of(
        m("GraphBench", "functionCall", Map.of("nodes", "100"), 1),
        m("GraphBench", "cacheHit", Map.of(), 2),
        m("GraphBench", "functionCall", Map.of("nodes", "1000"), 3),
        m("GraphBench", "functionCall", Map.of("nodes", "10"), 4),
        m("UnaryBench", "kernel", Map.of("op", "tanh", "size", "4096"), 5),
        m("UnaryBench", "kernel", Map.of("op", "exp", "size", "65536"), 6));
    assertEquals(List.of(2.0, 6.0, 5.0, 4.0, 1.0, 3.0), Measurement.byParams(ms).stream()
        .map(Measurement::medianNs).toList());
  }

  @Test
  void aMissingGroupIsSaidSoAndCurvesWithoutPointsAreNotDrawn(@TempDir Path dir)
      throws IOException {
    ReportPlan plan = ReportPlan.quick().onlyGroups(Set.of("binary", "graph"));
    Group binary = Groups.byName("binary").orElseThrow();
    Map<Group, List<Measurement>> measured = Map.of(binary, List.of(
        m("BinaryBench", "kernelAdd", Map.of("size", "4096"), 500),
        m("BinaryBench", "baselineArraycopy", Map.of("size", "4096"), 400)));
    List<Path> files = Report.write(dir, header(), plan, measured, Map.of(),
        NumpyBaseline.absent("no python here"));
    String md = Files.readString(dir.resolve("README.md"));
    assertTrue(md.contains("| [graph](#graph-graphbench) | - | - | - | - | not run |"), md);
    assertTrue(md.contains("Not drawn: no method of `BinaryBench` was measured at two values"
        + " of `size`."), md);
    assertTrue(md.contains("numpy column absent: no python here"), md);
    assertTrue(files.contains(dir.resolve("ratios-binary.svg")));
    assertFalse(Stream.of("scaling-add.png", "graph-per-node.png")
        .anyMatch(f -> Files.exists(dir.resolve(f))));
  }
}
