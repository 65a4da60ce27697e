package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Function;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @Test
  void logisticRegressionLearnsTheClusters() {
    Tensor[] train = Demo.clusters(1, 800);
    Tensor[] test = Demo.clusters(3, 200);
    Tensor[] wb = Demo.fit(train[0], train[1], 200, 0.5, null);
    Tensor z0 = Ops.matmul(train[0], Ops.zeros(wb[0].dtype(), 2, 1));
    Tensor z = Ops.matmul(train[0], wb[0]).add(wb[1]);
    double before = Demo.loss(z0, train[1]);
    double after = Demo.loss(z, train[1]);
    assertTrue(Math.abs(before - Math.log(2)) < 1e-6, "an untrained model's loss is ln 2: " + before);
    assertTrue(after < 0.2, "loss after training: " + after);
    double acc = Demo.accuracy(Ops.sigmoid(Ops.matmul(test[0], wb[0]).add(wb[1])), test[1]);
    // the clusters overlap: centres 2.66 apart, sd 0.8, so the best possible accuracy is about 0.95
    assertTrue(acc > 0.9, "held-out accuracy " + acc);
  }

  @Test
  void trainingLearnsTheSpirals() {
    TrainingDemo.Result r = TrainingDemo.train(null);
    // an untrained model is near ln 3 = 1.10 (its random logits add a little)
    assertTrue(r.firstLoss() > 0.9 && r.firstLoss() < 2, "first loss " + r.firstLoss());
    assertTrue(r.lastLoss() < 0.15, "loss after training " + r.lastLoss());
    assertTrue(r.accuracy() > 0.95, "training accuracy " + r.accuracy());
    assertTrue(r.traces() == 1, "the step traced " + r.traces() + " times");
    Tensor[] data = TrainingDemo.spirals(5, 10);
    assertTrue(data[0].shape().equals(dev.isthmus.Shape.of(15, 2))
        && data[1].shape().equals(dev.isthmus.Shape.of(15)), "three classes of 5 points");
  }

  @Test
  void theTourPrintsEverySection() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, Demo.run(new String[] {"--tour"}, print(buf), print(err),
        Digits.Options.defaults()));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    for (String s : new String[] {"isthmus demo: a tour", "kernels: ", "1. Data", "2. Logistic",
        "held-out accuracy", "3. Softmax",
        "4. Errors", "AddV2: expected shapes that broadcast", "5. Traced functions",
        "the lambda ran 2 times, traced 2 times",
        "the graph of predict(float32[400, 2], float32[2, 1]), node by node:",
        "MatMul     MatMul       arg0, arg1             -> float32[400, 1]",
        "AddV2      AddV2        MatMul, captured       -> float32[400, 1]",
        "Sigmoid    Sigmoid      AddV2                  -> float32[400, 1]",
        "digraph \"predict\" {", "a graph of 16 scalar ops",
        "6. Training", "step  25   loss", "training accuracy",
        "7. Async training",
        "16 ran", "OutOfRangeException: IteratorGetNext: End of sequence", "issued at",
        "mean loss", "accuracy after this one epoch"}) {
      assertTrue(out.contains(s), "missing '" + s + "' in:\n" + out);
    }
    assertFalse(out.contains("Epoch 1/"), "the tour trains no digits:\n" + out);
  }

  @Test
  void withoutOptionsTheDemoTrainsTheDigitsClassifier(@TempDir Path dir) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // the defaults with fewer epochs (DigitsTest runs all ten), no timing, no terminal
    Digits.Options base = Digits.Options.defaults().withTty(false);
    assertEquals(0, Demo.run(new String[] {"--epochs", "2", "--no-timing", "--out",
        dir.toString()}, print(buf), print(err), base));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    List<String> lines = out.lines().toList();
    assertEquals("isthmus demo: a handwritten-digit classifier, trained on the JVM",
        lines.get(0));
    for (String s : new String[] {"data:  UCI optical digits (8x8 images, 10 classes): 1438 to"
        + " train, 359 held out", "model: MLP 64-128-10 (relu), Adam(0.001), batch 32, 2 epochs",
        "Epoch 1/2", "Epoch 2/2", "test accuracy: ", "jit: the traced train_step has ",
        "graph: wrote train_step.", "more: ./isthmus demo --tour"}) {
      assertTrue(out.contains(s), "missing '" + s + "' in:\n" + out);
    }
    assertFalse(out.contains("steps/s"), out);
    assertFalse(out.contains("1. Data"), "the tour is behind --tour:\n" + out);
    assertTrue(Files.isRegularFile(dir.resolve("train_step.dot")));
  }

  @Test
  void badArgumentsPrintTheUsage() {
    for (String[] args : new String[][] {{"--epochs"}, {"--epochs", "two"}, {"--fast"},
        {"--tour", "--epochs", "2"}, {"--epochs", "0"}}) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      assertEquals(2, Demo.run(args, print(buf), print(err), Digits.Options.defaults()),
          List.of(args).toString());
      assertEquals("", buf.toString(StandardCharsets.UTF_8));
      String e = err.toString(StandardCharsets.UTF_8);
      assertTrue(e.startsWith("isthmus demo: ") && e.contains("usage: ./isthmus demo"), e);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertEquals(0, Demo.run(new String[] {"--help"}, print(buf), print(buf),
        Digits.Options.defaults()));
    assertEquals(Demo.USAGE, buf.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream print(ByteArrayOutputStream buf) {
    return new PrintStream(buf, true, StandardCharsets.UTF_8);
  }

  @Test
  void tracedSectionPrintsThePredictionsEagerOpsGive() {
    Tensor x = Tensor.of(new float[] {0, 0, 1, 1, -1, 2, 3, -2, 5, 5}, 5, 2);
    Tensor w = Tensor.of(new float[] {0.5f, -0.25f}, 2, 1);
    Tensor b = Ops.add(Tensor.scalar(0.1f), Tensor.scalar(0.025f)); // an op result: captured
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Demo.traced(x, w, b, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    Tensor first4 = Ops.slice(x, new long[] {0, 0}, new long[] {4, 2});
    Tensor eager = Ops.reshape(Ops.sigmoid(Ops.matmul(first4, w).add(b)), 4);
    assertTrue(out.contains("p of 4 held-out points: " + eager), out);
    assertTrue(out.contains("4 calls (3 on [5, 2], 1 on 4 rows): the lambda ran 2 times"), out);
    assertTrue(out.contains("captured   Placeholder                         -> float32[]"), out);
    assertEquals(Demo.chain(Tensor.scalar(1.5f), Tensor.scalar(0.5f)).item(),
        Function.of(Demo::chain).call(Tensor.scalar(1.5f), Tensor.scalar(0.5f)).item());
  }

  @Test
  void asyncTrainingRunsOneStepPerBatchAndMatchesSync() {
    Tensor[] train = Demo.clusters(1, 800);
    Demo.Epoch async = Demo.trainUntilDataEnds(train[0], train[1], 100, 20, true);
    Demo.Epoch sync = Demo.trainUntilDataEnds(train[0], train[1], 100, 20, false);
    // 1600 points in batches of 100
    assertEquals(16, async.ran());
    assertTrue(async.issued() > 16, "steps issued " + async.issued());
    assertEquals(16, sync.issued()); // synchronously the 17th call throws
    assertEquals(16, sync.ran());
    assertTrue(async.error().startsWith("OutOfRangeException: IteratorGetNext: End of sequence"),
        async.error());
    assertEquals(sync.error().lines().findFirst(), async.error().lines().findFirst());
    // the deferred error names the call and the line of the demo that issued it
    assertTrue(async.error().contains("[[async op StatefulPartitionedCall #17, issued at "
        + Demo.class.getName() + ".trainUntilDataEnds(Demo.java:"), async.error());
    // the same steps on the same batches: the metric and the weights agree with the sync run
    // (to rounding: exp and log1p may differ by an ulp while the JIT warms up)
    assertEquals(sync.meanLoss(), async.meanLoss(), 1e-6);
    assertArrayEquals(sync.w().toFloatArray(), async.w().toFloatArray(), 1e-5f);
    assertArrayEquals(sync.b().toFloatArray(), async.b().toFloatArray(), 1e-5f);
    // an untrained model's loss is ln 2; the epoch's mean is below it
    assertTrue(async.meanLoss() < 0.5 && async.meanLoss() > 0.05, "mean loss " + async.meanLoss());
  }
}
