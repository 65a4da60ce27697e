package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * FLOAT32 sum of {@code size} elements: the pairwise vector kernel alone, the whole op (dispatch,
 * shape rule, output tensor), and two baselines: copying the same bytes (memory bandwidth) and a
 * plain running-sum loop (what C2 makes of scalar Java; a single dependency chain, so latency
 * bound, and less accurate).
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ReduceBench {
  @Param("16777216")
  int size;

  private float[] data;
  private float[] copy;
  private MemorySegment segment;
  private Tensor tensor;

  /** Uniform values in [-1, 1). */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    data = new float[size];
    for (int i = 0; i < size; i++) {
      data[i] = (float) r.nextDouble(-1, 1);
    }
    copy = new float[size];
    segment = MemorySegment.ofArray(data);
    tensor = Tensor.of(data);
  }

  /** ReduceKernels' FLOAT32 sum over the whole segment. */
  @Benchmark
  public float kernelSum() {
    return ReduceKernels.f32(ReduceOp.SUM, segment, 0, size);
  }

  /** Ops.reduceSum of a rank-1 tensor (all axes). */
  @Benchmark
  public Tensor opsSum() {
    return Ops.reduceSum(tensor);
  }

  /** System.arraycopy of the same number of floats: the memory-bandwidth floor. */
  @Benchmark
  public float[] baselineArraycopy() {
    System.arraycopy(data, 0, copy, 0, size);
    return copy;
  }

  /** A plain Java running sum. */
  @Benchmark
  public float baselineScalarSum() {
    float s = 0;
    for (int i = 0; i < data.length; i++) {
      s += data[i];
    }
    return s;
  }
}
