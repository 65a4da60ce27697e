package dev.isthmus.examples;

import dev.isthmus.DType;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Losses;
import dev.isthmus.Mean;
import dev.isthmus.Ops;
import dev.isthmus.Optimizer;
import dev.isthmus.Scope;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import java.util.List;

/**
 * The digits classifier: an MLP 64-128-10 with relu, its weights in {@link Variable}s, and its
 * train step. The forward pass is a function of the images and the weights' values, so it can
 * run as plain ops or as a traced {@link Function} ({@code mlp}) called from the traced train
 * step; the tape then differentiates through that call.
 */
final class DigitsModel {
  static final int HIDDEN = 128;

  final Variable w1;
  final Variable b1;
  final Variable w2;
  final Variable b2;
  final List<Variable> vars;
  /** The forward pass traced: {@code (x, w1, b1, w2, b2) -> logits}. */
  final Function mlp = Function.builder().name("mlp").buildList(a ->
      List.of(logits(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4))));

  /** Glorot-uniform weights from {@code seed} (Keras's default initializer), zero biases. */
  DigitsModel(long seed) {
    w1 = Variable.of(glorot(seed, DigitsData.PIXELS, HIDDEN), "dense/kernel", true);
    b1 = Variable.of(Ops.zeros(DType.FLOAT32, HIDDEN), "dense/bias", true);
    w2 = Variable.of(glorot(seed + 1, HIDDEN, DigitsData.CLASSES), "dense_1/kernel", true);
    b2 = Variable.of(Ops.zeros(DType.FLOAT32, DigitsData.CLASSES), "dense_1/bias", true);
    vars = List.of(w1, b1, w2, b2);
  }

  private static Tensor glorot(long seed, int fanIn, int fanOut) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return Ops.randomUniform(seed, DType.FLOAT32, Shape.of(fanIn, fanOut), -limit, limit);
  }

  /** {@code relu(x w1 + b1) w2 + b2}: logits {@code float32[n, 10]} of images {@code [n, 64]}. */
  static Tensor logits(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    Tensor h = Ops.relu(Ops.add(Ops.matmul(x, w1), b1));
    return Ops.add(Ops.matmul(h, w2), b2);
  }

  /** The logits of {@code x} with the current weights, through the traced {@code mlp}. */
  Tensor predict(Tensor x) {
    return mlp.callAll(x, w1.read(), b1.read(), w2.read(), b2.read()).get(0);
  }

  /**
   * One training step on the next batch of {@code it}: the mean cross entropy, its gradients on
   * a tape, one optimizer update, and the loss and accuracy metrics updated per example. With
   * {@code traced}, the forward pass is the {@code mlp} function (one call node); otherwise
   * plain ops. Returns the batch's mean loss, and the loss and accuracy metrics' results after
   * this step (what Keras's {@code train_step} returns).
   */
  @SuppressWarnings("try") // name scopes are entered for their effect
  List<Tensor> trainStep(DatasetIterator it, Optimizer opt, Mean loss, Mean accuracy, boolean traced) {
    List<Tensor> batch = it.getNextAll();
    Tensor x = batch.get(0);
    Tensor y = batch.get(1);
    Tensor logits;
    Tensor perExample;
    Tensor mean;
    GradientTape tape = GradientTape.open();
    // name scopes (TensorFlow's, as Keras names them) group the traced graph's nodes
    try (tape; Scope s = Ops.nameScope("forward")) {
      Tensor[] w = {w1.read(), b1.read(), w2.read(), b2.read()};
      logits = traced ? mlp.callAll(x, w[0], w[1], w[2], w[3]).get(0)
          : logits(x, w[0], w[1], w[2], w[3]);
      perExample = Losses.sparseSoftmaxCrossEntropyWithLogits(y, logits);
      mean = Ops.reduceMean(perExample);
    }
    List<Tensor> grads;
    try (Scope s = Ops.nameScope("gradient_tape")) {
      grads = tape.gradient(mean, vars);
    }
    try (Scope s = Ops.nameScope("Adam")) {
      opt.apply(grads, vars);
    }
    try (Scope s = Ops.nameScope("metrics")) {
      loss.updateState(perExample);
      accuracy.updateState(Ops.cast(Ops.equal(Ops.argMax(logits, 1), y), DType.FLOAT32));
      return List.of(mean, loss.result(), accuracy.result());
    }
  }
}
