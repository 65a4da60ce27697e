package dev.isthmus.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kernels must stay intrinsified whatever ran before them (see {@link Stores}). A child JVM first
 * runs kernels whose first, interpreted calls go through the Vector API's fallback for
 * reinterpreting lanes (float32 and float64 TANH, FLOOR_DIV's sign test), then warms each kernel
 * below and measures what a hot call allocates: C2's intrinsified loops allocate nothing, a loop
 * whose vectors are boxed allocates per iteration (tens of KB per call here). Before the fix,
 * every kernel storing through {@code intoMemorySegment} failed this (f32vv: 393216 bytes a call
 * at 64K floats, 25x slower).
 */
class StoreProfileTest {
  private static final int N = 4096;
  /** Bytes a hot call may allocate: a boxed loop allocates about 100 bytes per vector. */
  private static final long LIMIT = 512;

  /** Pollutes, then prints "KERNEL name bytesPerHotCall" per kernel (all, or those named). */
  public static void main(String[] args) {
    MemorySegment fa = f32(N), fb = f32(N), fy = f32(N);
    MemorySegment da = f64(N), db = f64(N), dy = f64(N);
    MemorySegment ia = MemorySegment.ofArray(new int[N]);
    // The polluters: interpreted at first, so their lane reinterpretations run the fallback. The
    // boxing needs exactly two segment types in the shared profiles (byte[] and the kernel's):
    // with a third (a kernel of another dtype run as well) C2 stops trusting the profile and the
    // store compiles fine, so each child runs only polluters of the measured kernel's dtype.
    boolean f64 = args.length > 0 && args[0].startsWith("f64");
    for (int i = 0; i < 3000; i++) {
      if (f64) {
        BinaryKernels.f64vv(BinaryOp.FLOOR_DIV, da, 0, db, 0, dy, 0, 256);
      } else {
        UnaryKernels.f32(UnaryOp.TANH, fa, 0, fy, 0, 256);
        BinaryKernels.f32vv(BinaryOp.FLOOR_DIV, fa, 0, fb, 0, fy, 0, 256);
      }
    }
    // Packed GEMMs (B transposed: not the direct kernel; tiles merged into C) of 96 and 192 rows:
    // what a call allocates beside its loops is the same for both, so the difference is what the
    // extra rows allocate.
    int side = 96;
    MemorySegment ma = f32(2 * side * side), mb = f32(side * side), mc = f32(2 * side * side);
    Map<String, Runnable> kernels = new LinkedHashMap<>();
    kernels.put("f32vv", () -> BinaryKernels.f32vv(BinaryOp.ADD, fa, 0, fb, 0, fy, 0, N));
    kernels.put("f32vs", () -> BinaryKernels.f32vs(BinaryOp.MUL, fa, 0, 2f, fy, 0, N));
    kernels.put("f64vv", () -> BinaryKernels.f64vv(BinaryOp.ADD, da, 0, db, 0, dy, 0, N));
    kernels.put("clipF32", () -> ClipKernels.f32(fa, 0, -1f, 1f, fy, 0, N));
    kernels.put("castI32ToF32", () -> CastKernels.i32ToF32(ia, 0, fy, 0, N));
    kernels.put("sumColumnsF32", () -> ReduceKernels.f32Outer(ReduceOp.SUM, fa, 0, 16, N / 16,
        fy, 0));
    kernels.put("adamF32", () -> TrainKernels.adamF32(fa, fb, fa, fb, fy, fy, fy, 0, N,
        0.01f, 0.9f, 0.999f, 1e-7f));
    kernels.put("matmul96", () -> MatmulKernels.f32(false, true, side, side, side,
        ma, 0, side, mb, 0, side, mc, 0, side));
    kernels.put("matmul192", () -> MatmulKernels.f32(false, true, 2 * side, side, side,
        ma, 0, side, mb, 0, side, mc, 0, side));
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, Long> bytes = new LinkedHashMap<>();
    if (args.length > 0) { // only these (to look at one kernel by hand)
      kernels.keySet().retainAll(List.of(args));
    }
    for (var k : kernels.entrySet()) {
      long best = Long.MAX_VALUE;
      // Warm until a measurement is clean (or give up): compilation may lag under load.
      for (int round = 0; round < 20 && best > LIMIT + bytes.getOrDefault("matmul96", 0L);
          round++) {
        for (int i = 0; i < 500; i++) {
          k.getValue().run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
          k.getValue().run();
        }
        best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / 100);
      }
      bytes.put(k.getKey(), best);
    }
    if (bytes.containsKey("matmul192")) {
      bytes.put("matmulPackedF32", bytes.remove("matmul192") - bytes.remove("matmul96"));
    }
    bytes.forEach((k, b) -> System.out.println("KERNEL " + k + " " + b));
    System.out.println("DONE VECTOR=" + Simd.VECTOR);
  }

  private static MemorySegment f32(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (i % 17) * 0.25f - 2f;
    }
    return MemorySegment.ofArray(a);
  }

  private static MemorySegment f64(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = (i % 17) * 0.25 - 2;
    }
    return MemorySegment.ofArray(a);
  }

  /**
   * One child JVM per kernel: the first kernel C2 compiles after the pollution is the one that
   * showed the boxing (in one JVM, the later ones compiled clean on the old code), so each kernel
   * here is the first.
   */
  @Test
  void hotKernelsAllocateNothingAfterLaneReinterpretingKernelsRan() throws Exception {
    List<String> failed = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (String k : List.of("f32vv", "f32vs", "f64vv", "clipF32", "castI32ToF32",
        "sumColumnsF32", "adamF32", "matmul96 matmul192")) {
      String out = run(k.split(" "));
      all.append(out);
      assertTrue(out.contains("DONE VECTOR=true"), out);
      List<String> lines = out.lines().filter(l -> l.startsWith("KERNEL ")).toList();
      assertEquals(1, lines.size(), out);
      String[] f = lines.get(0).split(" ");
      if (Long.parseLong(f[2]) > LIMIT) {
        failed.add(f[1] + " allocates " + f[2] + " bytes a hot call");
      }
    }
    assertTrue(failed.isEmpty(), String.join("\n", failed) + "\n" + all);
  }

  private static String run(String... kernels) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the vector loops from the first call (cold routing would run the scalar twins first and
    // never run the fallback that pollutes the profile)
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xbatch",
        "-Disthmus.simd.warmup=off"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StoreProfileTest.class.getName());
    cmd.addAll(List.of(kernels));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
