package dev.isthmus.bench;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The numpy script's output format, without running Python. */
class NumpyBaselineTest {
  @Test
  void parsesTheScriptOutput() {
    NumpyBaseline nb = NumpyBaseline.parse("# numpy 2.4.6\nadd1\t241.7\nexp:65536\t2.2e+04\n");
    assertTrue(nb.available());
    assertEquals(OptionalDouble.of(241.7), nb.nanos("add1"));
    assertEquals(OptionalDouble.of(22000), nb.nanos("exp:65536"));
    assertEquals(OptionalDouble.empty(), nb.nanos("tanh:65536"));
    assertTrue(nb.note().startsWith("numpy 2.4.6 (OPENBLAS_NUM_THREADS=1"), nb.note());
  }

  @Test
  void garbageMakesTheColumnAbsentWithTheReason() {
    NumpyBaseline nb = NumpyBaseline.parse("# numpy 2.4.6\nTraceback (most recent call last):\n");
    assertFalse(nb.available());
    assertTrue(nb.note().startsWith("numpy column absent: unexpected line"), nb.note());
    assertFalse(NumpyBaseline.parse("add1\tfast\n").available());
  }

  @Test
  void noCasesMeansNoPython() {
    NumpyBaseline nb = NumpyBaseline.run(List.of(), false);
    assertFalse(nb.available());
    assertTrue(nb.note().startsWith("numpy column absent:"), nb.note());
  }

  @Test
  void theScriptShipsAsAResourceAndKnowsEveryCaseTheGroupsAsk() throws IOException {
    String script;
    try (InputStream in = NumpyBaseline.class.getResourceAsStream("numpy_baseline.py")) {
      assertTrue(in != null, "numpy_baseline.py is on the class path");
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(script.contains("OPENBLAS_NUM_THREADS"));
    assertTrue(script.contains("OPENBLAS_CORETYPE") && script.contains("OPENBLAS_L2_SIZE"),
        "the script unsets OpenBLAS's core type and L2 overrides for itself");
    for (String op : List.of("\"add1\"", "\"exp\"", "\"tanh\"", "\"add\"", "\"sum\"",
        "\"matmul\"", "\"matmul64\"", "\"transpose\"", "\"concat\"", "\"gather\"", "\"uniform\"",
        "\"normal\"", "\"ones\"", "\"less\"", "\"where\"", "\"cast\"")) {
      assertTrue(script.contains(op), "the script handles " + op);
    }
    // And every case a group's numpy comparison would ask for, on typical parameters.
    TreeMap<String, String> params = new TreeMap<>(Map.of("n", "64", "size", "4096", "op", "exp"));
    int asked = 0;
    for (Group g : Groups.ALL) {
      for (Comparison c : g.comparisons()) {
        if (c.metric() instanceof Comparison.VsNumpy v) {
          String k = v.numpyCase().apply(
              new Measurement(g.benchClass(), c.measured(), params, new double[] {1}, NANOSECONDS));
          String name = k.contains(":") ? k.substring(0, k.indexOf(':')) : k;
          assertTrue(script.contains("\"" + name + "\""), g.name() + " asks numpy for " + k);
          asked++;
        }
      }
    }
    assertTrue(asked > 0, "numpy comparisons checked: " + asked);
  }
}
