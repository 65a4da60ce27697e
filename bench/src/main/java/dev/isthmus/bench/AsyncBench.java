package dev.isthmus.bench;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Executor;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.scopes.Scopes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The async executor (docs/SCOPES.md, asyncScope), in two measurements.
 *
 * <p><b>Issue cost.</b> {@link #issueAsync} issues {@value #BATCH} independent adds of two
 * 1-element float32 tensors inside an async scope, then waits for them once; the time is per op,
 * so it is what issuing one small op costs the calling thread (the consumer runs them on the other
 * core meanwhile, and the one barrier is amortised). {@link #issueAsyncChain} does the same with
 * each add reading the previous one's pending result. {@link #baselineSync} is the same adds
 * called synchronously. Their scope is open for a whole measurement iteration ({@link InScope}).
 *
 * <p><b>Overlap.</b> A training loop of {@value #STEPS} steps whose every step does about 20 us
 * of host-side Java work (making the next batch: {@link Training#hostBatch}) and about 20 us of
 * ops (a small matmul chain updating a weight matrix: {@link #step}), synchronously
 * ({@link #baselineTrainSync}) and inside one async scope per loop ({@link #trainAsync}), so the
 * host work of step i+1 overlaps the ops of step i. {@link #baselineHostOnly} and
 * {@link #baselineOpsOnly} time the two halves alone; times are per step. The two halves should
 * take about as long as each other, so that async can approach half the synchronous time.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class AsyncBench {
  /** Ops per invocation of the issue benchmarks. */
  static final int BATCH = 1024;

  /** Steps per invocation of the training-loop benchmarks. */
  static final int STEPS = 256;

  private Tensor a1;
  private Tensor b1;

  /** The operands of the issue benchmarks. */
  @Setup(Level.Trial)
  public void setup() {
    a1 = Tensor.of(new float[] {1.5f}, 1);
    b1 = Tensor.of(new float[] {2.5f}, 1);
  }

  /**
   * An async scope open for a whole measurement iteration, on the benchmark thread (JMH runs
   * iteration-level setup on the thread that then measures). Only the issue benchmarks use it.
   */
  @State(Scope.Thread)
  public static class InScope {
    private dev.isthmus.Scope scope;
    Executor executor;

    /** Opens the scope. */
    @Setup(Level.Iteration)
    public void open() {
      scope = Scopes.asyncScope();
      executor = Context.executor();
    }

    /** Closes it: a barrier, then its consumer thread ends. */
    @TearDown(Level.Iteration)
    public void close() {
      scope.close();
    }
  }

  // ------------------------------------------------------------------ issue cost

  /** {@value #BATCH} independent 1-element adds issued in the async scope, then one wait. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Tensor issueAsync(InScope in) {
    Tensor r = null;
    for (int i = 0; i < BATCH; i++) {
      r = Ops.add(a1, b1);
    }
    in.executor.waitForPending();
    return r;
  }

  /** {@value #BATCH} chained 1-element adds (each reads the last pending result), one wait. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Tensor issueAsyncChain(InScope in) {
    Tensor r = a1;
    for (int i = 0; i < BATCH; i++) {
      r = Ops.add(r, b1);
    }
    in.executor.waitForPending();
    return r;
  }

  /** The same {@value #BATCH} adds, synchronous: called on a thread with no async scope. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Tensor baselineSync() {
    Tensor r = null;
    for (int i = 0; i < BATCH; i++) {
      r = Ops.add(a1, b1);
    }
    return r;
  }

  // ------------------------------------------------------------------ overlap

  /**
   * The training loop's data and parameters. Its setup also runs the loop, sync and async, for
   * at least a second and until its time stops improving (at most 10 s): the Vector API kernels
   * run interpreted until C2 compiles them, hundreds of times slower, which a short JMH warm-up
   * does not outlast.
   */
  @State(Scope.Thread)
  public static class Training {
    /**
     * Rounds of the host-side loop per batch element: about 21 us for a 48 x 48 batch on the
     * 2-vCPU EPYC the targets were set on, as long as the step's ops there.
     */
    @Param("4")
    int hostRounds;

    /**
     * Order of the square matrices (batch, weights) of the step's three matmuls. It was 40 (6
     * host rounds) until heap stores stopped boxing vectors: the step's ops then took 9-11 us
     * instead of 19, half the host work, and the loop no longer had the issue's shape. Measured
     * on the final kernels, idle machine: 48 and 4 rounds give 20.8 us host and 20.7 us ops.
     */
    @Param("48")
    int order;

    private Tensor w0;
    private float[] batch;
    private int stepSeed;

    /** The initial weights, the batch buffer, and the warm-up. */
    @Setup(Level.Trial)
    public void setup() {
      w0 = Ops.randomNormal(7, DType.FLOAT32, order, order).mul(Tensor.scalar(0.1f));
      batch = new float[order * order];
      long start = System.nanoTime();
      long best = Long.MAX_VALUE;
      int stale = 0;
      while ((stale < 5 || System.nanoTime() - start < 1_000_000_000L)
          && System.nanoTime() - start < 10_000_000_000L) {
        long t0 = System.nanoTime();
        sync();
        async();
        long t = System.nanoTime() - t0;
        if (t < best - best / 20) {
          best = t;
          stale = 0;
        } else {
          stale++;
        }
      }
    }

    /** Host-side work: fills the next batch by a few rounds of arithmetic per element. */
    Tensor hostBatch() {
      int s = ++stepSeed;
      float[] v = batch;
      for (int i = 0; i < v.length; i++) {
        int h = (i + 1) * 0x9E3779B1 ^ s * 0x85EBCA77;
        float x = 0;
        for (int r = 0; r < hostRounds; r++) {
          h ^= h >>> 15;
          h *= 0x2C1B3C6D;
          h ^= h >>> 12;
          x += (float) Math.sqrt((h & 0xFFFF) + 1.0) * 0.01f;
        }
        v[i] = x * (1f / hostRounds) - 1.2f;
      }
      return Tensor.of(v, order, order);
    }

    /** {@value #STEPS} steps from the initial weights; the final weights. */
    Tensor train() {
      Tensor w = w0;
      for (int i = 0; i < STEPS; i++) {
        w = step(hostBatch(), w);
      }
      return w;
    }

    float sync() {
      return train().toFloatArray()[0];
    }

    @SuppressWarnings("try") // the scope is entered for its effect
    float async() {
      Tensor w;
      try (dev.isthmus.Scope s = Scopes.asyncScope()) {
        w = train();
      }
      return w.toFloatArray()[0];
    }
  }

  /** The step's ops: a forward matmul, tanh, a gradient-like matmul and an update of {@code w}. */
  static Tensor step(Tensor x, Tensor w) {
    Tensor h = Ops.tanh(Ops.matmul(x, w));
    Tensor g = Ops.matmul(x, h, true, false);
    Tensor u = Ops.matmul(g, w).mul(Tensor.scalar(1e-4f));
    return w.sub(u);
  }

  /** The training loop, synchronous (outside any async scope). */
  @Benchmark
  @OperationsPerInvocation(STEPS)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float baselineTrainSync(Training t) {
    return t.sync();
  }

  /** The training loop in one async scope: host work overlaps the previous step's ops. */
  @Benchmark
  @OperationsPerInvocation(STEPS)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float trainAsync(Training t) {
    return t.async();
  }

  /** The host half of a step alone. */
  @Benchmark
  @OperationsPerInvocation(STEPS)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void baselineHostOnly(Training t, Blackhole bh) {
    for (int i = 0; i < STEPS; i++) {
      bh.consume(t.hostBatch());
    }
  }

  /** The ops half of a step alone, synchronous, on one fixed batch. */
  @Benchmark
  @OperationsPerInvocation(STEPS)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float baselineOpsOnly(Training t) {
    Tensor x = t.w0;
    Tensor w = t.w0;
    for (int i = 0; i < STEPS; i++) {
      w = step(x, w);
    }
    return w.toFloatArray()[0];
  }
}
