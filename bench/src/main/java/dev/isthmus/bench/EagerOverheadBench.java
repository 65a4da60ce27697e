package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The fixed cost of one eager op: Ops.add on one-element FLOAT32 tensors (dispatch, shape rule,
 * allocation, kernel, wrapping), against a plain Java add that allocates its one-element result.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class EagerOverheadBench {
  private Tensor a1;
  private Tensor b1;
  private Tensor a0;
  private Tensor b0;
  private float[] a;
  private float[] b;

  /** The operands. */
  @Setup
  public void setup() {
    a1 = Tensor.of(new float[] {1.5f}, 1);
    b1 = Tensor.of(new float[] {2.5f}, 1);
    a0 = Tensor.scalar(1.5f);
    b0 = Tensor.scalar(2.5f);
    a = new float[] {1.5f};
    b = new float[] {2.5f};
  }

  /** Ops.add of two shape-[1] FLOAT32 tensors. */
  @Benchmark
  public Tensor addOneElement() {
    return Ops.add(a1, b1);
  }

  /** Ops.add of two rank-0 FLOAT32 tensors. */
  @Benchmark
  public Tensor addScalarTensors() {
    return Ops.add(a0, b0);
  }

  /** {@code float[] r = {a[0] + b[0]}}. */
  @Benchmark
  public float[] baselineScalarAdd() {
    float[] r = {a[0] + b[0]};
    return r;
  }
}
