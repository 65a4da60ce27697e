package dev.isthmus.bench;

import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;

import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.Epilogue;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Pattern;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The fusion compiler: {@code relu(a*b + c) * d} and the 6-op chain {@code tanh(sigmoid(a*b + c)
 * * d - 0.5)} over FLOAT32 arrays of 64K and 16M elements, as a generated kernel ({@code fused...},
 * hot), against the same expression as a hand-written fused Vector API loop ({@code
 * baselineHand...}: the same formulas, checked in the setup) and op by op through the per-op
 * kernels, as the engine runs the ops (each intermediate in a new array: {@code
 * baselineUnfused...}) and at their cheapest (reused temporaries: {@code
 * baselineUnfusedReused...}). Also the compile
 * latency of a new kernel, a cache hit, and the first 100 calls of a new kernel (single shots)
 * against 100 unfused calls, with the cold path ({@code first100Calls}) and without it ({@code
 * first100CallsColdCode}: the generated code from its first, interpreted, call); and a 1024 x
 * 1024 dense layer {@code relu(x @ W + b)} with the GEMM's fused epilogue, with the product then
 * one generated bias-relu kernel, and unfused.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class FusionBench {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /** {@code relu(a*b + c) * d}, or the chain with sigmoid and tanh (literal {@code half}). */
  static FusedExpr expression(boolean chain, float half) {
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

  /** Operands of {@code size} floats, the two kernels (hot), temporaries for op by op. */
  @State(Scope.Benchmark)
  public static class Streams {
    /** Elements per array. */
    @Param({"65536", "16777216"})
    int size;

    float[] a;
    float[] b;
    float[] c;
    float[] d;
    float[] y;
    MemorySegment[] in;
    long[] inOff = new long[4];
    MemorySegment[] out;
    long[] outOff = new long[1];
    FusedLayout layout;
    CompiledKernel relu;
    CompiledKernel chain;
    MemorySegment[] temps;

    /**
     * Inputs in [-2, 2); the benchmark's own paths warmed and its kernel hot (so that every side
     * is measured compiled, however short the warm-up iterations), and the hand loop checked
     * against the kernel. Only the benchmark's own expression runs in its fork: code calling
     * {@code viewAsIntegralLanes} (the float32 tanh) slows the per-op binary kernels down
     * afterwards, which would flatter the relu comparisons.
     */
    @Setup
    public void setup(BenchmarkParams params) {
      boolean chainBench = params.getBenchmark().endsWith("Chain");
      SplittableRandom r = new SplittableRandom(11);
      a = floats(r, size);
      b = floats(r, size);
      c = floats(r, size);
      d = floats(r, size);
      y = new float[size];
      in = new MemorySegment[] {MemorySegment.ofArray(a), MemorySegment.ofArray(b),
          MemorySegment.ofArray(c), MemorySegment.ofArray(d)};
      out = new MemorySegment[] {MemorySegment.ofArray(y)};
      layout = FusedLayout.flat(size);
      temps = new MemorySegment[] {fresh(size), fresh(size), fresh(size)};
      warm(chainBench);
      if (chainBench) {
        chain = hot(expression(true, 0.5f));
        chain.run(in, inOff, out, outOff, layout);
        float[] want = y.clone();
        handChain(a, b, c, d, y);
        // EXP is a stub call when compiled and Java code before: allow its ulp
        close("chain", want, y, 8 * Math.ulp(1f));
      } else {
        relu = hot(expression(false, 0.5f));
        relu.run(in, inOff, out, outOff, layout);
        float[] want = y.clone();
        handRelu(a, b, c, d, y);
        close("relu", want, y, 0);
      }
    }

    static CompiledKernel hot(FusedExpr e) {
      CompiledKernel k = FusedKernels.compile(e);
      if (!k.awaitHot(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the kernel did not get hot: " + k);
      }
      return k;
    }

    private static void close(String what, float[] want, float[] got, float tolerance) {
      boolean ok = true;
      for (int i = 0; i < want.length; i++) {
        ok &= Math.abs(want[i] - got[i]) <= tolerance;
      }
      if (!ok) {
        throw new IllegalStateException("the hand-written " + what + " loop differs from the"
            + " generated kernel: the comparison would not be like for like");
      }
    }
  }

  /**
   * Runs the hand loop and the op-by-op paths of one expression many times over 4K elements, so
   * that C2 has compiled them (the kernels are size-independent code) before any measurement.
   */
  static void warm(boolean chain) {
    int n = 4096;
    SplittableRandom r = new SplittableRandom(13);
    float[][] v = {floats(r, n), floats(r, n), floats(r, n), floats(r, n), new float[n]};
    MemorySegment[] in = {MemorySegment.ofArray(v[0]), MemorySegment.ofArray(v[1]),
        MemorySegment.ofArray(v[2]), MemorySegment.ofArray(v[3])};
    MemorySegment y = MemorySegment.ofArray(v[4]);
    MemorySegment[] temps = {fresh(n), fresh(n), fresh(n)};
    FusedExpr e = expression(chain, -0.5f);
    for (int i = 0; i < 3000; i++) {
      MemorySegment[] t = i % 2 == 0 ? temps : null;
      if (chain) {
        handChain(v[0], v[1], v[2], v[3], v[4]);
        unfusedChain(in, y, n, 0.5f, t);
      } else {
        handRelu(v[0], v[1], v[2], v[3], v[4]);
        unfusedRelu(in, y, n, t);
      }
      FusedKernels.runUnfused(e, in, new long[4], new MemorySegment[] {y}, new long[1],
          FusedLayout.flat(n));
    }
  }

  static float[] floats(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextDouble(-2, 2);
    }
    return x;
  }

  /** The generated {@code relu(a*b + c) * d}. */
  @Benchmark
  public MemorySegment fusedReluMulAdd(Streams s) {
    s.relu.run(s.in, s.inOff, s.out, s.outOff, s.layout);
    return s.out[0];
  }

  /** The same expression written by hand with the Vector API. */
  @Benchmark
  public float[] baselineHandReluMulAdd(Streams s) {
    return handRelu(s.a, s.b, s.c, s.d, s.y);
  }

  static float[] handRelu(float[] a, float[] b, float[] c, float[] d, float[] y) {
    int n = a.length;
    int bound = F.loopBound(n);
    int i = 0;
    for (; i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, a, i).mul(FloatVector.fromArray(F, b, i))
          .add(FloatVector.fromArray(F, c, i));
      v.max(0f).mul(FloatVector.fromArray(F, d, i)).intoArray(y, i);
    }
    for (; i < n; i++) {
      y[i] = Math.max(a[i] * b[i] + c[i], 0f) * d[i];
    }
    return y;
  }

  /**
   * The same ops unfused, as the engine runs them: four per-op kernel calls, each intermediate
   * result in a new array (the engine's ops allocate their outputs); the final result goes to the
   * same preallocated output as the fused kernel's.
   */
  @Benchmark
  public MemorySegment baselineUnfusedReluMulAdd(Streams s) {
    return unfusedRelu(s.in, s.out[0], s.size, null);
  }

  /** The same ops unfused through preallocated, reused temporaries: unfused at its cheapest. */
  @Benchmark
  public MemorySegment baselineUnfusedReusedReluMulAdd(Streams s) {
    return unfusedRelu(s.in, s.out[0], s.size, s.temps);
  }

  /** {@code relu(a*b + c) * d} op by op; intermediates in {@code temps}, or new when null. */
  static MemorySegment unfusedRelu(MemorySegment[] in, MemorySegment y, int n,
      MemorySegment[] temps) {
    MemorySegment t1 = temps == null ? fresh(n) : temps[0];
    BinaryKernels.f32vv(BinaryOp.MUL, in[0], 0, in[1], 0, t1, 0, n);
    MemorySegment t2 = temps == null ? fresh(n) : temps[1];
    BinaryKernels.f32vv(BinaryOp.ADD, t1, 0, in[2], 0, t2, 0, n);
    MemorySegment t3 = temps == null ? fresh(n) : temps[2];
    UnaryKernels.f32(UnaryOp.RELU, t2, 0, t3, 0, n);
    BinaryKernels.f32vv(BinaryOp.MUL, t3, 0, in[3], 0, y, 0, n);
    return y;
  }

  /** The chain op by op; intermediates in {@code temps}, or new when null. */
  static MemorySegment unfusedChain(MemorySegment[] in, MemorySegment y, int n, float half,
      MemorySegment[] temps) {
    MemorySegment t1 = temps == null ? fresh(n) : temps[0];
    BinaryKernels.f32vv(BinaryOp.MUL, in[0], 0, in[1], 0, t1, 0, n);
    MemorySegment t2 = temps == null ? fresh(n) : temps[1];
    BinaryKernels.f32vv(BinaryOp.ADD, t1, 0, in[2], 0, t2, 0, n);
    MemorySegment t3 = temps == null ? fresh(n) : temps[2];
    UnaryKernels.f32(UnaryOp.SIGMOID, t2, 0, t3, 0, n);
    MemorySegment t4 = temps == null ? fresh(n) : temps[0];
    BinaryKernels.f32vv(BinaryOp.MUL, t3, 0, in[3], 0, t4, 0, n);
    MemorySegment t5 = temps == null ? fresh(n) : temps[1];
    BinaryKernels.f32vs(BinaryOp.SUB, t4, 0, half, t5, 0, n);
    UnaryKernels.f32(UnaryOp.TANH, t5, 0, y, 0, n);
    return y;
  }

  /** A new FLOAT32 array of n elements, as an op's output tensor. */
  static MemorySegment fresh(int n) {
    return MemorySegment.ofArray(new float[n]);
  }

  /** The generated {@code tanh(sigmoid(a*b + c) * d - 0.5)}. */
  @Benchmark
  public MemorySegment fusedChain(Streams s) {
    s.chain.run(s.in, s.inOff, s.out, s.outOff, s.layout);
    return s.out[0];
  }

  /** The chain written by hand: the per-op kernels' sigmoid and float32 tanh, inline. */
  @Benchmark
  public float[] baselineHandChain(Streams s) {
    return handChain(s.a, s.b, s.c, s.d, s.y);
  }

  static float[] handChain(float[] a, float[] b, float[] c, float[] d, float[] y) {
    int n = a.length;
    int bound = F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    FloatVector log2e = FloatVector.broadcast(F, LOG2E);
    FloatVector rounder = FloatVector.broadcast(F, ROUNDER);
    FloatVector ln2hi = FloatVector.broadcast(F, -LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(F, -LN2_LO);
    FloatVector c6 = FloatVector.broadcast(F, EXP_C6);
    FloatVector c5 = FloatVector.broadcast(F, EXP_C5);
    FloatVector c4 = FloatVector.broadcast(F, EXP_C4);
    FloatVector c3 = FloatVector.broadcast(F, EXP_C3);
    FloatVector c2 = FloatVector.broadcast(F, EXP_C2);
    FloatVector c1 = FloatVector.broadcast(F, EXP_C1);
    FloatVector c0 = FloatVector.broadcast(F, EXP_C0);
    FloatVector p4 = FloatVector.broadcast(F, TANH_P4);
    FloatVector p3 = FloatVector.broadcast(F, TANH_P3);
    FloatVector p2 = FloatVector.broadcast(F, TANH_P2);
    FloatVector p1 = FloatVector.broadcast(F, TANH_P1);
    FloatVector p0 = FloatVector.broadcast(F, TANH_P0);
    int i = 0;
    for (; i < bound; i += F.length()) {
      FloatVector u = FloatVector.fromArray(F, a, i).mul(FloatVector.fromArray(F, b, i))
          .add(FloatVector.fromArray(F, c, i));
      FloatVector e = u.abs().neg().lanewise(EXP);
      FloatVector r = one.div(e.add(one));
      FloatVector sig = r.blend(e.mul(r), u.compare(LT, 0f));
      FloatVector v = sig.mul(FloatVector.fromArray(F, d, i)).sub(0.5f);
      // tanh as UnaryVector.tanhF32
      FloatVector ab = v.abs();
      FloatVector t = ab.blend(TANH_CLAMP, ab.compare(GT, TANH_CLAMP)).mul(-2f);
      FloatVector z = t.fma(log2e, rounder);
      FloatVector k = z.sub(rounder);
      FloatVector rr = k.fma(ln2lo, k.fma(ln2hi, t));
      FloatVector p = c6.fma(rr, c5).fma(rr, c4).fma(rr, c3).fma(rr, c2).fma(rr, c1).fma(rr, c0)
          .mul(z.viewAsIntegralLanes().add(127 - ROUNDER_BITS).lanewise(LSHL, 23)
              .viewAsFloatingLanes());
      FloatVector big = one.sub(p).div(one.add(p));
      FloatVector sq = ab.mul(ab);
      FloatVector small = p4.fma(sq, p3).fma(sq, p2).fma(sq, p1).fma(sq, p0).fma(ab.mul(sq), ab);
      FloatVector m = big.blend(small, ab.compare(LT, TANH_SMALL));
      m.viewAsIntegralLanes().or(v.viewAsIntegralLanes().and(Integer.MIN_VALUE))
          .viewAsFloatingLanes().intoArray(y, i);
    }
    for (; i < n; i++) {
      float u = a[i] * b[i] + c[i];
      float sig = (float) (1 / (1 + Math.exp(-u)));
      y[i] = (float) Math.tanh(sig * d[i] - 0.5f);
    }
    return y;
  }

  /** The chain unfused, as the engine runs it: six per-op kernel calls, intermediates new. */
  @Benchmark
  public MemorySegment baselineUnfusedChain(Streams s) {
    return unfusedChain(s.in, s.out[0], s.size, 0.5f, null);
  }

  /** The chain unfused through preallocated, reused temporaries. */
  @Benchmark
  public MemorySegment baselineUnfusedReusedChain(Streams s) {
    return unfusedChain(s.in, s.out[0], s.size, 0.5f, s.temps);
  }

  // ---- a dense layer: relu(x @ W + b)

  /** A 1024 x 1024 float32 dense layer's operands, and its bias-relu as a fused kernel. */
  @State(Scope.Benchmark)
  public static class Dense {
    static final int N = 1024;
    MemorySegment x;
    MemorySegment w;
    MemorySegment bias;
    MemorySegment y;
    CompiledKernel biasRelu;
    FusedLayout rows = FusedLayout.broadcast(new long[] {N, N}, new long[] {N, N},
        new long[] {N});

    /** Operands in [-1, 1); the bias-relu kernel hot. */
    @Setup
    public void setup() {
      SplittableRandom r = new SplittableRandom(14);
      x = MemorySegment.ofArray(floats(r, N * N));
      w = MemorySegment.ofArray(floats(r, N * N));
      bias = MemorySegment.ofArray(floats(r, N));
      y = fresh(N * N);
      FusedExpr.Builder b = FusedExpr.builder();
      b.output(b.unary(UnaryOp.RELU, b.binary(BinaryOp.ADD,
          b.input(0, ElementType.FLOAT32, rows.pattern(0)),
          b.input(1, ElementType.FLOAT32, rows.pattern(1)))));
      biasRelu = Streams.hot(b.build());
    }
  }

  /** The GEMM with its epilogue (bias and relu applied to each tile in registers or cache). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MemorySegment fusedDenseLayer(Dense d) {
    MatmulKernels.f32(false, false, Dense.N, Dense.N, Dense.N, d.x, 0, Dense.N, d.w, 0, Dense.N,
        d.y, 0, Dense.N, Epilogue.of(d.bias, 0, Epilogue.Activation.RELU));
    return d.y;
  }

  /** The GEMM, then bias and relu as one generated kernel over the product. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MemorySegment matmulThenFusedBiasRelu(Dense d) {
    int n = Dense.N;
    MemorySegment t = fresh(n * n);
    MatmulKernels.f32(false, false, n, n, n, d.x, 0, n, d.w, 0, n, t, 0, n);
    d.biasRelu.run(new MemorySegment[] {t, d.bias}, new long[2], new MemorySegment[] {d.y},
        new long[1], d.rows);
    return d.y;
  }

  /** The three ops unfused, as the engine runs them: matmul, bias add (per row), relu. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MemorySegment baselineUnfusedDenseLayer(Dense d) {
    int n = Dense.N;
    MemorySegment t = fresh(n * n);
    MatmulKernels.f32(false, false, n, n, n, d.x, 0, n, d.w, 0, n, t, 0, n);
    MemorySegment u = fresh(n * n);
    for (int i = 0; i < n; i++) {
      BinaryKernels.f32vv(BinaryOp.ADD, t, (long) i * n, d.bias, 0, u, (long) i * n, n);
    }
    UnaryKernels.f32(UnaryOp.RELU, u, 0, d.y, 0, (long) n * n);
    return d.y;
  }

  // ---- compile latency and cache hits

  /** A fresh literal per compile (so every compile is new), and an equal copy for cache hits. */
  @State(Scope.Benchmark)
  public static class Compiling {
    float next = 1;
    FusedExpr copy;

    /** Compiles the chain once; {@link #copy} is an equal but distinct expression. */
    @Setup
    public void setup() {
      FusedKernels.compile(expression(true, 0.5f));
      copy = expression(true, 0.5f);
    }

    /** Drops the kernels compiled in the iteration. */
    @TearDown(Level.Iteration)
    public void clear() {
      FusedKernels.clearCache();
      FusedKernels.compile(expression(true, 0.5f));
    }
  }

  /** Builds and compiles a new chain kernel (class generation, loading; no warm-up). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
      "-Disthmus.fusion.warmup=off"})
  public CompiledKernel compileNewKernel(Compiling c) {
    return FusedKernels.compile(expression(true, c.next++));
  }

  /** Looks up an equal expression: a cache hit, which compiles nothing. */
  @Benchmark
  public CompiledKernel cacheHit(Compiling c) {
    return FusedKernels.compile(c.copy);
  }

  // ---- the first 100 calls of a new kernel

  /**
   * 64K floats and a fresh literal per shot, so that every shot starts a new kernel; before each
   * shot, the previous shot's kernel is brought to C2 (so that its compilation does not run
   * during the next shot).
   */
  @State(Scope.Benchmark)
  public static class Cold {
    static final int SIZE = 65536;
    float next = 100;
    CompiledKernel last;
    MemorySegment[] in;
    long[] inOff = new long[4];
    MemorySegment[] out;
    long[] outOff = new long[1];
    FusedLayout layout = FusedLayout.flat(SIZE);

    /** The operands. */
    @Setup
    public void setup() {
      SplittableRandom r = new SplittableRandom(12);
      in = new MemorySegment[4];
      for (int i = 0; i < 4; i++) {
        in[i] = MemorySegment.ofArray(floats(r, SIZE));
      }
      out = new MemorySegment[] {MemorySegment.ofArray(new float[SIZE])};
      warm(true);
    }

    /** Waits for the previous shot's kernel and any compilation it started. */
    @Setup(Level.Iteration)
    public void quiet() throws InterruptedException {
      if (last != null) {
        last.awaitHot(120, TimeUnit.SECONDS);
      }
      Thread.sleep(200);
    }

    CompiledKernel fresh() {
      last = FusedKernels.compile(expression(true, next++));
      return last;
    }
  }

  /** A new chain kernel's first 100 calls through {@link CompiledKernel#run} (cold path on). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MemorySegment first100Calls(Cold c) {
    CompiledKernel k = c.fresh();
    for (int i = 0; i < 100; i++) {
      k.run(c.in, c.inOff, c.out, c.outOff, c.layout);
    }
    return c.out[0];
  }

  /**
   * As {@link #first100Calls}, but the background warm-up starts at the first call instead of
   * after 50 ms of cold calls: what starting C2 at once costs the first calls.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
      "-Disthmus.fusion.warmup=0"})
  public MemorySegment first100CallsWarmingAtOnce(Cold c) {
    CompiledKernel k = c.fresh();
    for (int i = 0; i < 100; i++) {
      k.run(c.in, c.inOff, c.out, c.outOff, c.layout);
    }
    return c.out[0];
  }

  /** A new chain kernel's first 100 calls of its generated code, interpreted at first. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MemorySegment first100CallsColdCode(Cold c) {
    CompiledKernel k = c.fresh();
    for (int i = 0; i < 100; i++) {
      k.runCompiled(c.in, c.inOff, c.out, c.outOff, c.layout, 0, 1);
    }
    return c.out[0];
  }

  /**
   * 100 calls of the chain op by op, as the engine runs it without fusion (each intermediate in
   * a new array): what the first calls cost without fusion.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MemorySegment baselineUnfusedFirst100Calls(Cold c) {
    for (int i = 0; i < 100; i++) {
      unfusedChain(c.in, c.out[0], Cold.SIZE, c.next, null);
    }
    return c.out[0];
  }

  // The per-op float32 tanh's constants (package-private in the kernels), read once.
  private static final float LOG2E = constant("LOG2E");
  private static final float LN2_HI = constant("LN2_HI");
  private static final float LN2_LO = constant("LN2_LO");
  private static final float ROUNDER = constant("ROUNDER");
  private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  private static final float EXP_C0 = constant("EXP_C0");
  private static final float EXP_C1 = constant("EXP_C1");
  private static final float EXP_C2 = constant("EXP_C2");
  private static final float EXP_C3 = constant("EXP_C3");
  private static final float EXP_C4 = constant("EXP_C4");
  private static final float EXP_C5 = constant("EXP_C5");
  private static final float EXP_C6 = constant("EXP_C6");
  private static final float TANH_SMALL = constant("TANH_SMALL");
  private static final float TANH_CLAMP = constant("TANH_CLAMP");
  private static final float TANH_P0 = constant("TANH_P0");
  private static final float TANH_P1 = constant("TANH_P1");
  private static final float TANH_P2 = constant("TANH_P2");
  private static final float TANH_P3 = constant("TANH_P3");
  private static final float TANH_P4 = constant("TANH_P4");

  private static float constant(String name) {
    try {
      Field f = Class.forName("dev.isthmus.kernels.UnaryVectorMath").getDeclaredField(name);
      f.setAccessible(true);
      return f.getFloat(null);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
