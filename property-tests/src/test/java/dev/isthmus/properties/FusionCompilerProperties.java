package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Pattern;
import dev.isthmus.kernels.fusion.Reduction;
import dev.isthmus.kernels.fusion.Refusal;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fusion compiler's machinery: a hot generated kernel allocates nothing per call (which fails
 * if its Vector API calls were not compiled into registers), the cache compiles an expression
 * once, the bytecode-size guard refuses what HotSpot would not compile, new kernels run op by op
 * until hot, hot code equals the op-by-op path, and the system properties (in child JVMs).
 */
class FusionCompilerProperties {
  static final int N = 1 << 16;

  /** {@code relu(a*b + c) * d}, or {@code tanh(sigmoid(a*b + c) * d - half)}. */
  static FusedExpr benchExpression(boolean chain, float half) {
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref a = b.input(0, ElementType.FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref x = b.input(1, ElementType.FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref c = b.input(2, ElementType.FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref d = b.input(3, ElementType.FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref s = b.binary(BinaryOp.ADD, b.binary(BinaryOp.MUL, a, x), c);
    if (chain) {
      FusedExpr.Ref m = b.binary(BinaryOp.MUL, b.unary(UnaryOp.SIGMOID, s), d);
      b.output(b.unary(UnaryOp.TANH, b.binary(BinaryOp.SUB, m, b.literal(half))));
    } else {
      b.output(b.binary(BinaryOp.MUL, b.unary(UnaryOp.RELU, s), d));
    }
    return b.build();
  }

  /** A float64 bias-and-scale with a per-row factor, reduced over rows: two patterns, a sum. */
  static FusedExpr rowSum() {
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref x = b.input(0, ElementType.FLOAT64, Pattern.ELEMENTWISE);
    FusedExpr.Ref bias = b.input(1, ElementType.FLOAT64, Pattern.ROW);
    FusedExpr.Ref scale = b.input(2, ElementType.FLOAT64, Pattern.COLUMN);
    FusedExpr.Ref v = b.binary(BinaryOp.MUL, b.unary(UnaryOp.RELU,
        b.binary(BinaryOp.ADD, x, bias)), scale);
    return b.output(v).reduce(Reduction.Op.SUM, Reduction.Axes.INNER).build();
  }

  record Operands(MemorySegment[] in, long[] inOff, MemorySegment[] out, long[] outOff,
      FusedLayout layout) {}

  static MemorySegment floats(SplittableRandom r, int n, boolean nativeMemory) {
    MemorySegment s = nativeMemory ? Arena.ofAuto().allocate(4L * n, 64)
        : MemorySegment.ofArray(new float[n]);
    for (int i = 0; i < n; i++) {
      s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (float) r.nextDouble(-2, 2));
    }
    return s;
  }

  static Operands benchOperands(boolean nativeMemory) {
    SplittableRandom r = new SplittableRandom(3);
    MemorySegment[] in = new MemorySegment[4];
    for (int i = 0; i < 4; i++) {
      in[i] = floats(r, N, nativeMemory);
    }
    return new Operands(in, new long[4], new MemorySegment[] {floats(r, N, nativeMemory)},
        new long[1], FusedLayout.flat(N));
  }

  static Operands rowSumOperands() {
    int rows = 64;
    int cols = 1000;
    SplittableRandom r = new SplittableRandom(4);
    double[] x = new double[rows * cols];
    double[] bias = new double[cols];
    double[] scale = new double[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble(-1, 1);
    }
    for (int i = 0; i < cols; i++) {
      bias[i] = r.nextDouble(-1, 1);
    }
    for (int i = 0; i < rows; i++) {
      scale[i] = r.nextDouble(-1, 1);
    }
    FusedLayout layout = FusedLayout.reduceInner(new long[] {rows, cols}, new long[] {rows, cols},
        new long[] {cols}, new long[] {rows, 1});
    return new Operands(new MemorySegment[] {MemorySegment.ofArray(x),
        MemorySegment.ofArray(bias), MemorySegment.ofArray(scale)}, new long[3],
        new MemorySegment[] {MemorySegment.ofArray(new double[rows])}, new long[1], layout);
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** This thread's allocated bytes (the bean is looked up once: the lookup allocates). */
  static long allocated() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** The fewest bytes one of {@code rounds} rounds of {@code calls} calls allocated. */
  static long fewestBytes(CompiledKernel k, Operands o, int rounds, int calls) {
    long best = Long.MAX_VALUE;
    for (int round = 0; round < rounds; round++) {
      long before = allocated();
      for (int i = 0; i < calls; i++) {
        FusedKernels.Path p = k.run(o.in(), o.inOff(), o.out(), o.outOff(), o.layout());
        if (p != FusedKernels.Path.FUSED) {
          throw new AssertionError("a hot kernel ran " + p);
        }
      }
      best = Math.min(best, allocated() - before);
    }
    return best;
  }

  /**
   * True if code is generated here (the Vector API runs and fusion is on); if not, checks that
   * an expression is refused for that reason, so the tests that need generated code check that.
   */
  static boolean generating() {
    if (FusedKernels.enabled()) {
      return true;
    }
    Refusal r = FusedKernels.compile(benchExpression(false, 0.5f)).refusal();
    assertTrue(r.kind() == Refusal.Kind.NO_VECTOR_API || r.kind() == Refusal.Kind.DISABLED,
        String.valueOf(r));
    return false;
  }

  @Test
  void hotKernelsAllocateNothingPerCall() {
    if (!generating()) {
      return;
    }
    // the instrument sees allocation: a new kernel's first call is interpreted and boxes vectors
    CompiledKernel cold = FusedKernels.compile(benchExpression(true, 0.123f));
    Operands co = benchOperands(false);
    long before = allocated();
    cold.runCompiled(co.in(), co.inOff(), co.out(), co.outOff(), co.layout(), 0, 1);
    long coldBytes = allocated() - before;
    assertTrue(coldBytes > 100_000, "cold generated code allocated only " + coldBytes + " bytes");
    List<String> failures = new ArrayList<>();
    Object[][] cases = {
      {benchExpression(false, 0.5f), benchOperands(false), true},
      {benchExpression(true, 0.5f), benchOperands(false), true},
      {benchExpression(true, 0.5f), benchOperands(true), false},
      {rowSum(), rowSumOperands(), true},
    };
    for (Object[] c : cases) {
      CompiledKernel k = FusedKernels.compile((FusedExpr) c[0]);
      Operands o = (Operands) c[1];
      boolean arrays = (boolean) c[2];
      assertTrue(k.awaitHot(arrays, 180, TimeUnit.SECONDS), () -> "not hot: " + k);
      fewestBytes(k, o, 1, 20_000); // the caller's path (checks, dispatch) to C2 as well
      long bytes = fewestBytes(k, o, 10, 50);
      if (bytes != 0) {
        failures.add(bytes + " bytes per 50 calls (" + (arrays ? "arrays" : "segments") + "):\n"
            + k.expr());
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }

  @Test
  void equalExpressionsCompileOnce() {
    CompiledKernel k = FusedKernels.compile(benchExpression(true, 0.75f));
    FusedKernels.Stats before = FusedKernels.stats();
    for (int i = 0; i < 5; i++) {
      assertSame(k, FusedKernels.compile(benchExpression(true, 0.75f)), "a rebuilt expression");
    }
    FusedKernels.Stats after = FusedKernels.stats();
    assertEquals(before.compiled(), after.compiled(), "a cache hit compiled something");
    assertEquals(before.refused(), after.refused());
    assertTrue(after.cacheHits() >= before.cacheHits() + 5);
    assertNotSame(k, FusedKernels.compile(benchExpression(true, 0.25f)), "another literal");
    FusedExpr.Builder b = FusedExpr.builder();
    b.output(b.unary(UnaryOp.TANH, b.input(0, ElementType.FLOAT32, Pattern.ROW)));
    FusedExpr row = b.build();
    b = FusedExpr.builder();
    b.output(b.unary(UnaryOp.TANH, b.input(0, ElementType.FLOAT32, Pattern.ELEMENTWISE)));
    assertNotSame(FusedKernels.compile(row), FusedKernels.compile(b.build()), "another pattern");
  }

  /** A chain of {@code n} float32 tanh: about 400 bytes of bytecode each. */
  static FusedExpr tanhChain(int n) {
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref x = b.input(0, ElementType.FLOAT32, Pattern.ELEMENTWISE);
    for (int i = 0; i < n; i++) {
      x = b.unary(UnaryOp.TANH, x);
    }
    return b.output(x).build();
  }

  @Test
  void expressionsTooLargeForHotSpotAreRefused() {
    if (!generating()) {
      return;
    }
    CompiledKernel small = FusedKernels.compile(tanhChain(4));
    assertTrue(small.compiled(), () -> String.valueOf(small.refusal()));
    assertTrue(small.bytecodeSize() < FusedKernels.MAX_METHOD_BYTES);
    CompiledKernel big = FusedKernels.compile(tanhChain(40));
    assertFalse(big.compiled());
    assertEquals(Refusal.Kind.TOO_LARGE, big.refusal().kind());
    assertTrue(big.bytecodeSize() > FusedKernels.MAX_METHOD_BYTES, big.refusal().message());
    // the refused expression still runs, op by op
    SplittableRandom r = new SplittableRandom(5);
    MemorySegment x = floats(r, 1000, false);
    MemorySegment got = MemorySegment.ofArray(new float[1000]);
    MemorySegment want = MemorySegment.ofArray(new float[1000]);
    assertEquals(FusedKernels.Path.UNFUSED, FusedKernels.run(big.expr(), new MemorySegment[] {x},
        new long[1], new MemorySegment[] {got}, new long[1], FusedLayout.flat(1000)));
    FusedKernels.runUnfused(big.expr(), new MemorySegment[] {x}, new long[1],
        new MemorySegment[] {want}, new long[1], FusedLayout.flat(1000));
    assertEquals(-1, want.mismatch(got), "a refused tanh chain against op by op");
    small.runCompiled(new MemorySegment[] {x}, new long[1], new MemorySegment[] {got},
        new long[1], FusedLayout.flat(1000), 0, 1);
    FusedKernels.runUnfused(small.expr(), new MemorySegment[] {x}, new long[1],
        new MemorySegment[] {want}, new long[1], FusedLayout.flat(1000));
    assertEquals(-1, want.mismatch(got), "a compiled tanh chain against op by op");
  }

  @Test
  void newKernelsRunOpByOpUntilHot() {
    if (!generating()) {
      return;
    }
    CompiledKernel k = FusedKernels.compile(benchExpression(true, 0.375f));
    Operands o = benchOperands(false);
    assertEquals(FusedKernels.Path.COLD, k.run(o.in(), o.inOff(), o.out(), o.outOff(),
        o.layout()));
    float[] cold = o.out()[0].toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
    assertTrue(k.awaitHot(180, TimeUnit.SECONDS), () -> "not hot: " + k);
    // op by op is warm by now as well (the warm-up ran it): both compiled, EXP the same stub
    for (int i = 0; i < 200; i++) {
      FusedKernels.runUnfused(k.expr(), o.in(), o.inOff(), o.out(), o.outOff(), o.layout());
    }
    assertEquals(FusedKernels.Path.FUSED, k.run(o.in(), o.inOff(), o.out(), o.outOff(),
        o.layout()));
    float[] hot = o.out()[0].toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
    for (int i = 0; i < N; i++) {
      float tol = 8 * Math.ulp(1f);
      if (!(Math.abs(cold[i] - hot[i]) <= tol)) {
        throw new AssertionError("element " + i + ": op by op " + cold[i] + ", fused " + hot[i]);
      }
    }
  }

  @Test
  void rowsSplitOverThreadsGiveTheSameResult() throws Exception {
    CompiledKernel k = FusedKernels.compile(rowSum());
    Operands o = rowSumOperands();
    long rows = o.layout().outer();
    MemorySegment whole = MemorySegment.ofArray(new double[(int) rows]);
    k.runCompiled(o.in(), o.inOff(), new MemorySegment[] {whole}, new long[1], o.layout(), 0,
        rows);
    MemorySegment split = MemorySegment.ofArray(new double[(int) rows]);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    int parts = 4;
    for (int p = 0; p < parts; p++) {
      long from = rows * p / parts;
      long to = rows * (p + 1) / parts;
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; i < 20; i++) {
            // the generated code on every call: op by op sums in another order
            k.runCompiled(o.in(), o.inOff(), new MemorySegment[] {split}, new long[1],
                o.layout(), from, to);
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(errors.isEmpty(), () -> errors.toString());
    assertEquals(-1, whole.mismatch(split), "rows run on four threads");
  }

  // ---- system properties, in child JVMs

  /** Compiles and runs one expression; prints the path and refusal. Run in child JVMs. */
  public static void main(String[] args) {
    FusedExpr e = benchExpression(false, 0.5f);
    CompiledKernel k = FusedKernels.compile(e);
    Operands o = benchOperands(false);
    System.out.println("PATH=" + k.run(o.in(), o.inOff(), o.out(), o.outOff(), o.layout()));
    System.out.println("REFUSAL=" + k.refusal());
  }

  private static String child(String... props) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.addAll(List.of(props));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FusionCompilerProperties.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void fusionOffRunsOpByOp() throws Exception {
    String out = child("-Disthmus.fusion=off");
    assertTrue(out.contains("PATH=UNFUSED"), out);
    assertTrue(out.contains("REFUSAL=DISABLED"), out);
  }

  @Test
  void printShowsTheExpressionAndTheLoop() throws Exception {
    String out = child("-Disthmus.fusion.print=true");
    if (!Simd.VECTOR) {
      assertTrue(out.contains("PATH=UNFUSED") && out.contains("not compiled"), out);
      return;
    }
    assertTrue(out.contains("isthmus fusion: compiled in"), out);
    assertTrue(out.contains("relu(%"), out);
    assertTrue(out.contains("FloatVector.fromArray"), out);
    assertTrue(out.contains("PATH=COLD"), out);
  }

  @Test
  void warmupOffRunsTheGeneratedCodeAtOnce() throws Exception {
    String out = child("-Disthmus.fusion.warmup=off");
    assertTrue(out.contains(Simd.VECTOR ? "PATH=FUSED" : "PATH=UNFUSED"), out);
  }
}
