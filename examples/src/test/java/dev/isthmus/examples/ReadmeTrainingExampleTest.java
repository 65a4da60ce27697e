package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Adam;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.GradientTape;
import dev.isthmus.Losses;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "Training" example, line for line, so the README stays true. */
class ReadmeTrainingExampleTest {
  @Test
  void readmeTrainingExampleRunsAsWritten() {
    Tensor x = Tensor.scalar(3f);
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape) {
      tape.watch(x);
      y = x.square().mul(x);
    }
    assertEquals(27.0, tape.gradient(y, x).item());

    Tensor xs = Ops.randomNormal(7, DType.FLOAT32, 64, 2);
    Tensor ys = xs.matmul(Tensor.of(new float[] {2, -1}, 2, 1)).add(0.5);
    Variable w = Variable.of(Ops.zeros(DType.FLOAT32, 2, 1));
    Variable b = Variable.of(0f);
    Adam adam = new Adam(0.1);
    Function step = Function.of(() -> {
      Tensor loss;
      GradientTape t = GradientTape.open();
      try (t) {
        loss = Losses.meanSquaredError(ys, xs.matmul(w.read()).add(b.read()));
      }
      adam.apply(t.gradient(loss, List.of(w, b)), List.of(w, b));
      return loss;
    });
    for (int i = 0; i < 300; i++) {
      step.call();
    }
    assertArrayEquals(new float[] {2, -1}, w.read().toFloatArray(), 1e-3f);
    assertEquals(0.5, b.read().item(), 1e-3);
    assertEquals(1, step.tracingCount());

    Graph g = new Graph();
    Tensor p;
    Tensor dp;
    try (Scope s = g.asDefault()) {
      p = Ops.placeholder(DType.FLOAT32, 3);
      dp = Ops.gradients(List.of(Ops.reduceSum(p.square())), List.of(p)).get(0);
    }
    try (Session sess = new Session(g)) {
      assertArrayEquals(new float[] {2, 4, 6},
          sess.run(dp, Map.of(p, Tensor.of(1f, 2f, 3f))).toFloatArray());
    }
    assertTrue(dp.name().startsWith("gradients/"), dp.name());
  }
}
