package dev.isthmus.scopes.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Function;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.Simd;
import dev.isthmus.scopes.JitStats;
import dev.isthmus.scopes.Scopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The switches, read once per JVM, each in a child JVM running {@link #main}:
 * {@code -Disthmus.fusion=off} runs clusters op by op, {@code -Disthmus.fusion.print=true}
 * prints each cluster's plan with its generated kernel.
 */
class FusionSwitchesTest {
  /** The child: a jit cluster run three times; prints its stats and whether results agree. */
  public static void main(String[] args) {
    Tensor[] in = {FusionRunnerTest.floats(1, 1000), FusionRunnerTest.floats(2, 1000),
        FusionRunnerTest.floats(3, 1000), FusionRunnerTest.floats(4, 1000)};
    float[] want = FusionRunnerTest.relu4(List.of(in)).get(0).toFloatArray();
    Function f = FusionRunnerTest.jit(FusionRunnerTest::relu4);
    boolean same = true;
    for (int i = 0; i < 3; i++) {
      same &= Arrays.equals(want, f.callAll(in).get(0).toFloatArray());
    }
    JitStats s = Scopes.jitStats();
    System.out.println("SAME=" + same + " PLANS=" + s.clustersPrepared() + " KERNELS="
        + s.kernelsCompiled());
  }

  private static String child(String... props) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.addAll(List.of(props));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FusionSwitchesTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void fusionOffRunsClustersOpByOp() throws Exception {
    String out = child("-Disthmus.fusion=off");
    assertTrue(out.contains("SAME=true PLANS=0 KERNELS=0"), out);
  }

  @Test
  void printShowsEachClusterAndItsKernel() throws Exception {
    String out = child("-Disthmus.fusion.print=true", "-Disthmus.fusion.minElements=0");
    if (!Simd.VECTOR) {
      assertTrue(out.contains("SAME=true PLANS=0"), out);
      return;
    }
    assertTrue(out.contains("SAME=true PLANS=1 KERNELS=1"), out);
    assertTrue(out.contains("isthmus jit: cluster_0 of graph"), out);
    assertTrue(out.contains("members: Mul AddV2 Relu Mul_1"), out);
    assertTrue(out.contains("fused flat: Mul AddV2 Relu Mul_1"), out);
    assertTrue(out.contains("relu(%"), out);
  }

  @Test
  void groupsBelowTheSizeThresholdRunOpByOp() throws Exception {
    // 1000 elements, under the default 1024: planned, but no kernel generated
    String out = child("-Disthmus.fusion.print=true");
    assertTrue(out.contains("SAME=true PLANS=" + (Simd.VECTOR ? 1 : 0) + " KERNELS=0"), out);
    if (Simd.VECTOR) {
      assertTrue(out.contains("op by op: Mul (Mul)"), out);
      assertTrue(!out.contains("fused flat"), out);
    }
  }
}
