package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.ConvScalar;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FLOAT32 conv2d of a {@code [1, 56, 56, 64]} input with a {@code [3, 3, 64, 64]} filter, SAME,
 * stride 1 (a ResNet stage-2 layer): the op ({@code Ops.conv2d}: im2col blocks into the GEMM,
 * allocating its output) against the scalar twin, the direct loops, into a preallocated output.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ConvBench {
  static final int BATCH = 1, SIZE = 56, IN_C = 64, K = 3, OUT_C = 64;

  /** Floating-point operations of one convolution: 2 N OH OW KH KW Cin Cout (SAME: OH = H). */
  static final double FLOPS = 2.0 * BATCH * SIZE * SIZE * K * K * IN_C * OUT_C;

  private Tensor input;
  private Tensor filter;
  private MemorySegment sx;
  private MemorySegment sf;
  private MemorySegment sy;
  private ConvGeometry geometry;

  /** Random input and filter in [-1, 1). */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    float[] x = new float[BATCH * SIZE * SIZE * IN_C];
    float[] f = new float[K * K * IN_C * OUT_C];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextDouble(-1, 1);
    }
    input = Tensor.of(x, BATCH, SIZE, SIZE, IN_C);
    filter = Tensor.of(f, K, K, IN_C, OUT_C);
    sx = MemorySegment.ofArray(x);
    sf = MemorySegment.ofArray(f);
    sy = MemorySegment.ofArray(new float[BATCH * SIZE * SIZE * OUT_C]);
    // SAME, stride 1: one row and column of padding on each side
    geometry = new ConvGeometry(BATCH, SIZE, SIZE, IN_C, K, K, 1, 1, 1, 1, 1, 1, SIZE, SIZE);
  }

  /** {@code Ops.conv2d}: dispatch, shape rule, output allocation, im2col and the GEMM. */
  @Benchmark
  public Tensor ops() {
    return Ops.conv2d(input, filter, new int[] {1, 1}, "SAME");
  }

  /** The scalar twin: the direct seven nested loops, into a preallocated output. */
  @Benchmark
  public MemorySegment baselineScalar() {
    ConvScalar.conv2dF32(sx, 0, sf, 0, sy, 0, geometry, OUT_C);
    return sy;
  }
}
