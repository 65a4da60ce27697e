package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
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
 * FLOAT32 elementwise add over a large vector: the kernel alone (into a preallocated segment),
 * the whole op (dispatch, shape rule, allocation), and two baselines: copying the same number of
 * floats (the memory-bandwidth floor) and a plain Java loop.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class BinaryBench {
  @Param("16777216")
  int size;

  private float[] a;
  private float[] b;
  private float[] c;
  private MemorySegment as;
  private MemorySegment bs;
  private MemorySegment out;
  private Tensor ta;
  private Tensor tb;

  /** Random operands and a preallocated output. */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    a = new float[size];
    b = new float[size];
    c = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
      b[i] = (float) r.nextDouble(-1, 1);
    }
    as = MemorySegment.ofArray(a);
    bs = MemorySegment.ofArray(b);
    out = MemorySegment.ofArray(c);
    ta = Tensor.of(a);
    tb = Tensor.of(b);
  }

  /** BinaryKernels add, both operands contiguous, into a preallocated segment. */
  @Benchmark
  public MemorySegment kernelAdd() {
    BinaryKernels.f32vv(BinaryOp.ADD, as, 0, bs, 0, out, 0, size);
    return out;
  }

  /** Ops.add on two tensors, allocating the result. */
  @Benchmark
  public Tensor opsAdd() {
    return Ops.add(ta, tb);
  }

  /** System.arraycopy of {@code size} floats: reads one array and writes one. */
  @Benchmark
  public float[] baselineArraycopy() {
    System.arraycopy(a, 0, c, 0, size);
    return c;
  }

  /** A plain Java loop {@code c[i] = a[i] + b[i]}. */
  @Benchmark
  public float[] baselineScalarAdd() {
    float[] x = a, y = b, z = c;
    for (int i = 0; i < z.length; i++) {
      z[i] = x[i] + y[i];
    }
    return z;
  }
}
