package dev.isthmus.examples;

import dev.isthmus.Adam;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Losses;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's training section: a small MLP learns to tell three interleaved spirals apart,
 * with automatic differentiation. The train step is one traced {@link Function}: forward pass
 * on a {@link GradientTape}, gradients of the four variables, and an {@link Adam} update.
 */
final class TrainingDemo {
  static final int CLASSES = 3;
  static final int PER_CLASS = 80;
  static final int HIDDEN = 32;
  static final int STEPS = 150;

  private TrainingDemo() {}

  /** What training did: the loss before the first update and after the last, the accuracy on
   * the training points, and how many times the step was traced. */
  record Result(double firstLoss, double lastLoss, double accuracy, int traces) {}

  /**
   * Three spirals of {@code perClass} points each (CS231n's toy data): class c's points at
   * radius r in [0, 1] and angle {@code 4c + 4r} plus noise of sd 0.2. Returns {x [n, 2] FLOAT32,
   * labels [n] INT32}.
   */
  static Tensor[] spirals(int perClass, long seed) {
    List<Tensor> xs = new ArrayList<>();
    List<Tensor> ys = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      Tensor r = Ops.linspace(0.0, 1.0, perClass, DType.FLOAT32);
      Tensor t = Ops.linspace(4.0 * c, 4.0 * (c + 1), perClass, DType.FLOAT32)
          .add(Ops.randomNormal(seed + c, DType.FLOAT32, Shape.of(perClass), 0, 0.2));
      xs.add(Ops.stack(1, r.mul(Ops.sin(t)), r.mul(Ops.cos(t))));
      ys.add(Ops.fill(DType.INT32, c, perClass));
    }
    return new Tensor[] {Ops.concat(xs, 0), Ops.concat(ys, 0)};
  }

  /** The model: {@code relu(x w1 + b1) w2 + b2}, the logits. */
  private static Tensor logits(Tensor x, List<Variable> p) {
    Tensor h = Ops.relu(Ops.matmul(x, p.get(0).read()).add(p.get(1).read()));
    return Ops.matmul(h, p.get(2).read()).add(p.get(3).read());
  }

  /** Trains on the spirals, printing the loss every 25 steps to {@code log} (if not null). */
  static Result train(PrintStream log) {
    Tensor[] data = spirals(PER_CLASS, 10);
    Tensor x = data[0];
    Tensor labels = data[1];
    List<Variable> params = List.of(
        Variable.of(Ops.randomNormal(1, DType.FLOAT32, Shape.of(2, HIDDEN), 0, 1), "w1", true),
        Variable.of(Ops.zeros(DType.FLOAT32, HIDDEN), "b1", true),
        Variable.of(Ops.randomNormal(2, DType.FLOAT32, Shape.of(HIDDEN, CLASSES), 0,
            Math.sqrt(1.0 / HIDDEN)), "w2", true),
        Variable.of(Ops.zeros(DType.FLOAT32, CLASSES), "b2", true));
    Adam adam = new Adam(0.05);
    Function step = Function.builder().name("train_step").build(() -> {
      Tensor loss;
      GradientTape tape = GradientTape.open();
      try (tape) {
        loss = Ops.reduceMean(Losses.sparseSoftmaxCrossEntropyWithLogits(labels,
            logits(x, params)));
      }
      adam.apply(tape.gradient(loss, params), params);
      return loss;
    });
    double first = Double.NaN;
    for (int s = 0; s < STEPS; s++) {
      double loss = step.call().item(); // the loss before this step's update
      if (s == 0) {
        first = loss;
      }
      if (log != null && s % 25 == 0) {
        log.printf(Locale.ROOT, "   step %3d   loss %.4f%n", s, loss);
      }
    }
    Tensor z = logits(x, params);
    double last = Ops.reduceMean(Losses.sparseSoftmaxCrossEntropyWithLogits(labels, z)).item();
    Tensor predicted = Ops.cast(Ops.argMax(z, 1), DType.INT32);
    double accuracy = Ops.reduceMean(Ops.cast(Ops.equal(predicted, labels), DType.FLOAT32))
        .item();
    if (log != null) {
      int traces = step.tracingCount();
      log.printf(Locale.ROOT, "   step %3d   loss %.4f   (the step traced %s: a graph of %d"
          + " nodes)%n", STEPS, last, traces == 1 ? "once" : traces + " times",
          step.getConcreteFunction().graph().operations().size());
      log.printf(Locale.ROOT, "   training accuracy: %.1f%% of %d points%n", 100 * accuracy,
          x.shape().dim(0));
    }
    return new Result(first, last, accuracy, step.tracingCount());
  }
}
