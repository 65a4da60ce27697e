package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * FLOAT32 sum of {@code size} elements: the blocked pairwise vector kernel alone (one thread),
 * the whole op (dispatch, shape rule, output tensor, intra-op parallelism at its default: every
 * processor), and three baselines: copying the same bytes (memory bandwidth), a plain running-sum
 * loop (what C2 makes of scalar Java; a single dependency chain, so latency bound, and less
 * accurate), and the fastest plain Vector API sum we know how to write on one thread (eight
 * accumulators over the array, no accuracy bound): how fast one core can read memory from Java.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ReduceBench {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

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

  /**
   * A plain Vector API sum on one thread: eight accumulators over the array, nothing else (no
   * blocks, no pairwise tree, so no accuracy bound; the tail of fewer than 8 vectors is left out).
   */
  @Benchmark
  public float baselineVectorSum() {
    int w = F.length();
    float[] d = data;
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
    FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int i = 0; i <= d.length - 8 * w; i += 8 * w) {
      a0 = a0.add(FloatVector.fromArray(F, d, i));
      a1 = a1.add(FloatVector.fromArray(F, d, i + w));
      a2 = a2.add(FloatVector.fromArray(F, d, i + 2 * w));
      a3 = a3.add(FloatVector.fromArray(F, d, i + 3 * w));
      a4 = a4.add(FloatVector.fromArray(F, d, i + 4 * w));
      a5 = a5.add(FloatVector.fromArray(F, d, i + 5 * w));
      a6 = a6.add(FloatVector.fromArray(F, d, i + 6 * w));
      a7 = a7.add(FloatVector.fromArray(F, d, i + 7 * w));
    }
    return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7)))
        .reduceLanes(VectorOperators.ADD);
  }
}
