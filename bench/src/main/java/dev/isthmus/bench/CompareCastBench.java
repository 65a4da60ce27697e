package dev.isthmus.bench;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
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
 * FLOAT32 comparison, selection and cast over {@code size} elements: {@code Ops.less} (to BOOL),
 * {@code Ops.where} and {@code Ops.cast} to INT32, each allocating its output, against plain Java
 * loops over arrays into preallocated outputs.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class CompareCastBench {
  /** Elements per operand. */
  @Param("1048576")
  public int size;

  private float[] x;
  private float[] y;
  private boolean[] cond;
  private boolean[] less;
  private float[] selected;
  private int[] ints;
  private Tensor tx;
  private Tensor ty;
  private Tensor tCond;

  /** Operands uniform in [-1000, 1000) (casts stay in INT32 range), a random condition. */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    x = new float[size];
    y = new float[size];
    cond = new boolean[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) r.nextDouble(-1000, 1000);
      y[i] = (float) r.nextDouble(-1000, 1000);
      cond[i] = r.nextBoolean();
    }
    less = new boolean[size];
    selected = new float[size];
    ints = new int[size];
    tx = Tensor.of(x);
    ty = Tensor.of(y);
    tCond = Tensor.of(cond);
  }

  /** {@code Ops.less(x, y)}: a BOOL tensor (tf.math.less). */
  @Benchmark
  public Tensor less() {
    return Ops.less(tx, ty);
  }

  /** {@code out[i] = x[i] < y[i]} into a preallocated boolean[]. */
  @Benchmark
  public boolean[] baselineScalarLess() {
    float[] a = x, b = y;
    boolean[] o = less;
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] < b[i];
    }
    return o;
  }

  /** {@code Ops.where(cond, x, y)} (SelectV2), shapes equal. */
  @Benchmark
  public Tensor where() {
    return Ops.where(tCond, tx, ty);
  }

  /** {@code out[i] = c[i] ? x[i] : y[i]} into a preallocated float[]. */
  @Benchmark
  public float[] baselineScalarWhere() {
    boolean[] c = cond;
    float[] a = x, b = y, o = selected;
    for (int i = 0; i < o.length; i++) {
      o[i] = c[i] ? a[i] : b[i];
    }
    return o;
  }

  /** {@code Ops.cast(x, INT32)}: truncation toward zero. */
  @Benchmark
  public Tensor castToInt() {
    return Ops.cast(tx, DType.INT32);
  }

  /** {@code out[i] = (int) x[i]} into a preallocated int[]. */
  @Benchmark
  public int[] baselineScalarCast() {
    float[] a = x;
    int[] o = ints;
    for (int i = 0; i < o.length; i++) {
      o[i] = (int) a[i];
    }
    return o;
  }
}
