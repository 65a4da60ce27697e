package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.MoveKernels;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * FLOAT32 data movement on an {@code n x n} matrix: transpose (the op, and the strided-copy
 * kernel into a preallocated output), concat of two matrices along axis 0, and a gather of
 * {@code n} random rows. Baselines: plain Java over float arrays, and {@code System.arraycopy}
 * of {@code n * n} floats as the bandwidth yardstick (transpose and gather each read and write
 * {@code n * n} floats: 2 streams, as the copy).
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class MoveBench {
  /** The matrix order. */
  @Param("1024")
  public int n;

  private float[] a;
  private float[] b;
  private float[] out;
  private float[] cat;
  private int[] rows;
  private Tensor ta;
  private Tensor tb;
  private Tensor tRows;
  private MemorySegment sa;
  private MemorySegment sOut;
  private long[] shape;
  private long[] transposedStrides;

  /** Random matrices in [-1, 1), random row indices in [0, n), preallocated outputs. */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    int nn = n * n;
    a = new float[nn];
    b = new float[nn];
    for (int i = 0; i < nn; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
      b[i] = (float) r.nextDouble(-1, 1);
    }
    rows = new int[n];
    for (int k = 0; k < n; k++) {
      rows[k] = r.nextInt(n);
    }
    out = new float[nn];
    cat = new float[2 * nn];
    ta = Tensor.of(a, n, n);
    tb = Tensor.of(b, n, n);
    tRows = Tensor.of(rows);
    sa = MemorySegment.ofArray(a);
    sOut = MemorySegment.ofArray(out);
    shape = new long[] {n, n};
    transposedStrides = new long[] {1, n}; // output [i, j] reads a[j, i]
  }

  /** {@code Ops.transpose} of the matrix: dispatch, allocation and the blocked strided copy. */
  @Benchmark
  public Tensor transpose2d() {
    return Ops.transpose(ta);
  }

  /** {@link MoveKernels#copyStrided} reading the matrix transposed, into a preallocated output. */
  @Benchmark
  public MemorySegment kernelTranspose2d() {
    MoveKernels.copyStrided(Float.BYTES, shape, sa, 0, transposedStrides, sOut, 0);
    return sOut;
  }

  /** Plain Java transpose: {@code out[i][j] = a[j][i]}, writing in order, reading strided. */
  @Benchmark
  public float[] baselineScalarTranspose() {
    float[] x = a, y = out;
    int m = n;
    for (int i = 0; i < m; i++) {
      int yi = i * m;
      for (int j = 0; j < m; j++) {
        y[yi + j] = x[j * m + i];
      }
    }
    return y;
  }

  /** {@code System.arraycopy} of {@code n * n} floats: the bandwidth yardstick (2 streams). */
  @Benchmark
  public float[] baselineArraycopy() {
    System.arraycopy(a, 0, out, 0, a.length);
    return out;
  }

  /** {@code Ops.concat} of the two {@code [n, n]} matrices along axis 0 (allocates [2n, n]). */
  @Benchmark
  public Tensor concat() {
    return Ops.concat(0, ta, tb);
  }

  /** Two {@code System.arraycopy} calls into a preallocated {@code 2 * n * n} array. */
  @Benchmark
  public float[] baselineArraycopy2() {
    System.arraycopy(a, 0, cat, 0, a.length);
    System.arraycopy(b, 0, cat, a.length, b.length);
    return cat;
  }

  /** {@code Ops.gather} of {@code n} random rows (INT32 indices) along axis 0. */
  @Benchmark
  public Tensor gather() {
    return Ops.gather(ta, tRows);
  }

  /** One {@code System.arraycopy} per gathered row, into a preallocated output. */
  @Benchmark
  public float[] baselineScalarGather() {
    float[] x = a, y = out;
    int[] idx = rows;
    int m = n;
    for (int k = 0; k < idx.length; k++) {
      System.arraycopy(x, idx[k] * m, y, k * m, m);
    }
    return y;
  }
}
