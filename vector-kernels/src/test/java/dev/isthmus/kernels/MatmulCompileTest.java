package dev.isthmus.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every GEMM method must compile in C1 as well as C2. A method with too many vector operations
 * (masked loads are the worst) makes C1 bail out ("out of virtual registers"), and HotSpot may
 * then leave it in its tier-2 code for good, never reaching C2: 50 times slower, silently. So a
 * child JVM runs every path (both element types, all transposes, small and packed, epilogues, the
 * INT32 kernel) with synchronous compilation and its compile log must show no skipped compile of a
 * GEMM method; once at the preferred vector width and once at 256 bits (AVX2's).
 */
class MatmulCompileTest {
  /** Runs every path a few hundred times; run in child JVMs. */
  public static void main(String[] args) {
    int[][] shapes = {{32, 32, 32}, {5, 40, 37}, {100, 100, 100}, {7, 3, 19}, {300, 70, 300},
        {6, 50, 300}, {4, 50, 300}, {3, 50, 300}, {50, 4, 300}};
    float[] bias = new float[400];
    double[] biasD = new double[400];
    for (int it = 0; it < 300; it++) {
      int[] s = shapes[it % shapes.length];
      int m = s[0], n = s[1], k = s[2];
      MemorySegment af = MemorySegment.ofArray(new float[m * k]);
      MemorySegment bf = MemorySegment.ofArray(new float[k * n]);
      MemorySegment cf = MemorySegment.ofArray(new float[m * n]);
      MemorySegment ad = MemorySegment.ofArray(new double[m * k]);
      MemorySegment bd = MemorySegment.ofArray(new double[k * n]);
      MemorySegment cd = MemorySegment.ofArray(new double[m * n]);
      MemorySegment ai = MemorySegment.ofArray(new int[m * k]);
      MemorySegment bi = MemorySegment.ofArray(new int[k * n]);
      MemorySegment ci = MemorySegment.ofArray(new int[m * n]);
      for (int f = 0; f < 4; f++) {
        boolean ta = (f & 1) != 0, tb = (f & 2) != 0;
        int lda = ta ? m : k, ldb = tb ? k : n;
        Epilogue.Activation act = Epilogue.Activation.values()[(it + f) % 3];
        MatmulKernels.f32(ta, tb, m, n, k, af, 0, lda, bf, 0, ldb, cf, 0, n,
            Epilogue.of(MemorySegment.ofArray(bias), 0, act));
        MatmulKernels.f64(ta, tb, m, n, k, ad, 0, lda, bd, 0, ldb, cd, 0, n,
            Epilogue.of(MemorySegment.ofArray(biasD), 0, act));
        MatmulKernels.f32(ta, tb, m, n, k, af, 0, lda, bf, 0, ldb, cf, 0, n);
        MatmulKernels.f64(ta, tb, m, n, k, ad, 0, lda, bd, 0, ldb, cd, 0, n);
        MatmulKernels.i32(ta, tb, m, n, k, ai, 0, lda, bi, 0, ldb, ci, 0, n);
      }
    }
    System.out.println("DONE VECTOR=" + Simd.VECTOR);
  }

  private static String run(String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xbatch",
        "-XX:+PrintCompilation"));
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MatmulCompileTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("DONE VECTOR=true"), out);
    return out;
  }

  private static void assertNoSkippedCompile(String log) {
    String skipped = log.lines()
        .filter(l -> l.contains("dev.isthmus.kernels.Matmul") && l.contains("COMPILE SKIPPED"))
        .collect(Collectors.joining("\n"));
    assertTrue(skipped.isEmpty(), "compiles given up:\n" + skipped);
    for (String m : List.of("MatmulPackedF32::kernel", "MatmulPackedF64::kernel",
        "MatmulPackF32::transpose", "MatmulSmallF32::tile", "MatmulSmallF32::dotTile",
        "MatmulSmallF64::dotTile", "MatmulVectorInt::dotTile")) {
      assertTrue(log.contains("dev.isthmus.kernels." + m), m + " was compiled (the log is read)");
    }
  }

  @Test
  void everyPathCompilesAtThePreferredWidth() throws Exception {
    assertNoSkippedCompile(run());
  }

  @Test
  void everyPathCompilesAt256Bits() throws Exception {
    assertNoSkippedCompile(run("-XX:MaxVectorSize=32"));
  }
}
