package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.MatmulKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
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
 * FLOAT32 square matrix products, {@code n x n} times {@code n x n}: the op ({@code Ops.matmul},
 * allocating its output), the GEMM kernel into a preallocated C, and a plain Java i-k-j loop over
 * float arrays as the baseline.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatmulBench {
  /** The matrix order. */
  @Param({"64", "256", "1024"})
  public int n;

  private float[] a;
  private float[] b;
  private float[] c;
  private Tensor ta;
  private Tensor tb;
  private MemorySegment sa;
  private MemorySegment sb;
  private MemorySegment sc;

  /** Random inputs in [-1, 1). */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < n * n; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
      b[i] = (float) r.nextDouble(-1, 1);
    }
    ta = Tensor.of(a, n, n);
    tb = Tensor.of(b, n, n);
    sa = MemorySegment.ofArray(a);
    sb = MemorySegment.ofArray(b);
    sc = MemorySegment.ofArray(c);
  }

  /** {@code Ops.matmul}: dispatch, shape rule, output allocation and the kernel. */
  @Benchmark
  public Tensor ops() {
    return Ops.matmul(ta, tb);
  }

  /** The GEMM kernel alone, into a preallocated C. */
  @Benchmark
  public MemorySegment kernel() {
    MatmulKernels.f32(false, false, n, n, n, sa, 0, n, sb, 0, n, sc, 0, n);
    return sc;
  }

  /** Plain Java: zero C, then the i-k-j loop over float arrays. */
  @Benchmark
  public float[] baselineScalar() {
    float[] x = a, y = b, z = c;
    int m = n;
    Arrays.fill(z, 0f);
    for (int i = 0; i < m; i++) {
      int zi = i * m;
      for (int p = 0; p < m; p++) {
        float v = x[zi + p];
        int yp = p * m;
        for (int j = 0; j < m; j++) {
          z[zi + j] += v * y[yp + j];
        }
      }
    }
    return z;
  }
}
