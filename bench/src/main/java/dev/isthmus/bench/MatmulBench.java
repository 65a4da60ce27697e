package dev.isthmus.bench;

import dev.isthmus.Context;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.MatmulKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * Square matrix products, {@code n x n} times {@code n x n}, in float32 and float64: the GEMM
 * kernel into a preallocated C and the op ({@code Ops.matmul}, allocating its output) on one
 * thread; the op again with {@code threads} threads ({@code opsParallel}); and two baselines on
 * one thread, a plain Java i-k-j loop over arrays and EJML, the pure-JVM peer ({@code
 * CommonOps_FDRM.mult} / {@code CommonOps_DDRM.mult} into a preallocated matrix).
 *
 * <p>Only {@code opsParallel} declares {@code threads} (in its own state), so the one-thread
 * methods run once per {@code n} and {@code dtype}, and the table compares {@code opsParallel}
 * with {@code ops} of the same problem in the same run.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatmulBench {
  /** The matrix order. */
  @Param({"64", "256", "1024", "2048"})
  public int n;

  /** The element type: {@code float32} or {@code float64}. */
  @Param({"float32", "float64"})
  public String dtype;

  /** The intra-op parallelism of {@code opsParallel}; one-thread figures are {@code ops}. */
  @State(Scope.Benchmark)
  public static class Threads {
    /** Threads for {@code Context.setIntraOpParallelism}. */
    @Param({"2"})
    public int threads;
  }

  private boolean f64;
  private float[] af;
  private float[] bf;
  private float[] cf;
  private double[] ad;
  private double[] bd;
  private double[] cd;
  private Tensor ta;
  private Tensor tb;
  private MemorySegment sa;
  private MemorySegment sb;
  private MemorySegment sc;
  private FMatrixRMaj ef;
  private FMatrixRMaj ff;
  private FMatrixRMaj gf;
  private DMatrixRMaj ed;
  private DMatrixRMaj fd;
  private DMatrixRMaj gd;

  /** Random inputs in [-1, 1). */
  @Setup
  public void setup() {
    f64 = switch (dtype) {
      case "float32" -> false;
      case "float64" -> true;
      default -> throw new IllegalArgumentException("dtype " + dtype);
    };
    SplittableRandom r = new SplittableRandom(42);
    int size = n * n;
    if (f64) {
      ad = r.doubles(size, -1, 1).toArray();
      bd = r.doubles(size, -1, 1).toArray();
      cd = new double[size];
      ta = Tensor.of(ad, n, n);
      tb = Tensor.of(bd, n, n);
      sa = MemorySegment.ofArray(ad);
      sb = MemorySegment.ofArray(bd);
      sc = MemorySegment.ofArray(cd);
      ed = DMatrixRMaj.wrap(n, n, ad.clone());
      fd = DMatrixRMaj.wrap(n, n, bd.clone());
      gd = new DMatrixRMaj(n, n);
    } else {
      af = new float[size];
      bf = new float[size];
      cf = new float[size];
      for (int i = 0; i < size; i++) {
        af[i] = (float) r.nextDouble(-1, 1);
        bf[i] = (float) r.nextDouble(-1, 1);
      }
      ta = Tensor.of(af, n, n);
      tb = Tensor.of(bf, n, n);
      sa = MemorySegment.ofArray(af);
      sb = MemorySegment.ofArray(bf);
      sc = MemorySegment.ofArray(cf);
      ef = FMatrixRMaj.wrap(n, n, af.clone());
      ff = FMatrixRMaj.wrap(n, n, bf.clone());
      gf = new FMatrixRMaj(n, n);
    }
  }

  /** Back to the default parallelism. */
  @TearDown
  public void tearDown() {
    Context.setIntraOpParallelism(0);
  }

  /** {@code Ops.matmul} on one thread: dispatch, shape rule, output allocation and the kernel. */
  @Benchmark
  public Tensor ops() {
    Context.setIntraOpParallelism(1);
    return Ops.matmul(ta, tb);
  }

  /** {@code Ops.matmul} with {@code threads} threads. */
  @Benchmark
  public Tensor opsParallel(Threads t) {
    Context.setIntraOpParallelism(t.threads);
    return Ops.matmul(ta, tb);
  }

  /** The GEMM kernel alone, into a preallocated C. */
  @Benchmark
  public MemorySegment kernel() {
    if (f64) {
      MatmulKernels.f64(false, false, n, n, n, sa, 0, n, sb, 0, n, sc, 0, n);
    } else {
      MatmulKernels.f32(false, false, n, n, n, sa, 0, n, sb, 0, n, sc, 0, n);
    }
    return sc;
  }

  /** EJML, one thread: {@code CommonOps_FDRM.mult} or {@code CommonOps_DDRM.mult} into C. */
  @Benchmark
  public Object baselineEjml() {
    if (f64) {
      CommonOps_DDRM.mult(ed, fd, gd);
      return gd;
    }
    CommonOps_FDRM.mult(ef, ff, gf);
    return gf;
  }

  /** Plain Java: zero C, then the i-k-j loop over the arrays. */
  @Benchmark
  public Object baselineScalar() {
    int m = n;
    if (f64) {
      double[] x = ad, y = bd, z = cd;
      Arrays.fill(z, 0);
      for (int i = 0; i < m; i++) {
        int zi = i * m;
        for (int p = 0; p < m; p++) {
          double v = x[zi + p];
          int yp = p * m;
          for (int j = 0; j < m; j++) {
            z[zi + j] += v * y[yp + j];
          }
        }
      }
      return z;
    }
    float[] x = af, y = bf, z = cf;
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
