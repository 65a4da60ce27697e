package dev.isthmus.bench;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Intra-op parallelism: add and sum of {@code size} float32 (16M), a square float32 matmul of
 * order {@code n} (1024), softmax over the rows of {@code [rows, cols]} ({@code [4096, 1024]}) and
 * the column sums of that matrix (a reduction over axis 0, split by columns),
 * each through {@code Ops} with {@link Context#setIntraOpParallelism} set to {@code threads},
 * against the same op with parallelism 1 (the {@code baseline...OneThread} methods) in the same
 * run. Each method sets the parallelism itself (one volatile write), so the two interleave
 * safely; with {@code threads = 1} the ratio is 1 by construction, a sanity check.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ParallelBench {
  @Param({"1", "2"})
  int threads;

  @Param("16777216")
  int size;

  @Param("1024")
  int n;

  @Param("4096")
  int rows;

  @Param("1024")
  int cols;

  private Tensor a;
  private Tensor b;
  private Tensor ma;
  private Tensor mb;
  private Tensor logits;

  /** Seeded normal inputs. */
  @Setup
  public void setup() {
    a = Ops.randomNormal(1, DType.FLOAT32, size);
    b = Ops.randomNormal(2, DType.FLOAT32, size);
    ma = Ops.randomNormal(3, DType.FLOAT32, n, n);
    mb = Ops.randomNormal(4, DType.FLOAT32, n, n);
    logits = Ops.randomNormal(5, DType.FLOAT32, rows, cols);
  }

  /** Back to the default setting. */
  @TearDown
  public void tearDown() {
    Context.setIntraOpParallelism(0);
  }

  /** {@code a + b} with {@code threads} threads. */
  @Benchmark
  public Tensor add() {
    Context.setIntraOpParallelism(threads);
    return Ops.add(a, b);
  }

  /** {@code a + b} on the calling thread. */
  @Benchmark
  public Tensor baselineAddOneThread() {
    Context.setIntraOpParallelism(1);
    return Ops.add(a, b);
  }

  /** Sum of {@code a} (one value) with {@code threads} threads. */
  @Benchmark
  public Tensor sum() {
    Context.setIntraOpParallelism(threads);
    return Ops.reduceSum(a);
  }

  /** Sum of {@code a} on the calling thread. */
  @Benchmark
  public Tensor baselineSumOneThread() {
    Context.setIntraOpParallelism(1);
    return Ops.reduceSum(a);
  }

  /** The column sums (over axis 0) of the {@code [rows, cols]} logits with {@code threads}. */
  @Benchmark
  public Tensor sumColumns() {
    Context.setIntraOpParallelism(threads);
    return Ops.reduceSum(logits, 0);
  }

  /** The column sums on the calling thread. */
  @Benchmark
  public Tensor baselineSumColumnsOneThread() {
    Context.setIntraOpParallelism(1);
    return Ops.reduceSum(logits, 0);
  }

  /** {@code n x n} matmul with {@code threads} threads. */
  @Benchmark
  public Tensor matmul() {
    Context.setIntraOpParallelism(threads);
    return Ops.matmul(ma, mb);
  }

  /** {@code n x n} matmul on the calling thread. */
  @Benchmark
  public Tensor baselineMatmulOneThread() {
    Context.setIntraOpParallelism(1);
    return Ops.matmul(ma, mb);
  }

  /** Softmax over the last axis with {@code threads} threads. */
  @Benchmark
  public Tensor softmax() {
    Context.setIntraOpParallelism(threads);
    return Ops.softmax(logits);
  }

  /** Softmax over the last axis on the calling thread. */
  @Benchmark
  public Tensor baselineSoftmaxOneThread() {
    Context.setIntraOpParallelism(1);
    return Ops.softmax(logits);
  }
}
