package dev.isthmus.bench;

import static java.util.concurrent.TimeUnit.MICROSECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** numpy cases with a BLAS thread count ({@code matmul:2048@2}), without running Python. */
class NumpyThreadsTest {
  @Test
  void aCaseNamesItsThreadsAfterAnAt() {
    assertEquals(1, NumpyBaseline.threads("matmul:2048"));
    assertEquals(2, NumpyBaseline.threads("matmul:2048@2"));
    assertEquals(4, NumpyBaseline.threads("matmul64:64@4"));
    assertEquals(1, NumpyBaseline.threads("add1"));
  }

  @Test
  void theMatmulGroupAsksNumpyForAsManyThreadsAsItUsed() {
    Group g = Groups.byName("matmul").orElseThrow();
    List<Measurement> ms = new ArrayList<>();
    ms.add(m("kernel", Map.of("n", "1024", "dtype", "float32")));
    ms.add(m("ops", Map.of("n", "1024", "dtype", "float64")));
    ms.add(m("opsParallel", Map.of("n", "2048", "dtype", "float32", "threads", "2")));
    ms.add(m("opsParallel", Map.of("n", "2048", "dtype", "float64", "threads", "2")));
    ms.add(m("opsParallel", Map.of("n", "64", "dtype", "float32", "threads", "1")));
    assertEquals(List.of("matmul:1024", "matmul64:1024", "matmul:2048@2", "matmul64:2048@2",
        "matmul:64"), List.copyOf(RatioTable.numpyCases(g, ms)));
  }

  @Test
  void theScriptTakesAThreadCountBeforeNumpyLoads() throws IOException {
    String script;
    try (InputStream in = NumpyBaseline.class.getResourceAsStream("numpy_baseline.py")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int threads = script.indexOf("--threads");
    int setsEnv = script.indexOf("os.environ[var] = blas_threads(");
    int imports = script.indexOf("import numpy");
    assertTrue(threads >= 0 && setsEnv > 0 && imports > setsEnv,
        "the script sets OPENBLAS_NUM_THREADS from --threads before importing numpy");
  }

  private static Measurement m(String method, Map<String, String> params) {
    return new Measurement("MatmulBench", method, new TreeMap<>(params), new double[] {1000},
        MICROSECONDS);
  }
}
