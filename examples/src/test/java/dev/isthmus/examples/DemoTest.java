package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
  void mainRunsAndPrintsEverySection() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      Demo.main(new String[0]);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    for (String s : new String[] {"1. Data", "2. Logistic", "held-out accuracy", "3. Softmax",
        "4. Errors", "AddV2: expected shapes that broadcast", "5. Async training",
        "16 ran", "OutOfRangeException: IteratorGetNext: End of sequence", "issued at",
        "mean loss", "accuracy after this one epoch"}) {
      assertTrue(out.contains(s), "missing '" + s + "' in:\n" + out);
    }
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
