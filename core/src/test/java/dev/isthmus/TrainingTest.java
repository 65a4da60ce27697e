package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingTest {
  @Test
  void sgdStep() {
    Variable w = Variable.of(Tensor.of(1.0, 2.0));
    new SGD(0.1).apply(List.of(Tensor.of(10.0, -10.0)), List.of(w));
    assertArrayEquals(new double[] {0.0, 3.0}, w.read().toDoubleArray(), 1e-15);
  }

  @Test
  void sgdMomentumAndNesterov() {
    // velocity = 0.9 v - lr g; plain: w += velocity; nesterov: w += 0.9 velocity - lr g
    Variable a = Variable.of(1.0);
    Variable b = Variable.of(1.0);
    SGD plain = new SGD(0.1, 0.9, false);
    SGD nesterov = new SGD(0.1, 0.9, true);
    Tensor g = Tensor.scalar(1.0);
    plain.apply(List.of(g), List.of(a));
    nesterov.apply(List.of(g), List.of(b));
    assertEquals(0.9, a.read().item(), 1e-15);
    assertEquals(1 + 0.9 * -0.1 - 0.1, b.read().item(), 1e-15);
    plain.apply(List.of(g), List.of(a)); // velocity = -0.09 - 0.1 = -0.19
    nesterov.apply(List.of(g), List.of(b));
    assertEquals(0.9 - 0.19, a.read().item(), 1e-15);
    assertEquals(1 + 0.9 * -0.1 - 0.1 + 0.9 * -0.19 - 0.1, b.read().item(), 1e-15);
    assertEquals(2L, plain.iterations().item(), 0);
  }

  @Test
  void adamStepsMatchTheFormula() {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    Variable w = Variable.of(0.5);
    Adam adam = new Adam(lr, b1, b2, eps);
    double m = 0;
    double v = 0;
    double x = 0.5;
    double[] grads = {0.3, -1.2, 2.0};
    for (int t = 1; t <= grads.length; t++) {
      double g = grads[t - 1];
      adam.apply(List.of(Tensor.scalar(g)), List.of(w));
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      x -= m * alpha / (Math.sqrt(v) + eps);
      assertEquals(x, w.read().item(), 1e-12, "step " + t);
    }
  }

  @Test
  void optimizerChecksItsInput() {
    Variable w = Variable.of(Tensor.of(1.0, 2.0));
    assertThrows(InvalidArgumentException.class,
        () -> new SGD(0.1).apply(List.of(Tensor.of(1.0)), List.of(w)));
    assertThrows(InvalidArgumentException.class, () -> new SGD(-1));
    assertThrows(InvalidArgumentException.class, () -> new Adam(0.1, 1.0, 0.9, 1e-7));
  }

  @Test
  void losses() {
    Tensor labels = Tensor.of(new double[] {0, 1, 0, 1, 0, 0}, 2, 3);
    Tensor logits = Tensor.of(new double[] {1, 2, 3, 0, 0, 0}, 2, 3);
    double[] ce = Losses.softmaxCrossEntropyWithLogits(labels, logits).toDoubleArray();
    double lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    assertArrayEquals(new double[] {lse0 - 2, Math.log(3)}, ce, 1e-12);
    double[] sparse = Losses.sparseSoftmaxCrossEntropyWithLogits(Tensor.of(1, 0), logits)
        .toDoubleArray();
    assertArrayEquals(ce, sparse, 1e-12);
    assertEquals(2.5, Losses.meanSquaredError(Tensor.of(1.0, 2.0), Tensor.of(3.0, 3.0)).item(), 0);
    // stable for large logits: log(1 + exp(-|x|)) + max(x, 0) - x z
    double[] s = Losses.sigmoidCrossEntropyWithLogits(Tensor.of(1.0, 0.0, 1.0),
        Tensor.of(1000.0, 1000.0, -1000.0)).toDoubleArray();
    assertArrayEquals(new double[] {0, 1000, 1000}, s, 1e-9);
  }

  @Test
  void meanMetric() {
    Mean mean = new Mean();
    assertEquals(0.0, mean.result().item(), 0);
    mean.updateState(Tensor.of(1f, 2f, 3f));
    mean.updateState(Tensor.scalar(10));
    assertEquals(4.0, mean.result().item(), 0);
    mean.reset();
    assertEquals(0.0, mean.result().item(), 0);
    Function f = Function.of(x -> {
      mean.updateState(x);
      return mean.result();
    });
    f.call(Tensor.of(2.0, 4.0));
    assertEquals(3.5, f.call(Tensor.of(3.0, 5.0)).item(), 0);
  }

  @Test
  void mlpTrainedWithAdamLearnsXor() {
    // four XOR points, a 2-8-1 MLP, sigmoid cross entropy: the loss must fall below 0.05
    Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
    Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
    Variable w1 = Variable.of(Ops.randomNormal(1, DType.FLOAT32, 2, 8));
    Variable b1 = Variable.of(Ops.zeros(DType.FLOAT32, 8));
    Variable w2 = Variable.of(Ops.randomNormal(2, DType.FLOAT32, 8, 1));
    Variable b2 = Variable.of(Ops.zeros(DType.FLOAT32, 1));
    List<Variable> vars = List.of(w1, b1, w2, b2);
    Adam adam = new Adam(0.05);
    Function step = Function.of(() -> {
      Tensor loss;
      GradientTape tape = GradientTape.open();
      try (tape) {
        Tensor h = Ops.tanh(Ops.add(Ops.matmul(x, w1.read()), b1.read()));
        Tensor logits = Ops.add(Ops.matmul(h, w2.read()), b2.read());
        loss = Ops.reduceMean(Losses.sigmoidCrossEntropyWithLogits(y, logits));
      }
      adam.apply(tape.gradient(loss, vars), vars);
      return loss;
    });
    double first = step.call().item();
    double last = first;
    for (int i = 0; i < 400; i++) {
      last = step.call().item();
    }
    assertTrue(last < 0.05 && last < first, "loss " + first + " -> " + last);
    assertEquals(1, step.tracingCount());
  }
}
