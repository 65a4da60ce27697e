package dev.isthmus.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Lucene-style gate: each condition that turns the Vector API off is tried in a fresh JVM,
 * which must report the scalar path and say why (both in {@link Simd#WHY_SCALAR} and in the log).
 */
class SimdGatingTest {
  /** Prints the gate's decision; run in child JVMs. */
  public static void main(String[] args) {
    System.out.println("VECTOR=" + Simd.VECTOR);
    System.out.println("WHY=" + Simd.WHY_SCALAR);
    System.out.println("LANES=" + Simd.floatLanes());
  }

  private static String run(String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SimdGatingTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void vectorPathWithTheModuleAndC2() throws Exception {
    String out = run("--add-modules", "jdk.incubator.vector");
    assertTrue(out.contains("VECTOR=true"), out);
    assertTrue(out.contains("WHY=null"), out);
  }

  @Test
  void scalarWithoutTheIncubatorModule() throws Exception {
    String out = run();
    assertTrue(out.contains("VECTOR=false"), out);
    assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
    assertTrue(out.contains("isthmus: scalar kernels in use"), "one log line says why: " + out);
    assertTrue(out.contains("LANES=1"), out);
  }

  @Test
  void scalarWhenForced() throws Exception {
    String out = run("--add-modules", "jdk.incubator.vector", "-Disthmus.simd=scalar");
    assertTrue(out.contains("VECTOR=false"), out);
    assertTrue(out.contains("forced by -Disthmus.simd=scalar"), out);
  }

  @Test
  void scalarWithoutC2() throws Exception {
    String out = run("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1");
    assertTrue(out.contains("VECTOR=false"), out);
    assertTrue(out.contains("C2 is disabled"), out);
  }

  @Test
  void scalarWhenInterpreted() throws Exception {
    String out = run("--add-modules", "jdk.incubator.vector", "-Xint");
    assertTrue(out.contains("VECTOR=false"), out);
    assertTrue(out.contains("interpreted"), out);
  }
}
