package dev.isthmus.bench;

import dev.isthmus.Adam;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Losses;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One training step of a 2-layer MLP, FLOAT32: a batch of {@link #BATCH} inputs of
 * {@link #IN} features, a hidden layer of {@link #HIDDEN} relu units, {@link #CLASSES} logits,
 * the mean sparse softmax cross entropy against integer labels, and Adam. The forward pass alone
 * (the baselines) against the full step: forward recorded on a {@link GradientTape}, the
 * gradients of the four variables, and Adam's update. Each both eagerly (op by op) and traced
 * into a {@link Function} (one graph per step).
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TrainBench {
  /** The model's sizes: batch 256, 784-256-10. */
  static final int BATCH = 256, IN = 784, HIDDEN = 256, CLASSES = 10;

  /** The setup's warm-up: at least this many calls, and this long. */
  private static final int WARM_UP_MIN_STEPS = 500;

  private static final long WARM_UP_NANOS = 2_000_000_000L;

  private Tensor x;
  private Tensor labels;
  private Variable w1;
  private Variable b1;
  private Variable w2;
  private Variable b2;
  private List<Variable> vars;
  private Adam adam;
  private Function forwardTraced;
  private Function stepTraced;

  /**
   * {@link #setup()}, then, unless JMH runs no warm-up at all (the CI smoke test), a warm-up of
   * the benchmark about to run (only that one: JMH runs each in a fork of its own, whose JIT
   * profiles the others would pollute) before JMH's own warm-up.
   */
  @Setup
  public void setup(BenchmarkParams params) {
    setup();
    if (params.getWarmup().getCount() > 0) {
      String b = params.getBenchmark();
      warmUp(b.substring(b.lastIndexOf('.') + 1));
    }
  }

  /** Random inputs and labels, Glorot-uniform weights, zero biases; traces both functions. */
  public void setup() {
    x = Ops.randomUniform(1, DType.FLOAT32, Shape.of(BATCH, IN), -1, 1);
    labels = Ops.cast(Ops.floor(Ops.randomUniform(2, DType.FLOAT32, Shape.of(BATCH), 0, CLASSES)),
        DType.INT32);
    double l1 = Math.sqrt(6.0 / (IN + HIDDEN));
    double l2 = Math.sqrt(6.0 / (HIDDEN + CLASSES));
    w1 = Variable.of(Ops.randomUniform(3, DType.FLOAT32, Shape.of(IN, HIDDEN), -l1, l1));
    b1 = Variable.of(Ops.zeros(DType.FLOAT32, HIDDEN));
    w2 = Variable.of(Ops.randomUniform(4, DType.FLOAT32, Shape.of(HIDDEN, CLASSES), -l2, l2));
    b2 = Variable.of(Ops.zeros(DType.FLOAT32, CLASSES));
    vars = List.of(w1, b1, w2, b2);
    adam = new Adam(1e-3);
    forwardTraced = Function.of(this::forward);
    stepTraced = Function.of(this::step);
    check(baselineForwardEager(), "eager forward");
    check(baselineForwardTraced(), "traced forward");
    check(stepEager(), "eager step");
    check(stepTraced(), "traced step");
    if (forwardTraced.tracingCount() != 1 || stepTraced.tracingCount() != 1) {
      throw new IllegalStateException("traced more than once");
    }
  }

  /**
   * A step runs some forty different ops and kernels, each compiled by C2 only after many
   * calls: its first hundred calls are 10-50 times slower, and it takes some 400 calls to settle,
   * more than --quick's warm-up gives on a loaded machine. This runs the benchmark method
   * {@code method} at least 500 times and at least 2 s.
   */
  public void warmUp(String method) {
    Supplier<Tensor> body = switch (method) {
      case "baselineForwardEager" -> this::baselineForwardEager;
      case "baselineForwardTraced" -> this::baselineForwardTraced;
      case "stepEager" -> this::stepEager;
      case "stepTraced" -> this::stepTraced;
      default -> throw new IllegalArgumentException("no benchmark " + method);
    };
    long end = System.nanoTime() + WARM_UP_NANOS;
    for (int i = 0; i < WARM_UP_MIN_STEPS || System.nanoTime() < end; i++) {
      body.get();
    }
  }

  private static void check(Tensor loss, String what) {
    double v = loss.item();
    // an untrained 10-class model starts near ln 10
    if (!(v > 0 && v < 10)) {
      throw new IllegalStateException(what + ": loss " + v);
    }
  }

  /** The model's mean loss on the batch. */
  Tensor forward() {
    Tensor h = Ops.relu(Ops.add(Ops.matmul(x, w1.read()), b1.read()));
    Tensor logits = Ops.add(Ops.matmul(h, w2.read()), b2.read());
    return Ops.reduceMean(Losses.sparseSoftmaxCrossEntropyWithLogits(labels, logits));
  }

  /** Forward on a tape, gradients, Adam: returns the loss before the update. */
  Tensor step() {
    Tensor loss;
    GradientTape tape = GradientTape.open();
    try (tape) {
      loss = forward();
    }
    adam.apply(tape.gradient(loss, vars), vars);
    return loss;
  }

  /** The forward pass, op by op. */
  @Benchmark
  public Tensor baselineForwardEager() {
    return forward();
  }

  /** Forward, backward and Adam, op by op. */
  @Benchmark
  public Tensor stepEager() {
    return step();
  }

  /** The forward pass as one traced function call. */
  @Benchmark
  public Tensor baselineForwardTraced() {
    return forwardTraced.call();
  }

  /** Forward, backward and Adam as one traced function call. */
  @Benchmark
  public Tensor stepTraced() {
    return stepTraced.call();
  }
}
