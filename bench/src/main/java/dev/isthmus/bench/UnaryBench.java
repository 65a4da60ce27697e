package dev.isthmus.bench;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * FLOAT32 exp, tanh and sigmoid: the Ops-level call (allocation and dispatch included), the
 * Vector API kernel into a preallocated output, and a plain Java loop over {@link Math} as the
 * baseline. The target is the kernel at 8x the baseline or better.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class UnaryBench {
  /** Elements per call. */
  @Param("65536")
  int size;

  /** The operator: exp, tanh or sigmoid. */
  @Param({"exp", "tanh", "sigmoid"})
  String op;

  private float[] xs;
  private float[] out;
  private Tensor x;
  private MemorySegment xSeg;
  private MemorySegment ySeg;
  private UnaryOp kernelOp;
  private UnaryOperator<Tensor> opsCall;

  /** Inputs uniform in [-10, 10): every branch of sigmoid, and tanh short of saturation. */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(7);
    xs = new float[size];
    for (int i = 0; i < size; i++) {
      xs[i] = (float) r.nextDouble(-10, 10);
    }
    out = new float[size];
    x = Tensor.of(xs);
    xSeg = MemorySegment.ofArray(xs);
    ySeg = MemorySegment.ofArray(new float[size]);
    switch (op) {
      case "exp" -> {
        kernelOp = UnaryOp.EXP;
        opsCall = Ops::exp;
      }
      case "tanh" -> {
        kernelOp = UnaryOp.TANH;
        opsCall = Ops::tanh;
      }
      case "sigmoid" -> {
        kernelOp = UnaryOp.SIGMOID;
        opsCall = Ops::sigmoid;
      }
      default -> throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** {@code Ops.exp/tanh/sigmoid} on a FLOAT32 tensor: validation, allocation and the kernel. */
  @Benchmark
  public Tensor ops() {
    return opsCall.apply(x);
  }

  /** {@link UnaryKernels#f32} into a preallocated output. */
  @Benchmark
  public MemorySegment kernel() {
    UnaryKernels.f32(kernelOp, xSeg, 0, ySeg, 0, size);
    return ySeg;
  }

  /** A plain Java loop over {@link Math}, into a preallocated float[]. */
  @Benchmark
  public float[] baselineScalar() {
    float[] a = xs;
    float[] y = out;
    switch (op) {
      case "exp" -> {
        for (int i = 0; i < a.length; i++) {
          y[i] = (float) Math.exp(a[i]);
        }
      }
      case "tanh" -> {
        for (int i = 0; i < a.length; i++) {
          y[i] = (float) Math.tanh(a[i]);
        }
      }
      default -> {
        for (int i = 0; i < a.length; i++) {
          y[i] = 1f / (1f + (float) Math.exp(-a[i]));
        }
      }
    }
    return y;
  }
}
