package dev.isthmus.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Pattern;
import dev.isthmus.kernels.fusion.Reduction;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Floating results must not depend on the JIT's state (see {@link LaneSums}): every kernel that
 * reduces across lanes (sums, products, softmax, the small GEMM's dot products, a generated
 * reduction) gives the same bits on its first call in a fresh JVM (interpreted: the Vector API's
 * Java fallback) as after C2 compiled it (a child JVM that calls each 20000 times with synchronous
 * compilation first). With {@code reduceLanes} the two differed (the fallback adds lanes in turn,
 * C2 pairwise). Not {@code -Xint}: there {@link Simd} runs the scalar twins. Kernels calling the
 * Vector API's transcendental operators (float64 EXP in softmax) are left out: C2 calls SVML for
 * those, the fallback {@code StrictMath}, which may differ by an ulp (see DESIGN.md, numerics).
 */
class LaneOrderTest {
  /** Prints "name bits..." per computation; with "warm", after 20000 calls of each. */
  public static void main(String[] args) {
    boolean warm = args.length > 0 && args[0].equals("warm");
    for (var c : computations().entrySet()) {
      if (warm) {
        for (int i = 0; i < 20000; i++) {
          c.getValue().get();
        }
      }
      StringBuilder line = new StringBuilder("RESULT ").append(c.getKey());
      for (long bits : c.getValue().get()) {
        line.append(' ').append(Long.toHexString(bits));
      }
      System.out.println(line);
    }
    System.out.println("DONE VECTOR=" + Simd.VECTOR);
  }

  private static Map<String, Supplier<long[]>> computations() {
    Map<String, Supplier<long[]>> m = new LinkedHashMap<>();
    MemorySegment x = floats(6000, 1, 7);
    MemorySegment near1 = floats(600, 0.01f, 11);
    MemorySegment xd = doubles(6000, 13);
    MemorySegment near1d = doubles(600, 17);
    for (int i = 0; i < 600; i++) {
      near1.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1 + near1.getAtIndex(ValueLayout.JAVA_FLOAT, i));
      near1d.setAtIndex(ValueLayout.JAVA_DOUBLE, i,
          1 + 0.01 * near1d.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
    }
    m.put("sumF32", () -> bits(ReduceKernels.f32(ReduceOp.SUM, x, 0, 37),
        ReduceKernels.f32(ReduceOp.SUM, x, 3, 1000), ReduceKernels.f32(ReduceOp.SUM, x, 0, 6000)));
    m.put("sumF64", () -> bits(ReduceKernels.f64(ReduceOp.SUM, xd, 0, 37),
        ReduceKernels.f64(ReduceOp.SUM, xd, 3, 1000), ReduceKernels.f64(ReduceOp.SUM, xd, 0, 6000)));
    m.put("prodF32", () -> bits(ReduceKernels.f32(ReduceOp.PROD, near1, 0, 600)));
    m.put("prodF64", () -> bits(ReduceKernels.f64(ReduceOp.PROD, near1d, 0, 600)));
    MemorySegment y = MemorySegment.ofArray(new float[6000]);
    MemorySegment yd = MemorySegment.ofArray(new double[6000]);
    m.put("softmaxRowsF32", () -> {
      SoftmaxKernels.softmaxRowsF32(x, 0, y, 0, 8, 100);
      return floatBits(y, 800);
    });
    m.put("softmaxF32", () -> {
      SoftmaxKernels.softmaxF32(x, 0, y, 0, 1000);
      return floatBits(y, 1000);
    });
    // 4 x 4 = A (4 x 300) B^T: the small kernel's dot products
    m.put("matmulSmallF32", () -> {
      MatmulKernels.f32(false, true, 4, 4, 300, x, 0, 300, x, 1200, 300, y, 0, 4);
      return floatBits(y, 16);
    });
    m.put("matmulSmallF64", () -> {
      MatmulKernels.f64(false, true, 4, 4, 300, xd, 0, 300, xd, 1200, 300, yd, 0, 4);
      long[] b = new long[16];
      for (int i = 0; i < b.length; i++) {
        b[i] = Double.doubleToRawLongBits(yd.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
      }
      return b;
    });
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref in = b.input(0, ElementType.FLOAT32, Pattern.ELEMENTWISE);
    b.output(b.binary(BinaryOp.MUL, in, in)).reduce(Reduction.Op.SUM, Reduction.Axes.INNER);
    CompiledKernel k = FusedKernels.compile(b.build());
    FusedLayout layout = FusedLayout.reduceInner(new long[] {4, 1500}, new long[] {4, 1500});
    m.put("fusedSumF32", () -> {
      k.runCompiled(new MemorySegment[] {x}, new long[1], new MemorySegment[] {y}, new long[1],
          layout, 0, 4);
      return floatBits(y, 4);
    });
    return m;
  }

  private static MemorySegment floats(int n, float scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble(-4, 4) * scale);
    }
    return MemorySegment.ofArray(a);
  }

  private static MemorySegment doubles(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble(-4, 4);
    }
    return MemorySegment.ofArray(a);
  }

  private static long[] bits(float... v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  private static long[] bits(double... v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Double.doubleToRawLongBits(v[i]);
    }
    return b;
  }

  private static long[] floatBits(MemorySegment s, int n) {
    long[] b = new long[n];
    for (int i = 0; i < n; i++) {
      b[i] = Float.floatToRawIntBits(s.getAtIndex(ValueLayout.JAVA_FLOAT, i));
    }
    return b;
  }

  @Test
  void interpretedAndCompiledKernelsGiveTheSameBits() throws Exception {
    List<String> cold = results(run());
    List<String> hot = results(run("-Xbatch", "warm"));
    assertEquals(9, cold.size());
    List<String> differ = new ArrayList<>();
    for (int i = 0; i < cold.size(); i++) {
      if (!cold.get(i).equals(hot.get(i))) {
        differ.add(cold.get(i).split(" ")[1]);
      }
    }
    assertTrue(differ.isEmpty(), "interpreted and C2-compiled results differ: " + differ);
  }

  private static List<String> results(String out) {
    assertTrue(out.contains("DONE VECTOR=true"), out);
    return out.lines().filter(l -> l.startsWith("RESULT ")).toList();
  }

  /** A child JVM: JVM options, then "warm" or nothing for main. */
  private static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the vector loops from the first call: cold routing would run the scalar twins first
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Disthmus.simd.warmup=off"));
    List<String> main = new ArrayList<>();
    for (String a : args) {
      (a.startsWith("-") ? cmd : main).add(a);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LaneOrderTest.class.getName());
    cmd.addAll(main);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(600, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
