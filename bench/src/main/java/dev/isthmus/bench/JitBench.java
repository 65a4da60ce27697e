package dev.isthmus.bench;

import static dev.isthmus.bench.JitPrograms.Mode.JIT_FUNCTION;
import static dev.isthmus.bench.JitPrograms.Mode.JIT_SCOPE;
import static dev.isthmus.bench.JitPrograms.Mode.PLAIN;

import dev.isthmus.Function;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.fusion.FusedKernels;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The jit at the level users see it: programs traced into a {@link Function} and called, so
 * every cost is in (the call, the plan, the cluster step, each call's fresh output tensor).
 *
 * <ul>
 *   <li>{@code relu(a*b + c) * d} and the 6-op chain {@code tanh(sigmoid(a*b + c) * d - 0.5)}
 *       over FLOAT32 vectors of 64K and 16M elements, traced with {@code jitCompile(true)}
 *       ({@code jit...}) and with the body in {@code Scopes.jitScope()} ({@code jitScope...}),
 *       against the same Function without jit ({@code baselineUnfused...}) and against a
 *       hand-written fused Vector API loop into a preallocated output ({@code
 *       baselineHandFused...}: FusionBench's loops, checked against the Function here);
 *   <li>a dense layer {@code relu(x @ W + b)}, x and W n x n: jit (the fused epilogue) against
 *       the same Function without jit, and the matmul alone ({@code baselineMatmulOnly}): what
 *       a fused epilogue can at best cost, so unfused over it bounds the jit's speedup;
 *   <li>compile latency: each call traces and runs a Function of a structurally new 7-op
 *       cluster, so the kernel cache misses every time ({@code compileNewCluster}); a cache hit
 *       ({@code cacheHit}: a new Function of an already compiled structure; asserted through
 *       {@code FusedKernels.stats()} to compile nothing); both against tracing and running a
 *       new Function without jit;
 *   <li>the first 100 calls of a new cluster (a new variant of the chain per shot, 64K floats)
 *       against the first 100 calls of the same new Function without jit.
 * </ul>
 *
 * <p>Until clusters reach the fusion compiler they run op by op and jit measures the unfused
 * work (the fork prints a line saying so); the checks on clusters and results hold either way.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class JitBench {
  /** The element count of the small operands everything is warmed on (kernels are sized). */
  static final int SMALL = 4096;

  /** The benchmark method a setup serves, e.g. {@code jitChain}. */
  static String method(BenchmarkParams p) {
    String b = p.getBenchmark();
    return b.substring(b.lastIndexOf('.') + 1);
  }

  /**
   * How the benchmark method {@code m} traces its program: null for the hand loops, plain for
   * the other baselines, {@code jitScope} for {@code jitScope...}, else {@code jitCompile}.
   */
  static JitPrograms.Mode modeOf(String m) {
    if (m.startsWith("baselineHand")) {
      return null;
    }
    if (m.startsWith("baseline")) {
      return PLAIN;
    }
    return m.startsWith("jitScope") ? JIT_SCOPE : JIT_FUNCTION;
  }

  static float[] floats(SplittableRandom r, int n, double bound) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextDouble(-bound, bound);
    }
    return x;
  }

  /** Four operands of {@code size} floats in [-2, 2), the output array, the method's Function. */
  @State(Scope.Benchmark)
  public static class Streams {
    /** Elements per operand. */
    @Param({"65536", "16777216"})
    int size;

    float[] a;
    float[] b;
    float[] c;
    float[] d;
    float[] y;
    Tensor[] args;
    Function measured;

    /**
     * Builds the method's Function (only that one, and the plain one as the reference: each
     * fork runs one program one way), checks that jit Functions are clustered and plain ones
     * not, that every side computes the plain Function's values, and warms the measured side
     * (its fused kernels hot) so that short warm-up iterations measure it compiled.
     */
    @Setup
    public void setup(BenchmarkParams params) {
      String m = method(params);
      boolean chain = m.endsWith("Chain");
      java.util.function.Function<List<Tensor>, Tensor> body =
          chain ? JitPrograms::chain : JitPrograms::reluMulAdd;
      String name = chain ? "chain" : "reluMulAdd";
      SplittableRandom r = new SplittableRandom(21);
      a = floats(r, size, 2);
      b = floats(r, size, 2);
      c = floats(r, size, 2);
      d = floats(r, size, 2);
      y = new float[size];
      args = new Tensor[] {JitPrograms.wrap(a), JitPrograms.wrap(b), JitPrograms.wrap(c),
          JitPrograms.wrap(d)};
      Function plain = JitPrograms.function(name, PLAIN, body);
      float[] want = plain.call(args).toFloatArray();
      JitPrograms.checkClustered(m, plain, false, args);
      JitPrograms.Mode mode = modeOf(m);
      SplittableRandom rs = new SplittableRandom(22);
      float[][] s = {floats(rs, SMALL, 2), floats(rs, SMALL, 2), floats(rs, SMALL, 2),
          floats(rs, SMALL, 2), new float[SMALL]};
      if (mode == null) {
        for (int i = 0; i < 3000; i++) {
          hand(chain, s[0], s[1], s[2], s[3], s[4]);
        }
        hand(chain, a, b, c, d, y);
        JitPrograms.checkClose(m, want, y, 8);
        return;
      }
      measured = mode == PLAIN ? plain : JitPrograms.function(name, mode, body);
      Tensor[] small = {JitPrograms.wrap(s[0]), JitPrograms.wrap(s[1]), JitPrograms.wrap(s[2]),
          JitPrograms.wrap(s[3])};
      JitPrograms.warm(measured, small, 3000, 1000);
      JitPrograms.awaitHot(measured, small, 120);
      JitPrograms.checkClose(m, want, measured.call(args).toFloatArray(), 8);
      JitPrograms.checkClustered(m, measured, mode != PLAIN, args);
      JitPrograms.awaitHot(measured, args, 120);
    }

    static float[] hand(boolean chain, float[] a, float[] b, float[] c, float[] d, float[] y) {
      return chain ? FusionBench.handChain(a, b, c, d, y) : FusionBench.handRelu(a, b, c, d, y);
    }
  }

  /** {@code relu(a*b + c) * d} in a Function with {@code jitCompile(true)}. */
  @Benchmark
  public Tensor jitReluMulAdd(Streams s) {
    return s.measured.call(s.args);
  }

  /** {@code relu(a*b + c) * d} in a Function whose body runs in {@code Scopes.jitScope()}. */
  @Benchmark
  public Tensor jitScopeReluMulAdd(Streams s) {
    return s.measured.call(s.args);
  }

  /** {@code relu(a*b + c) * d} in the same Function without jit: four ops, four passes. */
  @Benchmark
  public Tensor baselineUnfusedReluMulAdd(Streams s) {
    return s.measured.call(s.args);
  }

  /** {@code relu(a*b + c) * d} as one hand-written Vector API pass into a preallocated array. */
  @Benchmark
  public float[] baselineHandFusedReluMulAdd(Streams s) {
    return FusionBench.handRelu(s.a, s.b, s.c, s.d, s.y);
  }

  /** The 6-op chain in a Function with {@code jitCompile(true)}. */
  @Benchmark
  public Tensor jitChain(Streams s) {
    return s.measured.call(s.args);
  }

  /** The 6-op chain in a Function whose body runs in {@code Scopes.jitScope()}. */
  @Benchmark
  public Tensor jitScopeChain(Streams s) {
    return s.measured.call(s.args);
  }

  /** The 6-op chain in the same Function without jit. */
  @Benchmark
  public Tensor baselineUnfusedChain(Streams s) {
    return s.measured.call(s.args);
  }

  /** The 6-op chain as one hand-written Vector API pass into a preallocated array. */
  @Benchmark
  public float[] baselineHandFusedChain(Streams s) {
    return FusionBench.handChain(s.a, s.b, s.c, s.d, s.y);
  }

  // ---- a dense layer: relu(x @ W + b)

  /** {@code relu(x @ W + b)}. */
  static Tensor dense(List<Tensor> in) {
    return Ops.relu(Ops.add(Ops.matmul(in.get(0), in.get(1)), in.get(2)));
  }

  /** x and W n x n, b of n, in [-1, 1); the method's Function, checked and warm. */
  @State(Scope.Benchmark)
  public static class Dense {
    /** The order of x and W. */
    @Param({"1024"})
    int n;

    Tensor[] args;
    Function measured;

    /** Builds and checks the method's Function (jit: clustered and equal to unfused). */
    @Setup
    public void setup(BenchmarkParams params) {
      String m = method(params);
      SplittableRandom r = new SplittableRandom(23);
      args = new Tensor[] {JitPrograms.wrap(floats(r, n * n, 1), n, n),
          JitPrograms.wrap(floats(r, n * n, 1), n, n), JitPrograms.wrap(floats(r, n, 1))};
      Function plain = JitPrograms.function("dense", PLAIN, JitBench::dense);
      if (m.equals("baselineMatmulOnly")) {
        measured = JitPrograms.function("matmul", PLAIN, in -> Ops.matmul(in.get(0), in.get(1)));
      } else {
        measured = modeOf(m) == PLAIN ? plain : JitPrograms.function("dense", JIT_FUNCTION,
            JitBench::dense);
        float[] want = plain.call(args).toFloatArray();
        // the same GEMM either way, but the plain side's first call may run cold kernels on
        // their scalar twins (-Disthmus.simd.warmup=on), another summation order over k = 1024:
        // 1024 ulps of each value (or of 1), a like-for-like check within the GEMM's bound
        JitPrograms.checkClose(m, want, measured.call(args).toFloatArray(), 1024);
      }
      JitPrograms.checkClustered(m, measured, modeOf(m) == JIT_FUNCTION, args);
      JitPrograms.warm(measured, args, 5, 300);
      JitPrograms.awaitHot(measured, args, 60);
    }
  }

  /** The dense layer in a Function with {@code jitCompile(true)}: the GEMM's fused epilogue. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Tensor jitDenseLayer(Dense d) {
    return d.measured.call(d.args);
  }

  /** The dense layer without jit: matmul, then a bias-add pass, then a relu pass. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Tensor baselineUnfusedDenseLayer(Dense d) {
    return d.measured.call(d.args);
  }

  /** The matmul alone in a Function: the least the dense layer can cost, fused or not. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Tensor baselineMatmulOnly(Dense d) {
    return d.measured.call(d.args);
  }

  // ---- compile latency and cache hits

  /**
   * Three operands of {@link #SMALL} floats; the next program of {@link JitPrograms#sequence}
   * (each call's is new: counting up from 0, the probe and the cache-hit structure sit at the
   * top); per iteration, the calls made and what the fusion compiler compiled meanwhile.
   */
  @State(Scope.Benchmark)
  public static class Tracing {
    /** The structure {@code cacheHit} retraces. */
    static final long SAME = JitPrograms.SEQUENCES - 2;

    Tensor[] args;
    long next;
    long calls;
    long compiledBefore;
    boolean fusion;

    /** The operands; for {@code cacheHit}, the structure compiled once. */
    @Setup
    public void setup(BenchmarkParams params) {
      SplittableRandom r = new SplittableRandom(24);
      args = new Tensor[] {JitPrograms.wrap(floats(r, SMALL, 2)),
          JitPrograms.wrap(floats(r, SMALL, 2)), JitPrograms.wrap(floats(r, SMALL, 2))};
      fusion = JitPrograms.fusionReached();
      Function f = newFunction(SAME, modeOf(method(params)) == PLAIN ? PLAIN : JIT_FUNCTION);
      f.call(args);
      JitPrograms.checkClustered(method(params), f, modeOf(method(params)) != PLAIN, args);
    }

    Function newFunction(long k, JitPrograms.Mode mode) {
      return JitPrograms.function("sequence", mode, in -> JitPrograms.sequence(k, in));
    }

    /** Counts from here. */
    @Setup(Level.Iteration)
    public void begin() {
      calls = 0;
      compiledBefore = JitPrograms.compilations();
    }

    /**
     * Checks the iteration through the fusion compiler's counters (when clusters reach it):
     * every new cluster compiled a kernel; a retrace of a compiled structure compiled none.
     * Then drops the iteration's kernels, so that their classes can be unloaded.
     */
    @TearDown(Level.Iteration)
    public void end(BenchmarkParams params) {
      String m = method(params);
      long compiled = JitPrograms.compilations() - compiledBefore;
      if (m.equals("cacheHit") && compiled != 0) {
        throw new IllegalStateException("cacheHit: " + calls + " retraces of a compiled"
            + " structure compiled " + compiled + " kernels; a cache hit must compile nothing");
      }
      if (m.equals("compileNewCluster")) {
        if (fusion && compiled < calls) {
          throw new IllegalStateException("compileNewCluster: " + calls + " new clusters"
              + " compiled only " + compiled + " kernels: the measurement is not of compiling");
        }
        FusedKernels.clearCache();
      }
    }
  }

  /**
   * Traces and calls a jit Function of a structure never seen before: a kernel compiled. Every
   * invocation is a new cluster, so average time over 1 s iterations is the mean over hundreds
   * of compiles, steadier than a handful of single shots; the compiler's own code is warm, as in
   * a process that has compiled clusters before.
   */
  @Benchmark
  public Tensor compileNewCluster(Tracing t) {
    t.calls++;
    return t.newFunction(t.next++, JIT_FUNCTION).call(t.args);
  }

  /** Traces and calls a new jit Function of a structure compiled before: a cache hit. */
  @Benchmark
  public Tensor cacheHit(Tracing t) {
    t.calls++;
    return t.newFunction(Tracing.SAME, JIT_FUNCTION).call(t.args);
  }

  /** Traces and calls a new Function of a new structure without jit: tracing's own cost. */
  @Benchmark
  public Tensor baselineNewFunctionUnfused(Tracing t) {
    t.calls++;
    return t.newFunction(t.next++, PLAIN).call(t.args);
  }

  // ---- the first 100 calls of a new cluster

  /**
   * Four operands of 64K floats and the next chain variant (one per shot: each shot's cluster is
   * new); the last variants are kept for warming up. Before each shot, a pause lets any compiling
   * started before it end.
   */
  @State(Scope.Benchmark)
  public static class Cold {
    static final int SIZE = 65536;
    /** Variants at the top of the range, used to warm up and never measured. */
    static final int RESERVED = 4;

    Tensor[] args;
    int next = 1; // variant 0 is the chain itself
    Function last;
    JitPrograms.Mode mode;
    long compiledBefore;

    /**
     * The operands; the per-op kernels of every binary op the variants use, warm (a user's
     * process has run ops before); for jit, the jit machinery warm on the reserved variants,
     * their kernels hot (so that no compilation of theirs runs during a shot).
     */
    @Setup
    public void setup(BenchmarkParams params) {
      SplittableRandom r = new SplittableRandom(25);
      args = new Tensor[4];
      Tensor[] small = new Tensor[4];
      for (int i = 0; i < 4; i++) {
        args[i] = JitPrograms.wrap(floats(r, SIZE, 2));
        small[i] = JitPrograms.wrap(floats(r, SMALL, 2));
      }
      mode = modeOf(method(params));
      for (int j = 0; j < 5; j++) { // digits all j: every op at every position
        int k = j * (1 + 5 + 25 + 125);
        Function f = JitPrograms.function("warm", PLAIN, in -> JitPrograms.chainVariant(k, in));
        JitPrograms.warm(f, small, 1000, 200);
        JitPrograms.warm(f, args, 50, 0);
      }
      if (mode == JIT_FUNCTION) {
        for (int k = JitPrograms.CHAIN_VARIANTS - RESERVED; k < JitPrograms.CHAIN_VARIANTS;
            k++) {
          int variant = k;
          Function f = JitPrograms.function("warm", JIT_FUNCTION,
              in -> JitPrograms.chainVariant(variant, in));
          JitPrograms.warm(f, args, 100, 0);
          JitPrograms.awaitHot(f, small, 60);
        }
      }
    }

    /** A pause before each shot; counts compilations from here. */
    @Setup(Level.Iteration)
    public void quiet() throws InterruptedException {
      Thread.sleep(200);
      compiledBefore = JitPrograms.compilations();
    }

    /** Checks the shot's Function: clustered when jit, and its cluster compiled if it can be. */
    @TearDown(Level.Iteration)
    public void check() {
      if (last == null) {
        return;
      }
      JitPrograms.checkClustered("first 100 calls", last, mode == JIT_FUNCTION, args);
      if (mode == JIT_FUNCTION && JitPrograms.fusionReached()
          && JitPrograms.compilations() == compiledBefore) {
        throw new IllegalStateException("first100Calls: the shot's new cluster compiled no"
            + " kernel: it was not new");
      }
    }

    Function fresh() {
      if (next >= JitPrograms.CHAIN_VARIANTS - RESERVED) {
        throw new IllegalStateException("out of new chain variants: run fewer single shots");
      }
      int k = next++;
      last = JitPrograms.function("cold", mode, in -> JitPrograms.chainVariant(k, in));
      return last;
    }
  }

  /** A new chain variant's first 100 calls, traced with {@code jitCompile(true)}. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Tensor first100Calls(Cold c) {
    Function f = c.fresh();
    Tensor out = null;
    for (int i = 0; i < 100; i++) {
      out = f.call(c.args);
    }
    return out;
  }

  /** The same new chain variant's first 100 calls, traced without jit. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Tensor baselineUnfusedFirst100Calls(Cold c) {
    Function f = c.fresh();
    Tensor out = null;
    for (int i = 0; i < 100; i++) {
      out = f.call(c.args);
    }
    return out;
  }
}
