package dev.isthmus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.bench.ColdStart.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CI smoke test of the cold-start harness: one op, one process per column, numpy only if python3
 * has it. It checks that the Java measurement happened and makes sense, not how fast it was.
 */
class ColdStartTest {
  @Test
  void oneOpInOneFreshJvmPerModeIsMeasured() throws IOException {
    ColdStart.Args args = ColdStart.Args.parse("--ops", "add", "--runs", "1");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ColdStartReport r = ColdStart.measure(args, new PrintStream(progress, true,
        StandardCharsets.UTF_8));
    assertTrue(r.demo().isEmpty(), "no --demo, no demo runs");
    Map<String, List<Sample>> add = r.samples().get("add");
    for (String mode : List.of("routed", "vector", "scalar")) {
      List<Sample> s = add.get(mode);
      assertEquals(1, s.size(), mode);
      Sample one = s.get(0);
      assertEquals(256 * 256, one.elements(), mode + ": the child's add did not run in full");
      assertTrue(one.firstNs() > 0 && one.secondNs() > 0 && one.startNs() > 0, mode + ": " + one);
      // the first call and the engine's start happen inside the process the parent timed
      assertTrue(one.firstNs() + one.startNs() < one.wallNs(), mode + ": " + one);
    }
    String md = r.markdown();
    assertTrue(md.contains("| add | f32[256,256] + f32[256,256] |"), md);
    assertTrue(md.contains("routed / scalar"), md);
    // without python3 or numpy the report says why the column is missing, and has no numpy cells
    if (add.containsKey("numpy")) {
      assertEquals(256 * 256, add.get("numpy").get(0).elements());
      assertTrue(md.contains("numpy first"), md);
    } else {
      assertTrue(r.numpyNote().startsWith("numpy skipped:"), r.numpyNote());
      assertTrue(md.contains(r.numpyNote()), md);
      System.out.println("ColdStartTest: " + r.numpyNote());
    }
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ColdStart.Args.parse("--ops", "nope"));
    assertThrows(IllegalArgumentException.class, () -> ColdStart.Args.parse("--runs", "0"));
    assertThrows(IllegalArgumentException.class, () -> ColdStart.Args.parse("--modes", "fast"));
    assertThrows(IllegalArgumentException.class, () -> ColdStart.Args.parse("--runs"));
    assertThrows(IllegalArgumentException.class, () -> ColdStart.Args.parse("--demo"));
    assertEquals("a.jar", ColdStart.Args.parse("--demo", "a.jar").demo());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, BenchMain.run(new String[] {"coldstart", "--bogus"}, System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --bogus"));
  }

  @Test
  void everyOpHasANumpyCounterpartAndTwentyOpsAreTimed() throws IOException {
    assertEquals(20, ColdStartOps.ALL.size());
    String script;
    try (var in = ColdStart.class.getResourceAsStream("coldstart_numpy.py")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (ColdStartOps.Op op : ColdStartOps.ALL) {
      assertTrue(script.contains("\"" + op.name() + "\":"), op.name() + " is missing in numpy");
    }
  }
}
