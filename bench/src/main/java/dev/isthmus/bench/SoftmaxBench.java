package dev.isthmus.bench;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Buffers;
import dev.isthmus.kernels.SoftmaxKernels;
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
 * FLOAT32 softmax over the last axis of a {@code [rows, cols]} matrix: the op (the rows kernel
 * on chunks of rows, on every processor, into a freshly allocated output), the kernel alone (all
 * rows in one call on one thread, into a preallocated output: the op minus allocation, dispatch
 * and parallelism), against copying the same bytes into a preallocated array, allocating a
 * tensor's buffer and copying into it (the least any op that produces a fresh [rows, cols] tensor
 * from another pays), and a plain Java three-pass softmax per row.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class SoftmaxBench {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @Param("4096")
  int rows;

  @Param("1024")
  int cols;

  private float[] data;
  private float[] out;
  private Tensor logits;
  private MemorySegment xSeg;
  private MemorySegment ySeg;

  /** Logits uniform in [-10, 10). */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextDouble(-10, 10);
    }
    out = new float[data.length];
    logits = Tensor.of(data, rows, cols);
    xSeg = MemorySegment.ofArray(data);
    ySeg = MemorySegment.ofArray(new float[data.length]);
  }

  /** Ops.softmax over the last axis. */
  @Benchmark
  public Tensor opsSoftmax() {
    return Ops.softmax(logits);
  }

  /** {@link SoftmaxKernels#softmaxRowsF32} over all rows, one thread, preallocated output. */
  @Benchmark
  public MemorySegment kernelSoftmax() {
    SoftmaxKernels.softmaxRowsF32(xSeg, 0, ySeg, 0, rows, cols);
    return ySeg;
  }

  /** System.arraycopy of rows * cols floats: the memory-bandwidth floor. */
  @Benchmark
  public float[] baselineArraycopy() {
    System.arraycopy(data, 0, out, 0, data.length);
    return out;
  }

  /**
   * A fresh tensor buffer (zeroed by the JVM, as every op's output is) with the logits copied
   * into it: what an op producing a new [rows, cols] float32 tensor from another pays at least.
   */
  @Benchmark
  public MemorySegment baselineAllocateAndCopy() {
    MemorySegment y = Buffers.allocate(DType.FLOAT32, (long) rows * cols);
    MemorySegment.copy(xSeg, 0, y, 0, (long) rows * cols * Float.BYTES);
    return y;
  }

  /** Plain Java per row: max, then exp (Math.exp) and sum, then scale. */
  @Benchmark
  public float[] baselineScalarSoftmax() {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float m = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        m = Math.max(m, data[o + j]);
      }
      float s = 0;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(data[o + j] - m);
        out[o + j] = e;
        s += e;
      }
      float c = 1f / s;
      for (int j = 0; j < cols; j++) {
        out[o + j] *= c;
      }
    }
    return out;
  }

  /**
   * One pass of {@code y = e^(x - 10)} over all the logits, one thread, preallocated output: a
   * plain Vector API loop with the kernel's exp polynomial (degree 6, Cody-Waite reduction, no
   * clamp: the logits are in [-10, 10)). What one read of x, one exp per element and one write of
   * y cost together on one core: the floor of a one-pass softmax, which also needs a max and a sum.
   */
  @Benchmark
  public float[] baselineVectorExp() {
    int w = F.length(), n = data.length;
    float[] x = data, y = out;
    FloatVector vm = FloatVector.broadcast(F, 10f);
    FloatVector log2e = FloatVector.broadcast(F, 0x1.715476p0f);
    FloatVector rounder = FloatVector.broadcast(F, 0x1.8p23f + 127f);
    FloatVector ln2hi = FloatVector.broadcast(F, -0x1.62e4p-1f);
    FloatVector ln2lo = FloatVector.broadcast(F, -0x1.7f7d1cp-20f);
    FloatVector c6 = FloatVector.broadcast(F, 0x1.6ab984p-10f);
    FloatVector c5 = FloatVector.broadcast(F, 0x1.126d0cp-7f);
    FloatVector c4 = FloatVector.broadcast(F, 0x1.55589ap-5f);
    FloatVector c3 = FloatVector.broadcast(F, 0x1.55540ap-3f);
    FloatVector c2 = FloatVector.broadcast(F, 0x1.fffffap-2f);
    FloatVector c1 = FloatVector.broadcast(F, 1f);
    for (int i = 0; i <= n - w; i += w) {
      FloatVector t = FloatVector.fromArray(F, x, i).sub(vm);
      FloatVector z = t.fma(log2e, rounder);
      FloatVector k = z.sub(rounder);
      FloatVector r = k.fma(ln2lo, k.fma(ln2hi, t));
      c6.fma(r, c5).fma(r, c4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c1)
          .mul(z.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes())
          .intoArray(y, i);
    }
    return y;
  }
}
