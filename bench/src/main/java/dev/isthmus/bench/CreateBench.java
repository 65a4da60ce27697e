package dev.isthmus.bench;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
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
 * FLOAT32 tensor creation of {@code size} elements: seeded uniform and normal random tensors
 * and a tensor of ones, each allocating its output. The baselines allocate a fresh float[] too,
 * then fill it from the JDK's generators ({@code SplittableRandom}, {@code ThreadLocalRandom})
 * or with {@code Arrays.fill}.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class CreateBench {
  /** Elements per tensor. */
  @Param("1048576")
  public int size;

  private SplittableRandom random;

  /** A generator with a fixed seed for the baselines (the ops take their seed as an argument). */
  @Setup
  public void setup() {
    random = new SplittableRandom(42);
  }

  /** {@code Ops.randomUniform} FLOAT32 in [0, 1) from a fixed seed (StatelessRandomUniform). */
  @Benchmark
  public Tensor randomUniform() {
    return Ops.randomUniform(42, DType.FLOAT32, size);
  }

  /** A fresh float[] filled by {@code SplittableRandom.nextFloat()}. */
  @Benchmark
  public float[] baselineSplittableRandom() {
    SplittableRandom r = random;
    float[] y = new float[size];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextFloat();
    }
    return y;
  }

  /** A fresh float[] filled by {@code ThreadLocalRandom.current().nextFloat()}. */
  @Benchmark
  public float[] baselineThreadLocalRandom() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    float[] y = new float[size];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextFloat();
    }
    return y;
  }

  /** {@code Ops.randomNormal} FLOAT32, mean 0 and stddev 1, from a fixed seed. */
  @Benchmark
  public Tensor randomNormal() {
    return Ops.randomNormal(42, DType.FLOAT32, size);
  }

  /** A fresh float[] filled by {@code SplittableRandom.nextGaussian()}, cast to float. */
  @Benchmark
  public float[] baselineNextGaussian() {
    SplittableRandom r = random;
    float[] y = new float[size];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) r.nextGaussian();
    }
    return y;
  }

  /** {@code Ops.ones} FLOAT32 (op Fill). */
  @Benchmark
  public Tensor fillOnes() {
    return Ops.ones(DType.FLOAT32, size);
  }

  /** {@code Arrays.fill} of a fresh float[] with 1. */
  @Benchmark
  public float[] baselineArraysFill() {
    float[] y = new float[size];
    Arrays.fill(y, 1f);
    return y;
  }
}
